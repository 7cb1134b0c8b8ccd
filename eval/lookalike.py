"""A corpus of look-alike provincial reports with questions that each have exactly one right document.

Every province files the same conference conclusion every year — "Kết luận Hội nghị Ban Chấp hành Đảng
bộ tỉnh ... về tình hình kinh tế - xã hội năm Y; mục tiêu, nhiệm vụ năm Y+1" — with the same
structure and wording and different figures. That is the hard case for the service: the right
answer differs from a wrong one only by province, year, or result-versus-target. This module writes
such a corpus (modelled on ``data/samples``) plus a ``qa.jsonl`` in the project's format.

Why a figure can be trusted as a gold answer: answers are judged by containment after whitespace
removal (:func:`eval.metrics.answer_correct`), so a gold "243 tỷ đồng" would also be "found" in
"1.243 tỷ đồng". A :class:`FigureRegistry` therefore keeps every answer figure's number from being
the tail of another's with the same unit, plain figures (sub-totals, unasked period figures, growth rates)
are drawn to avoid every answer figure, and after writing, :class:`GoldIndex` checks that each answer
occurs in its own document and in no other. Answer percentages carry two decimals and plain ones at
most one, so the two can never collide; other answers have at least four digits, so that they block
few of the longer numbers plain figures need. A figure that cannot be made unique (many small
percentages in a big corpus, "817 ha" in a small province) is written as a plain one and not asked about.

Three more ways to be wrong are measured. Period reports (a party committee's conclusion, the statistics
office's release, a news item; "quý I/2023", "nửa đầu năm 2023", "9 tháng năm 2023") repeat the annual
wording with part-year figures: questions that name a period must be answered from the one report of
that period holding the figure (its indicators are left out of the other reports of the same period),
and whole-year questions must not be answered with a part-year figure. Questions whose place, year and
period are covered but whose indicator is stated nowhere for them (left out of that report, or never
written at all, ``T.QUESTION_ONLY_INDICATORS``) must be abstained on rather than answered with a
neighbouring indicator. And a budget sentence that writes the year's plan (dự toán) beside the result
asks for the plan, so the result in the same sentence is the wrong answer (where only the share of the
plan is written, the plan question has no answer). Every question's ``meta["period"]`` is "year" or a
period code ("q1", "h1", "m9"); ``documents.jsonl`` gives each report's ``period_code``.

Everything is drawn from ``random.Random`` instances seeded from the seed and a purpose string, so
the same arguments give byte-identical files. Per-document randomness is keyed by province, year
and document index, so a document does not change when the corpus around it grows.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import random
import re
import string
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hoidap.eval import lookalike_templates as T
from hoidap.eval.datasets import QAItem, write_qa_jsonl
from hoidap.ingest.normalize import compact

DEFAULT_SEED = 7
INDICATORS: dict[str, T.Indicator] = {ind.key: ind for ind in T.INDICATORS}
INTEGER_UNITS = frozenset({"ha", "tấn", "doanh nghiệp", "lượt khách", "đảng viên"})
INCLUDE_SHARE = 0.88  # share of indicators a given annual report mentions
GOLD_ATTEMPTS = 40
MIN_ANSWER_DIGITS = 4  # shorter numbers block too many longer ones (see _too_short)
PLAIN_ATTEMPTS = 500
PERIODS: dict[str, T.Period] = {period.code: period for period in T.PERIODS}
PERIOD_MENTION_SHARE = 0.8  # share of the in-period indicators a given period report states
PERIOD_OMIT_SHARE = 0.12  # share no report of a province's period states (so some period questions have no answer)
PERIOD_STYLES = ("party", "stats", "news")  # party committee conclusion, statistics office release, news item


class LookalikeError(RuntimeError):
    """The generator could not keep its promise (an answer in more than one document)."""


# --- Vietnamese figures -----------------------------------------------------------------------------


def format_number(value: float, decimals: int = 0) -> str:
    """Vietnamese number: "." groups thousands, "," is the decimal mark (30372.5 -> "30.372,5")."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def figure_text(value: float, unit: str, decimals: int) -> str:
    number = format_number(value, decimals)
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def _amount_decimals(value: float, unit: str) -> int:
    if unit in INTEGER_UNITS:
        return 0
    return 0 if value >= 1000 else 1 if value >= 100 else 2


def answer_figure(indicator: T.Indicator, value: float, communes: int = 0) -> str:
    """How an answer figure is written: percentages with two decimals, amounts by magnitude."""
    if indicator.model == "communes":
        return f"{int(value)}/{communes} xã"
    if indicator.unit == "%":
        return figure_text(value, "%", 2)
    return figure_text(value, indicator.unit, _amount_decimals(value, indicator.unit))


def plain_figure(indicator: T.Indicator, value: float, communes: int = 0) -> str:
    """How a figure nobody is asked about is written: percentages with at most one decimal."""
    if indicator.unit == "%":
        return plain_percent(value)
    if indicator.model == "communes":
        value = max(1, min(value, communes))
    return _drop_zero_decimals(answer_figure(indicator, value, communes))


def plain_percent(value: float) -> str:
    """"10,2%", "20%": never two decimals, so never an answer percentage."""
    return _drop_zero_decimals(figure_text(value, "%", 1))


def _drop_zero_decimals(text: str) -> str:
    """"305,0 tỷ đồng" -> "305 tỷ đồng", "1,50%" -> "1,5%": reports do not write trailing zeros."""
    return re.sub(r"(,\d*?)0+(?!\d)", r"\1", text).replace(", ", " ").replace(",%", "%")


def _has_trailing_zero(text: str) -> bool:
    return bool(re.search(r",\d*0(?!\d)", text))


def _too_short(text: str) -> bool:
    """Fewer than four digits (percentages aside): "817 ha" would be found inside every "x.817 ha"."""
    number, unit = split_figure(text)
    return unit != "%" and sum(c.isdigit() for c in number) < MIN_ANSWER_DIGITS


def split_figure(text: str) -> tuple[str, str]:
    """("30.372", "tỷđồng") for "30.372 tỷ đồng": the number and the unit in comparison form."""
    key = compact(text)
    number = re.match(r"[\d.,/]*", key).group(0)
    return number, key[len(number) :]


def _tails(number: str) -> set[str]:
    """Every digit-led ending of a number: what whitespace-free containment could match inside it."""
    return {number[i:] for i in range(len(number)) if number[i].isdigit()}


class FigureRegistry:
    """Answer figures that can be told apart by containment; plain figures must avoid them.

    A figure ``n u`` occurs inside ``n' u'`` when ``n`` ends ``n'`` and ``u`` starts ``u'`` (or the
    text after it). Answers are all drawn first, then the registry is frozen and plain figures are
    checked against it, so no later answer can land inside an earlier plain figure.
    """

    def __init__(self) -> None:
        self._numbers: dict[str, set[str]] = defaultdict(set)  # unit -> answer numbers
        self._tails: dict[str, set[str]] = defaultdict(set)  # unit -> all their tails
        self.frozen = False

    def _related_units(self, unit: str) -> list[str]:
        return [u for u in self._numbers if unit.startswith(u) or u.startswith(unit)]

    def can_be_answer(self, text: str) -> bool:
        number, unit = split_figure(text)
        if not number or not unit:
            return False
        tails = _tails(number)
        return not any(
            number in self._tails[u] or tails & self._numbers[u] for u in self._related_units(unit)
        )

    def add_answer(self, text: str) -> None:
        if self.frozen:
            raise LookalikeError("answers must all be drawn before plain figures")
        if not self.can_be_answer(text):
            raise LookalikeError(f"{text!r} collides with an answer already drawn")
        number, unit = split_figure(text)
        self._numbers[unit].add(number)
        self._tails[unit] |= _tails(number)

    def can_be_plain(self, text: str) -> bool:
        number, unit = split_figure(text)
        if not number:
            return True
        tails = _tails(number)
        return not any(tails & self._numbers[u] for u in self._related_units(unit))

    def freeze(self) -> None:
        self.frozen = True

    def __len__(self) -> int:
        return sum(len(numbers) for numbers in self._numbers.values())


