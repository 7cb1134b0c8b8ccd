"""Reporting periods: which part of a year a figure covers.

Every province reports the same indicators for a quarter, a half-year, nine or ten months and the
whole year, in the same words. "Kim ngạch xuất khẩu đạt 3.200 triệu USD" means nothing until we know
whether it is "quý I", "6 tháng đầu năm" or the year. This module reads the period from a phrase, a
heading or a document, as one code:

- ``year``: the whole year ("cả năm", or an annual report that names no part of the year);
- ``q1``..``q4``: a quarter ("quý I/2023", "3 tháng đầu năm" is ``q1``);
- ``h1`` / ``h2``: the first / last six months ("6 tháng đầu năm", "nửa đầu năm", "6 tháng cuối năm");
- ``m2``, ``m4``, ``m5``, ``m7``, ``m8``, ``m9``, ``m10``, ``m11``: the first n months of the year;
- ``month1``..``month12``: one month ("tháng 10/2023");
- ``multi``: several years ("giai đoạn 2021 - 2025", "5 năm", "bình quân giai đoạn").

A question that names no period asks for the whole year (:func:`question_period`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoidap.ingest.normalize import fold_for_match

YEAR = "year"
AS_OF = "as_of"  # "tính đến tháng 7/2023", "as of June": a point in time, not a period
_AS_OF = re.compile(
    r"\b(tinh den|tinh toi|den het|as of|up to)\b|\bby (mid-?|the end of |end of |\d{1,2} )?(january|february|march|april|"
    r"may|june|july|august|september|october|november|december)\b"
)
PART_YEAR_NAMES_VI = {
    "q1": "quý I", "q2": "quý II", "q3": "quý III", "q4": "quý IV", "h1": "6 tháng đầu năm",
    "h2": "6 tháng cuối năm", "multi": "nhiều năm", YEAR: "cả năm",
}
PART_YEAR_NAMES_EN = {
    "q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4", "h1": "first half", "h2": "second half",
    "multi": "several years", YEAR: "whole year",
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NUMBER_WORDS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_ENGLISH_MONTHS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
}

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]

# All patterns run on the accent-free, case-folded text (same length as the original's NFC form for
# Vietnamese letters, so match offsets stay meaningful for callers that need positions).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("multi", re.compile(r"\b(giai doan|nhiem ky|thoi ky)\s+\d{4}\s*[-–—]\s*\d{4}|\b\d{4}\s*[-–—]\s*\d{4}\b|"
                         r"\b(5|nam) nam\b|\bbinh quan giai doan\b|\b(period|term)\s+\d{4}\s*[-–—]\s*\d{4}")),
    ("quarter", re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b|\b(?:q|quarter\s*)([1-4])\b|\b(first|second|third|fourth) quarter\b")),
    ("half", re.compile(r"\b(6|sau) thang (dau|cuoi) nam\b|\bnua (dau|cuoi) nam\b|\b(first|second) half\b|\bh([12])\b|"
                        r"\b(6|sau) thang nam (?=\d{4})|\b(first )?six months\b|\bmid-?year\b|\bgiua nam\b")),
    ("months", re.compile(r"\b(\d{1,2}|hai|ba|bon|nam|bay|tam|chin|muoi) thang (?:dau nam|dau|nam (?=\d{4})|qua)\b|"
                          r"\b(?:first )?(\d{1,2}|two|three|four|five|seven|eight|nine|ten|eleven) months\b")),
    ("span", re.compile(r"\bjanuary\s*(?:-|–|to|through)\s*(february|march|april|may|june|july|august|september|october|november)\b")),
    ("month", re.compile(r"\bthang\s+(1[0-2]|0?[1-9])\s*(?:/|nam)\s*(?:19|20)\d\d\b")),
    ("year", re.compile(r"\bca nam\b|\btoan nam\b|\bwhole year\b|\bfull[- ]year\b|\bthe year as a whole\b|"
                        # "the annual plan" is a share's base, not the period asked ("reach in the first half")
                        r"\bannual\b(?! (plan|target|budget|estimate))")),
]
# Periods mentioned as a comparison base or as the time still ahead, not as what a figure covers.
_NOT_COVERED_BEFORE = re.compile(r"(cung ky|so voi|so cung ky|compared with|than)\s*(nam)?\s*$")


@dataclass(frozen=True)
class PeriodMention:
    code: str
    start: int
    end: int


def _code(kind: str, match: re.Match[str]) -> str:
    text = match.group(0)
    if kind == "multi":
        return "multi"
    if kind == "year":
        return YEAR
    if kind == "quarter":
        for group in match.groups():
            if group:
                key = group.strip()
                quarter = _ROMAN.get(key) or _ENGLISH_MONTHS.get(key)
                if quarter:
                    return f"q{quarter}"
        return ""
    if kind == "half":
        if "cuoi" in text or "second" in text or text.endswith("h2"):
            return "h2"
        return "h1"
    if kind == "months":
        word = match.group(1) or match.group(2)
        months = int(word) if word.isdigit() else _NUMBER_WORDS.get(word) or _ENGLISH_MONTHS.get(word, 0)
        if not 1 < months < 12:
            return YEAR if months == 12 else ""
        return {3: "q1", 6: "h1"}.get(months, f"m{months}")
    if kind == "span":
        months = MONTH_NAMES.index(match.group(1)) + 1
        return {3: "q1", 6: "h1"}.get(months, f"m{months}")
    if kind == "month":
        return f"month{int(match.group(1))}"
    return ""


def find_periods(text: str) -> list[PeriodMention]:
    """Every period a text names, in order, leaving out comparison bases ("so với cùng kỳ")."""
    folded = fold_for_match(text)
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if _NOT_COVERED_BEFORE.search(folded[max(0, match.start() - 20) : match.start()]):
                continue
            code = _code(kind, match)
            if code:
                found.append(PeriodMention(code, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def period_of(text: str) -> str:
    """The first period a phrase names, or ""."""
    mentions = find_periods(text)
    return mentions[0].code if mentions else ""


def question_period(question: str) -> str:
    """The period a question asks about: the one it names, else the whole year; a point in time
    ("tính đến tháng 7/2023") is ``AS_OF``."""
    folded = fold_for_match(question)
    if _AS_OF.search(folded):
        return AS_OF
    found = find_periods(question)
    mentions = [m for m in found if m.code != "multi"]
    if mentions and any(m.code == "multi" for m in found) and _END_POINT.search(folded[: mentions[0].start]):
        return "multi"  # "từ đầu nhiệm kỳ 2020 - 2025 đến giữa năm 2023": a span that runs to mid-year
    if mentions:
        return mentions[0].code
    return "multi" if period_of(question) == "multi" else YEAR


_END_POINT = re.compile(r"\b(den|toi|to|until|through)\s*$")
_RESULT_CONTEXT = re.compile(r"(ket qua|danh gia|tinh hinh|thuc hien|so ket|results?)\W*(\w+\W+){0,8}$")
_AHEAD_CONTEXT = re.compile(r"(nhiem vu|giai phap|phuong huong|trien khai|thoi gian toi|tasks?)\W*(\w+\W+){0,6}$")


def document_period(title: str, text: str) -> str:
    """The period a document reports on: a part of the year named in its title or opening as what it
    assesses ("đánh giá kết quả quý I", "tình hình thực hiện nhiệm vụ 6 tháng đầu năm"), else the year.

    The opening of a part-year report also names the period ahead ("nhiệm vụ 6 tháng cuối năm",
    "quý II/2022"): a mention after a results word counts, one after a tasks word does not; without
    either, the first part-year mention of the title, then of the opening, decides.
    """
    for haystack in (title, text[:1200]):
        folded = fold_for_match(haystack)
        mentions = [m for m in find_periods(haystack) if m.code not in (YEAR, "multi")]
        if not mentions:
            continue
        assessed = [m for m in mentions if _RESULT_CONTEXT.search(folded[max(0, m.start - 80) : m.start])]
        if assessed:
            return assessed[0].code
        ahead = [m for m in mentions if _AHEAD_CONTEXT.search(folded[max(0, m.start - 60) : m.start])]
        rest = [m for m in mentions if m not in ahead]
        if rest:
            return rest[0].code
    return YEAR


def period_label(code: str, lang: str = "vi") -> str:
    """A reader's name for a period code: "quý I", "9 tháng đầu năm", "first 9 months"."""
    names = PART_YEAR_NAMES_VI if lang == "vi" else PART_YEAR_NAMES_EN
    if code in names:
        return names[code]
    if code.startswith("month"):
        return f"tháng {code[5:]}" if lang == "vi" else f"month {code[5:]}"
    if code.startswith("m") and code[1:].isdigit():
        return f"{code[1:]} tháng đầu năm" if lang == "vi" else f"first {code[1:]} months"
    return code
