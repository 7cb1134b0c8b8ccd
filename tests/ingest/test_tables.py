"""Tables of indicators: every cell keeps its row (indicator), unit and column (role and year)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoidap.eval.official_corpus import BUDGET_ROWS, ROWS, generate
from hoidap.ingest.document import parse_document
from hoidap.ingest.facts import ChunkContext, chunk_facts, table_row_facts
from hoidap.ingest.loaders import load_docx, load_html, load_pdf
from hoidap.ingest.tables import column_role, parse_row, row_line, table_rows, table_text

MERGED = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022", "Năm 2023", None, "Năm 2024"],
    [None, None, None, "Thực hiện", "Kế hoạch", "Ước thực hiện", "Kế hoạch"],
    ["1", "Kim ngạch xuất khẩu", "triệu USD", "3.270", "3.570", "3.223", "3.054"],
    ["2", "Tỷ lệ hộ nghèo", "%", "4,32", "4,55", "3,90", "4,09"],
]
CONTEXT = ChunkContext(["Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU"], "target", [2022, 2023, 2024])


@pytest.mark.parametrize(("header", "role", "year"), [
    ("Ước thực hiện 2023", "estimate", 2023),  # not "result": "ước" comes first
    ("Ước TH năm 2023", "estimate", 2023),
    ("Thực hiện năm 2022", "result", 2022),
    ("KH 2024", "plan", 2024),
    ("Dự toán 2024", "plan", 2024),
    ("Mục tiêu 2025", "target", 2025),
    ("So sánh (%) UTH/KH", "comparison", None),
])
def test_column_role_from_header_words(header, role, year):
    assert column_role(header) == (role, year)


def test_merged_header_cells_give_each_column_its_year_and_role():
    rows = table_rows(MERGED)
    assert [r.label for r in rows] == ["Kim ngạch xuất khẩu", "Tỷ lệ hộ nghèo"]
    export = rows[0]
    assert export.unit == "triệu USD"
    assert [(c.role, c.year, c.value) for c in export.cells] == [
        ("result", 2022, "3.270 triệu USD"), ("plan", 2023, "3.570 triệu USD"),
        ("estimate", 2023, "3.223 triệu USD"), ("plan", 2024, "3.054 triệu USD"),
    ]
    assert rows[1].cells[2].value == "3,90%"


def test_a_grid_without_years_or_roles_is_no_table_of_figures():
    grid = [["Họ và tên", "Chức vụ"], ["Nguyễn Văn A", "Chủ tịch"], ["Trần Thị B", "Phó Chủ tịch"]]
    assert table_rows(grid) == [] and table_text(grid) == ""


def test_row_line_reads_back_into_the_same_cells():
    row = table_rows(MERGED)[0]
    line = row_line(row)
    assert "Kim ngạch xuất khẩu (đơn vị: triệu USD)" in line and "Ước thực hiện năm 2023: 3.223 triệu USD" in line
    back = parse_row(line)
    assert back.label == row.label and back.unit == row.unit
    assert [(c.role, c.year, c.value) for c in back.cells] == [(c.role, c.year, c.value) for c in row.cells]
    assert parse_row("Kim ngạch xuất khẩu đạt 3.270 triệu USD.") is None


def test_each_cell_is_a_fact_with_its_column_role_and_year():
    line = table_text(MERGED).split("\n")[0]
    facts = table_row_facts(line, CONTEXT)
    assert {(f.role, tuple(f.years), f.value) for f in facts} == {
        ("result", (2022,), "3.270 triệu USD"), ("plan", (2023,), "3.570 triệu USD"),
        ("estimate", (2023,), "3.223 triệu USD"), ("plan", (2024,), "3.054 triệu USD"),
    }
    assert {f.indicator for f in facts} == {"export"} and {f.measure for f in facts} == {"level"}
    # the chunk's sentence parser must not add facts of its own for a row (wrong roles, "target" from the heading)
    assert len(chunk_facts(line, CONTEXT)) == 4


def test_a_comparison_column_gives_no_fact():
    grid = [
        ["Chỉ tiêu", "ĐVT", "Kế hoạch 2023", "Ước thực hiện 2023", "So sánh (%)"],
        ["Thu ngân sách nhà nước", "tỷ đồng", "12.000", "12.500", "104,2"],
    ]
    facts = table_row_facts(table_text(grid), CONTEXT)
    assert [f.value for f in facts] == ["12.000 tỷ đồng", "12.500 tỷ đồng"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("official")
    return out / "files", generate(out, seed=3, scans=False)


def _truth_cells(truth: dict, source: str) -> set[tuple[str, str, int, str]]:
    return {(f["label"], f["role"], f["year"], f["value"]) for f in truth["figures"] if f["source"] == source and f["kind"] == "table"}


def _cells_in(text: str) -> set[tuple[str, str, int, str]]:
    found = set()
    for line in text.split("\n"):
        row = parse_row(line)
        if row:
            found |= {(row.label, c.role, c.year, c.value) for c in row.cells}
    return found


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_every_generated_table_cell_is_read_with_its_row_and_column(corpus, kind):
    files, truth = corpus
    loader = {"pdf": load_pdf, "docx": load_docx, "html": load_html}[kind]
    for path in sorted((files / kind).iterdir()):
        expected = _truth_cells(truth, path.name)
        assert len(expected) == 4 * (len(ROWS) + len(BUDGET_ROWS))
        assert _cells_in(loader(path.read_bytes())) == expected


def test_pdf_chunks_carry_the_page_their_figures_are_printed_on(corpus):
    files, truth = corpus
    path = sorted((files / "pdf").iterdir())[0]
    parsed = parse_document(path.name, path, path.read_bytes())
    pages = {}
    for chunk in parsed.chunks:
        assert chunk.page >= 1 and "⟦" not in chunk.body
        for line in chunk.body.split("\n"):
            if row := parse_row(line):
                pages[row.label] = chunk.page
    printed = {f["label"]: f["page"] for f in truth["figures"] if f["source"] == path.name and f["kind"] == "table"}
    assert pages == printed
    assert {3, 4} <= set(pages.values())  # the portrait appendix and the landscape budget table
    assert any(c.page == 2 and "(1)" in c.body for c in parsed.chunks)  # the numbered targets' page


def test_an_owner_protected_pdf_keeps_its_tables(corpus):
    """Official PDFs often lock copying with an owner password and no user password: still readable."""
    import io

    from pypdf import PdfReader, PdfWriter

    files, truth = corpus
    path = sorted((files / "pdf").iterdir())[0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(path.read_bytes())))
    writer.encrypt(user_password="", owner_password="khoa", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)
    assert _cells_in(load_pdf(locked.getvalue())) == _truth_cells(truth, path.name)


def test_a_row_with_text_glued_on_ends_there():
    """Two rows glued into one line (a scan's lost line break) never lend the second row's cells to the first."""
    glued = ("Thu nội địa (đơn vị: tỷ đồng) | Thực hiện năm 2022: 8.329 tỷ đồng | Kế hoạch năm 2024: 8.661 tỷ đồng "
             "Tổng chi ngân sách địa phương (đơn vị: tỷ đồng) | Thực hiện năm 2022: 14.902 tỷ đồng")
    row = parse_row(glued)
    assert [(c.role, c.year, c.value) for c in row.cells] == [("result", 2022, "8.329 tỷ đồng")]


def test_table_rows_are_chunk_units_of_their_own():
    from hoidap.ingest.chunking import chunk_text

    rows = table_text(MERGED).split("\n")
    body = "(3) Tỷ lệ đô thị hóa đạt 36,0%.\n" + "\n".join(rows * 4)
    for chunk in chunk_text(body, 400):
        for line in chunk.body.split("\n"):
            assert line.count("(đơn vị:") <= 1
