"""The "right figure or nothing" report: every set that tests it, one command, one Markdown page.

Runs the same pipeline as ``hoidap eval`` on: the dev set; the hand-written absent-indicator,
answerable and no-place sets over the samples; the conversations; a look-alike corpus with period
reports (generated here, seeded); the place set; and XQuAD with held-out paragraphs (reported, never
tuned to). Then writes a table of the figures against their targets and a reliability table
(confidence bins against accuracy) over every answer the report-domain sets showed.

    python -m hoidap.eval.right_figure --out reports/right-figure.md      (HOIDAP_EMBEDDER=e5-onnx for speed)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from hoidap.app.config import load_settings
from hoidap.eval import conversations
from hoidap.eval import places as place_set
from hoidap.eval.lookalike import generate
from hoidap.eval.reliability import reliability, reliability_markdown, reliability_rows
from hoidap.eval.runner import DEFAULT_SEED, evaluate, fresh_service, load_eval_set

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "eval"
SAMPLES = ROOT / "data" / "samples"
LOOKALIKE = {"provinces": 12, "years": (2022, 2023), "docs_per_province_year": 4}


def _run(settings, path: Path, kind: str, corpus: Path | None, work: Path) -> dict:
    eval_set = load_eval_set(path, kind, corpus, work, seed=DEFAULT_SEED)
    return evaluate(settings, eval_set, None, True, None)


def _wrong_figures(run: dict) -> int:
    """Answers that gave a figure line which is not the gold figure (an abstention is not one)."""
    return sum(1 for r in run["results"] if r.get("lead") and not r["judged"]["abstained"] and not r["judged"]["correct"])


def _share(summary: dict, key: str) -> str:
    value = summary.get(key)
    return "–" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.right_figure", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "right-figure.md")
    parser.add_argument("--skip-xquad", action="store_true", help="leave out the held-out XQuAD run (the slowest)")
    args = parser.parse_args(argv)
    settings = load_settings()
    work = settings.data_dir / "eval"
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    lookalike_dir = work / "lookalike-periods"
    summary = generate(lookalike_dir, progress=False, **LOOKALIKE)
    runs = {
        "dev": _run(settings, DATA / "dev_qa.jsonl", "qa", SAMPLES, work),
        "absent": _run(settings, DATA / "samples_absent.jsonl", "qa", SAMPLES, work),
        "answerable": _run(settings, DATA / "samples_answerable.jsonl", "qa", SAMPLES, work),
        "noplace": _run(settings, DATA / "samples_noplace.jsonl", "qa", SAMPLES, work),
        "heldout": _run(settings, DATA / "samples_heldout.jsonl", "qa", SAMPLES, work),
        "lookalike": _run(settings, Path(summary.qa_path), "qa", lookalike_dir, work),
    }
    if not args.skip_xquad:
        runs["xquad-heldout"] = _run(settings, DATA / "xquad" / "xquad.vi.json", "squad-heldout", None, work)
    service = fresh_service(settings, SAMPLES, "conversations")
    turns = conversations.run(service, conversations.load_conversations(DATA / "samples_conversation.jsonl"))
    talk = conversations.summarise(turns)
    places = place_set.evaluate(place_set.load(DATA / "places.jsonl"))

    s = {name: run["summary"] for name, run in runs.items()}
    report_sets = [name for name in runs if name != "xquad-heldout"]
    rows = []
    for name in report_sets:
        rows += reliability_rows(runs[name]["results"], [r["judged"] for r in runs[name]["results"]])
    table = reliability(rows)
    embedder = s["dev"].get("embedder", "")
    lines = [
        "# Right figure or nothing",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `python -m hoidap.eval.right_figure` (embedder `{embedder}`, "
        f"{time.perf_counter() - started:.0f} s). A figure is shown only when a typed fact of the asked indicator, "
        "place, period, year and role stands in a cited passage; otherwise the answer is "
        "\"Không tìm thấy trong tài liệu\" with what the documents do state.",
        "",
        "| set | what | measured | target |",
        "| --- | --- | --- | --- |",
        f"| dev (18, samples) | answered right / abstained | {_share(s['dev'], 'answer_accuracy')} of answerable, "
        f"{_share(s['dev'], 'abstention_accuracy')} of unanswerable | 16/16, 2/2 |",
        f"| absent indicator, period or role ({s['absent']['n']}, hand-written over the samples) | abstained | "
        f"{_share(s['absent'], 'abstention_accuracy')} | ≥ 0.95 |",
        f"| answerable ({s['answerable']['n']}, hand-written over the samples) | right / false abstention | "
        f"{_share(s['answerable'], 'answer_accuracy')} / {_share(s['answerable'], 'false_abstention_rate')} | false abstention ≤ 0.03 |",
        f"| no place named ({s['noplace']['n']}) | right (place named) / abstained | {_share(s['noplace'], 'answer_accuracy')} / "
        f"{_share(s['noplace'], 'abstention_accuracy')} | – |",
        f"| second set ({s['heldout']['n']}, written by a helper who saw neither the code nor the other sets) | right / "
        f"abstained / false abstention / wrong figures shown | {_share(s['heldout'], 'answer_accuracy')} / "
        f"{_share(s['heldout'], 'abstention_accuracy')} / {_share(s['heldout'], 'false_abstention_rate')} / "
        f"{_wrong_figures(runs['heldout'])} | – |",
        f"| look-alike with period reports ({summary.documents} documents, {s['lookalike']['n']} questions) | right / "
        f"abstained / false abstention | {_share(s['lookalike'], 'answer_accuracy')} / {_share(s['lookalike'], 'abstention_accuracy')} / "
        f"{_share(s['lookalike'], 'false_abstention_rate')} | ≥ 0.97 at 10k chunks |",
        f"| conversations ({len(turns)} turns, {talk['follow_ups']} follow-ups) | unanswerable follow-ups abstained / "
        f"answerable follow-ups right / wrong figures shown | {talk['follow_ups_unanswerable_abstained']} / "
        f"{talk['follow_ups_answerable_right']} / {talk['wrong_figures_shown']} | abstain / answer / 0 |",
        f"| places ({places['items']} mentions) | resolved right / person names read as places | {places['accuracy']:.3f} / "
        f"{places['person_names_read_as_places']} | ≥ 0.98 / 0 |",
    ]
    if "xquad-heldout" in s:
        x = s["xquad-heldout"]
        lines.append(
            f"| XQuAD-vi, held-out paragraphs ({x['n']}) | abstained on held-out / false abstention / answer sentence | "
            f"{_share(x, 'abstention_accuracy')} / {_share(x, 'false_abstention_rate')} / {_share(x, 'answer_sentence_accuracy')} "
            "| report only |"
        )
    lines += ["", reliability_markdown(table, "Reliability over the report-domain sets above (XQuAD left out)"), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(
        json.dumps({"summaries": s, "conversations": talk, "places": places, "reliability": table}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
