"""What the chat page and the HTTP API ask of the service, in one place, so both behave the same.

- Questions are checked (empty, too long) before any work, with a message a person can act on.
- Follow-ups are rewritten into stand-alone questions (``app.conversation``); the province/year
  pickers become structured filters (``app.query.Filters``) that replace what the question names.
- Uploads are saved under ``<data_dir>/uploads`` (``app.uploads``) and ingested one by one.
- Concurrency: the page and the API run handlers on worker threads. Retrieval is serialised (the
  retriever rebuilds its lexical index lazily and is not thread-safe); the model call, when an LLM
  is configured, runs outside that lock, so a slow model delays only its own question. Writes are
  serialised separately, so a long ingest does not block questions.
"""

from __future__ import annotations

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
from hoidap.app.indexing import FileResult
from hoidap.app.query import Filters
from hoidap.app.service import Service
from hoidap.app.uploads import UploadError, UploadStore, sanitize_filename
from hoidap.app.web.metrics import RequestMetrics
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
        self.uploads = UploadStore(service.settings.data_dir / "uploads", int(service.settings.max_file_mb * 1_000_000))
        self._ask_lock = threading.Lock()
        self.metrics = RequestMetrics()
        self._write_lock = threading.Lock()

    # --- questions ----------------------------------------------------------------------------
    def known_localities(self) -> set[str]:
        with self._ask_lock:
            self.service.retriever.sync()
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
            with self._ask_lock:  # retrieval reads the in-process index, which a sync may rebuild
                prepared = self.service.prepare(searched, filters)
            result = self.service.complete(prepared)  # the model call holds no lock
        except Exception:
            self.metrics.record("error", time.perf_counter() - started)
            raise
        self.metrics.record("abstained" if result.get("abstained") else "answered", time.perf_counter() - started)
        applied = {"places": list(filters.places), "years": list(filters.years)}
        return {**result, "question": question, "searched_question": searched, "filters": applied}

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
        with self._ask_lock:  # the retriever's in-process index: no pass over every Chroma record
            self.service.retriever.sync()
            return list(self.service.retriever.documents())

    def facts(self, **filters) -> list[FactRow]:
        """The stated figures that match ``filters`` (``app.facts_table.filter_rows``)."""
        with self._ask_lock:  # the retriever's in-process index: a snapshot of its records
            self.service.retriever.sync()
            snapshot = self.service.retriever.records_snapshot()
        rows = self.service.retriever.facts(snapshot)  # the first build reads every chunk: no lock held
        return filter_rows(rows, **filters)

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[int]]:
        """Places and years the corpus is about, for the page's pickers (asked on every question:
        taken from the retriever's in-process index, which is current, not from a pass over Chroma)."""
        places: dict[str, str] = {}
        years: set[int] = set()
        with self._ask_lock:
            self.service.retriever.sync()
            facets = self.service.retriever.facets()
        for province, locality, doc_years in facets:
            if province:
                places.setdefault(province, province)
            if locality and locality != province:
                places.setdefault(locality, f"{locality} ({province})" if province else locality)
            years.update(int(y) for y in doc_years.split(",") if y.strip().isdigit())
        return sorted(((label, value) for value, label in places.items()), key=lambda c: c[0]), sorted(years)

    def ingest_stream(self, stream: BinaryIO, name: str, replace: bool = False) -> FileResult:
        """Save one upload and ingest it; any refusal becomes a ``failed`` result with its reason.

        A different file under a stored name is kept beside it under a new name (said in ``note``)
        unless ``replace`` is asked, and then reported as ``replaced``. A file whose ingest failed
        is removed again: nothing unusable stays in the uploads folder."""
        with self._write_lock:
            try:
                saved = self.uploads.save(stream, name, replace=replace)
            except UploadError as exc:
                return FileResult(path="", source=name, status="failed", reason=str(exc))
            result = self.service.indexer.ingest_file(saved.path, source=saved.path.name)
            if result.status == "failed":
                self.uploads.discard(saved)
            elif saved.renamed:
                result.note = "; ".join(p for p in (result.note, (
                    f"another document is already stored as {sanitize_filename(name)}: this one is kept as {saved.path.name}"
                )) if p)
            elif saved.status == "replaced" and result.status == "ingested":
                result.status = "replaced"
            return result

    def ingest_paths(
        self, files: Iterable[tuple[Path, str]], on_file: Callable[[int, FileResult], None] | None = None
    ) -> list[FileResult]:
        """Ingest files already on disk (Gradio's upload cache) given as ``(path, original name)``."""
        results = []
        for number, (path, name) in enumerate(files):
            try:
                with open(path, "rb") as handle:
                    result = self.ingest_stream(handle, name)
            except OSError as exc:
                result = FileResult(path="", source=name, status="failed", reason=f"cannot read the upload ({exc.strerror})")
            except Exception:
                log.exception("ingesting %s failed", name)
                result = FileResult(path="", source=name, status="failed", reason="internal error while ingesting")
            results.append(result)
            if on_file:
                on_file(number, result)
        return results

    def delete(self, source: str) -> int:
        """Remove a document (and its uploaded copy, if it came through the page or the API)."""
        with self._write_lock:
            removed = self.service.store.delete_document(document_id(source))
            upload = self.uploads.folder / source
            if removed and upload.resolve().parent == self.uploads.folder.resolve() and upload.is_file():
                upload.unlink()
        return removed
