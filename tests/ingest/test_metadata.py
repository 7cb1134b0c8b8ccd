"""Place, date, type and years of the sample documents, and of the passages inside them."""

from __future__ import annotations

import pytest
from conftest import DOC_000, DOC_001, DOC_002, DOC_003, DOC_004, sample_bytes, sample_path

from hoidap.ingest.document import parse_document
from hoidap.ingest.metadata import (
    extract_facts,
    find_date,
    find_doc_type,
    find_title,
    section_role,
    years_about,
)
from hoidap.ingest.places import gazetteer


@pytest.fixture(scope="module")
def parsed():
    names = (DOC_000, DOC_001, DOC_002, DOC_003, DOC_004)
    return {name: parse_document(name, sample_path(name), sample_bytes(name)) for name in names}


def test_000_is_bac_ninh_2022_and_2023_conclusion(parsed):
    facts = parsed[DOC_000].facts
    assert facts.province == "Bắc Ninh"
    assert facts.locality == "Bắc Ninh"
    assert facts.years == [2022, 2023]
    assert facts.doc_type == "kết luận"
    assert facts.title.startswith("Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh")


def test_000_target_chunks_carry_2023_not_2022(parsed):
    chunks = parsed[DOC_000].chunks
    targets = [c for c in chunks if any("CHỈ TIÊU CHỦ YẾU NĂM 2023" in h for h in c.section)]
    assert targets, "no chunk under the 2023 targets heading"
    fdi = [c for c in targets if "1.200 triệu USD" in c.body]
    assert len(fdi) == 1
    for chunk in targets:
        assert 2023 in chunk.years
        assert 2022 not in chunk.years, (chunk.body[:80], chunk.years)  # "so với năm 2022" is a comparison


def test_000_result_chunks_carry_2022_not_2023(parsed):
    results = [c for c in parsed[DOC_000].chunks if any("KẾT QUẢ NĂM 2022" in h for h in c.section)]
    assert results
    assert any("30.372 tỷ đồng" in c.body for c in results)
    for chunk in results:
        assert chunk.years == [2022], (chunk.body[:80], chunk.years)


def test_000_chunks_know_results_from_targets(parsed):
    chunks = parsed[DOC_000].chunks
    fdi_target = next(c for c in chunks if "1.200 triệu USD" in c.body)
    budget_result = next(c for c in chunks if "30.372 tỷ đồng" in c.body)
    assert (fdi_target.role, budget_result.role) == ("target", "result")


@pytest.mark.parametrize(
    ("headings", "role"),
    [
        (["I. KẾT QUẢ NĂM 2022"], "result"),
        (["I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ NĂM 2023"], "result"),  # "nhiệm vụ", still results
        (["II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2024", "2. Các chỉ tiêu chủ yếu"], "target"),
        (["III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"], "target"),
        (["II. MỤC TIÊU NĂM 2023", "1. Kết quả thực hiện các chỉ tiêu năm 2022"], "result"),  # innermost decides
        (["BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XX"], ""),
        ([], ""),
    ],
)
def test_section_role(headings, role):
    assert section_role(headings) == role


def test_001_is_cao_bang_although_lang_son_is_mentioned(parsed):
    document = parsed[DOC_001]
    assert "Lạng Sơn" in document.text  # the sample does name Lạng Sơn (the expressway)
    facts = document.facts
    assert facts.province == "Cao Bằng"
    assert facts.locality == "Cao Bằng"
    assert facts.date == "2023-07-06"
    assert 2023 in facts.years
    assert facts.doc_type == "tin"


def test_002_is_bac_ninh_2022(parsed):
    facts = parsed[DOC_002].facts
    assert facts.province == "Bắc Ninh"
    assert facts.date == "2022-01-10"
    assert facts.years == [2022]


def test_003_is_bac_kan_2022(parsed):
    facts = parsed[DOC_003].facts
    assert facts.province == "Bắc Kạn"
    assert facts.locality == "Bắc Kạn"
    assert 2022 in facts.years
    assert 2021 not in facts.years  # only "so với cùng kỳ năm 2021"
    assert facts.province_2025 == "Thái Nguyên"  # Bắc Kạn merged into Thái Nguyên in 2025


def test_004_is_tu_son_in_bac_ninh(parsed):
    facts = parsed[DOC_004].facts
    assert facts.locality == "Từ Sơn"
    assert facts.province == "Bắc Ninh"
    assert facts.date == "2022-07-05"
    assert facts.doc_type == "kết luận"
    assert facts.years == [2022]


@pytest.mark.parametrize("name", [DOC_000, DOC_001, DOC_002, DOC_003, DOC_004])
def test_every_chunk_has_years(parsed, name):
    assert all(chunk.years for chunk in parsed[name].chunks)


# --------------------------------------------------------------------------- years_about


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Thu ngân sách năm 2022 đạt 30.372 tỷ đồng", [2022]),
        ("Tổng sản phẩm (GRDP) tăng 6,5-7% so với năm 2022.", []),
        ("tăng 167% so với cùng kỳ năm 2021", []),
        ("nhiệm kỳ 2020 - 2025", []),
        ("giai đoạn 2021-2030, tầm nhìn đến năm 2050", []),
        ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", []),
        ("kết quả năm 2022 và nhiệm vụ 6 tháng cuối năm 2023", [2022, 2023]),
        ("thu 1.200 triệu USD, 2.023 dự án, 2023,5 ha", []),
        ("CHỈ TIÊU CHỦ YẾU NĂM 2023", [2023]),
    ],
)
def test_years_about(text, years):
    assert years_about(text) == years


