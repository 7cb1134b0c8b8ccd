"""Trend, compare, rank and attainment questions answered as a table of typed facts, every cell cited.

A model that writes such a table invents cells; the typed facts (``ingest.facts``, one row each in
``app.facts_table``) can fill it exactly. Each cell is one (place, period, year, role) of the asked
indicator and holds the figure that matches it on every attribute (``fact_match.mismatch``, the rule
of the single-figure answer), as printed, with a citation [n] to the passage that states it; the
figure guard checks that passage holds it. A cell no fact matches says "không có trong tài liệu": it
is never filled from a neighbouring year, period, role or indicator. Several different figures for
one cell are all shown, cited, and marked as a conflict (none is chosen silently). Values are
normalised (``figures.extract_figures``: "1,2 tỷ USD" = "1.200 triệu USD") only to sort and chart
them. A number the documents do not state (a share of the plan, a difference) is labelled computed,
with its formula and both cited sources.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from hoidap.app.answering.extractive import (
    CHECKED_CONFIDENCE,
    NOT_FOUND_EN,
    NOT_FOUND_VI,
    UNCHECKED_CONFIDENCE,
    Answer,
    Citation,
)
from hoidap.app.answering.fact_match import fact_label, mismatch
from hoidap.app.answering.figures import extract_figures
from hoidap.app.answering.guard import check_answer
from hoidap.app.answering.table_kinds import TableQuery, table_query
from hoidap.app.facts_table import FactRow
from hoidap.app.query import QueryScope
from hoidap.ingest.facts import COUNTED_NOUNS, Fact
from hoidap.ingest.indicators import indicator, indicator_name
from hoidap.ingest.normalize import fold_for_match
from hoidap.ingest.periods import YEAR, period_label

MISSING_VI = "không có trong tài liệu"
MISSING_EN = "not in the documents (không có trong tài liệu)"
RANK_SHOWN = 10  # places a ranking shows when the question asks no number
MAX_PLACES_LISTED = 5  # a trend or comparison naming no place: up to this many places, else ask which
COLUMNS = ("place", "period_label", "year", "role", "indicator_name", "text", "citation")
_ROLE_PREFERENCE = {"result": ("result", "estimate", ""), "target": ("target", "plan"), "plan": ("plan",), "estimate": ("estimate", "result", "")}
_QUANTITY_KINDS = ("money", "number", "area", "percent")
_CHRONOLOGY = ("q1", "m2", "q2", "m4", "m5", "h1", "q3", "m7", "m8", "m9", "q4", "m10", "m11", "h2", YEAR)


@dataclass
class Cell:
    place: str
    period: str
    period_label: str
    year: int | None
    role: str  # the role asked for this cell
    measure: str  # "level", "share" (a stated share of the plan) or "computed"
    indicator: str
    indicator_name: str
    text: str = ""  # what the cell shows: the value as printed, the missing note, or the computed value
    value: str = ""  # as printed (with its qualifier, "gần 2 tỷ USD"); "" when missing
    status: str = "missing"  # "stated", "missing", "conflict" or "computed"
    number: float | None = None  # in the table's unit (``Table.unit``), for sorting and the chart
    citation: int | None = None
    citations: list[int] = field(default_factory=list)  # every passage the cell cites (a conflict, a computation)
    source: str = ""
    chunk_id: str = ""
    sentence: str = ""
    fact_role: str = ""  # the role the document gives the figure
    formula: str = ""  # a computed cell: how, from which cited figures
    rank: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class _WhichPlace(Exception):
    """A trend or comparison that names no place, about more places than one table should hold."""

    def __init__(self, places: list[str]) -> None:
        super().__init__(", ".join(places))
        self.places = places


@dataclass
class _Match:
    row: FactRow
    value: str  # with qualifier
    years: list[int]


def _by_place(matches: list[_Match]) -> dict[str, list[_Match]]:
    grouped: dict[str, list[_Match]] = {}
    for match in matches:
        grouped.setdefault(match.row.place, []).append(match)
    return grouped


def _printed(row: FactRow) -> str:
    return f"{row.qualifier} {row.value}".strip()


def _as_fact(row: FactRow) -> Fact:
    years = [int(y) for y in row.years.split(",") if y.strip().isdigit()]
    return Fact(indicator=row.indicator, indicator_text=row.indicator_text or row.sentence[: max(0, row.sentence.find(row.value))][-120:],
                value=row.value, number=row.number, unit=row.unit, measure=row.measure, role=row.role, period=row.period,
                years=years, qualifier=row.qualifier, base=row.base)


@functools.lru_cache(maxsize=16384)
def quantity(value: str) -> tuple[Decimal, str] | None:
    """(amount, unit) of a printed figure, to sort and chart by: "1,2 tỷ USD" and "1.200 triệu USD" are
    both (1200000000, "USD"); "129/287 xã" counts 129 communes; a unit the figure reader does not know
    stays as printed ("62,6 tạ/ha" is (62.6, "tạ/ha"), never comparable with hectares)."""
    for figure in extract_figures(value, "vi"):
        if figure.kind in (*_QUANTITY_KINDS, "fraction") and figure.values and isinstance(figure.values[0], Decimal):
            return figure.values[0], figure.unit or _unit_of(value)
    return None


@functools.lru_cache(maxsize=65536)
def holds_figure(passage: str, value: str) -> bool:
    """The figure guard's verdict on a cell: does its cited passage state this figure?"""
    return check_answer(f"{value} [1]", [passage], lang="vi").ok