class GoldIndex:
    """Finds, document by document, where each answer string occurs (in comparison form).

    Scans the maximal runs of number characters in each document instead of searching every answer
    in every document, so checking a 100,000-chunk corpus takes seconds.
    """

    def __init__(self, golds: Iterable[str]) -> None:
        self._by_number: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._odd: list[tuple[str, str]] = []  # answers without a leading number or a unit: searched as is
        self._longest_unit = 0
        for gold in set(golds):
            number, unit = split_figure(gold)
            if number and unit:
                self._by_number[number].append((unit, gold))
                self._longest_unit = max(self._longest_unit, len(unit))
            else:
                self._odd.append((compact(gold), gold))
        self.found: dict[str, set[str]] = defaultdict(set)

    def scan(self, name: str, text: str) -> None:
        key = compact(text)
        for match in re.finditer(r"[\d.,/]+", key):
            run, after = match.group(0), key[match.end() : match.end() + self._longest_unit]
            for i, char in enumerate(run):
                if char.isdigit():
                    for unit, gold in self._by_number.get(run[i:], ()):
                        if after.startswith(unit):
                            self.found[gold].add(name)
        for needle, gold in self._odd:
            if needle and needle in key:
                self.found[gold].add(name)


# --- provinces ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A province as the reports describe it: its names, economy size, farmland and communes."""

    name: str  # gazetteer name: "Nghệ An", "Huế"
    display: str  # as documents write it: "Thừa Thiên Huế"
    municipality: bool
    scale: float  # economy size relative to a mid-sized province
    farm: float  # farmland relative to a mid-sized province
    communes: int
    term: int  # number of the party committee elected in 2020 ("khóa XIX" = 19)
    secretary: str

    @property
    def unit_word(self) -> str:
        return "thành phố" if self.municipality else "tỉnh"

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.municipality else "Tỉnh ủy"


def _seeded(seed: int, *purpose: object) -> random.Random:
    return random.Random("|".join(str(p) for p in (seed, *purpose)))


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def _person(rng: random.Random) -> str:
    from hoidap.ingest.places import gazetteer

    while True:  # a name must not read as a place ("Thanh Hà" is a district)
        name = f"{rng.choice(T.SURNAMES)} {rng.choice(T.MIDDLE_NAMES)} {rng.choice(T.GIVEN_NAMES)}"
        if not gazetteer().mentions(name):
            return name


def make_profile(name: str, seed: int) -> Profile:
    """The province's fixed traits; depends only on (seed, name), not on which other provinces are in."""
    rng = _seeded(seed, "profile", name)
    municipality = name in T.MUNICIPALITIES
    scale = min(12.0, max(0.25, rng.lognormvariate(0.0, 0.7))) * (4.0 if municipality else 1.0)
    farm = min(4.0, max(0.15, rng.lognormvariate(0.0, 0.6))) * (0.5 if municipality else 1.0)
    return Profile(
        name=name,
        display=T.DOCUMENT_NAMES.get(name, name),
        municipality=municipality,
        scale=round(scale, 4),
        farm=round(farm, 4),
        communes=rng.randint(60, 420),
        term=rng.randint(17, 21),
        secretary=_person(rng),
    )


def choose_provinces(provinces: int | Sequence[str], seed: int) -> list[str]:
    """Gazetteer provinces: a seeded sample of the given size, or the named ones (checked)."""
    from hoidap.ingest.places import gazetteer

    known = list(gazetteer().provinces)
    if isinstance(provinces, int):
        if not 1 <= provinces <= len(known):
            raise ValueError(f"provinces must be between 1 and {len(known)}, not {provinces}")
        chosen = set(_seeded(seed, "provinces").sample(known, provinces))
        return [name for name in known if name in chosen]
    unknown = [name for name in provinces if name not in known]
    if unknown:
        raise ValueError(f"not province names of the gazetteer: {', '.join(unknown)}")
    return list(dict.fromkeys(provinces))


# --- figures ----------------------------------------------------------------------------------------


@dataclass
class Figure:
    indicator: str
    kind: str  # "result" (of the report's year) or "target" (for the next year)
    year: int  # the year the figure is about
    value: float
    text: str = ""  # the answer figure; empty for a plain figure (written at render time)
    period: str = "year"  # "year", or the code of the part of it ("q1", "h1", "m9", ...)

    @property
    def is_answer(self) -> bool:
        return bool(self.text)


@dataclass
class AnnualSpec:
    """One province-year: every indicator's result and target, and which ones the report mentions."""

    profile: Profile
    year: int
    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)
    mentioned: set[str] = field(default_factory=set)
    # The budget clause's role: a "plan" figure (the year's dự toán, written after the result and its share of it)
    # with an answer text, or one without text when the report gives only the share ("bằng 104% dự toán").
    budget_plan: Figure | None = None

    def answers(self) -> list[Figure]:
        return [f for (key, _), f in self.figures.items() if key in self.mentioned and f.is_answer]


def _clip(value: float, indicator: T.Indicator) -> float:
    return min(indicator.ceiling, max(indicator.floor, value))


def _propose(
    indicator: T.Indicator, kind: str, profile: Profile, year: int, rng: random.Random, previous: float | None,
    result: float | None, parent: float | None,
) -> float:
    """A plausible value; ``previous`` is last year's result, ``result`` this year's (for a target)."""
    model = indicator.model
    if indicator.derived_from:
        return parent * rng.uniform(*indicator.share)
    if model == "growth":
        return rng.uniform(indicator.low, indicator.high) if kind == "result" else rng.uniform(5.5, 9.2)
    if model == "rate":
        if kind == "target":
            step = indicator.trend * rng.uniform(0.6, 1.8) if abs(indicator.trend) > 0.1 else rng.uniform(-0.2, 0.1)
            return _clip(result + step, indicator)
        if previous is None:
            return rng.uniform(indicator.low, indicator.high)
        return _clip(previous + indicator.trend * rng.uniform(0.4, 1.6) + rng.gauss(0, 0.12), indicator)
    if model == "communes":
        if kind == "target":
            return min(profile.communes, result + rng.randint(2, 10))
        if previous is None:
            return round(profile.communes * rng.uniform(0.25, 0.8))
        return min(profile.communes, previous + rng.randint(2, 12))
    size = profile.farm if model == "farm" else profile.scale**indicator.exponent
    if kind == "target":
        return result * (rng.uniform(0.98, 1.04) if model == "farm" else rng.uniform(1.04, 1.15))
    if previous is None:
        return indicator.base * size * rng.uniform(0.85, 1.15) * 1.07 ** (year - 2021)
    return previous * (rng.uniform(0.97, 1.03) if model == "farm" else rng.uniform(1.02, 1.14))


