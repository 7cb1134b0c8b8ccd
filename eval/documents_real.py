"""Official files as they really come, end to end: text PDFs with appendix tables, scanned PDFs,
DOCX and HTML (``eval.official_corpus``), ingested by the real pipeline into a fresh store, and
asked every question of the generator's truth.

Reports, per kind of file and question: answered right (the right figure with the right column
role and year, or "not in the documents" when the files do not state it), wrong figures shown as
certain, figures flagged "OCR — kiểm tra bản gốc", and whether each PDF citation names the page the
figure is printed on. For the scans: the figure-level OCR error rate of the stored facts against the
truth (misread, flagged, missing) and OCR throughput (pages per minute, on this machine).

    HOIDAP_EMBEDDER=e5-onnx HOIDAP_MODELS_DIR=/tmp/hoidap-heldout/data/models \\
        python -m hoidap.eval.documents_real --out reports/documents-real.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from hoidap.app.config import load_settings
from hoidap.eval.official_corpus import DEFAULT_SEED, SCAN_QUALITY, generate
from hoidap.eval.runner import fresh_service
from hoidap.ingest.facts import parse_number
from hoidap.ingest.loaders import PAGE_PROGRESS
from hoidap.vectorstore.records import chunk_body, decode_facts

ROOT = Path(__file__).resolve().parent.parent
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def figure_number(value: str) -> float | None:
    match = _NUMBER.search(value or "")
    return parse_number(match.group(0)) if match else None


def judge(question: dict, result: dict) -> dict:
    """How one answer went: right, a wrong figure (certain or flagged), an abstention."""
    facts = result.get("facts") or []
    shown = facts[0] if facts and not result.get("abstained") else None
    expected = question["expected"]
    citations = result.get("citations") or []
    verdict = {
        "abstained": shown is None,
        "value": shown["value"] if shown else None,
        "role": shown["role"] if shown else None,
        "years": shown["years"] if shown else None,
        "flagged": bool(shown and shown.get("ocr") == "unsure"),
        "pages": [c.get("page", 0) for c in citations],
    }
    if expected is None:
        verdict["right"] = shown is None
    else:
        verdict["right"] = bool(
            shown and figure_number(shown["value"]) == figure_number(expected)
            and (question["kind"] != "table" or (shown["role"] == question["role"] and question["year"] in (shown["years"] or [])))
        )
    verdict["wrong_figure"] = bool(shown) and not verdict["right"]
    verdict["wrong_certain"] = verdict["wrong_figure"] and not verdict["flagged"]
    verdict["page_named"] = bool(citations) and all(c.get("page", 0) > 0 for c in citations)
    verdict["page_right"] = bool(shown) and question["page"] > 0 and citations[0].get("page") == question["page"]
    return verdict


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["expected"] is not None]
    shown = [r for r in rows if not r["judged"]["abstained"]]
    pdf_citations = [r for r in shown if r["file_kind"] in ("pdf", "scan")]
    return {
        "questions": len(rows),
        "right": _share(sum(r["judged"]["right"] for r in rows), len(rows)),
        "answerable": len(answerable),
        "answerable_right": _share(sum(r["judged"]["right"] for r in answerable), len(answerable)),
        "absent_right": _share(sum(r["judged"]["right"] for r in rows if r["expected"] is None), len(rows) - len(answerable)),
        "wrong_figures": sum(r["judged"]["wrong_figure"] for r in rows),
        "wrong_figures_shown_as_certain": sum(r["judged"]["wrong_certain"] for r in rows),
        "flagged_ocr": sum(r["judged"]["flagged"] for r in rows),
        "pdf_answers": len(pdf_citations),
        "pdf_answers_with_page": sum(r["judged"]["page_named"] for r in pdf_citations),
        "pdf_right_answers": sum(r["judged"]["right"] for r in pdf_citations),
        "pdf_right_answers_citing_the_printed_page": sum(r["judged"]["page_right"] for r in pdf_citations if r["judged"]["right"]),
    }


def ocr_figures(store, truth: dict) -> dict:
    """The scans' stored facts against the truth, figure by figure: read right, misread (flagged or
    not), not read."""
    ids, texts, metadatas = store.all_chunks()
    by_source: dict[str, list] = defaultdict(list)
    for text, metadata in zip(texts, metadatas, strict=True):
        if metadata.get("ocr"):
            by_source[metadata["source"]].extend(decode_facts(metadata, chunk_body(text, metadata)))
    counts = {"figures": 0, "right": 0, "right_flagged": 0, "misread": 0, "misread_flagged": 0, "misread_certain": 0, "missing": 0}
    misreads = []
    for figure in truth["figures"]:
        if figure["source"] not in by_source:
            continue
        counts["figures"] += 1
        candidates = [
            f for f in by_source[figure["source"]]
            if f.indicator == figure["indicator"] and figure["year"] in f.years
            and (f.role == figure["role"] or figure["kind"] != "table")
        ]
        if not candidates:
            counts["missing"] += 1
            continue
        expected = figure_number(figure["value"])
        fact = next((f for f in candidates if figure_number(f.value) == expected), candidates[0])
        flagged = fact.ocr == "unsure"
        if figure_number(fact.value) == expected:
            counts["right"] += 1
            counts["right_flagged"] += flagged
        else:
            counts["misread"] += 1
            counts["misread_flagged" if flagged else "misread_certain"] += 1
            misreads.append({"truth": figure["value"], "read": fact.value, "flagged": flagged, "source": figure["source"], "page": figure["page"]})
    read = counts["figures"] - counts["missing"]
    counts["figure_error_rate"] = _share(counts["misread"], read)
    counts["figure_missing_rate"] = _share(counts["missing"], counts["figures"])
    counts["misreads"] = misreads
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.documents_real", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "documents-real.json")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus", type=Path, help="where to write the generated files (default: a temporary folder)")
    parser.add_argument("--no-scans", action="store_true", help="leave out the scanned PDFs (no OCR)")
    parser.add_argument("--scan-quality", choices=sorted(SCAN_QUALITY), default="normal",
                        help="normal: 300 dpi, light blur and noise; poor: 200 dpi, more turn, blur, noise and speckle")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "official"
        truth = generate(corpus, args.seed, scans=not args.no_scans, scan_quality=args.scan_quality)
        pages: list[float] = []
        started: dict[tuple[int, int], float] = {}

        def on_page(page: int, count: int, stage: str) -> None:
            if stage == "ocr":
                started[(page, count)] = time.perf_counter()
                print(f"OCR page {page}/{count}", file=sys.stderr, flush=True)
            elif (page, count) in started:
                pages.append(time.perf_counter() - started.pop((page, count)))

        load_before = os.getloadavg()
        token = PAGE_PROGRESS.set(on_page)
        ingest_started = time.perf_counter()
        try:
            service = fresh_service(settings, corpus / "files", "documents-real")
        finally:
            PAGE_PROGRESS.reset(token)
        ingest_seconds = time.perf_counter() - ingest_started
        rows = []
        for question in truth["questions"]:
            result = service.ask(question["question"])
            rows.append({**question, "lead": result.get("lead", ""), "judged": judge(question, result)})
        report = {
            "command": "HOIDAP_EMBEDDER=e5-onnx HOIDAP_MODELS_DIR=/tmp/hoidap-heldout/data/models python -m hoidap.eval.documents_real",
            "seed": args.seed,
            "scan_quality": args.scan_quality,
            "embedder": settings.embedder,
            "files": {kind: len(list((corpus / "files" / kind).glob("*"))) for kind in ("pdf", "scan", "docx", "html") if (corpus / "files" / kind).exists()},
            "ingest_seconds": round(ingest_seconds, 1),
            "ocr": {
                "pages": len(pages),
                "seconds_per_page": round(sum(pages) / len(pages), 2) if pages else None,
                "pages_per_minute": round(60 * len(pages) / sum(pages), 2) if pages else None,
                "note": "one page at a time, one Tesseract thread, on a 2-core machine shared with other jobs while measured",
                "load_average_before_and_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            },
            "overall": summarise(rows),
            "by_file": {kind: summarise([r for r in rows if r["file_kind"] == kind]) for kind in ("pdf", "scan", "docx", "html")},
            "by_question": {
                f"{kind}/{qkind}": summarise([r for r in rows if r["file_kind"] == kind and r["kind"] == qkind])
                for kind in ("pdf", "scan", "docx", "html") for qkind in ("table", "narrative", "list", "absent")
            },
            "ocr_figures": ocr_figures(service.store, truth) if not args.no_scans else None,
            "failures": [
                {k: r[k] for k in ("question", "expected", "lead", "file_kind", "kind")} | {"judged": r["judged"]}
                for r in rows if not r["judged"]["right"]
            ][:80],
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    brief = {k: report[k] for k in ("seed", "scan_quality", "files", "ingest_seconds", "ocr", "overall")}
    brief["by_file"] = {k: {m: v[m] for m in ("answerable_right", "absent_right", "wrong_figures_shown_as_certain", "pdf_answers_with_page")} for k, v in report["by_file"].items()}
    if report["ocr_figures"]:
        brief["ocr_figures"] = {k: v for k, v in report["ocr_figures"].items() if k != "misreads"}
    print(json.dumps(brief, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
