"""Every loader on real files written by the libraries that write them; every bad input refused."""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import (
    PDF_LINES,
    PDF_PAGE_2,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_png,
    make_textless_pdf,
    to_cp1258,
)

from hoidap.ingest.errors import IngestError
from hoidap.ingest.loaders import (
    SUPPORTED_SUFFIXES,
    load_docx,
    load_file_text,
    load_html,
    load_markdown,
    load_pdf,
)

BODY = (
    "II. CHỈ TIÊU CHỦ YẾU NĂM 2023\n"
    "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.\n"
    "(10) Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.\n"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in nfc(text).split("\n") if line.strip()]


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),
        lambda s: s.encode("utf-16-le"),
        lambda s: s.encode("utf-16-be"),
        to_cp1258,
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1258"],
)
def test_txt_in_every_supported_encoding(tmp_path, encode):
    path = tmp_path / "bao_cao.txt"
    path.write_bytes(encode(BODY))
    assert lines_of(load_file_text(path, path.read_bytes())) == lines_of(BODY)


def test_suffix_is_case_insensitive():
    assert lines_of(load_file_text(Path("BAO_CAO.TXT"), BODY.encode())) == lines_of(BODY)


def test_markdown_headings_lose_their_hashes():
    text = load_markdown("# Kết luận\n\n## II. Chỉ tiêu chủ yếu năm 2023\n\n(5) Thu hút FDI 1.200 triệu USD.\n".encode())
    assert lines_of(text) == ["Kết luận", "II. Chỉ tiêu chủ yếu năm 2023", "(5) Thu hút FDI 1.200 triệu USD."]


# --------------------------------------------------------------------------- PDF


def test_pdf_written_by_reportlab(report_pdf):
    lines = lines_of(load_pdf(report_pdf))
    for expected in PDF_LINES + PDF_PAGE_2:
        assert expected in lines
    assert lines.index(PDF_LINES[0]) < lines.index(PDF_LINES[1]) < lines.index(PDF_PAGE_2[0])


def test_pdf_through_the_dispatcher(report_pdf):
    assert "1.200 triệu USD" in load_file_text(Path("report.pdf"), report_pdf)


