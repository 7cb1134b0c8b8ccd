"""Trend, compare, rank and attainment questions on the look-alike corpus, each with its gold table.

A gold cell is one (place, year, period, role, measure) with the answer figure the generator wrote
into exactly one document, or ``None`` when no document states it (the indicator left out of that
report, a period no report of that year covers): the answer must then say "không có trong tài
liệu". A question is only asked when every one of its cells is known one way or the other (a plain
figure, written without a unique text, would leave a cell unknown). Rank questions list every
province whose figure is stated, ordered by the drawn values.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from hoidap.eval import lookalike_templates as T

UNKNOWN = object()  # a cell the documents state with a figure the generator did not keep (a plain one)


@dataclass
class TableItem:
    id: str
    question: str
    lang: str
    kind: str  # trend / compare / rank / attainment
    indicator: str
    cells: list[dict] = field(default_factory=list)  # {place, year, period, role, measure, value (None: absent)}
    ranking: list[str] = field(default_factory=list)  # rank: places, the asked order
    top: int = 0  # rank: places asked (0: the first)
    needs_share: bool = False  # attainment: a share of the plan must be shown (stated, or computed with its formula)

    def as_dict(self) -> dict:
        return asdict(self)


def _annual_cell(corpus, province: str, year: int, key: str, role: str):
    """The gold value of a whole-year cell: its text, None (stated nowhere) or UNKNOWN."""
    report_year = year if role == "result" else year - 1
    spec = corpus.specs.get((province, report_year))
    if spec is None:
        return None if role == "result" else UNKNOWN  # the year before the corpus: its targets are unknown to it
    indicator = next(i for i in T.INDICATORS if i.key == key)
    if key not in spec.mentioned or (role == "result" and not indicator.result_phrases) or (role == "target" and not indicator.has_target):
        return None
    figure = spec.figures.get((key, role))
    return figure.text if figure and figure.text else UNKNOWN


def _period_cells(corpus, province: str, year: int, key: str) -> dict[str, object]:
    """Per period code of the province-year's answer-bearing reports: the gold value."""
    cells: dict[str, object] = {}
    for (p, y, _index), report in corpus.period_reports.items():
        if (p, y) != (province, year):
            continue
        if key in report.answers:
            cells[report.code] = report.answers[key].text
        elif key in report.stated:
            cells[report.code] = UNKNOWN
        else:
            cells[report.code] = None
    return cells


def _name(key: str, lang: str, rng: random.Random) -> str:
    indicator = next(i for i in T.INDICATORS if i.key == key)
    return rng.choice(indicator.names_vi if lang == "vi" else indicator.names_en)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _known(cells: list[dict]) -> bool:
    return all(c["value"] is not UNKNOWN for c in cells) and any(c["value"] for c in cells)


CHRONOLOGY = ("q1", "m2", "q2", "m4", "m5", "h1", "q3", "m7", "m8", "m9", "q4", "m10", "m11", "h2")


