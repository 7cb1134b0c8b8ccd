"""Bytes to text for plain-text formats: UTF-8 (BOM or not), UTF-16/32, and Windows-1258.

Vietnamese files in the wild are mostly UTF-8, sometimes UTF-16 (Word's "Unicode text"), and in
older archives Windows-1258, which writes tone marks as separate combining characters. Anything
that does not decode to plausible text is refused with a reason instead of being stored as noise.
"""

from __future__ import annotations

import codecs
import re

from ingest.errors import IngestError

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


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes; raise :class:`IngestError` for empty or binary content."""
    if not data.strip():
        raise IngestError("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_plausible(data[len(bom):].decode(encoding))
            except UnicodeDecodeError as exc:
                raise IngestError(f"the file starts with a {encoding} mark but is not valid {encoding}") from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _check_plausible(data.decode(utf16))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8000]:
        raise IngestError("the file looks binary, not text (it contains NUL bytes)")
    try:
        return _check_plausible(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a stray byte or cut inside its last character is still UTF-8: decoding it all as
    # Windows-1258 would store mojibake ("vá»‘n" for "vốn"). Keep it when the bad bytes are a handful
    # among many well-formed multi-byte characters.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    well_formed = sum(1 for c in lenient if ord(c) > 127) - bad
    if bad <= max(3, len(lenient) // 2000) and well_formed >= 10 * bad:
        return _check_plausible(lenient.replace("\ufffd", ""))
    text = data.decode("cp1258", errors="replace")
    if _VIETNAMESE.search(text) and text.count("\ufffd") < max(3, len(text) // 1000):
        return _check_plausible(text)
    raise IngestError(
        "unknown text encoding: not UTF-8, UTF-16 or Windows-1258 (save the file as UTF-8 and try again)"
    )
