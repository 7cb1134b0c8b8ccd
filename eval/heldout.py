"""Held-out SQuAD/XQuAD: a corpus with some of the set's paragraphs left out, so their questions become unanswerable.

A second abstention benchmark on text nobody here wrote. A seeded, deterministic share of the
articles is left out whole (the corpus says nothing about the topic), and a share of the single
paragraphs of the kept articles (the corpus knows the topic, just not the fact). A question whose gold
paragraph is out becomes unanswerable, unless one of its gold spans still occurs in a kept paragraph
(compared the forgiving way answers are: :func:`eval.metrics.normalize_for_match`); such a question is
dropped, being neither surely answerable from the corpus nor surely not. Every other question stays
answerable, with its paragraph in the corpus.

The selection ranks articles and paragraphs by a SHA-256 of ``seed`` and their id, so it depends on
nothing but the seed and the ids (not on Python's ``random`` or hash seed), and the Vietnamese and the
cross-lingual (English questions) sets, which share paragraph ids, get the same corpus.

This set is for reporting, not for tuning: tuning to it makes it one more development set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hoidap.eval.datasets import QAItem, SquadParagraph, SquadSet
from hoidap.eval.metrics import normalize_for_match

DEFAULT_SEED = 1
ARTICLE_SHARE = Fraction(1, 6)  # of all articles, left out whole
PARAGRAPH_SHARE = Fraction(1, 10)  # of the kept articles' paragraphs, left out one by one

ARTICLE = "article"  # meta["heldout"] of a question whose whole article is out of the corpus
PARAGRAPH = "paragraph"  # ... whose gold paragraph alone is out


def article_key(paragraph: SquadParagraph) -> str:
    """The article a paragraph belongs to: its id without the paragraph index ("000_Super_Bowl_50")."""
    return paragraph.id.rsplit("_", 1)[0]


def _rank(seed: int, what: str, key: str) -> str:
    return hashlib.sha256(f"{seed}|{what}|{key}".encode()).hexdigest()


def _pick(keys: list[str], share: Fraction, seed: int, what: str) -> set[str]:
    count = round(len(keys) * share)
    return set(sorted(keys, key=lambda k: (_rank(seed, what, k), k))[:count])


@dataclass
class HeldOutSplit:
    """The corpus (kept paragraphs) and the questions over it, answerable or made unanswerable."""

    name: str
    seed: int
    squad: SquadSet  # the whole set
    held_articles: list[str]  # article keys left out whole
    held_paragraphs: list[str]  # paragraph ids left out singly (of kept articles)
    kept: list[SquadParagraph]  # the corpus
    items: list[QAItem]
    dropped: list[str] = field(default_factory=list)  # question ids whose gold span still occurs in the corpus

    def corpus(self) -> SquadSet:
        """The kept paragraphs as a set of their own, for :func:`eval.datasets.write_paragraph_files`."""
        return SquadSet(self.name, self.squad.lang, list(self.kept), [])

    def stats(self) -> dict[str, Any]:
        kinds = [i.meta.get("heldout") for i in self.items]
        return {
            "seed": self.seed,
            "articles": len({article_key(p) for p in self.squad.paragraphs}),
            "paragraphs": len(self.squad.paragraphs),
            "questions": len(self.squad.questions),
            "held_out_articles": len(self.held_articles),
            "held_out_paragraphs_of_kept_articles": len(self.held_paragraphs),
            "corpus_paragraphs": len(self.kept),
            "answerable": sum(i.answerable for i in self.items),
            "unanswerable_article_missing": kinds.count(ARTICLE),
            "unanswerable_paragraph_missing": kinds.count(PARAGRAPH),
            "dropped_gold_still_in_corpus": len(self.dropped),
        }


def hold_out(
    squad: SquadSet,
    seed: int = DEFAULT_SEED,
    article_share: Fraction | float = ARTICLE_SHARE,
    paragraph_share: Fraction | float = PARAGRAPH_SHARE,
) -> HeldOutSplit:
    """Leave out ``article_share`` of the articles and ``paragraph_share`` of the rest's paragraphs."""
    share_a, share_p = Fraction(article_share).limit_denominator(1000), Fraction(paragraph_share).limit_denominator(1000)
    if not (0 <= share_a <= 1 and 0 <= share_p <= 1):
        raise ValueError("shares must be within 0..1")
    articles = list(dict.fromkeys(article_key(p) for p in squad.paragraphs))
    held_articles = _pick(articles, share_a, seed, ARTICLE)
    candidates = [p.id for p in squad.paragraphs if article_key(p) not in held_articles]
    held_paragraphs = _pick(candidates, share_p, seed, PARAGRAPH)

    kept = [p for p in squad.paragraphs if article_key(p) not in held_articles and p.id not in held_paragraphs]
    kept_ids = {p.id for p in kept}
    kept_texts = [normalize_for_match(p.text) for p in kept]
    by_id = {p.id: p for p in squad.paragraphs}
    name = f"{squad.name}-heldout-s{seed}"

    items: list[QAItem] = []
    dropped: list[str] = []
    for q in squad.questions:
        meta: dict[str, Any] = {"dataset": name, "answer_lang": squad.lang, "paragraph_id": q.paragraph_id}
        if q.paragraph_id in kept_ids:
            items.append(
                QAItem(
                    id=q.id,
                    question=q.question,
                    lang=q.lang,
                    answers=list(q.answers),
                    source=by_id[q.paragraph_id].source if q.answers else None,
                    answerable=bool(q.answers),
                    meta=meta,
                )
            )
            continue
        spans = [normalize_for_match(a) for a in q.answers]
        if any(span and span in text for span in spans for text in kept_texts):
            dropped.append(q.id)
            continue
        meta["heldout"] = ARTICLE if article_key(by_id[q.paragraph_id]) in held_articles else PARAGRAPH
        meta["gold_answers"] = list(q.answers)
        items.append(QAItem(id=q.id, question=q.question, lang=q.lang, answers=[], source=None, answerable=False, meta=meta))

    return HeldOutSplit(
        name=name,
        seed=seed,
        squad=squad,
        held_articles=[a for a in articles if a in held_articles],
        held_paragraphs=[p for p in candidates if p in held_paragraphs],
        kept=kept,
        items=items,
        dropped=dropped,
    )


def heldout_summary(records: list[dict[str, Any]], items: list[QAItem]) -> dict[str, Any]:
    """Abstention on the held-out questions, split by what is missing (None when there are none)."""
    out: dict[str, Any] = {}
    for kind in (ARTICLE, PARAGRAPH):
        flags = [bool(r["abstained"]) for r, i in zip(records, items, strict=True) if i.meta.get("heldout") == kind]
        out[f"heldout_abstention_{kind}"] = sum(flags) / len(flags) if flags else None
        out[f"n_heldout_{kind}"] = len(flags)
    return out
