"""A file in, a parsed document out: the whole ingest chain on real files, and its refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import (
    DOC_000,
    SAMPLE_NAMES,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_png,
    sample_bytes,
    sample_path,
    to_cp1258,
)

from hoidap.ingest.document import content_hash, document_id, iter_files, parse_document, read_file
from hoidap.ingest.errors import IngestError


def test_parse_sample_document(tmp_path):
    document = parse_document(DOC_000, sample_path(DOC_000), sample_bytes(DOC_000))
    assert document.source == DOC_000
    assert document.doc_id == document_id(DOC_000)
    assert document.facts.province == "Bắc Ninh"
    assert "Thống kê truy cập" not in document.text
    assert "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD." in document.text
    assert [c.index for c in document.chunks] == list(range(len(document.chunks)))


def test_same_document_in_windows_1258_parses_to_the_same_chunks(tmp_path):
    name = "001_3f62865002eaf136.txt"
    utf8 = parse_document(name, sample_path(name), sample_bytes(name))
    legacy = parse_document(name, tmp_path / name, to_cp1258(sample_bytes(name).decode("utf-8")))
    assert [c.body for c in legacy.chunks] == [c.body for c in utf8.chunks]
    assert legacy.facts == utf8.facts
    assert legacy.content_hash != utf8.content_hash  # different bytes


def test_pdf_through_the_chain_keeps_its_outline():
    data = make_pdf(
        [
            [
                "KẾT LUẬN HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ TỈNH BẮC NINH",
                "II. CHỈ TIÊU CHỦ YẾU NĂM 2023",
                "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
                "(10) Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.",
            ]
        ]
    )
    document = parse_document("ket_luan.pdf", Path("ket_luan.pdf"), data)
    fdi = next(c for c in document.chunks if "1.200 triệu USD" in c.body)
    assert fdi.section[-1] == "II. CHỈ TIÊU CHỦ YẾU NĂM 2023"
    assert fdi.years == [2023]
    assert document.facts.province == "Bắc Ninh"


def test_docx_through_the_chain():
    data = make_docx(
        ["Báo cáo kết quả thu ngân sách tỉnh Bắc Ninh năm 2022", "Tổng thu ngân sách ước đạt 30.372 tỷ đồng."],
        [["Chỉ tiêu", "Kết quả"], ["Kim ngạch xuất, nhập khẩu", "91,7 tỷ USD"]],
    )
    document = parse_document("bao_cao.docx", Path("bao_cao.docx"), data)
    assert document.facts.doc_type == "báo cáo"
    assert any("91,7 tỷ USD" in c.body for c in document.chunks)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("trang.txt", "Đăng nhập\nThống kê truy cập\nHôm nay: 5\nĐang online: 3\n".encode(), ["no document text left"]),
        ("menu.html", "<html><body><nav><a href='/'>Trang chủ</a></nav></body></html>".encode(), ["no"]),
        ("rong.txt", b"", ["empty"]),
        ("anh.txt", make_png(), ["binary"]),
        ("khoa.pdf", make_encrypted_pdf(make_pdf([["Thu ngân sách 30.372 tỷ đồng."]])), ["encrypted"]),
        ("bang.xlsx", b"PK\x03\x04", ["unsupported"]),
    ],
    ids=["only-leftovers", "nav-only-html", "empty", "binary", "encrypted", "unsupported"],
)
def test_files_that_cannot_be_documents_raise_ingest_error(name, data, words):
    with pytest.raises(IngestError) as error:
        parse_document(name, Path(name), data)
    assert any(word in str(error.value) for word in words), str(error.value)


def test_read_file_refuses_files_over_the_limit(tmp_path):
    path = tmp_path / "lon.txt"
    path.write_bytes(b"a" * 2_000_001)
    with pytest.raises(IngestError) as error:
        read_file(path, max_bytes=1_000_000)
    assert "MB" in str(error.value) and "HOIDAP_MAX_FILE_MB" in str(error.value)
    assert read_file(path, max_bytes=3_000_000) == b"a" * 2_000_001


def test_read_file_on_a_missing_file_raises_ingest_error(tmp_path):
    with pytest.raises(IngestError) as error:
        read_file(tmp_path / "khong_co.txt", max_bytes=1_000_000)
    assert "cannot read" in str(error.value)


def test_content_hash_depends_on_bytes_and_chunk_size():
    data = sample_bytes(DOC_000)
    assert content_hash(data, 900) == content_hash(bytes(data), 900)
    assert content_hash(data, 900) != content_hash(data + b" ", 900)
    assert content_hash(data, 900) != content_hash(data, 600)


def test_document_id_is_stable_and_distinct_per_source():
    ids = {document_id(name) for name in SAMPLE_NAMES}
    assert len(ids) == len(SAMPLE_NAMES)
    assert document_id(DOC_000) == document_id(DOC_000)


def test_iter_files_walks_folders_in_order_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for relative in ["b/2.txt", "b/1.txt", "a.txt", ".an.txt", ".git/config.txt"]:
        (tmp_path / relative).write_text("x", encoding="utf-8")
    single = tmp_path / "le.md"
    single.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path / "b", single])]
    assert found == ["b/1.txt", "b/2.txt", "le.md"]
    everything = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert everything == ["a.txt", "le.md", "b/1.txt", "b/2.txt"]
    assert not any(part.startswith(".") for p in everything for part in p.split(os.sep))
