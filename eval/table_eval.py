"""Scores table answers (trend, compare, rank, attainment) against the look-alike corpus's gold tables.

- cell recall: gold cells with a figure that the answer shows, with that figure;
- cell precision: cells the answer shows a figure in that hold the gold figure (a figure where the
  documents state none, or another figure, is wrong);
- missing right: gold cells with no figure that the answer marks "không có trong tài liệu";
- ranking accuracy: rank questions whose first N places (N asked, else 3) come in the gold order;
- guard: every shown cell's cited passage holds its figure (``app.answering.guard.check_answer``);
- computed without formula: computed cells shown without a formula or without both sources (must be 0).

Run: ``python -m hoidap.eval.table_eval --out reports/tables.json`` or ``hoidap ablate --sets tables``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from hoidap.app.answering.guard import check_answer
from hoidap.app.config import Settings, load_settings
from hoidap.eval.metrics import normalize_for_match
from hoidap.eval.runner import fresh_service

TARGETS = {"cell_recall": 0.95, "cell_precision": 0.99, "ranking_accuracy": 0.95}


def _key(cell: dict) -> tuple:
    return (cell["place"], cell["year"], cell["period"], cell["role"], cell.get("measure", "level"))


def _same(a: str, b: str) -> bool:
    return normalize_for_match(a) == normalize_for_match(b)


def score_item(item: dict, result: dict) -> dict:
    """Counts for one question: its cells, ranking, guard and computed numbers."""
    table = result.get("table") or {}
    rows = table.get("rows") or []
    shown = {_key(r): r for r in rows if r["status"] in ("stated", "conflict")}
    gold = {_key(c): c["value"] for c in item["cells"]}
    counts = defaultdict(int)
    counts["table"] = int(bool(table))
    for key, value in gold.items():
        row = shown.get(key)
        if value:
            counts["gold_cells"] += 1
            counts["recalled"] += int(row is not None and row["status"] == "stated" and _same(row["value"], value))
        else:
            counts["gold_missing"] += 1
            counts["missing_right"] += int(row is None)
    for key, row in shown.items():
        if row.get("measure") == "share":
            continue  # a stated share of the plan: its figure is not a gold cell (checked by the guard below)
        counts["shown"] += 1
        counts["shown_right"] += int(row["status"] == "stated" and bool(gold.get(key)) and _same(row["value"], gold[key]))
    citations = result.get("citations") or []
    for row in rows:
        if row["status"] == "stated":
            counts["guarded"] += 1
            n = row.get("citation") or 0
            passage = citations[n - 1]["text"] if 0 < n <= len(citations) else ""
            counts["guard_ok"] += int(bool(passage) and check_answer(f"{row['value']} [1]", [passage], lang="vi").ok)
        if row["status"] == "computed":
            counts["computed"] += 1
            counts["computed_without_formula"] += int(not row.get("formula") or len([c for c in row.get("citations") or [] if c]) < 2)
    if item.get("needs_share"):
        counts["share_asked"] += 1
        counts["share_shown"] += int(any(r["status"] in ("computed",) or (r.get("measure") == "share" and r["status"] == "stated") for r in rows))
    if item["kind"] == "rank":
        n = item.get("top") or 3
        ranked = [r["place"] for r in sorted((r for r in rows if r.get("rank")), key=lambda r: r["rank"])]
        counts["ranked"] += 1
        counts["ranking_right"] += int(ranked[:n] == item["ranking"][:n])
    return dict(counts)


def summarise(scored: list[tuple[dict, dict]]) -> dict:
    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    by_kind: dict[str, dict] = {}
    for kind in ("trend", "compare", "rank", "attainment", "all"):
        chosen = [c for item, c in scored if kind == "all" or item["kind"] == kind]
        total = defaultdict(int)
        for counts in chosen:
            for name, value in counts.items():
                total[name] += value
        by_kind[kind] = {
            "questions": len(chosen),
            "tables": total["table"],
            "cell_recall": ratio(total["recalled"], total["gold_cells"]),
            "cell_precision": ratio(total["shown_right"], total["shown"]),
            "missing_right": ratio(total["missing_right"], total["gold_missing"]),
            "gold_cells": total["gold_cells"],
            "gold_missing_cells": total["gold_missing"],
            "shown_cells": total["shown"],
            "guard_ok": ratio(total["guard_ok"], total["guarded"]),
            "computed": total["computed"],
            "computed_without_formula": total["computed_without_formula"],
            "ranking_accuracy": ratio(total["ranking_right"], total["ranked"]),
            "share_shown": ratio(total["share_shown"], total["share_asked"]),
        }
    trend_compare = [c for item, c in scored if item["kind"] in ("trend", "compare")]
    tc = defaultdict(int)
    for counts in trend_compare:
        for name, value in counts.items():
            tc[name] += value
    by_kind["trend+compare"] = {"cell_recall": ratio(tc["recalled"], tc["gold_cells"]), "cell_precision": ratio(tc["shown_right"], tc["shown"])}
    return by_kind


def table_corpus(work_dir: Path, provinces: int, docs_per_province_year: int, per_kind: int, seed: int) -> Path:
    """Generate the look-alike corpus with period reports and its table questions; returns its folder."""
    from hoidap.eval.lookalike import generate

    root = work_dir / f"tables-{provinces}x3x{docs_per_province_year}-seed{seed}"
    shutil.rmtree(root, ignore_errors=True)
    generate(root / "docs", provinces=provinces, years=(2021, 2022, 2023), seed=seed, docs_per_province_year=docs_per_province_year,
             progress=False, table_questions=per_kind)
    for name in ("qa.jsonl", "documents.jsonl", "tables.jsonl"):
        shutil.move(str(root / "docs" / name), root / name)
    return root


def run_table_eval(settings: Settings, provinces: int = 10, docs_per_province_year: int = 4, per_kind: int = 20, seed: int = 7) -> dict:
    work_dir = settings.data_dir / "eval"
    work_dir.mkdir(parents=True, exist_ok=True)
    root = table_corpus(work_dir, provinces, docs_per_province_year, per_kind, seed)
    items = [json.loads(line) for line in (root / "tables.jsonl").read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    service = fresh_service(settings, root / "docs", "tables")
    ingest_seconds = round(time.perf_counter() - started, 1)
    scored, failures = [], []
    started = time.perf_counter()
    for item in items:
        result = service.ask(item["question"])
        counts = score_item(item, result)
        scored.append((item, counts))
        wrong = counts.get("shown", 0) - counts.get("shown_right", 0)
        if wrong or counts.get("recalled", 0) < counts.get("gold_cells", 0) or (item["kind"] == "rank" and not counts.get("ranking_right")):
            failures.append({"id": item["id"], "question": item["question"], "gold": item["cells"], "ranking": item.get("ranking"),
                             "got": [{k: r[k] for k in ("place", "year", "period", "role", "status", "value", "rank")}
                                     for r in (result.get("table") or {}).get("rows", [])]})
    seconds = time.perf_counter() - started
    return {
        "corpus": {"provinces": provinces, "years": [2021, 2022, 2023], "docs_per_province_year": docs_per_province_year, "seed": seed,
                   "documents": len(service.store.list_documents()), "chunks": service.store.count(), "ingest_seconds": ingest_seconds},
        "questions": len(items),
        "ms_per_question": round(1000 * seconds / max(1, len(items)), 1),
        "summary": summarise(scored),
        "targets": TARGETS,
        "failures": failures[:40],
    }


def markdown(report: dict, command: str) -> str:
    s = report["summary"]
    lines = [
        "## Table answers (trend, compare, rank, attainment) on the look-alike corpus", "",
        f"Command: `{command}`. Corpus: {report['corpus']['documents']} documents ({report['corpus']['chunks']} chunks, period reports "
        f"included), {report['questions']} questions, {report['ms_per_question']} ms per question.", "",
        "| kind | questions | cell recall | cell precision | missing cells right | guard ok | computed (without formula) | ranking accuracy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("trend", "compare", "rank", "attainment", "all"):
        r = s[kind]
        lines.append(f"| {kind} | {r['questions']} | {r['cell_recall']} | {r['cell_precision']} | {r['missing_right']} | {r['guard_ok']} | "
                     f"{r['computed']} ({r['computed_without_formula']}) | {r['ranking_accuracy'] if r['ranking_accuracy'] is not None else '–'} |")
    tc = s["trend+compare"]
    lines += ["", f"Trend + compare: cell recall {tc['cell_recall']} (target ≥ 0.95), cell precision {tc['cell_precision']} (target ≥ 0.99); "
              f"ranking accuracy {s['rank']['ranking_accuracy']} (target ≥ 0.95)."]
    return "\n".join(lines) + "\n"


def write_table_report(settings: Settings, out_dir: Path, provinces: int = 12, docs_per_province_year: int = 4, per_kind: int = 25,
                       seed: int = 7, command: str = "") -> dict:
    """Run the table evaluation and write ``tables.json`` and ``tables.md`` into ``out_dir``."""
    report = run_table_eval(settings, provinces, docs_per_province_year, per_kind, seed)
    report["command"] = command or "hoidap ablate --sets tables"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tables.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "tables.md").write_text(markdown(report, report["command"]), encoding="utf-8")
    print(markdown(report, report["command"]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.table_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="reports", help="folder for tables.json and tables.md")
    parser.add_argument("--provinces", type=int, default=12)
    parser.add_argument("--docs-per-province-year", type=int, default=4)
    parser.add_argument("--per-kind", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    command = "python -m hoidap.eval.table_eval " + " ".join(argv if argv is not None else sys.argv[1:])
    write_table_report(load_settings(), Path(args.out), args.provinces, args.docs_per_province_year, args.per_kind, args.seed,
                       command.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
