"""Vietnamese text normalisation: one spelling for one word.

The same word arrives as different code points: decomposed vs composed (NFC), old vs new tone-mark
placement ("hoà" vs "hòa", "thuỷ" vs "thủy"), non-breaking and zero-width spaces. Documents and
questions both pass through :func:`normalize_text`, so matching, hashing and BM25 see one form.

The tone-placement table is underthesea's (``tn_rules_*.bin``). It is read straight from the
installed package because ``import underthesea`` takes about five seconds (it loads its translation
pipeline), which would dominate a cold ``hoidap ask``.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w+")


def underthesea_path(*parts: str) -> Path:
    """Path of a data file inside the installed underthesea package, without importing it."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("underthesea is not installed: pip install underthesea")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@functools.lru_cache(maxsize=1)
def _tone_tables() -> tuple[dict[str, str], dict[str, str]]:
    import joblib

    files = sorted(underthesea_path("pipeline", "text_normalize").glob("tn_rules_*.bin"))
    if not files:
        raise RuntimeError("underthesea's tone-mark table (tn_rules_*.bin) was not found")
    data = joblib.load(files[-1])
    return data["character"], data["token"]


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    _, token_map = _tone_tables()
    if len(word) > 7:
        return word
    fixed = token_map.get(word)
    if fixed is not None:
        return fixed
    if word.isupper():  # "THUỶ" -> "THỦY": the table holds lower/title case only
        fixed = token_map.get(word.lower())
        return fixed.upper() if fixed else word
    return word


def normalize_text(text: str) -> str:
    """NFC, one tone-mark placement, plain spaces, Unix newlines. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    char_map, _ = _tone_tables()
    for wrong, right in char_map.items():
        text = text.replace(wrong, right)
    text = _WORD.sub(_fix_word, text)
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """The text without diacritics, case kept ("Bắc Ninh" -> "Bac Ninh", "Đà Nẵng" -> "Da Nang")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold_for_match(text: str) -> str:
    """Case-folded, accent-free form for forgiving comparisons ("Bac Ninh" ~ "Bắc Ninh")."""
    return strip_accents(text).casefold()


def fold_keeping_offsets(text: str) -> str:
    """Like :func:`fold_for_match`, one character out for each one in, so that a match found in the
    folded text has the same offsets in the original."""
    return "".join("d" if ch in "đĐ" else unicodedata.normalize("NFD", ch)[0].lower() for ch in text)


def compact(text: str) -> str:
    """The comparison used to judge answers: NFC, case folding, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).casefold())
