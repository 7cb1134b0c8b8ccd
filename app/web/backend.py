"""What the chat page and the HTTP API ask of the service, in one place, so both behave the same.

- Questions are checked (empty, too long) before any work, with a message a person can act on.
- Follow-ups are rewritten into stand-alone questions (``app.conversation``); the province/year
  pickers become structured filters (``app.query.Filters``) that replace what the question names.
- Uploads are saved under ``<data_dir>/uploads`` (``app.uploads``) and ingested through the ingest
  queue (``app.ingest_queue``): one worker thread, its embedder in a lower-priority child process.
- Concurrency: the page and the API run handlers on worker threads and no lock is on the question
  path: each question reads an immutable snapshot of the retriever's in-process index, which a
  store change replaces (built beside it, then swapped) instead of changing it; the model call, when
  an LLM is configured, delays only its own question. Writes (the queue, deletions) are serialised
  among themselves and bring the index up to date before they return.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hoidap.app.answering.llm_backends import GuardStats
from hoidap.app.conversation import rewrite_followup
from hoidap.app.facts_table import FactRow, filter_rows
from hoidap.app.indexing import FileResult, Indexer
from hoidap.app.ingest_queue import IngestQueue
from hoidap.app.query import Filters
from hoidap.app.service import Service
from hoidap.app.uploads import UploadError, UploadStore, sanitize_filename
from hoidap.app.web.metrics import Metrics
from hoidap.ingest.document import document_id
from hoidap.vectorstore.records import chunk_body

log = logging.getLogger("hoidap.web")

MAX_QUESTION_CHARS = 2000
CONTEXT_RADIUS = 2  # neighbouring passages shown around a cited one


class QuestionError(ValueError):
    """A question that cannot be asked as it is; ``str(error)`` says why, in both languages."""


def check_question(question: object) -> str:
    text = question.strip() if isinstance(question, str) else ""
    if not text:
        raise QuestionError("Câu hỏi trống: hãy nhập một câu hỏi. (The question is empty.)")
    if len(text) > MAX_QUESTION_CHARS:
        vi = f"{len(text):,} ký tự; tối đa {MAX_QUESTION_CHARS:,}".replace(",", ".")
        raise QuestionError(
            f"Câu hỏi quá dài ({vi}): hãy hỏi một câu ngắn về một số liệu. (The question is "
            f"{len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}.)"
        )
    return text


@dataclass
class ContextPassage:
    index: int
    text: str
    cited: bool
    section: str = ""


class WebBackend:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.uploads = UploadStore(service.settings.data_dir / "uploads", service.settings.max_file_bytes)
        # A question that finds the store changed answers from the current snapshot while another
        # thread brings the index up to date (this service's own writes sync before they return).
        service.retriever.background_sync = True
        self._write_lock = threading.Lock()
        self.background_embedder = None
        retriever = self.service.retriever
        self.queue = IngestQueue(self._queue_indexer(), after_write=retriever.sync,
                                 writing=getattr(retriever, "local_write", None))
        self.metrics = Metrics(self)
        # Several workers over one embedded store serve it read-only (see docs/performance.md).
        self.read_only_reason = ""

    def _queue_indexer(self):
        """The service's indexer, with its embedder in a lower-priority child process (its own model
        session) when ``HOIDAP_INGEST_PROCESS`` is on."""
        indexer, settings = self.service.indexer, self.service.settings
        if not isinstance(indexer, Indexer) or not settings.ingest_process:
            return indexer
        from hoidap.vectorstore.embeddings.process import ProcessEmbeddings

        self.background_embedder = ProcessEmbeddings(settings.embedder, settings.embedding_model, str(settings.model_cache))
        return Indexer(indexer.store, indexer.chunk_chars, indexer.max_file_bytes, indexer.sentence_level,
                       embeddings=self.background_embedder, run=self.background_embedder.run)

    def _sync(self) -> None:
        """Readers: the index as it is (an update, if one is due, runs on its own thread)."""
        self.service.retriever.sync(wait=False)

    def _refuse_writes(self) -> None:
        if self.read_only_reason:
            raise UploadError(self.read_only_reason)

    # --- questions ----------------------------------------------------------------------------
    def known_localities(self) -> set[str]:
        self._sync()
        return self.service.retriever.known_localities()

    def searched_question(self, question: str, history: Iterable | None = None) -> str:
        """The stand-alone question actually searched: a follow-up made whole."""
        return rewrite_followup(question, history or [], self.known_localities())

    def filters(self, place: str | None = None, year: int | str | None = None) -> Filters:
        """The pickers' choices as structured filters (only values the pickers offer count)."""
        places, years = self.filter_choices()
        place = place if place in {value for _, value in places} else None
        chosen_year = int(year) if str(year or "").isdigit() and int(year) in years else None
        return Filters(places=(place,) if place else (), years=(chosen_year,) if chosen_year else ())

    def ask(
        self, question: str, history: Iterable | None = None, place: str | None = None, year: int | None = None
    ) -> dict:
        """The ``hoidap ask --json`` object, with ``question`` as asked and ``searched_question``."""
        question = check_question(question)
        started = time.perf_counter()
        try:
            searched = self.searched_question(question, history)
            filters = self.filters(place, year)
            prepared = self.service.prepare(searched, filters)  # reads one snapshot of the index
            result = self.service.complete(prepared)
        except Exception:
            self.metrics.question("error", time.perf_counter() - started)
            raise
        self.metrics.question(self.metrics.outcome(result), time.perf_counter() - started)
        applied = {"places": list(filters.places), "years": list(filters.years)}
        return {**result, "question": question, "searched_question": searched, "filters": applied}

    def health(self) -> dict:
        """The store's size and embedder (and a notice when it is not the configured one), the
        in-process index and the ingest queue: what ``GET /api/health`` reports."""
        store, retriever = self.service.store, self.service.retriever
        index = retriever.snapshot() if hasattr(retriever, "snapshot") else None
        health = {
            "passages": store.count(),
            "embedder": getattr(store, "embedder", ""),
            "store": getattr(store, "location", ""),
            "indexed_passages": len(index) if index is not None else None,
            "ingest_queue": self.queue.depth,
            "read_only": bool(self.read_only_reason),
        }
        if getattr(self.service, "notice", ""):
            health["notice"] = self.service.notice
        return health

    def guard_stats(self) -> dict:
        """The model answers' guard counters (all zero without a model)."""
        llm = getattr(getattr(self.service, "pipeline", None), "llm", None)
        return llm.stats.snapshot() if llm is not None else GuardStats().snapshot()

    def context(self, chunk_id: str, radius: int = CONTEXT_RADIUS) -> list[ContextPassage]:
        """The cited passage with its neighbours in the same document, in document order."""
        doc_id, _, index_text = chunk_id.rpartition("-")
        if not doc_id or not index_text.isdigit():
            return []
        index = int(index_text)
        indexes = list(range(max(0, index - radius), index + radius + 1))
        try:
            got = self.service.store.neighbours(doc_id, indexes)
        except Exception:  # the context is a convenience: never fail an answer over it
            log.exception("could not read the passages around %s", chunk_id)
            return []
        passages = [
            ContextPassage(int(meta.get("chunk_index", -1)), chunk_body(text, meta), cid == chunk_id, meta.get("section") or "")
            for cid, text, meta in got
        ]
        return sorted(passages, key=lambda p: p.index)

    # --- documents ----------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        self._sync()  # the retriever's in-process index: no pass over every Chroma record
        return list(self.service.retriever.documents())

    def facts(self, **filters) -> list[FactRow]:
        """The stated figures that match ``filters`` (``app.facts_table.filter_rows``)."""
        self._sync()
        snapshot = self.service.retriever.records_snapshot()
        rows = self.service.retriever.facts(snapshot)
        return filter_rows(rows, **filters)

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[int]]:
        """Places and years the corpus is about, for the page's pickers (asked on every question:
        taken from the retriever's in-process index, which is current, not from a pass over Chroma)."""
        places: dict[str, str] = {}
        years: set[int] = set()
        self._sync()
        facets = self.service.retriever.facets()
        for province, locality, doc_years in facets:
            if province:
                places.setdefault(province, province)
            if locality and locality != province:
                places.setdefault(locality, f"{locality} ({province})" if province else locality)
            years.update(int(y) for y in doc_years.split(",") if y.strip().isdigit())
        return sorted(((label, value) for value, label in places.items()), key=lambda c: c[0]), sorted(years)

    def ingest_stream(self, stream: BinaryIO, name: str, replace: bool = False) -> FileResult:
        """Save one upload and ingest it; any refusal becomes a ``failed`` result with its reason."""
        job = self.submit_stream(stream, name, replace)
        return job if isinstance(job, FileResult) else job.wait()

    def submit_stream(self, stream: BinaryIO, name: str, replace: bool = False):
        """Save one upload and queue it: the queue's ``Job``, or a ``failed`` result when refused.

        A different file under a stored name is kept beside it under a new name (said in ``note``)
        unless ``replace`` is asked, and then reported as ``replaced``. A file whose ingest failed
        is removed again: nothing unusable stays in the uploads folder."""
        with self._write_lock:
            try:
                self._refuse_writes()
                saved = self.uploads.save(stream, name, replace=replace)
            except UploadError as exc:
                return FileResult(path="", source=name, status="failed", reason=str(exc))

        def finish(result: FileResult) -> FileResult:
            if result.status == "failed":
                self.uploads.discard(saved)
            elif saved.renamed:
                result.note = "; ".join(p for p in (result.note, (
                    f"another document is already stored as {sanitize_filename(name)}: this one is kept as {saved.path.name}"
                )) if p)
            elif saved.status == "replaced" and result.status == "ingested":
                result.status = "replaced"
            return result

        return self.queue.submit(saved.path, saved.path.name, on_done=finish)

    def ingest_paths(
        self, files: Iterable[tuple[Path, str]], on_file: Callable[[int, FileResult], None] | None = None
    ) -> list[FileResult]:
        """Ingest files already on disk (Gradio's upload cache) given as ``(path, original name)``:
        all are queued first (their chunks are embedded together), then reported in order."""
        submitted = []
        for path, name in files:
            try:
                with open(path, "rb") as handle:
                    submitted.append(self.submit_stream(handle, name))
            except OSError as exc:
                submitted.append(FileResult(path="", source=name, status="failed", reason=f"cannot read the upload ({exc.strerror})"))
            except Exception:
                log.exception("ingesting %s failed", name)
                submitted.append(FileResult(path="", source=name, status="failed", reason="internal error while ingesting"))
        results = []
        for number, entry in enumerate(submitted):
            result = entry if isinstance(entry, FileResult) else entry.wait()
            results.append(result)
            if on_file:
                on_file(number, result)
        return results

    def delete(self, source: str) -> int:
        """Remove a document (and its uploaded copy, if it came through the page or the API)."""
        with self._write_lock:
            if self.read_only_reason:
                raise PermissionError(self.read_only_reason)
            retriever = self.service.retriever
            with getattr(retriever, "local_write", contextlib.nullcontext)():
                removed = self.service.store.delete_document(document_id(source))
                if removed:
                    retriever.sync()  # the next question no longer sees it
            upload = self.uploads.folder / source
            if removed and upload.resolve().parent == self.uploads.folder.resolve() and upload.is_file():
                upload.unlink()
        return removed
