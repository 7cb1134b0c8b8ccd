"""The official-files evaluation judges by value and column, and counts flagged OCR figures apart."""

from hoidap.eval.documents_real import judge, summarise

QUESTION = {"expected": "3.054 triệu USD", "kind": "table", "role": "plan", "year": 2024, "page": 3, "file_kind": "scan"}


def _result(value: str, role: str, years: list[int], ocr: str = "", page: int = 3) -> dict:
    return {"abstained": False, "facts": [{"value": value, "role": role, "years": years, "ocr": ocr}], "citations": [{"page": page}]}


def test_right_value_in_the_wrong_column_is_wrong():
    assert judge(QUESTION, _result("3.054 triệu USD", "plan", [2024]))["right"]
    wrong = judge(QUESTION, _result("3.054 triệu USD", "estimate", [2023]))
    assert not wrong["right"] and wrong["wrong_certain"]


def test_a_flagged_misread_is_not_shown_as_certain():
    verdict = judge(QUESTION, _result("30.54 triệu USD", "plan", [2024], ocr="unsure"))
    assert verdict["wrong_figure"] and verdict["flagged"] and not verdict["wrong_certain"]


def test_absent_columns_are_right_only_when_abstained_and_pages_are_counted():
    absent = {**QUESTION, "expected": None, "kind": "absent"}
    assert judge(absent, {"abstained": True, "facts": [], "citations": []})["right"]
    assert not judge(absent, _result("3.054 triệu USD", "plan", [2024]))["right"]
    rows = [{**QUESTION, "judged": judge(QUESTION, _result("3.054 triệu USD", "plan", [2024], page=0))}]
    summary = summarise(rows)
    assert summary["pdf_answers"] == 1 and summary["pdf_answers_with_page"] == 0