def make_table_questions(corpus, years: Sequence[int], seed: int, per_kind: int, place_forms) -> list[TableItem]:
    """``per_kind`` questions of each kind (trend over years, trend over periods, compare places, target
    against result, rank, attainment), alternating languages; ``place_forms`` is the look-alike
    generator's way of writing a place in a question."""
    rng = random.Random(f"{seed}|table-questions")
    provinces = sorted({p for p, _ in corpus.specs})
    keys = [i.key for i in T.INDICATORS if i.result_phrases]
    target_keys = [i.key for i in T.INDICATORS if i.result_phrases and i.has_target]
    amount_keys = [i.key for i in T.INDICATORS if i.result_phrases and i.unit != "%"]
    items: list[TableItem] = []

    def add(kind: str, make) -> None:
        made = 0
        for _attempt in range(per_kind * 60):
            if made >= per_kind:
                break
            lang = ("vi", "en")[made % 2]
            item = make(lang)
            if item is not None:
                item.id = f"lt{len(items) + 1:04d}"
                item.kind = kind
                items.append(item)
                made += 1

    def trend_years(lang: str) -> TableItem | None:
        province, key = rng.choice(provinces), rng.choice(keys)
        cells = [{"place": province, "year": y, "period": "year", "role": "result", "measure": "level",
                  "value": _annual_cell(corpus, province, y, key, "result")} for y in years]
        if not _known(cells):
            return None
        place, stem = place_forms(province, lang, rng)
        name = _name(key, lang, rng)
        y0, y1 = min(years), max(years)
        question = (rng.choice(["{Name} của {P} qua các năm {a}–{b}?", "{Name} của {P} từ năm {a} đến năm {b} thay đổi thế nào?",
                                "Diễn biến {name} của {P} các năm {a}-{b}"])
                    if lang == "vi" else rng.choice(["How did {Pn}'s {name} change from {a} to {b}?", "{Pn}'s {name} over the years {a}-{b}",
                                                     "Show the trend of {name} in {P} between {a} and {b}"]))
        text = _cap(question.format(P=place, Pn=stem, name=name, Name=_cap(name), a=y0, b=y1))
        return TableItem("", text, lang, "trend", key, cells)

    def trend_periods(lang: str) -> TableItem | None:
        province, year = rng.choice(provinces), rng.choice(list(years))
        key = rng.choice(amount_keys)
        found = _period_cells(corpus, province, year, key)
        codes = sorted(found, key=lambda c: CHRONOLOGY.index(c) if c in CHRONOLOGY else 99)
        if len(codes) < 2:
            return None
        cells = [{"place": province, "year": year, "period": c, "role": "result", "measure": "level", "value": found[c]} for c in codes]
        if not _known(cells):
            return None
        periods = {p.code: p for p in T.PERIODS}
        forms = [rng.choice(periods[c].forms if lang == "vi" else periods[c].english).format(Y=year) for c in codes]
        joined = (", ".join(forms[:-1]) + (" và " if lang == "vi" else " and ") + forms[-1])
        place, stem = place_forms(province, lang, rng)
        name = _name(key, lang, rng)
        question = ("{Name} của {P} trong {when}?" if lang == "vi" else "What was {Pn}'s {name} in {when}?")
        return TableItem("", _cap(question.format(P=place, Pn=stem, name=name, Name=_cap(name), when=joined)), lang, "trend", key, cells)

    def compare_places(lang: str) -> TableItem | None:
        chosen = rng.sample(provinces, min(len(provinces), rng.choice((2, 3))))
        year, key = rng.choice(list(years)), rng.choice(keys)
        role = rng.choice(("result", "target")) if key in target_keys else "result"
        asked_year = year + (1 if role == "target" else 0)
        cells = [{"place": p, "year": asked_year, "period": "year", "role": role, "measure": "level",
                  "value": _annual_cell(corpus, p, asked_year, key, role)} for p in chosen]
        if not _known(cells):
            return None
        forms = [place_forms(p, lang, rng)[0] for p in chosen]
        joined = ", ".join(forms[:-1]) + (" và " if lang == "vi" else " and ") + forms[-1]
        name = _name(key, lang, rng)
        if lang == "vi":
            what = f"mục tiêu {name}" if role == "target" else name
            question = rng.choice([f"So sánh {what} năm {asked_year} của {joined}", f"{_cap(what)} năm {asked_year} của {joined} so sánh thế nào?"])
        else:
            what = f"{name} target" if role == "target" else name
            question = rng.choice([f"Compare the {asked_year} {what} of {joined}", f"{_cap(what)} in {asked_year}: {joined} compared"])
        return TableItem("", _cap(question), lang, "compare", key, cells)

    def target_vs_result(lang: str) -> TableItem | None:
        year = rng.choice([y for y in years if y - 1 in years] or [None])
        if year is None:
            return None
        province, key = rng.choice(provinces), rng.choice(target_keys)
        cells = [{"place": province, "year": year, "period": "year", "role": role, "measure": "level",
                  "value": _annual_cell(corpus, province, year, key, role)} for role in ("target", "result")]
        if not _known(cells):
            return None
        place, stem = place_forms(province, lang, rng)
        name = _name(key, lang, rng)
        question = (f"So sánh mục tiêu và kết quả {name} năm {year} của {place}" if lang == "vi"
                    else f"Compare {stem}'s {year} {name} target with the actual result")
        return TableItem("", _cap(question), lang, "compare", key, cells)

    def rank(lang: str) -> TableItem | None:
        year, key = rng.choice(list(years)), rng.choice(keys)
        values = {p: _annual_cell(corpus, p, year, key, "result") for p in provinces}
        if any(v is UNKNOWN for v in values.values()):
            return None
        stated = [p for p, v in values.items() if v]
        if len(stated) < 3:
            return None
        drawn = {p: corpus.specs[(p, year)].figures[(key, "result")].value for p in stated}
        lowest = rng.random() < 0.35
        top = rng.choice((0, 0, 3))
        ranking = sorted(stated, key=lambda p: drawn[p], reverse=not lowest)
        name = _name(key, lang, rng)
        if lang == "vi":
            word = "thấp nhất" if lowest else "cao nhất"
            question = (f"{top} tỉnh có {name} năm {year} {word}?" if top else
                        rng.choice([f"Tỉnh nào có {name} năm {year} {word}?", f"Tỉnh nào trong tài liệu có {name} năm {year} {word}?"]))
        else:
            word = "lowest" if lowest else "highest"
            question = (f"Top {top} provinces by {word} {name} in {year}" if top else
                        rng.choice([f"Which province had the {word} {name} in {year}?", f"Which province recorded the {word} {name} in {year}?"]))
        cells = [{"place": p, "year": year, "period": "year", "role": "result", "measure": "level", "value": values[p]} for p in stated]
        return TableItem("", _cap(question), lang, "rank", key, cells, ranking=ranking, top=top)

    def attainment(lang: str) -> TableItem | None:
        year = rng.choice([y for y in years if y - 1 in years] or [None])
        if year is None:
            return None
        province, key = rng.choice(provinces), rng.choice([k for k in target_keys if k in amount_keys])
        budget = corpus.specs[(province, year)].budget_plan
        if key == "budget_revenue" and budget is not None and budget.is_answer and lang == "vi":
            cells = [{"place": province, "year": year, "period": "year", "role": "result", "measure": "level",
                      "value": _annual_cell(corpus, province, year, key, "result")},
                     {"place": province, "year": year, "period": "year", "role": "plan", "measure": "level", "value": budget.text}]
            place, _stem = place_forms(province, lang, rng)
            question = f"Năm {year}, {place} đạt bao nhiêu phần trăm dự toán thu ngân sách?"
        else:
            cells = [{"place": province, "year": year, "period": "year", "role": role, "measure": "level",
                      "value": _annual_cell(corpus, province, year, key, role)} for role in ("result", "target")]
            if any(not c["value"] or c["value"] is UNKNOWN for c in cells):
                return None
            place, stem = place_forms(province, lang, rng)
            name = _name(key, lang, rng)
            question = (f"Năm {year}, {place} đạt bao nhiêu phần trăm mục tiêu {name}?" if lang == "vi"
                        else f"What percentage of its {year} {name} target did {stem} reach?")
        if not _known(cells):
            return None
        return TableItem("", _cap(question), lang, "attainment", key, cells, needs_share=True)

    for kind, make in (("trend", trend_years), ("trend", trend_periods), ("compare", compare_places), ("compare", target_vs_result),
                       ("rank", rank), ("attainment", attainment)):
        add(kind, make)
    return items
