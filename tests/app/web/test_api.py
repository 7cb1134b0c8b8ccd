"""The JSON API and the Gradio API: answers with citations, follow-ups, uploads, bad input.

Fast tests run the FastAPI app in-process over a stand-in service (no model), for the web layer's
own behaviour. Slow tests run a real ``hoidap serve`` (see conftest.py) over the sample corpus.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hoidap_live_server import shared_server

from hoidap.app.config import load_settings
from hoidap.app.indexing import FileResult
from hoidap.app.query import Filters, apply_filters, understand
from hoidap.app.web.server import create_app, parse_auth
from hoidap.ingest.document import document_id

FDI_QUESTION = "Bắc Ninh's 2023 FDI target"
FDI_FIGURE = "1.200 triệu USD"
FDI_SOURCE = "000_cb6758b6e1e73ad5.txt"
VI_FDI = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"
RETAIL_FOLLOWUP = "Còn doanh thu bán lẻ hàng hóa và dịch vụ?"
ASK_KEYS = {"question", "answer", "abstained", "reason", "citations", "retrieved", "scope", "timings_ms"}


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A running ``hoidap serve`` over an empty data dir (shared by the web test modules)."""
    return shared_server(request.config, tmp_path_factory)


# --- a stand-in service: the web layer's contract with app.service, without a model ------------
class FakeService:
    def __init__(self, data_dir: Path) -> None:
        self.settings = load_settings(data_dir=data_dir, max_file_mb=0.01)
        self.asked: list[str] = []
        self.filters: list[Filters] = []
        self.fail = False
        docs: dict[str, str] = {}
        self.docs = docs

        def ingest_file(path: Path, source: str | None = None) -> FileResult:
            text = path.read_text(encoding="utf-8")
            if "UNREADABLE" in text:  # a file the parser cannot read
                return FileResult(str(path), source or path.name, "failed", reason="no text could be extracted")
            docs[source or path.name] = text
            return FileResult(str(path), source or path.name, "ingested", chunks=1)

        def list_documents() -> list[dict]:
            return [
                {"source": s, "doc_id": document_id(s), "chunks": 1,
                 "metadata": {"province": "Bắc Ninh", "locality": "Bắc Ninh", "doc_years": "2023", "title": s}}
                for s in sorted(docs)
            ]

        def delete_document(doc_id: str) -> int:
            gone = [s for s in docs if document_id(s) == doc_id]
            for s in gone:
                del docs[s]
            return len(gone)

        self.indexer = SimpleNamespace(ingest_file=ingest_file)
        self.store = SimpleNamespace(
            list_documents=list_documents, delete_document=delete_document, count=lambda: len(docs),
            collection=SimpleNamespace(get=lambda **_: {"ids": [], "documents": [], "metadatas": []}),
        )
        self.retriever = SimpleNamespace(
            sync=lambda wait=True: None, known_localities=lambda: set(), documents=list_documents,
            facets=lambda: sorted({(d["metadata"]["province"], d["metadata"]["locality"], d["metadata"]["doc_years"]) for d in list_documents()}),
        )

    def prepare(self, question: str, filters: Filters | None = None) -> str:
        self.filters.append(filters or Filters())
        return question

    def complete(self, prepared: str) -> dict:
        return self.ask(prepared)

    def ask(self, question: str) -> dict:
        if self.fail:
            raise RuntimeError("secret internal detail")
        self.asked.append(question)
        scope = understand(question)
        return {
            "question": question, "answer": "(5) Thu hút vốn FDI 1.200 triệu USD.", "abstained": False, "reason": "",
            "confidence": 1.0, "citations": [], "retrieved": [],
            "scope": {"lang": scope.lang, "provinces": scope.provinces, "localities": scope.localities,
                      "years": scope.years, "intent": scope.intent},
            "timings_ms": {"total": 1.0},
        }


@pytest.fixture
def fake(tmp_path) -> FakeService:
    service = FakeService(tmp_path)
    service.docs["bn.txt"] = "Bắc Ninh 2023"
    return service


@pytest.fixture
def client(fake) -> TestClient:
    return TestClient(create_app(fake), raise_server_exceptions=False)


