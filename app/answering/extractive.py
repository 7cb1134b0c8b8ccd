"""The answer step that needs no LLM: return, verbatim, the sentence or list item that answers.

Reports repeat the same sentence shapes with different figures ("thu ngân sách ước đạt ..." for the
results, "tổng thu ngân sách ... " among the targets), so the choice among candidate sentences
weighs: how much of the question's wording the sentence carries (idf-weighted syllables and
syllable pairs), its chunk's retrieval rank, whether it holds a figure when one is asked for, whether
it is a target or a result as the question asks, and — for English questions — its e5 similarity to
the question. Quoting the source sentence means the answer never holds a figure the document does
not. When nothing fits, it abstains: "không tìm thấy trong tài liệu".
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from hoidap.app.answering.fact_match import describe_available, fact_label, lead_line, mismatch
from hoidap.app.query import QueryScope
from hoidap.app.retrieval import RetrievedChunk
from hoidap.ingest.facts import Fact
from hoidap.ingest.indicators import indicators_in
from hoidap.ingest.metadata import years_about
from hoidap.ingest.normalize import fold_for_match
from hoidap.ingest.places import gazetteer, is_surname
from hoidap.ingest.sentences import answer_units
from hoidap.vectorstore.records import chunk_role, decode_facts
from hoidap.vectorstore.sentence_vectors import CHECK_KEY, sentences_check
from hoidap.vectorstore.tokenize import tokenize

NOT_FOUND_VI = "Không tìm thấy trong tài liệu."
NOT_FOUND_EN = "Not found in the documents (không tìm thấy trong tài liệu)."
CANDIDATE_CHUNKS = 5
MIN_CONFIDENCE = 0.2
FACT_DEPTH = 40  # passages whose figures a figure question may be answered from (see retrieval.FACT_CANDIDATES)
# A figure question whose indicator is not in the vocabulary: the sentence must hold this share of the
# question's (idf-weighted) terms, and its figure must name no other known indicator.
LEXICAL_COVERAGE = 0.6
MAX_PLACES_LISTED = 5  # a question naming no place: one line per place up to this, else ask which
# Confidence is the chance the shown answer is right. Only an answer matched to a typed fact on every
# attribute is "checked"; a sentence chosen by word and embedding evidence alone never claims as much.
CHECKED_CONFIDENCE, AMBIGUOUS_CONFIDENCE, UNCHECKED_CONFIDENCE = 0.95, 0.75, 0.75
DENSE_WEIGHT = 0.7  # of the question-sentence similarity in a sentence's score (0.6 when it was computed only for contenders; re-checked with every candidate stored: XQuAD-vi +2, XQuAD-en +6, look-alike -1 questions)
DENSE_DEPTH = 3  # passages whose sentences get the e5 part
# The rest of a sentence's score, beside its idf-weighted coverage of the question's terms (0..1):
PAIR_WEIGHT = 0.15  # question word pairs it repeats, as a share of the question's pairs
RANK_WEIGHT = 0.25  # its passage's retrieval rank r, as RANK_WEIGHT / (1 + r)
KIND_BONUS, KIND_PENALTY = 0.2, 0.2  # with or without the name or date a who/when question asks for
# Sentences embedded in the first step (the leader's similarity alone usually settles it); each later
# step embeds twice as many, so a question whose candidates stay close (often an English one, ~5% of them
# 9-21 sentences) costs a few calls instead of one per sentence.
DENSE_BATCH = 1
FIGURE_BONUS, FIGURE_PENALTY = 0.25, 0.4  # with or without a figure, when the question asks for one
COUNTED_BONUS = 0.2  # a figure of the very thing counted: "bao nhiêu loài" -> "100-150 loài"

_STOPWORDS = set(
    """là của và các những có được cho với trong về theo tại từ đến này đó thì mà nào gì bao nhiêu mấy
    năm tỉnh thành phố huyện thị xã bao_nhiêu hãy cho_biết biết không hay hoặc như thế
    the of and a an in on for to is was were what which how much many does did do by at its from with as be
    that this it are much many s""".split()
)
_NUMBER = re.compile(r"(?<![\d.,])(?<![^\W\d_]-)(?<![^\W\d_])\d+(?:[.,/]\d+)*%?")  # not "Covid-19", "F0"
_TARGET = re.compile(r"mục tiêu|chỉ tiêu|phấn đấu|đề ra|kế hoạch năm|dự kiến|nhiệm vụ", re.I)
_RESULT = re.compile(r"\b(đạt|ước|thực hiện được|tăng|giảm)\b", re.I)
_INTENT_WORDS = re.compile(r"\b(mục tiêu|chỉ tiêu|kế hoạch|phấn đấu|đề ra|dự kiến)\b", re.I)
# Numbers that are not figures: ordinals ("Hội nghị lần thứ 10", "khóa 17") and document codes
# ("Kết luận số 15-KL/TU").
_NOT_A_FIGURE = re.compile(r"(thứ|khóa|khoá)\s*$", re.I)
_DOCUMENT_CODE = re.compile(r"^-[A-ZĐ]")
# Counts written as words ("dẫn dắt hai đội", "giành sáu giải Grammy"). Not "một" (also "a"), "năm"
# (also "year"), "tư" ("đầu tư"), "nửa" ("nửa đầu năm").
_VIETNAMESE_MARK = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
_NUMBER_WORDS = re.compile(
    r"\b(hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn)\b"  # lower case: "Ba Đình", "Hai Bà Trưng" are places
    r"|\b(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|billion|dozen)\b"
)
_LIST_MARKER = re.compile(r"^\s*\(?\d{1,2}\)?\s*[.):]?\s+(?=\D)")


@dataclass
class Citation:
    source: str
    chunk_id: str
    section: str
    text: str  # the chunk's passage
    score: float
    sentence: str = ""  # the answering sentence inside the passage
    highlight: str = ""  # the clause that holds the answer, inside the sentence

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    reason: str = ""
    confidence: float = 0.0
    lead: str = ""  # the line built from the matched fact(s), opening ``text``
    facts: list[dict] = field(default_factory=list)  # the matched facts, with their place and citation number


@dataclass
class _Unit:
    text: str
    chunk: RetrievedChunk
    rank: int
    tokens: list[str]
    vector: np.ndarray | None = None  # stored at ingest with its chunk, if it was
    index: int = 0  # among its chunk's answer units (the facts' ``sentence``)
    coverage: float = 0.0  # idf-weighted share of the question's terms it holds


def _stored_vectors(chunk: RetrievedChunk, sentences: tuple) -> np.ndarray | None:
    """The chunk's sentence vectors from the store, when they were made from exactly these sentences."""
    vectors = chunk.sentence_vectors
    if vectors is None or len(vectors) != len(sentences):
        return None
    if chunk.metadata.get(CHECK_KEY) != sentences_check([text for text, _ in sentences]):
        return None
    return vectors


