"""Chunking follows the outline: headings become the section path, list items stay whole, nothing is lost."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLE_NAMES, sample_bytes, sample_path

from hoidap.ingest.chunking import chunk_text
from hoidap.ingest.document import parse_document

LIMIT = 420

PART_I = "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2022"
SECTION_1 = "1. Về phát triển kinh tế"
SECTION_2 = "2. Về văn hóa - xã hội"
PART_II = "II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023"

ITEMS_1 = [
    "(1). Tổng sản phẩm trên địa bàn (GRDP) tăng 6,5% so với năm trước, trong đó khu vực công nghiệp - xây dựng "
    "tăng 7,2%, khu vực dịch vụ tăng 5,9%, khu vực nông, lâm nghiệp và thủy sản tăng 2,1%; quy mô nền kinh tế "
    "đạt 245.000 tỷ đồng.",
    "(2). Thu hút vốn FDI vào các khu công nghiệp đạt 1.200 triệu USD, trong đó cấp mới 120 dự án với tổng vốn "
    "đăng ký 800 triệu USD, điều chỉnh tăng vốn 95 dự án với tổng vốn tăng thêm 400 triệu USD.",
    "(3). Tổng thu ngân sách nhà nước đạt 31.630 tỷ đồng, bằng 102% dự toán, trong đó thu nội địa 23.820 tỷ đồng, "
    "thu từ hoạt động xuất nhập khẩu 7.810 tỷ đồng; chi ngân sách địa phương 25.400 tỷ đồng.",
]
POINTS = [
    "a) Thu từ khu vực doanh nghiệp nhà nước đạt 2.100 tỷ đồng, tăng 5% so với cùng kỳ, chủ yếu do các doanh "
    "nghiệp trong lĩnh vực điện, nước và viễn thông hoạt động ổn định.",
    "b) Thu từ khu vực có vốn đầu tư nước ngoài đạt 9.300 tỷ đồng, tăng 8% so với cùng kỳ; các doanh nghiệp điện "
    "tử tiếp tục đóng góp phần lớn số thu của tỉnh.",
]
BULLETS = [
    "- Thu thuế thu nhập cá nhân đạt 3.450 tỷ đồng, tăng 11% so với cùng kỳ, do thu nhập của người lao động trong "
    "các khu công nghiệp tăng.",
    "- Thu tiền sử dụng đất đạt 4.200 tỷ đồng, chỉ bằng 60% dự toán do thị trường bất động sản trầm lắng.",
]
# A list item with a continuation paragraph: both belong to the item.
ITEM_WITH_CONTINUATION = (
    "(4). Tổng vốn đầu tư phát triển toàn xã hội đạt 60 nghìn tỷ đồng.",
    "Trong đó vốn ngân sách nhà nước chiếm 18%, vốn ngoài nhà nước chiếm 52% tổng vốn đầu tư.",
)
SOCIAL = "Các lĩnh vực văn hóa, xã hội tiếp tục được quan tâm; tỷ lệ hộ nghèo giảm còn 1%."
TARGETS = [
    f"({i}). Chỉ tiêu số {i}: tỷ lệ {name} đạt {value} vào cuối năm 2023 theo nghị quyết của Ban Chấp hành."
    for i, (name, value) in enumerate(
        [("đô thị hóa", "45%"), ("lao động qua đào tạo", "78%"), ("bao phủ bảo hiểm y tế", "95,5%"),
         ("thất nghiệp thành thị", "1,72%"), ("hộ nghèo", "1%")],
        start=1,
    )
]

DOCUMENT_LINES = [
    PART_I,
    SECTION_1,
    *ITEMS_1,
    *POINTS,
    *BULLETS,
    *ITEM_WITH_CONTINUATION,
    SECTION_2,
    SOCIAL,
    PART_II,
    *TARGETS,
]
DOCUMENT = "\n\n".join(DOCUMENT_LINES)
ITEMS = ITEMS_1 + POINTS + BULLETS + TARGETS


@pytest.fixture(scope="module")
def chunks():
    return chunk_text(DOCUMENT, LIMIT)


def test_every_list_item_is_whole_in_exactly_one_chunk(chunks):
    for item in ITEMS:
        assert len(item) <= LIMIT  # the fixture's items fit the bound, so none may be split
        holders = [c for c in chunks if item in c.body]
        assert len(holders) == 1, (item[:60], [c.index for c in holders])


def test_item_and_its_continuation_stay_together(chunks):
    head, continuation = ITEM_WITH_CONTINUATION
    holders = [c for c in chunks if head in c.body]
    assert len(holders) == 1
    assert continuation in holders[0].body


def test_no_chunk_starts_or_ends_inside_an_item(chunks):
    starts = re.compile(r"^(\(\d+\)\.|[a-z]\)|-\s|Trong đó|Các lĩnh vực)")
    for chunk in chunks:
        assert starts.match(chunk.body), chunk.body[:60]
        assert chunk.body.rstrip().endswith((".", ";", ":")), chunk.body[-60:]


def test_chunk_size_bound_is_respected(chunks):
    assert all(len(c.body) <= LIMIT for c in chunks)
    assert len(chunks) > 3  # the bound really made it split


def test_headings_become_the_section_path(chunks):
    def section_of(text: str) -> list[str]:
        return next(c.section for c in chunks if text in c.body)

    assert section_of(ITEMS_1[1]) == [PART_I, SECTION_1]
    assert section_of(POINTS[0]) == [PART_I, SECTION_1]
    assert section_of(BULLETS[1]) == [PART_I, SECTION_1]
    assert section_of(SOCIAL) == [PART_I, SECTION_2]  # a new "2." replaces "1."
    assert section_of(TARGETS[2]) == [PART_II]  # a new part resets the path


def test_chunks_never_cross_a_heading(chunks):
    for chunk in chunks:
        for heading in (PART_I, SECTION_1, SECTION_2, PART_II):
            assert heading not in chunk.body


def test_chunks_are_numbered_in_document_order(chunks):
    assert [c.index for c in chunks] == list(range(len(chunks)))
    positions = [DOCUMENT.index(c.body.split("\n")[0]) for c in chunks]
    assert positions == sorted(positions)


def _covered(line: str, chunks) -> bool:
    """Is the line in some chunk (whole, or split across consecutive chunks), or in a section path?"""
    if any(line in c.body for c in chunks) or any(line in c.section for c in chunks):
        return True
    squeezed = re.sub(r"\s+", "", line)
    return squeezed in "".join(re.sub(r"\s+", "", c.body) for c in chunks)


def test_chunks_cover_all_body_text(chunks):
    for line in DOCUMENT_LINES:
        assert _covered(line, chunks), line[:80]


def test_item_longer_than_the_bound_is_split_at_sentence_ends():
    sentences = [
        f"Câu thứ {i} của mục dài nói về thu ngân sách đạt {i}.{i:03d} tỷ đồng, bằng {80 + i}% dự toán năm."
        for i in range(1, 13)
    ]
    item = "(1). " + " ".join(sentences)
    assert len(item) > LIMIT
    chunks = chunk_text("\n".join([PART_II, item, TARGETS[1]]), LIMIT)
    pieces = [c for c in chunks if TARGETS[1] not in c.body]
    assert all(len(c.body) <= LIMIT for c in chunks)
    assert all(c.section == [PART_II] for c in chunks)
    joined = " ".join(c.body for c in pieces)
    for sentence in sentences:
        assert sentence in joined  # never cut inside a sentence
    assert [c.body for c in chunks if TARGETS[1] in c.body] == [TARGETS[1]]


def test_one_long_sentence_without_semicolons_respects_the_bound():
    """Reports write sentences of a thousand characters with commas only; the bound must still hold
    (chunks far over it are truncated by the embedder, losing their last figures)."""
    sentence = "Tập trung lãnh đạo, chỉ đạo " + ", ".join(
        f"thực hiện nhiệm vụ số {i} về phát triển kinh tế xã hội của địa phương" for i in range(20)
    ) + "."
    assert len(sentence) > 1.5 * 900
    chunks = chunk_text(sentence, 900)
    assert all(len(c.body) <= 900 for c in chunks), [len(c.body) for c in chunks]
    assert _covered(sentence, chunks)


def test_heading_directly_followed_by_another_heading_is_not_lost():
    """A document title right above "I. ...", or a multi-line title, must stay in the chunks."""
    text = "\n".join(["BÁO CÁO KẾT QUẢ NĂM 2023", PART_I, ITEMS_1[0]])
    chunks = chunk_text(text, 900)
    assert _covered("BÁO CÁO KẾT QUẢ NĂM 2023", chunks)


def test_list_items_without_a_final_full_stop_are_not_lost():
    """Target lists are often written without full stops: "(3) Thu hút vốn FDI ... 1.200 triệu USD".

    Every item must reach a chunk: these are the figures the service is asked about.
    """
    items = [
        "(1) Tổng sản phẩm (GRDP) tăng 6,5-7%",
        "(2) Thu nhập bình quân đầu người 69,5 triệu đồng",
        "(3) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD",
        "(4) Tỷ lệ đô thị hóa đạt 45%",
    ]
    text = "\n".join([PART_II, *items, "III. NHIỆM VỤ, GIẢI PHÁP", "1. Tập trung cải thiện môi trường đầu tư."])
    chunks = chunk_text(text, 900)
    for item in items:
        assert _covered(item, chunks), item


def test_empty_text_has_no_chunks():
    assert chunk_text("", 900) == []
    assert chunk_text("\n\n  \n", 900) == []


# --------------------------------------------------------------------------- the sample documents


@pytest.fixture(scope="module")
def parsed_samples():
    return {name: parse_document(name, sample_path(name), sample_bytes(name)) for name in SAMPLE_NAMES}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_chunks_respect_the_bound(parsed_samples, name):
    assert all(0 < len(c.body) <= 900 for c in parsed_samples[name].chunks)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_chunks_cover_every_body_line(parsed_samples, name):
    document = parsed_samples[name]
    missing = [line for line in document.text.split("\n") if line.strip() and not _covered(line.strip(), document.chunks)]
    assert not missing, missing


def test_sample_target_list_items_are_whole(parsed_samples):
    chunks = parsed_samples["000_cb6758b6e1e73ad5.txt"].chunks
    for item in [
        "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
        "(3). Tổng kim ngạch xuất nhập khẩu 93.262 triệu USD; trong đó, kim ngạch xuất khẩu 50.870 triệu USD; kim "
        "ngạch nhập khẩu 42.392 triệu USD.",
        "(10). Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.",
    ]:
        holders = [c for c in chunks if item in c.body]
        assert len(holders) == 1
        assert holders[0].section == ["II. CHỦ ĐỀ, MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023", "2. Một số chỉ tiêu chủ yếu"]
