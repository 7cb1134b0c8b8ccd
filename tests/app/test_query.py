"""What a question pins down: language, place, year, target or result."""

from __future__ import annotations

import pytest

from hoidap.app.query import detect_language, understand


def test_english_question_about_bac_ninh_2023_target():
    scope = understand("Bắc Ninh's 2023 FDI target")
    assert scope.lang == "en"
    assert scope.provinces == ["Bắc Ninh"]
    assert scope.localities == []
    assert scope.years == [2023]
    assert scope.intent == "target"
    assert scope.wants_figure
    # BM25 runs over Vietnamese text: the English question brings Vietnamese report terms
    assert "thu hút" in scope.search_text and "mục tiêu" in scope.search_text
    assert "Bắc Ninh" in scope.search_text and "2023" in scope.search_text
    assert 0 < scope.lexical_trust <= 1


def test_vietnamese_question_about_lang_son():
    scope = understand("Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn")
    assert scope.lang == "vi"
    assert scope.provinces == ["Lạng Sơn"]
    assert scope.years == [2023]
    assert scope.intent == "target"
    assert scope.search_text == scope.question
    assert scope.lexical_trust == 1.0


def test_tu_son_is_a_locality_when_documents_are_about_it():
    scope = understand("Từ Sơn 6 tháng đầu năm 2022 thu ngân sách đạt bao nhiêu?", known_localities={"Từ Sơn"})
    assert scope.localities == ["Từ Sơn"]
    assert scope.provinces == []
    assert scope.years == [2022]
    assert scope.intent == "result"
    assert scope.wants_figure
    assert scope.describe() == "Từ Sơn · 2022"


def test_a_city_no_document_covers_is_still_the_place_asked():
    """Its figures are not its province's: the answer must be "not found", not Bắc Ninh's figure."""
    scope = understand("Từ Sơn 6 tháng đầu năm 2022 thu ngân sách đạt bao nhiêu?", known_localities=set())
    assert scope.localities == ["Từ Sơn"] and scope.provinces == []
    assert scope.years == [2022]
    assert understand("Thu ngân sách năm 2022 của thành phố Bắc Ninh?", known_localities=set()).localities == ["Bắc Ninh"]
    # an untyped district beside its province names a thing there, not the place asked
    beside = understand("Cao Bằng đẩy nhanh cao tốc Đồng Đăng - Trà Lĩnh khi nào?", known_localities=set())
    assert beside.provinces == ["Cao Bằng"] and beside.localities == []


def test_city_with_its_province_scopes_to_the_city():
    scope = understand("Thu ngân sách của thành phố Từ Sơn, tỉnh Bắc Ninh năm 2022?", known_localities={"Từ Sơn"})
    assert scope.localities == ["Từ Sơn"]
    assert scope.provinces == []


def test_accentless_province_name():
    scope = understand("bac ninh FDI target 2023")
    assert scope.provinces == ["Bắc Ninh"]
    assert scope.years == [2023]


def test_accentless_vietnamese_question_is_vietnamese():
    """Typed without diacritics, "muc tieu ... cua tinh bac ninh" is still a Vietnamese question asking
    for a target; taking it for English drops its lexical search and its target intent."""
    scope = understand("muc tieu thu hut von FDI nam 2023 cua tinh bac ninh la bao nhieu")
    assert scope.provinces == ["Bắc Ninh"]
    assert scope.lang == "vi"
    assert scope.intent == "target"


def test_old_style_tone_in_the_question_is_normalised():
    scope = understand("Tỷ lệ đô thị hoá của tỉnh Hoà Bình năm 2022")
    assert scope.provinces == ["Hòa Bình"]
    assert "hóa" in scope.question


def test_two_provinces_and_no_year():
    scope = understand("What is the GRDP growth of Cao Bằng and Bắc Kạn?")
    assert scope.lang == "en"
    assert set(scope.provinces) == {"Cao Bằng", "Bắc Kạn"}
    assert scope.years == []
    assert scope.constrained


def test_unscoped_question():
    scope = understand("Tỷ lệ hộ nghèo là bao nhiêu?")
    assert not scope.constrained
    assert scope.describe() == ""
    assert scope.wants_figure


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Kết quả thu ngân sách năm 2022 của Bắc Ninh", "result"),
        ("Thu ngân sách năm 2022 của Bắc Ninh ước đạt bao nhiêu?", "result"),
        ("Chỉ tiêu thu ngân sách năm 2023 của Bắc Ninh", "target"),
        ("What was Cao Bằng's budget revenue in 2023?", "result"),
        ("Bắc Ninh's 2023 goal for urbanisation", "target"),
        ("Bắc Ninh năm 2023", ""),
    ],
)
def test_intent(question, intent):
    assert understand(question).intent == intent


def test_numbers_in_an_english_question_reach_the_lexical_search():
    scope = understand("Which commune count was 17/139 in Cao Bằng?")
    assert "17/139" in scope.search_text.split()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tổng thu ngân sách năm 2022 là bao nhiêu?", "vi"),
        ("What was the total budget revenue in 2022?", "en"),
        ("2023", "vi"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text, []) == lang


def test_place_names_do_not_make_an_english_question_vietnamese():
    assert detect_language("What is the FDI target of Bắc Ninh?", ["Bắc Ninh"]) == "en"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Kim ngạch xuất khẩu của Cao Bằng năm 2023 là bao nhiêu?", "result"),  # dated, no target word
        ("Mục tiêu kim ngạch xuất khẩu năm 2024 của Cao Bằng?", "target"),
        ("Thu hút FDI của Bắc Ninh", ""),  # neither a year nor an intent word
    ],
)
def test_wanted_role(question, role):
    assert understand(question).wanted_role == role


