"""The layout of a chunk record in the store: one home for its metadata fields.

A chunk is stored as its indexed text (context header + body), its vector and a flat metadata dict
(Chroma takes str, int, float and bool values). Ingest writes it here, retrieval, the answer step,
the document list and the figures read it here, so a new field is added in one place:
:func:`chunk_metadata` (what is written), ``DOCUMENT_FIELDS`` (what the document list shows), and,
if the field is a filter, :func:`year_key`-style flags.
"""

from __future__ import annotations

import json
import time
from typing import Any

from hoidap.ingest.facts import FACTS_VERSION, Fact, facts_for, mark_ocr
from hoidap.ingest.metadata import section_role

FACTS_KEY = "facts"  # the chunk's typed facts, JSON (ingest.facts.Fact fields)
FACTS_VERSION_KEY = "facts_version"  # the extractor version that made them
OCR_BOXES_KEY = "ocr_boxes"  # JSON {number: [[x0, y0, x1, y1], ...]} where OCR read it (ingest.page_image marks them)
OCR_DOUBT_KEY = "ocr_doubt"  # JSON list of the numbers OCR was unsure of in an OCR'd chunk ("ocr": True)
# Document-level fields every chunk of a document carries; the document list reads them from any chunk.
DOCUMENT_FIELDS = (
    "title", "province", "locality", "province_2025", "date", "doc_type", "doc_period", "doc_years",
    "content_hash", "ingested_at",
)


def year_key(year: int) -> str:
    """The bool flag a chunk carries for each year it is about (Chroma filters on flags, not lists)."""
    return f"y{year}"


def chunk_body(text: str, metadata: dict) -> str:
    """The chunk's own text, without the context header it was embedded with."""
    return text[int(metadata.get("body_start", 0)) :]


def split_field(value: Any) -> list[str]:
    return [part for part in str(value or "").split(",") if part]


def section_path(metadata: dict) -> list[str]:
    section = str(metadata.get("section", "") or "")
    return [part for part in section.split(" > ") if part]


def chunk_years(metadata: dict) -> list[int]:
    return [int(y) for y in split_field(metadata.get("years")) if y.isdigit()]


def document_years(metadata: dict) -> list[int]:
    """The years the chunk's whole document is about (``doc_years``)."""
    return [int(y) for y in split_field(metadata.get("doc_years")) if y.strip().isdigit()]


def chunk_role(metadata: dict) -> str:
    """The chunk's role (result / target / ""), derived from its headings and its document's period,
    so a better rule needs no re-ingest (the stored ``role`` is what ingest derived then)."""
    derived = section_role(section_path(metadata), str(metadata.get("doc_period", "") or "year"))
    return derived or str(metadata.get("role", "") or "")


def chunk_metadata(document: dict, chunk: Any, header_length: int, facts: list[Fact]) -> dict:
    """The metadata of one chunk: ``document`` holds the document-level fields, ``chunk`` is an
    ``ingest.chunking.Chunk`` (index, section, years, role)."""
    metadata = {
        **document,
        "chunk_index": chunk.index,
        "section": " > ".join(chunk.section),
        "body_start": header_length + 2,
        "years": ",".join(str(y) for y in chunk.years),
        "role": chunk.role,
        "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        FACTS_KEY: encode_facts(facts),
        FACTS_VERSION_KEY: FACTS_VERSION,
    }
    if getattr(chunk, "page", 0):
        metadata["page"] = chunk.page  # the PDF page a citation names
    if getattr(chunk, "ocr", False):
        metadata["ocr"] = True
        metadata[OCR_DOUBT_KEY] = json.dumps(chunk.ocr_doubt, ensure_ascii=False)
        metadata["ocr_skew"] = float(chunk.ocr_skew)
        metadata[OCR_BOXES_KEY] = json.dumps(chunk.ocr_boxes, separators=(",", ":"))
    for year in chunk.years:
        metadata[year_key(year)] = True
    return metadata


def ocr_boxes(metadata: dict) -> dict[str, list]:
    try:
        return dict(json.loads(metadata.get(OCR_BOXES_KEY) or "{}"))
    except (ValueError, TypeError):
        return {}


def ocr_doubt(metadata: dict) -> list[str]:
    """The numbers of an OCR'd chunk that OCR was unsure of."""
    try:
        return list(json.loads(metadata.get(OCR_DOUBT_KEY) or "[]"))
    except (ValueError, TypeError):
        return []


_FACT_FIELDS = ("indicator", "indicator_text", "value", "number", "unit", "measure", "role", "period", "years", "sentence", "qualifier", "base", "ocr")


def encode_facts(facts: list[Fact]) -> str:
    """Compact JSON: one list of values per fact, in ``_FACT_FIELDS`` order."""
    return json.dumps([[getattr(f, name) for name in _FACT_FIELDS] for f in facts], ensure_ascii=False, separators=(",", ":"))


def decode_facts(metadata: dict, body: str) -> list[Fact]:
    """The chunk's stored facts; a chunk stored before facts existed, or by another extractor version,
    gets them made from its body and the context its metadata keeps (same function as ingest)."""
    stored = metadata.get(FACTS_KEY)
    if stored and metadata.get(FACTS_VERSION_KEY) == FACTS_VERSION:
        try:
            return [Fact(**dict(zip(_FACT_FIELDS, row, strict=True))) for row in json.loads(stored)]
        except (ValueError, TypeError):
            pass
    facts = facts_for(
        body, section_path(metadata), chunk_role(metadata), chunk_years(metadata),
        str(metadata.get("doc_period", "") or "year"),
    )
    # copies: facts_for's are memoised and shared
    return mark_ocr([Fact(**f.as_dict()) for f in facts], bool(metadata.get("ocr")), ocr_doubt(metadata))
