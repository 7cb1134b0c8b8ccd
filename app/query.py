"""What a question pins down: its language, place(s), year(s), and whether it asks for a target.

"Bắc Ninh's 2023 FDI target" must be answered from Bắc Ninh's 2023 targets, not from its 2022 results,
not from Từ Sơn (a city in Bắc Ninh) and not from another province. Retrieval turns this scope into
metadata filters; the answer step uses the intent (target vs result) to choose between look-alike
sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hoidap.app.glossary import vietnamese_terms
from hoidap.ingest.facts import COUNTED_NOUNS, COUNTED_TARGETS, MONEY_UNITS, UNITS, share_base
from hoidap.ingest.indicators import indicator, indicator_mentions, indicator_name, indicators_in, matchable
from hoidap.ingest.normalize import fold_for_match, normalize_text
from hoidap.ingest.periods import MONTH_NAMES, YEAR, find_periods, period_label, question_period
from hoidap.ingest.places import Place, gazetteer

_VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_TARGET_WORDS = re.compile(
    r"\b(mục tiêu|chỉ tiêu|kế hoạch|phấn đấu|dự kiến|đề ra|muc tieu|chi tieu|ke hoach|phan dau|du kien|targets?|goals?|plan(?:ned)?|aims?|expected|should|to be reached)\b", re.I
)
_RESULT_WORDS = re.compile(
    r"\b(đạt|ước đạt|thực hiện được|kết quả|uoc dat|ket qua|was|were|reached|achieved?|actual(?:ly)?|recorded|estimated)\b", re.I
)
_QUANTITY_WORDS = re.compile(
    r"(bao nhiêu|\bbao nhieu\b|mấy|tỷ lệ|tỷ trọng|how (much|many|fast|large|big|high)|\bshare\b|\bpercentage\b|\bproportion\b|\brate\b|\bvalue\b|\btarget\b|"
    r"\bturnover\b|\brevenue\b|\barea\b|\bnumber\b|\bgrowth\b|\bfigure\b)",
    re.I,
)
# About a named province or city, a measured thing asks for its figure even without "bao nhiêu"
# ("Diện tích cây thuốc lá của Bắc Kạn quý II năm 2022?").
_MEASURED_NOUN = re.compile(r"\b(diện tích|sản lượng|giá trị|kim ngạch|doanh thu|tổng mức|tổng số|số lượng|tổng thu|tổng chi)\b", re.I)
# "... là gì?" / "what is ...?" ask for a figure only about a report's year or its targets
# ("Mục tiêu GRDP năm 2023 là gì?"); otherwise they ask for a name, a term, a reason.
_OPEN_QUESTION = re.compile(r"(là gì|cho biết|what (is|was|were)|what figure|tell me)", re.I)


# Questions for a person or a time: the answer is a name or a date the question does not hold.
# "ai" in lower case or opening the question ("AI" is not "who"; "Ai Cập" is Egypt).
_WHO = re.compile(r"(?:(?<=\s)ai|^Ai)(?!\w)(?!\s+Cập)")
_WHO_EN = re.compile(r"\b(who|whom|whose)\b", re.I)
_WHEN = re.compile(
    r"(khi nào|lúc nào|^bao giờ|(?<!chưa )(?<!không )bao giờ\s*\??$|năm nào|ngày nào|tháng nào|thời điểm nào|\bwhen\b|"
    r"\b(what|which) (year|date|month|day)\b)",
    re.I,
)


# A place in a ranking ("đứng thứ mấy toàn tỉnh", "xếp hạng", "which rank"): an ordinal, not a figure.
_RANK = re.compile(r"(thứ mấy|thứ bao nhiêu|xếp (hạng|thứ)|đứng thứ|\branks?\b|\branked\b|\branking\b|which place)", re.I)
# "... là gì?" about a theme, a slogan or a name asks for words, not a figure.
_WORDS_ASKED = re.compile(
    r"\b(chủ đề|khẩu hiệu|phương châm|tên gọi|nội dung|themes?|slogans?|mottos?|name[ds]?|called)\b", re.I
)


def answer_kind(question: str) -> str:
    """"person", "time", "rank" or "" (anything, a figure included: see :func:`wants_a_figure`)."""
    if _WHO.search(question) or _WHO_EN.search(question):
        return "person"
    if _WHEN.search(question):
        return "time"
    if _RANK.search(question):
        return "rank"
    return ""


def wants_a_figure(question: str, years: list[int], intent: str) -> bool:
    if _QUANTITY_WORDS.search(question):
        return True
    return bool(_OPEN_QUESTION.search(question) and (years or intent == "target") and not _WORDS_ASKED.search(question))


@dataclass
class QueryScope:
    question: str
    lang: str  # "vi" or "en"
    provinces: list[str] = field(default_factory=list)  # provinces named (pre-2025 names)
    localities: list[str] = field(default_factory=list)  # cities/districts named that documents are about
    years: list[int] = field(default_factory=list)
    intent: str = ""  # "target", "result" or ""
    wants_figure: bool = True
    answer_kind: str = ""  # "person" or "time": the answer holds a name or a date the question does not
    search_text: str = ""  # what BM25 searches: the question, or for English its Vietnamese terms
    lexical_trust: float = 1.0  # how far the lexical side can be trusted (English: glossary coverage)
    indicators: list[str] = field(default_factory=list)  # canonical indicators asked about (ingest.indicators)
    period: str = YEAR  # the period asked about; a question that names none asks for the whole year
    period_named: bool = False  # the question names its period (or a date) itself
    role: str = ""  # "target", "plan", "estimate", "result" or "" (see :func:`question_role`)
    measure: str = "level"  # "level", "change" (how much it grew) or "share" (what share of the plan)
    day: str = ""  # a day the figure runs to ("đến ngày 15/6/2023" -> "15/6")
    unit: str = ""  # the unit asked for: "dự án" ("bao nhiêu dự án FDI"), "money" ("how much FDI capital"), "count"
    share_base: tuple[str, str] = ("", "")  # a share question's base: ("budget", "local") for "dự toán tỉnh giao"
    horizon_years: list[int] = field(default_factory=list)  # "đến năm 2025": a target's horizon, not a document's year

    @property
    def wanted_role(self) -> str:
        """The kind of section to answer from: the stated intent, else results for a dated question
        ("Kim ngạch xuất khẩu của Cao Bằng năm 2023?" asks what happened; a target only when said)."""
        if self.role == "plan":
            return ""  # a plan is stated among results ("bằng 99,4% dự toán") as often as among targets
        role = {"estimate": "result"}.get(self.role, self.role)
        return role or ("result" if self.years else "")

    @property
    def constrained(self) -> bool:
        return bool(self.provinces or self.localities or self.years)

    def describe(self) -> str:
        parts = []
        if self.localities:
            parts.append(", ".join(self.localities))
        elif self.provinces:
            parts.append(", ".join(self.provinces))
        if self.years:
            parts.append(", ".join(str(y) for y in self.years))
        return " · ".join(parts)


# Syllables that are common in questions about reports and are not English words: they recognise
# Vietnamese typed without diacritics ("muc tieu ... cua tinh bac ninh la bao nhieu").
_ACCENTLESS_VIETNAMESE = frozenset(
    "cua la bao nhieu muc tieu chi thu hut von nam tinh thanh pho huyen xa dat uoc ke hoach phan dau "
    "doanh ban le hang hoa dich vu tang truong kinh te nghiep cong nong lam ngan sach nha nuoc "
    "trieu ty dong nguoi dan so ho ngheo duoc cac nhung trong khong nao gi may bang voi tong "
    "san luong gia tri dau tu truc tiep nuoc ngoai khu hien".split()
)


def detect_language(text: str, place_names: list[str]) -> str:
    for name in place_names:
        text = text.replace(name, " ")
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return "vi"
    marked = sum(1 for w in words if _VIETNAMESE_LETTER.search(w))
    if marked / len(words) >= 0.25:
        return "vi"
    if marked == 0:
        accentless = sum(1 for w in words if w.casefold() in _ACCENTLESS_VIETNAMESE)
        if accentless / len(words) >= 0.4:
            return "vi"
    return "en"


def _capitalised(name: str) -> bool:
    return all(word[:1].isupper() for word in name.split())


def _places(question: str, known_localities: set[str]) -> list[Place]:
    """Places a question names, read like documents' ("Vinh Phuc", "BR-VT", "TP.HCM", "ho chi minh
    city"), but forgiving lower case: people type questions carelessly."""
    mentions = gazetteer().mentions(question, lenient=True)
    names_a_province = any(m.place.kind == "province" for m in mentions)
    found: list[Place] = []
    for mention in mentions:
        place = mention.place
        if place.kind == "district" and place.name not in known_localities and not mention.typed and (
            names_a_province or not _capitalised(question[mention.start : mention.end])
        ):
            # An untyped district beside a province ("Cao Bằng đẩy nhanh cao tốc Đồng Đăng - Trà Lĩnh")
            # names a thing in that province; one in lower case is a word ("thống nhất", "đầu tiên du
            # hành"), not the place asked about.
            continue
        # Any other district no document covers ("huyện Gia Bình", "thành phố Bắc Ninh", "Cao Lộc")
        # is still the place asked about: its figures are not its province's, so the answer is
        # "not found", never the province's figure.
        if place not in found:
            found.append(place)
    return found


