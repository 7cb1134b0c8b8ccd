"""Which stated figures answer a question: same indicator, period, year, role and measure.

The answer step picks a sentence by how well it matches the question; this module decides whether a
figure in it *is* the figure asked for. A question about the 2023 FDI target must not get the
import-export target from the same list, a first-half result, or last year's figure. When nothing
matches, the answer says so and lists what the documents do state there.

The rules (a fact is one figure of a passage, ``ingest.facts``):
- indicator: the first canonical indicator the question names (``ingest.indicators``);
- measure: a level for "how much", a change for "by how much did it grow", a share for "what share
  of the plan" ("bằng 99,4% dự toán" never answers "how much");
- period: the one the question names; a question that names a year but no period asks for the whole
  year; a question that names neither takes any period, and the answer labels it; a question with a
  date ("đến ngày 15/6") needs a figure whose sentence holds that date;
- year: the question's, when the fact has its own;
- role: a target or plan question takes a target or a plan; a result or estimate question (or a dated
  one with no role word) takes a result, an estimate or a figure whose role no heading states.
"""

from __future__ import annotations

import re

from hoidap.app.query import QueryScope
from hoidap.ingest.facts import COUNTED_NOUNS, MONEY_UNITS, Fact, share_base
from hoidap.ingest.indicators import indicator, indicator_name
from hoidap.ingest.periods import AS_OF, YEAR, period_label

_ROLES_FOR = {
    "target": {"target", "plan"},
    "plan": {"plan"},  # "dự toán" is the budget the council set, not a target the party committee sets
    "estimate": {"estimate", "result", ""},
    "result": {"result", "estimate", ""},
}
ROLE_LABELS_VI = {"target": "mục tiêu", "plan": "kế hoạch", "estimate": "ước tính", "result": "kết quả"}
ROLE_LABELS_EN = {"target": "target", "plan": "plan", "estimate": "estimate", "result": "result"}


def asked_role(scope: QueryScope) -> str:
    return scope.role or ("result" if scope.years else "")


def mismatch(scope: QueryScope, fact: Fact, sentence: str, *, indicator_known: bool = True) -> str:
    """Why ``fact`` does not answer the question ("" when it does). ``indicator_known``: the
    question named a known indicator (else the caller has checked the words itself)."""
    # The indicator the question names first is the one asked: "tỷ trọng kinh tế số trong GRDP" asks
    # the digital economy's share, not GRDP.
    if indicator_known and (not scope.indicators or fact.indicator != scope.indicators[0]):
        return "indicator"
    if _qualifier_mismatch(scope.question, fact.indicator_text):
        return "indicator"  # "FDI ngoài khu công nghiệp" is not "FDI vào các khu công nghiệp"
    if fact.measure != scope.measure:
        return "measure"
    if scope.unit and not unit_fits(scope.unit, fact.unit):
        return "unit"
    asked = indicator(scope.indicators[0]) if scope.indicators else None
    if asked and asked.kind == "rate" and scope.unit in ("", "%") and fact.unit not in ("%", "điểm"):
        return "unit"  # "tỷ lệ trường đạt chuẩn" asks 32,8%, not "173/527 trường"
    if asked and asked.kind == "amount" and not scope.unit and fact.unit in COUNTED_NOUNS:
        return "unit"  # "FDI attracted" is its capital, not "17 dự án" unless projects are asked
    if fact.measure == "share" and any(scope.share_base):
        kind, owner = share_base(fact.base)
        asked_kind, asked_owner = scope.share_base
        if (asked_kind and kind and asked_kind != kind) or (asked_owner and owner and asked_owner != owner):
            return "measure"  # "bằng 29,2% dự toán Trung ương giao" does not answer "dự toán tỉnh giao"
    if scope.day:
        day, month = scope.day.split("/")
        if not re.search(rf"(?<!\d)0?{day}\s*/\s*0?{month}(?!\d)", sentence):
            return "period"
    elif scope.period == AS_OF:
        pass  # "tính đến tháng 7/2023": what stands at a point in time, whatever period the report covers
    elif (scope.years or scope.period_named) and fact.period != scope.period:
        return "period"
    if scope.years and fact.years:
        if scope.period == "multi":  # "giai đoạn 2021 - 2023": a figure reported within the span
            if not any(min(scope.years) <= y <= max(scope.years) for y in fact.years):
                return "year"
        elif not set(scope.years) & set(fact.years):
            return "year"
    role = asked_role(scope)
    if role and fact.role not in _ROLES_FOR[role]:
        return "role"
    return ""


