"""How good is an answer, a ranking, a citation: pure functions over plain data, no I/O.

The service answers with a quoted sentence, so "correct" means the gold figure is *in* the answer
after a forgiving comparison (:func:`normalize_for_match`: NFC, case folding, no whitespace), not that
the answer equals it. A retrieved passage is a *hit* when it comes from the gold file and holds the gold
figure: in a corpus of look-alike reports the right file alone is not enough (its 2023 targets are not
its 2022 results) and the right figure alone is not enough either.

Rates over an empty set of questions are ``None`` (undefined), never 0: "no unanswerable questions"
must not read as "never abstained correctly".

:func:`judge` scores one service response (the ``ask --json`` shape) against its :class:`QAItem`;
:func:`summarize_records` aggregates such records; :func:`summarize` does both.
"""

from __future__ import annotations

import math
import os
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hoidap.eval.datasets import QAItem
from hoidap.ingest.normalize import compact

# --- answers ----------------------------------------------------------------------------------------


def normalize_for_match(text: str) -> str:
    """The form answers are compared in: Unicode NFC, case-folded, every whitespace character removed."""
    return compact(text)


def contains_gold(text: str, golds: Iterable[str]) -> bool:
    """True when any non-empty gold string occurs in ``text`` (both in :func:`normalize_for_match` form)."""
    haystack = normalize_for_match(text)
    return any(needle and needle in haystack for needle in map(normalize_for_match, golds))


def shown_figure(result: Mapping[str, Any]) -> str:
    """What a result gives as its answer: the fact line when there is one ("Bắc Ninh · mục tiêu năm
    2023 · ...: **1.200 triệu USD**"), else the answer text. A gold figure that stands only in the
    quoted sentence, beside another figure the line gives, is not answered."""
    return str(result.get("lead") or result.get("answer") or "")


def answer_correct(answer: str, golds: Iterable[str]) -> bool:
    """Whether an answer states a gold answer: "…1.200 triệu  usd…" states "1.200 triệu USD". A
    gold figure counts only as a whole number: "51" is not stated by "2.869,514"."""
    haystack = normalize_for_match(answer)
    for needle in map(normalize_for_match, golds):
        if not needle:
            continue
        before = r"(?<![\d.,])" if needle[0].isdigit() else ""
        after = r"(?![\d]|[.,]\d)" if needle[-1].isdigit() else ""
        if re.search(before + re.escape(needle) + after, haystack):
            return True
    return False


def answer_sentence_correct(answer: str, golds: Iterable[str]) -> bool:
    """SQuAD-style sets: whether the returned sentence contains a gold span.

    An extractive service returns a sentence, not the span, so exact match punishes it for being
    complete; this asks the question that matters for it: is the span in what was returned.
    """
    return contains_gold(answer, golds)


# --- retrieval --------------------------------------------------------------------------------------


def same_source(a: str | None, b: str | None) -> bool:
    """Two sources name the same file (compared by file name: the store identifies a file by its name)."""
    return a is not None and b is not None and os.path.basename(a) == os.path.basename(b)


def is_gold_passage(item: Mapping[str, Any], gold_source: str | None, golds: Iterable[str]) -> bool:
    """A passage that answers: from the gold file (any file when that is unknown) and holding a gold answer."""
    if gold_source is not None and not same_source(item.get("source"), gold_source):
        return False
    return contains_gold(str(item.get("text", "")), golds)


def first_hit_rank(
    retrieved: Sequence[Mapping[str, Any]],
    gold_source: str | None,
    golds: Iterable[str] = (),
    *,
    by_source_only: bool = False,
) -> int | None:
    """1-based rank of the first gold passage in a ranked list, or None when there is none.

    ``by_source_only`` counts any passage of the gold file, whatever it holds.
    """
    golds = list(golds)
    for rank, item in enumerate(retrieved, start=1):
        if by_source_only:
            if same_source(item.get("source"), gold_source):
                return rank
        elif is_gold_passage(item, gold_source, golds):
            return rank
    return None


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")


def hit_at_k(retrieved: Sequence[Mapping[str, Any]], gold_source: str | None, golds: Iterable[str], k: int) -> bool:
    """Whether a passage from the gold file holding a gold answer is among the top ``k``."""
    _check_k(k)
    return first_hit_rank(retrieved[:k], gold_source, golds) is not None


