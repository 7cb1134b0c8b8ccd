"""Find the figures in Vietnamese or English text and say when two of them are the same quantity.

Why: the answer guard (:mod:`app.answering.guard`) must tell whether a number an LLM wrote is one that
the passages state. Text alone cannot do that ("1.200 triệu USD" and "1.2 billion USD" are one
quantity; "1.200" and "1.020" are not), so each figure is parsed to a canonical value and unit.

Number conventions. Vietnamese writes "." between thousands and "," before decimals
("2.869,514"); English does the opposite ("2,869.514"). Most tokens can be read only one way
("7,39", "7.39", "1.200.000", "2.869,514", "0,5"): they are read that way whatever the language.
Only a token with one separator followed by exactly three digits ("1.200", "30,372") can be read
both ways; it is read with the convention of the text: ``lang`` when given, else the language
guessed from the text's letters (see :func:`guess_language`). We never accept both readings: doing
so would let "1.200 tỷ" (1200 billion) match "1,2 tỷ" (1.2 billion) — a wrong figure by a factor
of a thousand — which is worse than rejecting a good answer. Figures read this way carry
``ambiguous=True``. Numeric dates "5/7/2022" follow the same rule (day first in Vietnamese, month
first in English when both readings are valid).

Offsets (``start``/``end``) refer to the NFC-normalised text (the same as the input for text that
went through :mod:`ingest.normalize`).

Numbers spelled in words ("một nghìn hai trăm triệu USD", "two hundred") are read too, so a model
cannot slip a wrong figure past the guard by writing it out. Glued forms ("1.300tr", "USD1.300",
"1.3B") are read; a number glued to letters the parser does not know ("5G") is compared as written.

Not handled: Roman numerals ("quý II" is handled, other Roman numerals are not), signs and
directions ("tăng"/"giảm" 5% compare equal), approximations ("khoảng", "gần").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from hoidap.ingest.language import guess_language

__all__ = [
    "KINDS",
    "Figure",
    "extract_figures",
    "parse_number",
    "same_figure",
]

KINDS = (
    "number",  # a plain quantity, possibly with a counted unit ("1.200 người")
    "percent",  # "%" or percentage points ("pp")
    "money",  # a currency unit: VND, USD, EUR
    "area",  # canonical unit ha (km2 and m2 are converted)
    "year",  # 4-digit year 1900-2100 without other unit
    "date",  # (year, month, day) with None for missing parts; unit "quarter" for quarters
    "fraction",  # "17/139": (numerator, denominator), not reduced
    "range",  # (low, high); ``of`` is the kind of both ends
    "time",  # "22:04", "7h30": (hour, minute)
    "code",  # document numbers such as "15/2023/NĐ-CP", compared as text
    "unparsed",  # a digit string that is no valid number in either convention, compared as text
)

@dataclass(frozen=True)
class Figure:
    """One figure found in a text.

    ``values`` holds Decimal quantities (after scale words and unit conversion), a (year, month, day)
    tuple for dates, (hour, minute) for times, Decimal (numerator, denominator) for fractions, (low, high) for ranges, or the normalised
    text for codes and unparsed tokens. ``unit`` is canonical ("VND", "USD", "ha", "%", "pp",
    "person", ...; "year" for years, "quarter" for quarter dates) or None. ``per`` keeps a rate's
    denominator ("/người/năm") for display; it is not compared.
    """

    raw: str
    start: int
    end: int
    kind: str
    values: tuple
    unit: str | None = None
    per: str | None = None
    of: str | None = None
    ambiguous: bool = False

    def __str__(self) -> str:
        return self.raw


# --------------------------------------------------------------------------- numbers


def parse_number(token: str, convention: str) -> tuple[Decimal | None, bool]:
    """Read a digit token with "." and "," separators. Returns (value or None, ambiguous).

    ``convention`` ("vi" or "en") decides only tokens that both conventions read validly.
    """
    if "." not in token and "," not in token:
        return Decimal(token), False
    if "." in token and "," in token:
        last = max(token.rfind("."), token.rfind(","))
        dec, thou = token[last], ("," if token[last] == "." else ".")
        if token.count(dec) != 1:
            return None, False
        groups = token[:last].split(thou)
        if not _thousands_groups(groups):
            return None, False
        return Decimal("".join(groups) + "." + token[last + 1 :]), False
    sep = "." if "." in token else ","
    parts = token.split(sep)
    grouped = _thousands_groups(parts)
    if len(parts) > 2:
        return (Decimal("".join(parts)) if grouped else None), False
    if not grouped:
        return Decimal(parts[0] + "." + parts[1]), False
    thousands = (sep == ".") == (convention == "vi")
    value = Decimal("".join(parts)) if thousands else Decimal(parts[0] + "." + parts[1])
    return value, True


def _thousands_groups(groups: list[str]) -> bool:
    first, rest = groups[0], groups[1:]
    return 1 <= len(first) <= 3 and first[0] != "0" and bool(rest) and all(len(g) == 3 for g in rest)


# --------------------------------------------------------------------------- vocabularies


def _key(word: str) -> str:
    """Lookup key of a unit or scale word as matched: NFC, lower case, single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", word)).strip().lower()


