"""The incremental BM25: bm25s's scores, a mask that only cuts work, statistics that follow changes."""

from __future__ import annotations

import numpy as np
import pytest

from hoidap.vectorstore.bm25 import IncrementalBM25
from hoidap.vectorstore.tokenize import tokenize

DOCS = [
    "Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD năm 2023",
    "Tổng sản phẩm trên địa bàn tăng 7,39% so với năm 2022",
    "Thu ngân sách nhà nước đạt 30.372 tỷ đồng năm 2023",
    "Tỷ lệ hộ nghèo giảm còn 2,1%; thu nhập bình quân 52 triệu đồng",
    "Vốn FDI đăng ký mới năm 2022 đạt 900 triệu USD",
]


def _index(docs=DOCS) -> IncrementalBM25:
    bm25 = IncrementalBM25()
    bm25.add([tokenize(d) for d in docs])
    return bm25


def test_scores_match_bm25s():
    bm25s = pytest.importorskip("bm25s")
    tokens = [tokenize(d) for d in DOCS]
    reference = bm25s.BM25()  # Lucene, k1 1.5, b 0.75: the formula this index follows
    reference.index(tokens, show_progress=False)
    query = tokenize("vốn FDI năm 2023")
    expected = reference.get_scores(query)
    assert np.allclose(_index().scores(query), expected, rtol=1e-5, atol=1e-6)


def test_a_mask_changes_nothing_inside_it_and_zeroes_the_rest():
    bm25 = _index()
    query = tokenize("vốn FDI năm 2023 triệu USD")
    mask = np.array([True, False, True, False, True])
    full, masked = bm25.scores(query), bm25.scores(query, mask)
    assert np.array_equal(masked[mask], full[mask]) and not masked[~mask].any()
    assert [row for row, _ in bm25.top(query, 5, mask)] == [row for row, _ in bm25.top(query, 5) if mask[row]]


def test_document_lengths_follow_additions_and_removals():
    grown = _index(DOCS[:3])
    query = tokenize("năm 2023")
    before = grown.scores(query).copy()
    grown.add([tokenize(DOCS[3]), tokenize(DOCS[4])])  # the average length and df change
    grown.keep(np.array([True, True, True, False, False]))
    assert np.allclose(grown.scores(query), before)
    assert np.allclose(grown.scores(query), _index(DOCS[:3]).scores(query))