def _content_tokens(text: str, drop: set[str]) -> list[str]:
    return [t for t in tokenize(text) if t not in _STOPWORDS and t not in drop]


def _has_figure(text: str) -> bool:
    text = _LIST_MARKER.sub("", text)  # "1. Mục tiêu tổng quát: ..." holds no figure
    years = {str(y) for y in years_about(text)}
    for match in _NUMBER.finditer(text):
        number = match.group(0)
        if number in years or re.fullmatch(r"(19|20)\d\d", number):
            continue
        if _NOT_A_FIGURE.search(text[max(0, match.start() - 8) : match.start()]):
            continue
        if _DOCUMENT_CODE.match(text[match.end() : match.end() + 2]):
            continue
        return True
    return bool(_NUMBER_WORDS.search(text))


def _scaled(similarity):
    """e5 cosine (unrelated text ~0.72, a paraphrase ~0.88 and up) onto 0..1."""
    return np.clip((similarity - 0.72) / 0.16, 0, 1)


@functools.lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A passage's candidate sentences with their tokens; the rerank and the answer both read them."""
    return tuple((s, tuple(tokenize(s))) for s in answer_units(text))


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DATE = re.compile(
    r"(?<!\d)(1\d{3}|20\d{2})(?!\d)|\b(tháng|ngày)\s+\d|\bthế kỷ\b|"
    r"\b(?i:January|February|March|April|May|June|July|August|September|October|November|December|century)\b"
)


_ORDINAL = re.compile(
    r"\b((?<!lần )(?<!khóa )thứ\s+(\d+|nhất|nhì|hai|ba|tư|năm)|hạng\s+\w+|đứng đầu|dẫn đầu|\d+(st|nd|rd|th)|(first|second|third|fourth|fifth)"
    r"\s+(place|largest|highest|biggest))\b", re.I
)


def _vietnamese_names(text: str) -> list[str]:
    """Runs of two to four title-case syllables that open with a family name ("Trần Hồng Minh", "Vi
    Văn Nghĩa"; not "MTTQ", "Hoạt động", "Tại Hội nghị" or the place "Trà Lĩnh")."""
    names, run = [], []
    for word in re.findall(r"\w+|\W+", text):
        if word[:1].isupper() and word[1:].islower():
            run.append(word)
            continue
        if word.isspace() and run:
            continue
        if 2 <= len(run) <= 4 and is_surname(run[0], unaccented_text=False):
            names.append(" ".join(run))
        run = []
    if 2 <= len(run) <= 4 and is_surname(run[0], unaccented_text=False):
        names.append(" ".join(run))
    return names


