"""Concurrency benchmark of a real ``hoidap serve``: questions in parallel, and while documents go in.

``python -m hoidap.eval.serve_bench [--seconds 20] [--rounds 2] [--docs 40] [--workers 2] [--scanned N] [--json F]``

Starts ``hoidap serve`` on a fresh data dir (it ingests the sample corpus), with the question-vector
cache off (``HOIDAP_QUERY_CACHE=0``: every question is embedded, as distinct questions are), and asks
the sample questions (``data/eval/samples_answerable.jsonl`` and ``samples_absent.jsonl``: Vietnamese
and English, with and without an answer) through ``POST /api/ask``. Side by side in one run:

1. **throughput**: 1 client, then 10 clients, each asking back to back for ``--seconds``; ``--rounds``
   alternations (1, 10, 1, 10, ...), so a disturbance of the shared machine hits both. Reported:
   questions/s of each and their ratio, p50/p95.
2. **ingest beside questions**: ``--docs`` look-alike reports (the sample reports re-told for provinces
   the questions are not about, every figure changed) uploaded in one ``POST /api/ingest``, first with
   no question asked (the ingest's idle speed), then another ``--docs`` while 10 clients each ask a
   question every 2 s. Reported: question p50/p95 during the ingest against the idle single-client
   p95 of step 1, errors, wrong-document answers (a citation of a source that is neither the
   question's gold source nor cited for it before any upload), and the ingest's speed against idle.
3. with ``--workers N``: step 1 again on a server with N worker processes over the same store.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from hoidap.app.config import PROJECT_ROOT, SAMPLE_CORPUS
from hoidap.eval.load_test import (
    AUTH,
    OTHER_PROVINCES,
    Outcome,
    Question,
    Server,
    _lookalike,
    _percentile,
    ask,
    load_questions,
)

QUESTION_FILES = [PROJECT_ROOT / "data" / "eval" / "samples_answerable.jsonl", PROJECT_ROOT / "data" / "eval" / "samples_absent.jsonl"]
PACE_S = 2.0  # a paced client asks one question every PACE_S seconds


def _questions() -> list[Question]:
    return [q for path in QUESTION_FILES for q in load_questions(path)]


def _latency(outcomes: list[Outcome]) -> dict:
    seconds = [o.seconds for o in outcomes if o.status == "ok"]
    return {
        "p50_ms": round(_percentile(seconds, 0.50) * 1000, 1),
        "p95_ms": round(_percentile(seconds, 0.95) * 1000, 1),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 1) if seconds else 0.0,
    }


def closed_loop(url: str, questions: list[Question], clients: int, seconds: float) -> dict:
    """``clients`` threads asking back to back from different offsets for ``seconds``."""
    stop = threading.Event()
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        with httpx.Client(auth=AUTH) as http:
            i = offset
            while not stop.is_set():
                outcome = ask(http, url, questions[i % len(questions)])
                with lock:
                    if not stop.is_set():
                        outcomes.append(outcome)
                i += 1

    threads = [threading.Thread(target=client, args=(n * len(questions) // clients,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join(120)
    return {"clients": clients, "questions": len(outcomes), "per_s": round(len(outcomes) / elapsed, 2),
            "seconds": [o.seconds for o in outcomes if o.status == "ok"],
            "load_average": round(os.getloadavg()[0], 1),
            "errors": sum(o.status != "ok" for o in outcomes), **_latency(outcomes)}


def throughput(url: str, questions: list[Question], seconds: float, rounds: int) -> dict:
    runs = {1: [], 10: []}
    for _ in range(rounds):
        for clients in (1, 10):
            runs[clients].append(closed_loop(url, questions, clients, seconds))
            print(f"  {clients:2d} clients: { {k: v for k, v in runs[clients][-1].items() if k != 'seconds'} }", file=sys.stderr)
    one, ten = (sum(r["per_s"] for r in runs[c]) / rounds for c in (1, 10))
    pooled = _percentile([s for r in runs[1] for s in r["seconds"]], 0.95)
    for run in runs[1] + runs[10]:
        del run["seconds"]
    return {
        "one_client": runs[1], "ten_clients": runs[10],
        "one_client_per_s": round(one, 2), "ten_clients_per_s": round(ten, 2),
        "ratio": round(ten / one, 2) if one else 0.0,
        # every single-client question of the rounds together (one disturbed round does not decide it)
        "one_client_p95_ms": round(pooled * 1000, 1),
        "errors": sum(r["errors"] for c in runs for r in runs[c]),
    }


def _documents(count: int, version: int) -> list[tuple[str, bytes]]:
    samples = sorted(SAMPLE_CORPUS.glob("*.txt"))
    documents = []
    for n in range(count):
        province = OTHER_PROVINCES[n % len(OTHER_PROVINCES)]
        sample = samples[n % len(samples)]
        # The sample's city (Từ Sơn, in Bắc Ninh) is renamed too: a look-alike must not be about it.
        text = _lookalike(sample.read_text(encoding="utf-8").replace("Từ Sơn", "Chí Linh"), province, version * 1000 + n)
        documents.append((f"gia_lap_v{version}_{n:03d}.txt", text.encode()))
    return documents


def _scanned_documents(count: int, version: int) -> list[tuple[str, bytes]]:
    """``count`` one-page scans (skew, blur, noise, a stamp: ``eval.official_corpus``) of generated
    report pages for provinces the questions are not about: every page goes through OCR."""
    import random
    import subprocess

    from hoidap.eval.official_corpus import make_report, scan_pdf, write_pdf

    documents = []
    with tempfile.TemporaryDirectory(prefix="hoidap-scans-") as tmp:
        folder = Path(tmp)
        for n in range(count):
            province = OTHER_PROVINCES[n % len(OTHER_PROVINCES)]
            report = make_report(province, "flat", random.Random(version * 1000 + n))
            write_pdf(report, folder / "r.pdf")
            subprocess.run(["pdfseparate", "-f", "1", "-l", "1", str(folder / "r.pdf"), str(folder / "p.pdf")], check=True)
            scan_pdf(folder / "p.pdf", folder / "s.pdf", random.Random(n))
            documents.append((f"quet_v{version}_{n:03d}.pdf", (folder / "s.pdf").read_bytes()))
    return documents


def upload(url: str, documents: list[tuple[str, bytes]]) -> dict:
    started = time.perf_counter()
    kind = lambda name: "application/pdf" if name.endswith(".pdf") else "text/plain"  # noqa: E731
    response = httpx.post(f"{url}/api/ingest", auth=AUTH, files=[("files", (n, d, kind(n))) for n, d in documents], timeout=3600)
    elapsed = time.perf_counter() - started
    results = response.json().get("results", [])
    return {"documents": len(documents), "seconds": round(elapsed, 2), "per_s": round(len(documents) / elapsed, 3),
            "load_average": round(os.getloadavg()[0], 1),
            "status": response.status_code, "ingested": sum(r["status"] == "ingested" for r in results),
            "failed": [r for r in results if r["status"] == "failed"][:3]}


def ingest_beside_questions(url: str, questions: list[Question], docs: int, baseline: dict[str, Outcome], scanned: bool = False) -> dict:
    """``scanned``: the documents are scanned PDFs (OCR'd page by page) instead of text reports."""
    make = _scanned_documents if scanned else _documents
    idle = upload(url, make(docs, 1))
    print(f"  ingest, idle: {idle}", file=sys.stderr)
    stop = threading.Event()
    outcomes: list[tuple[Question, Outcome]] = []
    lock = threading.Lock()

    def paced(offset: int) -> None:
        next_at = time.perf_counter() + offset * PACE_S / 10
        i = offset * 13
        with httpx.Client(auth=AUTH) as http:
            while not stop.is_set():
                time.sleep(max(0.0, next_at - time.perf_counter()))
                if stop.is_set():
                    return
                question = questions[i % len(questions)]
                outcome = ask(http, url, question)
                with lock:
                    outcomes.append((question, outcome))
                i += 1
                next_at += PACE_S

    threads = [threading.Thread(target=paced, args=(n,), daemon=True) for n in range(10)]
    for thread in threads:
        thread.start()
    time.sleep(PACE_S)  # the clients are at their pace before the upload starts
    loaded = upload(url, make(docs, 2))
    stop.set()
    for thread in threads:
        thread.join(120)
    print(f"  ingest, 10 paced clients: {loaded}", file=sys.stderr)

    def wrong(question: Question, outcome: Outcome) -> bool:
        if outcome.status != "ok":
            return False
        allowed = {question.source} | set(baseline[question.id].cited)
        return any(source not in allowed for source in outcome.cited)

    during = [o for _, o in outcomes]
    return {
        "idle_ingest": idle, "loaded_ingest": loaded,
        "ingest_speed_vs_idle": round(loaded["per_s"] / idle["per_s"], 2) if idle["per_s"] else 0.0,
        "questions": len(during), "errors": sum(o.status != "ok" for o in during),
        "wrong_document": sum(wrong(q, o) for q, o in outcomes),
        "wrong_examples": sorted({f"{q.id}: {o.cited}" for q, o in outcomes if wrong(q, o)})[:5],
        **_latency(during),
    }


def run_server(data_dir: Path, log: Path, workers: int, env: dict) -> Server:
    server = Server(data_dir, log, AUTH, {**env, "HOIDAP_WORKERS": str(workers)})
    server.wait_ready(AUTH)
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.serve_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per throughput run (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of 1 and 10 clients (default 2)")
    parser.add_argument("--docs", type=int, default=40, help="documents per ingest (default 40)")
    parser.add_argument("--workers", type=int, default=0, help="also measure throughput with this many workers")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--scanned", type=int, default=0, metavar="N",
                        help="also ingest N scanned one-page PDFs (OCR) beside paced questions")
    parser.add_argument("--skip-throughput", action="store_true", help="only the ingest steps")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    # The server sees only the HOIDAP_ settings given here (eval.load_test.Server drops the caller's).
    env = {k: v for k, v in os.environ.items() if k in ("HOIDAP_EMBEDDER", "HOIDAP_MODELS_DIR")}
    env["HOIDAP_QUERY_CACHE"] = "0"
    questions = _questions()
    figures: dict = {"questions": len(questions), "embedder": env.get("HOIDAP_EMBEDDER", "default")}
    with tempfile.TemporaryDirectory(prefix="hoidap-serve-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        server = run_server(data_dir, Path(tmp) / "serve.log", 1, env)
        try:
            with httpx.Client(auth=AUTH) as http:
                baseline = {q.id: ask(http, server.url, q) for q in questions}
            figures["baseline_errors"] = sum(o.status != "ok" for o in baseline.values())
            print("throughput, 1 worker:", file=sys.stderr)
            figures["one_worker"] = throughput(server.url, questions, args.seconds, 1 if args.skip_throughput else args.rounds)
            if args.scanned:
                print("OCR of scanned PDFs beside questions:", file=sys.stderr)
                figures["scanned"] = ingest_beside_questions(server.url, questions, args.scanned, baseline, scanned=True)
                figures["scanned"]["p95_vs_idle_single_client"] = round(
                    figures["scanned"]["p95_ms"] / figures["one_worker"]["one_client_p95_ms"], 2)
            if not args.skip_ingest:
                print("ingest beside questions:", file=sys.stderr)
                figures["ingest"] = ingest_beside_questions(server.url, questions, args.docs, baseline)
                figures["ingest"]["p95_vs_idle_single_client"] = round(
                    figures["ingest"]["p95_ms"] / figures["one_worker"]["one_client_p95_ms"], 2)
            figures["tracebacks_in_server_log"] = server.log_tail(10**9).count("Traceback")
        finally:
            server.stop()
        if args.workers > 1:
            server = run_server(data_dir, Path(tmp) / "serve-workers.log", args.workers, env)
            try:
                print(f"throughput, {args.workers} workers:", file=sys.stderr)
                figures[f"{args.workers}_workers"] = throughput(server.url, questions, args.seconds, args.rounds)
            finally:
                server.stop()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
