"""The server's ingest queue: uploads wait here and go in one batch at a time, beside the questions.

Why: ingesting a document is seconds of embedding; done on the request thread it held the cores
(and, before, a lock) the questions need. Here a single worker thread takes whatever is queued and
ingests it with an :class:`app.indexing.Indexer` whose embedder runs in a child process at a lower
CPU priority (``vectorstore.embeddings.process``): questions take the cores first, the ingest the
rest. The queue is the one writer of the service's store; after each stored group it brings the
retriever's in-process index up to date (a new snapshot: questions never wait for it).

Every file is a :class:`Job` whose stage ("queued", "parsed", "embedding", "writing", "done") and
result are visible while it runs (``GET /api/ingest/status``).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import queue
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hoidap.app.indexing import FileResult, Indexer

log = logging.getLogger("hoidap.ingest")

MAX_BATCH_FILES = 32  # files taken from the queue per ingest call (their chunks are embedded together)
KEEP_FINISHED = 200  # finished jobs still listed by ``status``


@dataclass
class Job:
    id: int
    source: str
    path: Path
    stage: str = "queued"
    chunks: int = 0
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: FileResult | None = None
    on_done: Callable[[FileResult], FileResult] | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> FileResult | None:
        self.done.wait(timeout)
        return self.result

    def as_dict(self) -> dict:
        entry = {"id": self.id, "source": self.source, "stage": self.stage, "chunks": self.chunks,
                 "submitted": round(self.submitted, 3), "started": self.started and round(self.started, 3),
                 "finished": self.finished and round(self.finished, 3)}
        if self.result is not None:
            entry["result"] = {k: v for k, v in self.result.as_dict().items() if k != "path"}
        return entry


class IngestQueue:
    """``submit`` files; one worker thread ingests them with ``indexer``, then calls ``after_write``
    (the retriever's sync). Counters: ``results`` (files by result status)."""

    def __init__(self, indexer, after_write: Callable[[], None] | None = None, writing=None) -> None:
        """``writing()``: a context manager around each batch (the retriever's ``local_write``)."""
        self.indexer = indexer
        self.writing = writing or contextlib.nullcontext
        if isinstance(indexer, Indexer):
            indexer.on_stage = self._on_stage
        self.after_write = after_write
        self._pending: queue.Queue[Job] = queue.Queue()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._active: dict[str, Job] = {}  # by file path, while ingesting
        self._jobs: deque[Job] = deque()  # queued, running and recently finished, oldest first
        self.results: Counter[str] = Counter()
        self._worker = threading.Thread(target=self._run, name="hoidap-ingest", daemon=True)
        self._worker.start()

    def submit(self, path: Path, source: str, on_done: Callable[[FileResult], FileResult] | None = None) -> Job:
        """Queue one file; ``on_done(result)`` runs on the worker when it is stored (and may amend the result)."""
        job = Job(next(self._ids), source, Path(path), on_done=on_done)
        with self._lock:
            self._jobs.append(job)
            while len(self._jobs) > KEEP_FINISHED and self._jobs[0].done.is_set():
                self._jobs.popleft()
        self._pending.put(job)
        return job

    @property
    def depth(self) -> int:
        """Files waiting or being ingested."""
        with self._lock:
            return sum(not job.done.is_set() for job in self._jobs)

    def status(self) -> dict:
        with self._lock:
            jobs = [job.as_dict() for job in self._jobs]
        waiting = sum(j["stage"] == "queued" for j in jobs)
        running = sum(j["stage"] not in ("queued", "done") for j in jobs)
        return {"queued": waiting, "running": running, "jobs": jobs, "results": dict(self.results)}

    def _on_stage(self, path: str, stage: str, chunks: int) -> None:
        job = self._active.get(path)
        if job is not None:
            job.stage, job.chunks = stage, chunks

    def _run(self) -> None:
        try:  # Linux: a thread has its own nice value; the queue's share of the parent yields to questions
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        while True:
            batch = [self._pending.get()]
            while len(batch) < MAX_BATCH_FILES:
                try:
                    batch.append(self._pending.get_nowait())
                except queue.Empty:
                    break
            self._ingest(batch)

    def _ingest(self, batch: list[Job]) -> None:
        # A source twice in one batch: the later upload wins, so each goes in its own call.
        sources = [job.source for job in batch]
        if len(set(sources)) < len(sources):
            for job in batch:
                self._ingest([job])
            return
        started = time.time()
        for job in batch:
            job.started, job.stage = started, "reading"
        self._active = {str(job.path): job for job in batch}
        by_path = dict(self._active)

        def finished(result: FileResult) -> None:
            job = by_path.get(result.path)
            if job is None:
                return
            if result.status != "failed" and self.after_write is not None:
                try:
                    self.after_write()  # visible to the next question once the job says done
                except Exception:  # noqa: BLE001 - the next question syncs instead
                    log.exception("could not update the index after ingesting %s", result.source)
            self._finish(job, result)

        try:
            with self.writing():
                self._ingest_files(batch, sources, finished)
        except Exception:
            log.exception("ingesting %s failed", ", ".join(sources))
        for job in batch:  # anything not reported (an unexpected error) fails with a reason
            if not job.done.is_set():
                self._finish(job, FileResult(str(job.path), job.source, "failed", reason="internal error while ingesting"))
        self._active = {}

    def _ingest_files(self, batch: list[Job], sources: list[str], finished: Callable[[FileResult], None]) -> None:
        if isinstance(self.indexer, Indexer):
            self.indexer.ingest([job.path for job in batch], on_file=finished, sources=sources)
        else:  # any object with ``ingest_file`` (a stand-in in tests)
            for job in batch:
                finished(self.indexer.ingest_file(job.path, source=job.source))

    def _finish(self, job: Job, result: FileResult) -> None:
        if job.on_done is not None:
            try:
                result = job.on_done(result) or result
            except Exception:  # noqa: BLE001
                log.exception("after ingesting %s", job.source)
        job.result, job.stage, job.finished = result, "done", time.time()
        self.results[result.status] += 1
        job.done.set()