def _draw(propose: Callable[[], float], indicator: T.Indicator, profile: Profile, registry: FigureRegistry, mentioned: bool) -> tuple[float, str]:
    """(value, answer text) for a mentioned figure that can be unique; (value, "") otherwise."""
    if mentioned:
        for _ in range(GOLD_ATTEMPTS):
            value = propose()
            text = answer_figure(indicator, value, profile.communes)
            if not _has_trailing_zero(text) and not _too_short(text) and registry.can_be_answer(text):
                registry.add_answer(text)
                return value, text
    return propose(), ""


def draw_figures(profiles: Sequence[Profile], years: Sequence[int], seed: int, registry: FigureRegistry) -> dict[tuple[str, int], AnnualSpec]:
    """Every province-year's figures; answer figures are registered as they are drawn."""
    rng = _seeded(seed, "figures")
    specs: dict[tuple[str, int], AnnualSpec] = {}
    for profile in profiles:
        last_result: dict[str, float] = {}
        for year in years:
            spec = AnnualSpec(profile, year)
            spec.mentioned = {ind.key for ind in T.INDICATORS if rng.random() < INCLUDE_SHARE}
            for indicator in T.INDICATORS:
                kinds = (["result"] if indicator.result_phrases or indicator.has_target else []) + (
                    ["target"] if indicator.has_target else []
                )
                for kind in kinds:
                    parent = spec.figures.get((indicator.derived_from, kind))
                    result = spec.figures.get((indicator.key, "result"))
                    mentioned = indicator.key in spec.mentioned and (
                        kind == "target" or bool(indicator.result_phrases)
                    )
                    propose = functools.partial(
                        _propose, indicator, kind, profile, year, rng, last_result.get(indicator.key),
                        result.value if result else None, parent.value if parent else None,
                    )
                    value, text = _draw(propose, indicator, profile, registry, mentioned)
                    figure_year = year if kind == "result" else year + 1
                    spec.figures[(indicator.key, kind)] = Figure(indicator.key, kind, figure_year, value, text)
                last_result[indicator.key] = spec.figures[(indicator.key, "result")].value
            specs[(profile.name, year)] = spec
    return specs


def draw_budget_plans(specs: dict[tuple[str, int], AnnualSpec], seed: int, registry: FigureRegistry) -> None:
    """Where an annual report states budget revenue as an answer, half of them also state the year's plan (dự toán)
    beside it, so a question on the plan has the result as a look-alike in the same sentence; the other half give only
    the share of the plan, so a question on the plan has no answer there."""
    indicator = INDICATORS["budget_revenue"]
    for (province, year), spec in specs.items():
        result = spec.figures[("budget_revenue", "result")]
        if "budget_revenue" not in spec.mentioned or not result.is_answer:
            continue
        rng = _seeded(seed, "budget-plan", province, year)
        text = ""
        if rng.random() < 0.5:
            propose = functools.partial(lambda a, r: a / r.uniform(0.9, 1.2), result.value, rng)
            value, text = _draw(propose, indicator, spec.profile, registry, True)
        spec.budget_plan = Figure("budget_revenue", "plan", year, value if text else 0.0, text)


# --- period reports ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _period_order(seed: int, province: str, year: int) -> tuple[T.Period, ...]:
    order = list(T.PERIODS)
    _seeded(seed, "period-order", province, year).shuffle(order)
    return tuple(order)


def period_of(seed: int, province: str, year: int, index: int) -> T.Period:
    """The period of a province-year's ``index``-th period report (1, 2, ...): each once, in a seeded order, then again."""
    order = _period_order(seed, province, year)
    return order[(index - 1) % len(order)]


@functools.lru_cache(maxsize=8192)
def _period_omitted(seed: int, province: str, year: int, code: str) -> frozenset[str]:
    """Indicators that no report of this province's period states."""
    rng = _seeded(seed, "period-omitted", province, year, code)
    return frozenset(ind.key for ind in T.INDICATORS if ind.in_periods and rng.random() < PERIOD_OMIT_SHARE)


def period_stated(seed: int, province: str, year: int, index: int, code: str) -> list[str]:
    """The indicators one period report states (before the ones another report of its period answers are taken out)."""
    rng = _seeded(seed, "period-mentions", province, year, index)
    omitted = _period_omitted(seed, province, year, code)
    return [ind.key for ind in T.INDICATORS if ind.in_periods and rng.random() < PERIOD_MENTION_SHARE and ind.key not in omitted]


def _period_value(indicator: T.Indicator, annual: float, share: float, rng: random.Random) -> float:
    if indicator.model == "growth":
        return annual * rng.uniform(0.7, 1.1)
    if indicator.model == "farm":
        return annual * rng.uniform(0.42, 0.58)
    return annual * share * rng.uniform(0.85, 1.15)


@dataclass
class PeriodReport:
    """One period report: the indicators it states and, if questions are asked about it, their answer figures."""

    province: str
    year: int
    index: int
    code: str
    stated: list[str]
    answers: dict[str, Figure] = field(default_factory=dict)


def draw_period_figures(
    specs: dict[tuple[str, int], AnnualSpec], answer_documents: int, seed: int, registry: FigureRegistry
) -> dict[tuple[str, int, int], PeriodReport]:
    """Answer figures of each province-year's first ``answer_documents`` period reports (one per period at most).

    Only amounts: two-decimal percentages are scarce (see the module docstring) and left to the annual reports.
    """
    if answer_documents > len(T.PERIODS):
        raise ValueError("answer-bearing period reports must each have their own period")
    reports: dict[tuple[str, int, int], PeriodReport] = {}
    for (province, year), spec in specs.items():
        for index in range(1, answer_documents + 1):
            period = period_of(seed, province, year, index)
            report = PeriodReport(province, year, index, period.code, period_stated(seed, province, year, index, period.code))
            rng = _seeded(seed, "period-figures", province, year, index)
            for key in report.stated:
                indicator = INDICATORS[key]
                if indicator.unit == "%":
                    continue
                annual = spec.figures[(key, "result")].value
                propose = functools.partial(_period_value, indicator, annual, period.share, rng)
                value, text = _draw(propose, indicator, spec.profile, registry, True)
                if text:
                    report.answers[key] = Figure(key, "result", year, value, text, period.code)
            reports[(province, year, index)] = report
    return reports


