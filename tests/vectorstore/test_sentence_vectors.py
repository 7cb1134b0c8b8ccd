"""Sentence vectors kept in chunk metadata: the round trip, the in-process table, and the index."""

from __future__ import annotations

import numpy as np
import pytest

from hoidap.vectorstore import sentence_vectors as sv
from hoidap.vectorstore.chunk_index import ChunkIndex


def unit_rows(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_encode_decode_keeps_cosine_within_int8_error():
    vectors = unit_rows(5)
    decoded = sv.decode_vectors(sv.encode(vectors))
    assert decoded.shape == vectors.shape
    query = unit_rows(1, seed=1)[0]
    assert np.abs(decoded @ query - vectors @ query).max() < 0.005
    assert np.abs(np.linalg.norm(decoded, axis=1) - 1).max() < 0.01


def test_encoding_is_compact_text():
    text = sv.encode(unit_rows(4))
    assert text.isascii() and text.startswith("4:")
    assert len(text) < 4 * (384 + 2) * 4 / 3 + 16  # int8 + a float16 scale per sentence, base64


@pytest.mark.parametrize("damaged", ["", "x", "3:", "2:!!notbase64", "3:" + "QUFB", "-1:QUFB", "0:"])
def test_damaged_text_decodes_to_none(damaged):
    assert sv.decode(damaged) is None
    assert sv.decode_vectors(damaged) is None


def test_take_from_removes_the_text_from_metadata():
    metadata = {"source": "a.txt", sv.METADATA_KEY: sv.encode(unit_rows(2))}
    vectors = sv.take_from(metadata)
    assert vectors.shape == (2, 384)
    assert sv.METADATA_KEY not in metadata and metadata == {"source": "a.txt"}
    assert sv.take_from({"source": "b.txt"}) is None


def test_check_changes_with_the_sentences():
    assert sv.sentences_check(["Một.", "Hai."]) == sv.sentences_check(["Một.", "Hai."])
    assert sv.sentences_check(["Một.", "Hai."]) != sv.sentences_check(["Một. Hai."])


def table_of(counts: list[int]) -> tuple[sv.SentenceTable, list[np.ndarray | None]]:
    metadatas, originals = [], []
    for seed, count in enumerate(counts):
        if count:
            vectors = unit_rows(count, seed=seed + 10)
            metadatas.append({sv.METADATA_KEY: sv.encode(vectors)})
            originals.append(vectors)
        else:
            metadatas.append({})
            originals.append(None)
    return sv.SentenceTable.from_metadatas(metadatas), originals


def assert_rows(table: sv.SentenceTable, originals: list[np.ndarray | None]) -> None:
    assert len(table) == len(originals)
    for row, original in enumerate(originals):
        got = table.vectors(row)
        if original is None:
            assert got is None
        else:
            assert got.shape == original.shape
            assert np.abs(got - original).max() < 0.01


def test_table_rows_follow_chunks_including_chunks_without_vectors():
    table, originals = table_of([3, 0, 1, 4])
    assert table.sentences == 8
    assert_rows(table, originals)


def test_keep_and_extend_match_a_table_built_from_scratch():
    table, originals = table_of([3, 0, 1, 4, 2])
    mask = np.array([True, False, False, True, True])
    kept = table.keep(mask)
    assert_rows(kept, [o for o, m in zip(originals, mask, strict=True) if m])
    more, more_originals = table_of([0, 2])
    merged = kept.extend(more)
    assert_rows(merged, [o for o, m in zip(originals, mask, strict=True) if m] + more_originals)
    assert_rows(sv.SentenceTable.empty().extend(more), more_originals)
    assert_rows(kept.keep(np.zeros(3, dtype=bool)).extend(sv.SentenceTable.empty()), [])


def test_the_index_hands_each_hit_its_own_chunks_sentence_vectors():
    chunk_vectors = unit_rows(3, seed=5)
    own = {name: unit_rows(2, seed=20 + i) for i, name in enumerate(["a", "b", "c"])}
    metadatas = [{"source": f"{n}.txt", sv.METADATA_KEY: sv.encode(own[n])} for n in own]
    index = ChunkIndex()
    index.build(list(own), ["thu ngân sách", "kim ngạch xuất khẩu", "thu hút FDI"], metadatas, "g1", chunk_vectors)
    assert all(sv.METADATA_KEY not in m for m in index.metadatas)  # taken out of what hits carry
    assert index.sentence_count == 6
    for hit in index.dense(chunk_vectors[1], k=3) + index.search("FDI"):
        assert np.abs(hit.sentences - own[hit.chunk_id]).max() < 0.01
    # an update keeps the survivors' vectors with them and adds the newcomer's
    newcomer = unit_rows(1, seed=99)
    index.update({"a"}, ["d"], ["d"], ["giải ngân vốn đầu tư công"], [{"source": "d.txt", sv.METADATA_KEY: sv.encode(newcomer)}], unit_rows(1, seed=7), "g2")
    found = {h.chunk_id: h.sentences for h in index.dense(chunk_vectors[0], k=10)}
    assert set(found) == {"b", "c", "d"}
    assert np.abs(found["c"] - own["c"]).max() < 0.01
    assert np.abs(found["d"] - newcomer).max() < 0.01
