"""The in-process index of the chunks held in Chroma: derived from it and rebuilt when Chroma changes.

One snapshot holds three parts over the same rows:
- BM25 postings (``vectorstore.bm25``, incremental) for the lexical side;
- the dense matrix (``vectorstore.dense_matrix``): every chunk's vector, for exact dense search with
  the question's filter as a mask (faster than Chroma's filtered HNSW query at every size measured in
  docs/performance.md, and recall 1.0);
- metadata columns (``vectorstore.metadata_columns``): the filters as numpy masks.

Chroma is the single source of truth. The index is a cache of it: stamped with the collection's write
generation and brought up to date whenever that stamp moves (another process may have ingested
through the same Chroma server): the records added or removed since are found by comparing record
ids, and only those are indexed again. It can therefore never answer from chunks that Chroma no
longer holds.

With a ``cache_dir`` the built index is also kept on disk under its generation, so a fresh process
(``hoidap ask``, a restarted ``serve``) loads it instead of reading every chunk back from Chroma
and indexing again; a file whose generation is not Chroma's current one is never used.

Concurrency: what a reader searches is an :class:`IndexSnapshot`, never changed once made. A build,
an update or a load makes a new snapshot off to the side and swaps one reference, so questions on
many threads read without a lock and never see a half-applied change; builders are serialised.
"""

from __future__ import annotations

import copy
import os
import pickle
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hoidap.vectorstore.bm25 import IncrementalBM25
from hoidap.vectorstore.dense_matrix import top_rows, unit_matrix
from hoidap.vectorstore.metadata_columns import MetadataColumns
from hoidap.vectorstore.sentence_vectors import SentenceTable
from hoidap.vectorstore.tokenize import tokenize


@dataclass
class IndexHit:
    chunk_id: str
    text: str
    metadata: dict
    score: float
    sentences: np.ndarray | None = None  # the chunk's sentence vectors, when it was stored with them


class IndexSnapshot:
    """One immutable state of the index: the records, BM25, vectors and sentence vectors of one
    generation. Readers take it once per question (``ChunkIndex.snapshot``) and use it throughout,
    so the filter mask, the BM25 hits and the dense hits all refer to the same rows."""

    def __init__(
        self, generation: str | None = None, keys: list[str] | None = None, ids: list[str] | None = None,
        texts: list[str] | None = None, metadatas: list[dict] | None = None, bm25=None, vectors: np.ndarray | None = None,
        sentences: SentenceTable | None = None,
    ) -> None:
        self.generation = generation
        self.keys: list[str] = keys or []
        self._ids: list[str] = ids or []
        self._texts: list[str] = texts or []
        self._metadatas: list[dict] = metadatas or []
        self._bm25 = bm25
        self._vectors = vectors
        self._sentences = sentences if sentences is not None else SentenceTable.empty()
        self.columns = MetadataColumns(self._metadatas)  # the filters as masks

    def state(self) -> tuple:
        return self.keys, self._ids, self._texts, self._metadatas, self._bm25, self._vectors, self._sentences

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def chunk_ids(self) -> list[str]:
        """Ids of every indexed chunk (do not modify)."""
        return self._ids

    @property
    def metadatas(self) -> list[dict]:
        """Metadata of every indexed chunk (do not modify)."""
        return self._metadatas

    def records(self) -> tuple[list[str], list[str], list[dict]]:
        """(chunk ids, texts, metadatas) of every indexed chunk."""
        return self._ids, self._texts, self._metadatas

    @property
    def has_vectors(self) -> bool:
        return self._vectors is not None

    @property
    def sentence_count(self) -> int:
        """Sentence vectors held (chunks stored before sentence vectors have none)."""
        return self._sentences.sentences

    # --- search -----------------------------------------------------------------------------------
    def _mask(self, accept: Callable[[dict], bool] | None, mask: np.ndarray | None) -> np.ndarray | None:
        if mask is None and accept is not None:
            mask = np.fromiter((accept(m) for m in self._metadatas), dtype=bool, count=len(self._metadatas))
        return mask

    def search(
        self, query: str, k: int = 10, accept: Callable[[dict], bool] | None = None, mask: np.ndarray | None = None
    ) -> list[IndexHit]:
        """BM25 top ``k``; ``mask`` (one bool per chunk) or ``accept`` (per metadata) restricts it."""
        tokens = tokenize(query)
        if self._bm25 is None or not self._ids or not tokens:
            return []
        mask = self._mask(accept, mask)
        if mask is not None and not mask.any():
            return []
        return [self._hit(i, score) for i, score in self._bm25.top(tokens, k, mask)]

    def dense(
        self, vector, k: int = 10, accept: Callable[[dict], bool] | None = None, mask: np.ndarray | None = None
    ) -> list[IndexHit]:
        """Exact cosine top ``k`` over the chunks' vectors (needs ``vectors`` at build)."""
        vectors = self._vectors
        if vectors is None:
            raise RuntimeError("this index was built without vectors")
        return [self._hit(row, score) for row, score in top_rows(vectors, vector, k, self._mask(accept, mask))]

    def _hit(self, row: int, score: float) -> IndexHit:
        sentences = self._sentences
        vectors = sentences.vectors(row) if row < len(sentences) else None
        return IndexHit(self._ids[row], self._texts[row], self._metadatas[row], score, vectors)