def _vi_number(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    return re.sub(r",0+$", "", text)


def _label(role: str, period: str, year: int | None, lang: str) -> str:
    fact = Fact(indicator="", indicator_text="", value="", number=None, unit="", measure="level", role=role, period=period,
                years=[year] if year else [])
    return fact_label(fact, lang)


class TableBuilder:
    """Fills the table of one question from the store's fact rows."""

    def __init__(self, scope: QueryScope, query: TableQuery, rows: list[FactRow], passage: Callable[[str], tuple[str, dict] | None]):
        self.scope, self.query, self.passage = scope, query, passage
        self.vi = scope.lang == "vi"
        self.rows = [r for r in rows if r.indicator == query.indicator]
        self._by_place: dict[str, list[FactRow]] = {}  # one place's cells read only its own rows
        for row in self.rows:
            self._by_place.setdefault(fold_for_match(row.place), []).append(row)
        self.citations: list[Citation] = []
        self._cited: dict[str, int] = {}

    # --- matching -------------------------------------------------------------------------
    def _cell_scope(self, year: int | None, period: str, role: str, measure: str = "level", base: str = "") -> QueryScope:
        if self.query.kind == "attainment":
            unit = "%" if measure == "share" else ""  # "bao nhiêu phần trăm kế hoạch": the result and plan are amounts
        else:
            unit = self.scope.unit if measure == self.scope.measure else ("%" if measure == "share" else "")
        share_base = (base, self.scope.share_base[1]) if base else self.scope.share_base
        return replace(self.scope, provinces=[], localities=[], years=[year] if year else [], period=period, period_named=True,
                       role=role, measure=measure, day="", unit=unit, share_base=share_base)

    def matches(self, place: str | None, year: int | None, period: str, role: str, measure: str = "level", base: str = "") -> list[_Match]:
        """Facts that answer this cell on every attribute; the asked role's own figures first and
        figures about this year alone before those about several. ``base``: a share's base kind."""
        cell = self._cell_scope(year, period, role, measure, base)
        wanted = fold_for_match(place) if place else ""
        found = []
        for row in self._by_place.get(wanted, []) if wanted else self.rows:  # a city's figure is not its province's
            if not wanted and row.place != row.province:
                continue  # ranking provinces: a city's figure is not one
            fact = _as_fact(row)
            if mismatch(cell, fact, row.sentence) or not self._unit_fits(row, cell.unit):
                continue
            found.append(_Match(row, _printed(row), fact.years))
        if not found:
            return found
        preference = _ROLE_PREFERENCE.get(role, (role,))

        def order(match: _Match) -> int:
            return preference.index(match.row.role) if match.row.role in preference else len(preference)

        kept = []
        for place_rows in _by_place(found).values():  # per place: one place's estimate does not hide another's result
            best = min(order(m) for m in place_rows)
            place_rows = [m for m in place_rows if order(m) == best]
            if year and any(m.years == [year] for m in place_rows):
                place_rows = [m for m in place_rows if m.years == [year]]
            kept += place_rows
        return kept

    @functools.cached_property
    def usual_unit(self) -> str:
        """The kind of unit the documents state this indicator's level in most often ("ha" for the rice
        area: "62,6 tạ/ha" in the same clause is a yield, not an area). Units of one kind count
        together ("1,2 tỷ USD" and "1.200 triệu USD" are both USD); on a tie, an amount indicator
        ("thu hút FDI") is measured in its amount, not in a count of things ("242 dự án")."""
        units = Counter(_dimension(r.unit) for r in self.rows if r.measure == "level")
        if not units:
            return ""
        known = indicator(self.query.indicator)
        amount = known is not None and known.kind == "amount"
        return max(units, key=lambda unit: (units[unit], amount and unit not in COUNTED_NOUNS))

    def _unit_fits(self, row: FactRow, asked_unit: str = "") -> bool:
        if asked_unit:  # the cell's unit is asked ("số dự án"): the fact match checked it
            return True
        usual = self.usual_unit
        return not usual or row.measure != "level" or _dimension(row.unit) == usual

    def _cite(self, row: FactRow) -> int | None:
        """The citation number of the passage that states ``row``, after the figure guard checked it holds
        the figure; None when it does not (the cell is then not shown)."""
        got = self.passage(row.chunk_id)
        if got is None:
            return None
        body, meta = got
        if not holds_figure(body, row.value):
            return None
        if row.chunk_id not in self._cited:
            self._cited[row.chunk_id] = len(self.citations) + 1
            self.citations.append(Citation(
                source=row.source, chunk_id=row.chunk_id, section=str(meta.get("section") or ""), text=body, score=1.0,
                sentence=row.sentence, highlight=row.value,
            ))
        return self._cited[row.chunk_id]

    def cell(self, place: str, year: int | None, period: str, role: str, measure: str = "level", base: str = "") -> Cell:
        key = self.query.indicator
        cell = Cell(place=place, period=period, period_label=period_label(period, self.scope.lang), year=year, role=role,
                    measure=measure, indicator=key, indicator_name=indicator_name(key, self.scope.lang))
        if measure == "share":  # what it is a share of, as the document says ("dự toán năm"), once found
            cell.indicator_name += ", so với kế hoạch" if self.vi else ", share of the plan"
        values: dict[str, tuple[_Match, int]] = {}
        for match in self.matches(place, year, period, role, measure, base):
            if match.value in values:
                continue
            number = self._cite(match.row)
            if number is not None:
                values[match.value] = (match, number)
        if not values:
            cell.text = MISSING_VI if self.vi else MISSING_EN
            return cell
        (first, number), *others = values.values()
        cell.status = "conflict" if others else "stated"
        cell.value = first.value if not others else " | ".join(values)
        cell.text = cell.value if not others else " | ".join(f"{v} [{n}]" for v, (_m, n) in values.items())
        cell.citation, cell.citations = number, [n for _m, n in values.values()]
        cell.source, cell.chunk_id, cell.sentence, cell.fact_role = first.row.source, first.row.chunk_id, first.row.sentence, first.row.role
        if measure == "share" and first.row.base:
            cell.indicator_name = f"{indicator_name(key, self.scope.lang)}, {'so với' if self.vi else 'share of'} {first.row.base}"
        return cell

    # --- axes -----------------------------------------------------------------------------
    def _years_stated(self, place: str | None, period: str, role: str) -> list[int]:
        years = Counter(m.years[0] for m in self.matches(place, None, period, role) if len(m.years) == 1)
        return sorted(years)

    def build(self) -> tuple[list[Cell], str]:
        q = self.query
        if q.kind == "rank":
            return self._rank(), "place"
        if q.kind == "attainment":
            return self._attainment(), "place"
        if q.kind == "compare" and len(q.roles) == 2:
            return self._target_vs_result(), "role"
        places = q.places or sorted({m.row.place for year in (q.years or [None]) for period in q.periods
                                     for m in self.matches(None, year, period, q.roles[0])})
        if not q.places and len(places) > MAX_PLACES_LISTED:
            raise _WhichPlace(places)
        cells = []
        for place in places:
            years = q.years or self._latest(place, q) if q.kind == "compare" else q.years or self._years_stated(place, q.periods[0], q.roles[0])
            for year in years or [None]:
                for period in q.periods:
                    cells.append(self.cell(place, year, period, q.roles[0]))
        return cells, "place" if q.kind == "compare" else "period" if len(q.periods) > 1 else "year"

    def _latest(self, place: str | None, q: TableQuery) -> list[int]:
        years = self._years_stated(place, q.periods[0], q.roles[0])
        return years[-1:]

    def _rank(self) -> list[Cell]:
        q = self.query
        year = q.years[0] if q.years else None
        if year is None:
            stated = [y for p in (q.places or [None]) for y in self._years_stated(p, q.periods[0], q.roles[0])]
            year = max(stated) if stated else None
        places = q.places or sorted({m.row.place for m in self.matches(None, year, q.periods[0], q.roles[0])})
        cells = [self.cell(place, year, q.periods[0], q.roles[0]) for place in places]
        self._normalise(cells)
        ranked = sorted((c for c in cells if c.number is not None), key=lambda c: c.number, reverse=q.descending)
        for position, cell in enumerate(ranked, start=1):
            cell.rank = position
        rest = [c for c in cells if c.number is None]
        return ranked + rest

    def _attainment(self) -> list[Cell]:
        q = self.query
        places = q.places or sorted({m.row.place for m in self.matches(None, q.years[0] if q.years else None, q.periods[0], "result")})
        cells: list[Cell] = []
        for place in places:
            years = q.years or self._years_stated(place, q.periods[0], "result")[-1:]
            for year in years or [None]:
                result = self.cell(place, year, q.periods[0], "result")
                base = self.cell(place, year, q.periods[0], q.roles[1])
                stated = self._stated_share(place, year, q.periods[0], q.roles[1])
                if base.status == "missing" and stated.status == "missing":
                    # "kế hoạch" is the council's budget plan or the party's target: the other one, when stated
                    other_role = "target" if q.roles[1] == "plan" else "plan"
                    other = self.cell(place, year, q.periods[0], other_role)
                    if other.status != "missing":
                        base, stated = other, self._stated_share(place, year, q.periods[0], other_role)
                group = [result, base]
                if stated.status != "missing":
                    group.append(stated)
                else:
                    computed = self._computed_share(result, base)
                    group.append(computed or stated)
                cells += group
        return cells

    def _stated_share(self, place: str, year: int | None, period: str, base_role: str) -> Cell:
        """The share of the plan or target the documents state: a plan's is written "bằng 99,4% dự toán" or
        "đạt 41% kế hoạch", a target's "đạt 98% mục tiêu" ("bằng 102,7% dự toán" is no share of the party's target)."""
        cell = self.cell(place, year, period, "result", measure="share", base="budget" if base_role == "plan" else "plan")
        if cell.status == "missing" and base_role == "plan":
            cell = self.cell(place, year, period, "result", measure="share", base="plan")
        return cell

    def _target_vs_result(self) -> list[Cell]:
        q = self.query
        places = q.places or sorted({m.row.place for m in self.matches(None, q.years[0] if q.years else None, q.periods[0], "result")})
        cells: list[Cell] = []
        for place in places[:1] if not q.places else places:
            years = q.years or self._years_stated(place, q.periods[0], "result")[-1:]
            for year in years or [None]:
                for period in q.periods:
                    target = self.cell(place, year, period, q.roles[0])
                    result = self.cell(place, year, period, "result")
                    cells += [target, result]
                    computed = self._computed_share(result, target)
                    if computed:
                        cells.append(computed)
        return cells

    # --- numbers --------------------------------------------------------------------------
    def _computed_share(self, result: Cell, base: Cell) -> Cell | None:
        """The result as a share of the target or plan, when the documents state both and not the
        share itself; labelled computed, with its formula and both citations."""
        if result.status != "stated" or base.status != "stated":
            return None
        a, b = quantity(result.value), quantity(base.value)
        if not a or not b or a[1] != b[1] or not b[0]:
            return None
        vi = self.vi
        if a[1] == "%":  # two rates: their difference, in percentage points
            difference = float(a[0] - b[0])
            text = f"{'+' if difference >= 0 else ''}{_vi_number(difference, 2) if vi else f'{difference:.2f}'} {'điểm %' if vi else 'pp'}"
            formula = f"{result.value} [{result.citation}] − {base.value} [{base.citation}]"
            name = "chênh lệch kết quả so với mục tiêu (tính toán)" if vi else "result minus target (computed)"
        else:
            share = float(a[0] / b[0] * 100)
            text = f"{_vi_number(share) if vi else f'{share:.1f}'}%"
            formula = f"{result.value} [{result.citation}] ÷ {base.value} [{base.citation}] × 100"
            base_name = {"plan": "kế hoạch", "target": "mục tiêu"}.get(base.role, "mục tiêu")
            name = f"tỷ lệ đạt so với {base_name} (tính toán)" if vi else f"share of the {base.role or 'target'} reached (computed)"
        return Cell(place=result.place, period=result.period, period_label=result.period_label, year=result.year, role="computed", measure="computed",
                    indicator=result.indicator, indicator_name=name, text=text, value=text, status="computed",
                    citations=[result.citation, base.citation], formula=formula)

    def _normalise(self, cells: list[Cell]) -> str:
        """Put every stated cell's number into the unit most cells are printed in; returns that unit."""
        stated = [c for c in cells if c.status == "stated"]
        units = Counter(_unit_of(c.value) for c in stated)
        if not units:
            return ""
        unit = units.most_common(1)[0][0]
        scale = quantity(_one(unit))
        for cell in stated:
            got = quantity(cell.value)
            if scale and got and got[1] == scale[1] and scale[0]:
                cell.number = float(got[0] / scale[0])
            elif got is None and _unit_of(cell.value) == unit:  # a unit the figure reader does not know ("tạ/ha")
                number = _split(cell.value)[0]
                cell.number = _parse(number) if re.fullmatch(r"[\d.,]+", number) else None  # a range or fraction: not charted
        return unit


def _dimension(unit: str) -> str:
    """What a unit measures, for comparing: "tỷ USD" and "triệu USD" are both "USD"; a unit the figure
    reader does not know stays as written."""
    found = quantity(_one(unit)) if unit else None
    return found[1] if found else unit


def _one(unit: str) -> str:
    return "1%" if unit == "%" else f"1 {unit}"


def _split(value: str) -> tuple[str, str]:
    """(number, unit) as printed: "gần 1.200 triệu USD" -> ("1.200", "triệu USD"); "5-6%" -> ("5-6", "%")."""
    found = re.match(r"^(?:\D*?)([\d.,/]+(?:\s?[-–]\s?[\d.,/]+)?)\s?(.*)$", value)
    return (found.group(1), found.group(2).strip()) if found else ("", "")


def _unit_of(value: str) -> str:
    return _split(value)[1]


def _parse(text: str) -> float | None:
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _chart(cells: list[Cell], axis: str, unit: str, kind: str, lang: str) -> dict:
    """The chart's data: one point per charted cell (stated, one value); computed cells are not plotted."""
    points = []
    for cell in cells:
        if cell.status != "stated" or cell.number is None:
            continue
        if axis == "year":
            x = str(cell.year or "")
        elif axis == "period":
            x = f"{cell.period_label} {cell.year or ''}".strip()
        elif axis == "role":
            x = _label(cell.role, cell.period, cell.year, lang)
        else:
            x = cell.place
        series = cell.place if axis != "place" else _label(cell.role, cell.period, cell.year, lang)
        points.append({"x": x, "y": round(cell.number, 6), "series": series, "value": cell.value, "citation": cell.citation})
    line = kind == "trend" and len(points) >= 2
    return {"type": "line" if line else "bar", "x": axis, "unit": unit, "data": points}


def build_table_answer(
    scope: QueryScope, rows: list[FactRow], passage: Callable[[str], tuple[str, dict] | None], query: TableQuery | None = None
) -> Answer | None:
    """The table answer of a trend, compare, rank or attainment question, or None for any other."""
    query = query or table_query(scope)
    if query is None:
        return None
    builder = TableBuilder(scope, query, rows, passage)
    try:
        cells, axis = builder.build()
    except _WhichPlace as many:
        names = ", ".join(many.places)
        text = (f"Tài liệu có số liệu này cho {len(many.places)} địa phương ({names}). Bạn hỏi địa phương nào?" if scope.lang == "vi"
                else f"The documents state this for {len(many.places)} places ({names}). Which one do you mean?")
        return Answer(text=text, abstained=True, reason="several places: ask which one")
    if query.kind == "trend":
        cells.sort(key=lambda c: (c.place, c.year or 0, _CHRONOLOGY.index(c.period) if c.period in _CHRONOLOGY else 99))
    unit = builder._normalise([c for c in cells if c.status == "stated"]) if query.kind != "rank" else _unit_of(
        next((c.value for c in cells if c.status == "stated"), ""))
    vi = scope.lang == "vi"
    shown = [c for c in cells if c.status in ("stated", "conflict", "computed")]
    name = indicator_name(query.indicator, scope.lang)
    # A ranking keeps every place in ``rows``; the text and the chart show the places asked (top N), else the first ten.
    listed = [c for c in cells if c.rank and c.rank <= (query.top or RANK_SHOWN)] if query.kind == "rank" else cells
    lines = []
    for cell in listed:
        label = " · ".join(p for p in (cell.place, _label(cell.role if cell.role != "computed" else "", cell.period, cell.year, scope.lang)) if p)
        if cell.rank:
            label = f"{cell.rank}. {label}"
        if cell.status == "stated":
            lines.append(f"- {label}: **{cell.value}** [{cell.citation}]")
        elif cell.status == "conflict":
            lines.append(f"- {label}: {cell.text} ({'tài liệu ghi các số khác nhau' if vi else 'the documents differ'})")
        elif cell.status == "computed":
            lines.append(f"- {label} · {cell.indicator_name}: **{cell.text}** = {cell.formula}")
        else:
            lines.append(f"- {label}: {cell.text}")
    title = {"trend": "diễn biến" if vi else "trend", "compare": "so sánh" if vi else "comparison",
             "rank": "xếp hạng" if vi else "ranking", "attainment": "mức đạt kế hoạch" if vi else "attainment"}[query.kind]
    head = f"{name} · {title}" + (f" ({'đơn vị biểu đồ' if vi else 'chart unit'}: {unit})" if unit else "")
    table = {
        "kind": query.kind,
        "indicator": query.indicator,
        "indicator_name": name,
        "unit": unit,
        "missing_text": MISSING_VI if vi else MISSING_EN,
        "columns": list(COLUMNS),
        "rows": [c.as_dict() for c in cells],
        "chart": _chart(listed, axis, unit, query.kind, scope.lang),
        "shown_rows": len(listed),
        "descending": query.descending,
        "top": query.top,
    }
    if not shown:
        text = "\n".join([NOT_FOUND_VI if vi else NOT_FOUND_EN, head, *lines])
        return Answer(text=text, abstained=True, reason="no stated figure matches any cell of the table", lead="", table=table)
    confidence = CHECKED_CONFIDENCE if all(c.status in ("stated", "computed") for c in cells) else UNCHECKED_CONFIDENCE
    facts = [{"place": c.place, "value": c.value, "role": c.fact_role, "period": c.period, "years": [c.year] if c.year else [],
              "indicator": c.indicator, "citation": c.citation, "measure": "level"} for c in cells if c.status == "stated"]
    return Answer(text="\n".join([head, *lines]), abstained=False, citations=builder.citations, confidence=confidence,
                  lead="\n".join([head, *lines]), facts=facts, table=table)


class TableAnswerer:
    """The table step of the pipeline: reads the store's fact rows and passages (cached per generation)."""

    def __init__(self) -> None:
        self._index: tuple = (None, {}, [], [], {})

    def answer(self, scope: QueryScope, retriever) -> Answer | None:
        """The table answer of ``scope``'s question from the retriever's current records, or None."""
        query = table_query(scope)
        return None if query is None else self.answer_from(scope, query, retriever.records_snapshot(), retriever.facts)

    def answer_from(self, scope: QueryScope, query: TableQuery, snapshot: tuple, facts: Callable[[tuple], list[FactRow]]) -> Answer:
        """The table answer from a records snapshot (``HybridRetriever.records_snapshot``): it reads no
        shared index, so it runs outside the lock retrieval takes (the first table of a store
        generation is built here, and a big store takes a while)."""
        generation, records = snapshot
        if self._index[0] != generation:  # once per store generation: passages by id, fact rows by indicator
            ids, texts, metadatas = records
            by_indicator: dict[str, list[FactRow]] = {}
            for row in facts(snapshot):
                by_indicator.setdefault(row.indicator, []).append(row)
            self._index = (generation, {cid: i for i, cid in enumerate(ids)}, texts, metadatas, by_indicator)
        _generation, where, texts, metadatas, by_indicator = self._index
        rows = by_indicator.get(query.indicator, [])

        def passage(chunk_id: str) -> tuple[str, dict] | None:
            from hoidap.vectorstore.records import chunk_body

            i = where.get(chunk_id)
            return None if i is None else (chunk_body(texts[i], metadatas[i]), metadatas[i])

        return build_table_answer(scope, rows, passage, query)
