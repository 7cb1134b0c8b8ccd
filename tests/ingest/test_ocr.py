"""OCR of scanned pages: straightened, tables read cell by cell, unsure numbers named."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from hoidap.ingest import ocr
from hoidap.ingest.errors import IngestError
from hoidap.ingest.facts import Fact, mark_ocr
from hoidap.ingest.ocr import Grid, Word, doubtful_number, estimate_skew, find_grids, grid_cells
from hoidap.ingest.tables import parse_row


def _word(text: str, confidence: float = 96.0) -> Word:
    return Word(text, confidence, 0, 0, 10, 10, (1, 1, 1))


@pytest.mark.parametrize(("text", "confidence", "doubtful"), [
    ("38.287", 96, False),
    ("6,8%", 95, False),
    ("38.287", 71, True),  # low confidence
    ("1.2O5", 97, True),  # a letter among the digits
    ("7.8", 97, True),  # a dot that groups one digit: no Vietnamese figure looks like this
    ("38.28", 97, True),
    ("Kế", 20, False),  # a word without digits is no figure
])
def test_doubtful_numbers(text, confidence, doubtful):
    assert doubtful_number(_word(text, confidence)) is doubtful


def test_facts_of_unsure_numbers_are_marked():
    facts = [Fact("export", "", "3.270 triệu USD", 3270, "triệu USD", "level", "plan", "year", [2024]),
             Fact("poverty", "", "4,32%", 4.32, "%", "level", "plan", "year", [2024])]
    marked = mark_ocr(facts, True, ["4,32%"])
    assert [f.ocr for f in marked] == ["read", "unsure"]
    assert [f.ocr for f in mark_ocr([Fact("x", "", "1 ha", 1, "ha", "level", "", "year")], False, ["1"])] == [""]


def _ruled_page(merged: bool = True):
    """A white page with a 3-row, 4-column ruled table; the top row's middle rule left out when merged."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    ys, xs = [200, 300, 400, 500], [100, 400, 700, 1000, 1100]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        top = ys[1] if merged and x == 700 else ys[0]
        draw.line([(x, top), (x, ys[-1])], fill=0, width=3)
    return image


def test_ruled_table_found_with_its_merged_cell():
    from PIL import Image

    grids = find_grids(_ruled_page())
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.rows) == 4 and len(grid.cols) == 5
    cells = dict(grid_cells(_ruled_page(), grid))
    assert (0, 2) not in cells  # covered by the merged cell that starts at (0, 1)
    x0, _, x1, _ = cells[(0, 1)]
    assert x0 < 420 and x1 > 980
    assert len(cells) == 3 * 4 - 1
    assert isinstance(grid, Grid) and Image  # noqa: B015


def test_skew_estimate_finds_the_turn():
    from PIL import Image, ImageDraw

    image = Image.new("L", (1600, 1200), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 1100, 40):
        draw.rectangle([100, y, 1500, y + 12], fill=0)  # lines of "text"
    turned = image.rotate(-0.8, resample=Image.BICUBIC, fillcolor=255)
    assert abs(estimate_skew(turned) - 0.8) <= 0.15


def test_missing_tools_named_in_the_refusal(monkeypatch):
    monkeypatch.setattr(ocr, "missing_tools", lambda: ["tesseract", "pdftoppm"])
    with pytest.raises(IngestError) as error:
        ocr.require_tools()
    assert "tesseract-ocr" in str(error.value) and "tesseract-ocr-vie" in str(error.value) and "poppler-utils" in str(error.value)


@pytest.mark.slow
def test_scanned_appendix_table_read_with_rows_columns_and_doubts(tmp_path):
    """A generated appendix page (merged header cells) scanned with skew, blur and noise: most cells come
    back in the right row and column, and no cell read wrong is left unflagged."""
    if ocr.missing_tools():
        pytest.fail(f"OCR tools missing: {ocr.missing_tools()} (scripts/setup-test-system.sh installs them)")
    from hoidap.eval.official_corpus import figures_of, make_report, scan_pdf, write_pdf

    report = make_report("Bắc Ninh", "merged", random.Random(5))
    write_pdf(report, tmp_path / "r.pdf")
    subprocess.run(["pdfseparate", "-f", "3", "-l", "3", str(tmp_path / "r.pdf"), str(tmp_path / "p3.pdf")], check=True)
    scan_pdf(tmp_path / "p3.pdf", tmp_path / "scan.pdf", random.Random(1))
    page = ocr.ocr_pdf_page(Path(tmp_path / "scan.pdf"), 1)
    assert abs(page.skew) <= 1.0
    read = {}
    for line in page.text.split("\n"):
        if row := parse_row(line):
            read |= {(row.label, c.role, c.year): c.value for c in row.cells}
    truth = [f for f in figures_of(report, "r.pdf", None) if f.kind == "table" and f.indicator not in ("domestic_revenue", "budget_spending", "public_investment")]
    right = sum(read.get((f.label, f.role, f.year)) == f.value for f in truth)
    assert right >= 0.8 * len(truth), (right, len(truth), page.text)
    doubtful = {d.rstrip("%") for d in page.doubtful}
    for f in truth:
        got = read.get((f.label, f.role, f.year))
        if got and got != f.value:
            assert got.split()[0].rstrip("%") in doubtful, f"misread {got} (truth {f.value}) not flagged"
    # the page as OCR saw it, with where it read a figure boxed (what the reader checks it against)
    import io

    import numpy as np
    from PIL import Image

    from hoidap.ingest.page_image import scanned_page_png

    value = next(f.value for f in truth if read.get((f.label, f.role, f.year)) == f.value)
    assert page.boxes.get(ocr.number_token(value.split()[0]))
    png = scanned_page_png(tmp_path / "scan.pdf", 1, [value], page.boxes, page.skew)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert ((pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)).sum() > 100
