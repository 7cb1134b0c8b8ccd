"""Bytes to text for plain-text formats: UTF-8 (BOM or not), UTF-16/32, Windows-1258, TCVN3, VNI.

Vietnamese files in the wild are mostly UTF-8, sometimes UTF-16 (Word's "Unicode text"), and in
older archives Windows-1258 (tone marks as separate combining characters) or the font encodings
TCVN3/ABC and VNI (``ingest.legacy``). Anything that does not decode to plausible text is refused
with a reason instead of being stored as noise. The encoding used rides along on the result
(:class:`DecodedText`), so the ingest report can say that a file was converted.
"""

from __future__ import annotations

import codecs
import re

from hoidap.ingest.errors import IngestError
from hoidap.ingest.legacy import LEGACY_DECODERS, vietnamese_share

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Letters only Vietnamese uses; a cp1258 decode that yields none of them is not Vietnamese.
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323]")
# Share of accented words that must read as Vietnamese syllables for an 8-bit decoding to be taken.
MIN_VIETNAMESE_SHARE = 0.8
LEGACY_ENCODINGS = ("Windows-1258", *LEGACY_DECODERS)


class DecodedText(str):
    """Text with the encoding it was decoded from (``encoding``): a plain ``str`` everywhere else."""

    encoding: str = "utf-8"

    @classmethod
    def of(cls, text: str, encoding: str) -> DecodedText:
        decoded = cls(text)
        decoded.encoding = encoding
        return decoded


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _check_plausible(text: str) -> str:
    if not text.strip():
        raise IngestError("the file holds no text (empty or whitespace only)")
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(5, len(text[:20000]) * 0.01):
        raise IngestError("the file looks binary, not text (control bytes in the content)")
    return text


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a text file's bytes; raise :class:`IngestError` for empty or binary content."""
    if not data.strip():
        raise IngestError("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText.of(_check_plausible(data[len(bom):].decode(encoding)), encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(f"the file starts with a {encoding} mark but is not valid {encoding}") from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return DecodedText.of(_check_plausible(data.decode(utf16)), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8000]:
        raise IngestError("the file looks binary, not text (it contains NUL bytes)")
    try:
        return DecodedText.of(_check_plausible(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a stray byte or cut inside its last character is still UTF-8: decoding it all as
    # Windows-1258 would store mojibake ("vá»‘n" for "vốn"). Keep it when the bad bytes are a handful
    # among many well-formed multi-byte characters.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    well_formed = sum(1 for c in lenient if ord(c) > 127) - bad
    if bad <= max(3, len(lenient) // 2000) and well_formed >= 10 * bad:
        return DecodedText.of(_check_plausible(lenient.replace("\ufffd", "")), "utf-8")
    return _decode_eight_bit(data)


def _decode_eight_bit(data: bytes) -> DecodedText:
    """Windows-1258, TCVN3 or VNI: the decoding whose words read best as Vietnamese, if any reads well."""
    candidates = {}
    cp1258 = data.decode("cp1258", errors="replace")
    if _VIETNAMESE.search(cp1258) and cp1258.count("\ufffd") < max(3, len(cp1258) // 1000):
        candidates["Windows-1258"] = cp1258
    for name, decode in LEGACY_DECODERS.items():
        candidates[name] = decode(data)
    scored = {name: vietnamese_share(text) for name, text in candidates.items()}
    best = max(scored, key=lambda name: scored[name][0])
    share, words = scored[best]
    if share >= MIN_VIETNAMESE_SHARE and words:
        return DecodedText.of(_check_plausible(candidates[best]), best)
    if share >= 0.5 and words >= 5:
        raise IngestError(
            f"the text looks like Vietnamese in a legacy encoding (closest: {best}, {share:.0%} of words "
            "readable) but could not be converted reliably: save it as UTF-8 (Unicode) and try again"
        )
    raise IngestError(
        "unknown text encoding: not UTF-8, UTF-16, Windows-1258, TCVN3 (ABC) or VNI "
        "(save the file as UTF-8 and try again)"
    )