_PLAN_WORDS = re.compile(
    r"\b(dự toán|du toan|kế hoạch (?:được )?giao|ke hoach giao|budget plan|budgeted|planned budget|revenue plan|"
    r"budget estimate|revenue estimate|planned (?:state )?(?:budget )?revenue|planned budget revenue)\b", re.I)
_ESTIMATE_WORDS = re.compile(r"\b(ước tính|ước đạt|ước thực hiện|uoc tinh|uoc dat|estimated?|estimate)\b", re.I)
_SHARE_WORDS = re.compile(
    r"(bao nhiêu|mấy)\s*(phần trăm|%)\s*(so với\s*)?(kế hoạch|dự toán|chỉ tiêu|mục tiêu)|"
    r"(phần trăm|%|tỷ lệ)\s*(so với\s*)?(kế hoạch|dự toán|cùng kỳ)|(share|percent|per cent|percentage|%) of (the|its|their) [\w'’() ]{0,50}?(plan|target|budget|estimate|same period)|"
    r"(bao nhieu|may)\s*(phan tram|%)\s*(so voi\s*)?(ke hoach|du toan|chi tieu|muc tieu)",
    re.I,
)
_CHANGE_WORDS = re.compile(
    r"\b(tăng|giảm|tang|giam)\s*(thêm|them)?\s*(bao nhiêu|mấy|thế nào|như thế nào|bao nhieu|may)|\btăng trưởng\b|tốc độ tăng|\b(grow|grew|growth|increase|"
    r"increased|rise|rose|fall|fell|decline|declined)\b",
    re.I,
)
_OTHER_ASK = re.compile(r"\b(gì|nào|sao|ai|đâu|bao giờ|what|which|why|how|who|where|when)\b", re.I)
_DAY = re.compile(r"(?:ngày|as of|by|to|until)\s+(\d{1,2})/(\d{1,2})(?:/\d{4})?", re.I)
_MONTHS_EN = "|".join(MONTH_NAMES)
# "by 15 June 2023", "as of June 15": the same day, written the English way.
_DAY_EN = re.compile(rf"\b(?:as of|by|to|until|on)\s+(?:(\d{{1,2}})\s+({_MONTHS_EN})|({_MONTHS_EN})\s+(\d{{1,2}})(?!\d))", re.I)


