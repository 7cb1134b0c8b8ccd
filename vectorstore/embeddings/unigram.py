"""Unigram tokenisation of short texts in pure Python, with the ids of ``tokenizers``' Unigram model.

Why: building the Rust Unigram model of e5's 250k pieces (its trie) takes about a second, most of a
cold ``hoidap ask`` with e5-onnx beyond the imports, only to tokenise one question. Loading the pieces
into a dict takes about a tenth of that, and a question or a sentence is tokenised in well under a
millisecond. Long batches (ingest) still go to the Rust tokenizer, loaded on first need.

The algorithm is ``tokenizers``' own (``Unigram::encode_optimized`` with ``fuse_unk``, after the
Metaspace pre-tokenizer with ``prepend_scheme="always", split=True``), including its tie-breaking:
the best path into a position is replaced only by a strictly better one, shorter pieces first. A test
compares the ids with the Rust tokenizer's on thousands of real texts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

METASPACE = "\u2581"
UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY: an unknown character costs (lowest piece score - 10)
PIECES_FILE = "unigram_pieces.json"
SCORES_FILE = "unigram_scores.npy"


class PythonUnigram:
    def __init__(self, pieces: list[str], scores: list[float], unk_id: int) -> None:
        self.piece_ids = dict(zip(pieces, range(len(pieces)), strict=True))  # a repeated piece keeps its last id, as in Rust
        self.scores = scores
        self.unk_id = unk_id
        self.unk_score = min(scores) - UNK_PENALTY
        self.longest = max(len(p) for p in pieces)

    @classmethod
    def load(cls, model_dir: str | os.PathLike) -> PythonUnigram:
        """From the pieces files next to ``tokenizer.json``, written from it on first use."""
        model_dir = Path(model_dir)
        if not (model_dir / PIECES_FILE).exists() or not (model_dir / SCORES_FILE).exists():
            try:
                write_pieces(model_dir)  # a model converted before this file existed
            except OSError:  # a read-only model folder: read tokenizer.json every time
                model = _unigram_of(model_dir)
                return cls([p for p, _ in model["vocab"]], [s for _, s in model["vocab"]], int(model["unk_id"]))
        meta = json.loads((model_dir / PIECES_FILE).read_text(encoding="utf-8"))
        scores = np.load(model_dir / SCORES_FILE).tolist()
        return cls(meta["pieces"], scores, int(meta["unk_id"]))

    def encode(self, text: str) -> list[int]:
        """Ids of an already normalised text, no special tokens."""
        if not text:
            return []
        text = text.replace(" ", METASPACE)
        if not text.startswith(METASPACE):
            text = METASPACE + text
        ids: list[int] = []
        for word in text.split(METASPACE)[1:]:  # every word keeps the U+2581 before it
            ids.extend(self._word(METASPACE + word))
        return ids

    def _word(self, word: str) -> list[int]:
        n = len(word)
        piece_ids, scores, unk_id = self.piece_ids, self.scores, self.unk_id
        best = [0.0] * (n + 1)
        starts = [-1] * (n + 1)  # where the best path into each position starts its last piece; -1: none yet
        last = [unk_id] * (n + 1)
        for i in range(n):
            base = best[i]
            single = False
            for j in range(i + 1, min(n, i + self.longest) + 1):
                piece = piece_ids.get(word[i:j])
                if piece is None:
                    continue
                score = scores[piece] + base
                if starts[j] < 0 or score > best[j]:
                    best[j], starts[j], last[j] = score, i, piece
                if j == i + 1:
                    single = True
            if not single:
                score = self.unk_score + base
                if starts[i + 1] < 0 or score > best[i + 1]:
                    best[i + 1], starts[i + 1], last[i + 1] = score, i, unk_id
        pieces: list[str] = []
        unknown: list[str] = []  # consecutive unknown pieces are fused into one, as fuse_unk does
        end = n
        while end > 0:
            start = starts[end]
            if last[end] == unk_id:
                unknown.append(word[start:end])
            else:
                if unknown:
                    pieces.append("".join(reversed(unknown)))
                    unknown = []
                pieces.append(word[start:end])
            end = start
        if unknown:
            pieces.append("".join(reversed(unknown)))
        return [piece_ids.get(p, unk_id) for p in reversed(pieces)]


def write_pieces(model_dir: str | os.PathLike) -> None:
    """The Unigram pieces and scores of ``tokenizer.json`` in files that load fast (atomically)."""
    model_dir = Path(model_dir)
    model = _unigram_of(model_dir)
    pieces = [piece for piece, _ in model["vocab"]]
    scores = np.asarray([score for _, score in model["vocab"]], dtype=np.float64)
    pid = os.getpid()
    tmp_pieces = model_dir / f".{PIECES_FILE}.{pid}.tmp"
    tmp_scores = model_dir / f".{SCORES_FILE}.{pid}.tmp.npy"
    try:
        tmp_pieces.write_text(json.dumps({"unk_id": model["unk_id"], "pieces": pieces}, ensure_ascii=False), encoding="utf-8")
        np.save(tmp_scores, scores)
        os.replace(tmp_scores, model_dir / SCORES_FILE)
        os.replace(tmp_pieces, model_dir / PIECES_FILE)
    finally:
        tmp_pieces.unlink(missing_ok=True)
        tmp_scores.unlink(missing_ok=True)


def _unigram_of(model_dir: Path) -> dict:
    model = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{model_dir / 'tokenizer.json'}: not a Unigram model without byte fallback")
    return model
