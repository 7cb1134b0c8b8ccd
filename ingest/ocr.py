"""Text for scanned pages: Tesseract's Vietnamese model, with every figure it was unsure of named.

A page without a text layer is rendered (pdftoppm, poppler-utils), straightened (the skew that
maximises the row profile's contrast), and read by ``tesseract -l vie`` with a confidence per word
(TSV). Ruled tables are found from their lines, and each word is placed in its cell, so a scanned
appendix table keeps its rows and columns like a text PDF's (:mod:`ingest.tables`).

OCR misreads digits, and a misread digit is a confident wrong figure. So every number OCR read with
low confidence, or in a shape no Vietnamese figure has ("1.2O5", "38.28", "7.8"), is listed as
doubtful; facts made from it are marked and the answer flags it "OCR — kiểm tra bản gốc".

System tools (Debian): tesseract-ocr, tesseract-ocr-vie, poppler-utils.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hoidap.ingest.errors import IngestError
from hoidap.ingest.tables import table_text

DPI = 300
LANGUAGE = "vie"
# A number read with a word confidence under this is doubtful (Tesseract's 0-100 scale). Set on the
# generated scans (eval.documents_real reports misread figures flagged and not flagged): a misread
# read with more confidence than this, in a well-formed shape, would pass as certain.
MIN_NUMBER_CONFIDENCE = 93.0
DEBIAN_PACKAGES = "tesseract-ocr tesseract-ocr-vie poppler-utils"
_DIGIT = re.compile(r"\d")
# A figure as Vietnamese documents print it: "1.250", "6,8", "38.287,5", "12".
_WELL_FORMED = re.compile(r"^[-+(]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)[%)]?[.,;:]?$")


@dataclass
class Word:
    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


@dataclass
class OcrPage:
    number: int  # 1-based
    text: str
    doubtful: list[str] = field(default_factory=list)  # numbers as printed that OCR was unsure of
    words: int = 0
    mean_confidence: float = 0.0
    skew: float = 0.0  # degrees the page was turned back
    # Where each number was read: token ("38.287", "6,8") -> boxes (x0, y0, x1, y1) on the page
    # rendered at DPI and turned back by ``skew`` (what ``ingest.page_image`` marks).
    boxes: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def missing_tools() -> list[str]:
    """What OCR needs and this machine lacks (empty when OCR can run)."""
    missing = [tool for tool in ("tesseract", "pdftoppm") if shutil.which(tool) is None]
    if "tesseract" not in missing:
        languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
        if LANGUAGE not in languages:
            missing.append("tesseract-ocr-vie")
    return missing


def require_tools() -> None:
    missing = missing_tools()
    if missing:
        raise IngestError(
            f"the PDF has no text layer (a scan) and OCR is not installed here (missing: {', '.join(missing)}); "
            f"install the Debian packages {DEBIAN_PACKAGES} (scripts/setup.sh) or run OCR on it first"
        )


def doubtful_number(word: Word) -> bool:
    """A word holding digits that OCR was unsure of, or that no printed figure looks like."""
    if not _DIGIT.search(word.text):
        return False
    if word.confidence < MIN_NUMBER_CONFIDENCE:
        return True
    core = word.text.strip("()[]")
    return not _WELL_FORMED.match(core) or bool(re.search(r"[A-Za-zÀ-ỹ]", core.rstrip("%")))


def render_page(pdf: Path, number: int, dpi: int = DPI):
    """One page as a greyscale Pillow image."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(number), "-l", str(number), str(pdf), f"{tmp}/p"],
            check=True, capture_output=True,
        )
        produced = sorted(Path(tmp).glob("p*.png"))
        if not produced:
            raise IngestError(f"page {number} of the PDF could not be rendered for OCR")
        with Image.open(produced[0]) as image:
            return image.convert("L")


def ink_threshold(image) -> int:
    """The grey level between ink and paper (Otsu's), so that a pale or blurred scan's thin ruling
    lines still count as ink; kept within 120-210."""
    import numpy as np

    histogram = np.bincount(np.asarray(image).ravel(), minlength=256).astype(float)
    total = histogram.sum()
    if not total:
        return 150
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return int(min(210, max(120, int(np.argmax(between)))))