def test_find_date_skips_the_date_of_a_cited_document():
    text = "Thực hiện Kết luận số 28-KL/TU, ngày 27/12/2021 của Ban Chấp hành.\nHà Nội, ngày 5 tháng 7 năm 2022"
    assert find_date(text) == "2022-07-05"


def test_find_date_rejects_impossible_dates():
    assert find_date("Tỷ lệ 45/13/2023 không phải ngày") == ""


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("NGHỊ QUYẾT Về nhiệm vụ trọng tâm 6 tháng cuối năm 2023", "nghị quyết"),
        ("Báo cáo tình hình kinh tế - xã hội quý I năm 2022", "báo cáo"),
        ("Kế hoạch triển khai chuyển đổi số năm 2023", "kế hoạch"),
        ("Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15", "tin"),
    ],
)
def test_find_doc_type(title, doc_type):
    assert find_doc_type(title, title) == doc_type


def test_issuer_names_the_place_even_when_another_place_is_mentioned_more():
    text = (
        "Ban Chấp hành Đảng bộ huyện Yên Phong tổ chức hội nghị sơ kết.\n"
        "Bắc Ninh, Bắc Ninh và Bắc Ninh được nhắc nhiều lần trong bài về tỉnh Bắc Ninh."
    )
    facts = extract_facts(text)
    assert facts.locality == "Yên Phong"
    assert facts.province == "Bắc Ninh"


def test_footer_is_a_weak_place_hint_only():
    body = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15.\nCác đại biểu thảo luận về nhiệm vụ năm 2023."
    assert extract_facts(body, "TRANG THÔNG TIN ĐIỆN TỬ TỈNH CAO BẰNG").province == "Cao Bằng"
    assert extract_facts("Tỉnh Bắc Kạn tổ chức hội nghị năm 2022.", "TỈNH CAO BẰNG").province == "Bắc Kạn"


def test_gazetteer_knows_tu_son_is_in_bac_ninh():
    place = gazetteer().lookup("Từ Sơn")
    assert place is not None
    assert place.kind == "district"
    assert place.province == "Bắc Ninh"


def test_gazetteer_does_not_take_common_words_for_places():
    # "hòa bình" (peace) in lower case is not the province Hòa Bình
    assert gazetteer().mentions("vì hòa bình và phát triển") == []
    assert [m.place.name for m in gazetteer().mentions("tỉnh Hòa Bình")] == ["Hòa Bình"]


def test_a_document_that_opens_with_its_body_has_no_title():
    paragraph = (
        "Đội thủ của Panthers chỉ thua 308 điểm, đứng thứ sáu trong giải đấu. Kawann Short dẫn đầu đội về số lần "
        "vật ngã với 11 lần. Đồng nghiệp Mario Addison đã thêm 6 lần vật ngã, và đội có bốn lựa chọn Pro Bowl.\n"
    )
    assert find_title(paragraph) == ""
    long_title = (
        "Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh khóa XX về tình hình kinh tế - xã hội, an ninh - "
        "quốc phòng, công tác xây dựng Đảng, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội năm "
        "2022; mục tiêu, nhiệm vụ và giải pháp chủ yếu năm 2023.\n\nI. KẾT QUẢ NĂM 2022\n"
    )
    assert find_title(long_title).startswith("Kết luận Hội nghị lần thứ 15")


# --------------------------------------------------------------------------- document place


def test_a_persons_name_does_not_make_the_document_place():
    text = (
        "Hội nghị Tỉnh ủy lần thứ 12\n\nĐồng chí Nguyễn Hồng Lĩnh, Bí thư Tỉnh ủy chủ trì hội nghị. "
        "Tỉnh Bà Rịa - Vũng Tàu phấn đấu tăng trưởng 7%."
    )
    assert extract_facts(text).province == "Bà Rịa - Vũng Tàu"
    assert extract_facts("Đồng chí Nguyễn Hồng Lĩnh làm việc với các sở.\n\nĐồng chí Nguyễn Hồng Lĩnh phát biểu.").province == ""


def test_statistics_office_is_the_issuer():
    text = "Cục Thống kê tỉnh Vĩnh Phúc\nTình hình kinh tế - xã hội tháng 6 năm 2023\n\nTỉnh Bắc Ninh và tỉnh Bắc Ninh."
    assert extract_facts(text).province == "Vĩnh Phúc"


def test_english_document_is_vinh_phuc_not_vinh():
    text = "Vinh Phuc province socio-economic situation in 2023\n\nVinh Phuc's export turnover reached 7.2 billion USD."
    facts = extract_facts(text)
    assert (facts.province, facts.locality) == ("Vĩnh Phúc", "Vĩnh Phúc")


def test_town_council_is_the_locality():
    facts = extract_facts("THỊ ỦY HỒNG LĨNH\n\nNGHỊ QUYẾT về phát triển kinh tế năm 2023")
    assert (facts.province, facts.locality) == ("Hà Tĩnh", "Hồng Lĩnh")


def test_a_lone_bare_district_name_is_not_enough():
    assert extract_facts("Tin tức\n\nDu khách đến Sa Pa ngày càng đông.").province == ""
