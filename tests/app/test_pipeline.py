"""The question pipeline as a LangChain Runnable, on the real sample store and embedder."""

import pytest

from hoidap.app.config import load_settings
from hoidap.app.query import Filters
from hoidap.app.service import build_service

TARGET_2023 = "Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 là bao nhiêu?"


@pytest.fixture(scope="module")
def pipeline(ingested_store, tmp_path_factory):
    import shutil

    data_dir = tmp_path_factory.mktemp("pipeline") / "data"
    shutil.copytree(ingested_store.data_dir, data_dir)
    return build_service(load_settings(data_dir=data_dir)).pipeline


@pytest.mark.slow
def test_invoke_answers_with_the_cited_figure_and_its_scope(pipeline):
    result = pipeline.invoke(f"{TARGET_2023[:-1]} của Bắc Ninh?")
    assert not result["abstained"] and "1.200 triệu USD" in result["answer"]
    assert result["scope"]["provinces"] == ["Bắc Ninh"] and result["scope"]["years"] == [2023]
    assert any("1.200 triệu USD" in c["text"] for c in result["citations"])
    assert result["timings_ms"]["total"] >= result["timings_ms"]["retrieve"]


@pytest.mark.slow
def test_filters_are_structured_input_not_question_text(pipeline):
    """The page's pickers reach retrieval as Filters: a province with no such figure gives "not found",
    never Bắc Ninh's."""
    other = pipeline.invoke({"question": TARGET_2023, "filters": Filters(places=("Cao Bằng",))})
    assert other["abstained"] or "1.200 triệu USD" not in other["answer"]
    chosen = pipeline.invoke({"question": TARGET_2023, "filters": Filters(places=("Bắc Ninh",))})
    assert "1.200 triệu USD" in chosen["answer"]


@pytest.mark.slow
def test_prepare_then_complete_is_invoke(pipeline):
    prepared = pipeline.prepare(f"{TARGET_2023[:-1]} của Bắc Ninh?")
    assert prepared.answer.citations  # the extractive answer exists before any model call
    split = pipeline.complete(prepared)
    whole = pipeline.invoke(f"{TARGET_2023[:-1]} của Bắc Ninh?")
    assert split["answer"] == whole["answer"] and split["citations"] == whole["citations"]


@pytest.mark.slow
def test_batch_answers_each_question_on_its_own(pipeline):
    results = pipeline.batch([f"{TARGET_2023[:-1]} của Bắc Ninh?", "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?"])
    assert not results[0]["abstained"] and results[1]["abstained"]
