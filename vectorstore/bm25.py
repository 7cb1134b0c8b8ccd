"""BM25 that takes documents in and out without indexing the rest again.

bm25s precomputes every document's scores, so one new document means indexing all of them again
(30 s at 100k chunks on 2 busy cores). This keeps raw term counts in a sparse matrix instead and
scores at query time with the same formula bm25s uses by default (Lucene: idf = ln(1 + (N - df +
0.5) / (df + 0.5)), tf part = tf / (tf + k1 (1 - b + b len / avg len))), so adding or removing a
document costs one pass over the matrix (O(non-zeros), well under a second at 100k chunks) and the
statistics (N, df, average length) are always those of the current documents.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

K1 = 1.5
B = 0.75


class IncrementalBM25:
    def __init__(self, k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self._tf = sparse.csc_matrix((0, 0), dtype=np.float32)  # documents x terms
        self._lengths = np.zeros(0, dtype=np.float32)
        self._norm_cache: np.ndarray | None = None

    def __len__(self) -> int:
        return self._tf.shape[0]

    def _rows(self, token_lists: list[list[str]]) -> tuple[sparse.csc_matrix, np.ndarray]:
        rows, cols = [], []
        vocab = self.vocab
        for row, tokens in enumerate(token_lists):
            cols.extend(vocab.setdefault(t, len(vocab)) for t in tokens)
            rows.extend([row] * len(tokens))
        data = np.ones(len(cols), dtype=np.float32)
        shape = (len(token_lists), len(vocab))
        counts = sparse.coo_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))), shape=shape)
        return counts.tocsc(), np.asarray([len(t) for t in token_lists], dtype=np.float32)

    def add(self, token_lists: list[list[str]]) -> None:
        """Append documents (their rows come after the existing ones, in order)."""
        if not token_lists:
            return
        new, lengths = self._rows(token_lists)
        old = self._tf
        if old.shape[0]:
            old = old.copy()
            old.resize((old.shape[0], len(self.vocab)))
            self._tf = sparse.vstack([old, new], format="csc", dtype=np.float32)
        else:
            self._tf = new
        self._lengths = np.concatenate([self._lengths, lengths])
        self._norm_cache = None

    def keep(self, mask: np.ndarray) -> None:
        """Drop the documents whose entry in ``mask`` is False (the others keep their order)."""
        self._tf = self._tf[np.flatnonzero(mask)].tocsc()
        self._lengths = self._lengths[mask]
        self._norm_cache = None

    def _norm(self) -> np.ndarray:
        """k1 (1 - b + b len / avg len) per document, kept until the documents change."""
        cached = getattr(self, "_norm_cache", None)  # absent in an index pickled by an older version
        if cached is None or len(cached) != len(self._lengths):
            average = max(float(self._lengths.mean()), 1e-9) if len(self._lengths) else 1.0
            self._norm_cache = self.k1 * ((1 - self.b) + self.b * self._lengths / average)
        return self._norm_cache

    def scores(self, tokens: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """The BM25 score of every document for the query tokens (a repeated token counts again);
        with ``mask``, documents outside it score 0 and a common term's postings are cut to the
        mask before any arithmetic (a province and year keep about 2% of a 100k-chunk store)."""
        n = len(self)
        scores = np.zeros(n, dtype=np.float32)
        if not n:
            return scores
        norm = self._norm()
        indptr, indices, data = self._tf.indptr, self._tf.indices, self._tf.data
        for token in tokens:
            column = self.vocab.get(token)
            if column is None or column >= self._tf.shape[1]:
                continue
            start, end = indptr[column], indptr[column + 1]
            if start == end:
                continue
            rows, tf = indices[start:end], data[start:end]
            df = end - start
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            if mask is not None:
                inside = mask[rows]
                rows, tf = rows[inside], tf[inside]
            scores[rows] += idf * tf / (tf + norm[rows])
        return scores

    def top(self, tokens: list[str], k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` best (row, score) pairs with a positive score, within ``mask``."""
        scores = self.scores(tokens, mask)
        candidates = np.flatnonzero(scores > 0)
        if not len(candidates):
            return []
        k = min(k, len(candidates))
        best = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(i), float(scores[i])) for i in best]
