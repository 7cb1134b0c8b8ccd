"""Which page of a PDF each chunk comes from, so a citation can name it.

The PDF loader puts a marker line at the start of every page after the first; cleaning and chunking
keep it like any other line, and :func:`assign_pages` then gives each chunk the page its text starts
on and removes the markers.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"\s*⟦trang (\d+)⟧\s*")


def page_mark(number: int) -> str:
    return f"⟦trang {number}⟧"


def strip_page_marks(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", _MARK.sub(lambda m: "\n" if "\n" in m.group(0) else " ", text)).strip()


def assign_pages(chunks: list) -> list:
    """Chunks (``ingest.chunking.Chunk``) with ``page`` set and the markers gone; a chunk that held
    only markers is dropped and the rest renumbered."""
    page = 1
    kept = []
    for chunk in chunks:
        start_page = None
        position = 0
        for match in _MARK.finditer(chunk.body):
            if start_page is None and chunk.body[position : match.start()].strip():
                start_page = page
            page = int(match.group(1))
            position = match.end()
        if start_page is None and chunk.body[position:].strip():
            start_page = page
        if start_page is None:
            continue
        chunk.body = strip_page_marks(chunk.body)
        chunk.section = [strip_page_marks(s) for s in chunk.section]
        chunk.page = start_page
        chunk.index = len(kept)
        kept.append(chunk)
    return kept
