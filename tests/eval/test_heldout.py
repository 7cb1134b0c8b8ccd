"""The held-out split: deterministic, held-out golds absent from the written corpus, answerable ones present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoidap.eval.datasets import load_squad, write_paragraph_files
from hoidap.eval.heldout import ARTICLE, PARAGRAPH, article_key, heldout_summary, hold_out
from hoidap.eval.metrics import normalize_for_match

XQUAD = Path(__file__).resolve().parents[2] / "data" / "eval" / "xquad" / "xquad.vi.json"


def _squad_file(tmp_path: Path) -> Path:
    """12 articles x 5 paragraphs, 2 questions each; every answer unique except one shared span."""
    data = []
    for a in range(12):
        paragraphs = []
        for p in range(5):
            span = f"mã số {a}-{p} đặc biệt"
            context = f"Đoạn {a}.{p} nói về chủ đề {a}. Câu trả lời là {span}."
            qas = [
                {"id": f"q{a}-{p}-a", "question": f"Câu hỏi về {a}.{p}?", "answers": [{"text": span, "answer_start": 0}]},
                # "chủ đề {a}" occurs in every paragraph of the article: dropped when only one paragraph is out
                {"id": f"q{a}-{p}-b", "question": f"Chủ đề của {a}.{p}?", "answers": [{"text": f"chủ đề {a}.", "answer_start": 0}]},
            ]
            paragraphs.append({"context": context, "qas": qas})
        data.append({"title": f"Bài {a}", "paragraphs": paragraphs})
    path = tmp_path / "tiny.vi.json"
    path.write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
    return path


def _corpus_text(folder: Path) -> str:
    return "\n".join(normalize_for_match(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.txt")))


def test_split_is_deterministic_and_seeded(tmp_path):
    squad = load_squad(_squad_file(tmp_path))
    first, again = hold_out(squad, seed=3), hold_out(load_squad(_squad_file(tmp_path)), seed=3)
    assert (first.held_articles, first.held_paragraphs) == (again.held_articles, again.held_paragraphs)
    assert [i.to_dict() for i in first.items] == [i.to_dict() for i in again.items]
    other = hold_out(squad, seed=4)
    assert (other.held_articles, other.held_paragraphs) != (first.held_articles, first.held_paragraphs)


def test_split_sizes(tmp_path):
    squad = load_squad(_squad_file(tmp_path))
    split = hold_out(squad, seed=3)
    assert len(split.held_articles) == 2  # 12 / 6
    assert len(split.held_paragraphs) == 5  # 50 paragraphs of kept articles / 10
    held = set(split.held_articles)
    assert not any(pid.rsplit("_", 1)[0] in held for pid in split.held_paragraphs)
    assert len(split.kept) == 60 - 10 - 5
    stats = split.stats()
    assert stats["unanswerable_article_missing"] == 2 * 5 * 2  # both questions: the whole article is gone
    assert stats["unanswerable_paragraph_missing"] == 5  # only the unique-span question
    assert stats["dropped_gold_still_in_corpus"] == 5  # "chủ đề N." is still in the article's other paragraphs
    assert stats["answerable"] == 45 * 2


def test_heldout_golds_absent_and_answerable_golds_present(tmp_path):
    squad = load_squad(_squad_file(tmp_path))
    split = hold_out(squad, seed=3)
    corpus = tmp_path / "corpus"
    written = write_paragraph_files(split.corpus(), corpus)
    assert len(written) == len(split.kept)
    text = _corpus_text(corpus)
    files = {f.name for f in corpus.glob("*.txt")}
    unanswerable = [i for i in split.items if not i.answerable]
    assert unanswerable and all(i.answers == [] and i.source is None for i in unanswerable)
    for item in unanswerable:
        assert item.meta["heldout"] in (ARTICLE, PARAGRAPH)
        assert f"{item.meta['paragraph_id']}.txt" not in files
        assert not any(normalize_for_match(g) in text for g in item.meta["gold_answers"])
    for item in (i for i in split.items if i.answerable):
        assert item.source in files
        gold_text = normalize_for_match((corpus / item.source).read_text(encoding="utf-8"))
        assert any(normalize_for_match(g) in gold_text for g in item.answers)


def test_dropped_question_is_neither(tmp_path):
    split = hold_out(load_squad(_squad_file(tmp_path)), seed=3)
    ids = {i.id for i in split.items}
    assert split.dropped and not ids & set(split.dropped)
    assert all(d.endswith("-b") for d in split.dropped)


def test_heldout_summary_splits_abstention_by_kind(tmp_path):
    split = hold_out(load_squad(_squad_file(tmp_path)), seed=3)
    items = split.items
    records = [{"abstained": i.meta.get("heldout") == ARTICLE} for i in items]
    summary = heldout_summary(records, items)
    assert summary["heldout_abstention_article"] == 1.0 and summary["heldout_abstention_paragraph"] == 0.0
    assert summary["n_heldout_article"] == 20 and summary["n_heldout_paragraph"] == 5


@pytest.mark.skipif(not XQUAD.exists(), reason="XQuAD not in data/eval")
def test_xquad_split_is_pinned_and_clean(tmp_path):
    squad = load_squad(XQUAD)
    split = hold_out(squad)  # the default seed: these figures are in the report, keep them stable
    stats = split.stats()
    assert (stats["articles"], stats["paragraphs"], stats["questions"]) == (48, 240, 1190)
    assert stats["held_out_articles"] == 8 and stats["held_out_paragraphs_of_kept_articles"] == 20
    assert stats["corpus_paragraphs"] == 180
    assert split.held_articles[0] == "004_Computational_complexity_theory"
    kinds = stats["answerable"] + stats["unanswerable_article_missing"] + stats["unanswerable_paragraph_missing"]
    assert kinds + stats["dropped_gold_still_in_corpus"] == 1190
    write_paragraph_files(split.corpus(), tmp_path / "c")
    text = _corpus_text(tmp_path / "c")
    for item in split.items:
        if not item.answerable:
            assert not any(normalize_for_match(g) in text for g in item.meta["gold_answers"]), item.id
    held = set(split.held_articles)
    assert all(article_key(p) not in held and p.id not in split.held_paragraphs for p in split.kept)
