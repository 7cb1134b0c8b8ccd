"""The page a PDF citation names, as an image with the cited figure boxed (``GET /api/docs/{source}/
pages/{page}.png?mark=...``): what a reader checks an OCR figure against."""

from __future__ import annotations

from pathlib import Path

from hoidap.ingest.document import document_id
from hoidap.ingest.page_image import scanned_page_png, text_page_png
from hoidap.vectorstore.chroma_store import ChunkStore
from hoidap.vectorstore.records import ocr_boxes


class PageNotFound(LookupError):
    """No stored PDF of that name, no such page, or its file is gone."""


def page_png(store: ChunkStore, source: str, page: int, marks: list[str], region: bool = False) -> bytes:
    """``region``: only the band of the page around the boxed figures."""
    doc_id = document_id(source)
    path = store.document_path(doc_id)
    if not path or Path(path).suffix.lower() != ".pdf" or not Path(path).exists():
        raise PageNotFound(f"No stored PDF named {source!r} whose file is still on the server.")
    got = store.collection.get(
        where={"$and": [{"doc_id": doc_id}, {"page": int(page)}, {"ready": True}]}, include=["metadatas"]
    )
    metadatas = got["metadatas"] or []
    if not metadatas:
        raise PageNotFound(f"{source!r} has no passage on page {page}.")
    scanned = [m for m in metadatas if m.get("ocr")]
    try:
        if scanned:
            boxes: dict[str, list] = {}
            for metadata in scanned:
                for token, found in ocr_boxes(metadata).items():
                    boxes.setdefault(token, []).extend(found)
            return scanned_page_png(Path(path), page, marks, boxes, float(scanned[0].get("ocr_skew", 0.0) or 0.0), region)
        return text_page_png(Path(path), page, marks, region=region)
    except ValueError as exc:
        raise PageNotFound(str(exc)) from exc
