"""Measure incremental ingest: the sample corpus into a fresh store, then the same files again.

Re-ingesting unchanged files must change nothing and cost a small fraction of the first ingest
(only hashes are compared). ``python -m hoidap.eval.reingest [--data-dir DIR]`` prints both times and
the ratio, and fails if anything was re-ingested.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from hoidap.app.config import SAMPLE_CORPUS, load_settings
from hoidap.app.service import build_service


def measure(corpus: Path, data_dir: Path) -> dict:
    shutil.rmtree(data_dir, ignore_errors=True)
    service = build_service(load_settings(data_dir=data_dir))
    started = time.perf_counter()
    first = service.indexer.ingest([corpus])
    first_seconds = time.perf_counter() - started
    chunks_before = service.store.count()
    started = time.perf_counter()
    second = service.indexer.ingest([corpus])
    second_seconds = time.perf_counter() - started
    return {
        "files": len(first),
        "first_ingested": sum(r.status == "ingested" for r in first),
        "second_unchanged": sum(r.status == "unchanged" for r in second),
        "chunks": chunks_before,
        "chunks_after_second": service.store.count(),
        "first_seconds": round(first_seconds, 2),
        "second_seconds": round(second_seconds, 3),
        "ratio": round(second_seconds / first_seconds, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(SAMPLE_CORPUS))
    parser.add_argument("--data-dir", help="scratch data dir (default: a temporary folder)")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="hoidap-reingest-"))
    figures = measure(Path(args.corpus), data_dir)
    for key, value in figures.items():
        print(f"{key:22s} {value}")
    ok = figures["second_unchanged"] == figures["files"] and figures["chunks"] == figures["chunks_after_second"]
    print("re-ingest changed nothing" if ok else "re-ingest CHANGED the store", file=sys.stderr)
    return 0 if ok and figures["ratio"] < 0.10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
