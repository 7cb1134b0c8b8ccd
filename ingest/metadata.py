"""What a document is about: title, place, date, type, and the years it reports on.

Every province files the same reports every year, so a figure means nothing without its place and
year. Many chunks name neither: a list under "II. CHỈ TIÊU CHỦ YẾU NĂM 2023" in a document whose
issuer is "Ban Chấp hành Đảng bộ tỉnh Bắc Ninh". This module finds those facts once per document
(and per heading, via :func:`years_about`) so that every chunk can carry them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from hoidap.ingest.periods import document_period
from hoidap.ingest.places import Place, gazetteer

# Not inside a number or a date ("18/5/2021"), but "quý I/2023" and "tháng 10/2023" name their year.
_YEAR = re.compile(r"(?<![\d.,-])(?<!\d/)(?:19[5-9]\d|20[0-4]\d)(?![\d.,]\d)")
# Year mentions that do not say what a passage is about: ranges and terms ("2020 - 2025",
# "nhiệm kỳ", "giai đoạn"), horizons ("tầm nhìn đến năm 2050"), comparisons ("so với cùng kỳ năm
# 2021") and the dates of cited documents ("Kết luận số 01-KL/TW, ngày 18/5/2021").
_NOT_ABOUT_BEFORE = re.compile(
    r"(nhiệm kỳ|giai đoạn|thời kỳ|tầm nhìn|đến năm|tới năm|cùng kỳ|so với|so cùng kỳ|từ năm|khóa|khoá|"
    r"số \S+\s*,?\s*ngày \d{1,2}/\d{1,2}/|số \S+\s*,?\s*ngày \d{1,2} tháng \d{1,2} năm|"
    r"compared|since|vision|period|term)\s*(năm\s*)?$",
    re.I,
)
_RANGE_AROUND = re.compile(r"(\d{4}\s*[-–—]\s*$)|(^\s*[-–—]\s*\d{4})")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.I)
_DOC_TYPES = [
    ("kết luận", "kết luận"),
    ("nghị quyết", "nghị quyết"),
    ("báo cáo", "báo cáo"),
    ("chỉ thị", "chỉ thị"),
    ("quyết định", "quyết định"),
    ("kế hoạch", "kế hoạch"),
    ("thông báo", "thông báo"),
]
# The issuing body names the document's own place: "Ban Chấp hành Đảng bộ Thành phố Từ Sơn".
_ISSUER = re.compile(
    r"(Đảng bộ|Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)\s*$", re.I
)


@dataclass
class DocumentFacts:
    title: str
    province: str = ""  # province as named in the document (pre-2025 names for older documents)
    locality: str = ""  # the document's own place: the province, or a city/district within it
    province_2025: str = ""
    date: str = ""  # ISO yyyy-mm-dd when found
    doc_type: str = "tin"
    years: list[int] = field(default_factory=list)
    period: str = "year"  # the part of the year it reports on (ingest.periods)


# What a section reports: results already reached ("I. KẾT QUẢ NĂM 2022", "TÌNH HÌNH THỰC HIỆN
# NHIỆM VỤ") or targets and tasks ahead ("II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2023"). A report of year
# Y holds both, for Y and Y+1, with the same indicator wording: the role tells them apart.
_RESULT_HEADING = re.compile(
    r"kết quả|tình hình|đánh giá|ước thực hiện|ước đạt|đã đạt|thực hiện được|results?\b|achievements?", re.I
)
_TARGET_HEADING = re.compile(
    r"mục tiêu|chỉ tiêu|kế hoạch|phương hướng|nhiệm vụ|giải pháp|định hướng|dự kiến|phấn đấu|targets?\b|plans?\b",
    re.I,
)


# "Các chỉ tiêu kinh tế chủ yếu" names indicators, not targets, in a report on part of a year (a
# statistics office's); in an annual conclusion "Một số chỉ tiêu chủ yếu năm 2024" lists targets.
_STRONG_TARGET = re.compile(r"mục tiêu|kế hoạch|phương hướng|nhiệm vụ|giải pháp|định hướng|dự kiến|phấn đấu|targets?\b|plans?\b", re.I)


@functools.lru_cache(maxsize=65536)
def _section_role(headings: tuple[str, ...], doc_period: str) -> str:
    for heading in reversed(headings):
        if _RESULT_HEADING.search(heading):
            return "result"
        if _TARGET_HEADING.search(heading):
            if doc_period not in ("", "year") and not _STRONG_TARGET.search(heading):
                return "result"
            return "target"
    return ""


def section_role(headings: list[str], doc_period: str = "year") -> str:
    """The section's role, "result", "target" or "": the innermost heading that says one decides.
    ``doc_period``: the document's own period (``ingest.periods``)."""
    return _section_role(tuple(headings), doc_period or "year")


_MONTH_YEAR = re.compile(r"\btháng\s+\d{1,2}\s*/\s*((?:19|20)\d\d)(?!\d)", re.I)


