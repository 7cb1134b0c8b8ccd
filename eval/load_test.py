"""Load test: concurrent clients ask through the HTTP API while documents are being ingested.

``python -m hoidap.eval.load_test [--clients 20] [--duration 120]`` starts a real ``hoidap serve`` on an empty
data dir (it ingests the sample corpus on start), without ``--host`` (the default bind is checked:
127.0.0.1) and with a login (``HOIDAP_AUTH``: a request without it must get 401). Then, for the
duration:

- ``--clients`` threads each ask the dev questions (``data/eval/dev_qa.jsonl``, gold source per
  question) through ``POST /api/ask``, round-robin from different offsets;
- one writer thread uploads documents through ``POST /api/ingest`` without pause: look-alike
  reports of *other* provinces (the same report with the province and figures changed: what a wrong
  answer would cite), and new versions of the gold documents themselves (a line appended), so gold
  documents are replaced while they are being asked about.

Every answer is checked: an HTTP error or timeout is an error; a citation from a document other than
the question's gold source is a wrong-document answer (for a question with no answer in the corpus,
any non-abstaining answer is); an answer that differs from the same question's answer before the
load started is counted as changed. Latency p50/p95/max are reported. ``--json`` writes the figures;
``--markdown`` writes the table docs/reliability.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from hoidap.app.config import PROJECT_ROOT, SAMPLE_CORPUS

DEV_QA = PROJECT_ROOT / "data" / "eval" / "dev_qa.jsonl"
AUTH = ("taiki", "mat-khau-thu")
# Provinces the look-alike uploads are about: none is in the sample corpus.
OTHER_PROVINCES = ["Hải Dương", "Hưng Yên", "Vĩnh Phúc", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Hà Nam", "Nam Định"]
SAMPLE_PROVINCES = ["Bắc Ninh", "Cao Bằng", "Bắc Kạn"]
REQUEST_TIMEOUT_S = 300


@dataclass
class Question:
    id: str
    text: str
    source: str | None  # gold document; None = no answer in the corpus
    answers: list[str]


@dataclass
class Outcome:
    question: str
    seconds: float
    status: str  # "ok", "error"
    detail: str = ""
    cited: list[str] = field(default_factory=list)
    abstained: bool = False
    answer: str = ""


def load_questions(path: Path = DEV_QA) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(r["id"], r["question"], r.get("source"), r.get("answers") or []) for r in rows]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses a socket listens on for ``port`` (from /proc/net/tcp and tcp6; Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, port_hex = local.partition(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add("::" if set(address) == {"0"} else address)
    return found


# --------------------------------------------------------------------------- the server


class Server:
    """``hoidap serve`` in its own process group, on a free port, bound by default (no --host)."""

    def __init__(self, data_dir: Path, log_path: Path, auth: tuple[str, str] | None, extra_env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_")}
        env.update(HOIDAP_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", **(extra_env or {}))
        if auth:
            env["HOIDAP_AUTH"] = f"{auth[0]}:{auth[1]}"
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hoidap.app.cli", "serve", "--port", str(self.port)],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def wait_ready(self, auth: tuple[str, str] | None, timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hoidap serve exited:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/api/health", auth=auth, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(2)
        raise RuntimeError(f"hoidap serve not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


# --------------------------------------------------------------------------- clients


def ask(client: httpx.Client, url: str, question: Question) -> Outcome:
    started = time.perf_counter()
    try:
        response = client.post(f"{url}/api/ask", json={"question": question.text}, timeout=REQUEST_TIMEOUT_S)
    except httpx.HTTPError as exc:
        return Outcome(question.id, time.perf_counter() - started, "error", f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        return Outcome(question.id, seconds, "error", f"HTTP {response.status_code}: {response.text[:200]}")
    body = response.json()
    return Outcome(
        question.id, seconds, "ok", cited=[c["source"] for c in body.get("citations") or []],
        abstained=bool(body.get("abstained")), answer=body.get("answer") or "",
    )


def wrong_document(question: Question, outcome: Outcome) -> bool:
    if outcome.status != "ok":
        return False
    if question.source is None:
        return not outcome.abstained
    return any(source != question.source for source in outcome.cited)


def _lookalike(text: str, province: str, version: int) -> str:
    """The report re-told for another province, every figure changed: what a wrong answer would cite."""
    for sample in SAMPLE_PROVINCES:
        text = text.replace(sample, province)
    rng = random.Random(f"{province}-{version}")
    return re.sub(r"\d", lambda m: str((int(m.group(0)) + rng.randint(1, 9)) % 10), text)


class Writer(threading.Thread):
    """Uploads documents without pause until stopped; records each upload's result."""

    def __init__(self, url: str, auth: tuple[str, str] | None, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.auth, self.stop_event = url, auth, stop
        self.results: list[dict] = []
        self.errors: list[str] = []
        self.samples = sorted(p for p in SAMPLE_CORPUS.glob("*.txt"))

    def uploads(self):
        version = 0
        while True:
            version += 1
            for index, province in enumerate(OTHER_PROVINCES):
                sample = self.samples[index % len(self.samples)]
                name = f"gia_lap_{index:02d}.txt"  # same names each round: later rounds replace documents
                yield name, _lookalike(sample.read_text(encoding="utf-8"), province, version)
                gold = self.samples[(version + index) % len(self.samples)]
                yield gold.name, gold.read_text(encoding="utf-8") + f"\nCập nhật lần {version}.{index}.\n"

    def run(self) -> None:
        with httpx.Client(auth=self.auth) as client:
            for name, text in self.uploads():
                if self.stop_event.is_set():
                    return
                try:
                    response = client.post(  # a new version of a stored document replaces it: asked for
                        f"{self.url}/api/ingest", params={"replace": "true"}, files=[("files", (name, text.encode(), "text/plain"))],
                        timeout=REQUEST_TIMEOUT_S,
                    )
                    if response.status_code not in (200, 422):  # 422: the one file was refused (its result says why)
                        response.raise_for_status()
                    (result,) = response.json()["results"]
                    self.results.append(result)
                    if result["status"] == "failed":
                        self.errors.append(f"{name}: {result['reason']}")
                except httpx.HTTPError as exc:
                    self.errors.append(f"{name}: {type(exc).__name__}: {exc}")


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(url: str, questions: list[Question], clients: int, duration: float, auth: tuple[str, str] | None) -> dict:
    by_id = {q.id: q for q in questions}
    with httpx.Client(auth=auth) as client:  # before the load: each question's answer, unloaded
        baseline = {q.id: ask(client, url, q) for q in questions}
    baseline_errors = [o for o in baseline.values() if o.status != "ok"]

    stop = threading.Event()
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        with httpx.Client(auth=auth) as client:
            i = offset
            while not stop.is_set():
                outcome = ask(client, url, questions[i % len(questions)])
                with lock:
                    outcomes.append(outcome)
                i += 1

    writer = Writer(url, auth, stop)
    threads = [threading.Thread(target=worker, args=(n * 7,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    writer.start()
    for thread in threads:
        thread.start()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT_S)
    writer.join(REQUEST_TIMEOUT_S)
    elapsed = time.perf_counter() - started

    latencies = [o.seconds for o in outcomes if o.status == "ok"]
    errors = [o for o in outcomes if o.status != "ok"]
    wrong = [o for o in outcomes if wrong_document(by_id[o.question], o)]
    changed = [
        o for o in outcomes
        if o.status == "ok" and baseline[o.question].status == "ok"
        and (o.cited[:1], o.abstained, o.answer) != (baseline[o.question].cited[:1], baseline[o.question].abstained, baseline[o.question].answer)
    ]
    baseline_wrong = [q for q in questions if wrong_document(q, baseline[q.id])]
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "questions": len(questions),
        "requests": len(outcomes),
        "requests_per_s": round(len(outcomes) / elapsed, 2) if elapsed else 0.0,
        "errors": len(errors),
        "error_examples": sorted({o.detail for o in errors})[:5],
        "wrong_document": len(wrong),
        "wrong_document_examples": sorted({f"{o.question}: cited {o.cited}" for o in wrong})[:5],
        "baseline_errors": len(baseline_errors),
        "baseline_wrong_document": [q.id for q in baseline_wrong],
        "changed_from_baseline": len(changed),
        "changed_examples": sorted({o.question for o in changed})[:5],
        "abstained": sum(o.abstained for o in outcomes if o.status == "ok"),
        "unloaded_latency_s": {  # the same questions one at a time, before the load and the uploads
            "p50": round(_percentile([o.seconds for o in baseline.values()], 0.50), 3),
            "max": round(max((o.seconds for o in baseline.values()), default=0.0), 3),
        },
        "latency_s": {
            "p50": round(_percentile(latencies, 0.50), 3),
            "p95": round(_percentile(latencies, 0.95), 3),
            "max": round(max(latencies, default=0.0), 3),
            "mean": round(statistics.fmean(latencies), 3) if latencies else 0.0,
        },
        "uploads": len(writer.results),
        "uploads_ingested": sum(r["status"] in ("ingested", "replaced") for r in writer.results),
        "uploads_unchanged": sum(r["status"] == "unchanged" for r in writer.results),
        "upload_errors": len(writer.errors),
        "upload_error_examples": writer.errors[:5],
    }


def markdown(figures: dict) -> str:
    latency = figures["latency_s"]
    rows = [
        ("concurrent clients", figures["clients"]),
        ("duration", f"{figures['duration_s']} s"),
        ("questions (dev set, gold source each)", figures["questions"]),
        ("requests served", f"{figures['requests']} ({figures['requests_per_s']}/s)"),
        ("errors (HTTP error, timeout)", figures["errors"]),
        ("answers citing a wrong document", figures["wrong_document"]),
        ("answers different from the unloaded answer", figures["changed_from_baseline"]),
        ("latency p50 / p95 / max", f"{latency['p50']} s / {latency['p95']} s / {latency['max']} s"),
        ("latency one client, no ingest (p50 / max)",
         f"{figures.get('unloaded_latency_s', {}).get('p50', '?')} s / {figures.get('unloaded_latency_s', {}).get('max', '?')} s"),
        ("uploads during the run (ingested / unchanged / failed)",
         f"{figures['uploads']} ({figures['uploads_ingested']} / {figures['uploads_unchanged']} / {figures['upload_errors']})"),
        ("server bound to", ", ".join(figures.get("bound_to", [])) or "?"),
        ("request without login", figures.get("unauthenticated_status", "?")),
    ]
    return "\n".join(["| measure | value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.load_test", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load (default 120)")
    parser.add_argument("--data-dir", help="server data dir (default: a fresh temporary one)")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--markdown", help="write the figures as a Markdown table here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hoidap-load-") as tmp:
        data_dir = Path(args.data_dir) if args.data_dir else Path(tmp) / "data"
        server = Server(data_dir, Path(tmp) / "serve.log", AUTH)
        try:
            print(f"starting hoidap serve on port {server.port} (ingests the sample corpus)…", file=sys.stderr)
            server.wait_ready(AUTH)
            bound = sorted(listening_addresses(server.port))
            unauthenticated = httpx.post(f"{server.url}/api/ask", json={"question": "x"}, timeout=60).status_code
            print(f"running {args.clients} clients for {args.duration:.0f}s…", file=sys.stderr)
            figures = run_load(server.url, load_questions(), args.clients, args.duration, AUTH)
            figures["bound_to"] = bound
            figures["unauthenticated_status"] = unauthenticated
            figures["server_alive"] = server.process.poll() is None
            log = server.log_tail(10**9)
            figures["tracebacks_in_server_log"] = log.count("Traceback")
        finally:
            server.stop()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(markdown(figures), encoding="utf-8")
    ok = (
        figures["errors"] == 0 and figures["wrong_document"] == 0 and figures["upload_errors"] == 0
        and figures["bound_to"] == ["127.0.0.1"] and figures["unauthenticated_status"] == 401 and figures["server_alive"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
