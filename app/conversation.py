"""Follow-up questions made stand-alone, by rule (no LLM), so retrieval sees the whole question.

Users ask in turns: "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?" then "Còn doanh thu
bán lẻ hàng hóa và dịch vụ?" or "And Cao Bằng?". The pipeline answers one question at a time and
scopes it by the province and year it names (``app.query.understand``), so a follow-up is rewritten
into a question that carries the province, year and indicator it leaves out:

- a new place replaces the old place, a new year the old year, a new indicator the old indicator;
- a turn is a follow-up when it opens with a cue ("Còn ...", "Thế còn ...", "And ...", "What about
  ...", "... thì sao?"), or when it names neither a place nor a year while the previous turn did
  ("Tổng vốn đầu tư là bao nhiêu?" after a Bắc Ninh 2023 question);
- anything else is a new stand-alone question and is left as it is.

The same place/year substitution serves the page's province and year filters (:func:`with_scope`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from hoidap.app.query import QueryScope, understand
from hoidap.ingest.indicators import indicators_in
from hoidap.ingest.normalize import fold_keeping_offsets, normalize_text
from hoidap.ingest.periods import find_periods
from hoidap.ingest.places import Place, gazetteer

_CUE_START = re.compile(
    r"^\s*(?:(?:thế|vậy|và|vậy thì|the|vay)\s+)?(?:còn|con(?=\s+[a-z]))\b[\s,:]*"
    r"|^\s*(?:and\s+)?(?:what|how)\s+about\b[\s,:]*"
    r"|^\s*(?:and|và|với)\b[\s,:]*",
    re.I,
)
_CUE_END = re.compile(r"[\s,]*(?:thì sao|thì thế nào|thì như thế nào|thi sao|then|instead|nhỉ)?\s*[?.!…]*\s*$", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
_YEAR_WITH_WORD = re.compile(r"(?:\b(?:năm|in|for|of)\s+)?(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)", re.I)
_TYPE_BEFORE = re.compile(r"(?:tỉnh|thành phố|thị xã|huyện|quận|tp\.?|tx\.?|province of|city of)\s+$", re.I)
_EDGE_FILLER = {
    "của", "ở", "tại", "năm", "trong", "vào", "cho", "về", "thì", "sao", "vậy", "nhé", "nhỉ", "cả", "tỉnh",
    "thành", "phố", "huyện", "quận", "in", "of", "for", "the", "a", "an", "year", "province", "city", "at",
    "and", "then", "is", "was", "'s", "s",
}
_VI_TAIL = re.compile(
    r"\s*(?:là bao nhiêu|đạt bao nhiêu|bao nhiêu|là gì|là mấy|như thế nào|thế nào|ra sao)\s*[?.!]*\s*$", re.I
)
_VI_QUESTION_WORD = re.compile(r"\b(?:bao nhiêu|mấy|gì|nào|ra sao)\b", re.I)
_EN_QUESTION_HEAD = re.compile(r"^(?:what|how|which|when|where|who|is|are|was|were|did|does)\b", re.I)
_TARGET_WORDS = re.compile(r"\b(mục tiêu|chỉ tiêu|kế hoạch|phấn đấu|targets?|goals?|plan(?:ned)?)\b", re.I)


@dataclass
class _Span:
    start: int
    end: int
    typed: bool  # written with a type word ("tỉnh Bắc Ninh"): keep one in the replacement


def _place_spans(text: str, names: Iterable[str]) -> list[_Span]:
    """Where the named places are written in ``text`` (with or without accents), type word included."""
    folded = fold_keeping_offsets(text)
    spans: list[_Span] = []
    for name in names:
        key = fold_keeping_offsets(name)
        for match in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            start, end = match.span()
            typed = _TYPE_BEFORE.search(text[:start])
            if typed:
                start = typed.start()
            if not any(s.start < end and start < s.end for s in spans):
                spans.append(_Span(start, end, bool(typed)))
    return sorted(spans, key=lambda s: s.start)


def _place_label(name: str, typed: bool, lang: str) -> str:
    """How to write a place so ``understand`` reads it back as the same place."""
    place: Place | None = gazetteer().lookup(name)
    if place is None or place.kind == "province":
        # "Bắc Ninh" is also a city: a bare name reads as the province, "tỉnh X" says it outright.
        return f"tỉnh {name}" if typed and lang == "vi" else name
    if place.kind == "district" and place.district_type:
        return f"{place.district_type.lower()} {name}"
    return name


def _join(items: Sequence[str], lang: str) -> str:
    return (" và " if lang == "vi" else " and ").join(items)


def _insert_point(text: str) -> int:
    """Where added scope goes: before a Vietnamese "là bao nhiêu" tail, else before the final "?"."""
    tail = _VI_TAIL.search(text)
    if tail and tail.start() > 0:
        return tail.start()
    return len(text.rstrip().rstrip("?.!…").rstrip())


def _insert(text: str, addition: str) -> str:
    at = _insert_point(text)
    return f"{text[:at].rstrip()} {addition}{text[at:]}"


def _scope_places(scope: QueryScope) -> list[str]:
    return scope.localities or scope.provinces


def with_scope(
    question: str,
    places: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    known_localities: set[str] | None = None,
) -> str:
    """``question`` with its place(s) and/or year(s) replaced by these, or added when it names none."""
    question = normalize_text(question).strip()
    scope = understand(question, known_localities)
    lang = scope.lang
    if places:
        spans = _place_spans(question, _scope_places(scope))
        if spans:
            typed = any(s.typed for s in spans)
            label = _join([_place_label(p, typed, lang) for p in places], lang)
            for span in reversed(spans):
                question = question[: span.start] + label + question[span.end :]
        else:
            label = _join([_place_label(p, False, lang) for p in places], lang)
            question = _insert(question, f"của {label}" if lang == "vi" else f"in {label}")
    if years:
        label = _join([str(y) for y in years], lang)
        if _YEAR.search(question):
            question = _YEAR.sub(label, question)
        else:
            question = _insert(question, f"năm {label}" if lang == "vi" else f"in {label}")
    return question


def _text_of(message) -> str:
    """A history item's text: a plain string, or a chat message whose content may be a list of parts."""
    if isinstance(message, str):
        return message
    if isinstance(message, dict):
        content = message.get("content", "")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return " ".join(
                part.get("text", "") if isinstance(part, dict) else part if isinstance(part, str) else ""
                for part in content
            )
    return ""


