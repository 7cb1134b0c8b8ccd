"""Trend, compare, rank and attainment questions answered as a cited table of typed facts (no store)."""

from __future__ import annotations

import pytest

from hoidap.app.answering.table_answer import MISSING_VI, build_table_answer, quantity
from hoidap.app.answering.table_kinds import table_query, year_range
from hoidap.app.facts_table import fact_rows
from hoidap.app.query import understand


def _record(chunk_id: str, body: str, **meta) -> tuple[str, str, dict]:
    header = f"[{meta.get('province', '')}]\n{meta.get('title', '')}\n"
    metadata = {"body_start": len(header), "doc_period": "year", **meta}
    return chunk_id, header + body, metadata


def _annual(chunk_id, province, year, results: str, targets: str):
    """An annual conclusion: the year's results, then next year's targets."""
    return [
        _record(f"{chunk_id}-r", results, province=province, source=f"{chunk_id}.txt", title=f"Kết luận năm {year}", role="result",
                section=f"I. KẾT QUẢ NĂM {year}", years=str(year), doc_years=f"{year},{year + 1}"),
        _record(f"{chunk_id}-t", targets, province=province, source=f"{chunk_id}.txt", title=f"Kết luận năm {year}", role="target",
                section=f"II. MỤC TIÊU NĂM {year + 1}", years=str(year + 1), doc_years=f"{year},{year + 1}"),
    ]


RECORDS = [
    *_annual("bn21", "Bắc Ninh", 2021, "Thu ngân sách nhà nước ước đạt 30.372 tỷ đồng. Thu hút vốn FDI đạt 1,2 tỷ USD.",
             "Tổng thu ngân sách nhà nước 31.470 tỷ đồng. Thu hút vốn FDI 1.500 triệu USD."),
    *_annual("bn22", "Bắc Ninh", 2022, "Thu ngân sách nhà nước ước đạt 33.512 tỷ đồng. Kim ngạch xuất khẩu đạt 45.120 triệu USD.",
             "Tổng thu ngân sách nhà nước 34.100 tỷ đồng. Thu hút vốn FDI 1.750 triệu USD."),
    *_annual("bn23", "Bắc Ninh", 2023, "Thu hút vốn FDI đạt 1.830 triệu USD. Kim ngạch xuất khẩu đạt 41.870 triệu USD.",
             "Thu hút vốn FDI 1.900 triệu USD."),
    *_annual("bg23", "Bắc Giang", 2023, "Thu hút vốn FDI đạt 2,35 tỷ USD. Kim ngạch xuất khẩu đạt 26.440 triệu USD.",
             "Thu hút vốn FDI 1.100 triệu USD."),
    *_annual("cb23", "Cao Bằng", 2023, "Kim ngạch xuất khẩu đạt 612,5 triệu USD.", "Kim ngạch xuất khẩu 700 triệu USD."),
    _record("bn23-h1", "Kim ngạch xuất khẩu 6 tháng đầu năm 2023 đạt 19.210 triệu USD.", province="Bắc Ninh", source="bn23h1.txt",
            title="Báo cáo 6 tháng đầu năm 2023", role="result", doc_period="h1", years="2023", doc_years="2023"),
]


@pytest.fixture(scope="module")
def store():
    ids, texts, metadatas = zip(*RECORDS, strict=True)
    rows = fact_rows(list(ids), list(texts), list(metadatas))
    where = {cid: (text[meta["body_start"]:], meta) for cid, text, meta in RECORDS}
    return rows, where.get


def ask(store, question):
    rows, passage = store
    return build_table_answer(understand(question), rows, passage)


def cells(answer):
    return [(r["place"], r["year"], r["period"], r["role"], r["status"], r["value"]) for r in answer.table["rows"]]


