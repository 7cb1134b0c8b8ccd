"""BM25 over the chunks held in Chroma, derived from it and rebuilt when Chroma changes.

Chroma is the single source of truth. The lexical index is a cache of it: built from the
collection's documents, stamped with the collection's write generation, and rebuilt whenever that
stamp moves (another process may have ingested through the same Chroma server). It can therefore
never answer from chunks that Chroma no longer holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vectorstore.tokenize import tokenize


@dataclass
class LexicalHit:
    chunk_id: str
    text: str
    metadata: dict
    score: float


class LexicalIndex:
    def __init__(self) -> None:
        self.generation: str | None = None
        self._ids: list[str] = []
        self._texts: list[str] = []
        self._metadatas: list[dict] = []
        self._bm25 = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def chunk_ids(self) -> list[str]:
        """Ids of every indexed chunk (a snapshot; do not modify)."""
        return self._ids

    @property
    def metadatas(self) -> list[dict]:
        """Metadata of every indexed chunk (a snapshot; do not modify)."""
        return self._metadatas

    def build(self, ids: list[str], texts: list[str], metadatas: list[dict], generation: str) -> None:
        import bm25s

        bm25 = None
        if ids:
            bm25 = bm25s.BM25()
            bm25.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
        with self._lock:
            self._ids, self._texts, self._metadatas = ids, texts, metadatas
            self._bm25, self.generation = bm25, generation

    def search(self, query: str, k: int = 10, accept: Callable[[dict], bool] | None = None) -> list[LexicalHit]:
        tokens = tokenize(query)
        with self._lock:
            bm25, ids, texts, metadatas = self._bm25, self._ids, self._texts, self._metadatas
        if bm25 is None or not tokens:
            return []
        mask = None
        if accept is not None:
            mask = np.fromiter((accept(m) for m in metadatas), dtype=bool, count=len(metadatas))
            if not mask.any():
                return []
        k = min(k, len(ids) if mask is None else int(mask.sum()))
        docs, scores = bm25.retrieve(
            [tokens], k=k, show_progress=False, weight_mask=None if mask is None else mask.astype(np.float32)
        )
        hits = []
        for index, score in zip(docs[0], scores[0], strict=True):
            if score <= 0:
                continue
            i = int(index)
            hits.append(LexicalHit(ids[i], texts[i], metadatas[i], float(score)))
        return hits
