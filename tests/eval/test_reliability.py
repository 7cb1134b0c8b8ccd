"""The reliability table counts shown answers per confidence bin, by hand."""

from __future__ import annotations

import pytest

from hoidap.eval.datasets import QAItem
from hoidap.eval.metrics import judge
from hoidap.eval.reliability import format_reliability, reliability, reliability_markdown, reliability_rows


def _row(confidence, *, abstained=False, answerable=True, correct=True):
    return {"confidence": confidence, "abstained": abstained, "answerable": answerable, "answer_correct": correct if answerable else None}


ROWS = [
    _row(0.1, correct=False),  # [0, 0.2): 1 shown, wrong
    _row(0.25),  # [0.2, 0.4)
    _row(0.39, correct=False),
    _row(0.4),  # [0.4, 0.6): lower edge belongs to the bin
    _row(0.6, answerable=False),  # [0.6, 0.8): shown on an unanswerable question = wrong
    _row(0.8),  # [0.8, 0.9)
    _row(0.85, answerable=False),
    _row(0.9),  # [0.9, 1.0]
    _row(1.0),  # 1.0 is in the last bin
    _row(0.95, abstained=True),  # abstentions are not counted at all
    _row(0.3, abstained=True, answerable=False),
    _row(None),  # shown, no confidence
]


def test_bins_by_hand():
    table = reliability(ROWS)
    assert [(b["bin"], b["n"], b["correct"], b["unanswerable"]) for b in table["bins"]] == [
        ("[0.0, 0.2)", 1, 0, 0),
        ("[0.2, 0.4)", 2, 1, 0),
        ("[0.4, 0.6)", 1, 1, 0),
        ("[0.6, 0.8)", 1, 0, 1),
        ("[0.8, 0.9)", 2, 1, 1),
        ("[0.9, 1.0]", 2, 2, 0),
    ]
    assert [b["accuracy"] for b in table["bins"]] == [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]
    assert table["bins"][1]["mean_confidence"] == pytest.approx(0.32)
    assert (table["shown"], table["abstained"], table["no_confidence"]) == (10, 2, 1)
    assert table["high_confidence"] == {"threshold": 0.8, "n": 4, "correct": 3, "accuracy": 0.75}


def test_unanswerable_shown_is_wrong_even_if_marked_correct():
    table = reliability([{"confidence": 0.95, "abstained": False, "answerable": False, "answer_correct": True}])
    assert table["bins"][-1]["n"] == 1 and table["bins"][-1]["correct"] == 0
    assert table["high_confidence"]["accuracy"] == 0.0


def test_empty_bins_and_all_abstained():
    table = reliability([_row(0.9, abstained=True)])
    assert all(b["n"] == 0 and b["accuracy"] is None and b["mean_confidence"] is None for b in table["bins"])
    assert table["shown"] == 0 and table["abstained"] == 1
    assert table["high_confidence"] == {"threshold": 0.8, "n": 0, "correct": 0, "accuracy": None}


def test_rows_from_results_and_judged_records():
    answerable = QAItem("a", "Ai hát quốc ca?", "vi", ["Lady Gaga"], "p.txt", True)
    unanswerable = QAItem("u", "Ai hát?", "vi", [], None, False)
    results = [
        {"id": "a", "answer": "Lady Gaga hát quốc ca.", "abstained": False, "confidence": 0.82, "citations": [], "retrieved": []},
        {"id": "u", "answer": "Beyoncé hát.", "abstained": False, "confidence": 0.91, "citations": [], "retrieved": []},
        {"id": "a", "answer": "Không tìm thấy trong tài liệu", "abstained": True, "confidence": 0.0, "citations": [], "retrieved": []},
    ]
    records = [judge(results[0], answerable), judge(results[1], unanswerable), judge(results[2], answerable)]
    table = reliability(reliability_rows(results, records))
    assert table["high_confidence"]["n"] == 2 and table["high_confidence"]["correct"] == 1
    assert table["abstained"] == 1
    with pytest.raises(ValueError):
        reliability_rows(results, records[:2])


def test_renderings():
    table = reliability(ROWS)
    markdown = reliability_markdown(table, title="XQuAD-vi held out")
    lines = markdown.splitlines()
    assert lines[0] == "**XQuAD-vi held out**"
    assert "| [0.9, 1.0] | 2 | 2 | 1.000 | 0 | 0.950 |" in lines
    assert "| [0.0, 0.2) | 1 | 0 | 0.000 | 0 | 0.100 |" in lines
    assert "confidence ≥ 0.8: 4 of 10 shown, correct share 0.750" in markdown
    text = format_reliability(table)
    assert "[0.8, 0.9)" in text and "shown without a confidence: 1" in text
