"""One loader per file format: file bytes in, plain text with the document's line structure out.

Each loader raises :class:`IngestError` with a reason a person can act on ("encrypted PDF",
"scanned PDF without a text layer", ...). Cleaning and chunking happen later, on the text.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from hoidap.ingest.decode import DecodedText, decode_bytes
from hoidap.ingest.errors import IngestError
from hoidap.ingest.pages import page_mark
from hoidap.ingest.tables import table_text

# A DOCX is a zip: refuse archives that would expand past this, or expand suspiciously well.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
# The HTML parser (libxml2) silently drops everything nested deeper than 256 elements; real pages
# never come close, so a page that does is refused rather than stored with its text cut off.
MAX_HTML_DEPTH = 250


def load_text(data: bytes) -> str:
    return decode_bytes(data)


def load_markdown(data: bytes) -> str:
    text = decode_bytes(data)
    stripped = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)  # "## II. Chỉ tiêu" -> "II. Chỉ tiêu"
    return DecodedText.of(stripped, text.encoding)


def _html_depth(html: str) -> int:
    """How deep the page's elements nest, measured with the parser's depth limit lifted."""
    import lxml.html

    markup = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str input that declares an encoding
    try:
        root = lxml.html.fromstring(markup, parser=lxml.html.HTMLParser(huge_tree=True))
    except Exception:  # unparseable: trafilatura reports it below
        return 0
    depth = {root: 1}
    for element in root.iterdescendants():
        depth[element] = depth[element.getparent()] + 1
    return max(depth.values())


def _html_grid(table) -> list[list[str]]:
    """A <table> as a grid, a cell spanning rows or columns repeated in each (as python-docx does)."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.xpath(".//tr")):
        c = 0
        for cell in row.xpath("./th|./td"):
            while (r, c) in grid:
                c += 1
            text = " ".join(cell.text_content().split())
            try:
                rows, cols = int(cell.get("rowspan", 1) or 1), int(cell.get("colspan", 1) or 1)
            except ValueError:
                rows, cols = 1, 1
            for dr in range(min(rows, 50)):
                for dc in range(min(cols, 50)):
                    grid[(r + dr, c + dc)] = text
            c += cols
    if not grid:
        return []
    height, width = max(r for r, _ in grid) + 1, max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def _tables_as_rows(html: str) -> str:
    """The page with each table of figures replaced by its row lines (``ingest.tables``), one
    paragraph each, so the text extractor keeps every figure's row and column."""
    if "<table" not in html.lower():
        return html
    import lxml.html

    markup = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.fromstring(markup)
    except Exception:  # noqa: BLE001 - unparseable here: trafilatura reads (or refuses) it as it is
        return html
    changed = False
    for table in root.xpath("//table[not(ancestor::table)]"):
        rows = table_text(_html_grid(table))
        if not rows:
            continue
        block = lxml.html.fromstring("<div>" + "".join(f"<p>{_escape(line)}</p>" for line in rows.split("\n")) + "</div>")
        table.getparent().replace(table, block)
        changed = True
    return lxml.html.tostring(root, encoding="unicode") if changed else html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def load_html(data: bytes) -> str:
    import trafilatura

    html = decode_bytes(data)
    depth = _html_depth(html)
    if depth > MAX_HTML_DEPTH:
        raise IngestError(
            f"the HTML nests elements {depth}+ levels deep (limit {MAX_HTML_DEPTH}): its text cannot be read "
            "completely; save the page as plain text and try again"
        )
    try:
        text = trafilatura.extract(
            _tables_as_rows(html), include_tables=True, include_comments=False, include_links=False, favor_recall=True, deduplicate=False
        )
    except RecursionError as exc:
        raise IngestError("the HTML is nested too deeply to be read") from exc
    if not text or not text.strip():
        raise IngestError("no main text found in the HTML page")
    return DecodedText.of(text, html.encoding)


class LoadedPdf(str):
    """A PDF's text, pages separated by page markers (``ingest.pages``), with what OCR read."""

    page_count: int = 0
    ocr_pages: frozenset[int] = frozenset()  # 1-based pages whose text came from OCR
    doubtful: dict[int, list[str]] = {}  # per OCR page, the numbers OCR was unsure of
    ocr_confidence: dict[int, float] = {}  # per OCR page, the mean word confidence
    ocr_skew: dict[int, float] = {}  # per OCR page, the degrees it was turned back
    ocr_boxes: dict[int, dict[str, list]] = {}  # per OCR page, where each number was read (ingest.ocr)


# A page with fewer characters of text than this has no text layer worth the name: it is OCR'd.
MIN_PAGE_CHARS = 20
# Called around each page OCR reads: (page, page count, "ocr" when it starts, "ocr done" when it
# ends). Set by whoever shows progress (``app.ingest_progress``); OCR takes seconds a page.
PAGE_PROGRESS: ContextVar[Callable[[int, int, str], None] | None] = ContextVar("PAGE_PROGRESS", default=None)