@pytest.mark.parametrize("question, kind", [
    ("Thu ngân sách của Bắc Ninh qua các năm 2021–2023?", "trend"),
    ("How did Bac Ninh's budget revenue change over the years?", "trend"),
    ("So sánh mục tiêu thu hút FDI năm 2023 của Bắc Ninh và Bắc Giang", "compare"),
    ("Compare FDI attracted by Bac Ninh and Bac Giang in 2023", "compare"),
    ("So sánh mục tiêu và kết quả thu hút FDI năm 2023 của Bắc Ninh", "compare"),
    ("Tỉnh nào trong tài liệu có kim ngạch xuất khẩu năm 2023 cao nhất?", "rank"),
    ("Which province had the lowest exports in 2023?", "rank"),
    ("Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm kế hoạch thu ngân sách?", "attainment"),
])
def test_table_questions_are_recognised_in_both_languages(question, kind):
    query = table_query(understand(question))
    assert query is not None and query.kind == kind


@pytest.mark.parametrize("question", [
    "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?",
    "What was Bac Ninh's 2022 budget revenue?",
    "Tốc độ tăng trưởng GRDP giai đoạn 2021-2025 của Bắc Ninh?",
    "Ai là Bí thư Tỉnh ủy Bắc Ninh?",
])
def test_single_figure_questions_keep_their_path(question):
    assert table_query(understand(question)) is None


def test_year_range_expands_a_short_range_only():
    assert year_range("qua các năm 2021–2023") == [2021, 2022, 2023]
    assert year_range("from 2021 to 2023") == [2021, 2022, 2023]
    assert year_range("năm 2023") == []


def test_trend_table_cites_every_cell_and_marks_a_missing_year(store):
    answer = ask(store, "Thu ngân sách của Bắc Ninh qua các năm 2021–2023?")
    got = cells(answer)
    assert [(g[1], g[4], g[5]) for g in got] == [(2021, "stated", "30.372 tỷ đồng"), (2022, "stated", "33.512 tỷ đồng"),
                                                (2023, "missing", "")]
    missing = answer.table["rows"][2]
    assert missing["text"] == MISSING_VI and missing["citation"] is None
    for row in answer.table["rows"][:2]:
        cited = answer.citations[row["citation"] - 1]
        assert row["value"] in cited.text and cited.chunk_id == row["chunk_id"]
    assert answer.table["chart"]["type"] == "line" and [p["x"] for p in answer.table["chart"]["data"]] == ["2021", "2022"]
    assert "không có trong tài liệu" in answer.text and not answer.abstained


def test_trend_never_fills_a_cell_with_a_target_or_a_part_year_figure(store):
    # 2023 budget revenue: only the 2023 *target* (stated in the 2022 report) exists; the result cell stays empty.
    answer = ask(store, "Kim ngạch xuất khẩu của Bắc Ninh các năm 2021-2023?")
    got = {g[1]: g for g in cells(answer)}
    assert got[2021][4] == "missing" and got[2022][5] == "45.120 triệu USD" and got[2023][5] == "41.870 triệu USD"
    assert "19.210 triệu USD" not in answer.text  # the first half of 2023 is not the year


def test_indicator_or_period_not_stated_gives_missing_cells_not_a_neighbour(store):
    answer = ask(store, "Thu hút vốn FDI của Cao Bằng qua các năm 2022-2023?")  # Cao Bằng states exports only
    assert answer.abstained and all(r["status"] == "missing" for r in answer.table["rows"])
    answer = ask(store, "Kim ngạch xuất khẩu của Bắc Ninh theo quý năm 2023?")  # only a half-year figure exists
    assert all(r["status"] == "missing" for r in answer.table["rows"])
    assert "19.210" not in answer.text and "41.870" not in answer.text


def test_compare_places_normalises_units_for_the_chart_but_shows_them_as_printed(store):
    answer = ask(store, "So sánh thu hút vốn FDI năm 2023 của Bắc Ninh và Bắc Giang")
    by_place = {r["place"]: r for r in answer.table["rows"]}
    assert by_place["Bắc Giang"]["value"] == "2,35 tỷ USD" and by_place["Bắc Ninh"]["value"] == "1.830 triệu USD"
    assert answer.table["unit"] in ("triệu USD", "tỷ USD")
    numbers = {p["x"]: p["y"] for p in answer.table["chart"]["data"]}
    assert numbers["Bắc Giang"] / numbers["Bắc Ninh"] == pytest.approx(2350 / 1830)


