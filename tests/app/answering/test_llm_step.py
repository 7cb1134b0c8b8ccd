"""The LLM step keeps only model answers that give the asked figure (scripted model, no server)."""

from __future__ import annotations

import pytest

from hoidap.app.answering.extractive import ExtractiveAnswerer
from hoidap.app.answering.llm_backends import GuardStats
from hoidap.app.answering.llm_step import LLMAnswerStep
from hoidap.app.query import understand
from hoidap.app.retrieval import RetrievedChunk


class Scripted:
    def __init__(self, text: str) -> None:
        self.text = text

    def answer(self, question: str, passages: list[str], lang: str | None = None) -> str:
        return self.text


def _targets() -> RetrievedChunk:
    text = "(3). Tổng kim ngạch xuất nhập khẩu 93.262 triệu USD.\n(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD."
    metadata = {"source": "bn.txt", "role": "target", "section": "II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023", "years": "2023",
                "province": "Bắc Ninh", "locality": "Bắc Ninh", "doc_period": "year"}
    header = f"[Bắc Ninh]\nKết luận Hội nghị về tình hình kinh tế - xã hội năm 2022; mục tiêu năm 2023\n{metadata['section']}"  # as ingest indexes it
    return RetrievedChunk("bn-00001", "bn.txt", text, f"{header}\n\n{text}", metadata, 0.1)


def _ask(question: str, model_text: str):
    scope, chunks = understand(question), [_targets()]
    extractive = ExtractiveAnswerer().answer(scope, chunks)
    stats = GuardStats()
    answer, record = LLMAnswerStep(Scripted(model_text), stats=stats).answer(scope, chunks, extractive)
    return answer, record, stats


FDI = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"


def test_the_asked_figure_in_other_words_is_shown_even_with_the_year_of_its_heading():
    answer, record, stats = _ask(FDI, "Bắc Ninh đặt mục tiêu thu hút 1,2 tỷ USD vốn FDI năm 2023 [1].")
    assert record["answerer"] == "llm" and "1,2 tỷ USD" in answer.text
    assert stats.snapshot()["passed"] == 1


@pytest.mark.parametrize(
    "model_text",
    [
        "Mục tiêu là 93.262 triệu USD [1].",  # another target of the same cited list
        "Lorem ipsum dolor sit amet [1].",  # a figure question answered without a figure
    ],
)
def test_a_present_but_irrelevant_or_missing_figure_falls_back(model_text):
    answer, record, stats = _ask(FDI, model_text)
    assert record["answerer"] == "extractive-fallback" and "not the asked figure" in record["guard"]["reason"]
    assert "1.200 triệu USD" in answer.text and "93.262" not in answer.lead
    assert stats.snapshot()["rejected"] == 1 and stats.snapshot()["passed"] == 0


def test_no_figure_may_be_shown_when_the_indicator_is_not_stated():
    answer, record, _ = _ask("Mục tiêu chỉ số giá tiêu dùng (CPI) năm 2023 của Bắc Ninh?", "CPI tăng 93.262 triệu USD [1].")
    assert answer.abstained and record["answerer"] == "extractive-fallback"


@pytest.mark.parametrize("marker", ["[Đoạn 1]", "[1]", "(xem [1])"])
def test_every_marker_form_the_guard_accepts_names_its_sources(marker):
    answer, record, _ = _ask(FDI, f"Mục tiêu thu hút FDI năm 2023 là 1.200 triệu USD {marker}.")
    assert record["answerer"] == "llm"
    assert answer.citations and answer.citations[0].chunk_id == "bn-00001"
    assert "[1]" in answer.text and "Đoạn" not in answer.text


def test_a_refusal_beside_a_figure_is_refused_not_turned_into_an_abstention():
    answer, record, _ = _ask(FDI, "Không tìm thấy trong tài liệu, nhưng mục tiêu là 1.200 triệu USD [1].")
    assert record["answerer"] == "extractive-fallback" and "refusal beside a figure" in record["guard"]["reason"]
    assert not answer.abstained and "1.200 triệu USD" in answer.lead


def test_a_wrong_year_beside_the_right_figure_falls_back():
    answer, record, _ = _ask(FDI, "Năm 2022 Bắc Ninh đặt mục tiêu thu hút 1.200 triệu USD vốn FDI [1].")
    assert record["answerer"] == "extractive-fallback" and "year 2022" in record["guard"]["reason"]


def test_the_opposite_direction_falls_back():
    from hoidap.app.answering.fact_match import llm_relevance

    facts = [{"value": "10,2%", "measure": "change", "base": "tăng", "years": [2022]}]
    key, why = llm_relevance("Kim ngạch giảm 10,2% [1].", facts, False, "vi", asked_years=[2022])
    assert key == "opposite_direction" and "document says tăng" in why
    assert llm_relevance("Kim ngạch tăng 10,2% [1].", facts, False, "vi", asked_years=[2022]) == ("", "")


def test_a_model_that_finds_nothing_does_not_take_a_checked_figure_away():
    answer, record, stats = _ask(FDI, "Không tìm thấy trong tài liệu.")
    assert not answer.abstained and "1.200 triệu USD" in answer.lead
    assert record["guard"]["reason_key"] == "refused_a_checked_figure"
    assert stats.snapshot()["rejected_by_reason"] == {"refused_a_checked_figure": 1}


def test_a_model_that_finds_nothing_where_no_fact_matches_abstains():
    answer, _record, _stats = _ask("Chỉ số giá tiêu dùng CPI năm 2023 của Bắc Ninh là bao nhiêu?", "Không tìm thấy trong tài liệu.")
    assert answer.abstained