def source_hit_at_k(retrieved: Sequence[Mapping[str, Any]], gold_source: str, k: int) -> bool:
    """Whether any passage from the gold file is among the top ``k``, whatever it holds."""
    _check_k(k)
    return first_hit_rank(retrieved[:k], gold_source, by_source_only=True) is not None


def recall_at_k(retrieved_ids: Sequence[str], gold_ids: Iterable[str], k: int) -> float:
    """Fraction of the gold ids (e.g. files, when several hold the answer) found among the top ``k`` ids."""
    _check_k(k)
    gold = set(gold_ids)
    if not gold:
        raise ValueError("recall needs at least one gold id")
    return len(gold & set(retrieved_ids[:k])) / len(gold)


def reciprocal_rank(rank: int | None, cutoff: int = 10) -> float:
    """1/rank when the first gold item is at ``rank`` <= ``cutoff``, else 0."""
    return 1.0 / rank if rank is not None and 1 <= rank <= cutoff else 0.0


def mrr_at_k(ranks: Iterable[int | None], k: int = 10) -> float | None:
    """Mean reciprocal rank over questions, with ranks past ``k`` (or None: not found) counting 0."""
    _check_k(k)
    return _mean([reciprocal_rank(rank, k) for rank in ranks])


# --- citations and abstention -----------------------------------------------------------------------


def citation_correct(citations: Sequence[Mapping[str, Any]], gold_source: str | None, golds: Iterable[str]) -> bool:
    """Whether the answer cites a passage that supports it: a citation from the gold file holding a gold answer.

    Any of the answer's citations may be that passage (each is shown to the reader); no citation is wrong.
    """
    golds = list(golds)
    return any(is_gold_passage(citation, gold_source, golds) for citation in citations)


def abstention_accuracy(abstained_on_unanswerable: Iterable[bool]) -> float | None:
    """Fraction of unanswerable questions on which the service abstained (None: no such questions)."""
    return _mean([1.0 if flag else 0.0 for flag in abstained_on_unanswerable])


def false_abstention_rate(abstained_on_answerable: Iterable[bool]) -> float | None:
    """Fraction of answerable questions on which the service wrongly abstained (None: no such questions)."""
    return _mean([1.0 if flag else 0.0 for flag in abstained_on_answerable])


# --- SQuAD-style exact match and F1 -----------------------------------------------------------------

# Articles removed before comparing, per answer language. English is SQuAD's own rule; Vietnamese
# follows MLQA's official evaluation script. Diacritics are kept: "thu" and "thú" differ.
ARTICLES = {
    "en": re.compile(r"\b(a|an|the)\b"),
    "vi": re.compile(r"\b(của|là|cái|chiếc|những)\b"),
}


def _is_punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char).startswith("P")