class ChunkIndex:
    """The current :class:`IndexSnapshot` of the store, kept up to date by ``build``/``update``/
    ``load``; its read methods answer from the snapshot current at the call (a question that makes
    several calls takes one with :meth:`snapshot` instead)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._snapshot = IndexSnapshot()
        self._build_lock = threading.Lock()  # one builder at a time; readers never take it

    def snapshot(self) -> IndexSnapshot:
        return self._snapshot

    @property
    def generation(self) -> str | None:
        return self._snapshot.generation

    def __len__(self) -> int:
        return len(self._snapshot)

    @property
    def chunk_ids(self) -> list[str]:
        return self._snapshot.chunk_ids

    @property
    def metadatas(self) -> list[dict]:
        return self._snapshot.metadatas

    @property
    def keys(self) -> list[str]:
        return self._snapshot.keys

    def records(self) -> tuple[list[str], list[str], list[dict]]:
        return self._snapshot.records()

    @property
    def has_vectors(self) -> bool:
        return self._snapshot.has_vectors

    @property
    def sentence_count(self) -> int:
        return self._snapshot.sentence_count

    def search(self, query: str, k: int = 10, accept=None, mask: np.ndarray | None = None) -> list[IndexHit]:
        return self._snapshot.search(query, k, accept, mask)

    def dense(self, vector, k: int = 10, accept=None, mask: np.ndarray | None = None) -> list[IndexHit]:
        return self._snapshot.dense(vector, k, accept, mask)

    # --- changes: a new snapshot made beside the current one, then swapped in ----------------------
    def build(
        self, ids: list[str], texts: list[str], metadatas: list[dict], generation: str, vectors: np.ndarray | None = None,
        keys: list[str] | None = None,
    ) -> None:
        """Index these chunks (and nothing else). ``keys``: the store's own record ids (default
        ``ids``), which ``update`` uses to add and remove records."""
        with self._build_lock:
            bm25 = IncrementalBM25()
            bm25.add([tokenize(t) or ["∅"] for t in texts])
            vectors = unit_matrix(vectors, len(ids))
            sentences = SentenceTable.from_metadatas(metadatas)  # takes the vectors' text out of the metadata
            self._install((list(keys or ids), ids, texts, metadatas, bm25, vectors, sentences), generation, save="now")

    def update(
        self, removed: set[str], keys: list[str], ids: list[str], texts: list[str], metadatas: list[dict],
        vectors: np.ndarray | None, generation: str,
    ) -> None:
        """Drop the records with the ``removed`` keys and add the given ones: a store change applied
        without indexing the rest again (the vectors are needed when the index holds vectors)."""
        with self._build_lock:
            old_keys, old_ids, old_texts, old_metadatas, bm25, old_vectors, old_sentences = self._snapshot.state()
            keep = np.fromiter((k not in removed for k in old_keys), dtype=bool, count=len(old_keys))
            bm25 = copy.copy(bm25) if bm25 is not None else IncrementalBM25()  # readers keep the old one
            bm25.vocab = dict(bm25.vocab)  # ``add`` grows the vocabulary in place
            if not keep.all():
                bm25.keep(keep)
            bm25.add([tokenize(t) or ["∅"] for t in texts])
            rows = np.flatnonzero(keep).tolist()
            merged_vectors = None
            if old_vectors is not None:
                kept = old_vectors[keep]
                added = unit_matrix(vectors, len(ids)) if ids else None
                if added is None:
                    merged_vectors = kept
                elif not len(kept):
                    merged_vectors = added
                else:
                    merged_vectors = np.concatenate([kept, added])
            sentences = old_sentences.keep(keep).extend(SentenceTable.from_metadatas(metadatas))
            state = (
                [old_keys[i] for i in rows] + list(keys),
                [old_ids[i] for i in rows] + list(ids),
                [old_texts[i] for i in rows] + list(texts),
                [old_metadatas[i] for i in rows] + list(metadatas),
                bm25,
                merged_vectors,
                sentences,
            )
            self._install(state, generation, save="background")

    def _install(self, state: tuple, generation: str, save: str = "") -> None:
        """Swap in a new snapshot (one reference assignment); ``save``: "now", "background" (after an
        update: at 100k chunks writing takes seconds, and the answer waiting for it need not) or ""
        (loaded from disk)."""
        self._snapshot = IndexSnapshot(generation, *state)
        if save and self.cache_dir is not None and generation not in ("", "empty"):
            if save == "now":
                self._save(generation, state)
            else:
                threading.Thread(target=self._save, args=(generation, state), daemon=True).start()

    # --- disk cache (one file per generation; older ones are removed when a newer is written) ---
    def _file(self, generation: str) -> Path:
        return self.cache_dir / f"lexical-{generation}.pickle"

    def _save(self, generation: str, state: tuple) -> None:
        if self.generation != generation:
            return  # already superseded
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

    def load(self, generation: str, need_vectors: bool = False) -> bool:
        """Take the index saved for ``generation``, if there is one (with vectors when
        ``need_vectors``); False when it must be built."""
        if self.cache_dir is None or generation in ("", "empty"):
            return False
        try:
            with open(self._file(generation), "rb") as handle:
                saved, state = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return False
        if saved != generation or len(state) != 7 or (need_vectors and state[5] is None):
            return False
        with self._build_lock:
            self._install(state, generation)
        return True
