"""BM25 over the chunks held in Chroma, derived from it and rebuilt when Chroma changes.

Chroma is the single source of truth. The lexical index is a cache of it: built from the
collection's documents, stamped with the collection's write generation, and rebuilt whenever that
stamp moves (another process may have ingested through the same Chroma server). It can therefore
never answer from chunks that Chroma no longer holds.

With a ``cache_dir`` the built index is also kept on disk under its generation, so a fresh process
(``hoidap ask``, a restarted ``serve``) loads it instead of reading every chunk back from Chroma
and indexing again; a file whose generation is not Chroma's current one is never used.
"""

from __future__ import annotations

import os
import pickle
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vectorstore.tokenize import tokenize


@dataclass
class LexicalHit:
    chunk_id: str
    text: str
    metadata: dict
    score: float


class LexicalIndex:
    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.generation: str | None = None
        self._ids: list[str] = []
        self._texts: list[str] = []
        self._metadatas: list[dict] = []
        self._bm25 = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

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
        if self.cache_dir is not None and generation not in ("", "empty"):
            self._save(generation, (ids, texts, metadatas, bm25))

    # --- disk cache (one file per generation; older ones are removed when a newer is written) ---
    def _file(self, generation: str) -> Path:
        return self.cache_dir / f"lexical-{generation}.pickle"

    def _save(self, generation: str, state: tuple) -> None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = self.cache_dir / f".{uuid.uuid4().hex}.tmp"
            with open(temporary, "wb") as out:
                pickle.dump((generation, state), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._file(generation))  # readers see a whole file or none
            for old in self.cache_dir.glob("lexical-*.pickle"):
                if old.name != self._file(generation).name:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache: the index in memory is what counts

    def load(self, generation: str) -> bool:
        """Take the index saved for ``generation``, if there is one; False when it must be built."""
        if self.cache_dir is None or generation in ("", "empty"):
            return False
        try:
            with open(self._file(generation), "rb") as handle:
                saved, (ids, texts, metadatas, bm25) = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            return False
        if saved != generation:
            return False
        with self._lock:
            self._ids, self._texts, self._metadatas = ids, texts, metadatas
            self._bm25, self.generation = bm25, generation
        return True

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
