"""One loader per file format: file bytes in, plain text with the document's line structure out.

Each loader raises :class:`IngestError` with a reason a person can act on ("encrypted PDF",
"scanned PDF without a text layer", ...). Cleaning and chunking happen later, on the text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from hoidap.ingest.decode import DecodedText, decode_bytes
from hoidap.ingest.errors import IngestError

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
            html, include_tables=True, include_comments=False, include_links=False, favor_recall=True, deduplicate=False
        )
    except RecursionError as exc:
        raise IngestError("the HTML is nested too deeply to be read") from exc
    if not text or not text.strip():
        raise IngestError("no main text found in the HTML page")
    return DecodedText.of(text, html.encoding)


def load_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("the PDF is encrypted (password protected)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(f"the PDF is damaged or truncated ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises assorted errors on broken files
        if "encrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise IngestError("the PDF is encrypted and cannot be read") from exc
        raise IngestError(f"the PDF could not be read ({type(exc).__name__})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise IngestError("the PDF has no text layer (a scan?): run OCR on it first")
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
            for row in block.rows:
                lines.append(" | ".join(cell.text.strip() for cell in row.cells))
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