def question_day(question: str) -> str:
    """The day a figure runs to, as documents write it ("đến ngày 15/6", "by 15 June" -> "15/6"), or ""."""
    found = _DAY.search(question)
    if found:
        return f"{int(found.group(1))}/{int(found.group(2))}"
    found = _DAY_EN.search(question)
    if found:
        day = found.group(1) or found.group(4)
        month = MONTH_NAMES.index((found.group(2) or found.group(3)).lower()) + 1
        return f"{int(day)}/{month}"
    return ""


_COUNT_UNITS = sorted((u for u in UNITS if u not in MONEY_UNITS and u != "%"), key=len, reverse=True)
_UNIT_AFTER_ASK = re.compile(
    r"(?:bao nhiêu|mấy|bao nhieu)\s+(" + "|".join(re.escape(u) for u in _COUNT_UNITS) + r"|phần trăm|tỷ đồng|tiền)(?!\w)", re.I
)
_HOW_MANY = re.compile(r"\bhow many\b(?:\s+(\w+))?", re.I)
_UNACCENTED_NOUNS = {fold_for_match(u): u for u in COUNTED_NOUNS}
_COUNT_NOUN_UNACCENTED = re.compile(r"\b(?:so|bao nhieu)\s+(" + "|".join(map(re.escape, _UNACCENTED_NOUNS)) + r")\b")
_COUNT_NOUN = re.compile(r"(?:\bsố\s+(" + "|".join(map(re.escape, COUNTED_NOUNS)) + r")(?!\w)|\bnumber of\b)", re.I)
_EN_UNITS = {"hectares": "ha", "ha": "ha", "tonnes": "tấn", "tons": "tấn"}
_RATE_ASKED = re.compile(r"(tỷ lệ|tỉ lệ|phần trăm|bao nhiêu\s*%|\bpercent(age)?\b|\bper cent\b|\brate\b|\bshare\b)", re.I)
_MONEY_ASKED = re.compile(r"\b(vốn|tiền|capital|money|funds?)\b", re.I)


