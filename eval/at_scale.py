"""Right figure or nothing at archive scale: a look-alike store of 10k or 100k chunks, period reports included.

Every province-year there has one annual conclusion and many quarterly / n-month reports in the same
words, so a whole-year question can meet a part-year figure at every turn. This asks a seeded,
stratified sample of the corpus's own questions (whole-year, part-year, and unanswerable: an absent
indicator, role or year) of an already built store (``hoidap ingest`` or ``python -m hoidap.eval.bench build``)
and reports right answers, abstentions, wrong figures and latency.

    python -m hoidap.eval.at_scale --store /work/bench100k/source --corpus /work/bench100k/corpus --out reports/scale-100k.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from hoidap.app.config import load_settings
from hoidap.app.service import build_service
from hoidap.eval.datasets import load_qa_jsonl
from hoidap.eval.metrics import answer_correct, percentile, shown_figure

STRATA = {"whole year": 120, "part of a year": 120, "unanswerable": 80}


def stratum(item) -> str:
    if not item.answerable:
        return "unanswerable"
    return "whole year" if (item.meta or {}).get("period", "year") == "year" else "part of a year"


def sample(items: list, seed: int = 11, sizes: dict[str, int] = STRATA) -> list:
    """Up to ``sizes[s]`` questions of each stratum, seeded; absent-province questions are left out
    (retrieval's scope filter answers them before any figure is read)."""
    rng = random.Random(seed)
    chosen = []
    for name, count in sizes.items():
        pool = [i for i in items if stratum(i) == name and (i.meta or {}).get("reason") != "province_not_in_corpus"]
        chosen += rng.sample(pool, min(count, len(pool)))
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.at_scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="data dir of the built store")
    parser.add_argument("--corpus", type=Path, required=True, help="the look-alike corpus (its qa.jsonl)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    service = build_service(load_settings(data_dir=args.store))
    started = time.perf_counter()
    service.retriever.sync()
    ready = time.perf_counter() - started
    items = sample(load_qa_jsonl(args.corpus / "qa.jsonl"), args.seed)
    rows = []
    for item in items:
        t0 = time.perf_counter()
        result = service.pipeline.invoke(item.question)
        ms = (time.perf_counter() - t0) * 1000
        right = result["abstained"] if not item.answerable else (
            not result["abstained"] and answer_correct(shown_figure(result), item.answers)
        )
        rows.append({"id": item.id, "stratum": stratum(item), "right": right, "abstained": result["abstained"],
                     "confidence": result["confidence"], "ms": ms, "question": item.question,
                     "answer": result["answer"][:200]})
    summary = {"chunks": len(service.retriever.index), "index_ready_s": round(ready, 1)}
    for name in STRATA:
        group = [r for r in rows if r["stratum"] == name]
        summary[name] = {
            "questions": len(group),
            "right": round(sum(r["right"] for r in group) / len(group), 3) if group else None,
            "abstained": sum(r["abstained"] for r in group),
            "wrong_figure_shown": sum(1 for r in group if not r["right"] and not r["abstained"]),
        }
    answerable = [r for r in rows if r["stratum"] != "unanswerable"]
    summary["answerable_right"] = round(sum(r["right"] for r in answerable) / len(answerable), 3)
    high = [r for r in rows if not r["abstained"] and r["confidence"] >= 0.8]
    summary["confidence_at_least_0.8"] = {"shown": len(high), "right": sum(r["right"] for r in high)}
    latencies = [r["ms"] for r in rows]
    summary["p50_ms"], summary["p95_ms"] = round(percentile(latencies, 50), 1), round(percentile(latencies, 95), 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "questions": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
