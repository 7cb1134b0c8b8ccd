"""Every stated figure of the store as a table row, with filters and CSV: the figures browser.

Why: analysts want the figures themselves, filtered by place, year, period, role and indicator, and
exported to a spreadsheet, each row pointing back to the passage that states it. The rows are the
typed facts ingest made (``ingest.facts``), read with their chunk's document metadata, so every row
carries its place and source; they are made once per store generation.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import asdict, dataclass

from hoidap.ingest.indicators import indicator as vocabulary_entry
from hoidap.ingest.indicators import indicator_name, indicators_in
from hoidap.ingest.normalize import fold_for_match
from hoidap.ingest.periods import period_label
from hoidap.ingest.sentences import answer_units
from hoidap.vectorstore.records import chunk_body, decode_facts


@dataclass(frozen=True)
class FactRow:
    place: str  # the city, else the province
    province: str
    source: str  # the document's file name
    title: str
    indicator: str  # canonical key, "" outside the vocabulary
    indicator_name: str  # its Vietnamese name, else the words the document uses
    value: str  # as printed
    number: float | None
    unit: str
    measure: str  # level / change / share
    role: str  # target / plan / estimate / result / ""
    period: str  # code: year, q1, h1, m9, multi, ...
    period_label: str
    years: str  # "2023" or "2021,2023"
    base: str
    chunk_id: str
    sentence: str  # the sentence that states it

    def as_dict(self) -> dict:
        return asdict(self)


COLUMNS = [name for name in FactRow.__dataclass_fields__]
_folded = functools.lru_cache(maxsize=65536)(fold_for_match)  # a store has few distinct places and names


def fact_rows(chunk_ids: list[str], texts: list[str], metadatas: list[dict]) -> list[FactRow]:
    """The facts of these chunks (the in-process index's records), in document order."""
    rows: list[FactRow] = []
    for chunk_id, text, meta in zip(chunk_ids, texts, metadatas, strict=True):
        body = chunk_body(text, meta)
        facts = decode_facts(meta, body)
        if not facts:
            continue
        sentences = answer_units(body)
        province = str(meta.get("province") or "")
        place = str(meta.get("locality") or "") or province
        for fact in facts:
            rows.append(FactRow(
                place=place, province=province, source=str(meta.get("source") or ""), title=str(meta.get("title") or ""),
                indicator=fact.indicator, indicator_name=indicator_name(fact.indicator) if fact.indicator else fact.written_name,
                value=fact.value, number=fact.number, unit=fact.unit, measure=fact.measure, role=fact.role,
                period=fact.period, period_label=period_label(fact.period), years=",".join(str(y) for y in fact.years),
                base=fact.base, chunk_id=chunk_id,
                sentence=sentences[fact.sentence] if fact.sentence < len(sentences) else "",
            ))
    return rows


def filter_rows(
    rows: list[FactRow], place: str | None = None, indicator: str | None = None, year: int | None = None,
    period: str | None = None, role: str | None = None, source: str | None = None,
) -> list[FactRow]:
    """Rows that match every filter given. ``place`` matches the city or the province, with or
    without diacritics; ``indicator`` a canonical key, or any indicator the words name ("FDI",
    "thu ngân sách"), or words of an unnamed figure's text."""
    wanted_place = fold_for_match(place) if place else ""
    keys = set()
    if indicator:
        keys = {indicator} if vocabulary_entry(indicator) else set(indicators_in(indicator))
    words = fold_for_match(indicator) if indicator and not keys else ""
    out = []
    for row in rows:
        if wanted_place and wanted_place not in (_folded(row.place), _folded(row.province)):
            continue
        if keys and row.indicator not in keys:
            continue
        if words and words not in _folded(row.indicator_name):
            continue
        if year and str(year) not in row.years.split(","):
            continue
        if period and row.period != period:
            continue
        if role and row.role != role:
            continue
        if source and row.source != source:
            continue
        out.append(row)
    return out


def to_csv(rows: list[FactRow]) -> str:
    """The rows as CSV (UTF-8 with a BOM when written to a file, so spreadsheets read Vietnamese)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_dict())
    return buffer.getvalue()