_OUTSIDE_PARKS = re.compile(r"ngoài (?:các )?(?:khu công nghiệp|kcn)|outside (?:the )?industrial parks?", re.I)
_INSIDE_PARKS = re.compile(r"(?:vào|trong) (?:các )?(?:khu công nghiệp|kcn)|(?:into|inside|in) (?:the |its )?industrial parks?", re.I)
_WHOLE = re.compile(r"toàn tỉnh|cả trong (?:và|lẫn) ngoài|province-wide|whole province|in total", re.I)
_PARKS = re.compile(r"khu công nghiệp|\bkcn\b", re.I)


def _qualifier_mismatch(question: str, fact_text: str) -> bool:
    """A question that narrows or widens an indicator ("ngoài khu công nghiệp", "vào các khu công
    nghiệp", "toàn tỉnh") is not answered by a figure stated for another extent."""
    in_parks = bool(_PARKS.search(fact_text))
    outside = bool(re.search(r"ngoài", fact_text, re.I)) and in_parks
    if _OUTSIDE_PARKS.search(question):
        return not outside
    if _INSIDE_PARKS.search(question):
        return not in_parks or outside
    if _WHOLE.search(question):
        return in_parks
    return False


def unit_fits(asked: str, unit: str) -> bool:
    """Whether a fact's unit is the one asked: "money", "count" (no money, no %), or a unit word
    ("trường" fits "trường học"; "tiêu chí/xã" does not fit "xã")."""
    if asked == "money":
        return unit in MONEY_UNITS
    if asked == "count":
        return unit not in MONEY_UNITS and unit != "%"
    if asked == "%":
        return unit == "%"
    unit, asked = unit.lower(), asked.lower()
    return unit == asked or asked.startswith(unit + " ") or unit.startswith(asked + " ")


def fact_label(fact: Fact, lang: str, asked_years: list[int] | None = None) -> str:
    """What kind of figure a fact is: "mục tiêu năm 2023", "6 tháng đầu năm 2023", "Q1 2022 result".
    A fact about several years is labelled with the asked one among them."""
    role = (ROLE_LABELS_VI if lang == "vi" else ROLE_LABELS_EN).get(fact.role, "")
    years = fact.years if len(fact.years) == 1 else [y for y in fact.years if y in (asked_years or [])][:1]
    year = str(years[0]) if years else ""
    period = "" if fact.period == YEAR else period_label(fact.period, lang)
    if fact.period == "multi" and year:  # "từ đầu nhiệm kỳ đến nay": a span that runs to the report's year
        span = f"giai đoạn đến năm {year}" if lang == "vi" else f"period to {year}"
        return " ".join(p for p in (role, span) if p) if lang == "vi" else " ".join(p for p in (span, role) if p)
    if lang == "vi":
        in_year = (year if period.endswith("năm") else f"năm {year}") if year else ""
        return " ".join(p for p in (role, period, in_year) if p)
    return " ".join(p for p in (period, year, role) if p)


def lead_line(scope: QueryScope, fact: Fact, place: str, marker: str) -> str:
    """"Bắc Ninh · mục tiêu năm 2023 · thu hút vốn FDI ...: **1.200 triệu USD** [1]" — the figure is
    copied as printed; an English line adds the number in English notation beside it."""
    vi = scope.lang == "vi"
    when = fact_label(fact, scope.lang, scope.years)
    name = indicator_name(fact.indicator, scope.lang) if fact.indicator else fact.written_name
    if fact.measure == "share":  # "99,4%" is a share of something: say of what
        name += f", so với {fact.base}" if vi else f", share of {_BASES_EN.get(fact.base.lower(), fact.base)}"
    elif fact.measure == "change":
        name += f" ({fact.base})" if vi else (" (fall)" if fact.base == "giảm" else " (rise)")
    qualifier = f"{fact.qualifier} " if fact.qualifier else ""
    value = f"**{qualifier}{fact.value}**"
    if not vi:
        english = english_figure(fact.value)
        if english and english != fact.value:
            # "gần 2 tỷ USD" is "nearly 2 billion USD", not "2 billion USD"
            hedge = _QUALIFIERS_EN.get(fact.qualifier.lower(), fact.qualifier) if fact.qualifier else ""
            value += f" ({hedge + ' ' if hedge else ''}{english})"
    parts = [p for p in (place, when, name) if p]
    return f"{' · '.join(parts)}: {value} {marker}".strip()


