"""Run the service over a question set and score it: the engine behind ``hoidap eval``.

The questions go through the same ``Service`` (and so the same pipeline) as the CLI and the chat
page. With a corpus, a fresh store is built in the data directory first; vectors are cached on disk
by text, so building the same corpus again (another configuration, another run) costs no embedding.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from hoidap.app.config import Settings
from hoidap.app.service import Service, build_service
from hoidap.eval.datasets import (
    QAItem,
    SquadSet,
    load_qa_jsonl,
    load_squad,
    load_xquad_crosslingual,
    write_paragraph_files,
)
from hoidap.eval.heldout import DEFAULT_SEED, heldout_summary, hold_out
from hoidap.eval.metrics import answer_sentence_correct, judge, mrr_at_k, summarize_records
from hoidap.eval.reliability import format_reliability, reliability, reliability_rows

# The --kind values: the project's JSONL, a SQuAD-format file, English XQuAD questions over the
# Vietnamese paragraphs, and both of those over a held-out corpus (eval.heldout).
KINDS = ("qa", "squad", "xquad-en", "squad-heldout", "xquad-en-heldout")

SUMMARY_ROWS = [
    ("answer_accuracy", "answer accuracy"),
    ("citation_accuracy", "citation accuracy"),
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("source_mrr@10", "MRR@10 (gold passage)"),
    ("answer_sentence_accuracy", "answer-sentence accuracy"),
    ("abstention_accuracy", "abstention accuracy (unanswerable)"),
    ("heldout_abstention_article", "  held out: whole article missing"),
    ("heldout_abstention_paragraph", "  held out: gold paragraph missing"),
    ("false_abstention_rate", "false-abstention rate"),
    ("llm_answers", "LLM answers shown"),
    ("guard_rejections", "guard rejections (extractive shown)"),
    ("shown_model_answers_with_irrelevant_figures", "model answers with irrelevant figures"),
    ("llm_errors", "LLM errors (extractive shown)"),
    ("shown_answers_with_unsupported_figures", "shown answers with unsupported figures"),
    ("llm_latency_p50_ms", "LLM step p50 (ms)"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]


@dataclass
class EvalSet:
    name: str
    items: list[QAItem]
    corpus: Path | None  # folder to ingest into a fresh store, or None to use the configured store
    squad: bool = False
    heldout: dict | None = None  # the held-out split's counts (eval.heldout), for the report


def load_eval_set(path: Path, kind: str, corpus: Path | None, work_dir: Path, seed: int = DEFAULT_SEED) -> EvalSet:
    """Questions plus the corpus they are asked over (SQuAD paragraphs are written out as files).

    The ``*-heldout`` kinds write only the kept paragraphs of a seeded held-out split (``seed``); their
    corpus is always that split, never ``corpus``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown eval kind {kind!r}; choose from {', '.join(KINDS)}")
    if kind == "qa":
        return EvalSet(path.stem, load_qa_jsonl(path), corpus)
    squad: SquadSet
    if kind.startswith("xquad-en"):
        english = path.with_name(path.name.replace(".vi.", ".en."))
        squad = load_xquad_crosslingual(path, english)
    else:
        squad = load_squad(path)
    if kind.endswith("-heldout"):
        if corpus is not None:
            raise ValueError(f"--kind {kind} builds its own corpus from the held-out split; drop --corpus")
        split = hold_out(squad, seed=seed)
        paragraphs = work_dir / f"corpus-{split.name}"
        shutil.rmtree(paragraphs, ignore_errors=True)
        write_paragraph_files(split.corpus(), paragraphs)
        return EvalSet(split.name, split.items, paragraphs, squad=True, heldout=split.stats())
    paragraphs = work_dir / f"corpus-{squad.name}"
    shutil.rmtree(paragraphs, ignore_errors=True)
    write_paragraph_files(squad, paragraphs)
    return EvalSet(squad.name, squad.to_qa_items(), corpus or paragraphs, squad=True)


