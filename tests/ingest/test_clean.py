"""Cleaning on the real scraped samples: page leftovers go, every body line stays."""

from __future__ import annotations

import pytest
from conftest import DOC_000, DOC_001, DOC_002, DOC_003, DOC_004, sample_bytes

from hoidap.ingest.clean import clean_text
from hoidap.ingest.decode import decode_bytes
from hoidap.ingest.normalize import normalize_text


def cleaned(name: str):
    """The sample as the ingest chain cleans it: decoded, normalised, cleaned."""
    return clean_text(normalize_text(decode_bytes(sample_bytes(name))))


def body_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# Body text read from each file: its first and last body paragraphs and lines in between.
BODY = {
    DOC_000: [
        "Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh khóa XX Về tình hình kinh tế - xã hội, an ninh - "
        "quốc phòng, công tác xây dựng Đảng, Chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội năm "
        "2022; Mục tiêu, nhiệm vụ và giải pháp chủ yếu năm 2023 (Thông tin SHCB trích đăng một số nội dung chính).",
        "I. KẾT QUẢ NĂM 2022",
        "3. Kinh tế tăng trưởng cao, đạt 7,39%; chỉ số sản xuất công nghiệp (IIP) tăng 9,5%; doanh thu bán lẻ hàng "
        "hóa và dịch vụ tiêu dùng tăng 28%; kim ngạch xuất, nhập khẩu đạt 91,7 tỷ USD, tăng 10,2%; thu ngân sách "
        "ước đạt 30.372 tỷ đồng, bằng 99,4% dự toán năm (do thu tiền sử dụng đất không đạt dự toán). Công tác xúc "
        "tiến, thu hút đầu tư đạt kết quả tích cực; cấp mới và điều chỉnh vốn 242 dự án FDI, với tổng vốn thu hút "
        "gần 2 tỷ USD.",
        "(8). Việc giải quyết khiếu nại, tố cáo, nhất là những vụ việc kéo dài chậm được xem xét, giải quyết dứt điểm.",
        "II. CHỦ ĐỀ, MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023",
        "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
        "(16). Số vụ ngộ độc thực phẩm trên 30 người mắc ≤ 1; không có trường hợp tử vong do ngộ độc thực phẩm.",
        "(19). 85% tổ chức chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội hoàn thành tốt nhiệm vụ "
        "(65% công đoàn cơ sở hoàn thành tốt và hoàn thành xuất sắc nhiệm vụ).",
    ],
    DOC_001: [
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15 (mở rộng)",
        "Thứ năm - 06/07/2023 22:37",
        "Tham dự có các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh; đại biểu các ban xây dựng Đảng Trung ương "
        "theo dõi tỉnh; lãnh đạo các sở, ban, ngành, các huyện, Thành phố.",
        "Với sự nhất trí cao, hội nghị biểu quyết thông qua nghị quyết của Ban Chấp hành Đảng bộ tỉnh khóa XIX về "
        "nhiệm vụ trọng tâm 6 tháng cuối năm 2023.",
        "Chỉ đạo tổ chức tốt diễn tập khu vực phòng thủ, diễn tập phòng, chống thiên tai và tìm kiếm cứu nạn các "
        "huyện năm 2023; chuẩn bị tốt nội dung và các điều kiện để tổ chức thành công các hội nghị, hội thảo quan "
        "trọng, đại hội các cấp của tỉnh. Đẩy mạnh các phong trào thi đua lao động sản xuất, phấn đấu thực hiện "
        "thắng lợi các nhiệm vụ, mục tiêu phát triển kinh tế - xã hội năm 2023. Làm tốt hơn nữa công tác xây dựng, "
        "chỉnh đốn Đảng và hệ thống chính trị thực sự trong sạch, vững mạnh; xây dựng chính quyền các địa phương "
        "thật sự trong sạch, liêm chính, vững mạnh, hoạt động hiệu lực, hiệu quả.",
    ],
    DOC_002: [
        "Xây dựng Bắc Ninh thịnh vượng về kinh tế, bền vững về môi trường và công bằng về xã hội",
        "Sáng 10/1, tại Hội nghị triển khai nhiệm vụ công tác năm 2022, thay mặt lãnh đạo tỉnh, Chủ tịch UBND tỉnh "
        "Nguyễn Hương Giang phát động Chương trình thi đua thực hiện các nhiệm vụ phát triển kinh tế - xã hội, xây "
        "dựng hệ hống chính trị vững mạnh năm 2022.",
        "Nâng cao hiệu lực, hiệu quả quản lý Nhà nước; đẩy mạnh phòng, chống tham nhũng, tiêu cực, lãng phí. Thực "
        "hiện nghiêm các Chỉ thị, Nghị quyết của Đảng; đẩy mạnh công tác xây dựng Đảng và hệ thống chính trị vững mạnh.",
        "Nhiệm vụ năm 2022 là rất nặng nề nhưng với tinh thần, ý chí quyết tâm cao, Tỉnh ủy, HĐND, UBND, Ủy ban "
        "MTTQ tỉnh kêu gọi các cấp, các ngành, cơ quan, đơn vị, doanh nghiệp, cán bộ, đảng viên, lực lượng vũ trang, "
        "các tầng lớp nhân dân, cộng đồng doanh nghiệp tiếp tục phát huy truyền thống đoàn kết, chung sức, đồng lòng, "
        "không ngừng đổi mới sáng tạo, nỗ lực vượt qua khó khăn, thách thức, xây dựng tỉnh Bắc Ninh thịnh vượng về "
        "kinh tế, bền vững về môi trường và công bằng về xã hội, để kế tục xứng đáng với truyền thống của quê hương, "
        "thiết thực kỷ niệm 190 năm thành lập và 25 năm tái lập tỉnh.",
    ],
    DOC_003: [
        "Thực hiện các giải pháp đồng bộ, quyết liệt, hoàn thành đạt và vượt mức các chỉ tiêu KT-XH năm 2022",
        "Sáng 08/4, Ban Chấp hành Đảng bộ tỉnh Bắc Kạn tổ chức Hội nghị lần thứ Bảy để đánh giá kết quả công tác "
        "quý I, triển khai nhiệm vụ quý II/2022 và bàn một số nội dung quan trọng khác.",
        "Sản xuất công nghiệp duy trì ổn định, giá trị sản xuất công nghiệp đạt trên 356 tỷ đồng, bằng 22% kế "
        "hoạch và tăng 7,5% so với cùng kỳ. Tổng kim ngạch xuất nhập khẩu đạt 7,3 triệu USD, đạt 29,4% kế hoạch và "
        "tăng 167% so với cùng kỳ năm 2021. Tổng thu ngân sách nhà nước đạt trên 221 tỷ đồng, bằng 29,2% dự toán "
        "Trung ương giao, 27% dự toán tỉnh giao.",
        "Đồng chí Bí thư Tỉnh ủy nhấn mạnh: Sau Hội nghị này, với cương vị công tác của mình, với tinh thần nêu "
        "gương của người đứng đầu, đề nghị từng đồng chí Ủy viên BCH Đảng bộ tỉnh, thủ trưởng các cơ quan đơn vị "
        "cần tập trung lãnh đạo, chỉ đạo thực hiện quyết liệt có hiệu quả với tính chủ động, sáng tạo, thống nhất "
        "hành động để hoàn thành tốt mục tiêu nhiệm vụ năm 2022 và các năm tiếp theo./.",
    ],
    DOC_004: [
        "KẾT LUẬN",
        "HỘI NGHỊ LẦN THỨ 4",
        "Ngày 5 tháng 7 năm 2022, Ban Chấp hành Đảng bộ Thành phố Từ Sơn khóa XVIII tổ chức Hội nghị lần thứ 4, "
        "sau khi nghe các báo cáo của Ủy ban nhân dân thành phố, các Ban xây dựng Đảng, ý kiến của các đại biểu, "
        "Hội nghị đã thảo luận và kết luận:",
        "5. Về quốc phòng – an ninh",
        "Giao Văn phòng Thành ủy phối hợp với các cơ quan theo dõi, đôn đốc thực hiện và định kỳ báo cáo Ban Chấp "
        "hành Đảng bộ, Ban Thường vụ Thành ủy, Thường trực Thành ủy theo quy định./.",
        "- Lưu: VT.",
        "Đỗ Tuấn Sơn",
    ],
}

