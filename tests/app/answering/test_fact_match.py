"""Which stated figures answer a question, and what the answer says when none does (no model)."""

from __future__ import annotations

import pytest

from hoidap.app.answering.extractive import ExtractiveAnswerer
from hoidap.app.answering.fact_match import english_figure, lead_line, mismatch
from hoidap.app.query import understand
from hoidap.app.retrieval import RetrievedChunk
from hoidap.ingest.facts import Fact


def fact(**fields) -> Fact:
    base = dict(indicator="fdi", indicator_text="Thu hút vốn FDI", value="1.200 triệu USD", number=1200.0,
                unit="triệu USD", measure="level", role="target", period="year", years=[2023])
    return Fact(**{**base, **fields})


FDI_TARGET = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"


@pytest.mark.parametrize(
    ("question", "changed", "why"),
    [
        (FDI_TARGET, {}, ""),
        (FDI_TARGET, {"indicator": "trade"}, "indicator"),  # another target of the same list
        (FDI_TARGET, {"role": "result"}, "role"),
        (FDI_TARGET, {"years": [2022]}, "year"),
        (FDI_TARGET, {"period": "h1"}, "period"),  # a part-year figure never answers a whole-year question
        (FDI_TARGET, {"measure": "share"}, "measure"),
        ("Thu hút FDI 6 tháng đầu năm 2023 của Bắc Ninh đạt bao nhiêu?", {"role": "result", "period": "h1"}, ""),
        ("Thu hút FDI quý I/2023 của Bắc Ninh đạt bao nhiêu?", {"role": "result", "period": "h1"}, "period"),
        ("Dự toán thu ngân sách năm 2023 của Bắc Ninh?", {"indicator": "budget_revenue", "role": "target"}, "role"),
        ("Dự toán thu ngân sách năm 2023 của Bắc Ninh?", {"indicator": "budget_revenue", "role": "plan"}, ""),
        ("Thu ngân sách năm 2022 đạt bao nhiêu phần trăm dự toán?", {"indicator": "budget_revenue", "role": "estimate",
                                                                     "measure": "share", "unit": "%", "years": [2022]}, ""),
        # The unit asked: "bao nhiêu dự án FDI" is a count of projects, "how much FDI capital" is money.
        ("Năm 2023 Bắc Ninh thu hút bao nhiêu dự án FDI?", {"role": "result"}, "unit"),
        ("Năm 2023 Bắc Ninh thu hút bao nhiêu dự án FDI?", {"role": "result", "value": "242 dự án", "unit": "dự án"}, ""),
        ("How much FDI capital did Bắc Ninh attract in 2023?", {"role": "result", "value": "242 dự án", "unit": "dự án"}, "unit"),
        ("How much FDI capital did Bắc Ninh attract in 2023?", {"role": "result"}, ""),
        # A rate is a percentage unless a count is asked: "173/527 trường" does not answer "tỷ lệ".
        ("Tỷ lệ trường đạt chuẩn quốc gia năm 2023 của Cao Bằng?", {"indicator": "standard_schools", "role": "result",
                                                                   "value": "173/527 trường", "unit": "trường"}, "unit"),
        ("Năm 2023 Cao Bằng có bao nhiêu trường học đạt chuẩn quốc gia?", {"indicator": "standard_schools", "role": "result",
                                                                          "value": "173/527 trường", "unit": "trường"}, ""),
        # A share of one base does not answer a share of another.
        ("Quý I/2022 thu ngân sách Bắc Kạn bằng bao nhiêu phần trăm dự toán tỉnh giao?",
         {"indicator": "budget_revenue", "role": "result", "measure": "share", "unit": "%", "period": "q1", "years": [2022],
          "base": "dự toán Trung ương giao"}, "measure"),
        ("Quý I/2022 thu ngân sách Bắc Kạn bằng bao nhiêu phần trăm dự toán tỉnh giao?",
         {"indicator": "budget_revenue", "role": "result", "measure": "share", "unit": "%", "period": "q1", "years": [2022],
          "base": "dự toán tỉnh giao"}, ""),
        ("What share of the annual plan did Cao Bằng's budget revenue reach in the first half of 2023?",
         {"indicator": "budget_revenue", "role": "result", "measure": "share", "unit": "%", "period": "h1", "base": "kế hoạch"}, ""),
        ("What share of the annual plan did Cao Bằng's budget revenue reach in the first half of 2023?",
         {"indicator": "budget_revenue", "role": "result", "measure": "share", "unit": "%", "period": "h1", "base": "cùng kỳ"},
         "measure"),
    ],
)
def test_a_fact_answers_only_when_every_attribute_matches(question, changed, why):
    assert mismatch(understand(question), fact(**changed), "") == why


def test_a_question_with_a_date_needs_that_date_in_the_sentence():
    scope = understand("Giải ngân vốn đầu tư công của Cao Bằng đến ngày 15/6/2023 đạt bao nhiêu?")
    disbursed = fact(indicator="public_investment", role="result", period="h1")
    assert mismatch(scope, disbursed, "giải ngân vốn đầu tư công đến hết ngày 15/6 đạt 490,39 tỷ đồng") == ""
    assert mismatch(scope, disbursed, "giải ngân vốn đầu tư công đến hết ngày 30/6 đạt 600 tỷ đồng") == "period"
    english = understand("What share of the plan had Cao Bằng disbursed in public investment by 15 June 2023?")
    assert english.day == "15/6" and english.period_named
    assert mismatch(english, fact(indicator="public_investment", role="result", period="h1", measure="share", unit="%"),
                    "giải ngân ... đến hết ngày 15/6 đạt 490,39 tỷ đồng, bằng 17,3% kế hoạch") == ""