def _alt(words) -> str:
    """Regex alternation, longest first, spaces matching any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SCALES = {
    "nghìn tỷ": 12, "ngàn tỷ": 12, "nghìn tỉ": 12, "ngàn tỉ": 12, "trillion": 12,
    "tỷ": 9, "tỉ": 9, "billion": 9, "bn": 9,
    "triệu": 6, "million": 6, "mln": 6,
    "vạn": 4,
    "nghìn": 3, "ngàn": 3, "thousand": 3,
    "trăm": 2, "hundred": 2,
}  # fmt: skip
# Abbreviations written glued to the number only ("1.300tr", "1.3B", "2,5k"): apart they are words.
_GLUED_SCALES = {"tr": 6, "B": 9, "M": 6, "K": 3, "k": 3}

# (kind, canonical unit, factor) for each spelling.
_UNITS: dict[str, tuple[str, str, Decimal]] = {}


def _units(kind: str, unit: str, words: str, factor: str = "1") -> None:
    for w in words.split("|"):
        _UNITS[_key(w)] = (kind, unit, Decimal(factor))


_units("percent", "pp", "điểm phần trăm|điểm %|percentage points|percentage point|pp")
_units("percent", "%", "%|phần trăm|percent|per cent|pct")
_units("money", "VND", "đồng|vnđ|vnd|dong|đ")
_units("money", "USD", "usd|us$|$|đô la mỹ|đô-la mỹ|đô la|đô-la|đôla|dollars|dollar|đô")
_units("money", "EUR", "eur|euro|euros")
_units("area", "ha", "ha|hecta|héc-ta|héc ta|hectares|hectare")
_units("area", "ha", "km2|km²|ki-lô-mét vuông|square kilometres|square kilometers", "100")
_units("area", "ha", "m2|m²|mét vuông|square metres|square meters", "0.0001")
_units("number", "person", "người|people|persons|person|inhabitants")
_units("number", "household", "hộ|households|household")
_units("number", "commune", "xã|communes|commune")
_units("number", "district", "huyện|districts|district")
_units("number", "enterprise", "doanh nghiệp|enterprises|enterprise|businesses|companies")
_units("number", "project", "dự án|projects|project")
_units("number", "tonne", "tấn|tonnes|tonne|tons|ton")
_units("number", "km", "km|ki-lô-mét|kilômét|kilometres|kilometers|kilometre|kilometer")
_units("number", "visit", "lượt khách|lượt|visits|visitor arrivals|arrivals")
_units("number", "times", "lần|times")
_units("number", "years", "năm|years")
_units("number", "months", "tháng|months")
_units("number", "days", "ngày|days")
_units("number", "MW", "mw|megawatt|megawatts")

_SCALE_RE = _alt(_SCALES)
_UNIT_RE = _alt(_UNITS)
_PER_RE = r"(?:người|hộ|năm|tháng|ngày|ha|person|capita|household|year|month|day)"

_NUM = r"\d+(?:[.,]\d+)*"
# Not inside a word or a bigger number, not a name like "Covid-19".
_NUM_START = r"(?<![\w.,])(?<![^\W\d_]-)"
_WORD_END = r"(?![^\W\d_])"


_GLUED_RE = "|".join(sorted(_GLUED_SCALES, key=len, reverse=True))


def _quantity(p: str) -> str:
    """Pattern of one quantity; group names prefixed with ``p`` so a range can hold two. A currency
    may stand glued before the number ("USD1.300"); scale words may follow one another ("13 trăm
    triệu")."""
    return (
        rf"(?:(?P<{p}pre>US\$|\$|USD|VNĐ|VND)\s?(?=\d)|{_NUM_START})(?P<{p}num>{_NUM})"
        rf"(?:(?-i:(?P<{p}glued>{_GLUED_RE})){_WORD_END}"
        rf"|\s*(?P<{p}scale>(?:{_SCALE_RE})(?:\s+(?:{_SCALE_RE}))?{_WORD_END})(?!\s+(?:lệ|trọng)\b))?"
        rf"(?:\s*(?P<{p}unit>(?:{_UNIT_RE})(?<=[%$²])|(?:{_UNIT_RE}){_WORD_END})"
        rf"(?P<{p}per>(?:\s*/\s*{_PER_RE}{_WORD_END}){{1,2}})?)?"
    )


# Spelled-out numbers: digit words add, multipliers scale what came before them.
_DIGIT_WORDS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# The scale words of one word ("trăm", "nghìn", "tỷ", "million"), plus "mươi" (tens).
_MULTIPLIERS = {"mươi": 10, **{w: 10**e for w, e in _SCALES.items() if " " not in w}}
_FILLERS = {"linh", "lẻ", "and"}
_SPELLED_WORD = _alt([*_DIGIT_WORDS, *_MULTIPLIERS, *_FILLERS])
_SPELLED = re.compile(
    rf"(?<![\w.,])(?:{_alt(_DIGIT_WORDS)})(?:[\s-]+(?:{_SPELLED_WORD}))+{_WORD_END}"
    rf"(?:\s*(?P<unit>(?:{_UNIT_RE})(?<=[%$²])|(?:{_UNIT_RE}){_WORD_END}))?", re.I
)


def spelled_value(words: list[str]) -> Decimal | None:
    """"một nghìn hai trăm triệu" -> 1200000000, "hai mươi lăm" -> 25; None unless the words hold a
    multiplier ("một hai" is no number; "mười năm" is ten years, not fifteen)."""
    if not any(w in _MULTIPLIERS or w == "mười" for w in words) or len(words) < 2:
        return None
    groups: list[tuple[int, int]] = []  # (value, scale) of the parts above a thousand
    current = pending = 0
    for word in words:
        if word in _DIGIT_WORDS:
            pending += _DIGIT_WORDS[word]
        elif word in ("mươi", "trăm", "hundred"):
            current += (pending or 1) * _MULTIPLIERS[word]
            pending = 0
        elif word in _MULTIPLIERS:
            scale = _MULTIPLIERS[word]
            value = (current + pending) or 1
            while groups and groups[-1][1] < scale:  # "một nghìn hai trăm triệu": (1.000 + 200) x 10^6
                value += groups.pop()[0]
            groups.append((value * scale, scale))
            current = pending = 0
    return Decimal(sum(v for v, _ in groups) + current + pending)


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = rf"(?:{_alt(_MONTHS)})\.?"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# --------------------------------------------------------------------------- passes

I = re.IGNORECASE  # noqa: E741
_CODE = re.compile(r"(?<![\w.,/])\d+(?:/\d+)*[/-](?:[A-ZĐ]{2,}|QĐ)(?:[-/][A-ZĐ0-9]+)*(?![\w])")
_DATE_DMY_WORDS = re.compile(
    r"(?:ngày\s+)?(?<![\d.,])(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,|/)\s*(\d{4}))?(?!\d)", I
)
_DATE_NUMERIC = re.compile(r"(?<![\w.,/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/.-]\d)(?!\d)")
_DATE_ISO = re.compile(r"(?<![\w.,/-])(\d{4})-(\d{2})-(\d{2})(?![\d/-])")
# "ngày 15/6", and "Sáng 6/7" as news reports date their meetings.
_DATE_DAY_MONTH = re.compile(r"\b(?:ngày|hôm|sáng|trưa|chiều|tối|đêm)\s+(\d{1,2})/(\d{1,2})(?![\d/])", I)
_TIME = re.compile(r"(?<![\w.,:])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\d:])", I)
_DATE_EN_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?!\d)", I)
_DATE_EN_DMY = re.compile(
    rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})(?:,?\s+(\d{{4}}))?(?!\d)", I
)
_DATE_EN_MY = re.compile(rf"\b({_MONTH_RE})(?:\s+of)?,?\s+(\d{{4}})(?!\d)", I)
_MONTH_YEAR = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})(?!\d)", I)
_MONTH_YEAR_NUMERIC = re.compile(r"(?<![\w.,/-])(\d{1,2})/(\d{4})(?![\d/])")
_QUARTER = re.compile(r"\bquý\s+(IV|III|II|I|[1-4])(?:\s*(?:/|-|năm)\s*(\d{4}))?(?!\w)", I)
_QUARTER_EN = re.compile(r"\bQ([1-4])(?:\s*/?\s*(\d{4}))?(?!\w)")
_MONTH_ONLY = re.compile(r"\btháng\s+(\d{1,2})(?![\d/.,]\d)(?!\w)", I)
_MONTH_NAME_ONLY = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
)
_FRACTION = re.compile(
    rf"(?<![\w.,/])(?<![^\W\d_]-)({_NUM})/({_NUM})(?![\d/])(?:\s*(?P<unit>(?:{_UNIT_RE}){_WORD_END}))?", I
)
_RANGE_DASH = re.compile(rf"{_quantity('a')}\s*[-–—~]\s*{_quantity('b')}", I)
_RANGE_WORDS = re.compile(
    rf"\b(?:từ|from|between)\s+{_quantity('a')}\s+(?:đến|tới|to|and)\s+{_quantity('b')}", I
)
_RANGE_BARE_WORDS = re.compile(rf"{_quantity('a')}\s+(?:đến|tới|to)\s+{_quantity('b')}", I)
_YEAR_PREFIXED = re.compile(r"\bnăm\s+(\d{4})(?![\w.,]\d)(?![^\W\d_])", I)
_SINGLE = re.compile(_quantity("a"), I)


