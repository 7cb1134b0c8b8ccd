"""How long the figures browser takes on a large store: the table's first build, then filtered queries.

``python -m hoidap.eval.facts_bench --store DATA_DIR [--json FILE]`` opens the store the way ``hoidap serve``
does, builds the facts table once (every chunk's facts, made again from its text when the store holds
another extractor version), then times filtered queries like the ones ``GET /api/facts`` serves.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from hoidap.app.answering.table_answer import TableAnswerer
from hoidap.app.config import load_settings
from hoidap.app.facts_table import filter_rows
from hoidap.app.query import understand
from hoidap.app.service import build_service

QUERIES = [
    {"place": "Bắc Ninh", "year": 2023},
    {"place": "Cao Bằng", "indicator": "fdi"},
    {"indicator": "thu ngân sách", "year": 2022, "role": "result"},
    {"place": "Lạng Sơn", "period": "h1"},
    {"year": 2023, "role": "target"},
]
# Table answers read the same table (``app.answering.table_answer``): one of each kind.
TABLE_QUESTIONS = [
    "Thu ngân sách của Bắc Ninh qua các năm 2021-2023?",
    "So sánh thu hút vốn FDI năm 2022 của Bắc Ninh và Cao Bằng",
    "Tỉnh nào có kim ngạch xuất khẩu năm 2023 cao nhất?",
    "Năm 2022 Bắc Ninh đạt bao nhiêu phần trăm kế hoạch thu ngân sách?",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.facts_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a data dir (the --data-dir of hoidap)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    settings = load_settings()
    service = build_service(settings.with_(data_dir=args.store, models_dir=str(settings.model_cache)))
    retriever = service.retriever
    started = time.perf_counter()
    retriever.sync()
    synced = time.perf_counter()
    rows = retriever.facts()
    built = time.perf_counter()
    timings = []
    counts = {}
    for _ in range(args.repeat):
        for query in QUERIES:
            t = time.perf_counter()
            found = filter_rows(retriever.facts(), **query)
            timings.append((time.perf_counter() - t) * 1000)
            counts[json.dumps(query, ensure_ascii=False)] = len(found)
    tables = TableAnswerer()
    table_timings, cells = [], {}
    for _ in range(args.repeat):
        for question in TABLE_QUESTIONS:
            t = time.perf_counter()
            answer = tables.answer(understand(question, retriever.known_localities()), retriever)
            table_timings.append((time.perf_counter() - t) * 1000)
            cells[question] = len((answer.table or {}).get("rows", [])) if answer else 0
    figures = {
        "chunks": len(retriever.index), "facts": len(rows), "index_sync_s": round(synced - started, 2),
        "table_build_s": round(built - synced, 2), "query_p50_ms": round(statistics.median(timings), 1),
        "query_max_ms": round(max(timings), 1), "rows_per_query": counts,
        "table_answer_p50_ms": round(statistics.median(table_timings), 1), "table_answer_max_ms": round(max(table_timings), 1),
        "cells_per_table": cells,
    }
    for key, value in figures.items():
        print(f"  {key:16} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