def test_the_lead_line_names_place_role_period_year_and_copies_the_figure():
    line = lead_line(understand(FDI_TARGET), fact(), "Bắc Ninh", "[1]")
    assert line.startswith("Bắc Ninh · mục tiêu năm 2023 · ") and line.endswith("**1.200 triệu USD** [1]")
    english = lead_line(understand("Bắc Ninh's 2023 FDI target"), fact(), "Bắc Ninh", "[1]")
    assert "**1.200 triệu USD** (1,200 million USD) [1]" in english and "2023 target" in english
    share = lead_line(understand("Thu ngân sách năm 2022 đạt bao nhiêu phần trăm dự toán?"),
                      fact(indicator="budget_revenue", value="99,4%", measure="share", base="dự toán", role="estimate",
                           years=[2022]), "Bắc Ninh", "[1]")
    assert "so với dự toán" in share  # a share says of what


def test_english_figures_swap_the_separators_only():
    assert english_figure("1.200 triệu USD") == "1,200 million USD"
    assert english_figure("7,39%") == "7.39%"
    assert english_figure("2.869,514 tỷ đồng") == "2,869.514 billion VND"


def _chunk(chunk_id: str, text: str, role: str, years: str, place: str = "Bắc Ninh", period: str = "year") -> RetrievedChunk:
    metadata = {"source": f"{chunk_id}.txt", "role": role, "section": "", "years": years, "province": place,
                "locality": place, "doc_period": period}
    return RetrievedChunk(chunk_id, f"{chunk_id}.txt", text, text, metadata, 0.1)


TARGETS = _chunk("targets", "(3). Tổng kim ngạch xuất nhập khẩu 93.262 triệu USD.\n(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.", "target", "2023")
HALF_YEAR = _chunk("h1", "6 tháng đầu năm 2023, kim ngạch xuất khẩu đạt 3.200 triệu USD.", "result", "2023", period="h1")


def test_an_absent_indicator_abstains_and_lists_what_is_there():
    scope = understand("Mục tiêu chỉ số giá tiêu dùng (CPI) năm 2023 của Bắc Ninh là bao nhiêu?")
    answer = ExtractiveAnswerer().answer(scope, [TARGETS])
    assert answer.abstained and not answer.citations
    assert "Tài liệu có số liệu về" in answer.text and "FDI" in answer.text
    assert "93.262" not in answer.text and "1.200" not in answer.text


def test_a_whole_year_question_gets_no_part_year_figure_but_is_told_it_exists():
    scope = understand("Kim ngạch xuất khẩu năm 2023 của Bắc Ninh đạt bao nhiêu?")
    answer = ExtractiveAnswerer().answer(scope, [HALF_YEAR])
    assert answer.abstained
    assert "6 tháng đầu năm 2023: 3.200 triệu USD" in answer.text  # labelled with its period
    asked = ExtractiveAnswerer().answer(understand("Kim ngạch xuất khẩu 6 tháng đầu năm 2023 của Bắc Ninh?"), [HALF_YEAR])
    assert not asked.abstained and "3.200 triệu USD" in asked.lead


def test_the_right_item_of_a_targets_list_is_chosen_and_checked():
    answer = ExtractiveAnswerer().answer(understand(FDI_TARGET), [TARGETS])
    assert not answer.abstained and answer.confidence >= 0.8
    assert answer.facts[0]["indicator"] == "fdi" and "1.200 triệu USD" in answer.lead
    assert answer.citations[0].sentence.startswith("(5)")


def test_a_question_naming_no_place_names_every_place():
    other = _chunk("other", "(5) Thu hút vốn FDI vào các khu công nghiệp 800 triệu USD.", "target", "2023", place="Bắc Giang")
    answer = ExtractiveAnswerer().answer(understand("Mục tiêu thu hút FDI năm 2023 là bao nhiêu?"), [TARGETS, other])
    assert not answer.abstained
    assert [f["place"] for f in answer.facts] == ["Bắc Ninh", "Bắc Giang"]
    assert "Bắc Ninh" in answer.text and "Bắc Giang" in answer.text and len(answer.citations) == 2


def test_a_result_question_is_told_the_target_but_not_given_it_as_the_answer():
    scope = understand("Kim ngạch xuất nhập khẩu năm 2023 của Bắc Ninh đạt bao nhiêu?")
    answer = ExtractiveAnswerer().answer(scope, [TARGETS])
    assert answer.abstained and not answer.citations
    assert "mục tiêu năm 2023: 93.262 triệu USD" in answer.text


@pytest.mark.parametrize(
    ("question", "fact_text", "why"),
    [
        ("Mục tiêu thu hút FDI ngoài khu công nghiệp năm 2023 của Bắc Ninh?", "Thu hút vốn FDI vào các khu công nghiệp", "indicator"),
        ("Mục tiêu thu hút FDI toàn tỉnh Bắc Ninh năm 2023?", "Thu hút vốn FDI vào các khu công nghiệp", "indicator"),
        ("Bắc Ninh thu hút FDI vào các khu công nghiệp năm 2023 bao nhiêu?", "với tổng vốn thu hút", "indicator"),
        ("Mục tiêu thu hút FDI năm 2023 của Bắc Ninh?", "Thu hút vốn FDI vào các khu công nghiệp", ""),
    ],
)
def test_a_narrowed_or_widened_indicator_needs_a_figure_of_that_extent(question, fact_text, why):
    assert mismatch(understand(question), fact(indicator_text=fact_text), "") == why


def test_an_english_lead_keeps_the_hedge_of_the_figure():
    line = lead_line(understand("How much FDI capital did Bắc Ninh attract in 2022?"),
                     fact(value="2 tỷ USD", qualifier="gần", role="result", years=[2022]), "Bắc Ninh", "[1]")
    assert "**gần 2 tỷ USD** (nearly 2 billion USD) [1]" in line
