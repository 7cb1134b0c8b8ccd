"""Metrics on small hand-made cases whose right values are worked out in the comments."""

from __future__ import annotations

import pytest

from hoidap.eval.datasets import QAItem
from hoidap.eval.metrics import (
    abstention_accuracy,
    answer_correct,
    answer_sentence_correct,
    citation_correct,
    false_abstention_rate,
    first_hit_rank,
    hit_at_k,
    judge,
    latency_percentiles,
    mrr_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank,
    source_hit_at_k,
    squad_exact_match,
    squad_f1,
    squad_normalize,
    summarize,
    summarize_by,
)

GOLD = ["1.200 triệu USD"]


# --- answer correctness ------------------------------------------------------------------------------


def test_answer_matches_across_case_spacing_and_composition():
    assert answer_correct("Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu  usd.", GOLD)
    assert answer_correct("1.200\u00a0TRIỆU\nUSD", GOLD)  # no-break space, new line, upper case
    decomposed = "1.200 trie\u0323\u0302u USD"  # "triệu" with combining marks (NFD)
    assert answer_correct(decomposed, GOLD)
    assert answer_correct("Kinh tế tăng trưởng 7, 39 %", ["7,39%"])


def test_answer_wrong_figure_or_no_gold():
    assert not answer_correct("1.300 triệu USD", GOLD)
    assert not answer_correct("1.200 tỷ USD", GOLD)
    assert not answer_correct("anything", [])
    assert not answer_correct("anything", ["", "  "])  # an empty gold must not match everything


def test_any_gold_is_enough():
    assert answer_correct("trồng 5.817ha ngô", ["5.817 ha", "5.817ha"])
    assert answer_sentence_correct("The team lost by 24 to 10 points.", ["24"])


# --- retrieval ---------------------------------------------------------------------------------------

RANKED = [
    {"source": "a.txt", "text": "Tổng thu ngân sách 31.630 tỷ đồng"},  # right file, wrong figure
    {"source": "b.txt", "text": "Thu hút vốn FDI 1.200 triệu USD"},  # right figure, wrong file
    {"source": "a.txt", "text": "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD."},  # the hit
    {"source": "c.txt", "text": "nothing"},
]


def test_first_hit_needs_gold_file_and_gold_figure():
    assert first_hit_rank(RANKED, "a.txt", GOLD) == 3
    assert first_hit_rank(RANKED, "a.txt", GOLD, by_source_only=True) == 1
    assert first_hit_rank(RANKED, "z.txt", GOLD) is None
    assert first_hit_rank([], "a.txt", GOLD) is None


def test_unknown_gold_file_accepts_any_file_with_the_figure():
    assert first_hit_rank(RANKED, None, GOLD) == 2


def test_source_compared_by_file_name():
    assert first_hit_rank([{"source": "/data/x/a.txt", "text": "1.200 triệu USD"}], "a.txt", GOLD) == 1


def test_hit_at_k():
    assert not hit_at_k(RANKED, "a.txt", GOLD, 1)
    assert not hit_at_k(RANKED, "a.txt", GOLD, 2)
    assert hit_at_k(RANKED, "a.txt", GOLD, 3)
    assert hit_at_k(RANKED, "a.txt", GOLD, 10)
    assert source_hit_at_k(RANKED, "a.txt", 1)
    assert not source_hit_at_k(RANKED, "c.txt", 3)
    assert source_hit_at_k(RANKED, "c.txt", 4)
    with pytest.raises(ValueError):
        hit_at_k(RANKED, "a.txt", GOLD, 0)


def test_recall_at_k_counts_distinct_gold_ids():
    retrieved = ["d1", "d2", "d1", "d3", "d4"]
    assert recall_at_k(retrieved, ["d1", "d3"], 2) == 0.5  # d1 of {d1, d3}
    assert recall_at_k(retrieved, ["d1", "d3"], 4) == 1.0
    assert recall_at_k(retrieved, ["d9"], 5) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(retrieved, [], 5)


def test_reciprocal_rank_and_mrr():
    assert reciprocal_rank(1) == 1.0
    assert reciprocal_rank(4) == 0.25
    assert reciprocal_rank(11) == 0.0  # past the cut-off
    assert reciprocal_rank(None) == 0.0
    assert mrr_at_k([1, 3, None]) == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert mrr_at_k([2, 12], k=10) == pytest.approx((0.5 + 0) / 2)
    assert mrr_at_k([]) is None


# --- citations and abstention ------------------------------------------------------------------------