def _holds_kind(text: str, kind: str, question_words: frozenset[str], question_text: str, vietnamese_names: bool = False) -> bool:
    """Whether the sentence holds what a who/when question asks for and does not itself say: a
    capitalised name (past the sentence's first word), or a year or a date. ``vietnamese_names``: in
    a Vietnamese province's documents a person is named with two to four capitalised syllables
    ("Trần Hồng Minh"); a lone capital ("MTTQ", "Tỉnh ủy") names no one."""
    if kind == "person":
        if vietnamese_names:
            return any(not set(name.lower().split()) <= question_words for name in _vietnamese_names(text))
        words = _WORD.findall(text)[1:]
        return any(w[0].isupper() and w.lower() not in question_words for w in words)
    if kind == "time":
        return any(m.group(0).lower() not in question_text for m in _DATE.finditer(text))
    if kind == "rank":
        return bool(_ORDINAL.search(text))
    return True


_YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")


def _about_years(text: str, years: list[int]) -> bool:
    """Whether a sentence can be about one of ``years``: it names none, names one, or names a span
    that holds one ("nhiệm kỳ 2020 - 2025" is about 2022)."""
    mentioned = set(years_about(text))
    if not mentioned or mentioned & set(years):
        return True
    return any(int(a) <= y <= int(b) for a, b in _YEAR_SPAN.findall(text) for y in years)


_COUNT_ASK = re.compile(r"(?:bao nhiêu|mấy)\s+([^\W\d_]+)", re.I)


def _counted_pattern(question: str) -> re.Pattern[str] | None:
    """A number followed by the noun a Vietnamese count question asks about ("Có bao nhiêu loài sứa
    lược?" -> "100-150 loài"), or None."""
    found = _COUNT_ASK.search(question)
    if not found or found.group(1).lower() in ("phần", "lần", "năm", "tháng", "ngày"):
        return None
    return re.compile(rf"\d[\d.,]*(?:\s*[-–]\s*\d[\d.,]*)?\s+{re.escape(found.group(1))}(?!\w)", re.I)


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


def _clauses(sentence: str) -> list[str]:
    parts = re.split(r";\s+|,\s+(?=\D)|:\s+", sentence)
    return [p for p in parts if p.strip()]


