"""Unit-length vectors: cosine similarity is then a dot product, wherever vectors are compared."""

from __future__ import annotations

import numpy as np


def unit_rows(matrix) -> np.ndarray:
    """Each row of ``matrix`` scaled to length 1 (float32; zero rows stay zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def unit(vector) -> np.ndarray:
    """``vector`` scaled to length 1 (float32; a zero vector stays zero)."""
    vector = np.asarray(vector, dtype=np.float32)
    return vector / (np.linalg.norm(vector) or 1.0)