def _plumber_page_text(page) -> str:
    """A pdfplumber page's text with each table of figures as row lines (``ingest.tables``) in its
    place, and the text around the tables read band by band."""
    kept = []
    for table in page.find_tables():
        rows = table_text(table.extract())
        if rows:
            kept.append((table.bbox, rows))
    if not kept:
        return page.extract_text() or ""

    def text_in(x0: float, y0: float, x1: float, y1: float) -> str:
        x0, y0 = max(x0, page.bbox[0]), max(y0, page.bbox[1])
        x1, y1 = min(x1, page.bbox[2]), min(y1, page.bbox[3])
        if x1 - x0 < 1 or y1 - y0 < 1:
            return ""
        return page.crop((x0, y0, x1, y1)).extract_text() or ""

    pieces, top = [], page.bbox[1]
    for (x0, y0, x1, y1), rows in sorted(kept, key=lambda item: item[0][1]):
        pieces.append(text_in(page.bbox[0], top, page.bbox[2], y0))
        pieces.append(rows)
        pieces.append(text_in(page.bbox[0], y0, x0, y1))  # beside the table
        pieces.append(text_in(x1, y0, page.bbox[2], y1))
        top = y1
    pieces.append(text_in(page.bbox[0], top, page.bbox[2], page.bbox[3]))
    return "\n".join(piece for piece in pieces if piece.strip())


def _text_pages(data: bytes, count: int, layer: list[str]) -> list[str]:
    """Each page's text with its tables kept (pdfplumber); pypdf's text where pdfplumber fails."""
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_plumber_page_text(page) if len(layer[n].strip()) >= MIN_PAGE_CHARS else "" for n, page in enumerate(pdf.pages)]
    except Exception:  # noqa: BLE001 - pdfminer fails on some files pypdf reads: keep pypdf's text
        return [text if len(text.strip()) >= MIN_PAGE_CHARS else "" for text in layer]


def load_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("the PDF is encrypted (password protected)")
        layer = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(f"the PDF is damaged or truncated ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises assorted errors on broken files
        if "encrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise IngestError("the PDF is encrypted and cannot be read") from exc
        raise IngestError(f"the PDF could not be read ({type(exc).__name__})") from exc
    count = len(layer)
    progress = PAGE_PROGRESS.get()
    pages = _text_pages(data, count, layer)  # an owner-protected PDF (empty user password) too
    scanned = [n for n, text in enumerate(pages) if len(text.strip()) < MIN_PAGE_CHARS]
    ocr_pages, doubtful, confidence, skew, boxes = set(), {}, {}, {}, {}
    if scanned:
        from hoidap.ingest import ocr

        ocr.require_tools()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scan.pdf"
            path.write_bytes(data)
            for n in scanned:
                if progress:
                    progress(n + 1, count, "ocr")
                read = ocr.ocr_pdf_page(path, n + 1)
                if progress:
                    progress(n + 1, count, "ocr done")
                if read.text.strip():
                    pages[n] = read.text
                    ocr_pages.add(n + 1)
                    doubtful[n + 1] = read.doubtful
                    confidence[n + 1] = read.mean_confidence
                    skew[n + 1], boxes[n + 1] = read.skew, read.boxes
    if not any(text.strip() for text in pages):
        raise IngestError("the PDF has no text layer and OCR found no text on its pages (a blank or unreadable scan?)")
    text = LoadedPdf(
        "\n\n".join(text if n == 0 else f"{page_mark(n + 1)}\n{text}" for n, text in enumerate(pages))
    )
    text.page_count, text.ocr_pages, text.doubtful, text.ocr_confidence = count, frozenset(ocr_pages), doubtful, confidence
    text.ocr_skew, text.ocr_boxes = skew, boxes
    return text


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError("the DOCX is not a valid Word file (damaged zip)") from exc
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNZIPPED_BYTES or total > MAX_ZIP_RATIO * max(len(data), 1) + 10_000_000:
        raise IngestError("the DOCX expands to an implausible size (zip bomb?); refused")


def load_docx(data: bytes) -> str:
    import docx

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise IngestError(f"the DOCX could not be read ({type(exc).__name__})") from exc
    from docx.table import Table

    # Body order matters: a table of figures sits under the heading that says what year it is about.
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # A merged cell is repeated in every row and column it covers (python-docx).
            grid = [[cell.text.strip() for cell in row.cells] for row in block.rows]
            rows = table_text(grid)
            lines.extend(rows.split("\n") if rows else [" | ".join(row) for row in grid])
        else:
            lines.append(block.text)
    text = "\n\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise IngestError("the DOCX holds no text")
    return text


LOADERS: dict[str, Callable[[bytes], str]] = {
    ".txt": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}

SUPPORTED_SUFFIXES = tuple(sorted(LOADERS))


def load_file_text(path: Path, data: bytes) -> str:
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise IngestError(
            f"unsupported file type '{path.suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return loader(data)