class ExtractiveAnswerer:
    """Picks the answering sentence among the top retrieved chunks, or abstains."""

    def __init__(
        self, embeddings: Embeddings | None = None, cache_size: int = 4096, dense_languages: tuple[str, ...] = ("en", "vi")
    ) -> None:
        self.embeddings = embeddings
        # Questions whose candidate sentences are also compared by e5 similarity. English: its words
        # cannot match Vietnamese sentences. Vietnamese: paraphrased questions (XQuAD-vi answer-sentence
        # accuracy 0.785 -> 0.803). Only sentences that can still win are embedded (see _dense_part).
        self.dense_languages = dense_languages
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def _unit_vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing and self.embeddings is not None:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts])

    def score_sentences(
        self, scope: QueryScope, chunks: list[RetrievedChunk], depth: int = CANDIDATE_CHUNKS
    ) -> tuple[list[tuple[float, float, _Unit]], dict[str, float]]:
        """Every sentence of the first ``depth`` chunks as (score, confidence, unit), best first,
        plus the question-term weights. Shared by the answer and by :meth:`rerank`."""
        place_tokens = {t for name in scope.provinces + scope.localities for t in tokenize(name)}
        year_tokens = {str(y) for y in scope.years}
        # "mục tiêu"/"target" says which section to read, not which sentence: the items of a targets
        # list rarely repeat it, while titles and "Mục tiêu tổng quát" lines do.
        indicator_text = _INTENT_WORDS.sub(" ", scope.search_text)
        question_tokens = _content_tokens(indicator_text, place_tokens | year_tokens)
        if not question_tokens:
            question_tokens = tokenize(scope.search_text)

        units = []
        for rank, chunk in enumerate(chunks[:depth]):
            sentences = _sentences(chunk.text)
            stored = _stored_vectors(chunk, sentences)
            for j, (sentence, tokens) in enumerate(sentences):
                units.append(_Unit(sentence, chunk, rank, list(tokens), stored[j] if stored is not None else None, j))
        if not units:
            return [], {}

        df = Counter(t for u in units for t in set(u.tokens))
        n = len(units)
        weight = {t: math.log(1 + n / (1 + df.get(t, 0))) + 0.1 for t in dict.fromkeys(question_tokens)}  # ordered: float sums must not vary with hash order
        total = sum(weight.values()) or 1.0
        question_pairs = _pairs(question_tokens)

        question_words = frozenset(w.lower() for w in _WORD.findall(scope.question))
        question_lower = scope.question.lower()
        counted = _counted_pattern(scope.question)
        base: list[tuple[float, float]] = []  # (score without the dense part, coverage) per unit
        for unit in units:
            present = set(unit.tokens)
            coverage = sum(w for t, w in weight.items() if t in present) / total
            unit.coverage = coverage
            pair_bonus = PAIR_WEIGHT * len(question_pairs & _pairs(unit.tokens)) / max(1, len(question_pairs))
            score = coverage + pair_bonus + RANK_WEIGHT / (1 + unit.rank)
            if scope.wants_figure:
                score += FIGURE_BONUS if _has_figure(unit.text) else -FIGURE_PENALTY
                if counted is not None and counted.search(unit.text):
                    score += COUNTED_BONUS
            role = chunk_role(unit.chunk.metadata)
            is_target = role == "target" or (
                not role and bool(_TARGET.search(unit.text) or _TARGET.search(unit.chunk.metadata.get("section", "")))
            )
            is_result = role == "result" or (not role and bool(_RESULT.search(unit.text)) and not _TARGET.search(unit.text))
            if scope.wanted_role == "target":
                score += 0.2 if is_target else (-0.15 if is_result else 0)
            elif scope.wanted_role == "result":
                score += 0.15 if is_result and not is_target else (-0.2 if is_target and not is_result else 0)
            if scope.answer_kind:
                holds = _holds_kind(
                    unit.text, scope.answer_kind, question_words, question_lower, vietnamese_names=bool(place_of(unit.chunk))
                )
                score += KIND_BONUS if holds else -KIND_PENALTY
            if scope.years and not _about_years(unit.text, scope.years):
                score -= 0.3
            base.append((score, coverage))

        dense = np.zeros(len(units))
        if scope.lang in self.dense_languages and self.embeddings is not None:
            dense = self._dense_part(
                scope.question, units, [score for score, _ in base], [coverage >= MIN_CONFIDENCE for _, coverage in base]
            )
        dense_scaled = _scaled(dense)

        scored: list[tuple[float, float, _Unit]] = []
        for i, unit in enumerate(units):
            score, coverage = base[i]
            confidence = max(coverage, dense_scaled[i]) if scope.lang in self.dense_languages else coverage
            scored.append((score + DENSE_WEIGHT * dense_scaled[i], confidence, unit))

        scored.sort(key=lambda s: s[0], reverse=True)
        return scored, weight

    def _dense_part(self, question: str, units: list[_Unit], base: list[float], confident: list[bool]) -> np.ndarray:
        """e5 similarity of the question to the sentences of the first three passages.

        Sentences stored with their vectors (ingest makes them) cost a dot product each. The others
        are embedded only where it can change the winner (embedding is then the answer step's main
        cost): best-first by their score without it, in steps of 1, 2, 4, ...; the dense part
        adds at most DENSE_WEIGHT, so once the next sentence's score plus that is below the best total
        so far, no later one can come first. A leader no other sentence can reach is not embedded at
        all. The winner, and whether to abstain, are those of embedding them all; the evidence rerank,
        which reads every passage's best sentence, sees the e5 part only where it was computed.
        """
        dense = np.zeros(len(units))
        order = sorted((i for i, u in enumerate(units) if u.rank < DENSE_DEPTH), key=lambda i: -base[i])
        best_total = max(base)

        @functools.cache
        def query() -> np.ndarray:
            # the service's embedder remembers recent questions (RecentQueries): retrieval embedded it
            return np.asarray(self.embeddings.embed_query(question), dtype=np.float32)

        stored = [i for i in order if units[i].vector is not None]
        if stored:
            for i, sim in zip(stored, np.stack([units[i].vector for i in stored]) @ query(), strict=True):
                dense[i] = sim
                best_total = max(best_total, base[i] + DENSE_WEIGHT * float(_scaled(sim)))
            order = [i for i in order if units[i].vector is None]
            if not order:
                return dense
        contenders = [i for i in order if base[i] + DENSE_WEIGHT >= best_total]
        if len(contenders) == 1 and base[contenders[0]] == best_total and confident[contenders[0]]:
            return dense  # a clear leader: the dense part could change neither the winner nor abstaining
        start, size = 0, DENSE_BATCH
        while start < len(order):
            batch = [i for i in order[start : start + size] if base[i] + DENSE_WEIGHT >= best_total]
            start, size = start + size, size * 2
            if not batch:
                break
            sims = self._unit_vectors([units[i].text for i in batch]) @ query()
            for i, sim in zip(batch, sims, strict=True):
                dense[i] = sim
                best_total = max(best_total, base[i] + DENSE_WEIGHT * float(_scaled(sim)))
        return dense

    def rerank(self, scope: QueryScope, chunks: list[RetrievedChunk], depth: int = 20) -> list[RetrievedChunk]:
        """Within each document, reorder its passages among the first ``depth`` by their best
        sentence's evidence (question terms, a figure when one is asked for, target vs result), so
        the passage that holds the answer leads even when fusion ranked a look-alike paragraph of the
        same report above it. Documents keep the places retrieval gave them (which document answers
        is retrieval's call; on XQuAD a cross-document rerank cost 0.025 MRR@10), and each place
        keeps its score, so scores still fall down the list."""
        scored, _ = self.score_sentences(scope, chunks, depth)
        best: dict[str, float] = {}
        for score, _confidence, unit in scored:
            best.setdefault(unit.chunk.chunk_id, score)
        head = list(chunks[:depth])
        slot_scores = [c.score for c in head]
        slots_of: dict[str, list[int]] = {}
        for slot, chunk in enumerate(head):
            slots_of.setdefault(chunk.source, []).append(slot)
        reranked = list(head)
        for slots in slots_of.values():
            members = sorted(slots, key=lambda i: (-best.get(head[i].chunk_id, float("-inf")), i))
            for slot, member in zip(slots, members, strict=True):
                reranked[slot] = head[member]
        for slot, chunk in enumerate(reranked):
            chunk.score = slot_scores[slot]
        return reranked + list(chunks[depth:])

    def answer(self, scope: QueryScope, chunks: list[RetrievedChunk], empty_reason: str = "") -> Answer:
        if not chunks:
            return self._abstain(scope, empty_reason or "no passage matched the question")
        if scope.wants_figure and not scope.answer_kind and _about_reports(scope, chunks):
            return self._answer_figure(scope, chunks)
        if scope.wants_figure and not scope.indicators and not _indicator_words(scope) and place_of(chunks[0]):
            # "Thực hiện năm 2022 được bao nhiêu?": nothing names what is counted, so no figure of a
            # province's documents can be checked against the question.
            return self._abstain(scope, "the question does not say which figure it asks for")
        scored, weight = self.score_sentences(scope, chunks)
        if scored and scope.answer_kind and _about_reports(scope, chunks):
            # In a province's documents a who / when / rank question is answered only by a sentence that
            # holds a name, a date or a place in a ranking, and names the indicator the question names
            # ("What PCI score ... and what was its ranking?" is not answered by another ranking).
            question_words = frozenset(w.lower() for w in _WORD.findall(scope.question))
            scored = [entry for entry in scored if self._answers_kind(scope, entry[2], question_words)]
            if not scored:
                return self._abstain(scope, f"no sentence in the documents states the asked {scope.answer_kind}")
        if not scored:
            return self._abstain(scope, "no sentence in the retrieved passages")
        best_score, confidence, best = scored[0]
        if confidence < MIN_CONFIDENCE:
            return self._abstain(scope, "no sentence in the documents matches the question well enough")
        missing = missing_entities(scope, best.chunk)
        if missing:
            return self._abstain(scope, f"the passage does not name {', '.join(missing)}")
        highlight = self._highlight(best.text, weight, scope.wants_figure)
        citation = self._citation(best, best_score, highlight)
        # Only an answer checked against a typed fact may claim high confidence (see _answer_figure).
        return Answer(text=best.text, abstained=False, citations=[citation], confidence=round(min(float(confidence), UNCHECKED_CONFIDENCE), 4))

    @staticmethod
    def _answers_kind(scope: QueryScope, unit: _Unit, question_words: frozenset[str]) -> bool:
        if not _holds_kind(unit.text, scope.answer_kind, question_words, scope.question.lower(), vietnamese_names=True):
            return False
        return not scope.indicators or scope.indicators[0] in indicators_in(unit.text)

    @staticmethod
    def _citation(unit: _Unit, score: float, highlight: str) -> Citation:
        return Citation(
            source=unit.chunk.source,
            chunk_id=unit.chunk.chunk_id,
            section=unit.chunk.metadata.get("section", ""),
            text=unit.chunk.text,
            score=round(float(score), 4),
            sentence=unit.text,
            highlight=highlight,
        )

    def _answer_figure(self, scope: QueryScope, chunks: list[RetrievedChunk]) -> Answer:
        """A figure question: the best-scored sentence holding a fact that matches the question
        (``app.answering.fact_match``), named with its place; or an abstention that says what the
        documents state instead."""
        scored, _weight = self.score_sentences(scope, chunks, FACT_DEPTH)
        if not scored:
            return self._abstain(scope, "no sentence in the retrieved passages")
        known = bool(scope.indicators)
        asked_words = [] if known else _indicator_words(scope)
        facts_of: dict[str, list[Fact]] = {}
        matched: list[tuple[float, float, _Unit, Fact]] = []
        near: list[tuple[str, _Unit, Fact]] = []  # the asked indicator, another period/role/year/measure
        missing_in: dict[str, bool] = {}  # per passage, not per sentence
        for score, confidence, unit in scored:
            chunk_id = unit.chunk.chunk_id
            if chunk_id not in missing_in:
                missing_in[chunk_id] = bool(missing_entities(scope, unit.chunk))
            if missing_in[chunk_id]:
                continue  # a passage about another city or thing ("Los Angeles" asked, Jacksonville stated)
            if scope.provinces and not scope.localities and place_of(unit.chunk) not in ("", *scope.provinces):
                continue  # a city's figure (Từ Sơn) is not its province's (Bắc Ninh)
            chunk_facts = facts_of.get(unit.chunk.chunk_id)
            if chunk_facts is None:
                chunk_facts = facts_of[unit.chunk.chunk_id] = decode_facts(unit.chunk.metadata, unit.chunk.text)
            lexical: list[tuple[float, Fact]] = []  # unnamed figures this sentence may answer, by clause coverage
            for fact in chunk_facts:
                if fact.sentence != unit.index or not _holds_value(unit.text, fact.value):
                    continue
                if not known and (fact.indicator or _words_held(asked_words, _segment_with(unit.text, fact.value)) < LEXICAL_COVERAGE):
                    continue  # a figure of another, named indicator; or too few of the question's words
                why = mismatch(scope, fact, unit.text, indicator_known=known)
                if not why and not known:
                    lexical.append((_words_held(asked_words, _figure_clause(unit.text, fact.value)), fact))
                elif not why:
                    matched.append((score, confidence, unit, fact))
                elif known and fact.indicator == scope.indicators[0]:
                    near.append((why, unit, fact))
            # Several unnamed figures in one list ("trên 90% tổ chức cơ sở đảng ..., trên 94% đảng viên
            # hoàn thành tốt nhiệm vụ"): the one whose own clause holds most of the question's words.
            best = max((coverage for coverage, _ in lexical), default=0.0)
            matched.extend((score, confidence, unit, fact) for coverage, fact in lexical if coverage == best)
        if not matched:
            return self._no_match(scope, near, [f for facts in facts_of.values() for f in facts])
        by_place: dict[str, tuple[float, float, _Unit, Fact]] = {}
        for entry in matched:
            by_place.setdefault(place_of(entry[2].chunk), entry)
        if scope.provinces or scope.localities or len(by_place) == 1:
            entries = [matched[0]]
        elif len(by_place) <= MAX_PLACES_LISTED:
            entries = list(by_place.values())
        else:
            places = ", ".join(sorted(by_place))
            text = (f"Tài liệu có số liệu này cho {len(by_place)} địa phương ({places}). Bạn hỏi địa phương nào?"
                    if scope.lang == "vi" else
                    f"The documents state this for {len(by_place)} places ({places}). Which one do you mean?")
            return Answer(text=text, abstained=True, reason="several places: ask which one")
        citations, leads, facts = [], [], []
        for number, (score, _confidence, unit, fact) in enumerate(entries, start=1):
            place = place_of(unit.chunk)
            leads.append(lead_line(scope, fact, place, f"[{number}]"))
            citations.append(self._citation(unit, score, _clause_with(unit.text, fact.value)))
            facts.append({**fact.as_dict(), "place": place, "citation": number})
        if len(entries) == 1:
            text = f"{leads[0]}\n\n{entries[0][2].text}"
        else:
            text = "\n".join(f"- {line}" for line in leads)
        # One value per place among the matches: verified on every attribute; several values for the
        # same place and question (a restated or a corrected figure) leave doubt.
        values = {(place_of(u.chunk), f.value) for _s, _c, u, f in matched}
        confidence = CHECKED_CONFIDENCE if len(values) == len(by_place) else AMBIGUOUS_CONFIDENCE
        if not all(place_of(u.chunk) for _s, _c, u, _f in entries):
            confidence = UNCHECKED_CONFIDENCE  # a document with no known place: the figure's owner is unverified
        return Answer(
            text=text, abstained=False, citations=citations, confidence=confidence, lead="\n".join(leads), facts=facts
        )

    def _no_match(self, scope: QueryScope, near: list[tuple[str, _Unit, Fact]], facts: list[Fact]) -> Answer:
        """Abstain, saying why and what is there: the asked indicator for another period or of another
        role (each figure labelled with its period, role and year, never as the answer), else up to five
        indicators the passages state for that place and year."""
        vi = scope.lang == "vi"
        lines = [NOT_FOUND_VI if vi else NOT_FOUND_EN]
        other = [(why, unit, fact) for why, unit, fact in near if why in ("period", "role")]
        reason = "no stated figure matches the question's indicator, period, year and role"
        if other:
            only_periods = all(why == "period" for why, _u, _f in other)
            reason = ("the documents state this indicator only for another period" if only_periods
                      else "the documents state this indicator only as another kind of figure")
            shown: list[str] = []
            for _why, unit, fact in other:
                entry = f"{place_of(unit.chunk)} · {fact_label(fact, scope.lang)}: {fact.value}"
                if entry not in shown:
                    shown.append(entry)
                if len(shown) == 3:
                    break
            intro = (("Tài liệu chỉ có số liệu cho kỳ khác: " if vi else "The documents only give it for another period: ")
                     if only_periods else ("Tài liệu chỉ có: " if vi else "The documents only give: "))
            lines.append(intro + "; ".join(shown))
        else:
            available = describe_available(scope, facts)
            if available:
                lines.append(("Tài liệu có số liệu về: " if vi else "The documents give figures for: ") + "; ".join(available))
        return Answer(text="\n".join(lines), abstained=True, reason=reason)

    @staticmethod
    def _highlight(sentence: str, weight: dict[str, float], wants_figure: bool) -> str:
        best, best_score = sentence, -1.0
        for clause in _clauses(sentence):
            tokens = set(tokenize(clause))
            score = sum(w for t, w in weight.items() if t in tokens)
            if wants_figure and not _has_figure(clause):
                score -= 100
            if score > best_score:
                best, best_score = clause, score
        return best.strip()

    @staticmethod
    def _abstain(scope: QueryScope, reason: str) -> Answer:
        text = NOT_FOUND_VI if scope.lang == "vi" else NOT_FOUND_EN
        return Answer(text=text, abstained=True, reason=reason)