# Page leftovers found in each file (widgets, counters, menus, footer lines).
LEFTOVERS = {
    DOC_000: ["Thống kê truy cập", "Đăng nhập", "no image", "Đang online", "Hôm nay: 1", "Trong tuần: 0", "Tất cả: 0"],
    DOC_001: [
        "Tổng số điểm của bài viết", "Click để đánh giá", "Ý kiến bạn đọc", "Những tin mới hơn", "Những tin cũ hơn",
        "Thống kê truy cập", "Đang truy cập22", "Máy chủ tìm kiếm", "Khách viếng thăm", "Hôm nay5,602",
        "Tháng hiện tại", "Tổng lượt truy cập", "7,235,900", "Địa chỉ: Đường Hoàng Văn Thụ", "Điện thoại: 0206",
        "hdhd@caobang.gov.vn", "Bạn đã không sử dụng Site", "chuyen muc", "lichcongtac", "CSDLVBPL", "quochuy",
    ],
    DOC_002: ["bacninh.gov.vn", "Thăm dò", "Quảng cáo", "Tỷ giá ngoại tệ", "Quản trị web", "Công ty Tân Phát"],
    DOC_003: [],
    DOC_004: ["**"],
}


@pytest.mark.parametrize("name", list(BODY))
def test_body_lines_are_kept(name):
    lines = body_lines(cleaned(name).text)
    for expected in BODY[name]:
        assert expected in lines, expected[:80]


@pytest.mark.parametrize("name", list(BODY))
def test_first_and_last_body_lines_open_and_close_the_text(name):
    lines = body_lines(cleaned(name).text)
    first = BODY[name][0]
    assert lines[0] == first
    assert BODY[name][-1] in lines[-3:]  # at most a byline/source line after the last paragraph


