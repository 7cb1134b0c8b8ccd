"""Tables of indicators as text that keeps each figure's row and column.

An appendix table ("Phụ lục: Một số chỉ tiêu chủ yếu") prints a figure under a column header that
says its year and role ("Năm 2023" over "Kế hoạch | Ước thực hiện") beside a row label that says its
indicator, with the unit in a column of its own. Flattened to a run of numbers, all of that is lost.
Here a table grid (from a PDF, a DOCX or an HTML page) becomes one line per row:

    Kim ngạch xuất khẩu (đơn vị: triệu USD) | Thực hiện năm 2022: 3.270 triệu USD | Kế hoạch năm 2023: ...

that people can read in a citation and :mod:`ingest.facts` turns back into one typed fact per cell
(:func:`parse_row`), with the role and year of its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoidap.ingest.normalize import fold_for_match
from hoidap.ingest.periods import YEAR_NUMBER, years_in

# Column roles, by the header's words (accent-free, lower case); the first that matches wins.
_COLUMN_ROLES = (
    ("comparison", re.compile(r"so sanh|ty le %|\(%\)\s*$|^%$|tang giam|so voi")),
    ("estimate", re.compile(r"\buoc\b|uoc tinh|uoc th|uoc thuc hien|uoc dat|\buth\b")),
    ("result", re.compile(r"thuc hien|\bth\b|thuc te|ket qua")),
    ("plan", re.compile(r"ke hoach|\bkh\b|du toan|nghi quyet|\bnq\b")),
    ("target", re.compile(r"muc tieu|chi tieu")),
)
ROLE_WORDS = {"result": "Thực hiện", "estimate": "Ước thực hiện", "plan": "Kế hoạch", "target": "Mục tiêu"}
_LABEL_HEADER = re.compile(r"^(chi tieu|noi dung|danh muc|ten chi tieu|linh vuc)")
_UNIT_HEADER = re.compile(r"^(dvt|don vi|don vi tinh|đvt)\b")
_ORDINAL_HEADER = re.compile(r"^(stt|tt|so tt|so thu tu)$")
_NUMBER_CELL = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^[-+]?\d+(?:,\d+)?$")
ROW_MARK = "(đơn vị: "
_ROW = re.compile(r"^(?:[-•]\s*)?(?P<label>[^|]+?) \(đơn vị: (?P<unit>[^)]*)\)(?P<cells>(?: \| [^|:]+: [^|]+)+)\s*$")
_CELL = re.compile(r" \| (?P<header>[^|:]+): (?P<value>[^|]+?)\s*(?=\s\||$)")


@dataclass
class Column:
    index: int
    header: str  # the header words, merged cells included ("Năm 2023 Kế hoạch")
    role: str  # result / estimate / plan / target / comparison / ""
    year: int | None

    @property
    def name(self) -> str:
        """How a row line names the column: "Kế hoạch năm 2024"."""
        if self.role in ROLE_WORDS and self.year:
            return f"{ROLE_WORDS[self.role]} năm {self.year}"
        return re.sub(r"\s+", " ", self.header).strip() or f"Cột {self.index + 1}"


@dataclass
class RowCell:
    header: str
    role: str
    year: int | None
    value: str  # as printed, with the unit


@dataclass
class TableRow:
    label: str
    unit: str
    cells: list[RowCell]


def column_role(header: str) -> tuple[str, int | None]:
    # accent-free, OCR's stray marks gone: "Năm 2022 ˆ Thực . hiện" reads "nam 2022 thuc hien"
    folded = " ".join(re.sub(r"[^a-z0-9%()]+", " ", fold_for_match(header)).split())
    years = years_in(header)
    role = next((name for name, pattern in _COLUMN_ROLES if pattern.search(folded)), "")
    return role, (years[-1] if years else None)


def clean_unit(unit: str) -> str:
    """A unit cell without the stray marks and letters a scan adds ("triệu U o đồng ~" -> "triệu đồng")."""
    if "%" in unit:
        return "%"
    words = [w for w in re.sub(r"[^\w/ ]+", " ", unit).split() if len(w) > 1 or w.isdigit()]
    return " ".join(words)


def is_number(cell: str) -> bool:
    return bool(_NUMBER_CELL.match(cell.strip().replace(" ", "")))


def _clean(cell) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip()


def _fill_spans(rows: list[list[str | None]]) -> list[list[str]]:
    """Header cells a merged cell covers are None (pdfplumber, PyMuPDF) or repeated (python-docx):
    a None below a header row continues the cell above it (a row span, "STT" over two rows), a None
    in the first header row continues the cell on its left (a column span, "Năm 2023" over two)."""
    filled = [[_clean(c) if c is not None else None for c in row] for row in rows]
    for r, row in enumerate(filled):
        for c, cell in enumerate(row):
            if cell is None:
                above = filled[r - 1][c] if r and c < len(filled[r - 1]) else ""
                row[c] = above or (row[c - 1] if c else "") or ""
    return [[c or "" for c in row] for row in filled]


def table_rows(grid: list[list[str | None]]) -> list[TableRow]:
    """The rows of a table grid, each cell with the role and year of its column; [] when the grid
    is not a table of figures (no column names a year or a role)."""
    if not grid:
        return []
    width = max(len(row) for row in grid)
    grid = [list(row) + [""] * (width - len(row)) for row in grid]
    body_start = next(
        (i for i, row in enumerate(grid) if sum(is_number(_clean(c)) for c in row) >= 2 and not YEAR_NUMBER.search(" ".join(_clean(c) for c in row if not is_number(_clean(c))) or "")),
        None,
    )
    if not body_start:
        return []
    header = _fill_spans(grid[:body_start])
    body = [[_clean(c) for c in row] for row in grid[body_start:]]
    headers = []
    for c in range(width):
        words: list[str] = []
        for row in header:
            if row[c] and row[c] not in words:
                words.append(row[c])
        headers.append(" ".join(words))
    folded = [fold_for_match(h) for h in headers]
    unit_col = next((c for c, h in enumerate(folded) if _UNIT_HEADER.match(h)), None)
    skip = {c for c, h in enumerate(folded) if _ORDINAL_HEADER.match(h) or re.sub(r"[^a-z]", "", h) in ("stt", "tt")}
    label_col = next((c for c, h in enumerate(folded) if _LABEL_HEADER.match(h)), None)
    if label_col is None:  # the column with the most words
        candidates = [c for c in range(width) if c not in skip and c != unit_col]
        label_col = max(candidates, key=lambda c: sum(len(r[c]) for r in body if not is_number(r[c])), default=None)
    columns = []
    for c in range(width):
        if c in skip or c in (unit_col, label_col):
            continue
        role, year = column_role(headers[c])
        columns.append(Column(c, headers[c], role, year))
    if not any(col.role or col.year for col in columns):
        return []
    rows = []
    for row in body:
        label = row[label_col] if label_col is not None else ""
        if not label or is_number(label):
            continue
        unit = clean_unit(row[unit_col]) if unit_col is not None else ""
        cells = []
        for col in columns:
            value = row[col.index]
            if not value or not is_number(value):
                continue
            printed = f"{value}%" if unit == "%" else f"{value} {unit}".strip()
            cells.append(RowCell(col.name, col.role, col.year, printed))
        if cells:
            rows.append(TableRow(label, unit, cells))
    return rows


def row_line(row: TableRow) -> str:
    """One row as a line that names its indicator, unit and each column: readable, and parsed back
    by :func:`parse_row`."""
    label = row.label.replace("|", "/").replace("(đơn vị:", "(")
    cells = " | ".join(f"{cell.header.replace(':', ' ').replace('|', '/')}: {cell.value}" for cell in row.cells)
    return f"{label} {ROW_MARK}{row.unit or '-'}) | {cells}"


def table_text(grid: list[list[str | None]]) -> str:
    """The table as row lines, or "" when it is no table of figures (then the caller keeps its text)."""
    return "\n".join(row_line(row) for row in table_rows(grid))


def parse_row(line: str) -> TableRow | None:
    """A row line back into its label, unit and cells (None for any other line)."""
    match = _ROW.match(line.strip())
    if not match:
        return None
    unit = match.group("unit").strip()
    unit = "" if unit == "-" else unit
    # A cell is a number with the row's unit and nothing else: text glued after it is no part of it.
    value_shape = re.compile(rf"[-+]?(?:\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s?{re.escape(unit)})?" if unit else r"[-+]?[\d.,]+")
    cells = []
    for cell in _CELL.finditer(match.group("cells")):
        value = cell.group("value").strip()
        if not value_shape.fullmatch(value):
            break  # text glued on (another row?): nothing after it belongs to this row
        role, year = column_role(cell.group("header"))
        cells.append(RowCell(cell.group("header").strip(), role, year, value))
    return TableRow(match.group("label").strip(), unit, cells)