def test_quantity_reads_scales():
    assert quantity("1,2 tỷ USD") == quantity("1.200 triệu USD")


def test_rank_orders_places_by_normalised_value(store):
    answer = ask(store, "Tỉnh nào có kim ngạch xuất khẩu năm 2023 cao nhất?")
    ranked = [(r["rank"], r["place"]) for r in answer.table["rows"]]
    assert ranked == [(1, "Bắc Ninh"), (2, "Bắc Giang"), (3, "Cao Bằng")]
    low = ask(store, "Which province had the lowest exports in 2023?")
    assert low.table["rows"][0]["place"] == "Cao Bằng"


def test_target_vs_result_adds_a_computed_share_with_formula_and_both_sources(store):
    answer = ask(store, "So sánh mục tiêu và kết quả thu hút FDI năm 2023 của Bắc Ninh")
    rows = answer.table["rows"]
    assert [(r["role"], r["value"]) for r in rows[:2]] == [("target", "1.750 triệu USD"), ("result", "1.830 triệu USD")]
    computed = rows[2]
    assert computed["status"] == "computed" and computed["value"] == "104,6%"
    assert "1.830 triệu USD [2]" in computed["formula"] and "1.750 triệu USD [1]" in computed["formula"]
    assert sorted(computed["citations"]) == [1, 2] and "tính toán" in computed["indicator_name"]


def test_attainment_computes_the_share_of_the_target_when_no_share_is_stated(store):
    answer = ask(store, "Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm mục tiêu thu ngân sách?")
    rows = answer.table["rows"]
    # The 2022 target is the one the 2021 conclusion set (34.100 is 2023's): the right year, not the nearest figure.
    assert rows[0]["value"] == "33.512 tỷ đồng" and rows[1]["value"] == "31.470 tỷ đồng"
    assert rows[2]["status"] == "computed" and rows[2]["value"] == "106,5%"
    assert rows[2]["formula"] == "33.512 tỷ đồng [1] ÷ 31.470 tỷ đồng [2] × 100"


@pytest.mark.parametrize("question, descending, top", [
    ("Top 3 provinces by lowest exports in 2023", False, 3),
    ("Top 3 tỉnh có kim ngạch xuất khẩu năm 2023 cao nhất", True, 3),
    ("3 tỉnh có kim ngạch xuất khẩu năm 2023 thấp nhất?", False, 3),
    ("Tỉnh nào có kim ngạch xuất khẩu năm 2023 cao nhất?", True, 0),
])
def test_rank_reads_direction_and_count(question, descending, top):
    query = table_query(understand(question))
    assert (query.kind, query.descending, query.top) == ("rank", descending, top)


@pytest.mark.parametrize("question", [
    "Doanh nghiệp thành lập mới 7 tháng năm 2023 của tỉnh Hà Nam đạt bao nhiêu?",  # "tháng năm" is not "hàng năm"
    "8 tháng năm 2023, diện tích lúa của Phú Thọ là bao nhiêu?",
    "Thu ngân sách nhà nước 6 tháng đầu năm 2022 của Bắc Ninh bằng bao nhiêu phần trăm so với cùng kỳ?",
])
def test_one_period_questions_are_not_trends(question):
    assert table_query(understand(question)) is None


def test_per_capita_is_no_span():
    query = table_query(understand("GRDP bình quân đầu người năm 2021 của Hà Nam và tỉnh Bình Dương so sánh thế nào?"))
    assert query is not None and query.kind == "compare" and query.places == ["Hà Nam", "Bình Dương"]


