"""Exact dense search in process: every chunk's unit vector in one matrix, scored against the question
with one product over the rows a filter lets through (recall 1.0, unlike an approximate index)."""

from __future__ import annotations

import numpy as np

from hoidap.vectorstore.unit_vectors import unit, unit_rows


def unit_matrix(vectors, n: int) -> np.ndarray | None:
    """``n`` vectors as a float32 matrix of unit rows (None stays None: an index without vectors)."""
    if vectors is None:
        return None
    vectors = np.asarray(vectors, dtype=np.float32)
    if n == 0:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    return unit_rows(vectors.reshape(n, -1))


def top_rows(matrix: np.ndarray, vector, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(row, cosine) of the ``k`` rows of ``matrix`` nearest ``vector``, best first; ``mask``: one bool
    per row, only those rows are scored."""
    if not len(matrix):
        return []
    query = unit(vector)
    # einsum, not BLAS: single-threaded SIMD, which on a busy 2-core machine beats OpenBLAS's threads
    # at every size measured (docs/performance.md).
    candidates = None
    if mask is not None:
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        scores = np.einsum("ij,j->i", matrix[candidates], query)
    else:
        scores = np.einsum("ij,j->i", matrix, query)
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.argsort(-scores[top], kind="stable")]
    rows = candidates[top] if candidates is not None else top
    return [(row, float(scores[t])) for row, t in zip(rows.tolist(), top.tolist(), strict=True)]
