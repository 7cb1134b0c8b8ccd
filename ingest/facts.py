"""Typed facts: every figure of a passage with its indicator, role, period and years.

A figure answers a question only when it is the figure asked for: same indicator, place, period,
year and role. The sentence that holds it rarely says all of that ("(5) Thu hút vốn FDI vào các khu
công nghiệp 1.200 triệu USD" says neither the year nor that it is a target), so each figure takes
what its own clause says first, then its passage, its headings and its document:

- indicator: the last indicator named before the figure in its clause (``ingest.indicators``);
- value and unit exactly as printed, and the number parsed (Vietnamese: "." groups, "," decimals);
- measure: the level itself, a change ("tăng 10,2%") or a share of a plan or a base period ("bằng
  99,4% dự toán", "đạt 41% kế hoạch"): a share is never the answer to "how much";
- role: target / plan / estimate / result, from the clause's words, else the section's role;
- period and years: from the clause, else the passage, its headings and the document.

Facts are made once at ingest and stored with their chunk (``app.records``), so every serve process
and a Chroma server see the same ones, and they are replaced with their document.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field

from hoidap.ingest.indicators import ECONOMY_GREW, indicator, indicator_mentions, indicators_in, matchable
from hoidap.ingest.metadata import years_about
from hoidap.ingest.periods import YEAR, find_periods, period_of
from hoidap.ingest.sentences import answer_units

# Bumped whenever extraction changes: stored facts of another version are made again from the chunk
# (cheap, no embedding), so a better extractor needs no re-ingest.
FACTS_VERSION = 13

UNITS = (
    "nghìn tỷ đồng", "ngàn tỷ đồng", "tỷ đồng", "triệu đồng", "nghìn đồng", "đồng/người", "đồng", "tỷ USD", "triệu USD",
    "nghìn USD", "USD", "%", "tạ/ha", "tấn/ha", "nghìn ha", "ha", "héc-ta", "hecta", "nghìn tấn", "tấn", "tạ",
    "doanh nghiệp", "dự án", "triệu lượt khách", "nghìn lượt khách", "lượt khách", "triệu lượt", "nghìn lượt",
    "lượt", "nghìn người", "người", "lao động", "hộ", "tiêu chí/xã", "tiêu chí", "xã", "sản phẩm", "km", "đảng viên",
    "trường", "giường bệnh", "giường", "bác sĩ", "con", "cơ sở", "điểm", "tỷ kWh", "triệu kWh", "kWh", "m3", "năm",
    "chỉ tiêu",
    "billion USD", "million USD", "billion VND", "trillion VND",
)
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w.,/])(?:(?P<low>{_NUMBER})\s?[-–]\s?)?(?P<num>{_NUMBER})(?:/(?P<of>\d[\d.]*))?\s?(?P<unit>{'|'.join(re.escape(u) for u in UNITS)})(?![\w])"
)
_SHARE_AFTER = re.compile(
    r"^\s*(?:so với |so |của )?(?:dự toán|kế hoạch|KH|chỉ tiêu|cùng kỳ|năm trước|mục tiêu|nghị quyết)"
    # who set it: "29,2% dự toán Trung ương giao, 27% dự toán tỉnh giao" are two different shares
    r"(?:\s+(?:năm\s+)?(?:HĐND tỉnh|Trung ương|tỉnh|thành phố|huyện)\s+giao)?", re.I
)
MONEY_UNITS = frozenset(u for u in UNITS if re.search(r"đồng|USD|VND", u))
# Things a figure counts ("242 dự án", "9 chỉ tiêu"): asked for by name ("số dự án"), never an amount.
COUNTED_NOUNS = ("dự án", "doanh nghiệp", "chỉ tiêu", "tiêu chí", "xã", "hộ", "trường", "sản phẩm", "người", "cơ sở")
# "9 chỉ tiêu đã hoàn thành", "bao nhiêu chỉ tiêu": targets counted, not a target set or asked for.
COUNTED_TARGETS = re.compile(r"(?:bao nhiêu|mấy|tổng số|số|\d[\d.,/]*)\s*chỉ tiêu|(?:bao nhieu|may|so)\s+chi tieu", re.I)
_BASE_KINDS = (
    ("budget", re.compile(r"dự toán|du toan|budget", re.I)),
    ("same_period", re.compile(r"cùng kỳ|năm trước|cung ky|nam truoc|same period|previous year|year[- ]on[- ]year|a year earlier", re.I)),
    ("plan", re.compile(r"kế hoạch|\bKH\b|chỉ tiêu|mục tiêu|nghị quyết|ke hoach|chi tieu|muc tieu|\bplan\b|target|resolution", re.I)),
)
_BASE_OWNERS = (
    ("central", re.compile(r"trung ương|trung uong|central", re.I)),
    ("local", re.compile(r"(hđnd )?(tỉnh|thành phố|huyện) giao|(hdnd )?(tinh|thanh pho|huyen) giao|provincial|province|council", re.I)),
)


def share_base(text: str) -> tuple[str, str]:
    """(kind, owner) of the base a share is of: ("budget", "central") for "dự toán Trung ương giao",
    ("same_period", "") for "cùng kỳ" or "the same period of 2021"; "" for what the text does not say.
    The first base named counts ("the annual plan did ... budget revenue reach" is of the plan)."""
    found = [(m.start(), name) for name, pattern in _BASE_KINDS if (m := pattern.search(text))]
    kind = min(found)[1] if found else ""
    owner = next((name for name, pattern in _BASE_OWNERS if pattern.search(text)), "")
    return kind, owner


_SHARE_BEFORE = re.compile(r"(bằng|đạt|được|hoàn thành|tương đương)\s*(khoảng|gần|trên|hơn)?\s*$", re.I)
_CHANGE_BEFORE = re.compile(r"(tăng|giảm|tăng thêm|giảm thêm|có thêm|thêm|tăng trưởng)\s*(khoảng|gần|trên|hơn|bình quân)?\s*$", re.I)
_QUALIFIER = re.compile(r"(?<!\w)(khoảng|gần|trên|hơn|dưới|tối thiểu|ít nhất|tối đa|vượt)\s*$", re.I)
_ESTIMATE = re.compile(r"\b(ước|ước tính|ước đạt|ước thực hiện|dự ước)\b", re.I)  # not "nhà nước đạt"
_TARGET = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|dự kiến|đề ra|định hướng|trở lên", re.I)
_PLAN = re.compile(r"dự toán|kế hoạch (?:giao|vốn|năm)|kế hoạch được giao|HĐND tỉnh giao", re.I)
_RESULT = re.compile(r"\bđạt\b|thực hiện được|\bđã\b|\bcó\b|kết quả|\btăng\b|\bgiảm\b|thành lập mới|giải ngân", re.I)
# Where one figure's clause ends and the next one's begins: a clause keeps its indicator.
_SEGMENT = re.compile(r";|\.\s|:\s|\(trong đó|\btrong đó\b|(?=\briêng\b)")  # "riêng công nghiệp" keeps its words


# The part of the year still ahead after a report's own period (what its tasks and targets are for).
NEXT_PERIOD = {"q1": "q2", "q2": "q3", "q3": "q4", "h1": "h2", "m9": "q4"}


@dataclass
class Fact:
    indicator: str  # canonical key ("fdi"), "" when no known indicator is named
    indicator_text: str  # the clause's words before the figure, as written
    value: str  # as printed: "1.200 triệu USD", "7,39%", "7.748ha"
    number: float | None
    unit: str
    measure: str  # "level", "change" or "share"
    role: str  # "target", "plan", "estimate", "result" or ""
    period: str  # see ingest.periods
    years: list[int] = field(default_factory=list)
    sentence: int = 0  # index among the chunk body's answer units
    qualifier: str = ""  # "gần", "trên", ...
    base: str = ""  # a share's base ("dự toán năm", "kế hoạch", "cùng kỳ"); a change's direction ("tăng", "giảm")

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def written_name(self) -> str:
        """An indicator outside the vocabulary named by the last words of its clause, as written
        ("thiết thực kỷ niệm" for "190 năm")."""
        return re.split(r"[,;:(]", self.indicator_text)[-1].strip()[-60:]


def parse_number(text: str) -> float | None:
    """"1.200" -> 1200, "7,39" -> 7.39, "962,543" -> 962.543 (Vietnamese convention)."""
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _segment_start(text: str, position: int) -> int:
    start = 0
    for match in _SEGMENT.finditer(text, 0, position):
        start = match.end()
    return start


# "phát triển kinh tế - xã hội: tăng trưởng đạt 6,9%": growth with no other indicator is the economy's.
_GROWTH_ALONE = re.compile(r"(^|[:;,]\s*)tăng trưởng\s*(kinh tế\s*)?(đạt|ước đạt)?\s*(khoảng|gần|trên)?\s*$", re.I)
# Words that name an indicator right after its figure and unit ("trồng 5.817ha ngô").
_NAMED_AFTER = {"ngô": "maize_area", "lúa": "rice_area", "khách du lịch": "tourists"}


def _after_last_figure(segment: str) -> str:
    return re.split(rf"{_NUMBER}\s?\S*", segment)[-1]


def _indicator_before(segment: str) -> tuple[str, str]:
    """(key, words) of the indicator a figure belongs to: the first one named since the clause's
    previous figure (a Vietnamese clause names its subject first: "Tổng mức lưu chuyển hàng hóa bán lẻ
    và dịch vụ ước 9.242 tỷ đồng" is retail, not services), else the last one the clause names."""
    local = _after_last_figure(segment)
    mentions = indicator_mentions(local)
    if mentions:
        return mentions[0].key, segment.strip()
    mentions = indicator_mentions(segment)
    if not mentions:
        if (ECONOMY_GREW.search(matchable(segment)) and re.search(r"tăng(?: trưởng)?\s*(khoảng|gần|trên)?\s*$", segment)) \
                or _GROWTH_ALONE.search(segment):
            return "grdp_growth", segment.strip()
        return "", segment.strip()  # no known indicator: its words as written still say what it is
    return mentions[-1].key, segment.strip()


def _indicator_after(unit: str, after: str) -> str:
    """An indicator named by the unit itself ("35 giường bệnh") or by the word right after it."""
    named = indicator_mentions(unit)
    if named and len(unit) > 3:
        return named[0].key
    head = after.strip().lower()
    for words, key in _NAMED_AFTER.items():
        if head.startswith(words):
            return key
    return ""


@dataclass
class ChunkContext:
    """What a chunk's figures inherit: its headings' role, period and years, and the document's period."""

    section: list[str]
    role: str  # the section's role ("result" / "target" / "")
    years: list[int]
    doc_period: str = YEAR


def _heading_period(section: list[str]) -> str:
    for heading in reversed(section):
        code = period_of(heading)
        if code:
            return code
    return ""


def _section_period(context: ChunkContext) -> str:
    """The period a chunk's headings give its figures. In a part-year report a results heading
    reports the document's own period: the title and opening say it more than once, a heading once
    (a real one says "Kết quả 3 tháng đầu năm" in a six-month conclusion)."""
    heading = _heading_period(context.section)
    if context.doc_period != YEAR and context.role != "target":
        return context.doc_period
    return heading or context.doc_period


# A list of targets opened in the sentence: "đề ra các mục tiêu chủ yếu: GRDP tăng 5-6%; ..."
_RESULT_INTRO = re.compile(r"đạt|vượt|tăng trưởng|kết quả|so với cùng kỳ|thực hiện", re.I)
_TARGET_INTRO = re.compile(r"(mục tiêu|chỉ tiêu|phấn đấu|đề ra)[^;:.]{0,60}:\s", re.I)


def _role(segment_before: str, sentence_before: str, section_role: str, share: bool = False) -> str:
    # The words since the clause's previous figure: "ước đạt A, bằng B% dự toán năm là C" makes C the plan.
    # A share is never the plan itself: "29,2% dự toán Trung ương giao, 27% dự toán tỉnh giao".
    local = _after_last_figure(segment_before)
    if not share and _PLAN.search(local) and not re.search(r"\bđạt\b|\bước\b|thực hiện", local, re.I):
        return "plan"
    if _TARGET.search(COUNTED_TARGETS.sub(" ", segment_before)):  # "9 chỉ tiêu đã hoàn thành" counts, sets no target
        return "target"
    if _ESTIMATE.search(segment_before):
        return "estimate"
    intro = _TARGET_INTRO.search(sentence_before)
    # "Một số chỉ tiêu ... tăng trưởng khá so với cùng kỳ:" introduces results, not targets.
    if section_role == "target" or (section_role != "result" and intro and not _RESULT_INTRO.search(intro.group(0))):
        return "target"
    if section_role == "result" or _RESULT.search(segment_before):
        return "result"
    return ""


def sentence_facts(sentence: str, context: ChunkContext, passage_period: str = "", index: int = 0) -> list[Fact]:
    """The facts of one sentence or list item."""
    facts: list[Fact] = []
    sentence_years = years_about(sentence)
    previous: tuple[int, str] = (-1, "")  # (segment start, indicator) of the figure before
    for match in _FIGURE.finditer(sentence):
        number_text, unit = match.group("num"), match.group("unit")
        if match.group("low"):  # a range, "6,5-7%": compared by its upper bound, shown as printed
            number_text = match.group("num")
        before_all = sentence[: match.start()]
        if re.search(r"(ngày|tháng|lần thứ|khóa|khoá|số|thứ)\s*$", before_all, re.I):
            continue
        if unit == "năm" and re.match(r"\s*(19|20)\d\d|\s*(qua|tới|trước|sau|liền|liên tiếp)", sentence[match.end():]):
            continue  # "5 năm 2023" is no count of years; "3 năm qua" is a span, not a figure
        if unit != "%" and re.fullmatch(r"(19|20)\d\d", number_text):
            continue
        start = _segment_start(sentence, match.start())
        segment_before = sentence[start : match.start()]
        after = sentence[match.end() : match.end() + 40]
        key, words = _indicator_before(segment_before)
        named_after = _indicator_after(unit, after)
        if named_after:
            key = named_after
        if not key:  # "(5). 1.200 triệu USD vốn FDI": the name after the figure, within its clause
            tail = re.split(r"[;,.]", after, maxsplit=1)[0]
            # The words right after the figure name it: "173/527 trường học đạt chuẩn quốc gia",
            # "1.060 doanh nghiệp thành lập mới với tổng vốn đăng ký ..." (not the capital named later).
            named = indicator_mentions(f"{unit} {tail}")
            key = named[0].key if named else ""
        if key and unit in MONEY_UNITS and (ind := indicator(key)) and ind.kind == "count":
            # "197 doanh nghiệp được thành lập mới với tổng số vốn ... 2.092,3 tỷ đồng": money is no count
            key = next((k for k in indicators_in(_after_last_figure(segment_before)) if (i := indicator(k)) and i.kind != "count"), "")
        if key and unit != "%" and (ind := indicator(key)) and (ind.kind == "growth" or (ind.kind == "rate" and unit in MONEY_UNITS)):
            key = ""  # "GRDP bình quân đạt 44,04 triệu đồng" is no growth rate: unknown, never a wrong one
        measure = "level"
        if unit == "%" and _SHARE_AFTER.search(after) and not _CHANGE_BEFORE.search(segment_before):
            measure = "share"  # "bằng 99,4% dự toán"; but "tăng 167% so với cùng kỳ" is a change
        elif _CHANGE_BEFORE.search(segment_before) and not (
            key and (ind := indicator(key)) and ind.kind == "growth" and segment_before.count("%") == 0
        ):
            measure = "change"
        if key and measure == "change" and (ind := indicator(key)) and ind.kind == "growth":
            measure = "level"  # "GRDP tăng 7,39%": a growth indicator's value is its change
        # A share or a change reads the figure before it in its clause: "đạt 30.372 tỷ đồng, bằng 99,4% dự toán".
        if measure != "level" and not key and previous[0] == start:
            key = previous[1]
        previous = (start, key)
        own_periods = [m.code for m in find_periods(segment_before) if m.code != "multi"]
        multi = bool(re.search(
            r"giai đoạn\s+\d{4}\s*[-–]\s*\d{4}|bình quân.{0,20}năm|đến năm \d{4}|từ đầu nhiệm kỳ|nhiệm kỳ \d{4}", segment_before, re.I
        ))
        role = _role(segment_before, before_all, context.role, share=measure == "share")
        period = "multi" if multi else (own_periods[-1] if own_periods else passage_period or _section_period(context))
        if role == "target" and not own_periods and not multi and context.doc_period != YEAR and not _heading_period(context.section):
            # A part-year report's targets are for the part of the year still ahead ("nhiệm vụ 6 tháng cuối năm").
            period = NEXT_PERIOD.get(context.doc_period, period)
        years = sorted(set(years_about(segment_before)) or set(sentence_years) or set(context.years))
        qualifier = _QUALIFIER.search(segment_before)
        base = ""
        if measure == "share":
            found = _SHARE_AFTER.search(after)
            base = re.sub(r"^\s*(so với |so |của )?", "", found.group(0)).strip() if found else ""
        elif measure == "change":
            found = _CHANGE_BEFORE.search(segment_before)
            base = "giảm" if found and "giảm" in found.group(1).lower() else "tăng"
        facts.append(
            Fact(
                indicator=key,
                indicator_text=words[-120:],
                value=match.group(0),
                number=parse_number(number_text),
                unit=unit,
                measure=measure,
                role=role,
                period=period,
                years=years,
                sentence=index,
                qualifier=qualifier.group(1) if qualifier else "",
                base=base,
            )
        )
    return facts


def chunk_facts(body: str, context: ChunkContext) -> list[Fact]:
    """The facts of every answer unit of a chunk body, each unit's period read on from the last
    period the passage named before it ("6 tháng đầu năm 2022, ... " then the figures)."""
    facts: list[Fact] = []
    passage_period = ""
    for index, sentence in enumerate(answer_units(body)):
        facts.extend(sentence_facts(sentence, context, passage_period, index))
        named = [m for m in find_periods(sentence) if m.code not in ("multi",)]
        opening = [m for m in named if m.start < 40]
        if opening:
            passage_period = opening[0].code
    return facts


@functools.lru_cache(maxsize=4096)
def _cached_chunk_facts(body: str, section: tuple[str, ...], role: str, years: tuple[int, ...], doc_period: str) -> tuple:
    return tuple(chunk_facts(body, ChunkContext(list(section), role, list(years), doc_period)))


def facts_for(body: str, section: list[str], role: str, years: list[int], doc_period: str = YEAR) -> list[Fact]:
    """``chunk_facts`` memoised: the answer step reads the same passages again and again."""
    return list(_cached_chunk_facts(body, tuple(section), role, tuple(years), doc_period or YEAR))