def test_citation_must_come_from_gold_file_and_hold_the_figure():
    right = {"source": "a.txt", "text": "Thu hút vốn FDI 1.200 triệu USD"}
    wrong_file = {"source": "b.txt", "text": "Thu hút vốn FDI 1.200 triệu USD"}
    wrong_text = {"source": "a.txt", "text": "Thu hút vốn FDI 1.100 triệu USD"}
    assert citation_correct([right], "a.txt", GOLD)
    assert citation_correct([wrong_text, right], "a.txt", GOLD)
    assert not citation_correct([wrong_file, wrong_text], "a.txt", GOLD)
    assert not citation_correct([], "a.txt", GOLD)


def test_abstention_rates():
    assert abstention_accuracy([True, True, False, True]) == 0.75
    assert false_abstention_rate([False, False, True, False, False]) == 0.2
    assert abstention_accuracy([]) is None
    assert false_abstention_rate([]) is None


# --- SQuAD EM / F1 -----------------------------------------------------------------------------------


def test_squad_normalisation():
    assert squad_normalize("The  Denver Broncos!") == "denver broncos"
    assert squad_normalize("Đội Denver Broncos.", "vi") == "đội denver broncos"  # diacritics kept
    assert squad_normalize("Thủ đô của Việt Nam", "vi") == "thủ đô việt nam"  # MLQA's Vietnamese article list
    assert squad_normalize("“Hà Nội”", "vi") == "hà nội"  # Unicode punctuation too


def test_squad_exact_match():
    assert squad_exact_match("the Denver Broncos", ["Denver Broncos"]) == 1.0
    assert squad_exact_match("Denver", ["Denver Broncos", "Broncos"]) == 0.0
    assert squad_exact_match("thú", ["thu"], "vi") == 0.0


def test_squad_f1_by_hand():
    # prediction tokens {denver, broncos, won}, gold {denver, broncos}: P = 2/3, R = 1, F1 = 0.8
    assert squad_f1("Denver Broncos won", ["Denver Broncos"]) == pytest.approx(0.8)
    # best of the golds: vs "Broncos" P = 1/3, R = 1 -> 0.5; vs "Carolina Panthers" 0
    assert squad_f1("Denver Broncos won", ["Carolina Panthers", "Broncos"]) == pytest.approx(0.5)
    assert squad_f1("", ["x"]) == 0.0
    assert squad_f1("x", []) == 0.0


# --- latency -----------------------------------------------------------------------------------------


def test_percentiles_interpolate_linearly():
    # sorted [10, 20, 30, 40]: p50 at rank 1.5 -> 25; p95 at rank 2.85 -> 30 + 0.85 * 10 = 38.5
    assert percentile([40, 10, 30, 20], 50) == 25
    assert percentile([40, 10, 30, 20], 95) == pytest.approx(38.5)
    assert percentile([7], 95) == 7
    assert percentile([], 50) is None
    assert latency_percentiles([]) == {"p50_ms": None, "p95_ms": None}
    with pytest.raises(ValueError):
        percentile([1], 101)


# --- judge and summarize -----------------------------------------------------------------------------


def _item(qid: str, answers: list[str], source: str | None, lang: str = "vi") -> QAItem:
    return QAItem(qid, f"question {qid}", lang, answers, source, bool(answers))


def _result(answer: str, abstained: bool, citations, retrieved, total: float) -> dict:
    return {
        "question": "q",
        "answer": answer,
        "abstained": abstained,
        "citations": citations,
        "retrieved": retrieved,
        "timings_ms": {"retrieve": total / 2, "answer": total / 2, "total": total},
    }


def _chunk(source: str, text: str) -> dict:
    return {"source": source, "chunk_id": f"{source}-0", "section": "", "text": text, "score": 1.0}


def _three_questions():
    items = [
        _item("q1", ["1.200 triệu USD"], "a.txt"),
        _item("q2", ["30.372 tỷ đồng"], "b.txt", lang="en"),
        _item("q3", [], None),
    ]
    results = [
        # right answer, right citation, gold passage at rank 1
        _result(
            "Thu hút vốn FDI 1.200 triệu USD.",
            False,
            [_chunk("a.txt", "Thu hút vốn FDI 1.200 triệu USD.")],
            [_chunk("a.txt", "Thu hút vốn FDI 1.200 triệu USD."), _chunk("c.txt", "x")],
            100,
        ),
        # wrong figure from the wrong file; the gold passage is retrieved at rank 3
        _result(
            "thu ngân sách 31.630 tỷ đồng",
            False,
            [_chunk("c.txt", "thu ngân sách 31.630 tỷ đồng")],
            [_chunk("c.txt", "31.630 tỷ đồng"), _chunk("b.txt", "khác"), _chunk("b.txt", "đạt 30.372 tỷ đồng")],
            300,
        ),
        # unanswerable, abstained
        _result("Không tìm thấy trong tài liệu.", True, [], [_chunk("c.txt", "x")], 200),
    ]
    return results, items


