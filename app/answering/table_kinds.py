"""Which questions want a table: trend, compare, rank and attainment, in Vietnamese and English.

Analysts ask for several figures at once: "Thu ngân sách của Bắc Ninh qua các năm 2021–2023?",
"So sánh mục tiêu FDI năm 2023 của Bắc Ninh và Bắc Giang", "Tỉnh nào có kim ngạch xuất khẩu cao
nhất?", "Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm kế hoạch thu ngân sách?". Each of these is
answered from typed facts as a table (``app.answering.table_answer``); every other question keeps
the single-figure path. A table needs a known indicator: without one no cell can be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hoidap.app.query import QueryScope
from hoidap.ingest.normalize import fold_for_match
from hoidap.ingest.periods import YEAR, YEAR_DIGITS, find_periods

# "cao nhất", "top 5", "highest": an order among places. "ít nhất" is also "at least" (a bound, not an
# order): it ranks only beside "nào"/"which".
_RANK_HIGH = re.compile(
    r"cao nhất|lớn nhất|nhiều nhất|dẫn đầu|đứng đầu|\bcao nhat\b|\blon nhat\b|\bnhieu nhat\b|"
    r"\bhighest\b|\blargest\b|\bbiggest\b|\bmost\b|\bleading\b|\bleads?\b", re.I)
_TOP = re.compile(r"\btop\s*\d*\b", re.I)  # an order, highest first unless a "lowest" word says otherwise
_RANK_LOW = re.compile(r"thấp nhất|nhỏ nhất|\bthap nhat\b|\bnho nhat\b|\blowest\b|\bsmallest\b|\bleast\b|\bbottom\s*\d*\b", re.I)
_RANK_FEWEST = re.compile(r"(?:nào|nao)\b.{0,80}ít nhất|ít nhất.{0,40}(?:nào|nao)\b", re.I)
_TOP_N = re.compile(r"\b(?:top|bottom)\s*(\d{1,2})\b|(\d{1,2})\s+(?:tỉnh|địa phương|tinh|dia phuong|provinces?|places?)\b", re.I)
_ORDER_WORDS = re.compile(r"xếp hạng|sắp xếp|thứ tự|\brank(?:ing)?\b|\bsort(?:ed)?\b|\border(?:ed)?\b", re.I)
_WHICH_PLACE = re.compile(r"(?:tỉnh|thành phố|địa phương|tinh|dia phuong)\s+nào|\bwhich\s+(?:province|city|place|locality)s?\b", re.I)

_TREND = re.compile(
    r"qua các năm|các năm|từng năm|hằng năm|hàng năm|theo năm|qua các quý|các quý|từng quý|theo quý|qua các kỳ|các kỳ|"
    r"diễn biến|xu hướng|biến động|thay đổi thế nào|\bqua cac nam\b|\bcac nam\b|\btung nam\b|\bhang nam\b|\bcac quy\b|\bdien bien\b|"
    r"\bover the years\b|\beach year\b|\bby year\b|\byear by year\b|\bper year\b|\btrend\b|\bover time\b|"
    r"\beach quarter\b|\bby quarter\b|\bquarter by quarter\b|\bevolve[ds]?\b|\bchanged? over\b", re.I)
_QUARTERLY = re.compile(r"qua các quý|các quý|từng quý|theo quý|\bcac quy\b|each quarter|by quarter|quarter by quarter", re.I)
_YEAR_RANGE = re.compile(
    rf"(?:từ\s+(?:năm\s+)?|from\s+|between\s+)?(?<!\d)({YEAR_DIGITS})\s*(?:[-–—]|đến|tới|to|and|until|through)\s*(?:năm\s+)?({YEAR_DIGITS})(?!\d)", re.I)
_SPAN = re.compile(r"giai đoạn|nhiệm kỳ|bình quân\s+(?:giai đoạn|hằng năm|hàng năm|mỗi năm|\d+\s*năm)|\bgiai doan\b|\bperiod of\b|\baverage annual\b", re.I)

_COMPARE = re.compile(r"so sánh|đối chiếu|\bso sanh\b|\bdoi chieu\b|\bcompare[ds]?\b|\bcomparison\b|\bversus\b|\bvs\.?\b|\bagainst\b", re.I)
_TARGET_WORD = re.compile(r"mục tiêu|chỉ tiêu|kế hoạch|dự toán|\bmuc tieu\b|\bchi tieu\b|\bke hoach\b|\bdu toan\b|\btargets?\b|\bplan(?:ned)?\b|\bgoals?\b|\bbudget(?:ed)?\b", re.I)
_RESULT_WORD = re.compile(r"kết quả|thực hiện|thực tế|đạt được|\bket qua\b|\bthuc hien\b|\bthuc te\b|\bresults?\b|\bactual(?:ly)?\b|\bachieved\b|\boutturn\b", re.I)
# "đạt bao nhiêu phần trăm kế hoạch", "what percentage of its new-rural-standard communes target": a share of a target or plan.
_ATTAINMENT = re.compile(
    r"(?:phần trăm|%|tỷ lệ|phan tram)\s*(?:so với\s*|so voi\s*)?(?P<vi>kế hoạch|mục tiêu|chỉ tiêu|dự toán|nghị quyết|ke hoach|muc tieu|chi tieu|du toan)|"
    r"\b(?:percentage|percent|per cent|share|proportion)\s+of\b.{0,80}?\b(?P<en>target|plan|goal|budget(?!\s+(?:revenue|spending|expenditure|collection|balance)))s?\b", re.I)
# "đạt / hoàn thành bao nhiêu phần trăm kế hoạch" asks how far the plan was reached (a table: result, plan, share);
# "bằng bao nhiêu phần trăm dự toán tỉnh giao" asks the one stated share (the single-figure path).
_ATTAIN_VERB = re.compile(r"đạt|hoàn thành|thực hiện|\bdat\b|\bhoan thanh\b|\breach(?:ed)?\b|\bachieved?\b|\battained?\b|\bmet\b|\bmeet\b|\bfulfil", re.I)
_SAME_PERIOD = re.compile(r"cùng kỳ|năm trước|cung ky|nam truoc|same period|previous year|year[- ]on[- ]year", re.I)


@dataclass
class TableQuery:
    """What a table question asks: its kind and the axes of its cells."""

    kind: str  # "trend", "compare", "rank" or "attainment"
    indicator: str  # canonical key
    places: list[str] = field(default_factory=list)  # asked places ([] for rank: every place stated)
    years: list[int] = field(default_factory=list)  # [] : the years the documents state (trend) or the latest (rank/compare)
    periods: list[str] = field(default_factory=list)  # period codes, at least one
    roles: list[str] = field(default_factory=list)  # asked roles ("result", "target", "plan")
    descending: bool = True  # rank: highest first
    top: int = 0  # rank: how many places asked (0: all, the first answers)


def _both(text: str) -> str:
    return f"{text} \n {fold_for_match(text)}"


def year_range(question: str) -> list[int]:
    """The years of "2021–2023", "từ 2021 đến 2023", "from 2021 to 2023" (a short range), else []."""
    found = _YEAR_RANGE.search(question)
    if not found:
        return []
    low, high = sorted((int(found.group(1)), int(found.group(2))))
    return list(range(low, high + 1)) if 0 < high - low <= 10 else []


def _periods(scope: QueryScope) -> list[str]:
    codes = list(dict.fromkeys(m.code for m in find_periods(scope.question) if m.code not in ("multi",)))
    return codes or [scope.period if scope.period not in ("", "multi") else YEAR]


def table_query(scope: QueryScope) -> TableQuery | None:
    """The table a question asks for, or None (the single-figure path answers it)."""
    if not scope.indicators or scope.answer_kind in ("person", "time"):
        return None
    question = scope.question
    both = _both(question)
    key = scope.indicators[0]
    places = list(dict.fromkeys(scope.localities + scope.provinces))
    role = scope.role or "result"
    periods = _periods(scope)

    high, low = _RANK_HIGH.search(both), _RANK_LOW.search(both) or _RANK_FEWEST.search(question)
    if (high or low or _TOP.search(question) or (_ORDER_WORDS.search(both) and scope.answer_kind != "rank") or
            (_WHICH_PLACE.search(both) and (high or low))) and len(places) != 1 and scope.measure == "level":
        top = _TOP_N.search(question)
        count = int(top.group(1) or top.group(2)) if top else 0
        return TableQuery("rank", key, places, list(scope.years[:1]), periods[:1], [role],
                          descending=not (low and (not high or low.start() < high.start())), top=count)

    attained = _ATTAINMENT.search(question)
    if attained and _ATTAIN_VERB.search(both) and not _SAME_PERIOD.search(question):
        word = (attained.group("vi") or attained.group("en") or "").lower()
        # "dự toán", "kế hoạch", "plan": the council's plan first (a budget's "kế hoạch" is its dự toán); "mục tiêu",
        # "chỉ tiêu", "target": the party's target first. The other one answers when the first is not stated.
        base = "plan" if word in ("dự toán", "du toan", "budget", "kế hoạch", "ke hoach", "plan") else "target"
        return TableQuery("attainment", key, places, list(scope.years), periods[:1], ["result", base])

    targets, results = _TARGET_WORD.search(both), _RESULT_WORD.search(both)
    if targets and results and _COMPARE.search(both) and len(places) <= 1 and not _SAME_PERIOD.search(question):
        # "Compare ... share of the population with health insurance target with the actual result": the
        # indicator's name holds "share of"; the question compares the target with the result.
        return TableQuery("compare", key, places, year_range(question) or list(scope.years), periods, [
            "plan" if scope.role == "plan" else "target", "result"])
    if scope.measure != "level":
        return None
    if (_SPAN.search(question) or scope.period == "multi") and not _TREND.search(both):
        return None  # "giai đoạn 2021-2025" asks one span's figure, not a year-by-year series
    years = year_range(question) or list(scope.years)
    targets, results = _TARGET_WORD.search(both), _RESULT_WORD.search(both)
    if targets and results and (_COMPARE.search(both) or re.search(r"\bvà\b|\band\b|\bvới\b|\bwith\b", question, re.I)) \
            and len(places) <= 1:
        target_role = "plan" if scope.role == "plan" else "target"
        return TableQuery("compare", key, places, years, periods, [target_role, "result"])
    if len(places) >= 2:
        return TableQuery("compare", key, places, years, periods, [role])
    trend = _TREND.search(both)
    if len(periods) >= 2 or _QUARTERLY.search(both):
        quarters = ["q1", "q2", "q3", "q4"] if _QUARTERLY.search(both) and len(periods) < 2 else periods
        return TableQuery("trend", key, places, years, quarters, [role])
    if len(years) >= 2 or trend:
        return TableQuery("trend", key, places, years, periods[:1], [role])
    return None
