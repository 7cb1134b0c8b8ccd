"""The LLM step on the real pipeline (sample store, real embedder) with a scripted model: what
happened comes back as fields, never folded into the answer text."""

import pytest

from hoidap.app.answering.llm_backends import GuardStats
from hoidap.app.answering.llm_step import FALLBACK_NOTE, LLMAnswerStep
from hoidap.app.config import load_settings
from hoidap.app.service import build_service

QUESTION = "Mục tiêu thu hút vốn FDI vào các khu công nghiệp của Bắc Ninh năm 2023 là bao nhiêu?"


class ScriptedModel:
    """An answerer that says one scripted thing (the model is the only part faked)."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls = 0

    def answer(self, question, passages, lang=None):
        self.calls += 1
        return self.reply

    def stream(self, question, passages, lang=None):
        yield self.answer(question, passages, lang)


@pytest.fixture
def service(store_copy):
    return build_service(load_settings(data_dir=store_copy))


def ask_with(service, reply: str) -> tuple[dict, ScriptedModel]:
    model = ScriptedModel(reply)
    service.pipeline.llm = LLMAnswerStep(model, stats=GuardStats())
    return service.ask(QUESTION), model


@pytest.mark.slow
def test_a_model_answer_that_passes_the_guard_is_shown_as_the_models(service):
    result, model = ask_with(service, "Mục tiêu năm 2023 là thu hút 1.200 triệu USD vốn FDI vào các khu công nghiệp [1].")
    assert model.calls == 1
    assert result["answerer"] == "llm" and result["note"] == ""
    assert "1.200 triệu USD" in result["answer"] and result["citations"]


@pytest.mark.slow
def test_an_invented_figure_gives_the_extractive_answer_and_says_so_in_its_own_field(service):
    result, _ = ask_with(service, "Mục tiêu năm 2023 là thu hút 1.500 triệu USD vốn FDI [1].")
    assert result["answerer"] == "extractive-fallback"
    assert result["guard"]["ok"] is False
    assert result["note"] == FALLBACK_NOTE["vi"]
    assert FALLBACK_NOTE["vi"] not in result["answer"]
    assert "1.500" not in result["answer"] and "1.200 triệu USD" in result["answer"]


@pytest.mark.slow
def test_a_refusal_does_not_take_away_a_checked_figure_and_adds_no_note(service):
    result, _ = ask_with(service, "Không tìm thấy trong tài liệu.")
    assert result["answerer"] == "extractive-fallback"
    assert result["guard"]["reason_key"] == "refused_a_checked_figure"
    assert result["note"] == "" and not result["abstained"]
    assert "1.200 triệu USD" in result["answer"]
