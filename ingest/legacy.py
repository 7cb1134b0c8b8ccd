"""Vietnamese text in the pre-Unicode font encodings TCVN3 (ABC) and VNI, recognised and converted.

Government archives from the 1990s–2000s were typed in ``.VnTime`` (TCVN3, also called ABC) or
``VNI-Times`` fonts. Their files are bytes that any 8-bit decoding turns into mojibake ("B¾c Ninh",
"Baéc Ninh"), which would be stored, embedded and cited. Python has no codec for either, so the
mappings are here, built from the published charts (TCVN 5712:1993 VN3; VNI for Windows):

- TCVN3 is one byte per letter. Its one font holds lower-case toned letters and the seven upper-case
  base letters Ă Â Ê Ô Ơ Ư Đ; upper-case *toned* letters live in a separate "H" font (.VnTimeH) that
  reuses the lower-case codes, so a plain file cannot tell them apart: they come out lower case.
- VNI writes a toned vowel as the base letter followed by a mark byte ("a" + "ù" = "á"); đ, ơ, ư and
  some i/y forms are single bytes.

Which decoding is right is decided by reading: the candidate in which the most non-ASCII words are
well-formed Vietnamese syllables wins (see :func:`vietnamese_share`).
"""

from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (ABC): byte (as its Latin-1 character) -> letter ------------------------------------
_TCVN3_TONED = {
    # base: bytes for (grave, hook, tilde, acute, dot below), in TCVN3 chart order
    "a": "\xb5\xb6\xb7\xb8\xb9",
    "ă": "\xbb\xbc\xbd\xbe\xc6",
    "â": "\xc7\xc8\xc9\xca\xcb",
    "e": "\xcc\xce\xcf\xd0\xd1",
    "ê": "\xd2\xd3\xd4\xd5\xd6",
    "i": "\xd7\xd8\xdc\xdd\xde",
    "o": "\xdf\xe1\xe2\xe3\xe4",
    "ô": "\xe5\xe6\xe7\xe8\xe9",
    "ơ": "\xea\xeb\xec\xed\xee",
    "u": "\xef\xf1\xf2\xf3\xf4",
    "ư": "\xf5\xf6\xf7\xf8\xf9",
    "y": "\xfa\xfb\xfc\xfd\xfe",
}
_TCVN3_LETTERS = dict(zip("\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae", "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # grave, hook, tilde, acute, dot below


def _tcvn3_table() -> dict[int, str]:
    table = {ord(byte): letter for byte, letter in _TCVN3_LETTERS.items()}
    for base, codes in _TCVN3_TONED.items():
        for byte, tone in zip(codes, _TONES, strict=True):
            table[ord(byte)] = unicodedata.normalize("NFC", base + tone)
    return table


TCVN3_TABLE = _tcvn3_table()


def tcvn3_to_unicode(data: bytes) -> str:
    return data.decode("latin-1").translate(TCVN3_TABLE)


# --- VNI for Windows: letter + mark bytes (as cp1252 characters) -> letter ------------------------
# Mark bytes after a base vowel, lower case; upper-case text uses the upper-case forms (+0x20 less).
_VNI_TONE_MARKS = "øûõùï"  # grave, hook, tilde, acute, dot below (same order as _TONES)
_VNI_HAT_TONES = "àåãáä"  # circumflex (â ê ô) with grave, hook, tilde, acute, dot below
_VNI_BREVE_TONES = "èúüéë"  # breve (ă) with grave, hook, tilde, acute, dot below
_VNI_SINGLE = {  # letters VNI writes as one byte
    "ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(sequence: str, letter: str) -> None:
        table[sequence] = unicodedata.normalize("NFC", letter)
        table[sequence.upper()] = unicodedata.normalize("NFC", letter).upper()

    for single, letter in _VNI_SINGLE.items():
        add(single, letter)
    for base in "aeouy":
        for mark, tone in zip(_VNI_TONE_MARKS, _TONES, strict=True):
            if base == "y" and tone == "\u0323":
                continue  # ỵ is the single byte "î"
            add(base + mark, base + tone)
    for base in "aeo":
        add(base + "â", base + "\u0302")
        for mark, tone in zip(_VNI_HAT_TONES, _TONES, strict=True):
            add(base + mark, base + "\u0302" + tone)
    add("aê", "ă")
    for mark, tone in zip(_VNI_BREVE_TONES, _TONES, strict=True):
        add("a" + mark, "ă" + tone)
    for horned, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in zip(_VNI_TONE_MARKS, _TONES, strict=True):
            add(horned + mark, letter + tone)
    return table


VNI_TABLE = _vni_table()
_VNI_SEQUENCE = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))


def vni_to_unicode(data: bytes) -> str:
    return _VNI_SEQUENCE.sub(lambda m: VNI_TABLE[m.group(0)], data.decode("latin-1"))


# --- telling Vietnamese from mojibake -----------------------------------------------------------
# Vowel groups a Vietnamese syllable can have (tone marks removed), longest first in the pattern.
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ ươ ưa "
    "ưi ưu uy ya yê iêu oai oay oeo uây uôi ươi ươu uya uyê uyu yêu oao"
).split()
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    rf"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[\"'(\[“‘«]+|[\"'.,;:!?)\]”’»…]+$")


def _is_vietnamese_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(decomposed.count(t) for t in _TONES)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


def vietnamese_share(text: str) -> tuple[float, int]:
    """(share of words with non-ASCII letters that are well-formed Vietnamese syllables, their count)."""
    words = [_EDGE_PUNCTUATION.sub("", w) for w in _WORD.findall(text[:50_000])]
    accented = [w for w in words if w and not w.isascii()]
    if not accented:
        return 0.0, 0
    good = sum(_is_vietnamese_syllable(w) for w in accented)
    return good / len(accented), len(accented)


LEGACY_DECODERS = {
    "TCVN3 (ABC)": tcvn3_to_unicode,
    "VNI": vni_to_unicode,
}