def test_pdf_with_empty_owner_protection_only_is_readable(report_pdf):
    """An empty user password (view allowed, editing locked) is not a reason to refuse a PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf)))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "1.200 triệu USD" in load_pdf(buffer.getvalue())


# --------------------------------------------------------------------------- DOCX


DOCX_PARAGRAPHS = [
    "KẾT LUẬN HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ TỈNH",
    "II. CHỈ TIÊU CHỦ YẾU NĂM 2023",
    "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
]
DOCX_TABLE = [
    ["Chỉ tiêu", "Kế hoạch năm 2023"],
    ["Tổng thu ngân sách nhà nước", "31.630 tỷ đồng"],
    ["Tỷ lệ đô thị hóa", "45%"],
]


def test_docx_written_by_python_docx_with_a_table():
    text = load_docx(make_docx(DOCX_PARAGRAPHS, DOCX_TABLE))
    lines = lines_of(text)
    for paragraph in DOCX_PARAGRAPHS:
        assert paragraph in lines
    # every table row comes out on one line, its cells in order
    for label, value in DOCX_TABLE:
        row = next((line for line in lines if label in line), None)
        assert row is not None, f"table row {label!r} missing"
        assert value in row and row.index(label) < row.index(value)


def test_docx_table_stays_where_it_is_in_the_document():
    """A table under a heading must stay under it: its figures belong to that section.

    Loading all paragraphs first and all tables after moves a table below the last heading, so
    its 2023 targets would be chunked under "III. NHIỆM VỤ, GIẢI PHÁP" (or any later section).
    """
    data = make_docx(
        ["II. CHỈ TIÊU CHỦ YẾU NĂM 2023"],
        DOCX_TABLE,
        after=["III. NHIỆM VỤ, GIẢI PHÁP", "Tập trung cải thiện môi trường đầu tư kinh doanh."],
    )
    lines = lines_of(load_docx(data))
    table_line = next(i for i, line in enumerate(lines) if "31.630 tỷ đồng" in line)
    assert lines.index("II. CHỈ TIÊU CHỦ YẾU NĂM 2023") < table_line < lines.index("III. NHIỆM VỤ, GIẢI PHÁP")


def test_docx_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 40_000_000)
    with pytest.raises(IngestError) as error:
        load_docx(buffer.getvalue())
    assert "zip bomb" in str(error.value)


def test_zip_that_is_not_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "không phải tệp Word")
    with pytest.raises(IngestError) as error:
        load_file_text(Path("bao_cao.docx"), buffer.getvalue())
    assert "DOCX" in str(error.value)


# --------------------------------------------------------------------------- HTML


HTML_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kết luận Hội nghị Tỉnh ủy</title>
<script>var trackingCode = "ga-analytics-code"; function menuToggle(){ return 1; }</script>
<style>.menu { color: red }</style></head>
<body>
<header><nav class="menu"><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu chung</a></li>
<li><a href="/tin-tuc">Tin tức sự kiện</a></li><li><a href="/lien-he">Liên hệ góp ý</a></li>
</ul></nav></header>
<main><article>
<h1>Kết luận Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15</h1>
<p>Ban Chấp hành Đảng bộ tỉnh Bắc Ninh đã thảo luận và thống nhất các mục tiêu chủ yếu năm 2023 với nhiều chỉ tiêu quan trọng về phát triển kinh tế - xã hội.</p>
<h2>II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023</h2>
<p>(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.</p>
<p>(6) Tổng thu ngân sách nhà nước 31.630 tỷ đồng; trong đó, thu nội địa 23.820 tỷ đồng.</p>
<p>(10) Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.</p>
</article></main>
<aside class="sidebar"><h3>Tin liên quan</h3><ul><li><a href="/a">Dự báo thời tiết cuối tuần</a></li></ul></aside>
<footer><p>Bản quyền thuộc Cổng thông tin điện tử tỉnh Bắc Ninh</p>
<p>Địa chỉ: Số 10 đường Phù Đổng Thiên Vương. Điện thoại: 0222 3822 111</p></footer>
<script>document.write("popup-advert-script");</script>
</body></html>"""
HTML_BODY = [
    "Ban Chấp hành Đảng bộ tỉnh Bắc Ninh đã thảo luận và thống nhất các mục tiêu chủ yếu năm 2023 với nhiều "
    "chỉ tiêu quan trọng về phát triển kinh tế - xã hội.",
    "II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023",
    "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
    "(6) Tổng thu ngân sách nhà nước 31.630 tỷ đồng; trong đó, thu nội địa 23.820 tỷ đồng.",
    "(10) Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.",
]
HTML_BOILERPLATE = [
    "ga-analytics-code", "menuToggle", "popup-advert-script", "color: red", "Giới thiệu chung",
    "Tin tức sự kiện", "Liên hệ góp ý", "Dự báo thời tiết", "Bản quyền", "0222 3822 111",
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_html_main_text_comes_out_and_boilerplate_does_not(encoding):
    text = load_file_text(Path("trang.html"), HTML_PAGE.encode(encoding))
    lines = lines_of(text)
    for expected in HTML_BODY:
        assert expected in lines
    for leftover in HTML_BOILERPLATE:
        assert leftover not in text, leftover
    assert lines.index(HTML_BODY[1]) < lines.index(HTML_BODY[2])


def test_html_without_main_text_is_refused():
    page = "<html><head><script>var x = 1;</script></head><body><div>  </div></body></html>"
    with pytest.raises(IngestError) as error:
        load_html(page.encode())
    assert "no main text" in str(error.value)


# --------------------------------------------------------------------------- bad inputs


def _truncated_pdf() -> bytes:
    data = make_pdf([PDF_LINES])
    return data[: len(data) // 2]


BAD_INPUTS = [
    ("rong.txt", lambda: b"", ["empty"]),
    ("khoang_trang.txt", lambda: b"  \n\n\t   \r\n  ", ["empty", "whitespace"]),
    ("anh.txt", make_png, ["binary"]),
    ("cat_cut.pdf", _truncated_pdf, ["damaged", "truncated"]),
    ("khoa.pdf", lambda: make_encrypted_pdf(make_pdf([PDF_LINES])), ["encrypted"]),
    ("ban_quet.pdf", make_textless_pdf, ["no text layer", "OCR"]),
    ("khong_phai_zip.docx", lambda: "Đây là văn bản thường, không phải tệp Word.".encode(), ["not a valid Word file"]),
    ("bang_tinh.xlsx", lambda: b"PK\x03\x04 spreadsheet", ["unsupported file type", ".xlsx"]),
    ("khong_duoi", lambda: BODY.encode(), ["unsupported file type"]),
]


@pytest.mark.parametrize(("name", "make", "words"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_ingest_error_with_a_clear_reason(name, make, words):
    with pytest.raises(IngestError) as error:
        load_file_text(Path(name), make())
    message = str(error.value)
    assert any(word in message for word in words), message
    assert len(message) > 15  # a sentence a person can act on, not a bare code


def test_unsupported_extension_lists_what_is_supported():
    with pytest.raises(IngestError) as error:
        load_file_text(Path("bang_tinh.xlsx"), b"anything")
    for suffix in (".txt", ".pdf", ".docx", ".html", ".md"):
        assert suffix in str(error.value)
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


@pytest.mark.parametrize("name", ["rong.pdf", "rong.docx", "rong.html", "rong.md"])
def test_empty_file_of_any_format_is_refused(name):
    with pytest.raises(IngestError):
        load_file_text(Path(name), b"")
