"""Wires the parts together from settings: embedder, Chroma store, lexical index, pipeline.

The only place that turns configuration into objects; every interface (CLI, chat page, HTTP API,
evaluation) gets its components here, so they all run the same service.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from hoidap.app.answering.extractive import ExtractiveAnswerer
from hoidap.app.answering.llm_step import LLMAnswerStep, make_llm_answerer
from hoidap.app.config import Settings
from hoidap.app.indexing import Indexer
from hoidap.app.pipeline import Prepared, QAPipeline
from hoidap.app.query import Filters
from hoidap.app.retrieval import HybridRetriever
from hoidap.vectorstore.chroma_store import ChunkStore
from hoidap.vectorstore.embeddings import make_embeddings
from hoidap.vectorstore.embeddings.cache import CachedEmbeddings
from hoidap.vectorstore.embeddings.recent import RecentQueries
from hoidap.vectorstore.lexical import LexicalIndex


@dataclass
class Service:
    settings: Settings
    store: ChunkStore
    indexer: Indexer
    retriever: HybridRetriever
    pipeline: QAPipeline

    def ask(self, question: str) -> dict:
        return self.pipeline.invoke({"question": question})

    def prepare(self, question: str, filters: Filters | None = None) -> Prepared:
        """Retrieval and the extractive answer (reads the shared in-process index)."""
        return self.pipeline.prepare(question, filters)

    def complete(self, prepared: Prepared) -> dict:
        """The model call, when configured, and the result (reads no shared index)."""
        return self.pipeline.complete(prepared)


@functools.lru_cache(maxsize=4)
def _embeddings(backend: str, model: str, models_dir: str):
    return make_embeddings(backend, model, models_dir)


def lexical_cache_dir(settings: Settings) -> Path:
    """Where the lexical index is kept between processes: per data dir, store location and collection."""
    where = f"{settings.chroma_host}-{settings.chroma_port}" if settings.chroma_host else "embedded"
    return settings.data_dir / "lexical" / f"{where}-{settings.collection}"


def build_service(settings: Settings, embedding_cache: Path | None = None) -> Service:
    """Build the service; ``embedding_cache`` (a file) keeps vectors across fresh stores (evaluation)."""
    embeddings = _embeddings(settings.embedder, settings.embedding_model, str(settings.model_cache))
    if embedding_cache is not None:
        embeddings = CachedEmbeddings(embeddings, embedding_cache)
    embeddings = RecentQueries(embeddings)
    store = ChunkStore(
        embeddings,
        collection=settings.collection,
        persist_dir=settings.chroma_dir,
        host=settings.chroma_host,
        port=settings.chroma_port,
    )
    indexer = Indexer(store, settings.chunk_chars, int(settings.max_file_mb * 1_000_000))
    retriever = HybridRetriever(
        store=store, lexical=LexicalIndex(lexical_cache_dir(settings)), mode=settings.retrieval_mode, use_scope=settings.use_scope, k=settings.top_k,
        dense_search=settings.dense_search,
    )
    llm = make_llm_answerer(settings)
    step = LLMAnswerStep(llm, settings.llm_passages) if llm is not None else None
    pipeline = QAPipeline(retriever, ExtractiveAnswerer(embeddings, dense_languages=tuple(x.strip() for x in settings.dense_sentences.split(",") if x.strip())), step, rerank=settings.rerank)
    return Service(settings, store, indexer, retriever, pipeline)