_PER = re.compile(r"(?:mỗi|trên|per|/)\s*(xã|người|hộ|ha|dân|commune|person|household)\b", re.I)
_PER_WORDS = {"commune": "xã", "person": "người", "household": "hộ"}
# The base a share question is of: the words after "phần trăm" / "share of" ("... dự toán tỉnh giao").
_SHARE_PHRASE = re.compile(r"(?:phần trăm|phan tram|%|tỷ lệ|share|percent|per cent|percentage)\s+(?:so với\s+|of\s+)?(.{0,60})", re.I)


def asked_share_base(question: str) -> tuple[str, str]:
    """(kind, owner) of the base a share question names ("bao nhiêu phần trăm dự toán tỉnh giao" ->
    ("budget", "local")), read after its share words only: "state budget revenue ... share of the
    annual plan" asks a share of the plan; "Chi ngân sách ... so với cùng kỳ?" the same period's."""
    found = _SHARE_PHRASE.search(question)
    kind, owner = share_base(found.group(1)) if found else ("", "")
    if not kind and _SAME_PERIOD_SHARE.search(question):
        kind = "same_period"
    return kind, owner


def _per(word: str, question: str) -> str:
    """A counted unit per something the question names: "bình quân mỗi xã ... bao nhiêu tiêu chí" ->
    "tiêu chí/xã"."""
    per = _PER.search(question)
    return f"{word}/{_PER_WORDS.get(per.group(1).lower(), per.group(1).lower())}" if per else word


def asked_unit(question: str) -> str:
    """What the figure must be counted in: the unit after "bao nhiêu" ("bao nhiêu dự án FDI" asks for
    projects, not the capital beside them), "count" for "how many", "money" for a question about
    capital or money ("How much FDI capital" is not answered by "242 dự án"), else ""."""
    if _RATE_ASKED.search(question):
        return "%"  # "tỷ lệ giải ngân vốn đầu tư công", "how many percent": a percentage, whatever it is of
    found = _UNIT_AFTER_ASK.search(question)
    if found:
        word = found.group(1).lower()
        word = {"phần trăm": "%", "tỷ đồng": "money", "tiền": "money"}.get(word, word)
        return word if word in ("%", "money") else _per(word, question)
    found = _HOW_MANY.search(question)
    if found:
        return _EN_UNITS.get((found.group(1) or "").lower(), "count")
    found = _COUNT_NOUN.search(question)  # "số dự án FDI", "the number of FDI projects", "số tiêu chí trên mỗi xã"
    if found:
        return _per(found.group(1).lower(), question) if found.group(1) else "count"
    if not _VIETNAMESE_LETTER.search(question):  # "So du an FDI Bac Ninh nam 2022?"
        typed = _COUNT_NOUN_UNACCENTED.search(fold_for_match(question))
        if typed:
            return _UNACCENTED_NOUNS[typed.group(1)]
    if _MONEY_ASKED.search(question):
        return "money"
    return ""


def question_role(question: str, intent: str) -> str:
    """What kind of figure is asked: a plan ("dự toán", the budget the council set), a target, an
    estimate ("ước tính"), a result, or "" when the question does not say."""
    both = f"{question} \n {fold_for_match(question)}"
    if _PLAN_WORDS.search(both):
        return "plan"
    if intent == "target":
        return "target"
    if _ESTIMATE_WORDS.search(both):
        return "estimate"
    return intent


# "Chi ngân sách ... so với cùng kỳ?": the figure as a share of the same period last year.
_SAME_PERIOD_SHARE = re.compile(r"\b(bằng|so với|so)\s+(cùng kỳ|năm trước)|\bcompared (with|to) the same period\b", re.I)