def _about_reports(scope: QueryScope, chunks: list[RetrievedChunk]) -> bool:
    """A figure question about what reports state: it names a place, or a known indicator and the
    passages found are a province's or city's documents. Other "how many" questions (general text:
    "Dân số Warsaw năm 1901?") keep the sentence answer, whose confidence stays below a checked figure's."""
    if scope.provinces or scope.localities:
        return True
    return bool(scope.indicators) and bool(place_of(chunks[0]))


def place_of(chunk: RetrievedChunk) -> str:
    return str(chunk.metadata.get("locality") or chunk.metadata.get("province") or "")


# Words of a figure question that say when, how or whose, not what: they are not the indicator.
_NOT_INDICATOR = re.compile(
    r"\b(quý|tháng|đầu|cuối|cả|nửa|năm|đạt|được|ước|tính|tăng|giảm|bao|nhiêu|mấy|phần|trăm|so|với|kế|hoạch|dự|toán|diện|tích|"
    r"mục|tiêu|chỉ|thực|hiện|là|của|trong|the|of|in|what|how|much|many|was|is|did|share|plan|target|first|half|quarter|"
    r"months?|year|by|rise|grow|growth|reach|reached)\b", re.I)


def _indicator_words(scope: QueryScope) -> list[str]:
    """The words of a question that name its indicator: the question less its place, years,
    period, role and measure words ("Diện tích cây thuốc lá quý I/2022 ... đạt bao nhiêu phần trăm kế
    hoạch?" -> diện, tích, cây, thuốc, lá)."""
    text = scope.question
    for name in scope.provinces + scope.localities:
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    if scope.lang == "en":
        # The Vietnamese report terms the glossary found in it, and the Vietnamese words it quotes:
        # in brackets ("canna (dong riềng)") or marked with diacritics.
        quoted = " ".join(re.findall(r"\(([^()]*)\)", text) + [w for w in text.split() if _VIETNAMESE_MARK.search(w)])
        text = f"{scope.search_text} {quoted}"
        for name in scope.provinces + scope.localities:
            text = re.sub(re.escape(name), " ", text, flags=re.I)
    tokens = [
        t for t in tokenize(_NOT_INDICATOR.sub(" ", text))
        if t not in _STOPWORDS and not t[0].isdigit() and len(t) > 1 and not re.fullmatch(r"[ivxlc]+", t)
    ]
    return list(dict.fromkeys(tokens))


