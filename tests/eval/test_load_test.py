"""The load script: its checks (fast) and a short real run of it (slow): 20 clients, ingest going on."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT, cli_env

from hoidap.eval.load_test import (
    Outcome,
    Question,
    listening_addresses,
    load_questions,
    markdown,
    wrong_document,
)

GOLD = Question("q", "Bắc Ninh 2023 FDI?", "000_cb6758b6e1e73ad5.txt", ["1.200 triệu USD"])
NO_ANSWER = Question("n", "GRDP Lạng Sơn 2023?", None, [])


def test_a_citation_from_another_document_is_a_wrong_document_answer():
    assert not wrong_document(GOLD, Outcome("q", 0.1, "ok", cited=["000_cb6758b6e1e73ad5.txt"]))
    assert wrong_document(GOLD, Outcome("q", 0.1, "ok", cited=["000_cb6758b6e1e73ad5.txt", "gia_lap_01.txt"]))
    assert not wrong_document(GOLD, Outcome("q", 0.1, "ok", abstained=True))
    assert not wrong_document(GOLD, Outcome("q", 0.1, "error", cited=["other.txt"]))  # counted as an error


def test_an_answer_to_an_unanswerable_question_is_wrong():
    assert not wrong_document(NO_ANSWER, Outcome("n", 0.1, "ok", abstained=True))
    assert wrong_document(NO_ANSWER, Outcome("n", 0.1, "ok", abstained=False, cited=["x.txt"]))


def test_dev_questions_have_gold_sources():
    questions = load_questions()
    assert len(questions) >= 10 and sum(q.source is not None for q in questions) >= 10


def test_listening_address_is_read_from_the_kernel():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert listening_addresses(port) == {"127.0.0.1"}
    assert listening_addresses(port) == set()


@pytest.mark.slow
def test_short_load_run_has_no_errors_and_no_wrong_document(tmp_path):
    out = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, "-m", "hoidap.eval.load_test", "--clients", "20", "--duration", "20", "--json", str(out),
         "--markdown", str(tmp_path / "load.md")],
        capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=cli_env(), timeout=1800,
    )
    assert out.exists(), result.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert result.returncode == 0, json.dumps(figures, ensure_ascii=False, indent=2)
    assert figures["errors"] == 0 and figures["wrong_document"] == 0 and figures["upload_errors"] == 0
    assert figures["requests"] >= 20 and figures["uploads_ingested"] >= 1
    assert figures["bound_to"] == ["127.0.0.1"] and figures["unauthenticated_status"] == 401
    assert figures["tracebacks_in_server_log"] == 0
    assert "latency p50 / p95 / max" in markdown(figures)