def _user_turns(history: Iterable) -> list[str]:
    turns = []
    for item in history or []:
        if isinstance(item, dict) and item.get("role", "user") != "user":
            continue
        text = _text_of(item).strip()
        if text:
            turns.append(text)
    return turns


def _strip_cues(turn: str) -> tuple[bool, str]:
    start = _CUE_START.match(turn)
    rest = turn[start.end() :] if start else turn
    end = _CUE_END.search(rest)
    core = rest[: end.start()] if end else rest
    cue_end = bool(end and end.group(0).strip(" ?.!…,"))
    return bool(start) or cue_end, core.strip()


# "in the same period", "cùng kỳ": the period in force, not something new to ask about.
_SAME_PERIOD = re.compile(r"\b(?:in |for |over )?(?:the )?same (?:period|time)\b|\bthat period\b|\b(?:trong )?cùng (?:kỳ|thời gian|thời điểm|giai đoạn)\b", re.I)
_WHOLE_PROVINCE = re.compile(r"(?:cả|toàn|của cả|của toàn)\s+tỉnh(?:\s+thì sao)?|(?:the\s+)?whole province|(?:the\s+)?province as a whole", re.I)
_VI_CUE = re.compile(r"^\s*(?:thế|vậy|và|còn|con)\b|\bth[iì] sao\b", re.I)


def _indicator(core: str, scope: QueryScope) -> str:
    """What the turn asks about once its place and years are taken out ("" if nothing is left)."""
    text = _SAME_PERIOD.sub(" ", core)
    for span in reversed(_place_spans(text, _scope_places(scope))):
        text = text[: span.start] + " " + text[span.end :]
    text = _YEAR_WITH_WORD.sub(" ", text)
    words = re.sub(r"[\s,;:?!.…]+", " ", text).strip().split()
    while words and words[0].lower() in _EDGE_FILLER:
        words.pop(0)
    while words and words[-1].lower() in _EDGE_FILLER:
        words.pop()
    return " ".join(words)