def squad_normalize(text: str, lang: str = "en") -> str:
    """SQuAD's answer normalisation: NFC, lowercase, punctuation deleted, articles removed, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(c for c in text if not _is_punctuation(c))
    article = ARTICLES.get(lang)
    if article is not None:
        text = article.sub(" ", text)
    return " ".join(text.split())


def squad_exact_match(prediction: str, golds: Iterable[str], lang: str = "en") -> float:
    """1.0 when the normalised prediction equals a normalised gold answer, else 0.0."""
    predicted = squad_normalize(prediction, lang)
    return 1.0 if any(predicted == squad_normalize(g, lang) for g in golds) else 0.0


def _token_f1(predicted: list[str], gold: list[str]) -> float:
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not predicted or not gold:
        return float(predicted == gold)
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def squad_f1(prediction: str, golds: Iterable[str], lang: str = "en") -> float:
    """Best token-overlap F1 between the normalised prediction and any normalised gold answer."""
    predicted = squad_normalize(prediction, lang).split()
    scores = [_token_f1(predicted, squad_normalize(g, lang).split()) for g in golds]
    return max(scores, default=0.0)


# --- latency ----------------------------------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between ranks (numpy's default)."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_percentiles(milliseconds: Iterable[float]) -> dict[str, float | None]:
    """p50 and p95 of per-question latencies in milliseconds."""
    values = list(milliseconds)
    return {"p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}


# --- per question and summary -----------------------------------------------------------------------


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def judge(result: Mapping[str, Any], item: QAItem, *, squad: bool = False) -> dict[str, Any]:
    """Score one service response (``ask --json`` shape) against its question; a flat, JSON-ready record.

    Answer, citation and retrieval fields are None for an unanswerable question; ``correct`` is the
    answer's correctness for an answerable question and "abstained" for an unanswerable one. With
    ``squad``, SQuAD exact match and F1 are added (in the gold answers' language, ``meta["answer_lang"]``).
    """
    if "id" in result and result["id"] != item.id:
        raise ValueError(f"result for {result['id']!r} paired with question {item.id!r}")
    answer = str(result.get("answer") or "")
    abstained = bool(result.get("abstained", False))
    citations = result.get("citations") or []
    retrieved = result.get("retrieved") or []
    total_ms = (result.get("timings_ms") or {}).get("total")
    record: dict[str, Any] = {
        "id": item.id,
        "lang": item.lang,
        "answerable": item.answerable,
        "question": item.question,
        "golds": list(item.answers),
        "source": item.source,
        "answer": answer,
        "abstained": abstained,
        "cited_source": citations[0].get("source") if citations else None,
        "total_ms": total_ms,
    }
    if item.answerable:
        rank = first_hit_rank(retrieved, item.source, item.answers)
        source_rank = first_hit_rank(retrieved, item.source, by_source_only=True) if item.source else rank
        correct = not abstained and answer_correct(shown_figure(result), item.answers)
        record.update(
            correct=correct,
            answer_correct=correct,
            citation_correct=not abstained and citation_correct(citations, item.source, item.answers),
            hit_rank=rank,
            source_rank=source_rank,
        )
        if squad:
            lang = str(item.meta.get("answer_lang", item.lang))
            record["exact_match"] = 0.0 if abstained else squad_exact_match(answer, item.answers, lang)
            record["f1"] = 0.0 if abstained else squad_f1(answer, item.answers, lang)
    else:
        record.update(correct=abstained, answer_correct=None, citation_correct=None, hit_rank=None, source_rank=None)
    return record


def _within(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def summarize_records(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Aggregate :func:`judge` records into the headline numbers (see :func:`summarize`)."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    latencies = [float(r["total_ms"]) for r in records if r.get("total_ms") is not None]
    latency = latency_percentiles(latencies)
    summary: dict[str, Any] = {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "answer_accuracy": _mean(float(r["answer_correct"]) for r in answerable),
        "citation_accuracy": _mean(float(r["citation_correct"]) for r in answerable),
        "hit@1": _mean(_within(r["hit_rank"], 1) for r in answerable),
        "hit@5": _mean(_within(r["hit_rank"], 5) for r in answerable),
        "mrr@10": mrr_at_k((r["hit_rank"] for r in answerable), 10) if answerable else None,
        "source_hit@1": _mean(_within(r["source_rank"], 1) for r in answerable),
        "source_hit@5": _mean(_within(r["source_rank"], 5) for r in answerable),
        "abstention_accuracy": abstention_accuracy(r["abstained"] for r in unanswerable),
        "false_abstention_rate": false_abstention_rate(r["abstained"] for r in answerable),
        "overall_accuracy": _mean(float(r["correct"]) for r in records),
        "latency_p50_ms": latency["p50_ms"],
        "latency_p95_ms": latency["p95_ms"],
    }
    if any("exact_match" in r for r in answerable):
        summary["exact_match"] = _mean(r["exact_match"] for r in answerable if "exact_match" in r)
        summary["f1"] = _mean(r["f1"] for r in answerable if "f1" in r)
    return summary


def summarize_by(records: Sequence[Mapping[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """One summary per value of a record field (e.g. ``"lang"``), for breakdowns."""
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get(key), []).append(record)
    return {value: summarize_records(group) for value, group in groups.items()}


def summarize(
    results: Sequence[Mapping[str, Any]], items: Sequence[QAItem], *, squad: bool = False
) -> dict[str, Any]:
    """Headline metrics for service responses paired, in order, with their questions.

    Keys: n, n_answerable, n_unanswerable; over answerable questions: answer_accuracy,
    citation_accuracy, hit@1, hit@5, mrr@10, source_hit@1, source_hit@5, false_abstention_rate;
    over unanswerable ones: abstention_accuracy; over all: overall_accuracy, latency_p50_ms,
    latency_p95_ms (of ``timings_ms.total``); with ``squad``: exact_match and f1. A rate over no
    questions is None. Per-question records come from :func:`judge`.
    """
    if len(results) != len(items):
        raise ValueError(f"{len(results)} results for {len(items)} questions")
    return summarize_records([judge(result, item, squad=squad) for result, item in zip(results, items, strict=True)])
