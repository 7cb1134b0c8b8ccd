"""Scale-out: two ``hoidap serve`` processes on one Chroma server (``chroma run``) share the corpus.

A document ingested through one server is answerable through the other, and gone from it once
removed through the first: nothing but the Chroma server is shared (separate data dirs), so the
second server's lexical index must follow the server's data, not a local file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hoidap.eval.bench import NEW_DOCUMENT, NEW_QUESTION

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = float(os.environ.get("HOIDAP_TEST_STARTUP_TIMEOUT", "900"))

# The same new document the benchmark adds to a large store: a province no sample is about.
DIEN_BIEN, QUESTION = NEW_DOCUMENT, NEW_QUESTION
SOURCE = "dien_bien_2024.txt"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"{url}: the process exited with code {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} not ready after {STARTUP_TIMEOUT_S:.0f}s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: this process and its children only
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A ``chroma run`` on loopback and two ``hoidap serve`` on it; yields (url A, url B)."""
    chroma = Path(sys.executable).with_name("chroma")
    assert chroma.exists(), f"the chroma command is missing next to {sys.executable} (chromadb installs it)"
    root = tmp_path_factory.mktemp("scale-out")
    processes: list[subprocess.Popen] = []
    try:
        chroma_port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_")}
        env.update(ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
        command = [str(chroma), "run", "--host", "127.0.0.1", "--port", str(chroma_port), "--path", str(root / "chroma")]
        processes.append(_start(command, root / "chroma.log", env))
        _wait(processes[-1], f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", root / "chroma.log")

        urls = []
        for name in ("a", "b"):  # one after the other: A ingests the samples into the empty server
            port = _free_port()
            serve_env = {**env, "HOIDAP_CHROMA_HOST": "127.0.0.1", "HOIDAP_CHROMA_PORT": str(chroma_port),
                         "HOIDAP_DATA_DIR": str(root / f"data-{name}")}
            command = [sys.executable, "-m", "hoidap.app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
            processes.append(_start(command, root / f"serve-{name}.log", serve_env))
            urls.append(f"http://127.0.0.1:{port}")
            _wait(processes[-1], f"{urls[-1]}/api/health", root / f"serve-{name}.log")
        assert not (root / "data-a" / "chroma").exists(), "serve A used an embedded store, not the server"
        yield urls[0], urls[1]
    finally:
        for process in reversed(processes):
            _stop(process)


def _ask(url: str, question: str) -> dict:
    response = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def _documents(url: str) -> list[str]:
    return [d["source"] for d in httpx.get(f"{url}/api/docs", timeout=60).json()["documents"]]


@pytest.mark.slow
def test_a_document_ingested_through_one_server_is_answered_by_the_other(cluster):
    a, b = cluster
    assert httpx.get(f"{b}/api/health", timeout=10).json()["passages"] > 0  # B sees A's sample ingest
    before = _ask(b, QUESTION)
    assert "6.482" not in before["answer"] and SOURCE not in [c["source"] for c in before["citations"]]

    response = httpx.post(f"{a}/api/ingest", files=[("files", (SOURCE, DIEN_BIEN.encode(), "text/plain"))], timeout=300)
    (result,) = response.json()["results"]
    assert result["status"] == "ingested", result

    body = _ask(b, QUESTION)
    assert "6.482 tấn" in body["answer"]
    assert body["citations"][0]["source"] == SOURCE
    assert SOURCE in _documents(b)

    # Replaced through A (a new figure, replacing asked for): B answers from the new version only.
    updated = DIEN_BIEN.replace("6.482 tấn", "6.917 tấn")
    response = httpx.post(f"{a}/api/ingest", params={"replace": "true"}, files=[("files", (SOURCE, updated.encode(), "text/plain"))], timeout=300)
    assert response.json()["results"][0]["status"] == "replaced"
    body = _ask(b, QUESTION)
    assert "6.917 tấn" in body["answer"] and "6.482" not in body["answer"]

    # Removed through A: B no longer answers from it.
    assert httpx.delete(f"{a}/api/docs/{SOURCE}", timeout=60).status_code == 200
    after = _ask(b, QUESTION)
    assert SOURCE not in [c["source"] for c in after["citations"]] and "6.917" not in after["answer"]
    assert SOURCE not in _documents(b)