_QUALIFIERS_EN = {
    "gần": "nearly", "trên": "over", "hơn": "more than", "khoảng": "about", "dưới": "under", "vượt": "over",
    "ít nhất": "at least", "tối thiểu": "at least", "tối đa": "at most",
}
_BASES_EN = {
    "dự toán": "the budget plan", "dự toán năm": "the annual budget plan", "kế hoạch": "the plan", "kh": "the plan",
    "cùng kỳ": "the same period last year", "năm trước": "the previous year", "chỉ tiêu": "the target",
    "mục tiêu": "the target", "nghị quyết": "the resolution",
}
_UNITS_EN = {
    "tỷ đồng": "billion VND", "triệu đồng": "million VND", "nghìn tỷ đồng": "trillion VND", "triệu USD": "million USD",
    "tỷ USD": "billion USD", "tấn": "tonnes", "doanh nghiệp": "enterprises", "lượt khách": "visitors", "xã": "communes",
}


def english_figure(value: str) -> str:
    """"1.200 triệu USD" -> "1,200 million USD", "7,39%" -> "7.39%" (the value itself is never recomputed)."""
    import re

    match = re.match(r"^([\d.,/\s–-]+)\s*(.*)$", value)
    if not match:
        return ""
    number = match.group(1).strip().replace(".", "\u0000").replace(",", ".").replace("\u0000", ",")
    unit = match.group(2).strip()
    unit = _UNITS_EN.get(unit, unit)
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}".strip()


def describe_available(scope: QueryScope, facts: list[Fact], limit: int = 5) -> list[str]:
    """Up to ``limit`` indicators the passages state for the question's place and year: what the
    user can ask instead."""
    names: list[str] = []
    for fact in facts:
        if not fact.indicator or (scope.years and fact.years and not set(scope.years) & set(fact.years)):
            continue
        name = indicator_name(fact.indicator, scope.lang)
        if name not in names:
            names.append(name)
        if len(names) >= limit:
            break
    return names


_NOT_A_QUANTITY = ("year", "date", "time")


def quantities_in(text: str, lang: str) -> list:
    """The quantities a text states: figures that are not years, dates or citation markers."""
    from hoidap.app.answering.figures import extract_figures
    from hoidap.app.answering.guard import mask_markers

    return [f for f in extract_figures(mask_markers(text), lang) if f.unit not in _NOT_A_QUANTITY and f.kind not in _NOT_A_QUANTITY]


_OK = ("", "")


def llm_relevance(
    text: str, extractive_facts: list[dict], fact_abstained: bool, lang: str, refused: bool = False,
    asked_years: list[int] | None = None,
) -> tuple[str, str]:
    """Why a model answer that passed the presence guard still does not answer the question, as
    (reason key, message) for counters and logs; ("", "") when it does. The extractive step has already matched the question to typed facts:

    - when it found matching facts, every quantity in the model's answer must be one of those facts'
      figures ("93.262 triệu USD", the import-export target, does not answer the FDI question, though
      it stands in the same cited list), and the answer must hold at least one;
    - when it found none (the indicator, period or role asked is not stated), the answer may hold no
      quantity at all.
    A refusal ("không tìm thấy trong tài liệu") may hold no quantity either. Years and dates are
    checked by the presence guard; they are not figures of the indicator.
    """
    from hoidap.app.answering.figures import extract_figures, same_figure
    from hoidap.app.answering.guard import mask_markers

    quantities = quantities_in(text, lang)
    if refused:  # "không tìm thấy trong tài liệu" beside a figure contradicts itself
        return ("refusal_beside_figure", "a refusal beside a figure") if quantities else _OK
    if fact_abstained:
        return ("figure_not_stated", "the documents state no figure of the asked indicator, period and role") if quantities else _OK
    if not extractive_facts:
        return _OK
    asked = [g for fact in extractive_facts for g in extract_figures(str(fact.get("value", "")), "vi")]
    if not quantities:
        return "no_figure", "a figure question answered without its figure"
    for figure in quantities:
        if not any(same_figure(figure, wanted) for wanted in asked):
            return "not_the_asked_figure", f"'{figure.raw}' is not the asked figure"
        before = text[max(0, figure.start - 25) : figure.start].lower()
        said = "giảm" if re.search(r"giảm|fell|fall|decreas|declin|drop", before) else "tăng" if re.search(r"tăng|rose|rise|increas|grew|grow", before) else ""
        stated = {str(f.get("base", "")) for f in extractive_facts if f.get("measure") == "change"}
        if said and stated and said not in stated:
            return "opposite_direction", f"'{said} {figure.raw}': the document says {'/'.join(sorted(stated))}"
    years = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", mask_markers(text))}
    allowed = set(asked_years or []) | {y for f in extractive_facts for y in f.get("years") or []}
    if asked_years and years - allowed:
        return "wrong_year", f"year {min(years - allowed)} is not the asked one"
    return _OK