def test_ask_returns_the_cli_json_plus_searched_question(client, fake):
    body = client.post("/api/ask", json={"question": FDI_QUESTION}).json()
    assert ASK_KEYS <= body.keys()
    assert body["question"] == FDI_QUESTION and body["searched_question"] == FDI_QUESTION


def _samples(text: str) -> dict:
    """Prometheus exposition text as {(name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_count_requests_per_route_and_questions_by_outcome(client, fake):
    client.post("/api/ask", json={"question": FDI_QUESTION})
    fake.fail = True
    client.post("/api/ask", json={"question": FDI_QUESTION})
    client.get("/api/docs/bn.txt")  # a route template, not one label per name
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    assert samples[("hoidap_questions_total", (("outcome", "answered"),))] == 1
    assert samples[("hoidap_questions_total", (("outcome", "error"),))] == 1
    assert samples[("hoidap_questions_total", (("outcome", "guard_refused"),))] == 0
    assert samples[("hoidap_question_seconds_count", ())] == 2
    ok = ("hoidap_http_requests_total", (("method", "POST"), ("route", "/api/ask"), ("status", "200")))
    failed = ("hoidap_http_requests_total", (("method", "POST"), ("route", "/api/ask"), ("status", "500")))
    assert samples[ok] == 1 and samples[failed] == 1
    assert samples[("hoidap_http_request_seconds_count", (("method", "POST"), ("route", "/api/ask")))] == 2
    assert samples[("hoidap_ingest_queue_depth", ())] == 0
    assert samples[("hoidap_llm_answers_total", (("outcome", "passed"), ("reason", "")))] == 0  # no model configured
    assert client.get("/api/metrics").text.count("hoidap_questions_total") >= 3  # the same text under /api


def test_ingest_without_waiting_queues_and_reports_progress(client, fake):
    response = client.post("/api/ingest", params={"wait": "false"}, files=[("files", ("q.txt", "Bắc Ninh 2023".encode(), "text/plain"))])
    assert response.status_code == 202
    job = response.json()["jobs"][0]
    assert job["source"] == "q.txt" and job["stage"] in ("queued", "reading", "done")
    for _ in range(100):
        status = client.get("/api/ingest/status").json()
        entry = next(j for j in status["jobs"] if j["id"] == job["id"])
        if entry["stage"] == "done":
            break
        time.sleep(0.05)
    assert entry["result"]["status"] == "ingested" and status["results"]["ingested"] >= 1
    assert "q.txt" in fake.docs


def test_ask_stream_sends_the_answer_in_pieces_then_the_result(client, fake):
    import json

    response = client.post("/api/ask/stream", json={"question": FDI_QUESTION})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    assert events[-1]["event"] == "result" and ASK_KEYS <= events[-1]["result"].keys()
    deltas = [e["text"] for e in events if e["event"] == "delta"]
    assert "".join(deltas) == events[-1]["result"]["answer"]


def test_ask_stream_refuses_an_empty_question(client):
    assert client.post("/api/ask/stream", json={"question": " "}).status_code == 400


def test_ask_rewrites_follow_ups_from_history(client, fake):
    body = client.post("/api/ask", json={"question": RETAIL_FOLLOWUP, "history": [VI_FDI]}).json()
    searched = fake.asked[-1]
    assert body["searched_question"] == searched
    assert "doanh thu bán lẻ" in searched
    assert (understand(searched).provinces, understand(searched).years) == (["Bắc Ninh"], [2023])


def test_filters_reach_the_pipeline_as_structured_filters_not_question_text(client, fake):
    body = client.post("/api/ask", json={"question": "Doanh thu bán lẻ là bao nhiêu?", "province": "Bắc Ninh", "year": 2023}).json()
    assert fake.asked[-1] == "Doanh thu bán lẻ là bao nhiêu?"  # the question is searched as asked
    assert fake.filters[-1] == Filters(places=("Bắc Ninh",), years=(2023,))
    assert body["filters"] == {"places": ["Bắc Ninh"], "years": [2023]}
    scope = apply_filters(understand("Doanh thu bán lẻ của Cao Bằng năm 2022 là bao nhiêu?"), fake.filters[-1])
    assert (scope.provinces, scope.years) == (["Bắc Ninh"], [2023])  # the pickers replace what the question names
    client.post("/api/ask", json={"question": "Doanh thu bán lẻ là bao nhiêu?", "province": "Atlantis", "year": 1999})
    assert fake.filters[-1] == Filters()  # values not in the corpus are ignored


@pytest.mark.parametrize("question", ["", "   \n "])
def test_empty_question_is_a_400_with_a_message(client, question):
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 400
    assert "trống" in response.json()["detail"] and "empty" in response.json()["detail"]


def test_long_paste_is_a_400_with_the_limit(client, fake):
    response = client.post("/api/ask", json={"question": "x" * 20_000})
    assert response.status_code == 400
    assert "2.000" in response.json()["detail"] and "2,000" in response.json()["detail"]
    assert fake.asked == []


@pytest.mark.parametrize(
    ("payload", "field", "vi"),
    [({}, "question", "thiếu trường"), ({"question": 5}, "question", "chuỗi"), ({"question": "ok", "history": "not a list"}, "history", "danh sách")],
)
def test_malformed_request_is_a_422_in_the_services_own_shape(client, payload, field, vi):
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str)  # like every other error: {"detail": "..."}, not the framework's list
    assert body["detail"].startswith("Yêu cầu không hợp lệ") and "(Invalid request:" in body["detail"]
    assert vi in body["detail"] and field in body["detail"]
    assert [e["field"] for e in body["errors"]] == [field]
    assert "Field required" not in response.text and "Input should be" not in response.text


def test_a_bad_query_parameter_is_said_in_both_languages(client):
    response = client.get("/api/facts", params={"limit": "lots"})
    assert response.status_code == 422
    assert "limit: phải là một số nguyên" in response.json()["detail"] and "limit: must be an integer" in response.json()["detail"]


def test_the_original_file_of_a_stored_upload_can_be_downloaded(client, fake):
    content = "Tỉnh Bắc Ninh năm 2023: 42 tỷ đồng.".encode()
    client.post("/api/ingest", files=[("files", ("bắc ninh 2023.txt", content, "text/plain"))])
    response = client.get("/api/docs/" + quote("bắc ninh 2023.txt", safe="") + "/file")
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-disposition"].startswith("attachment")
    assert "b%E1%BA%AFc%20ninh%202023.txt" in response.headers["content-disposition"]  # the name, UTF-8 encoded


@pytest.mark.parametrize(
    "name", ["..%2F..%2Fpyproject.toml", "%2Fetc%2Fpasswd", "..", "%2E%2E", "..%5C..%5Cpyproject.toml", "missing.txt",
             "000_cb6758b6e1e73ad5.txt"],
)
def test_downloads_serve_nothing_outside_the_stored_documents(client, fake, name):
    """No path out of the uploads and samples folders, and only documents the store holds (the
    sample file exists on disk but this store never ingested it)."""
    (fake.settings.data_dir / "secret.txt").write_text("secret", encoding="utf-8")
    fake.docs["../secret.txt"] = "x"  # even a stored name that points out of the folder is refused
    for url in (f"/api/docs/{name}/file", "/api/docs/..%2Fsecret.txt/file"):
        response = client.get(url)
        assert response.status_code in (404, 405), (url, response.status_code)
        assert "secret" not in response.text and "[project]" not in response.text


def test_a_failed_upload_gives_its_reason_in_both_languages(client):
    (result,) = client.post("/api/ingest", files=[("files", ("tool.exe", b"MZ", "application/octet-stream"))]).json()["results"]
    assert result["reason"].startswith("unsupported file type .exe")
    assert result["reason_vi"].startswith("loại tệp .exe không được hỗ trợ")


def test_internal_errors_are_plain_messages(client, fake):
    fake.fail = True
    response = client.post("/api/ask", json={"question": FDI_QUESTION})
    assert response.status_code == 500
    assert "secret internal detail" not in response.text and "Traceback" not in response.text


def test_ingest_reports_each_file(client, fake):
    files = [
        ("files", ("../../escape.txt", "Tỉnh Bắc Ninh năm 2023: 42 tỷ đồng.".encode(), "text/plain")),
        ("files", ("tool.exe", b"MZ", "application/octet-stream")),
        ("files", ("huge.txt", b"x" * 20_000, "text/plain")),
    ]
    response = client.post("/api/ingest", files=files)
    assert response.status_code == 207  # some went in, some did not
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["ingested", "failed", "failed"]
    assert results[0]["source"] == "escape.txt"
    assert "unsupported file type .exe" in results[1]["reason"]
    assert "limit" in results[2]["reason"]
    assert all("path" not in r for r in results)
    uploads = fake.settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["escape.txt"]
    assert "escape.txt" in [d["source"] for d in client.get("/api/docs").json()["documents"]]


def test_delete_document(client, fake):
    assert client.delete("/api/docs/bn.txt").json()["removed_chunks"] == 1
    assert client.delete("/api/docs/bn.txt").status_code == 404


def test_auth_protects_the_api(fake):
    client = TestClient(create_app(fake, parse_auth("ana:s3cret,bo:pw")))
    assert client.post("/api/ask", json={"question": FDI_QUESTION}).status_code == 401
    assert client.post("/api/ask", json={"question": FDI_QUESTION}, auth=("ana", "wrong")).status_code == 401
    assert client.post("/api/ask", json={"question": FDI_QUESTION}, auth=("bo", "pw")).status_code == 200


def test_parse_auth_refuses_malformed():
    assert parse_auth("") == []
    with pytest.raises(ValueError):
        parse_auth("nopassword")


def test_openapi_page_is_served(client):
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/ask" in schema["paths"] and "/api/docs/{source}/file" in schema["paths"]
    ingest = schema["paths"]["/api/ingest"]["post"]["responses"]
    assert {"200", "207", "422"} <= ingest.keys()
    result = schema["components"]["schemas"]["IngestFileResult"]
    assert set(result["properties"]["status"]["enum"]) == {"ingested", "unchanged", "replaced", "failed"}


# --- the real server ---------------------------------------------------------------------------
def _ask(server, question: str, **extra) -> dict:
    response = httpx.post(f"{server.url}/api/ask", json={"question": question, **extra}, timeout=180)
    assert response.status_code == 200, response.text
    return response.json()


def _gradio_client(server):
    os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client would otherwise call the model hub
    from gradio_client import Client

    return Client(server.url + "/", verbose=False)


@pytest.mark.slow
def test_http_ask_answers_fdi_target_with_citation(server):
    body = _ask(server, FDI_QUESTION)
    assert ASK_KEYS | {"searched_question"} <= body.keys()
    assert FDI_FIGURE in body["answer"] and not body["abstained"]
    assert body["citations"][0]["source"] == FDI_SOURCE
    assert FDI_FIGURE in body["citations"][0]["sentence"]
    assert body["scope"]["provinces"] == ["Bắc Ninh"] and body["scope"]["years"] == [2023]


@pytest.mark.slow
def test_gradio_client_ask_answers_fdi_target(server):
    client = _gradio_client(server)
    assert {"/ask", "/chat", "/ingest", "/docs"} <= set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    body = client.predict(FDI_QUESTION, api_name="/ask")
    assert FDI_FIGURE in body["answer"]
    assert body["citations"][0]["source"] == FDI_SOURCE
    # The page's own chat event streams: a "searching" frame first, the answer with its marked source last.
    job = client.submit(FDI_QUESTION, [], "", 0, "vi", api_name="/chat")
    job.result(timeout=180)
    frames = job.outputs()
    assert len(frames) >= 3
    assert "Đang tìm" in str(frames[0][1][-1]["content"])
    _question, chat, sources = frames[-1]
    assert FDI_FIGURE in str(chat[-1]["content"]) and "<mark>" in sources and FDI_SOURCE in sources


@pytest.mark.slow
def test_page_filters_constrain_the_question(server):
    client = _gradio_client(server)
    _q, chat, sources = client.predict("Mục tiêu doanh thu bán lẻ hàng hóa và dịch vụ là bao nhiêu?", [], "Bắc Ninh", 2023, "vi", api_name="/chat")
    assert "85.800 tỷ đồng" in str(chat[-1]["content"])
    assert "Bắc Ninh · 2023" in sources
    # With no role word a dated question asks what was reached: the 2023 target is shown only as what is
    # there. (A new client: in the same session the question would follow up the target question.)
    _q, chat, _sources = _gradio_client(server).predict("Doanh thu bán lẻ hàng hóa và dịch vụ là bao nhiêu?", [], "Bắc Ninh", 2023, "vi", api_name="/chat")
    content = str(chat[-1]["content"])
    assert "hd-abstained" in content and "mục tiêu năm 2023: 85.800 tỷ đồng" in content


@pytest.mark.slow
def test_follow_up_with_history_answers_retail_revenue(server):
    first = _ask(server, VI_FDI)
    assert FDI_FIGURE in first["answer"]
    body = _ask(server, RETAIL_FOLLOWUP, history=[VI_FDI])
    assert "85.800 tỷ đồng" in body["answer"]
    assert body["citations"][0]["source"] == FDI_SOURCE
    assert "Bắc Ninh" in body["searched_question"] and "2023" in body["searched_question"]
    other = _ask(server, "And Cao Bằng?", history=[VI_FDI])
    assert other["scope"]["provinces"] == ["Cao Bằng"] and other["scope"]["years"] == [2023]


def test_a_batch_says_whether_everything_or_nothing_went_in(client, fake):
    ok = client.post("/api/ingest", files=[("files", ("a.txt", "Bắc Ninh 2023".encode(), "text/plain"))])
    assert ok.status_code == 200
    none = client.post("/api/ingest", files=[("files", ("b.exe", b"MZ", "application/octet-stream"))])
    assert none.status_code == 422 and none.json()["results"][0]["status"] == "failed"


def test_a_failed_ingest_leaves_nothing_on_disk(client, fake):
    response = client.post("/api/ingest", files=[("files", ("scan.txt", b"UNREADABLE", "text/plain"))])
    assert response.status_code == 422 and response.json()["results"][0]["reason"] == "no text could be extracted"
    uploads = fake.settings.data_dir / "uploads"
    assert not uploads.exists() or [p.name for p in uploads.iterdir()] == []


def test_a_different_file_under_a_stored_name_never_replaces_it_silently(client, fake):
    first = ("files", ("baocao.txt", "Bắc Ninh 2023: 42 tỷ đồng".encode(), "text/plain"))
    other = ("files", ("baocao.txt", "Cao Bằng 2023: 7 tỷ đồng".encode(), "text/plain"))
    client.post("/api/ingest", files=[first])
    kept = client.post("/api/ingest", files=[other]).json()["results"][0]
    assert kept["status"] == "ingested" and kept["source"] == "baocao (2).txt" and "baocao.txt" in kept["note"]
    assert fake.docs["baocao.txt"].startswith("Bắc Ninh") and fake.docs["baocao (2).txt"].startswith("Cao Bằng")
    newer = ("files", ("baocao.txt", "Bắc Ninh 2023: 43 tỷ đồng".encode(), "text/plain"))
    replaced = client.post("/api/ingest", params={"replace": "true"}, files=[newer]).json()["results"][0]
    assert replaced["status"] == "replaced" and replaced["source"] == "baocao.txt"
    assert "43 tỷ" in fake.docs["baocao.txt"]


@pytest.mark.slow
def test_bad_input_gets_a_message_and_the_server_keeps_serving(server):
    empty = httpx.post(f"{server.url}/api/ask", json={"question": ""}, timeout=60)
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    paste = httpx.post(f"{server.url}/api/ask", json={"question": "Bắc Ninh " * 2500}, timeout=60)
    assert paste.status_code == 400 and "2,000" in paste.json()["detail"]
    upload = httpx.post(f"{server.url}/api/ingest", files=[("files", ("photo.exe", b"MZ\x90\x00", "application/octet-stream"))], timeout=60)
    assert upload.json()["results"][0]["status"] == "failed"
    assert "unsupported file type" in upload.json()["results"][0]["reason"]
    client = _gradio_client(server)
    with pytest.raises(Exception, match="empty"):
        client.predict("", api_name="/ask")
    _q, chat, *_ = client.predict("x" * 20_000, [], "", 0, "vi", api_name="/chat")
    assert "2.000" in str(chat[-1]["content"])
    server.assert_alive()
    assert FDI_FIGURE in _ask(server, FDI_QUESTION)["answer"]


HA_GIANG = """BÁO CÁO
Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tỉnh Hà Giang năm 2024

