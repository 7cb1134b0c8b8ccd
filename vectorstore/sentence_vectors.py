"""Sentence vectors stored with their chunk: a second, finer level of dense evidence.

A chunk's vector averages over four or five sentences; a question is usually about one of them.
Scoring a chunk by its own vector *plus* its best sentence's (``chunk + best sentence``) finds the
paragraph whose one sentence answers, which a chunk vector alone blurs: on XQuAD, English questions
over Vietnamese paragraphs go from 0.825 to about 0.87 MRR@10 with dense retrieval alone, Vietnamese
ones from 0.940 to about 0.956 (reports/ablation.md). The answer step reads the same vectors, so it
no longer embeds sentences while a user waits.

The vectors travel inside the chunk's Chroma metadata (one string per chunk), so they are written,
replaced, hidden and deleted with their chunk in the same call: the store's atomic replace and
generation stamp cover them with no second collection to keep in step. They are int8 with one
scale per sentence (384 bytes a sentence; cosine within about 0.002 of float32) and base64 text,
because Chroma metadata holds scalars only.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Sequence

import numpy as np

from hoidap.vectorstore.unit_vectors import unit_rows

METADATA_KEY = "sentence_vectors"  # "<count>:<base64 of float16 scales + int8 codes>"
CHECK_KEY = "sentence_check"  # crc32 of the sentences' text: the vectors belong to these sentences


def sentences_check(sentences: Sequence[str]) -> int:
    """A fingerprint of the sentences a chunk's vectors were made from (the answer step checks it,
    so vectors are never paired with sentences that a later splitter cuts differently)."""
    return zlib.crc32("\n".join(sentences).encode("utf-8"))


def encode(vectors) -> str:
    """Vectors (n x d), made unit length, as compact text: int8 codes with one float16 scale per row."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or not len(matrix):
        return ""
    matrix = unit_rows(matrix)
    peak = np.abs(matrix).max(axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float16)
    codes = np.clip(np.rint(matrix / scales.astype(np.float32)[:, None]), -127, 127).astype(np.int8)
    return f"{len(matrix)}:" + base64.b64encode(scales.tobytes() + codes.tobytes()).decode("ascii")


def decode(text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(int8 codes n x d, float32 scales n) from :func:`encode`'s text; None for empty or damaged text."""
    count, _, payload = (text or "").partition(":")
    try:
        n = int(count)
        raw = base64.b64decode(payload, validate=True)
    except (ValueError, TypeError):
        return None
    if n <= 0 or len(raw) <= 2 * n or (len(raw) - 2 * n) % n:
        return None
    scales = np.frombuffer(raw[: 2 * n], dtype=np.float16).astype(np.float32)
    codes = np.frombuffer(raw[2 * n :], dtype=np.int8).reshape(n, -1)
    return codes, scales


def decode_vectors(text: str) -> np.ndarray | None:
    """The float32 vectors of :func:`encode`'s text (for one chunk: a Chroma query hit)."""
    decoded = decode(text)
    if decoded is None:
        return None
    codes, scales = decoded
    return codes.astype(np.float32) * scales[:, None]


def take_from(metadata: dict) -> np.ndarray | None:
    """Remove the vectors' text from a chunk's metadata (it is large, and nothing downstream
    shows it) and return them decoded."""
    return decode_vectors(metadata.pop(METADATA_KEY, "") or "")


class SentenceTable:
    """Every indexed chunk's sentence vectors, row-aligned with the in-process index.

    ``starts[i]:starts[i + 1]`` are chunk ``i``'s rows of ``codes``/``scales`` (empty for a chunk
    stored without them). Kept as int8 (about 190 MB for 500k sentences, a 100k-chunk store).
    """

    def __init__(self, codes: np.ndarray, scales: np.ndarray, starts: np.ndarray) -> None:
        self.codes, self.scales, self.starts = codes, scales, starts

    @classmethod
    def empty(cls, dim: int = 0) -> SentenceTable:
        return cls(np.zeros((0, dim), dtype=np.int8), np.zeros(0, dtype=np.float32), np.zeros(1, dtype=np.int64))

    @classmethod
    def from_metadatas(cls, metadatas: list[dict]) -> SentenceTable:
        """Take the vectors out of each chunk's metadata (see :func:`take_from`)."""
        codes, scales, counts = [], [], []
        for metadata in metadatas:
            decoded = decode(metadata.pop(METADATA_KEY, "") or "")
            if decoded is None or (codes and decoded[0].shape[1] != codes[0].shape[1]):
                counts.append(0)
                continue
            codes.append(decoded[0])
            scales.append(decoded[1])
            counts.append(len(decoded[1]))
        starts = np.zeros(len(metadatas) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        if not codes:
            return cls(np.zeros((0, 0), dtype=np.int8), np.zeros(0, dtype=np.float32), starts)
        return cls(np.concatenate(codes), np.concatenate(scales), starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    @property
    def sentences(self) -> int:
        return len(self.scales)

    def vectors(self, row: int) -> np.ndarray | None:
        """Chunk ``row``'s sentence vectors (float32), or None when it has none."""
        start, end = int(self.starts[row]), int(self.starts[row + 1])
        if start == end:
            return None
        return self.codes[start:end].astype(np.float32) * self.scales[start:end, None]

    def keep(self, mask: np.ndarray) -> SentenceTable:
        """The table of the chunks whose entry in ``mask`` is True (in order)."""
        counts = np.diff(self.starts)
        rows = np.repeat(mask, counts)
        kept = counts[mask]
        starts = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(kept, out=starts[1:])
        return SentenceTable(self.codes[rows], self.scales[rows], starts)

    def extend(self, other: SentenceTable) -> SentenceTable:
        """This table followed by ``other``'s chunks."""
        if not other.sentences:
            codes, scales = self.codes, self.scales
        elif not self.sentences:
            codes, scales = other.codes, other.scales
        else:
            codes, scales = np.concatenate([self.codes, other.codes]), np.concatenate([self.scales, other.scales])
        starts = np.concatenate([self.starts, other.starts[1:] + self.starts[-1]])
        return SentenceTable(codes, scales, starts)