@pytest.mark.parametrize("name", [n for n in LEFTOVERS if LEFTOVERS[n]])
def test_page_leftovers_are_removed(name):
    text = cleaned(name).text
    for leftover in LEFTOVERS[name]:
        assert leftover not in text, leftover


def test_lone_top_marker_is_removed():
    assert "Top" not in body_lines(cleaned(DOC_002).text)


def test_removed_lines_are_returned_for_the_footer_hint():
    result = cleaned(DOC_001)
    removed = "\n".join(result.removed)
    assert "TỈNH CAO BẰNG" in removed
    assert "Địa chỉ: Đường Hoàng Văn Thụ, Thành phố Cao Bằng, tỉnh Cao Bằng" in removed


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        (DOC_001, "Các đại biểu biểu quyết thông qua nghị quyết của Ban Chấp hành Đảng bộ tỉnh về nhiệm vụ trọng "
         "tâm 6 tháng cuối năm 2023."),
        (DOC_003, "Lãnh đạo Ủy ban Kiểm tra Tỉnh ủy phát biểu thảo luận tại Hội nghị."),
        (DOC_003, "Hội nghị biểu quyết thông qua Nghị quyết Hội nghị BCH Đảng bộ tỉnh lần thứ Bảy."),
        (DOC_003, "Đồng chí Nguyễn Đăng Bình- Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh phát biểu tiếp thu các ý kiến "
         "đóng góp của đại biểu."),
    ],
)
def test_caption_printed_twice_is_kept_once(name, caption):
    assert sample_bytes(name).decode("utf-8").count(caption) == 2  # the sample really repeats it
    assert body_lines(cleaned(name).text).count(caption) == 1


def test_markdown_emphasis_left_by_the_scraper_is_removed():
    lines = body_lines(cleaned(DOC_004).text)
    assert any("Tổng Bí thư Nguyễn Văn Cừ (9/7/1912 - 9/7/2022)" in line for line in lines)
    assert any("“Dạy tốt, Học tốt, Quản lý tốt”" in line for line in lines)


def test_no_blank_line_runs_left():
    assert "\n\n\n" not in cleaned(DOC_000).text


# --------------------------------------------------------------------------- synthetic pages


def _page(body: list[str], tail: list[str]) -> str:
    return "\n\n".join(body + tail)


BODY_PARAGRAPHS = [
    f"{i}. Đoạn nội dung số {i}: tổng thu ngân sách nhà nước ước đạt {i}.{i:03d} tỷ đồng, bằng {90 + i}% dự toán."
    for i in range(1, 9)
]


def test_widget_phrase_in_the_first_half_does_not_cut_the_body():
    body = ["Ý kiến bạn đọc về dự thảo được tổng hợp gửi Ban Thường vụ."] + BODY_PARAGRAPHS
    result = clean_text(_page(body, ["Thống kê truy cập", "Hôm nay: 12", "Đăng nhập"]))
    for paragraph in body:
        assert paragraph in result.text
    assert "Thống kê truy cập" not in result.text


def test_body_sentence_starting_with_a_widget_phrase_does_not_drop_the_rest():
    """A plan that asks for comments ("Gửi ý kiến ... trước ngày ...") is body text, not a comment form.

    Taking it for the start of the footer drops every body line after it.
    """
    request = "Gửi ý kiến tham gia về Văn phòng UBND tỉnh trước ngày 20/7/2023 để tổng hợp, báo cáo."
    after = [
        "Giao Sở Kế hoạch và Đầu tư chủ trì tổng hợp, tham mưu UBND tỉnh ban hành kế hoạch trước ngày 30/7/2023.",
        "Giao Sở Tài chính bố trí kinh phí thực hiện kế hoạch theo quy định.",
    ]
    body = BODY_PARAGRAPHS + [request] + after
    result = clean_text(_page(body, ["Thống kê truy cập", "Hôm nay: 12"]))
    for paragraph in after:
        assert paragraph in result.text


def test_counter_lines_anywhere_are_removed_but_figures_in_sentences_are_not():
    text = "\n".join(
        [
            "Tổng thu ngân sách năm 2022 đạt 30.372 tỷ đồng.",
            "Hôm nay: 5,602",
            "Hôm nay, tỉnh đã giải ngân 490,39 tỷ đồng vốn đầu tư công.",
            "Đang online: 12",
        ]
        + BODY_PARAGRAPHS
    )
    result = clean_text(text)
    assert "Hôm nay: 5,602" not in result.text
    assert "Đang online" not in result.text
    assert "Tổng thu ngân sách năm 2022 đạt 30.372 tỷ đồng." in result.text
    assert "Hôm nay, tỉnh đã giải ngân 490,39 tỷ đồng vốn đầu tư công." in result.text


def test_same_line_separated_by_other_text_is_kept_both_times():
    line = "Tỷ lệ hộ nghèo giảm còn 1%."
    text = "\n".join([line, "Tỷ lệ lao động qua đào tạo đạt 78%.", line] + BODY_PARAGRAPHS)
    assert clean_text(text).text.count(line) == 2