def extract_figures(text: str, lang: str | None = None) -> list[Figure]:
    """Every figure in ``text``, in order. ``lang`` ('vi'/'en') decides ambiguous separators."""
    text = unicodedata.normalize("NFC", text)
    if lang is None:
        lang = guess_language(text)
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi', 'en' or None, not {lang!r}")
    return _Scan(text, lang).run()


class _Scan:
    """Runs the passes from most to least specific; each character belongs to one figure at most."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.taken = bytearray(len(text))
        self.found: list[Figure] = []

    def run(self) -> list[Figure]:
        self._pass(_CODE, self._code)
        self._pass(_TIME, lambda m: self._fig(m, "time", (int(m.group(1)), int(m.group(2)))))
        for pattern in (_DATE_ISO, _DATE_NUMERIC):
            self._pass(pattern, self._numeric_date)
        for pattern in (_DATE_DMY_WORDS, _DATE_EN_MDY, _DATE_EN_DMY, _DATE_DAY_MONTH):
            self._pass(pattern, self._worded_date)
        self._pass(_DATE_EN_MY, self._en_month_year)
        for pattern in (_MONTH_YEAR, _MONTH_YEAR_NUMERIC):
            self._pass(pattern, self._month_year)
        self._pass(_QUARTER, self._quarter)
        self._pass(_QUARTER_EN, self._quarter)
        self._pass(_MONTH_ONLY, lambda m: self._date(m, None, int(m.group(1)), None))
        self._pass(_MONTH_NAME_ONLY, lambda m: self._date(m, None, _MONTHS[m.group(1).lower()], None))
        self._pass(_FRACTION, self._fraction)
        self._pass(_RANGE_WORDS, self._range)
        self._pass(_RANGE_DASH, self._range)
        self._pass(_RANGE_BARE_WORDS, self._range)
        self._pass(_YEAR_PREFIXED, self._year)
        self._pass(_SINGLE, self._single)
        self._pass(_SPELLED, self._spelled)
        return sorted(self.found, key=lambda f: f.start)

    # -- machinery

    def _pass(self, pattern: re.Pattern, build) -> None:
        pos = 0
        while (m := pattern.search(self.text, pos)) is not None:
            if m.end() == m.start():
                pos = m.end() + 1
                continue
            if any(self.taken[m.start() : m.end()]):
                pos = m.start() + 1
                continue
            fig = build(m)
            if fig is None:
                pos = m.start() + 1
                continue
            self.found.append(fig)
            self.taken[fig.start : fig.end] = b"\x01" * (fig.end - fig.start)
            pos = fig.end

    def _fig(self, m: re.Match, kind: str, values: tuple, **kw) -> Figure:
        start, end = kw.pop("span", m.span())
        return Figure(self.text[start:end], start, end, kind, values, **kw)

    # -- builders: return None to decline the match

    def _code(self, m: re.Match) -> Figure:
        return self._fig(m, "code", (_norm_text(m.group(0)),))

    def _date(self, m: re.Match, year, month, day, unit=None, ambiguous=False) -> Figure | None:
        if year is not None and not 1900 <= year <= 2100:
            return None
        if month is not None and not 1 <= month <= 12:
            return None
        if day is not None and not 1 <= day <= 31:
            return None
        return self._fig(m, "date", (year, month, day), unit=unit, ambiguous=ambiguous)

    def _numeric_date(self, m: re.Match) -> Figure | None:
        if m.re is _DATE_ISO:
            y, mo, d = (int(g) for g in m.groups())
            return self._date(m, y, mo, d)
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if a > 12 or (b <= 12 and self.lang == "vi"):
            return self._date(m, y, b, a, ambiguous=a <= 12 and a != b)
        return self._date(m, y, a, b, ambiguous=b <= 12 and a != b)

    def _worded_date(self, m: re.Match) -> Figure | None:
        g = m.groups()
        if m.re is _DATE_EN_MDY:
            return self._date(m, _int(g[2]), _MONTHS[g[0].lower().rstrip(".")], int(g[1]))
        if m.re is _DATE_EN_DMY:
            return self._date(m, _int(g[2]), _MONTHS[g[1].lower().rstrip(".")], int(g[0]))
        if m.re is _DATE_DMY_WORDS and g[2] is None and not m.group(0).lower().startswith("ngày"):
            return None  # "6 tháng 7" without "ngày" or a year is too weak to be a date
        return self._date(m, _int(g[2]) if len(g) > 2 else None, int(g[1]), int(g[0]))

    def _en_month_year(self, m: re.Match) -> Figure | None:
        return self._date(m, int(m.group(2)), _MONTHS[m.group(1).lower().rstrip(".")], None)

    def _month_year(self, m: re.Match) -> Figure | None:
        return self._date(m, int(m.group(2)), int(m.group(1)), None)

    def _quarter(self, m: re.Match) -> Figure | None:
        q = m.group(1).lower()
        return self._date(m, _int(m.group(2)), _ROMAN.get(q) or int(q), None, unit="quarter")

    def _fraction(self, m: re.Match) -> Figure | None:
        num, den = (parse_number(g, self.lang)[0] for g in m.group(1, 2))
        if num is None or den is None or den == 0:
            return None
        unit = _UNITS[_key(m.group("unit"))][1] if m.group("unit") else None
        return self._fig(m, "fraction", (num, den), unit=unit)

    def _year(self, m: re.Match) -> Figure | None:
        year = int(m.group(1))
        if not 1900 <= year <= 2100:
            return None
        return self._fig(m, "year", (Decimal(year),), unit="year")

    def _single(self, m: re.Match) -> Figure | None:
        q = self._quantity(m, "a")
        if q is None:
            return None
        end = m.end()
        if q["bare"] and end < len(self.text) and self.text[end].isalpha():
            num = m.group("anum")
            if not re.search(r"[.,]|\d{3}", num):
                return None  # a name such as "5G" or "3D"
            # A figure glued to letters the parser does not know ("1.300trđ"): compared as written,
            # never dropped, so it still needs its own text in a passage.
            word = re.match(r"[^\W_]+", self.text[end:]).group(0)
            return self._fig(m, "unparsed", (_norm_text(m.group(0) + word),), span=(m.start(), end + len(word)))
        if q["kind"] == "unparsed":
            return self._fig(m, "unparsed", (_norm_text(m.group("anum")),))
        if q["bare"] and _is_year(m.group("anum")):
            return self._fig(m, "year", (q["value"],), unit="year")
        return self._fig(m, q["kind"], (q["value"],), unit=q["unit"], per=q["per"], ambiguous=q["ambiguous"])

    def _spelled(self, m: re.Match) -> Figure | None:
        unit_word = m.group("unit")
        spelled = m.group(0)[: m.start("unit") - m.start()] if unit_word else m.group(0)
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", spelled)]
        while words and words[-1] == "năm" and len(words) > 1 and words[-2] in ("mười", "mươi"):
            words.pop()  # "mười năm": ten years
        value = spelled_value(words)
        if value is None:
            return None
        kind, unit = "number", None
        if unit_word:
            kind, unit, factor = _UNITS[_key(unit_word)]
            value *= factor
        return self._fig(m, kind, (value,), unit=unit)

    def _range(self, m: re.Match) -> Figure | None:
        a, b = self._quantity(m, "a"), self._quantity(m, "b")
        if a is None or b is None or "unparsed" in (a["kind"], b["kind"]):
            return None
        if a["unit"] is not None and b["unit"] is not None and a["unit"] != b["unit"]:
            return None
        if a["unit"] is not None and b["unit"] is None:
            return None  # "5% - 7" is no range of percents; leave both to the single pass
        if a["scale"] is None and b["scale"] is not None:
            a["value"] *= b["scale"]
        a_year, b_year = (q["bare"] and _is_year(m.group(p + "num")) for q, p in ((a, "a"), (b, "b")))
        if a_year and b_year:
            of = "year"
            unit = "year"
        elif a_year:
            return None  # "năm 2022 - 30.372 tỷ đồng": a year, then a figure
        else:
            of, unit = b["kind"], b["unit"]
        if a["value"] > b["value"]:
            return None  # "10-3" is no range (a date or a label); leave it to the single pass
        return self._fig(
            m, "range", (a["value"], b["value"]), unit=unit, per=b["per"], of=of,
            ambiguous=a["ambiguous"] or b["ambiguous"],
        )  # fmt: skip

    def _quantity(self, m: re.Match, p: str) -> dict | None:
        """Value, unit and kind of the quantity groups named with prefix ``p``."""
        num, scale_word, unit_word = m.group(p + "num"), m.group(p + "scale"), m.group(p + "unit")
        pre = m.group(p + "pre")
        value, ambiguous = parse_number(num, self.lang)
        if value is None:
            return {"kind": "unparsed", "value": None, "unit": None, "bare": False}
        glued = m.group(p + "glued")
        scale = None
        if scale_word:  # "13 trăm triệu": 10^2 x 10^6; "nghìn tỷ" is listed whole
            scale = Decimal(10) ** sum(_SCALES[_key(w)] for w in re.findall(_SCALE_RE, scale_word, flags=re.I))
        elif glued:
            scale = Decimal(10) ** _GLUED_SCALES[glued]
        if scale is not None:
            value *= scale
        kind, unit, per = "number", None, None
        if unit_word:
            kind, unit, factor = _UNITS[_key(unit_word)]
            value *= factor
            per = _key(m.group(p + "per")).replace(" ", "") if m.group(p + "per") else None
        if pre:
            currency = "VND" if pre.upper().startswith("VN") else "USD"
            if unit is not None and unit != currency:
                return None
            kind, unit = "money", currency
        return {
            "kind": kind,
            "value": value,
            "unit": unit,
            "per": per,
            "scale": scale,
            "ambiguous": ambiguous,
            "bare": not (scale_word or glued or unit_word or pre),
        }


def _int(s: str | None) -> int | None:
    return int(s) if s is not None else None


def _is_year(num: str) -> bool:
    return num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2100


def _norm_text(s: str) -> str:
    """Text identity of codes and unparsed tokens: case and spacing do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s)).upper()


