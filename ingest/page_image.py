"""A PDF page as an image with the answering figure boxed, so a reader can check it with their own
eyes (above all a figure OCR read from a scan).

Text pages: the figure is found in the text layer (pdfplumber) and boxed. Scanned pages: the page is
rendered and turned back exactly as OCR saw it, and boxed where OCR read the figure (the boxes are
kept with the chunk, ``vectorstore.records.ocr_boxes``).
"""

from __future__ import annotations

import io
from pathlib import Path

from hoidap.ingest.ocr import DPI, number_token, render_page

WIDTH = 1240  # pixels of the image sent (A4 portrait at about 150 dpi)
RED = (220, 30, 30)


REGION_MARGIN = 0.12  # of the page's height, above and below the boxed figures, in a region image


def _boxed(image, boxes: list[tuple[float, float, float, float]], scale: float, region: bool = False):
    """The page with ``boxes`` drawn; ``region``: only the band of the page around them (a figure one
    can read at a glance in a sources card), the whole page when nothing is boxed."""
    from PIL import ImageDraw

    image = image.convert("RGB")
    draw = ImageDraw.Draw(image)
    pad = 6
    for x0, y0, x1, y1 in boxes:
        draw.rectangle([x0 * scale - pad, y0 * scale - pad, x1 * scale + pad, y1 * scale + pad], outline=RED, width=5)
    if region and boxes:
        margin = image.height * REGION_MARGIN
        top = max(0, min(b[1] for b in boxes) * scale - margin)
        bottom = min(image.height, max(b[3] for b in boxes) * scale + margin)
        image = image.crop((0, int(top), image.width, int(bottom)))
    return image


def _png(image) -> bytes:
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def text_page_png(pdf: Path, page: int, marks: list[str], dpi: int = 150, region: bool = False) -> bytes:
    """A text page with every place it prints one of ``marks`` ("3.054 triệu USD", "6,8%") boxed."""
    import pdfplumber

    image = render_page(pdf, page, dpi)
    boxes = []
    with pdfplumber.open(pdf) as document:
        if not 1 <= page <= len(document.pages):
            raise ValueError(f"the PDF has no page {page}")
        pdf_page = document.pages[page - 1]
        for mark in marks:
            for found in pdf_page.search(number_token(mark.split()[0]) if mark else "", regex=False) if mark else []:
                boxes.append((found["x0"], found["top"], found["x1"], found["bottom"]))
    return _png(_boxed(image, boxes, dpi / 72, region))


def scanned_page_png(pdf: Path, page: int, marks: list[str], boxes: dict[str, list], skew: float, region: bool = False) -> bytes:
    """A scanned page as OCR saw it (turned back by ``skew``), with where OCR read each mark boxed."""
    from PIL import Image

    image = render_page(pdf, page, DPI)
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    chosen = [tuple(box) for mark in marks for box in boxes.get(number_token(mark.split()[0]) if mark else "", [])]
    return _png(_boxed(image, chosen, 1.0, region))