def fresh_service(settings: Settings, corpus: Path, label: str, quiet: bool = False) -> Service:
    """A new store under ``<data dir>/eval/<label>`` holding exactly ``corpus``."""
    from hoidap.app.ingest_progress import ingest_paths

    store_dir = settings.data_dir / "eval" / label
    shutil.rmtree(store_dir, ignore_errors=True)
    service = build_service(settings.with_(data_dir=store_dir, models_dir=str(settings.model_cache)), embedding_cache=settings.data_dir / "embedding-cache.sqlite")
    results = ingest_paths(service, [corpus], quiet=True, progress=not quiet, desc=f"ingest {label}")
    failed = [r for r in results if r.status == "failed"]
    if failed and not quiet:
        print(f"eval: {len(failed)} corpus file(s) failed to ingest, e.g. {failed[0].source}: {failed[0].reason}", file=sys.stderr)
    return service


def _distinct_source_rank(retrieved: list[dict], source: str | None) -> int | None:
    seen: list[str] = []
    for item in retrieved:
        if item["source"] not in seen:
            seen.append(item["source"])
    return seen.index(source) + 1 if source in seen else None


def run_questions(service: Service, items: list[QAItem], desc: str = "eval") -> list[dict]:
    results = []
    for item in tqdm(items, desc=desc, unit="q", file=sys.stderr):
        result = service.ask(item.question)
        results.append({"id": item.id, **result})
    return results


def score(results: list[dict], items: list[QAItem], squad: bool) -> tuple[dict, list[dict]]:
    records = [judge(result, item, squad=squad) for result, item in zip(results, items, strict=True)]
    summary = summarize_records(records)
    answerable = [(r, i) for r, i in zip(results, items, strict=True) if i.answerable]
    ranks = [_distinct_source_rank(r["retrieved"], i.source) for r, i in answerable]
    summary["source_mrr@10"] = mrr_at_k(ranks, 10) if answerable else None
    if squad:
        summary["answer_sentence_accuracy"] = (
            sum(answer_sentence_correct(r["answer"], i.answers) for r, i in answerable) / len(answerable)
            if answerable
            else None
        )
    if any("heldout" in i.meta for i in items):
        summary.update(heldout_summary(records, items))
    summary["reliability"] = reliability(reliability_rows(results, records))
    return summary, records