@dataclass
class Corpus:
    """What rendering needs besides the plan: every province-year's figures and the period reports' answers."""

    seed: int
    specs: dict[tuple[str, int], AnnualSpec]
    registry: FigureRegistry
    period_reports: dict[tuple[str, int, int], PeriodReport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # (province, year, period) -> indicators whose answer one report of that period holds: the others leave them out
        self.reserved: dict[tuple[str, int, str], set[str]] = defaultdict(set)
        for report in self.period_reports.values():
            self.reserved[(report.province, report.year, report.code)] |= set(report.answers)

    def period_report(self, province: str, year: int, index: int) -> PeriodReport:
        if (province, year, index) in self.period_reports:
            return self.period_reports[(province, year, index)]
        code = period_of(self.seed, province, year, index).code
        reserved = self.reserved.get((province, year, code), set())
        stated = [key for key in period_stated(self.seed, province, year, index, code) if key not in reserved]
        return PeriodReport(province, year, index, code, stated)


# --- rendering --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocPlan:
    file: str
    province: str
    year: int
    index: int  # 0: the annual conclusion; 1..: period reports
    period: str = ""  # how a period report writes its period: "6 tháng đầu năm {Y}", "quý I/{Y}"
    code: str = "year"  # "year" for the annual conclusion, else the period's code ("h1", "q1")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Writer:
    """Fills one document's templates; plain numbers are drawn here, after every answer is fixed."""

    def __init__(self, spec: AnnualSpec, rng: random.Random, registry: FigureRegistry, names_province: str) -> None:
        self.spec, self.rng, self.registry = spec, rng, registry
        profile, year = spec.profile, spec.year
        named = f"{profile.unit_word} {profile.display}"
        self.mode = names_province  # "title", "body_once" or "body_many"
        self.context = {
            "Y": str(year),
            "Y1": str(year + 1),
            "tinh": profile.unit_word,
            "ten": profile.display,
            "tinh_ten": profile.unit_word if names_province == "body_once" else named,
            "dang_bo": f"Đảng bộ {named}" if names_province == "title" else f"Đảng bộ {profile.unit_word}",
            "dang_bo_ten": f"Đảng bộ {named}",
            "uy": profile.committee,
            "scope": f"toàn {profile.unit_word}",
            "secretary": profile.secretary,
            "khoa": _roman(profile.term + (year - 2020) // 5),  # terms 2015-2020, 2020-2025, 2025-2030
            "n": str(4 * ((year - 2020) % 5) + rng.randint(2, 5)),
            "motto": rng.choice(T.MOTTOS),
            "issue": str(rng.randint(1, 3)),
            "days": str(rng.randint(2, 3)),
        }
        self.context["DANG_BO"] = self.context["dang_bo"].upper()

    def plain(self, indicator: T.Indicator, center: float) -> str:
        """A plain figure near ``center`` that holds no answer; strays further the more answers are in the way."""
        for attempt in range(PLAIN_ATTEMPTS):
            spread = 0.01 + 0.3 * attempt / PLAIN_ATTEMPTS
            value = center * self.rng.uniform(1 - spread, 1 + spread)
            text = plain_figure(indicator, value, self.spec.profile.communes)
            if self.registry.can_be_plain(text):
                return text
        raise LookalikeError(f"no plain figure for {indicator.key} near {center:.2f} avoids the answers")

    def figure_text(self, figure: Figure) -> str:
        if figure.is_answer:
            return figure.text
        indicator = INDICATORS[figure.indicator]
        return self.plain(indicator, figure.value)

    def _extra(self, name: str, figure: Figure | None) -> str:
        rng = self.rng
        if name == "pct":
            return plain_percent(rng.uniform(86, 125))
        if name == "grow":
            return plain_percent(rng.uniform(2, 25))
        if name == "small_pct":
            return plain_percent(rng.uniform(1.5, 4))
        if name == "n":
            return str(rng.randint(15, 400))
        if name == "yield_":
            return _drop_zero_decimals(f"{format_number(rng.uniform(48, 65), 1)} tạ/ha")
        if name in ("beds", "org_pct", "waste_pct"):
            return str({"beds": rng.randint(25, 40), "org_pct": rng.randint(80, 92), "waste_pct": rng.randint(85, 99)}[name])
        if name == "capital":
            budget = INDICATORS["budget_revenue"]
            return self.plain(budget, rng.uniform(300, 4000) * self.spec.profile.scale)
        if name == "sub" and figure is not None:
            return self.plain(INDICATORS[figure.indicator], figure.value * rng.uniform(0.55, 0.85))
        if name == "more" and figure is not None:
            result = self.spec.figures[(figure.indicator, "result")]
            return str(max(1, int(figure.value - result.value)))
        raise KeyError(name)

    def fill(self, template: str, figure: Figure | None = None, text: str | None = None) -> str:
        values = dict(self.context)
        for name in _fields(template) - values.keys():
            if name == "v":
                values["v"] = text if text is not None else self.figure_text(figure)
            elif name.isupper():
                values[name] = self.context[name.lower()].upper()
            else:
                values[name] = self._extra(name, figure)
        return template.format(**values)

    def pick(self, templates: Sequence[str], figure: Figure | None = None, text: str | None = None) -> str:
        return self.fill(self.rng.choice(templates), figure, text)

    def date(self, month: int) -> str:
        return f"{self.rng.randint(2, 28)}/{month}/{self.spec.year}"

    def leftovers_top(self) -> list[str]:
        """The page's date line, which scraping leaves under the title."""
        if self.rng.random() < 0.2:
            rng = self.rng
            line = rng.choice(T.LEFTOVERS_TOP).format(
                weekday=rng.choice(T.WEEKDAYS), date=self.date(12), clock=f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"
            )
            return [line]
        return []

    def leftovers_bottom(self) -> list[str]:
        rng = self.rng
        if rng.random() >= 0.35:
            return []
        lines: list[str] = []
        for block in rng.sample(T.LEFTOVERS_BOTTOM, rng.randint(1, 2)):
            numbers = {k: format_number(rng.randint(1, 9_000_000 if k == "d" else 900)) for k in "abcd"}
            lines.extend(line.format(**numbers) for line in block)
        if self.mode != "body_once" and rng.random() < 0.5:
            lines.append(f"TRANG THÔNG TIN ĐIỆN TỬ {self.context['uy'].upper()} {self.spec.profile.display.upper()}")
        return ["\n".join(lines)]


def _item_marker(rng: random.Random, number: int) -> str:
    return f"({number}). " if rng.random() < 0.85 else f"({number}) "


def _result_clause(w: _Writer, spec: AnnualSpec, figure: Figure) -> str:
    plan = spec.budget_plan
    if figure.indicator != "budget_revenue" or plan is None:
        return w.pick(INDICATORS[figure.indicator].result_phrases, figure)
    if not plan.is_answer:
        return w.pick(T.BUDGET_SHARE_PHRASES, figure)
    share = plain_percent(100 * figure.value / plan.value)
    return w.rng.choice(T.BUDGET_PLAN_PHRASES).format(v=figure.text, pct=share, plan=plan.text)


def render_annual(spec: AnnualSpec, rng: random.Random, registry: FigureRegistry, *, extra_paragraphs: int = 0) -> str:
    """The year's conference conclusion: results of year Y (part I) and targets for Y+1 (part II)."""
    mode = rng.choices(("title", "body_once", "body_many"), weights=(0.4, 0.3, 0.3))[0]
    w = _Writer(spec, rng, registry, mode)
    paragraphs = [w.pick(T.ANNUAL_TITLES), *w.leftovers_top()]
    if mode != "title" or rng.random() < 0.6:  # without the title, the issuer in the intro names the province
        w.context["date"] = w.date(12)
        paragraphs.append(w.pick(T.ANNUAL_INTROS))
    paragraphs.append(w.pick(T.RESULTS_HEADINGS))

    mentioned_results = [
        spec.figures[(ind.key, "result")] for ind in T.INDICATORS if ind.key in spec.mentioned and ind.result_phrases
    ]
    by_group: dict[str, list[Figure]] = defaultdict(list)
    for figure in mentioned_results:
        by_group[INDICATORS[figure.indicator].group].append(figure)

    numbered: list[str] = [" ".join(w.fill(t) for t in rng.sample(T.LEADERSHIP, rng.randint(1, 2)))]
    groups = ["economy", "investment", "agriculture", "society"]
    if rng.random() < 0.5:
        groups[1], groups[2] = groups[2], groups[1]
    for group in ["party", *groups]:
        clauses = [_result_clause(w, spec, f) for f in by_group[group]]
        clauses += [w.fill(t) for t in rng.sample(T.GROUP_EXTRAS[group], rng.randint(0, 2))]
        rng.shuffle(clauses)
        if not clauses:
            continue
        text = f"{w.pick(T.GROUP_LEADS[group])}: {'; '.join(clauses)}."
        if group == "party":
            text += " " + " ".join(rng.sample(T.PARTY_BUILDING, rng.randint(1, 2)))
        numbered.append(text)
    numbered.append(w.pick(T.DEFENCE))
    paragraphs.extend(f"{i}. {_cap(text)}" for i, text in enumerate(numbered, start=1))

    paragraphs.append(w.pick(T.LIMITATIONS_LEADS))
    for i, text in enumerate(rng.sample(T.LIMITATIONS, rng.randint(3, 6)), start=1):
        paragraphs.append(_item_marker(rng, i) + text)

    paragraphs.append(w.pick(T.TARGETS_HEADINGS))
    section = 1
    if rng.random() < 0.6:
        paragraphs.append(f"{section}. Chủ đề năm {spec.year + 1}: {rng.choice(T.MOTTOS)}.")
        section += 1
    if rng.random() < 0.5:
        paragraphs.append(f"{section}. {rng.choice(T.GENERAL_GOALS)}")
        section += 1
    paragraphs.append(f"{section}. {w.pick(T.TARGET_LIST_LEADS)}")
    items = [
        w.pick(ind.target_phrases, spec.figures[(ind.key, "target")])
        for ind in T.INDICATORS
        if ind.key in spec.mentioned and ind.has_target
    ]
    for plain in rng.sample(T.PLAIN_TARGETS, rng.randint(1, 3)):
        items.insert(rng.randint(0, len(items)), w.fill(plain))
    paragraphs.extend(_item_marker(rng, i) + text + "." for i, text in enumerate(items, start=1))

    paragraphs.append(w.pick(T.TASKS_HEADINGS))
    tasks = rng.sample(T.TASKS, rng.randint(3, 6)) + [rng.choice(T.TASKS) for _ in range(extra_paragraphs)]
    paragraphs.extend(f"{i}. {text}" for i, text in enumerate(tasks, start=1))
    if rng.random() < 0.6:
        paragraphs.append(w.pick(T.SOURCES))
    paragraphs.extend(w.leftovers_bottom())
    return "\n\n".join(paragraphs) + "\n"


def render_period(
    spec: AnnualSpec, plan: DocPlan, report: PeriodReport, rng: random.Random, registry: FigureRegistry, *,
    extra_paragraphs: int = 0,
) -> str:
    """A part-year report of the province-year in one of three styles: a party committee conclusion in the
    annual one's wording, a statistics office release ("ước tính", "so với cùng kỳ năm trước") or a news item
    ("Trong 9 tháng đầu năm, tỉnh ..."). It states ``report.stated``, with its answer figures where it has them."""
    period = PERIODS[plan.code]
    style = rng.choices(PERIOD_STYLES, weights=(0.4, 0.35, 0.25))[0]
    mode = rng.choices(("title", "body_once", "body_many"), weights=(0.3, 0.4, 0.3))[0]
    w = _Writer(spec, rng, registry, mode)
    w.context["period"] = plan.period.format(Y=spec.year)
    w.context["short"] = rng.choice(period.short)
    w.context["Short"] = _cap(w.context["short"])
    w.context["Tinh"] = _cap(spec.profile.unit_word)
    w.context["date"] = w.date(min(12, max(1, math.ceil(period.end * 12) + 1)))

    clauses = []
    for key in report.stated:
        indicator = INDICATORS[key]
        figure = report.answers.get(key)
        if figure is None:
            value = _period_value(indicator, spec.figures[(key, "result")].value, period.share, rng)
            figure = Figure(key, "result", spec.year, value)
        clause = w.pick(indicator.result_phrases, figure, w.figure_text(figure))
        for old, new in T.PERIOD_REWRITES[style]:
            clause = clause.replace(old, new)
        clauses.append(clause)
    rng.shuffle(clauses)
    half = len(clauses) // 2
    tasks = rng.sample(T.TASKS, rng.randint(2, 5)) + [rng.choice(T.TASKS) for _ in range(extra_paragraphs)]
    paragraphs: list[str]
    if style == "stats":
        title, issuer = w.pick(T.STATS_TITLES), w.pick(T.STATS_ISSUERS)
        paragraphs = [issuer, title] if rng.random() < 0.5 else [title, issuer]
        paragraphs += [*w.leftovers_top(), w.pick(T.STATS_INTROS), w.pick(T.STATS_SECTIONS)]
        if clauses[:half]:
            paragraphs.append(f"{_cap(w.context['period'])}, {'; '.join(clauses[:half])}.")
        paragraphs.append(_cap(w.fill(rng.choice(T.GROUP_EXTRAS["economy"]))) + ".")
        paragraphs.append(w.pick(T.STATS_LEADS))
        paragraphs.extend(_cap(clause) + "." for clause in clauses[half:])
        if extra_paragraphs:
            paragraphs.append("Một số nhiệm vụ thời gian tới:")
            paragraphs.extend(f"- {text}" for text in tasks)
        paragraphs.append(w.pick(T.STATS_CLOSINGS))
    elif style == "news":
        paragraphs = [w.pick(T.NEWS_TITLES), f"Cập nhật: {w.context['date']}"]
        lead = w.pick(T.NEWS_LEADS)
        paragraphs.append(f"{lead}: {'; '.join(clauses[:half])}." if clauses[:half] else f"{lead}.")
        if clauses[half:]:
            paragraphs.append(f"{w.pick(T.NEWS_MIDDLES)}, {'; '.join(clauses[half:])}.")
        paragraphs.append(w.pick(T.NEWS_CLOSINGS))
        paragraphs.extend(tasks[: extra_paragraphs])
    else:
        paragraphs = [w.pick(T.PERIOD_TITLES), *w.leftovers_top()]
        paragraphs.append(w.pick(T.PERIOD_INTROS))
        paragraphs.append(w.pick(T.PERIOD_HEADINGS))
        if clauses[:half]:
            paragraphs.append(f"{_cap(w.context['period'])}, {'; '.join(clauses[:half])}.")
        if clauses[half:]:
            paragraphs.append(f"{w.pick(T.PERIOD_LEADS)}: {'; '.join(clauses[half:])}.")
        paragraphs.append(" ".join(w.fill(t) for t in rng.sample(T.LEADERSHIP[:2] + T.PARTY_BUILDING, 2)))
        paragraphs.append(w.pick(T.DEFENCE))
        paragraphs.append(w.pick(T.PERIOD_TASK_HEADINGS))
        paragraphs.extend(f"{i}. {text}" for i, text in enumerate(tasks, start=1))
        paragraphs.append(w.pick(T.PERIOD_CLOSINGS))
    paragraphs.extend(w.leftovers_bottom())
    return "\n\n".join(paragraphs) + "\n"


# --- questions --------------------------------------------------------------------------------------


def _ascii(name: str) -> str:
    from hoidap.ingest.normalize import strip_accents

    return strip_accents(name)


def _place_forms(profile_name: str, lang: str, rng: random.Random) -> tuple[str, str]:
    """(as the subject of a sentence, as a possessive stem): "tỉnh Nghệ An"/"Nghe An province", "Nghe An"."""
    display = T.DOCUMENT_NAMES.get(profile_name, profile_name)
    municipality = profile_name in T.MUNICIPALITIES
    if lang == "vi":
        word = "thành phố" if municipality else "tỉnh"
        form = rng.choice(T.VIETNAMESE_NAMES.get(profile_name, (f"{word} {display}", display)))
        return form, form
    names = T.ENGLISH_NAMES.get(profile_name, (_ascii(display), display))
    name = rng.choice(names)
    if not municipality and rng.random() < 0.25:
        return f"{name} province", name
    return name, name


def question_text(
    indicator: T.Indicator | T.AskedIndicator, kind: str, province: str, year: int, lang: str, rng: random.Random,
    period: str = "year",
) -> str:
    """A question about ``indicator`` for ``province``; ``year`` is the year the figure is about, ``period`` the part
    of it ("year": the whole year, as the questions on annual reports ask; else a code of ``T.PERIODS``)."""
    if period != "year":
        template = rng.choice(T.PERIOD_QUESTION_TEMPLATES[lang])
        place, stem = _place_forms(province, lang, rng)
        name = rng.choice(indicator.names_vi if lang == "vi" else indicator.names_en)
        forms = PERIODS[period].forms if lang == "vi" else PERIODS[period].english
        when = rng.choice(forms).format(Y=year)
        return _cap(template.format(P=place, Pn=stem, name=name, Name=_cap(name), period=when, Period=_cap(when)))
    templates = T.QUESTION_TEMPLATES[(lang, kind)] + indicator.questions.get((lang, kind), ())
    template = rng.choice(templates)
    place, stem = _place_forms(province, lang, rng)
    name = rng.choice(indicator.names_vi if lang == "vi" else indicator.names_en)
    text = template.format(P=place, Pn=stem, name=name, Name=_cap(name), Y=year, Y1=year)
    return _cap(text)


def make_questions(
    specs: dict[tuple[str, int], AnnualSpec],
    sources: dict[tuple[str, int], str],
    all_provinces: Sequence[str],
    years: Sequence[int],
    seed: int,
    per_document: int,
    unanswerable: int | None,
) -> list[QAItem]:
    """``per_document`` questions on each annual report (alternating languages), then unanswerable ones."""
    rng = _seeded(seed, "questions")
    items: list[QAItem] = []
    for (province, year), spec in specs.items():
        answers = spec.answers()
        start = rng.randrange(2)
        for i, figure in enumerate(rng.sample(answers, min(per_document, len(answers)))):
            lang = ("vi", "en")[(start + i) % 2]
            indicator = INDICATORS[figure.indicator]
            items.append(
                QAItem(
                    id=f"la{len(items) + 1:05d}",
                    question=question_text(indicator, figure.kind, province, figure.year, lang, rng),
                    lang=lang,
                    answers=[figure.text],
                    source=sources[(province, year)],
                    answerable=True,
                    meta={"province": province, "year": figure.year, "report_year": year,
                          "indicator": figure.indicator, "kind": figure.kind, "period": "year"},
                )
            )
    count = max(2, round(0.1 * len(items))) if unanswerable is None else unanswerable
    in_corpus = sorted({province for province, _ in specs})
    absent = [p for p in all_provinces if p not in set(in_corpus)]
    asked = [ind for ind in T.INDICATORS if ind.result_phrases and ind.has_target]
    for i in range(count):
        indicator = rng.choice(asked)
        kind = rng.choice(("result", "target"))
        lang = ("vi", "en")[i % 2]
        if absent and i % 2 == 0:
            province, reason = rng.choice(absent), "province_not_in_corpus"
            year = rng.choice(years) + (1 if kind == "target" else 0)
        else:
            province, reason = rng.choice(in_corpus), "year_not_covered"
            # Results exist for the listed years, targets for the years after them: go past both.
            year = rng.choice((min(years) - 2, max(years) + 2)) if kind == "result" else rng.choice((min(years) - 1, max(years) + 3))
        items.append(
            QAItem(
                id=f"lu{i + 1:04d}",
                question=question_text(indicator, kind, province, year, lang, rng),
                lang=lang,
                answers=[],
                source=None,
                answerable=False,
                meta={"province": province, "year": year, "indicator": indicator.key, "kind": kind, "reason": reason,
                      "period": "year"},
            )
        )
    return items


def make_period_questions(
    corpus: Corpus, files: dict[tuple[str, int, int], str], seed: int, per_document: int
) -> list[QAItem]:
    """``per_document`` questions on each period report that holds answer figures (alternating languages)."""
    rng = _seeded(seed, "period-questions")
    items: list[QAItem] = []
    for (province, year, index), report in corpus.period_reports.items():
        start = rng.randrange(2)
        answers = list(report.answers.values())
        for i, figure in enumerate(rng.sample(answers, min(per_document, len(answers)))):
            lang = ("vi", "en")[(start + i) % 2]
            items.append(
                QAItem(
                    id=f"lp{len(items) + 1:05d}",
                    question=question_text(INDICATORS[figure.indicator], "result", province, year, lang, rng, report.code),
                    lang=lang,
                    answers=[figure.text],
                    source=files[(province, year, index)],
                    answerable=True,
                    meta={"province": province, "year": year, "report_year": year, "indicator": figure.indicator,
                          "kind": "result", "period": report.code},
                )
            )
    return items


def make_absent_questions(corpus: Corpus, plans: Sequence[DocPlan], seed: int, count: int) -> list[QAItem]:
    """Questions on a place, year and period the corpus covers about an indicator no document of theirs states.

    In turn: an indicator the annual report leaves out (a whole-year question; ``part_year_only`` when period
    reports of the year state it), one that never appears (``T.QUESTION_ONLY_INDICATORS``), one that no report of a
    part of the year states, and again one that never appears.
    """
    rng = _seeded(seed, "absent-questions")
    stated: dict[tuple[str, int, str], set[str]] = defaultdict(set)  # (province, year, period code) -> indicators
    codes: dict[tuple[str, int], list[str]] = defaultdict(list)
    for plan in plans:
        if plan.index:
            report = corpus.period_report(plan.province, plan.year, plan.index)
            stated[(plan.province, plan.year, report.code)] |= set(report.stated)
            if report.code not in codes[(plan.province, plan.year)]:
                codes[(plan.province, plan.year)].append(report.code)
    part_year = {key: set().union(*(stated[(*key, code)] for code in found)) for key, found in codes.items()}
    askable = [ind for ind in T.INDICATORS if ind.result_phrases or ind.has_target]

    whole_year = []  # (province, report year, kind, indicator key)
    for (province, year), spec in corpus.specs.items():
        for ind in askable:
            if ind.key not in spec.mentioned:
                whole_year += [(province, year, kind, ind.key) for kind in ("result", "target")
                               if (ind.result_phrases if kind == "result" else ind.has_target)]
    part = [
        (province, year, code, ind.key)
        for (province, year), found in codes.items()
        for code in found
        for ind in askable
        if ind.result_phrases and ind.key not in stated[(province, year, code)]
    ]
    rng.shuffle(whole_year)
    rng.shuffle(part)
    cycle = ["report", "never", "period", "never"] if part else ["report", "never"]
    keys = list(corpus.specs)
    items: list[QAItem] = []
    asked: set[tuple] = set()
    for i in range(count):
        what = cycle[i % len(cycle)]
        lang = ("vi", "en")[(i + i // len(cycle)) % 2]
        part_year_only = False
        if what == "report" and whole_year:
            province, report_year, kind, key = whole_year.pop()
            indicator: T.Indicator | T.AskedIndicator = INDICATORS[key]
            period, year = "year", report_year + (1 if kind == "target" else 0)
            part_year_only = kind == "result" and key in part_year.get((province, report_year), set())
        elif what == "period" and part:
            province, report_year, period, key = part.pop()
            indicator, kind, year = INDICATORS[key], "result", report_year
        else:
            for _ in range(100):
                province, report_year = rng.choice(keys)
                indicator, kind, year = rng.choice(T.QUESTION_ONLY_INDICATORS), "result", report_year
                period = rng.choice(["year", *codes.get((province, report_year), [])]) if indicator.periodic else "year"
                if (province, year, period, indicator.key) not in asked:
                    break
        asked.add((province, year, period, indicator.key))
        items.append(
            QAItem(
                id=f"lx{i + 1:04d}",
                question=question_text(indicator, kind, province, year, lang, rng, period),
                lang=lang,
                answers=[],
                source=None,
                answerable=False,
                meta={"reason": "indicator_absent", "province": province, "year": year, "report_year": report_year,
                      "period": period, "indicator": indicator.key, "kind": kind,
                      "absent_from": "corpus" if isinstance(indicator, T.AskedIndicator) else "documents",
                      "part_year_only": part_year_only},
            )
        )
    return items


def make_plan_questions(specs: dict[tuple[str, int], AnnualSpec], sources: dict[tuple[str, int], str], seed: int) -> list[QAItem]:
    """A question on the year's budget plan (dự toán) for every annual report that writes it beside the result
    (answer: the plan, not the result in the same sentence), and as many on reports that give only the result's
    share of the plan, where there is nothing to answer with."""
    rng = _seeded(seed, "plan-questions")
    items: list[QAItem] = []
    stated = [key for key, spec in specs.items() if spec.budget_plan and spec.budget_plan.is_answer]
    share_only = [key for key, spec in specs.items() if spec.budget_plan and not spec.budget_plan.is_answer]
    share_only = rng.sample(share_only, min(len(stated), len(share_only)))
    for i, (province, year) in enumerate(stated + share_only):
        plan = specs[(province, year)].budget_plan
        lang = ("vi", "en")[i % 2]
        place, stem = _place_forms(province, lang, rng)
        name = rng.choice(T.BUDGET_PLAN_NAMES[lang])
        question = rng.choice(T.BUDGET_PLAN_QUESTIONS[lang]).format(P=place, Pn=stem, name=name, Name=_cap(name), Y=year)
        meta = {"province": province, "year": year, "report_year": year, "indicator": "budget_revenue", "kind": "plan",
                "period": "year"}
        if plan.is_answer:
            item = QAItem(f"lb{i + 1:04d}", _cap(question), lang, [plan.text], sources[(province, year)], True, meta)
        else:
            item = QAItem(f"lr{i + 1:04d}", _cap(question), lang, [], None, False, {**meta, "reason": "role_absent"})
        items.append(item)
    return items


# --- the corpus -------------------------------------------------------------------------------------


@dataclass
class Summary:
    out_dir: str
    seed: int
    provinces: list[str]
    years: list[int]
    docs_per_province_year: int
    documents: int
    annual_documents: int
    period_documents: int
    answer_figures: int
    questions: int
    answerable: int
    unanswerable: int
    languages: dict[str, int]
    chunks: int  # as ingest.chunking would cut the cleaned text
    characters: int
    seconds: float
    qa_path: str
    manifest_path: str
    period_answerable: int = 0  # of the answerable: questions on a part of the year, answered by a period report
    indicator_absent: int = 0  # of the unanswerable: the indicator is stated nowhere for that place, year and period
    plan_answerable: int = 0  # of the answerable: questions on the budget plan (dự toán) written beside the result

    def lines(self) -> list[str]:
        return [
            f"wrote {self.documents} documents to {self.out_dir} "
            f"({self.annual_documents} annual conclusions, {self.period_documents} period reports; "
            f"{len(self.provinces)} provinces x {len(self.years)} years, {self.docs_per_province_year} per province-year)",
            f"about {self.chunks} chunks, {self.characters / 1e6:.1f} M characters, "
            f"{self.answer_figures} unique answer figures",
            f"{self.questions} questions in {self.qa_path}: {self.answerable} answerable "
            f"({self.period_answerable} about part of a year, {self.plan_answerable} about a budget plan), "
            f"{self.unanswerable} unanswerable "
            f"({self.indicator_absent} about an absent indicator); " + ", ".join(f"{k}: {v}" for k, v in sorted(self.languages.items())),
            f"document list: {self.manifest_path}   ({self.seconds:.1f} s, seed {self.seed})",
        ]


def count_chunks(text: str, chunk_chars: int = 900) -> int:
    """Chunks the ingest would make of this text (cleaning, then structure-aware chunking)."""
    from hoidap.ingest.chunking import chunk_text
    from hoidap.ingest.clean import clean_text

    return len(chunk_text(clean_text(text).text, chunk_chars))


def _plan_documents(provinces: Sequence[str], years: Sequence[int], per_py: int, seed: int) -> list[DocPlan]:
    keys = [(p, y, k) for p in provinces for y in years for k in range(per_py)]
    order = list(range(len(keys)))
    _seeded(seed, "file-order").shuffle(order)  # neighbouring file names say nothing about each other
    plans = []
    for number, (province, year, k) in zip(order, keys, strict=True):
        digest = hashlib.sha1(f"{seed}|{province}|{year}|{k}".encode()).hexdigest()[:12]
        plans.append(_plan(f"{number:05d}_{digest}.txt", province, year, k, seed))
    return plans


def _plan(file: str, province: str, year: int, index: int, seed: int) -> DocPlan:
    if index == 0:
        return DocPlan(file, province, year, 0)
    period = period_of(seed, province, year, index)
    wording = _seeded(seed, "period-wording", province, year, index).choice(period.forms)
    return DocPlan(file, province, year, index, wording, period.code)


def _render(plan: DocPlan, corpus: Corpus, extra: int) -> str:
    spec = corpus.specs[(plan.province, plan.year)]
    rng = _seeded(corpus.seed, "document", plan.province, plan.year, plan.index)
    if plan.index == 0:
        return render_annual(spec, rng, corpus.registry, extra_paragraphs=extra)
    report = corpus.period_report(plan.province, plan.year, plan.index)
    return render_period(spec, plan, report, rng, corpus.registry, extra_paragraphs=extra)


def _documents_for(target_chunks: int, corpus: Corpus, extra: int) -> int:
    """Documents per province-year that reach at least ``target_chunks``, measured on a sample of rendered ones
    (six province-years under-estimated a 100k corpus by 6%, so the sample is bigger and the count rounds up)."""
    keys = list(corpus.specs)
    sample = keys[:: max(1, len(keys) // 24)][:24]
    seed = corpus.seed
    annual = [count_chunks(_render(DocPlan("", p, y, 0), corpus, extra)) for p, y in sample]
    period = [
        count_chunks(_render(_plan("", p, y, k, seed), corpus, extra))
        for p, y in sample
        for k in range(1, 4 * len(T.PERIODS) + 1)
    ]
    per_annual, per_period = sum(annual) / len(annual), sum(period) / len(period)
    missing = target_chunks - per_annual * len(keys)
    return 1 + max(0, math.ceil(missing / (per_period * len(keys))))


def generate(
    out_dir: str | Path,
    provinces: int | Sequence[str] = 50,
    years: Iterable[int] = (2021, 2022, 2023),
    seed: int = DEFAULT_SEED,
    docs_per_province_year: int = 1,
    *,
    target_chunks: int | None = None,
    questions_per_document: int = 4,
    unanswerable: int | None = None,
    extra_paragraphs: int = 0,
    progress: bool | None = None,
    period_questions_per_document: int | None = None,
    absent_indicator: int | None = None,
    plan_questions: bool = True,
) -> Summary:
    """Write the corpus (``.txt`` files), ``qa.jsonl`` and ``documents.jsonl`` into ``out_dir``.

    ``docs_per_province_year``: the annual conclusion plus period reports (quarterly, half-year, ...).
    ``target_chunks`` overrides it with as many as reach about that many chunks (e.g. 100_000).
    ``extra_paragraphs`` lengthens every document with more task paragraphs. ``unanswerable``
    (absent province or year) defaults to a tenth of the whole-year questions. ``progress`` defaults
    to a bar for big corpora. ``period_questions_per_document``: questions on each of a province-year's
    first period reports (one per period; they hold answer figures), default 2 when there are period
    reports. ``absent_indicator``: questions about an indicator stated nowhere for their place, year and
    period, default a tenth of all answerable questions. ``plan_questions``: ask for the year's budget plan
    (dự toán) where the annual report writes it beside the result, and where it gives only the result's share of it
    (unanswerable, reason "role_absent").
    """
    started = time.perf_counter()
    years = sorted(set(int(y) for y in years))
    if not years:
        raise ValueError("at least one year is needed")
    if docs_per_province_year < 1:
        raise ValueError("docs_per_province_year must be at least 1")
    from hoidap.ingest.places import gazetteer

    names = choose_provinces(provinces, seed)
    profiles = [make_profile(name, seed) for name in names]
    if target_chunks:  # measured on reports without period answers; the figures are drawn again below
        registry = FigureRegistry()
        specs = draw_figures(profiles, years, seed, registry)
        registry.freeze()
        docs_per_province_year = _documents_for(target_chunks, Corpus(seed, specs, registry), extra_paragraphs)
    if period_questions_per_document is None:
        period_questions_per_document = 2 if docs_per_province_year > 1 else 0
    if period_questions_per_document < 0:
        raise ValueError("period_questions_per_document must not be negative")
    answer_documents = min(docs_per_province_year - 1, len(T.PERIODS)) if period_questions_per_document else 0

    registry = FigureRegistry()
    specs = draw_figures(profiles, years, seed, registry)
    if plan_questions:
        draw_budget_plans(specs, seed, registry)
    corpus = Corpus(seed, specs, registry, draw_period_figures(specs, answer_documents, seed, registry))
    registry.freeze()

    plans = _plan_documents(names, years, docs_per_province_year, seed)
    sources = {(p.province, p.year): p.file for p in plans if p.index == 0}
    files = {(p.province, p.year, p.index): p.file for p in plans}
    answers = {f.text: sources[(s.profile.name, s.year)] for s in specs.values() for f in s.answers()}
    answers |= {f.text: files[key] for key, report in corpus.period_reports.items() for f in report.answers.values()}
    answers |= {s.budget_plan.text: sources[key] for key, s in specs.items() if s.budget_plan and s.budget_plan.is_answer}
    questions = make_questions(
        specs, sources, list(gazetteer().provinces), years, seed, questions_per_document, unanswerable
    )
    period_questions = make_period_questions(corpus, files, seed, period_questions_per_document)
    plan_items = make_plan_questions(specs, sources, seed) if plan_questions else []
    answerable_count = sum(q.answerable for q in questions + plan_items) + len(period_questions)
    if absent_indicator is None:
        absent_indicator = max(2, round(0.1 * answerable_count))
    absent_questions = make_absent_questions(corpus, plans, seed, absent_indicator)
    questions += period_questions + plan_items + absent_questions

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    index = GoldIndex(answers)
    chunks = characters = 0
    manifest = []
    show = progress if progress is not None else len(plans) >= 300
    iterator: Iterable[DocPlan] = plans
    if show:
        from tqdm import tqdm

        iterator = tqdm(plans, desc="look-alike reports", unit="doc", file=sys.stderr)
    for plan in iterator:
        text = _render(plan, corpus, extra_paragraphs)
        (out / plan.file).write_text(text, encoding="utf-8")
        index.scan(plan.file, text)
        n_chunks = count_chunks(text)
        chunks += n_chunks
        characters += len(text)
        manifest.append(
            {"file": plan.file, "province": plan.province, "year": plan.year, "kind": "annual" if plan.index == 0 else "period",
             "period": plan.period.format(Y=plan.year), "period_code": plan.code, "chunks": n_chunks}
        )

    wrong = {gold: found for gold in answers if (found := index.found.get(gold, set())) != {answers[gold]}}
    if wrong:
        examples = "; ".join(f"{g!r} in {sorted(f)} (own: {answers[g]})" for g, f in list(wrong.items())[:5])
        raise LookalikeError(f"{len(wrong)} answer figure(s) not in exactly their own document: {examples}")

    qa_path = write_qa_jsonl(questions, out / "qa.jsonl")
    manifest_path = out / "documents.jsonl"
    manifest.sort(key=lambda row: row["file"])
    manifest_path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in manifest), encoding="utf-8")
    answerable = [q for q in questions if q.answerable]
    return Summary(
        out_dir=str(out),
        seed=seed,
        provinces=names,
        years=years,
        docs_per_province_year=docs_per_province_year,
        documents=len(plans),
        annual_documents=len(sources),
        period_documents=len(plans) - len(sources),
        answer_figures=len(answers),
        questions=len(questions),
        answerable=len(answerable),
        unanswerable=len(questions) - len(answerable),
        languages=dict(Counter(q.lang for q in questions)),
        chunks=chunks,
        characters=characters,
        seconds=round(time.perf_counter() - started, 2),
        qa_path=str(qa_path),
        manifest_path=str(manifest_path),
        period_answerable=len(period_questions),
        indicator_absent=len(absent_questions),
        plan_answerable=sum(q.answerable for q in plan_items),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hoidap.eval.lookalike",
        description="Write a corpus of look-alike provincial reports and questions with one right document each.",
    )
    parser.add_argument("--out", required=True, help="folder to write the .txt files, qa.jsonl and documents.jsonl")
    parser.add_argument("--provinces", type=int, default=50, help="how many of the 63 provinces (default 50)")
    parser.add_argument("--years", type=int, nargs="+", default=[2021, 2022, 2023], help="report years")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--docs-per-province-year", type=int, default=1, help="annual conclusion + period reports")
    parser.add_argument("--target-chunks", type=int, help="add period reports until about this many chunks")
    parser.add_argument("--questions-per-document", type=int, default=4)
    parser.add_argument("--unanswerable", type=int, help="questions on an absent province or year (default: a tenth of the whole-year ones)")
    parser.add_argument(
        "--period-questions-per-document", type=int,
        help="questions on each period report that holds answers (default 2 if there are period reports)",
    )
    parser.add_argument(
        "--absent-indicator", type=int,
        help="questions on an indicator no document of that place/year/period states (default: a tenth of the answerable)",
    )
    parser.add_argument("--extra-paragraphs", type=int, default=0, help="lengthen every document")
    parser.add_argument("--no-plan-questions", action="store_true", help="no questions on the budget plan (dự toán)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    try:
        summary = generate(
            args.out,
            provinces=args.provinces,
            years=args.years,
            seed=args.seed,
            docs_per_province_year=args.docs_per_province_year,
            target_chunks=args.target_chunks,
            questions_per_document=args.questions_per_document,
            unanswerable=args.unanswerable,
            extra_paragraphs=args.extra_paragraphs,
            progress=False if args.no_progress else None,
            period_questions_per_document=args.period_questions_per_document,
            absent_indicator=args.absent_indicator,
            plan_questions=not args.no_plan_questions,
        )
    except (ValueError, LookalikeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