def question_measure(question: str, indicators: list[str]) -> str:
    both = f"{question} \n {fold_for_match(question)}"
    if _SHARE_WORDS.search(both) or (_SAME_PERIOD_SHARE.search(question) and not _CHANGE_WORDS.search(question)):
        return "share"
    growth_indicator = any((ind := indicator(k)) and ind.kind == "growth" for k in indicators)
    if _CHANGE_WORDS.search(both) and not growth_indicator:
        return "change"
    return "level"


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen beside the question (the page's pickers, the API's ``province``/``year``):
    structured, they replace what the question names instead of being written into its text."""

    places: tuple[str, ...] = ()  # provinces or cities/districts
    years: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.places or self.years)


def apply_filters(scope: QueryScope, filters: Filters) -> QueryScope:
    """``scope`` restricted to the filters' places and years (each replaces the question's own)."""
    if not filters:
        return scope
    changes: dict = {}
    if filters.places:
        known = [(name, gazetteer().lookup(name)) for name in filters.places]
        changes["provinces"] = [name for name, place in known if place is None or place.kind == "province"]
        changes["localities"] = [name for name, place in known if place is not None and place.kind != "province"]
    if filters.years:
        changes["years"] = sorted(set(filters.years))
    return replace(scope, **changes)


# "(the result, not the target)", "chứ không phải mục tiêu": a role the question rules out.
_NEGATED_ROLE = re.compile(
    r"\b(?:not|rather than|instead of)\s+(?:the\s+|its\s+)?(?:target|goal|plan|result|estimate)s?\b|"
    r"(?:chứ\s+)?không phải(?:\s+là)?\s+(?:mục tiêu|chỉ tiêu|kế hoạch|kết quả)", re.I
)
# A year inside a date names when something was said ("at the January 2022 conference", "ngày
# 10/1/2022", "tháng 7/2023"), not the year a figure is about, when the question names another year.
_DATED_YEAR = re.compile(
    rf"(?:\b(?:{_MONTHS_EN})\s+(?:\d{{1,2}},?\s+)?"
    r"|\bngày\s+\d{1,2}/\d{1,2}/|\btháng\s+\d{1,2}\s*/\s*|\btháng\s+\d{1,2}\s+năm\s+|\d{1,2}/\d{1,2}/)"
    r"((?:19|20)\d\d)(?!\d)", re.I
)
# "đến năm 2025", "định hướng đến năm 2030", "by 2025": a target's horizon.
_HORIZON_YEAR = re.compile(r"(?:đến năm|tới năm|định hướng đến năm|tầm nhìn đến năm|\bby|\buntil|\bthrough)\s+((?:19|20)\d\d)(?!\d)", re.I)


def figure_years(question: str) -> list[int]:
    """The years a question asks figures for: every year it names, less those that only date when
    something was said, when another year is named ("economy grew in 2021, according to the January
    2022 conference" asks 2021)."""
    named = {int(y) for y in _YEAR.findall(question)}
    dated = {int(m.group(1)) for m in _DATED_YEAR.finditer(question)}
    plain = named - dated
    return sorted(plain or named)


def horizon_years(question: str) -> list[int]:
    return sorted({int(m.group(1)) for m in _HORIZON_YEAR.finditer(question)})


# An indicator inside "trong chỉ tiêu X, ..." or "... trong X" frames the one asked; "riêng Y",
# "only Y" single one out (patterns on the accent-free form indicator mentions are found in).
_FRAME_BEFORE = re.compile(r"\btrong(?: chi tieu| tong| so)?\s*$")
_SINGLED_BEFORE = re.compile(r"\b(?:rieng|chi rieng|only)(?: nganh| khu vuc| the)?\s*$")
_GENERIC_GROWTH = re.compile(r"\b(grdp|gdp|kinh tế|kinh te|economy|economic)\b", re.I)


def asked_indicators(text: str) -> list[str]:
    """The canonical indicators a question names, the asked one first: the first named, unless it
    only frames another ("Trong chỉ tiêu tổng thu ngân sách, ... thu nội địa bao nhiêu?", "tỷ trọng
    kinh tế số trong GRDP"), or another is singled out ("riêng kim ngạch nhập khẩu"); a bare "growth
    rate" beside a sector's growth is that sector's ("the growth rate of the industry sector")."""
    folded = matchable(text)
    mentions = indicator_mentions(text)
    if not mentions:
        return indicators_in(text)
    keys = list(dict.fromkeys(m.key for m in mentions))
    framing = {m.key for m in mentions if _FRAME_BEFORE.search(folded[: m.start])}
    singled = [m.key for m in mentions if _SINGLED_BEFORE.search(folded[: m.start])]
    ordered = list(dict.fromkeys(singled + [k for k in keys if k not in framing] + [k for k in keys if k in framing]))
    sectors = [k for k in ordered if (ind := indicator(k)) and ind.kind == "growth" and k not in ("grdp_growth", "iip", "cpi")]
    if ordered[0] == "grdp_growth" and sectors and not _GENERIC_GROWTH.search(text):
        ordered = [*sectors, *(k for k in ordered if k not in sectors)]
    return ordered


def understand(question: str, known_localities: set[str] | None = None) -> QueryScope:
    """Parse the scope of a question. ``known_localities``: cities/districts that documents are about."""
    question = normalize_text(question).strip()
    places = _places(question, known_localities or set())
    lang = detect_language(question, [p.name for p in places])
    provinces = [p.name for p in places if p.kind == "province"]
    localities = [p.name for p in places if p.kind == "district"]
    # A province named alongside one of its own cities is the city's context, not a second scope.
    provinces = [p for p in provinces if not any(gazetteer().lookup(loc) and gazetteer().lookup(loc).province == p for loc in localities)]
    years = figure_years(question)
    horizon = horizon_years(question)
    # Intent words are matched on the accent-free form too, for questions typed without diacritics;
    # a role the question rules out ("the result, not the target") is no intent.
    unnegated = COUNTED_TARGETS.sub(" ", _NEGATED_ROLE.sub(" ", question))  # "bao nhiêu chỉ tiêu" counts targets
    both = f"{unnegated} \n {fold_for_match(unnegated)}"
    intent = "target" if _TARGET_WORDS.search(both) else "result" if _RESULT_WORDS.search(both) else ""
    search_text, lexical_trust = question, 1.0
    if lang == "en":
        # BM25 runs over Vietnamese text: give it the Vietnamese report terms, plus the names and
        # numbers of the question, which are written the same in both languages.
        terms, lexical_trust = vietnamese_terms(question)
        names = re.findall(r"\b(?:[A-Z][\w-]*|\d[\d.,/%]*)", question)
        search_text = " ".join([terms, *names])
    indicators = asked_indicators(_without_places(question, places))
    if lang == "vi" and not _VIETNAMESE_LETTER.search(question):
        # Typed without diacritics: BM25 indexes the accented words, so give it the accented names of
        # what the question asks (indicators, period) beside its own words.
        search_text = " ".join([question, *(indicator_name(k) for k in indicators), period_label(question_period(question))])
    day = question_day(question)
    measure = question_measure(question, indicators)
    kind = answer_kind(question)
    # "đạt bao nhiêu phần trăm kế hoạch": the plan word names the base, the figure is a result.
    role = "result" if measure == "share" else question_role(unnegated, intent)
    return QueryScope(
        question=question,
        lang=lang,
        provinces=provinces,
        localities=localities,
        years=years,
        intent=intent,
        # A bare indicator ("Chỉ số giá tiêu dùng CPI năm 2023 của Bắc Ninh?") asks for its figure too.
        # About a named place's indicator, any wording asks for its figure (a safe reading: the figure
        # must then match, or the answer is "not found").
        wants_figure=wants_a_figure(question, years, intent) or bool(
            indicators and not kind and (places or not _OTHER_ASK.search(question))
        ) or bool(places and not kind and _MEASURED_NOUN.search(question)),
        answer_kind=kind,
        search_text=search_text,
        lexical_trust=lexical_trust,
        indicators=indicators,
        period=question_period(question),
        period_named=bool(find_periods(question) or day),
        role=role,
        measure=measure,
        day=day,
        unit=asked_unit(_without_places(question, places)),  # "Tiền Giang" holds no "tiền" (money)
        horizon_years=horizon,
        share_base=asked_share_base(question) if measure == "share" else ("", ""),
    )


def _without_places(question: str, places: list[Place]) -> str:
    """The question without its place names: "Bắc Ninh" names no indicator, but "Kinh tế" in a name
    of a place or "Tổng" in "Tổng kim ngạch" must stay."""
    for place in places:
        question = re.sub(re.escape(place.name), " ", question, flags=re.I)
    return question