def _holds_value(text: str, value: str) -> bool:
    """``value`` stands in ``text`` as a whole figure ("817ha" is not in "5.817ha")."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d])", text) is not None


def _segment_with(sentence: str, value: str) -> str:
    """The ";"-delimited part of a sentence that holds ``value`` (one indicator's clause in a list)."""
    for part in sentence.split(";"):
        if _holds_value(part, value):
            return part
    return sentence


def _figure_clause(sentence: str, value: str) -> str:
    """The comma-delimited clause that holds ``value`` and the words after it ("..., 4 chỉ tiêu hoàn
    thành vượt mức, ..."): what an unnamed figure of a list is about."""
    part = _segment_with(sentence, value)
    for clause in re.split(r",\s+", part):  # "7,39%" has no space: a comma with one ends a clause
        if _holds_value(clause, value):
            return clause
    return part


def _words_held(words: list[str], text: str) -> float:
    if not words:
        return 0.0
    held = set(tokenize(text))
    return sum(w in held for w in words) / len(words)


def _clause_with(sentence: str, value: str) -> str:
    for clause in _clauses(sentence):
        if value in clause:
            return clause.strip()
    return sentence


_ENTITY = re.compile(r"(?<![\w])([A-ZĐ][\w]*(?:\s+[A-ZĐ][\w]*)+)(?!\w)")


def missing_entities(scope: QueryScope, chunk: RetrievedChunk) -> list[str]:
    """Names (two or more capitalised words) of a Vietnamese question that neither the passage nor
    its heading holds: a passage about another city does not answer it (years are retrieval's
    filters). In general text a name counts as held when at least half of its words stand in the
    passage ("Super Bowl XLIX" in a passage on "Super Bowl 50"), so a paraphrase passes and a place
    no document covers does not; in a province's documents it is held whole ("Sơn Tây" is not "Từ
    Sơn"). English questions name things in English that Vietnamese text spells its own way: not checked."""
    if scope.lang != "vi":
        return []
    names = _question_names(scope.question, tuple(scope.provinces + scope.localities))
    if not names:
        return []
    # Case-folded but accented: folding accents away would make "Nam" (California) the word "năm".
    # The passage with its heading, and the document's file name ("Super_Bowl_50_03.txt" names it).
    haystack = f"{chunk.source} {chunk.indexed_text}"
    if not _VIETNAMESE_MARK.search(scope.question):  # typed without diacritics: compare without them too
        haystack = fold_for_match(haystack)
    words = set(re.findall(r"[^\W_]+", haystack.casefold()))
    strict = bool(place_of(chunk))
    missing = []
    for name, parts, strict_parts in names:
        parts = strict_parts if strict else parts
        if not parts:
            continue
        held = sum(part in words for part in parts)
        if (held < len(parts)) if strict else (held * 2 < len(parts)):
            missing.append(name)
    return missing


@functools.lru_cache(maxsize=1024)
def _question_names(question: str, scoped_places: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """The names a question holds that are not its places, each as (name, its words, its words less
    abbreviations): worked out once per question, not once per passage checked. Places the question
    names were retrieval's filters, and so are names the gazetteer reads as places ("Bắc Cạn", an
    old spelling of Bắc Kạn); in a province's documents an abbreviation is no name ("GRDP Bắc Ninh"
    asks about GRDP in Bắc Ninh; the passage may write "tăng trưởng kinh tế")."""
    text = question[1:]  # the first word is capitalised anyway
    scoped = {fold_for_match(p) for p in scoped_places}
    placed = [(m.start - 1, m.end - 1) for m in gazetteer().mentions(question, lenient=True)]
    names = []
    for match in _ENTITY.finditer(text):
        if fold_for_match(match.group(1)) in scoped:
            continue
        if any(start <= match.start() and match.end() <= end for start, end in placed):
            continue
        words = [
            t.group(0) for t in re.finditer(r"[^\W_]+", match.group(1))
            if not any(start <= match.start() + t.start() < end for start, end in placed)
        ]
        parts = tuple(w.casefold() for w in words)
        strict_parts = tuple(w.casefold() for w in words if not (w.isupper() and len(w) > 1))
        names.append((match.group(1), parts, strict_parts))
    return tuple(names)
