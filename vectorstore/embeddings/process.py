"""An embedder that runs in a child process at a lower CPU priority, with its own model session.

Why: a server that ingests uploads embeds thousands of texts per document; in the server's own
process that work competes with the questions for the GIL and the cores. In a child process under
``os.nice`` it takes only the CPU the questions leave, and the server keeps its latency. The child
starts on first use (``spawn``: no fork of a process with model threads) and is started again if it
dies; texts and vectors cross as plain lists.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from langchain_core.embeddings import Embeddings

_CHILD = None  # the embedder inside the child process


def _start(backend: str, model: str, cache_dir: str | None, niceness: int) -> None:
    global _CHILD
    if niceness:
        os.nice(niceness)
    from hoidap.vectorstore.embeddings import make_embeddings

    _CHILD = make_embeddings(backend, model, cache_dir)


def _embed(texts: list[str]) -> list[list[float]]:
    return _CHILD.embed_documents(texts)


class ProcessEmbeddings(Embeddings):
    """``make_embeddings(backend, model, cache_dir)`` in a child process at ``os.nice(niceness)``;
    counts what it embedded (``texts``, ``seconds``) for the metrics."""

    def __init__(self, backend: str, model: str = "", cache_dir: str | None = None, niceness: int = 10) -> None:
        self._args = (backend, model, cache_dir, niceness)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.texts = 0
        self.seconds = 0.0

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                import multiprocessing

                self._pool = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=self._args
                )
            return self._pool

    def run(self, function, *args):
        """``function(*args)`` in the child process (a module-level function; arguments and result
        are pickled): other CPU-heavy work of the same job, e.g. parsing, off the caller's GIL."""
        try:
            return self._executor().submit(function, *args).result()
        except BrokenProcessPool:  # the child died (killed, out of memory): one more try in a new one
            self.close()
            return self._executor().submit(function, *args).result()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        started = time.perf_counter()
        vectors = self.run(_embed, list(texts))
        with self._lock:
            self.texts += len(texts)
            self.seconds += time.perf_counter() - started
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
