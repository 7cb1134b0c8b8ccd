"""Property-based: whatever outline a document has, chunking loses no body text and keeps its bound.

Documents are generated in the shape of government reports (I./1./(1)/a)/- markers, plain
paragraphs, figures, very long sentences and lines without any break), then cleaned and chunked as
ingest does. Every line of the cleaned text must be found in a chunk (whole, split across
consecutive chunks, or as a heading in a chunk's section path), in document order.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoidap.ingest.chunking import chunk_text
from hoidap.ingest.clean import clean_text
from hoidap.ingest.normalize import normalize_text

LIMIT = 300  # small, so that documents of a few lines already need many chunks and splits

words = st.sampled_from(
    "thu ngân sách tỉnh đạt tăng giảm năm kế hoạch chỉ tiêu vốn đầu tư FDI khu công nghiệp doanh nghiệp "
    "1.200 30.372 7,39% 17/139 tỷ đồng triệu USD ha tấn Bắc Ninh Cao Bằng so với cùng kỳ".split()
)
sentence = st.lists(words, min_size=1, max_size=20).map(lambda ws: " ".join(ws)).map(lambda s: s[0].upper() + s[1:]) .flatmap(
    lambda s: st.sampled_from([".", ";", "", ":"]).map(lambda end: s + end)
)
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
unbroken = st.integers(50, 1000).map(lambda n: "x" * n)  # a line with no space and no sentence end
marker = st.sampled_from(["I. ", "II. ", "1. ", "2. ", "(1) ", "(5) ", "a) ", "b) ", "- ", "+ ", "• ", "PHẦN I ", ""])
line = st.one_of(
    st.tuples(marker, sentence).map("".join),
    st.tuples(marker, paragraph).map("".join),
    st.sampled_from(["II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023", "III. NHIỆM VỤ, GIẢI PHÁP", "KẾT LUẬN"]),
    unbroken,
)
document = st.lists(line, min_size=1, max_size=15).map("\n".join)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_chunks_cover_every_line_of_the_cleaned_text_in_order(raw):
    body = clean_text(normalize_text(raw)).text
    chunks = chunk_text(body, LIMIT)
    # Bodies, with each heading the first time it appears in a section path, in chunk order.
    seen_headings: set[str] = set()
    stream = []
    for chunk in chunks:
        for heading in chunk.section:
            if heading not in seen_headings:
                seen_headings.add(heading)
                stream.append(heading)
        stream.append(chunk.body)
    covered = _squeeze("".join(stream))
    position = 0
    for text_line in (ln.strip() for ln in body.split("\n")):
        if not text_line:
            continue
        squeezed = _squeeze(text_line)
        if text_line in seen_headings:
            continue  # a heading: carried by the section paths (it may repeat), so no order to check
        found = covered.find(squeezed, position)
        assert found >= 0, f"lost or out of order: {text_line[:120]!r}"
        position = found + len(squeezed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_chunk_bodies_respect_the_bound_and_are_never_empty(raw):
    body = clean_text(normalize_text(raw)).text
    for chunk in chunk_text(body, LIMIT):
        assert chunk.body.strip()
        assert len(chunk.body) <= LIMIT, (len(chunk.body), chunk.body[:120])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_cleaning_and_chunking_are_deterministic_and_cleaning_is_idempotent(raw):
    once = clean_text(normalize_text(raw)).text
    assert clean_text(once).text == once
    assert [c.body for c in chunk_text(once, LIMIT)] == [c.body for c in chunk_text(once, LIMIT)]
