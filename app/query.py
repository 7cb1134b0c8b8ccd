"""What a question pins down: its language, place(s), year(s), and whether it asks for a target.

"Bắc Ninh's 2023 FDI target" must be answered from Bắc Ninh's 2023 targets, not from its 2022 results,
not from Từ Sơn (a city in Bắc Ninh) and not from another province. Retrieval turns this scope into
metadata filters; the answer step uses the intent (target vs result) to choose between look-alike
sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.glossary import vietnamese_terms
from ingest.normalize import fold_for_match, normalize_text
from ingest.places import Place, gazetteer

_VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_TARGET_WORDS = re.compile(
    r"\b(mục tiêu|chỉ tiêu|kế hoạch|phấn đấu|dự kiến|đề ra|muc tieu|chi tieu|ke hoach|phan dau|du kien|targets?|goals?|plan(?:ned)?|aims?|expected)\b", re.I
)
_RESULT_WORDS = re.compile(
    r"\b(đạt|ước đạt|thực hiện được|kết quả|uoc dat|ket qua|was|were|reached|achieved|actual|recorded|estimated)\b", re.I
)
_QUANTITY_WORDS = re.compile(
    r"(bao nhiêu|mấy|tỷ lệ|how (much|many)|\brate\b|\bvalue\b|\btarget\b|"
    r"\bturnover\b|\brevenue\b|\barea\b|\bnumber\b|\bgrowth\b|\bfigure\b)",
    re.I,
)
# "... là gì?" / "what is ...?" ask for a figure only about a report's year or its targets
# ("Mục tiêu GRDP năm 2023 là gì?"); otherwise they ask for a name, a term, a reason.
_OPEN_QUESTION = re.compile(r"(là gì|what (is|was|were))", re.I)


# Questions for a person or a time: the answer is a name or a date the question does not hold.
# "ai" in lower case or opening the question ("AI" is not "who"; "Ai Cập" is Egypt).
_WHO = re.compile(r"(?:(?<=\s)ai|^Ai)(?!\w)(?!\s+Cập)")
_WHO_EN = re.compile(r"\b(who|whom|whose)\b", re.I)
_WHEN = re.compile(
    r"(khi nào|lúc nào|^bao giờ|(?<!chưa )(?<!không )bao giờ\s*\??$|năm nào|ngày nào|tháng nào|thời điểm nào|\bwhen\b|"
    r"\b(what|which) (year|date|month|day)\b)",
    re.I,
)


def answer_kind(question: str) -> str:
    """"person", "time" or "" (anything, a figure included: see :func:`wants_a_figure`)."""
    if _WHO.search(question) or _WHO_EN.search(question):
        return "person"
    if _WHEN.search(question):
        return "time"
    return ""


def wants_a_figure(question: str, years: list[int], intent: str) -> bool:
    return bool(_QUANTITY_WORDS.search(question) or (_OPEN_QUESTION.search(question) and (years or intent == "target")))


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

    @property
    def wanted_role(self) -> str:
        """The kind of section to answer from: the stated intent, else results for a dated question
        ("Kim ngạch xuất khẩu của Cao Bằng năm 2023?" asks what happened; a target only when said)."""
        return self.intent or ("result" if self.years else "")

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


def _places(question: str, known_localities: set[str]) -> list[Place]:
    gaz = gazetteer()
    places = [m.place for m in gaz.mentions(question)]
    if not places:
        places = gaz.mentions_folded(question)
    found: list[Place] = []
    for place in places:
        if place.kind == "district" and place.name not in known_localities:
            # A district no document is about ("khu công nghiệp Yên Phong 2") narrows nothing by
            # itself; its province does only when written as "huyện X"/"thành phố X" ... keep it lexical.
            continue
        if place not in found:
            found.append(place)
    return found


def understand(question: str, known_localities: set[str] | None = None) -> QueryScope:
    """Parse the scope of a question. ``known_localities``: cities/districts that documents are about."""
    question = normalize_text(question).strip()
    places = _places(question, known_localities or set())
    lang = detect_language(question, [p.name for p in places])
    provinces = [p.name for p in places if p.kind == "province"]
    localities = [p.name for p in places if p.kind == "district"]
    # A province named alongside one of its own cities is the city's context, not a second scope.
    provinces = [p for p in provinces if not any(gazetteer().lookup(loc) and gazetteer().lookup(loc).province == p for loc in localities)]
    years = sorted({int(y) for y in _YEAR.findall(question)})
    # Intent words are matched on the accent-free form too, for questions typed without diacritics.
    both = f"{question} \n {fold_for_match(question)}"
    intent = "target" if _TARGET_WORDS.search(both) else "result" if _RESULT_WORDS.search(both) else ""
    search_text, lexical_trust = question, 1.0
    if lang == "en":
        # BM25 runs over Vietnamese text: give it the Vietnamese report terms, plus the names and
        # numbers of the question, which are written the same in both languages.
        terms, lexical_trust = vietnamese_terms(question)
        names = re.findall(r"\b(?:[A-Z][\w-]*|\d[\d.,/%]*)", question)
        search_text = " ".join([terms, *names])
    return QueryScope(
        question=question,
        lang=lang,
        provinces=provinces,
        localities=localities,
        years=years,
        intent=intent,
        wants_figure=wants_a_figure(question, years, intent),
        answer_kind=answer_kind(question),
        search_text=search_text,
        lexical_trust=lexical_trust,
    )