def years_about(text: str) -> list[int]:
    """Years a passage is about, leaving out ranges, horizons, comparisons and citation dates."""
    found: list[int] = [int(m.group(1)) for m in _MONTH_YEAR.finditer(text)]
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 8]
        if _NOT_ABOUT_BEFORE.search(before) or _RANGE_AROUND.search(before[-8:]) or _RANGE_AROUND.search(after):
            continue
        found.append(int(match.group(0)))
    return found


# An opening line longer than this that runs over several sentences is the body's first paragraph,
# not a title (a conclusion's title can be 300 characters long, but it is one sentence).
TITLE_MAX_LINE = 200
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+(\w)")


def find_title(text: str) -> str:
    """The first line, or the block of short heading lines that opens the document; "" when the
    document opens straight into its body (a news paragraph), which every chunk's context header
    would otherwise repeat."""
    lines = [line.strip() for line in text.split("\n")]
    block: list[str] = []
    for line in lines:
        if not line:
            if block:
                break
            continue
        if not block and len(line) > TITLE_MAX_LINE and sum(c.isupper() for c in _SENTENCE_BREAK.findall(line)) >= 2:
            return ""
        block.append(line)
        if len(line) > 60 and not line.isupper():
            break
        if sum(len(x) for x in block) > 300:
            break
    return " ".join(block)[:400]


def find_date(text: str) -> str:
    head = text[:1500]
    candidates = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for match in pattern.finditer(head):
            before = head[max(0, match.start() - 30) : match.start()]
            if re.search(r"số \S+\s*,?\s*(ngày)?\s*$", before, re.I):
                continue  # the date of a cited document
            day, month, year = (int(g) for g in match.groups())
            if 1 <= day <= 31 and 1 <= month <= 12:
                candidates.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    return min(candidates)[1] if candidates else ""


def find_doc_type(title: str, text: str) -> str:
    for haystack in (title.lower(), text[:300].lower()):
        for needle, name in _DOC_TYPES:
            if haystack.startswith(needle) or re.match(rf"^\W*{needle}\b", haystack):
                return name
    lowered = title.lower()
    for needle, name in _DOC_TYPES:
        if needle in lowered:
            return name
    return "tin"


def _place_of(text: str, extra: str) -> tuple[Place | None, Place | None]:
    """(province, locality) of a document.

    The body that issues it, named at its head ("Ban Chấp hành Đảng bộ tỉnh Bắc Ninh", "UBND tỉnh
    ...", "Cục Thống kê tỉnh ..."), decides. Otherwise the weight of evidence does: a place written
    with its type word counts more than a bare name, a province more than one of its districts, the
    title and issuing bodies further down more than the body text, and the page footer ("Cổng thông
    tin điện tử tỉnh ...") a little. A lone untyped district name is not enough, and names inside a
    person's name never count (the resolver drops them).
    """
    from hoidap.ingest.places import ISSUER_BEFORE

    gaz = gazetteer()
    mentions = gaz.mentions(text)
    head = 1500  # the title block and the issuer lines under it

    def issued(source: str, mention) -> bool:
        return bool(ISSUER_BEFORE.search(source[max(0, mention.start - 60) : mention.start]))

    for mention in mentions:
        if mention.start > head:
            break
        if issued(text, mention):
            return gaz.provinces.get(mention.place.province), mention.place
    title_end = text.find("\n\n", 0, 400)
    title_end = 400 if title_end < 0 else title_end
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    for mention in mentions:
        weight = (2.0 if mention.typed else 1.0) * (1.0 if mention.place.kind == "province" else 0.5)
        if mention.start < title_end:
            weight *= 2
        if issued(text, mention):
            weight += 3
        scores[mention.place.province] += weight
        first.setdefault(mention.place.province, mention.start)
    for mention in gaz.mentions(extra):  # the page footer: "... TỈNH CAO BẰNG"
        scores[mention.place.province] += 1.0 if mention.typed or issued(extra, mention) else 0.5
        first.setdefault(mention.place.province, len(text) + mention.start)
    if not scores:
        return None, None
    best = max(scores, key=lambda name: (scores[name], -first[name]))
    if scores[best] < 1:
        return None, None
    province = gaz.provinces.get(best)
    return province, province


def extract_facts(text: str, removed_text: str = "") -> DocumentFacts:
    """Facts about a cleaned document; ``removed_text`` (the page's footer) is a weak place hint."""
    title = find_title(text)
    date = find_date(text)
    province, locality = _place_of(text, removed_text)
    counts = Counter(years_about(text))
    years = set(years_about(title))
    if date:
        years.add(int(date[:4]))
    if counts:
        top = counts.most_common(1)[0][1]
        years |= {year for year, n in counts.items() if n >= max(2, 0.5 * top)}
        if not years:
            years.add(counts.most_common(1)[0][0])
    return DocumentFacts(
        title=title,
        province=province.name if province else "",
        locality=locality.name if locality else "",
        province_2025=province.province_2025 if province else "",
        date=date,
        doc_type=find_doc_type(title, text),
        years=sorted(years),
        period=document_period(title, text),
    )
