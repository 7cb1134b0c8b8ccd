"""Resident memory of ``hoidap serve --workers N`` over a store, every process of it.

``python -m hoidap.eval.serve_memory --data-dir COPY_OF_A_STORE [--workers 2] [--questions 20]``

Starts the server (it writes its serve mark and, over an unchanged store, nothing else; use a copy
of a store you must not touch), asks ``--questions`` questions through ``POST /api/ask`` so every
worker has loaded its index and answered, then reads VmRSS and VmHWM of every process in the
server's process group from /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from hoidap.eval.load_test import Server
from hoidap.eval.serve_bench import _questions


def _status(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.serve_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    # The store's own data dir; HOIDAP_ settings of the caller are dropped by Server, but not the models.
    extra = {"HOIDAP_WORKERS": str(args.workers)}
    if os.environ.get("HOIDAP_MODELS_DIR"):
        extra["HOIDAP_MODELS_DIR"] = os.environ["HOIDAP_MODELS_DIR"]
    log = Path(tempfile.mkstemp(prefix="hoidap-serve-memory-", suffix=".log")[1])
    server = Server(Path(args.data_dir), log, None, extra)
    started = time.perf_counter()
    try:
        server.wait_ready(None)
        questions = _questions()
        with httpx.Client() as http:
            for n in range(args.questions):
                http.post(f"{server.url}/api/ask", json={"question": questions[n * 7 % len(questions)].text}, timeout=300)
        ready = time.perf_counter() - started
        group = subprocess.run(["pgrep", "-g", str(server.process.pid)], capture_output=True, text=True).stdout.split()
        processes = []
        for pid in map(int, group):
            try:
                processes.append({"pid": pid, **_status(pid),
                                  "command": Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:100]})
            except OSError:
                continue
        health = httpx.get(f"{server.url}/api/health", timeout=30).json()
    finally:
        server.stop()
    figures = {"workers": args.workers, "passages": health.get("passages"), "embedder": health.get("embedder"),
               "ready_and_answered_s": round(ready, 1), "processes": processes,
               "total_rss_mb": sum(p.get("VmRSS", 0) for p in processes)}
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
