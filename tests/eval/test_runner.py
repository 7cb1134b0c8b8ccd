"""The eval runner's held-out kinds and the reliability table in every summary (no service needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoidap.eval.runner import format_summary, load_eval_set, score


def _squad_pair(tmp_path: Path) -> Path:
    for lang in ("vi", "en"):
        data = [
            {
                "title": f"Bài {a}",
                "paragraphs": [
                    {
                        "context": f"Đoạn {a}.{p}: đáp án là mục {a}x{p}.",
                        "qas": [{"id": f"q{a}{p}", "question": f"({lang}) hỏi {a}.{p}?", "answers": [{"text": f"mục {a}x{p}", "answer_start": 0}]}],
                    }
                    for p in range(5)
                ],
            }
            for a in range(12)
        ]
        (tmp_path / f"set.{lang}.json").write_text(json.dumps({"data": data}, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "set.vi.json"


@pytest.mark.parametrize(("kind", "lang"), [("squad-heldout", "vi"), ("xquad-en-heldout", "en")])
def test_heldout_kinds_write_only_kept_paragraphs(tmp_path, kind, lang):
    eval_set = load_eval_set(_squad_pair(tmp_path), kind, None, tmp_path / "work", seed=5)
    assert eval_set.squad and eval_set.heldout["corpus_paragraphs"] == 45
    files = {f.name for f in eval_set.corpus.glob("*.txt")}
    assert len(files) == 45
    assert all(i.lang == lang for i in eval_set.items)
    assert all((i.source in files) == i.answerable for i in eval_set.items)
    assert sum(not i.answerable for i in eval_set.items) == 15
    again = load_eval_set(_squad_pair(tmp_path), kind, None, tmp_path / "work", seed=5)
    assert {f.name for f in again.corpus.glob("*.txt")} == files


def test_heldout_kind_refuses_a_corpus_and_unknown_kind(tmp_path):
    path = _squad_pair(tmp_path)
    with pytest.raises(ValueError, match="drop --corpus"):
        load_eval_set(path, "squad-heldout", tmp_path, tmp_path / "work")
    with pytest.raises(ValueError, match="unknown eval kind"):
        load_eval_set(path, "squad-held", None, tmp_path / "work")


def test_score_adds_heldout_split_and_reliability(tmp_path):
    eval_set = load_eval_set(_squad_pair(tmp_path), "squad-heldout", None, tmp_path / "work", seed=5)
    results = []
    for item in eval_set.items:
        if item.answerable:  # answer every answerable question correctly at 0.9
            results.append({"answer": f"Đáp án là {item.answers[0]}.", "abstained": False, "confidence": 0.9, "citations": [], "retrieved": []})
        elif item.meta["heldout"] == "article":  # abstain on missing articles
            results.append({"answer": "Không tìm thấy trong tài liệu", "abstained": True, "confidence": 0.0, "citations": [], "retrieved": []})
        else:  # answer (wrongly) at 0.5 when only the paragraph is missing
            results.append({"answer": "Đoạn khác.", "abstained": False, "confidence": 0.5, "citations": [], "retrieved": []})
    summary, _ = score(results, eval_set.items, eval_set.squad)
    assert summary["heldout_abstention_article"] == 1.0 and summary["heldout_abstention_paragraph"] == 0.0
    assert summary["false_abstention_rate"] == 0.0 and summary["answer_sentence_accuracy"] == 1.0
    rel = summary["reliability"]
    assert rel["high_confidence"] == {"threshold": 0.8, "n": 45, "correct": 45, "accuracy": 1.0}
    assert rel["bins"][2]["n"] == 5 and rel["bins"][2]["correct"] == 0 and rel["bins"][2]["unanswerable"] == 5
    assert rel["abstained"] == 10
    text = format_summary(summary)
    assert "held out: whole article missing" in text and "reliability" in text and "[0.9, 1.0]" in text
    json.dumps(summary)  # the report stays JSON