# --------------------------------------------------------------------------- comparison

_QUANTITY_KINDS = ("number", "money", "area")


def _family(kind: str | None) -> str | None:
    return "quantity" if kind in _QUANTITY_KINDS else kind


def _units_compatible(a: str | None, b: str | None) -> bool:
    """A missing unit matches any unit ("30.372 tỷ" and "30.372 tỷ đồng"); two units must agree."""
    return a is None or b is None or a == b


def same_figure(a: Figure, b: Figure) -> bool:
    """True when ``a`` and ``b`` state the same quantity.

    Values must be equal exactly (7,39% is not 7,4%). Units must agree, except that a figure without
    a unit matches one with a unit (tables put units in headers). Percentages only match
    percentages, of the same unit (% or percentage points). Ranges match ranges with equal ends.
    Codes and unparsed tokens match by their text. Dates match when all three parts are equal;
    see the guard for a year supported by a full date.
    """
    if a.kind in ("code", "unparsed") or b.kind in ("code", "unparsed"):
        return a.kind == b.kind and a.values == b.values
    if _family(a.kind) != _family(b.kind):
        return False
    if a.kind == "range":
        if _family(a.of) != _family(b.of):
            return False
        inner = a.of
    else:
        inner = a.kind
    if inner in ("percent", "date"):
        if a.unit != b.unit:
            return False
    elif not _units_compatible(a.unit, b.unit):
        return False
    return a.values == b.values