def test_attainment_of_a_target_never_shows_the_share_of_the_budget_plan():
    rows = fact_rows(*map(list, zip(*[
        _record("kt22", "Thu ngân sách nhà nước ước đạt 5.798 tỷ đồng, bằng 102,7% dự toán năm là 5.648 tỷ đồng.", province="Kon Tum",
                source="kt22.txt", title="Kết luận năm 2022", role="result", section="I. KẾT QUẢ NĂM 2022", years="2022", doc_years="2022,2023"),
        _record("kt21", "Tổng thu ngân sách nhà nước 6.124 tỷ đồng.", province="Kon Tum", source="kt21.txt", title="Kết luận năm 2021",
                role="target", section="II. MỤC TIÊU NĂM 2022", years="2022", doc_years="2021,2022"),
    ], strict=True)))
    where = {r.chunk_id: (r.sentence, {}) for r in rows}
    answer = build_table_answer(understand("What percentage of its 2022 budget revenue target did Kon Tum reach?"), rows, where.get)
    got = {(r["role"], r["measure"]): r for r in answer.table["rows"]}
    assert got[("result", "level")]["value"] == "5.798 tỷ đồng" and got[("target", "level")]["value"] == "6.124 tỷ đồng"
    assert "102,7%" not in answer.text and got[("computed", "computed")]["value"] == "94.7%"  # English: a decimal point
    plan = build_table_answer(understand("Năm 2022 Kon Tum đạt bao nhiêu phần trăm dự toán thu ngân sách?"), rows, where.get)
    shown = {(r["role"], r["measure"]): r["value"] for r in plan.table["rows"] if r["status"] == "stated"}
    assert shown == {("result", "level"): "5.798 tỷ đồng", ("plan", "level"): "5.648 tỷ đồng", ("result", "share"): "102,7%"}


def test_target_against_result_of_a_rate_named_share():
    question = "Compare Ha Nam's 2023 share of the population with health insurance target with the actual result"
    query = table_query(understand(question))
    assert query is not None and (query.kind, query.roles, query.years) == ("compare", ["target", "result"], [2023])


def test_a_trend_naming_no_place_lists_up_to_five_places(store):
    answer = ask(store, "Thu hút vốn FDI qua các năm 2021-2023?")  # stated for Bắc Ninh and Bắc Giang
    assert {r["place"] for r in answer.table["rows"]} == {"Bắc Ninh", "Bắc Giang"}
    rows, passage = store
    many = [r.__class__(**{**r.as_dict(), "place": f"{r.place} {i}", "province": f"{r.province} {i}"})
            for i in range(6) for r in rows if r.indicator == "fdi"]
    asked = build_table_answer(understand("Thu hút vốn FDI qua các năm 2021-2023?"), many, passage)
    assert asked.abstained and asked.table is None and "địa phương nào" in asked.text


def test_a_top_n_ranking_shows_n_places_and_keeps_the_rest_in_rows(store):
    answer = ask(store, "Top 2 tỉnh có kim ngạch xuất khẩu năm 2023 cao nhất")
    assert answer.table["shown_rows"] == 2 and len(answer.table["rows"]) == 3
    assert "Cao Bằng" not in answer.text and [p["x"] for p in answer.table["chart"]["data"]] == ["Bắc Ninh", "Bắc Giang"]


def test_a_range_is_shown_as_printed_never_charted_or_computed_with():
    rows = fact_rows(*map(list, zip(*[
        _record("bn21", "Tổng sản phẩm (GRDP) tăng 5-6% so với năm 2021.", province="Bắc Ninh", source="bn21.txt", title="Kết luận năm 2021",
                role="target", section="II. MỤC TIÊU NĂM 2022", years="2022", doc_years="2021,2022"),
        _record("bn22", "Kinh tế tăng trưởng cao, đạt 7,39%.", province="Bắc Ninh", source="bn22.txt", title="Kết luận năm 2022",
                role="result", section="I. KẾT QUẢ NĂM 2022", years="2022", doc_years="2022,2023"),
    ], strict=True)))
    where = {r.chunk_id: (r.sentence, {}) for r in rows}
    answer = build_table_answer(understand("So sánh mục tiêu và kết quả tăng trưởng GRDP năm 2022 của Bắc Ninh"), rows, where.get)
    assert [(r["role"], r["value"]) for r in answer.table["rows"]] == [("target", "5-6%"), ("result", "7,39%")]  # nothing computed
    assert answer.table["unit"] == "%" and [p["y"] for p in answer.table["chart"]["data"]] == [7.39]


