"""Bytes to text: UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1258; garbage is refused."""

from __future__ import annotations

import codecs
import gzip
import random
import unicodedata

import pytest
from conftest import make_png, to_cp1258

from hoidap.ingest.decode import decode_bytes
from hoidap.ingest.errors import IngestError

TEXT = (
    "Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.\n"
    "Tỷ lệ đô thị hóa đạt 45%; Ủy ban nhân dân tỉnh Bắc Ninh giao chỉ tiêu.\n"
    "Đảng bộ ưu tiên giải ngân vốn đầu tư công, chi ngân sách đạt 2.869,514 tỷ đồng.\n"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_utf8_without_bom():
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_utf8_with_bom_drops_the_mark():
    decoded = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert decoded == TEXT
    assert not decoded.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_utf16_with_bom(encoding):
    if encoding == "utf-16":
        data = TEXT.encode("utf-16")
    elif encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
    else:
        data = codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")
    assert decode_bytes(data) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding):
    assert decode_bytes(TEXT.encode(encoding)) == TEXT


def test_short_utf16_without_bom():
    assert decode_bytes("Hà Nội, 2023".encode("utf-16-le")) == "Hà Nội, 2023"


def test_windows_1258_with_combining_tone_marks():
    data = to_cp1258(TEXT)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is not UTF-8
    assert b"\xcc" in data or b"\xec" in data  # and carries cp1258's separate tone-mark bytes
    decoded = decode_bytes(data)
    assert nfc(decoded) == TEXT
    assert "1.200 triệu USD" in nfc(decoded)


def test_windows_1258_sample_document_decodes_to_the_original():
    from conftest import DOC_001, sample_bytes

    original = sample_bytes(DOC_001).decode("utf-8")
    assert nfc(decode_bytes(to_cp1258(original))) == nfc(original)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\r\n\t  ", "empty"),
        ("   \n  \t ".encode("utf-16"), "no text"),
        ("  \n  \n   ".encode("utf-16-le"), "no text"),
    ],
    ids=["empty", "whitespace", "utf16-bom-whitespace", "utf16-whitespace"],
)
def test_empty_content_is_refused(data, reason):
    with pytest.raises(IngestError) as error:
        decode_bytes(data)
    assert reason in str(error.value)


def _random_bytes(n: int, low: int = 0, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (make_png(), ("binary",)),
        (gzip.compress(TEXT.encode() * 20), ("binary",)),
        (_random_bytes(4000), ("binary", "encoding")),
        (_random_bytes(4000, low=1), ("binary", "encoding")),
        (("abc\x01\x02\x03\x04\x05\x06\x07 " * 60).encode(), ("binary",)),
    ],
    ids=["png", "gzip", "random", "random-without-nul", "control-bytes"],
)
def test_binary_content_is_refused_with_a_reason(data, words):
    with pytest.raises(IngestError) as error:
        decode_bytes(data)
    message = str(error.value)
    assert any(word in message for word in words), message


def test_non_vietnamese_legacy_encoding_is_refused_not_garbled():
    with pytest.raises(IngestError) as error:
        decode_bytes("Ça coûte très cher à Paris, déjà été".encode("latin-1"))
    assert "encoding" in str(error.value)


@pytest.mark.parametrize("tail", [b"\xe1\xba", b"\xa0", b"\xff"], ids=["truncated-char", "latin1-nbsp", "stray-ff"])
def test_utf8_with_one_bad_byte_is_not_decoded_as_windows_1258_mojibake(tail):
    """A UTF-8 file cut in the middle of a character (or with one stray byte) is still UTF-8.

    Decoding all of it as Windows-1258 turns every Vietnamese letter into mojibake ("vá»‘n" for
    "vốn") that would be stored, embedded and cited.
    """
    data = TEXT.encode("utf-8") + tail
    try:
        decoded = decode_bytes(data)
    except IngestError:
        return  # refusing the file is acceptable; storing mojibake is not
    assert "Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD." in nfc(decoded)