def answerer_summary(results: list[dict]) -> dict:
    """What the answerer did: LLM answers shown, guard rejections, model errors, and an independent
    re-check that no shown answer holds a figure missing from the passages it cites."""
    from hoidap.app.answering.guard import check_answer

    shown_unsupported = 0
    for result in results:
        if result.get("abstained"):
            continue
        citations = result.get("citations") or []
        # the passage with its heading path, as the answer step read it (a target list's year is in its heading)
        passages = [f"{c.get('section', '')}\n{c['text']}" for c in citations]
        answer = result["answer"].split("\n\n(")[0]  # without the fallback note
        lead = result.get("lead") or ""
        if lead:
            # A fact line is built from typed facts: its figure must stand verbatim in the sentence its
            # marker cites (its place, period and year are the document's labels, not figures to find).
            unsupported = any(
                f.get("value") not in (citations[f["citation"] - 1].get("sentence") or "")
                for f in result.get("facts") or [] if 0 < f.get("citation", 0) <= len(citations)
            )
            answer = result["answer"][len(lead):].strip()
            shown_unsupported += unsupported
            if unsupported:
                continue
        if passages and answer and not check_answer(answer, passages, require_citation=False).ok:
            shown_unsupported += 1
    outcomes = [r.get("answerer", "extractive") for r in results]
    guards = [r.get("guard") or {} for r in results]
    llm_ms = sorted(r.get("llm_ms") or 0.0 for r in results if r.get("answerer") != "extractive")
    return {
        "llm_answers": outcomes.count("llm"),
        "guard_rejections": sum(1 for g in guards if g.get("outcome") == "rejected"),
        "guard_rejections_by_reason": dict(sorted(Counter(g["reason_key"] for g in guards if g.get("outcome") == "rejected").items())),
        "llm_errors": sum(1 for g in guards if g.get("outcome") == "error"),
        "shown_answers_with_unsupported_figures": shown_unsupported,
        "llm_latency_p50_ms": llm_ms[len(llm_ms) // 2] if llm_ms else None,
    }


def irrelevant_model_figures(results: list[dict], items: list[QAItem]) -> int:
    """Model answers shown that state a quantity which is not a gold answer's: another indicator's
    figure from the same passage, or any figure for a question the documents cannot answer. (Years and
    dates are the presence guard's; the gold set lists every acceptable form of the figure.)"""
    from hoidap.app.answering.fact_match import quantities_in
    from hoidap.app.answering.figures import extract_figures, same_figure

    count = 0
    for result, item in zip(results, items, strict=True):
        if result.get("answerer") != "llm" or result.get("abstained"):
            continue
        golds = [g for answer in item.answers for g in extract_figures(answer, "vi")]
        shown = quantities_in(result["answer"], "vi" if item.lang == "vi" else "en")
        if any(not any(same_figure(figure, gold) for gold in golds) for figure in shown):
            count += 1
    return count


def format_summary(summary: dict) -> str:
    lines = []
    for key, label in SUMMARY_ROWS:
        value = summary.get(key)
        if value is None or isinstance(value, dict):
            continue
        lines.append(f"  {label:38s} {value:10.3f}" if isinstance(value, float) else f"  {label:38s} {value!s:>10}")
    for reason, count in (summary.get("guard_rejections_by_reason") or {}).items():
        lines.append(f"    {'rejected: ' + reason:36s} {count!s:>10}")
    if summary.get("reliability"):
        lines += ["  reliability (shown answers by confidence):", format_reliability(summary["reliability"], indent="    ")]
    return "\n".join(lines)


def evaluate(settings: Settings, eval_set: EvalSet, mode: str | None, use_scope: bool, limit: int | None) -> dict:
    items = eval_set.items[:limit] if limit else eval_set.items
    if eval_set.corpus:
        service = fresh_service(settings, eval_set.corpus, eval_set.name)
    else:
        service = build_service(settings)
    service.retriever.mode = mode or settings.retrieval_mode
    service.retriever.use_scope = use_scope
    started = time.perf_counter()
    results = run_questions(service, items, desc=f"eval {eval_set.name}")
    summary, records = score(results, items, eval_set.squad)
    summary.update(answerer_summary(results))
    summary["shown_model_answers_with_irrelevant_figures"] = irrelevant_model_figures(results, items)
    summary.update(
        answerer=settings.answerer,
        dataset=eval_set.name,
        mode=service.retriever.mode,
        scope=use_scope,
        embedder=service.store.embedder,
        seconds=round(time.perf_counter() - started, 1),
    )
    if eval_set.heldout:
        summary["heldout"] = eval_set.heldout
    return {"summary": summary, "results": [{**r, "judged": rec} for r, rec in zip(results, records, strict=True)]}


def run_eval_command(args, settings: Settings) -> int:
    work_dir = settings.data_dir / "eval"
    work_dir.mkdir(parents=True, exist_ok=True)
    seed = getattr(args, "heldout_seed", None)
    eval_set = load_eval_set(
        Path(args.qa), args.kind, Path(args.corpus) if args.corpus else None, work_dir,
        seed=DEFAULT_SEED if seed is None else seed,
    )
    report = evaluate(settings, eval_set, args.mode, not args.no_scope, args.limit)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    summary = report["summary"]
    print(f"{eval_set.name}: {summary['n']} questions, mode={summary['mode']}, scope={summary['scope']}, answerer={summary['answerer']}")
    if eval_set.heldout:
        h = eval_set.heldout
        print(
            f"  held-out split (seed {h['seed']}): {h['held_out_articles']} of {h['articles']} articles and "
            f"{h['held_out_paragraphs_of_kept_articles']} single paragraphs out; corpus {h['corpus_paragraphs']} of "
            f"{h['paragraphs']} paragraphs; {h['answerable']} answerable, {h['unanswerable_article_missing']} + "
            f"{h['unanswerable_paragraph_missing']} unanswerable (article / paragraph missing), "
            f"{h['dropped_gold_still_in_corpus']} dropped (gold span still in the corpus)"
        )
    print(format_summary(summary))
    print(f"results written to {out}")
    return 0
