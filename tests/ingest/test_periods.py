import pytest

from hoidap.ingest.periods import document_period, find_periods, period_label, question_period


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kim ngạch xuất khẩu 6 tháng đầu năm 2023", "h1"),
        ("nửa đầu năm 2023", "h1"),
        ("quý I/2022", "q1"),
        ("Quý II năm 2023", "q2"),
        ("3 tháng đầu năm", "q1"),
        ("9 tháng năm 2023", "m9"),
        ("10 tháng đầu năm 2023", "m10"),
        ("cả năm 2023", "year"),
        ("giai đoạn 2021 - 2025", "multi"),
        ("first quarter of 2023", "q1"),
        ("the first half of 2022", "h1"),
        ("first 9 months of 2023", "m9"),
        ("tháng 10/2023", "month10"),
        ("nhiệm vụ 6 tháng cuối năm 2023", "h2"),
        ("Đến giữa năm 2023 có bao nhiêu sản phẩm OCOP?", "h1"),
        # "the annual plan" is the base of a share, not the period asked
        ("What share of the annual plan did revenue reach in the first half of 2023?", "h1"),
        ("by 15 June 2023", "as_of"),
    ],
)
def test_periods_are_read_from_phrases(text, code):
    assert question_period(text) == code


def test_a_question_naming_no_period_asks_for_the_whole_year():
    assert question_period("Bắc Ninh's 2023 FDI target") == "year"
    assert question_period("Tổng thu ngân sách 2022?") == "year"


def test_comparison_bases_and_unrelated_months_are_not_periods():
    assert find_periods("tăng 10,2% so với cùng kỳ năm 2021") == []
    assert find_periods("sau 6 tháng triển khai dự án") == []


def test_document_period_prefers_what_is_assessed_over_what_is_ahead():
    title = "Về tình hình thực hiện nhiệm vụ chính trị 6 tháng đầu năm; nhiệm vụ, giải pháp 6 tháng cuối năm 2022"
    assert document_period(title, title) == "h1"
    opening = "Hội nghị đánh giá kết quả công tác quý I, triển khai nhiệm vụ quý II/2022."
    assert document_period("Thực hiện các giải pháp đồng bộ", opening) == "q1"
    assert document_period("Kết luận Hội nghị về tình hình kinh tế - xã hội năm 2022", "…") == "year"


def test_labels_in_both_languages():
    assert period_label("m9") == "9 tháng đầu năm"
    assert period_label("m9", "en") == "first 9 months"
    assert period_label("q1", "en") == "Q1"