def test_judge_records_per_question():
    results, items = _three_questions()
    first, second, third = (judge(r, i) for r, i in zip(results, items, strict=True))
    assert first["correct"] and first["citation_correct"] and first["hit_rank"] == 1
    assert not second["correct"] and not second["citation_correct"]
    assert second["hit_rank"] == 3 and second["source_rank"] == 2
    assert third["correct"] and third["answer_correct"] is None and third["hit_rank"] is None


def test_abstaining_is_never_a_correct_answer():
    item = _item("q", ["1.200 triệu USD"], "a.txt")
    citation = [_chunk("a.txt", "1.200 triệu USD")]
    record = judge(_result("1.200 triệu USD", True, citation, citation, 5), item)
    assert record["answer_correct"] is False and record["citation_correct"] is False


def test_summarize_by_hand():
    results, items = _three_questions()
    summary = summarize(results, items)
    assert summary["n"] == 3 and summary["n_answerable"] == 2 and summary["n_unanswerable"] == 1
    assert summary["answer_accuracy"] == 0.5  # q1 right, q2 wrong
    assert summary["citation_accuracy"] == 0.5
    assert summary["hit@1"] == 0.5  # q1 rank 1, q2 rank 3
    assert summary["hit@5"] == 1.0
    assert summary["mrr@10"] == pytest.approx((1 + 1 / 3) / 2)
    assert summary["source_hit@1"] == 0.5  # q2's file first appears at rank 2
    assert summary["abstention_accuracy"] == 1.0
    assert summary["false_abstention_rate"] == 0.0
    assert summary["overall_accuracy"] == pytest.approx(2 / 3)
    assert summary["latency_p50_ms"] == 200  # of 100, 300, 200
    assert summary["latency_p95_ms"] == pytest.approx(290)  # rank 1.9 of [100, 200, 300]


def test_summarize_without_unanswerable_questions():
    results, items = _three_questions()
    summary = summarize(results[:2], items[:2])
    assert summary["abstention_accuracy"] is None
    assert summary["n_unanswerable"] == 0


def test_summarize_only_unanswerable_and_empty():
    results, items = _three_questions()
    summary = summarize(results[2:], items[2:])
    assert summary["answer_accuracy"] is None and summary["mrr@10"] is None and summary["hit@1"] is None
    assert summary["abstention_accuracy"] == 1.0
    empty = summarize([], [])
    assert empty["n"] == 0 and empty["latency_p50_ms"] is None


def test_summarize_checks_pairing():
    results, items = _three_questions()
    with pytest.raises(ValueError):
        summarize(results[:2], items)
    with pytest.raises(ValueError):
        summarize([{**results[0], "id": "q2"}], items[:1])


def test_summarize_by_language():
    results, items = _three_questions()
    records = [judge(r, i) for r, i in zip(results, items, strict=True)]
    by_lang = summarize_by(records, "lang")
    assert by_lang["en"]["n"] == 1 and by_lang["en"]["answer_accuracy"] == 0.0
    assert by_lang["vi"]["n"] == 2 and by_lang["vi"]["answer_accuracy"] == 1.0


def test_squad_scores_use_the_answer_language():
    item = QAItem("s1", "Who won?", "en", ["đội Denver Broncos"], "p.txt", True, meta={"answer_lang": "vi"})
    result = _result("Đội Denver Broncos đã thắng.", False, [], [], 10)
    summary = summarize([result], [item], squad=True)
    assert summary["answer_accuracy"] == 1.0
    assert summary["exact_match"] == 0.0
    # tokens {đội, denver, broncos, đã, thắng} vs {đội, denver, broncos}: P = 3/5, R = 1, F1 = 0.75
    assert summary["f1"] == pytest.approx(0.75)


def test_a_fact_line_is_judged_by_its_own_figure():
    """A gold that stands only in the quoted sentence, beside another figure the line gives, is wrong."""
    from hoidap.eval.metrics import shown_figure

    result = {"lead": "Bắc Ninh · 2022 result · FDI attracted: **242 dự án** [1]",
              "answer": "Bắc Ninh · ...\n\ncấp mới 242 dự án FDI, với tổng vốn thu hút gần 2 tỷ USD."}
    assert not answer_correct(shown_figure(result), ["2 tỷ USD"])
    assert answer_correct(shown_figure({"lead": "", "answer": "gần 2 tỷ USD"}), ["2 tỷ USD"])


def test_a_gold_figure_counts_only_as_a_whole_number():
    assert not answer_correct("chi ngân sách địa phương đạt 2.869,514 tỷ đồng", ["51"])
    assert answer_correct("thành lập mới 51 doanh nghiệp", ["51"])
    assert answer_correct("**51 doanh nghiệp** [1]", ["51 doanh nghiệp"])