I. KẾT QUẢ THỰC HIỆN NĂM 2024

1. Về phát triển kinh tế
Tổng sản phẩm trên địa bàn tỉnh (GRDP) năm 2024 ước tăng 6,12% so với năm 2023. Sản lượng chè búp tươi của tỉnh Hà Giang năm 2024 ước đạt 77.913 tấn. Tổng thu ngân sách nhà nước trên địa bàn ước đạt 3.457 tỷ đồng.

2. Về văn hóa - xã hội
Toàn tỉnh đón 3,1 triệu lượt khách du lịch, tăng 12% so với năm 2023.
"""

LAI_CHAU = """BÁO CÁO
Kết quả sản xuất nông nghiệp tỉnh Lai Châu năm 2024

I. KẾT QUẢ NĂM 2024
Diện tích cây mắc ca toàn tỉnh Lai Châu năm 2024 đạt 9.648 ha. Sản lượng lương thực có hạt ước đạt 219.500 tấn.
"""


@pytest.mark.slow
def test_uploaded_document_becomes_answerable(server, tmp_path):
    question = "Sản lượng chè búp tươi năm 2024 của Hà Giang là bao nhiêu?"
    before = _ask(server, question)
    assert before["abstained"] and "77.913" not in before["answer"]

    response = httpx.post(
        f"{server.url}/api/ingest", files=[("files", ("hà giang 2024.txt", HA_GIANG.encode(), "text/plain"))], timeout=300
    )
    (result,) = response.json()["results"]
    assert result["status"] == "ingested", result
    body = _ask(server, question)
    assert "77.913 tấn" in body["answer"]
    assert body["citations"][0]["source"] == "hà giang 2024.txt"
    again = httpx.post(f"{server.url}/api/ingest", files=[("files", ("hà giang 2024.txt", HA_GIANG.encode(), "text/plain"))], timeout=300)
    assert again.json()["results"][0]["status"] == "unchanged"

    # The page's upload path (Gradio upload, then the "ingest" event), as gradio_client drives it.
    from gradio_client import handle_file

    path = tmp_path / "lai_chau_2024.txt"
    path.write_text(LAI_CHAU, encoding="utf-8")
    results_table, documents_table, *_ = _gradio_client(server).predict([handle_file(str(path))], "vi", api_name="/ingest")
    assert float(results_table["data"][0][results_table["headers"].index("Giây")]) > 0  # the file's own time
    FILE_COLUMN = documents_table["headers"].index("Tệp")  # noqa: N806
    assert results_table["data"][0][:2] == ["lai_chau_2024.txt", "đã nạp"]
    assert "lai_chau_2024.txt" in [row[FILE_COLUMN] for row in documents_table["data"]]
    assert "9.648 ha" in _ask(server, "Diện tích cây mắc ca năm 2024 của Lai Châu?")["answer"]
    assert (server.data_dir / "uploads" / "lai_chau_2024.txt").is_file()

    note, documents_table, *_ = _gradio_client(server).predict("lai_chau_2024.txt", "vi", api_name="/delete")
    assert "lai_chau_2024.txt" in note
    assert "lai_chau_2024.txt" not in [row[FILE_COLUMN] for row in documents_table["data"]]
    assert _ask(server, "Diện tích cây mắc ca năm 2024 của Lai Châu?")["abstained"]


@pytest.mark.slow
def test_metrics_scraped_from_the_real_server_move_with_requests(server):
    """``/metrics`` of a running ``hoidap serve`` (prometheus_client): route counters, questions by
    outcome, the ingest queue's files by result and the embedder's work all move as requests come."""

    def scrape() -> dict:
        response = httpx.get(f"{server.url}/metrics", timeout=60)
        assert response.status_code == 200
        return _samples(response.text)

    def value(samples: dict, name: str, **labels) -> float:
        return samples.get((name, tuple(sorted(labels.items()))), 0.0)

    before = scrape()
    answered = _ask(server, FDI_QUESTION)
    abstained = _ask(server, "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?")
    assert not answered["abstained"] and abstained["abstained"]
    upload = httpx.post(f"{server.url}/api/ingest", files=[("files", ("metrics probe.txt", "Tỉnh Điện Biên năm 2024: "
                        "tổng sản phẩm trên địa bàn tăng 7,2%.".encode(), "text/plain"))], timeout=300)
    assert upload.json()["results"][0]["status"] == "ingested"
    after = scrape()
    route = {"route": "/api/ask", "method": "POST"}
    assert value(after, "hoidap_http_requests_total", **route, status="200") >= value(before, "hoidap_http_requests_total", **route, status="200") + 2
    assert value(after, "hoidap_http_request_seconds_count", **route) >= value(before, "hoidap_http_request_seconds_count", **route) + 2
    assert value(after, "hoidap_questions_total", outcome="answered") >= value(before, "hoidap_questions_total", outcome="answered") + 1
    assert value(after, "hoidap_questions_total", outcome="abstained") >= value(before, "hoidap_questions_total", outcome="abstained") + 1
    assert value(after, "hoidap_ingest_files_total", result="ingested") >= value(before, "hoidap_ingest_files_total", result="ingested") + 1
    assert value(after, "hoidap_embedder_texts_total") > value(before, "hoidap_embedder_texts_total")
    assert value(after, "hoidap_passages") > 0 and value(after, "hoidap_ingest_queue_depth") == 0
    status = httpx.get(f"{server.url}/api/ingest/status", timeout=60).json()
    assert any(j["source"] == "metrics probe.txt" and j["stage"] == "done" for j in status["jobs"])
    health = httpx.get(f"{server.url}/api/health", timeout=60).json()
    assert health["passages"] == value(after, "hoidap_passages") and health["embedder"].startswith("e5-onnx")
    httpx.delete(f"{server.url}/api/docs/metrics probe.txt", timeout=60)


# --- right figure or nothing, through the served API ---------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "follow_up"),
    [
        (VI_FDI, "Còn Cao Bằng?"),  # Cao Bằng's report states no FDI target
        ("Mục tiêu tổng thu ngân sách năm 2023 của Bắc Ninh?", "Còn Bắc Kạn?"),  # nor does Bắc Kạn's
        (VI_FDI, "And Bắc Kạn?"),
    ],
)
def test_follow_up_to_a_place_without_the_indicator_abstains(server, first, follow_up):
    assert not _ask(server, first)["abstained"]
    body = _ask(server, follow_up, history=[first])
    assert body["abstained"], body["answer"]
    assert not body["citations"]


@pytest.mark.slow
def test_follow_up_that_carries_the_indicator_answers_with_a_lead_line(server):
    body = _ask(server, "Còn mục tiêu kim ngạch xuất khẩu?", history=[VI_FDI])
    assert "50.870 triệu USD" in body["answer"] and not body["abstained"]
    assert body["lead"].startswith("Bắc Ninh · mục tiêu năm 2023")
    assert body["facts"][0]["indicator"] == "export" and body["facts"][0]["role"] == "target"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["What is the GRDP growth target for 2023?", "Tổng thu ngân sách 2022?", "Mục tiêu tỷ lệ đô thị hóa năm 2023 là bao nhiêu?"],
)
def test_a_question_naming_no_place_names_the_place_of_every_figure(server, question):
    body = _ask(server, question)
    if body["abstained"]:
        return
    assert body["facts"], "a figure shown without its fact"
    for fact in body["facts"]:
        assert fact["place"] and fact["place"] in body["answer"]
        assert fact["period"] == "year"  # a whole-year question never gets a part-year figure


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Chỉ số giá tiêu dùng (CPI) năm 2023 của Bắc Ninh tăng bao nhiêu?",
        "Tỷ lệ che phủ rừng của Cao Bằng 6 tháng đầu năm 2023?",
        "Bắc Kạn's tourist arrivals in Q1 2022",
        "Kim ngạch xuất khẩu cả năm 2023 của Cao Bằng đạt bao nhiêu?",  # only the first half is reported
        "Dự toán thu ngân sách năm 2022 của Bắc Ninh là bao nhiêu?",  # the report gives the result and its share
    ],
)
def test_place_and_year_present_but_indicator_or_period_absent_abstains(server, question):
    body = _ask(server, question)
    assert body["abstained"], body["answer"]


@pytest.mark.slow
def test_facts_api_filters_paginates_and_exports_csv(server):
    page = httpx.get(f"{server.url}/api/facts", params={"place": "Cao Bằng", "year": 2023, "limit": 5}, timeout=60).json()
    assert page["total"] > 5 and len(page["rows"]) == 5 and all(r["place"] == "Cao Bằng" for r in page["rows"])
    nxt = httpx.get(f"{server.url}/api/facts", params={"place": "Cao Bằng", "year": 2023, "limit": 5, "offset": 5}, timeout=60).json()
    assert {r["chunk_id"] + r["value"] for r in nxt["rows"]}.isdisjoint({r["chunk_id"] + r["value"] for r in page["rows"]})
    exported = httpx.get(f"{server.url}/api/facts.csv", params={"place": "Cao Bằng", "year": 2023}, timeout=60)
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.lstrip("\ufeff").count("\n") >= page["total"] + 1  # header + one line per figure (quoted lines may wrap)
    assert "962,543 tỷ đồng" in exported.text


@pytest.mark.slow
def test_trend_question_answers_with_a_cited_table_and_chart_data(server):
    body = _ask(server, "Mục tiêu thu ngân sách của Bắc Ninh các năm 2022-2023?")
    table = body["table"]
    assert table["kind"] == "trend" and not body["abstained"]
    stated = [r for r in table["rows"] if r["status"] == "stated"]
    assert [(r["year"], r["value"]) for r in stated] == [(2022, "30.567 tỷ đồng"), (2023, "31.630 tỷ đồng")]
    for row in stated:  # every cell cites the passage that holds its figure
        assert row["value"] in body["citations"][row["citation"] - 1]["text"]
    assert table["chart"]["type"] == "line" and [p["y"] for p in table["chart"]["data"]] == [30567.0, 31630.0]


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "Chỉ số giá tiêu dùng (CPI) của Bắc Ninh qua các năm 2021-2022?",  # place and years present, indicator absent
    "Kim ngạch xuất khẩu của Cao Bằng theo quý năm 2023?",  # only a half-year figure: no quarter is stated
])
def test_table_cells_not_stated_say_so_and_never_borrow_a_neighbour(server, question):
    body = _ask(server, question)
    assert body["table"] and body["abstained"]
    assert all(r["status"] == "missing" and r["text"] == "không có trong tài liệu" and not r["value"] for r in body["table"]["rows"])


@pytest.mark.slow
def test_facts_xlsx_holds_the_api_rows(server):
    from openpyxl import load_workbook

    params = {"place": "Bắc Ninh", "year": 2023}
    listed = httpx.get(f"{server.url}/api/facts", params={**params, "limit": 1000}, timeout=60).json()
    workbook = httpx.get(f"{server.url}/api/facts.xlsx", params=params, timeout=60)
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    header = list(values[0])
    assert [(r[header.index("chunk_id")], r[header.index("value")]) for r in values[1:]] == [
        (r["chunk_id"], r["value"]) for r in listed["rows"]]
def test_workers_over_an_embedded_store_refuse_writes_with_the_fix(fake):
    """``serve --workers 2`` over an embedded store: reads as usual, uploads and deletions refused
    with a message that names the fix (``app.web.server._read_only_reason``)."""
    from hoidap.app.web.server import _read_only_reason

    reason = _read_only_reason(fake.settings.with_(workers=2))
    assert "HOIDAP_CHROMA_HOST" in reason and "one worker" in reason
    assert _read_only_reason(fake.settings.with_(workers=2, chroma_host="127.0.0.1")) == ""  # a Chroma server: all write
    client = TestClient(create_app(fake, read_only_reason=reason), raise_server_exceptions=False)
    upload = client.post("/api/ingest", files=[("files", ("c.txt", "Bắc Ninh 2023".encode(), "text/plain"))])
    assert upload.status_code == 422 and upload.json()["results"][0]["reason"] == reason
    assert "c.txt" not in fake.docs
    assert client.delete("/api/docs/bn.txt").status_code == 409 and "bn.txt" in fake.docs
    assert client.post("/api/ask", json={"question": FDI_QUESTION}).status_code == 200
    assert client.get("/api/health").json()["read_only"] is True
