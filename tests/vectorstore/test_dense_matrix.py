"""Exact dense search: the nearest rows, best first, only among the rows a filter lets through."""

import numpy as np

from hoidap.vectorstore.dense_matrix import top_rows, unit_matrix


def test_rows_are_unit_length_and_the_nearest_come_first():
    matrix = unit_matrix([[3.0, 0.0], [1.0, 1.0], [0.0, 2.0]], 3)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0)
    got = top_rows(matrix, [1.0, 0.1], k=2)
    assert [row for row, _ in got] == [0, 1] and got[0][1] > got[1][1]


def test_a_mask_limits_the_rows_scored_and_an_empty_one_finds_nothing():
    matrix = unit_matrix([[3.0, 0.0], [1.0, 1.0], [0.0, 2.0]], 3)
    assert [row for row, _ in top_rows(matrix, [1.0, 0.0], k=3, mask=np.array([False, True, True]))] == [1, 2]
    assert top_rows(matrix, [1.0, 0.0], k=3, mask=np.zeros(3, dtype=bool)) == []
    assert top_rows(unit_matrix(np.zeros((0, 2)), 0), [1.0, 0.0], k=3) == []
    assert unit_matrix(None, 3) is None
