"""The look-alike corpus's table questions (gold tables) and their scoring (no store needed)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from hoidap.eval.lookalike import generate
from hoidap.eval.metrics import normalize_for_match
from hoidap.eval.table_eval import score_item, summarise


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    generate(out, provinces=6, years=(2021, 2022, 2023), seed=3, docs_per_province_year=4, progress=False, table_questions=6)
    items = [json.loads(line) for line in (out / "tables.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = {p.name: normalize_for_match(p.read_text(encoding="utf-8")) for p in out.glob("*.txt")}
    return items, texts


def test_every_kind_is_asked_in_both_languages(corpus):
    items, _ = corpus
    kinds = Counter(item["kind"] for item in items)
    assert set(kinds) == {"trend", "compare", "rank", "attainment"} and kinds["trend"] >= 6 and kinds["compare"] >= 6
    assert {item["lang"] for item in items} == {"vi", "en"}
    assert any(c["period"] != "year" for item in items for c in item["cells"])  # periods included


def test_gold_cells_are_written_in_exactly_one_document(corpus):
    items, texts = corpus
    for item in items:
        for cell in item["cells"]:
            if cell["value"]:
                found = [name for name, text in texts.items() if normalize_for_match(cell["value"]) in text]
                assert len(found) == 1, (item["question"], cell["value"], found)


def test_rank_gold_order_follows_the_printed_values(corpus):
    items, _ = corpus
    for item in (i for i in items if i["kind"] == "rank"):
        values = {c["place"]: float(c["value"].split()[0].rstrip("%").replace(".", "").replace(",", ".")) for c in item["cells"]}
        ordered = [values[p] for p in item["ranking"]]
        assert ordered in (sorted(ordered), sorted(ordered, reverse=True))


def _result(rows, citations=None):
    return {"table": {"rows": rows}, "citations": citations or []}


def _row(place, year, value, status="stated", citation=1, role="result", **extra):
    return {"place": place, "year": year, "period": "year", "role": role, "measure": "level", "status": status, "value": value,
            "citation": citation, "citations": [citation] if citation else [], **extra}


def test_scoring_counts_recall_precision_missing_guard_and_formulas():
    item = {"kind": "trend", "cells": [
        {"place": "A", "year": 2021, "period": "year", "role": "result", "measure": "level", "value": "1.234 tỷ đồng"},
        {"place": "A", "year": 2022, "period": "year", "role": "result", "measure": "level", "value": None},
        {"place": "A", "year": 2023, "period": "year", "role": "result", "measure": "level", "value": "2.345 tỷ đồng"},
    ]}
    passage = {"text": "Thu ngân sách đạt 1.234 tỷ đồng."}
    result = _result([
        _row("A", 2021, "1.234 tỷ đồng"),
        _row("A", 2022, "999 tỷ đồng"),  # a figure where the documents state none: wrong, and unsupported by its passage
        _row("A", 2023, "", status="missing", citation=None),
        {**_row("A", 2023, "50%", status="computed", citation=None, role="computed"), "measure": "computed", "formula": ""},
    ], [passage])
    counts = score_item(item, result)
    assert (counts["recalled"], counts["gold_cells"]) == (1, 2)
    assert (counts["shown_right"], counts["shown"]) == (1, 2)
    assert (counts["missing_right"], counts["gold_missing"]) == (0, 1)
    assert (counts["guard_ok"], counts["guarded"]) == (1, 2)
    assert counts["computed_without_formula"] == 1
    summary = summarise([(item, counts)])
    assert summary["trend"]["cell_recall"] == 0.5 and summary["trend+compare"]["cell_precision"] == 0.5


def test_ranking_is_right_only_in_the_gold_order():
    item = {"kind": "rank", "top": 2, "ranking": ["B", "A", "C"], "cells": []}
    right = _result([{**_row("B", 2023, "9"), "rank": 1}, {**_row("A", 2023, "5"), "rank": 2}, {**_row("C", 2023, "1"), "rank": 3}])
    wrong = _result([{**_row("A", 2023, "5"), "rank": 1}, {**_row("B", 2023, "9"), "rank": 2}])
    assert score_item(item, right)["ranking_right"] == 1 and score_item(item, wrong)["ranking_right"] == 0
