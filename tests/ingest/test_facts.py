from hoidap.ingest.facts import ChunkContext, chunk_facts, parse_number, sentence_facts
from hoidap.ingest.indicators import indicators_in


def _facts(sentence, role="", years=(2022,), section=(), doc_period="year"):
    return sentence_facts(sentence, ChunkContext(list(section), role, list(years), doc_period))


def test_each_figure_gets_its_own_indicator_and_measure():
    facts = _facts(
        "kim ngạch xuất, nhập khẩu đạt 91,7 tỷ USD, tăng 10,2%; thu ngân sách ước đạt 30.372 tỷ đồng, "
        "bằng 99,4% dự toán năm",
        role="result",
    )
    got = [(f.indicator, f.value, f.measure, f.role) for f in facts]
    assert got == [
        ("trade", "91,7 tỷ USD", "level", "result"),
        ("trade", "10,2%", "change", "result"),
        ("budget_revenue", "30.372 tỷ đồng", "level", "estimate"),
        ("budget_revenue", "99,4%", "share", "estimate"),
    ]


def test_a_target_list_item_takes_role_and_year_from_its_heading():
    (fact,) = _facts(
        "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
        role="target",
        years=(2023,),
        section=("II. CHỦ ĐỀ, MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023",),
    )
    assert (fact.indicator, fact.value, fact.number, fact.role, fact.years, fact.period) == (
        "fdi", "1.200 triệu USD", 1200.0, "target", [2023], "year")


def test_period_comes_from_the_sentence_then_the_document():
    (fact,) = _facts("Tốc độ tăng trưởng GRDP 6 tháng đầu năm đạt 3,29%", role="result")
    assert (fact.indicator, fact.period) == ("grdp_growth", "h1")
    (fact,) = _facts("giá trị sản xuất công nghiệp đạt trên 356 tỷ đồng", doc_period="q1")
    assert (fact.period, fact.qualifier) == ("q1", "trên")


def test_a_passage_opening_with_a_period_gives_it_to_its_sentences():
    body = "6 tháng đầu năm 2022, thành phố đạt một số kết quả quan trọng.\nTổng chi ngân sách thành phố ước 464 tỷ đồng."
    facts = chunk_facts(body, ChunkContext([], "result", [2022], "year"))
    assert [(f.indicator, f.period, f.role) for f in facts] == [("budget_spending", "h1", "estimate")]


def test_list_markers_years_and_ordinals_are_not_figures():
    assert _facts("Hội nghị lần thứ 15 năm 2023 (13).") == []


def test_a_rate_indicator_with_a_money_unit_is_left_unknown_not_guessed():
    (fact,) = _facts("tỷ lệ đô thị hóa đạt 44 tỷ đồng")
    assert fact.indicator == ""


def test_numbers_are_read_the_vietnamese_way():
    assert parse_number("1.200") == 1200.0
    assert parse_number("7,39") == 7.39
    assert parse_number("2.869,514") == 2869.514


def test_indicator_names_match_accented_unaccented_and_english_longest_first():
    assert indicators_in("kim ngạch xuất khẩu") == ["export"]
    assert indicators_in("kim ngạch xuất, nhập khẩu") == ["trade"]
    assert indicators_in("tong kim ngach xuat nhap khau") == ["trade"]
    assert indicators_in("Bắc Ninh's 2023 FDI target") == ["fdi"]
    assert indicators_in("GRDP bình quân đầu người") == ["grdp_per_capita"]


def test_sector_growth_in_a_breakdown_keeps_each_sector():
    facts = _facts(
        "So với cùng kỳ năm 2021, kinh tế quý I/2022 tăng 4,02% (trong đó, khu vực nông, lâm nghiệp tăng 4,52%; "
        "công nghiệp - xây dựng tăng 4,51%, riêng công nghiệp tăng 5,16%; dịch vụ tăng 3,62%).",
        doc_period="q1",
    )
    got = [(f.indicator, f.value, f.measure) for f in facts]
    assert got == [
        ("grdp_growth", "4,02%", "level"),
        ("agriculture_growth", "4,52%", "level"),
        ("construction_growth", "4,51%", "level"),
        ("industry_growth", "5,16%", "level"),
        ("services_growth", "3,62%", "level"),
    ]


def test_money_beside_a_count_is_not_the_count():
    facts = _facts("trên địa bàn đã có 197 doanh nghiệp được thành lập mới với tổng số vốn ước đạt 2.092,3 tỷ đồng")
    assert [(f.indicator, f.value) for f in facts] == [
        ("new_enterprises", "197 doanh nghiệp"), ("registered_capital", "2.092,3 tỷ đồng")]
    (count, capital) = _facts("có 1.060 doanh nghiệp thành lập mới với tổng vốn đăng ký 2.100 tỷ đồng")
    assert (count.indicator, capital.indicator) == ("new_enterprises", "registered_capital")


def test_two_shares_of_two_budgets_keep_who_set_each():
    facts = _facts("Tổng thu ngân sách nhà nước đạt trên 221 tỷ đồng, bằng 29,2% dự toán Trung ương giao, 27% dự toán tỉnh giao.")
    shares = [(f.value, f.measure, f.role, f.base) for f in facts if f.measure == "share"]
    assert shares == [("29,2%", "share", "result", "dự toán Trung ương giao"), ("27%", "share", "result", "dự toán tỉnh giao")]


def test_more_communes_is_a_change_and_the_running_total_a_level():
    added, total = _facts("Có thêm 8 xã đạt chuẩn nông thôn mới, nâng tổng số lên 63/69 xã", role="target")
    assert (added.measure, total.measure) == ("change", "level")


def test_a_figure_named_by_the_words_after_it_and_a_count_of_years():
    (schools, rate) = _facts("Đến nay, tỉnh có 173/527 trường học đạt chuẩn quốc gia, chiếm 32,8%")
    assert (schools.indicator, schools.value) == ("standard_schools", "173/527 trường")
    (anniversary,) = _facts("thiết thực kỷ niệm 190 năm thành lập tỉnh; ngày 5 tháng 7 năm 2022 họp.")
    assert anniversary.value == "190 năm" and anniversary.indicator == ""
    assert "kỷ niệm" in anniversary.indicator_text  # an indicator outside the vocabulary keeps its words