def _compose(
    indicator: str, new: QueryScope, old: QueryScope, known_localities: set[str] | None, period: str = ""
) -> str:
    """A stand-alone question from a new indicator and the place, year and period in force."""
    places = _scope_places(new) or _scope_places(old)
    years = new.years or old.years
    lang = new.lang
    wants_target = old.role == "target" and not _TARGET_WORDS.search(indicator) and new.intent != "result"
    place = _join([_place_label(p, False, lang) for p in places], lang)
    year = _join([str(y) for y in years], lang)
    if lang == "vi" and _VI_QUESTION_WORD.search(indicator) and not _VI_TAIL.search(indicator):
        # Already a question of its own ("bao nhiêu hộ nghèo"): only the scope is added.
        text = with_scope(indicator + "?", places or None, years or None, known_localities)
    elif lang == "vi":
        tail_match = _VI_TAIL.search(indicator)
        tail = tail_match.group(0).strip(" ?.!") if tail_match else "là bao nhiêu"
        body = indicator[: tail_match.start()] if tail_match else indicator
        body = ("mục tiêu " + body) if wants_target else body
        when = f"{period} {year}".strip() if period.rstrip().endswith("năm") else " ".join(p for p in (period, f"năm {year}" if year else "") if p)
        parts = [body, when, f"của {place}" if place else "", tail]
        text = " ".join(p for p in parts if p) + "?"
    elif _EN_QUESTION_HEAD.match(indicator):
        parts = [indicator, f"in {place}" if place else "", f"in the {period}" if period else "", f"in {year}" if year else ""]
        text = " ".join(p for p in parts if p) + "?"
    else:
        owner = f"{place}'s " if place else ""
        when = f"{year} " if year else ""
        during = f" in the {period}" if period else ""
        text = f"What is {owner}{when}{indicator}{' target' if wants_target else ''}{during}?"
    return text[:1].upper() + text[1:]


_ROLE_WORDS = re.compile(
    r"\b(mục tiêu|chỉ tiêu|kế hoạch|thực tế|thực hiện|kết quả|targets?|goals?|plan|actual|result)\b", re.I
)
_NEXT_YEAR = re.compile(r"\b(năm sau|năm tới|năm kế tiếp|next year|the following year|the year after)\b", re.I)
_RESULT_SWITCH = re.compile(r"\b(thực tế|thực hiện|kết quả|actual(ly)?|result|reached|achieved)\b", re.I)
_TARGET_SWITCH = re.compile(r"\b(mục tiêu|chỉ tiêu|kế hoạch|target|goal|plan)\b", re.I)
_LEFTOVER_WORDS = set(
    "đạt bao nhiêu là gì được thì sao trong đó and the for in of what was is were how much many reach reached".split()
)


def _period_span(text: str) -> tuple[int, int] | None:
    """Where a text names its period ("6 tháng đầu năm", "quý I/2022"), or None."""
    mentions = [m for m in find_periods(text) if m.code != "multi"]
    return (mentions[0].start, mentions[0].end) if mentions else None


def _period_phrase(text: str) -> str:
    span = _period_span(text)
    return text[span[0] : span[1]] if span else ""


def _without_period(text: str) -> str:
    span = _period_span(text)
    return (text[: span[0]] + text[span[1] :]) if span else text


def _scope_only(core: str, new: QueryScope) -> bool:
    """Whether a follow-up changes only the scope (place, year, period, role) and names no indicator:
    "Còn Cao Bằng 6 tháng đầu năm 2023?", "Còn mục tiêu năm sau?", "Thực tế đạt bao nhiêu?"."""
    rest = _NEXT_YEAR.sub(" ", _ROLE_WORDS.sub(" ", _without_period(core)))
    rest = _indicator(rest, new)
    words = [w for w in re.findall(r"\w+", rest.lower()) if w not in _LEFTOVER_WORDS and w not in _EDGE_FILLER]
    return not words and not indicators_in(rest)


