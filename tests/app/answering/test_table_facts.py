"""Table cells answer only the question about their own column: "kế hoạch 2024" never gets the
"ước thực hiện 2023" cell; an OCR figure OCR was unsure of is never shown as certain."""

from __future__ import annotations

import pytest

from hoidap.app.answering.fact_match import OCR_UNSURE_VI, lead_line, mismatch
from hoidap.app.query import understand
from hoidap.ingest.facts import ChunkContext, table_row_facts
from hoidap.ingest.tables import table_text

GRID = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022", "Năm 2023", None, "Năm 2024"],
    [None, None, None, "Thực hiện", "Kế hoạch", "Ước thực hiện", "Kế hoạch"],
    ["1", "Kim ngạch xuất khẩu", "triệu USD", "3.270", "3.570", "3.223", "3.054"],
]
CELLS = table_row_facts(table_text(GRID), ChunkContext(["Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU"], "target", [2022, 2023, 2024]))


@pytest.mark.parametrize(("question", "answer"), [
    ("Kế hoạch năm 2024 về kim ngạch xuất khẩu của tỉnh Bắc Ninh là bao nhiêu?", "3.054 triệu USD"),
    ("Kế hoạch năm 2023 về kim ngạch xuất khẩu của tỉnh Bắc Ninh là bao nhiêu?", "3.570 triệu USD"),
    ("Kim ngạch xuất khẩu của tỉnh Bắc Ninh ước thực hiện năm 2023 là bao nhiêu?", "3.223 triệu USD"),
    ("Kim ngạch xuất khẩu của tỉnh Bắc Ninh thực hiện năm 2022 là bao nhiêu?", "3.270 triệu USD"),
    ("Kim ngạch xuất khẩu của tỉnh Bắc Ninh thực hiện năm 2024 đạt bao nhiêu?", None),  # no such column
])
def test_only_the_asked_column_matches(question, answer):
    scope = understand(question)
    matching = [f.value for f in CELLS if not mismatch(scope, f, "")]
    assert matching == ([answer] if answer else [])


def test_unsure_ocr_figure_is_flagged_in_the_lead_line():
    scope = understand("Kế hoạch năm 2024 về kim ngạch xuất khẩu của tỉnh Bắc Ninh là bao nhiêu?")
    cell = next(f for f in CELLS if 2024 in f.years)
    sure = lead_line(scope, cell, "Bắc Ninh", "[1]")
    assert OCR_UNSURE_VI not in sure and "kế hoạch năm 2024" in sure and "3.054 triệu USD" in sure
    cell.ocr = "unsure"
    assert f"3.054 triệu USD** ({OCR_UNSURE_VI})" in lead_line(scope, cell, "Bắc Ninh", "[1]")


class _Scripted:
    """A model that answers what it is told to (the stand-in for a paid LLM API)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def answer(self, question, passages, lang=None) -> str:
        return self.text

    def stream(self, question, passages, lang=None):
        yield self.text


def test_a_model_answer_never_states_an_unsure_ocr_figure_as_certain():
    from hoidap.app.answering.extractive import Answer
    from hoidap.app.answering.llm_step import LLMAnswerStep
    from hoidap.app.retrieval import RetrievedChunk

    question = "Kế hoạch năm 2024 về kim ngạch xuất khẩu của tỉnh Bắc Ninh là bao nhiêu?"
    scope = understand(question)
    row = table_text(GRID).split("\n")[0]
    chunk = RetrievedChunk("c1", "scan.pdf", row, f"[Bắc Ninh]\n\n{row}", {"province": "Bắc Ninh", "ocr": True, "page": 3}, 1.0)
    cell = next(f for f in CELLS if 2024 in f.years)
    cell.ocr = "unsure"
    lead = lead_line(scope, cell, "Bắc Ninh", "[1]")
    extractive = Answer(lead, False, [], "", 0.75, lead, [{**cell.as_dict(), "place": "Bắc Ninh", "citation": 1}])
    step = LLMAnswerStep(_Scripted("Kế hoạch năm 2024 về kim ngạch xuất khẩu là 3.054 triệu USD [1]."))
    shown, record = step.answer(scope, [chunk], extractive)
    assert OCR_UNSURE_VI in shown.text
    assert record["guard"]["reason_key"] == "ocr_unsure_figure"
    cell.ocr = "read"  # a figure OCR was sure of: the model's wording may stand
    sure = Answer(lead, False, [], "", 0.95, lead, [{**cell.as_dict(), "place": "Bắc Ninh", "citation": 1}])
    shown, record = step.answer(scope, [chunk], sure)
    assert record["answerer"] == "llm" and OCR_UNSURE_VI not in shown.text


def test_the_figures_table_carries_page_and_ocr_doubt():
    from hoidap.app.facts_table import fact_rows

    row = table_text(GRID).split("\n")[0]
    header = "[Bắc Ninh]\n"
    meta = {"body_start": len(header) + 2, "doc_period": "year", "province": "Bắc Ninh", "page": 3, "ocr": True,
            "ocr_doubt": '["3.054"]', "section": "Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU", "years": "2022,2023,2024"}
    rows = fact_rows(["c1"], [f"{header}\n\n{row}"], [meta])
    by_value = {r.value: r for r in rows}
    assert by_value["3.054 triệu USD"].ocr == "unsure" and by_value["3.270 triệu USD"].ocr == "read"
    assert {r.page for r in rows} == {3}
