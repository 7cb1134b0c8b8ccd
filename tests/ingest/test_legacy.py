"""Pre-Unicode Vietnamese font encodings (TCVN3/ABC, VNI): recognised, converted, never stored as mojibake."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import DOC_000, DOC_001, sample_bytes, to_cp1258, to_tcvn3, to_vni
from hypothesis import given, settings
from hypothesis import strategies as st

from hoidap.ingest.decode import decode_bytes
from hoidap.ingest.errors import IngestError
from hoidap.ingest.legacy import TCVN3_TABLE, VNI_TABLE, tcvn3_to_unicode, vietnamese_share, vni_to_unicode

SENTENCE = "Thu hút vốn FDI vào các khu công nghiệp tỉnh Bắc Ninh đạt 1.200 triệu USD; Ủy ban nhân dân giao chỉ tiêu."
# Every toned and shaped lower-case letter of Vietnamese, so no chart entry goes untested.
ALL_LETTERS = "".join(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
) + "đ"


# --------------------------------------------------------------------------- the charts


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        (b"B\xbec Ninh", "Bắc Ninh"),
        (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),  # ư is 0xAD (invisible as Latin-1)
        (b"B\xb8t X\xb8t", "Bát Xát"),
        (b"\xa7\xb9i h\xe9i \xae\xb6ng", "Đại hội đảng"),
    ],
)
def test_tcvn3_chart_spot_checks(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Baéc Ninh", "Bắc Ninh"),
        ("ngöôøi", "người"),
        ("Ñaûng boä tænh", "Đảng bộ tỉnh"),
        ("TÆNH ÑOÀNG THAÙP", "TỈNH ĐỒNG THÁP"),
    ],
)
def test_vni_chart_spot_checks(legacy, unicode):
    assert vni_to_unicode(legacy.encode("latin-1")) == unicode


def test_tables_cover_every_letter_once():
    tcvn3_letters = set(TCVN3_TABLE.values())
    vni_letters = set(VNI_TABLE.values())
    for letter in ALL_LETTERS:
        assert letter in tcvn3_letters or letter.isascii(), letter
        assert letter in vni_letters or letter.isascii(), letter
        assert letter.upper() in vni_letters or letter.isascii(), letter.upper()
    assert len(set(TCVN3_TABLE)) == len(TCVN3_TABLE.values())  # one byte per letter
    assert len(vni_letters) == len(VNI_TABLE)  # one sequence per letter


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ALL_LETTERS + ALL_LETTERS.upper() + " .,0123456789bcdghklmnpqrstvx")), max_size=60))
def test_vni_round_trips_any_vietnamese_text(text):
    assert vni_to_unicode(to_vni(text)) == unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ALL_LETTERS + "ĂÂÊÔƠƯĐ .,0123456789bcdghklmnpqrstvx")), max_size=60))
def test_tcvn3_round_trips_lower_case_text(text):
    assert tcvn3_to_unicode(to_tcvn3(text)) == unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- detection in decode_bytes


def _sample(name: str) -> str:
    return sample_bytes(name).decode("utf-8").replace("≤", "<=")  # ≤ exists in no 8-bit encoding


@pytest.mark.parametrize("name", [DOC_000, DOC_001])
@pytest.mark.parametrize(("encode", "encoding"), [(to_tcvn3, "TCVN3 (ABC)"), (to_vni, "VNI")])
def test_legacy_sample_document_is_detected_and_converted(name, encode, encoding):
    original = _sample(name)
    decoded = decode_bytes(encode(original.replace("“", '"').replace("”", '"').replace("…", "...").replace("•", "-")))
    assert decoded.encoding == encoding
    expected = original.replace("“", '"').replace("”", '"').replace("…", "...").replace("•", "-")
    if encoding.startswith("TCVN3"):
        expected = "".join(c.lower() if c not in "ĂÂÊÔƠƯĐ" and not c.isascii() else c for c in expected)
    assert decoded == expected


@pytest.mark.parametrize("name", [DOC_000, DOC_001])
def test_windows_1258_is_still_read_as_windows_1258(name):
    decoded = decode_bytes(to_cp1258(_sample(name)))
    assert decoded.encoding == "Windows-1258"
    assert unicodedata.normalize("NFC", decoded) == _sample(name)


def test_short_legacy_sentence_is_converted():
    assert decode_bytes(to_vni(SENTENCE)) == SENTENCE
    assert decode_bytes(to_tcvn3(SENTENCE)) == SENTENCE.replace("Ủ", "ủ")


def test_garbled_legacy_text_is_refused_with_a_clear_reason():
    # Pasted together from a TCVN3 file and a VNI file: Vietnamese-like in either reading, right in neither.
    mixed = to_tcvn3(SENTENCE * 2) + to_vni(SENTENCE * 2)
    with pytest.raises(IngestError) as error:
        decode_bytes(mixed)
    message = str(error.value)
    assert "legacy encoding" in message and "UTF-8" in message, message


def test_vietnamese_share_tells_text_from_mojibake():
    assert vietnamese_share(SENTENCE)[0] == 1.0
    assert vietnamese_share(SENTENCE.encode("utf-8").decode("latin-1"))[0] < 0.2
    assert vietnamese_share(to_tcvn3(SENTENCE).decode("cp1252", errors="replace"))[0] < 0.5