def test_a_stated_share_of_the_plan_answers_a_plan_question_and_a_target_question_gets_a_computed_one():
    rows = fact_rows(*map(list, zip(*[
        _record("bn22", "Thu ngân sách ước đạt 30.372 tỷ đồng, bằng 99,4% dự toán năm.", province="Bắc Ninh", source="bn22.txt",
                title="Kết luận năm 2022", role="result", section="I. KẾT QUẢ NĂM 2022", years="2022", doc_years="2022,2023"),
        _record("bn21", "Tổng thu ngân sách nhà nước 30.567 tỷ đồng.", province="Bắc Ninh", source="bn21.txt", title="Kết luận năm 2021",
                role="target", section="II. MỤC TIÊU NĂM 2022", years="2022", doc_years="2021,2022"),
    ], strict=True)))
    where = {r.chunk_id: (r.sentence, {}) for r in rows}
    plan = build_table_answer(understand("Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm kế hoạch thu ngân sách?"), rows, where.get)
    got = [(r["role"], r["measure"], r["status"], r["value"]) for r in plan.table["rows"]]
    assert got == [("result", "level", "stated", "30.372 tỷ đồng"), ("plan", "level", "missing", ""), ("result", "share", "stated", "99,4%")]
    assert "dự toán" in plan.table["rows"][2]["indicator_name"]
    target = build_table_answer(understand("Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm mục tiêu thu ngân sách?"), rows, where.get)
    got = [(r["role"], r["status"], r["value"]) for r in target.table["rows"]]
    assert got == [("result", "stated", "30.372 tỷ đồng"), ("target", "stated", "30.567 tỷ đồng"), ("computed", "computed", "99,4%")]


PROJECTS_AND_CAPITAL = [
    *_annual("tn22", "Thái Nguyên", 2022, "Thu hút 31 dự án FDI.", "Thu hút vốn FDI 900 triệu USD."),
    *_annual("hd22", "Hải Dương", 2022, "Thu hút 45 dự án FDI; vốn FDI đạt 1,1 tỷ USD.", "Thu hút vốn FDI 1.000 triệu USD."),
]


@pytest.fixture(scope="module")
def fdi_store():
    ids, texts, metadatas = zip(*PROJECTS_AND_CAPITAL, strict=True)
    rows = fact_rows(list(ids), list(texts), list(metadatas))
    where = {cid: (text[meta["body_start"]:], meta) for cid, text, meta in PROJECTS_AND_CAPITAL}
    return rows, where.get


def test_an_amount_indicator_is_compared_in_its_amount_when_counts_are_as_common(fdi_store):
    """As many project counts as capital figures: "thu hút FDI" compares capital, never a count, and a
    place whose capital is not stated gets no figure."""
    answer = ask(fdi_store, "So sánh mục tiêu thu hút FDI năm 2023 của Thái Nguyên và Hải Dương")
    got = {place: (status, value) for place, _y, _p, _r, status, value in cells(answer)}
    assert got["Hải Dương"][1] == "1.000 triệu USD" and got["Thái Nguyên"][1] == "900 triệu USD"
    results = {place: value for place, _y, _p, _r, _s, value in cells(ask(fdi_store, "So sánh vốn FDI năm 2022 của Thái Nguyên và Hải Dương"))}
    assert results["Hải Dương"] == "1,1 tỷ USD" and results["Thái Nguyên"] == ""


def test_a_count_asked_for_is_compared_as_a_count(fdi_store):
    answer = ask(fdi_store, "So sánh số dự án FDI năm 2022 của Thái Nguyên và Hải Dương")
    got = {place: value for place, _y, _p, _r, _s, value in cells(answer)}
    assert got == {"Thái Nguyên": "31 dự án", "Hải Dương": "45 dự án"}