def test_open_questions_ask_for_a_figure_only_about_a_year_or_a_target():
    assert not understand("Một thuật ngữ khác cho chuỗi là gì?").wants_figure
    assert not understand("What is the capital of Poland?").wants_figure
    assert understand("Mục tiêu GRDP của Lạng Sơn là gì?").wants_figure  # a target
    assert understand("What was Ha Giang's 2023 GRDP per capita?").wants_figure  # a year
    assert understand("Thu ngân sách đạt bao nhiêu?").wants_figure  # a quantity word


def test_who_and_when_questions():
    assert understand("Ai đã hát quốc ca tại Super Bowl 50?").answer_kind == "person"
    assert understand("Bài hát này của ai?").answer_kind == "person"
    assert understand("Who chaired the conference?").answer_kind == "person"
    assert understand("Tesla chết năm nào?").answer_kind == "time"
    assert understand("When was the plan approved?").answer_kind == "time"
    # "AI" is not "who", "Ai Cập" is Egypt, and a figure question is neither.
    assert understand("AI được ứng dụng trong lĩnh vực nào?").answer_kind == ""
    assert understand("Ai Cập nằm ở châu lục nào?").answer_kind == ""
    assert understand("Thu ngân sách năm 2022 của Bắc Ninh đạt bao nhiêu?").answer_kind == ""


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("Năm 2022 Bắc Ninh cấp mới và điều chỉnh vốn cho bao nhiêu dự án FDI?", "dự án"),
        ("How much FDI capital did Bắc Ninh attract in 2022?", "money"),
        ("How many enterprises were founded in Từ Sơn in 2022?", "count"),
        ("Bình quân mỗi xã ở Cao Bằng đạt bao nhiêu tiêu chí nông thôn mới?", "tiêu chí/xã"),
        ("Thu ngân sách năm 2022 bằng bao nhiêu phần trăm dự toán?", "%"),
        ("Tăng trưởng GRDP năm 2022 của Bắc Ninh đạt bao nhiêu?", ""),
    ],
)
def test_the_unit_a_question_asks_for(question, unit):
    assert understand(question).unit == unit


def test_rankings_themes_and_english_dates():
    assert understand("Giáo dục Từ Sơn 6 tháng đầu năm 2022 đứng thứ mấy toàn tỉnh?").answer_kind == "rank"
    assert not understand("What is Bắc Ninh's theme (chủ đề) for 2023?").wants_figure
    assert understand("What share of the plan had Cao Bằng disbursed by 15 June 2023?").day == "15/6"
    share = understand("Quý I/2022 thu ngân sách Bắc Kạn bằng bao nhiêu phần trăm dự toán tỉnh giao?")
    assert share.measure == "share" and share.share_base == ("budget", "local")


def test_filters_replace_the_places_and_years_a_question_names():
    from hoidap.app.query import Filters, apply_filters

    scope = understand("Doanh thu bán lẻ của Cao Bằng năm 2022 là bao nhiêu?")
    city = apply_filters(scope, Filters(places=("Từ Sơn",), years=(2023,)))
    assert (city.provinces, city.localities, city.years) == ([], ["Từ Sơn"], [2023])
    province = apply_filters(scope, Filters(places=("Bắc Ninh",)))
    assert (province.provinces, province.years) == (["Bắc Ninh"], [2022])  # the year named stays
    assert apply_filters(scope, Filters()) is scope


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Trong chỉ tiêu tổng kim ngạch xuất nhập khẩu năm 2023 của Bắc Ninh, riêng kim ngạch nhập khẩu là bao nhiêu?", "import"),
        ("Trong chỉ tiêu tổng thu ngân sách năm 2023, Bắc Ninh đặt mục tiêu thu nội địa bao nhiêu?", "domestic_revenue"),
        ("Tỷ trọng kinh tế số trong GRDP năm 2023 của Bắc Ninh?", "digital_economy"),
        ("In Q1 2022, what was the growth rate of the industry sector alone in Bac Kan?", "industry_growth"),
        ("Tốc độ tăng trưởng kinh tế quý I/2022 của Bắc Kạn?", "grdp_growth"),
        ("Ty le lao dong tham gia bao hiem that nghiep nam 2023 cua Bac Ninh?", "unemployment_insurance"),
    ],
)
def test_the_indicator_asked_is_not_the_one_that_frames_it(question, first):
    assert understand(question).indicators[0] == first


def test_negated_roles_dated_years_horizons_and_spans():
    result = understand("What import-export turnover did Bac Ninh actually achieve in 2022 (the result, not the target)?")
    assert (result.intent, result.role) == ("result", "result")
    dated = understand("Bac Ninh's economy grew by how much in 2021, according to the January 2022 conference?")
    assert dated.years == [2021]
    horizon = understand("Mục tiêu tỷ lệ đô thị hóa đến năm 2025 của Bắc Ninh?")
    assert horizon.years == [2025] and horizon.horizon_years == [2025]
    span = understand("Từ đầu nhiệm kỳ 2020 - 2025 đến giữa năm 2023, Cao Bằng đã kết nạp bao nhiêu đảng viên mới?")
    assert span.period == "multi"


def test_counted_units_and_targets():
    assert understand("So du an FDI Bac Ninh nam 2022?").unit == "dự án"
    assert understand("Số dự án FDI Bắc Ninh thu hút năm 2022?").unit == "dự án"
    assert understand("Bình quân số tiêu chí nông thôn mới trên mỗi xã của Cao Bằng?").unit == "tiêu chí/xã"
    counted = understand("Cao Bằng có bao nhiêu chỉ tiêu hoàn thành vượt mức?")
    assert counted.unit == "chỉ tiêu" and counted.intent != "target"
    assert understand("Chi ngân sách Từ Sơn 6 tháng đầu 2022 so với cùng kỳ?").share_base == ("same_period", "")