def _switch_scope(previous: str, core: str, new: QueryScope, old: QueryScope, known_localities: set[str] | None) -> str:
    """The previous question with the follow-up's place, year, period and role put in."""
    text = previous
    years = new.years
    if _NEXT_YEAR.search(core) and old.years:
        years = [max(old.years) + 1]
    period = _period_phrase(core)
    if period:
        span = _period_span(text)
        text = (text[: span[0]] + period + text[span[1] :]) if span else _insert(text, period)
        text = re.sub(r"\b(cả|toàn) năm\s+năm\b", r"\1 năm", text, flags=re.I)  # not "cả năm năm 2022" (five years)
    if _RESULT_SWITCH.search(core) and not _TARGET_SWITCH.search(core):
        text = re.sub(r"\b(mục tiêu|chỉ tiêu)\s+", "", text, flags=re.I)
        text = re.sub(r"\s+(target|goal)\b", "", text, flags=re.I)
    elif (_TARGET_SWITCH.search(core) or _NEXT_YEAR.search(core)) and old.intent != "target":
        text = ("Mục tiêu " + text[:1].lower() + text[1:]) if old.lang == "vi" else text.rstrip("?") + " target?"
    return with_scope(text, _scope_places(new) or None, years or None, known_localities)


def _resolve(turn: str, previous: str | None, known_localities: set[str] | None) -> str:
    turn = normalize_text(turn).strip()
    if not previous:
        return turn
    cued, core = _strip_cues(turn)
    new = understand(core or turn, known_localities)
    old = understand(previous, known_localities)
    if new.lang != "vi" and _VI_CUE.search(turn):  # "Con ngo thi sao?": a Vietnamese turn typed without accents
        new = replace(new, lang="vi")
    names_scope = bool(_scope_places(new) or new.years)
    if not cued:
        if names_scope or not (_scope_places(old) or old.years):
            return turn  # a new stand-alone question
        if _scope_only(core or turn, new):  # "Thực tế đạt bao nhiêu?": the previous question, another role
            return _switch_scope(previous, core or turn, new, old, known_localities)
        # Elliptical: asks something new but names no place or year; they carry over, and so does the period.
        period = _period_phrase(previous) if not _period_phrase(turn) else ""
        text = _insert(turn, period) if period else turn
        if old.role == "target" and not _ROLE_WORDS.search(turn) and new.lang == "vi":
            text = "Mục tiêu " + text[:1].lower() + text[1:]  # "Trong đó thu nội địa?" after a target question
        return with_scope(text, _scope_places(old) or None, old.years or None, known_localities)
    if _WHOLE_PROVINCE.fullmatch(core.strip(" ?.!")) and old.localities:
        # "Còn cả tỉnh?" after a city's figure: the city's province, not the city again.
        province = gazetteer().lookup(old.localities[0])
        if province is not None and province.province:
            return with_scope(previous, [province.province], None, known_localities)
    indicator = _indicator(core, new)
    if not indicator and _period_phrase(core):  # "Còn cả năm 2022?": the period changes too
        return _switch_scope(previous, core, new, old, known_localities)
    if not indicator:
        # "Còn Cao Bằng?", "And in 2022?": the previous question with the place/year swapped.
        return with_scope(previous, _scope_places(new) or None, new.years or None, known_localities)
    if _scope_only(core, new):
        return _switch_scope(previous, core, new, old, known_localities)
    # A new indicator: the place, year and period in force carry over.
    period = _period_phrase(core) or _period_phrase(previous)
    return _compose(_without_period(indicator).strip(" ,") if _period_phrase(core) else indicator, new, old, known_localities, period)


def rewrite_followup(question: str, history: Iterable | None, known_localities: set[str] | None = None) -> str:
    """The stand-alone form of ``question`` given the earlier user turns (strings or chat messages).

    Earlier turns are resolved in order first, so a follow-up of a follow-up keeps the whole scope.
    """
    previous: str | None = None
    for turn in _user_turns(history or []):
        previous = _resolve(turn, previous, known_localities)
    return _resolve(question, previous, known_localities)
