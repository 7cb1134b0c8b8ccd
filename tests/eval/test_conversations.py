"""Conversation scoring: follow-ups rewritten like the API does, each turn judged like ``hoidap eval``."""

from __future__ import annotations

from types import SimpleNamespace

from hoidap.eval.conversations import run, summarise


class _Pipeline:
    """Answers from a table of searched questions; records what it was asked."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.retriever = SimpleNamespace(sync=lambda: None, known_localities=lambda: set())

    def invoke(self, question: str) -> dict:
        self.asked.append(question)
        answer = self.answers.get(question)
        return {"answer": answer or "Không tìm thấy trong tài liệu.", "abstained": answer is None}


def test_follow_ups_are_rewritten_before_they_are_answered_and_each_turn_is_scored():
    first = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"
    pipeline = _Pipeline({first: "Bắc Ninh · mục tiêu năm 2023 · FDI: **1.200 triệu USD** [1]"})
    conversation = {"id": "c1", "turns": [
        {"question": first, "answerable": True, "answers": ["1.200 triệu USD"]},
        {"question": "Còn Cao Bằng?", "answerable": False, "answers": []},
    ]}
    rows = run(SimpleNamespace(pipeline=pipeline), [conversation])
    assert "Cao Bằng" in pipeline.asked[1] and "FDI" in pipeline.asked[1] and "2023" in pipeline.asked[1]
    assert [r["right"] for r in rows] == [True, True]
    summary = summarise(rows)
    assert summary["follow_ups_unanswerable_abstained"] == 1.0 and summary["wrong_figures_shown"] == 0


def test_a_figure_shown_for_an_unanswerable_turn_is_counted_as_wrong():
    rows = [
        {"turn": 1, "answerable": True, "abstained": False, "right": True},
        {"turn": 2, "answerable": False, "abstained": False, "right": False},
    ]
    summary = summarise(rows)
    assert summary["wrong_figures_shown"] == 1 and summary["follow_ups_unanswerable_abstained"] == 0.0