def estimate_skew(image, limit: float = 2.0, step: float = 0.1) -> float:
    """The angle (degrees) that, turned back, makes text lines horizontal: the one whose row sums of
    dark pixels are most contrasted (lines and gaps sharp), on a quarter-size copy."""
    import numpy as np
    from PIL import Image

    small = image.resize((max(1, image.width // 4), max(1, image.height // 4)))
    ink = ink_threshold(small)
    best, best_score = 0.0, -1.0
    steps = int(round(limit / step))
    for k in range(-steps, steps + 1):
        angle = k * step
        turned = small.rotate(angle, resample=Image.BILINEAR, fillcolor=255) if angle else small
        dark = np.asarray(turned) < ink
        profile = dark.sum(axis=1).astype(float)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(image):
    from PIL import Image

    angle = estimate_skew(image)
    if abs(angle) < 0.05:
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255), angle


def _tsv_words(output: bytes) -> list[tuple[int, Word]]:
    words = []
    reader = csv.DictReader(io.StringIO(output.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append((int(row["page_num"]), Word(
            text, float(row["conf"]), int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]),
            (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        )))
    return words


def _tesseract(images: list, psm: int) -> list[tuple[int, Word]]:
    """Tesseract on one or more images in one process (one model load): (image number, word) pairs."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for number, image in enumerate(images):
            path = Path(tmp) / f"{number:04d}.png"
            image.save(path)
            paths.append(str(path))
        listing = Path(tmp) / "images.txt"
        listing.write_text("\n".join(paths) + "\n")
        done = subprocess.run(
            ["tesseract", str(listing if len(paths) > 1 else paths[0]), "stdout", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
            capture_output=True, check=False,
            # One thread: Tesseract's OpenMP threads spin while they wait, and on a shared machine that
            # costs more than it gains; pages of a batch can run side by side instead.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    if done.returncode != 0:
        raise IngestError(f"OCR failed: {done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return _tsv_words(done.stdout)


def read_words(image) -> list[Word]:
    """Tesseract's words with their confidence and box (TSV output), page layout analysed."""
    return [word for _, word in _tesseract([image], 3)]


def _runs(mask, min_gap: int = 4) -> list[int]:
    """Centres of the runs of True in a 1-D mask (a ruled line blurred over a few pixels is one)."""
    import numpy as np

    positions = np.flatnonzero(mask)
    if not len(positions):
        return []
    groups = np.split(positions, np.flatnonzero(np.diff(positions) > min_gap) + 1)
    return [int(group.mean()) for group in groups]


@dataclass
class Grid:
    rows: list[int]  # y of the horizontal rules, top to bottom
    cols: list[int]  # x of the vertical rules, left to right

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.cols[0], self.rows[0], self.cols[-1], self.rows[-1]


def find_grids(image) -> list[Grid]:
    """Ruled tables: runs of long horizontal rules, with the vertical rules that cross them."""
    import numpy as np

    dark = np.asarray(image) < ink_threshold(image)
    height, width = dark.shape
    rules = _runs(dark.sum(axis=1) > width * 0.35)
    grids: list[Grid] = []
    group: list[int] = []
    for y in rules + [None]:
        if y is not None and (not group or y - group[-1] < height * 0.12):
            group.append(y)
            continue
        if len(group) >= 3:
            band = dark[group[0] : group[-1]]
            crossing = band.mean(axis=0) > 0.55
            cols = _runs(crossing)
            if len(cols) >= 3:
                grids.append(Grid(group, cols))
        group = [y] if y is not None else []
    return grids


def _rule_present(dark, horizontal: bool, at: int, start: int, end: int) -> bool:
    """Whether a rule runs at ``at`` between ``start`` and ``end`` (a merged cell has none inside)."""
    lo, hi = max(at - 4, 0), at + 5
    band = dark[lo:hi, start:end] if horizontal else dark[start:end, lo:hi]
    if band.size == 0:
        return False
    covered = band.any(axis=0 if horizontal else 1)
    return bool(covered.mean() > 0.8)


def grid_cells(image, grid: Grid) -> list[tuple[tuple[int, int], tuple[int, int, int, int]]]:
    """The table's cells as ((row, col) of their top-left, pixel box); merged cells are one box."""
    import numpy as np

    dark = np.asarray(image) < ink_threshold(image)
    rows, cols = len(grid.rows) - 1, len(grid.cols) - 1
    owner = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(cell):
        while owner[cell] != cell:
            cell = owner[cell]
        return cell

    for r in range(rows):
        y0, y1 = grid.rows[r] + 6, grid.rows[r + 1] - 6
        for c in range(cols):
            x0, x1 = grid.cols[c] + 6, grid.cols[c + 1] - 6
            if c + 1 < cols and not _rule_present(dark, False, grid.cols[c + 1], y0, y1):
                owner[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and not _rule_present(dark, True, grid.rows[r + 1], x0, x1):
                owner[find((r + 1, c))] = find((r, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell in owner:
        members.setdefault(find(cell), []).append(cell)
    boxes = []
    for cells in members.values():
        top = min(cells)
        r0, r1 = min(r for r, _ in cells), max(r for r, _ in cells)
        c0, c1 = min(c for _, c in cells), max(c for _, c in cells)
        boxes.append((top, (grid.cols[c0] + 7, grid.rows[r0] + 7, grid.cols[c1 + 1] - 7, grid.rows[r1 + 1] - 7)))
    return sorted(boxes)


def _in_reading_order(words: list[Word]) -> str:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if lines and abs(word.centre[1] - lines[-1][0].centre[1]) < 0.6 * max(word.height, lines[-1][0].height):
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.left))


def _reading_score(words: list[Word]) -> tuple[int, float]:
    """How far a cell's reading can be trusted: no doubtful number first, then the lowest confidence."""
    if not words:
        return (-1, 0.0)
    return (0 if any(doubtful_number(w) for w in words) else 1, min(w.confidence for w in words))


def _has_ink(image) -> bool:
    """Whether a cell holds anything darker than scanner speckle."""
    import numpy as np

    dark = np.asarray(image) < 110
    return int(dark.sum()) > 40


def read_grid(image, grid: Grid) -> tuple[list[list[str | None]], list[Word], list[tuple[str, tuple]]]:
    """Each cell read on its own (one Tesseract process for the table): the cell grid, a merged or
    empty cell None; the words read; each cell's text with its box."""
    boxes = grid_cells(image, grid)
    from PIL import ImageFilter, ImageOps

    # A white margin round each cell: Tesseract finds nothing in a crop whose digits touch its edge.
    crops = [ImageOps.expand(image.crop(box), border=24, fill=255) for _, box in boxes]
    found = _tesseract(crops, 6) if crops else []
    per_cell: dict[int, list[Word]] = {}
    for number, word in found:
        per_cell.setdefault(number - 1, []).append(word)
    # A cell read as nothing, or with a doubtful number, is read again cleaned (speckle removed, black
    # on white): scanner noise is what most often garbles a lone number ("38.275" read "30/2"). The
    # surer reading wins.
    again = [
        index for index in range(len(boxes))
        if (index not in per_cell and _has_ink(crops[index])) or any(doubtful_number(w) for w in per_cell.get(index, []))
    ]
    if again:
        second: dict[int, list[Word]] = {}
        cleaned = []
        for index in again:
            smooth = crops[index].filter(ImageFilter.MedianFilter(3))
            ink = ink_threshold(smooth)
            cleaned.append(smooth.point(lambda v, ink=ink: 255 if v > ink else 0))
        for number, word in _tesseract(cleaned, 6):
            second.setdefault(again[number - 1], []).append(word)
        for index, words in second.items():
            if _reading_score(words) > _reading_score(per_cell.get(index, [])):
                per_cell[index] = words
    table: list[list[str | None]] = [[None] * (len(grid.cols) - 1) for _ in range(len(grid.rows) - 1)]
    placed = []
    for index, ((r, c), box) in enumerate(boxes):
        text = _in_reading_order(per_cell.get(index, [])).strip(" |_—-")
        table[r][c] = text or None
        if text:
            placed.append((text, box))
    return table, [w for words in per_cell.values() for w in words], placed


def page_text(words: list[Word], tables: list[tuple[int, str]]) -> str:
    """The page's lines in reading order, each table's row lines (``tables``: (top, text)) in its place."""
    items: list[tuple[int, str]] = list(tables)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    for line_words in lines.values():
        line_words.sort(key=lambda w: w.left)
        # stray marks a scan leaves at a line's ends ("_. Phụ lục 2:", "'Tổng chi") would hide a heading
        line = " ".join(w.text for w in line_words).strip(" _.-—–'`|~‘’:;,")
        if line:
            items.append((min(w.top for w in line_words), line))
    items.sort(key=lambda item: item[0])
    return "\n".join(text for _, text in items)


def ocr_image(image, number: int = 1) -> OcrPage:
    """OCR of one page image: straightened, tables read cell by cell, the rest as lines."""
    from PIL import ImageDraw

    straight, angle = deskew(image)
    grids = find_grids(straight)
    tables: list[tuple[int, str]] = []
    table_words: list[Word] = []
    boxes: dict[str, list[tuple[int, int, int, int]]] = {}
    rest = straight.copy()
    for grid in grids:
        cells, words, cell_boxes = read_grid(straight, grid)
        for text, box in cell_boxes:
            if _DIGIT.search(text):
                boxes.setdefault(number_token(text), []).append(box)
        rows = table_text(cells)
        if rows:
            tables.append((grid.rows[0], rows))
            table_words += words
            ImageDraw.Draw(rest).rectangle(grid.box, fill=255)  # its words are read: not again as lines
    words = read_words(rest)
    text = page_text(words, tables)
    everything = words + table_words
    doubtful = sorted({w.text.strip("()[].,;:") for w in everything if doubtful_number(w)})
    for word in words:
        if _DIGIT.search(word.text):
            boxes.setdefault(number_token(word.text), []).append((word.left, word.top, word.left + word.width, word.top + word.height))
    mean = sum(w.confidence for w in everything) / len(everything) if everything else 0.0
    return OcrPage(number, text, doubtful, len(everything), round(mean, 1), angle, boxes)


def number_token(text: str) -> str:
    """A number as looked up among the boxes: "(38.287)," and "6,8%" -> "38.287", "6,8"."""
    return text.strip("()[].,;:| ").rstrip("%")


def ocr_pdf_page(pdf: Path, number: int, dpi: int = DPI) -> OcrPage:
    """OCR of one page of a PDF file (1-based page number)."""
    require_tools()
    return ocr_image(render_page(pdf, number, dpi), number)
