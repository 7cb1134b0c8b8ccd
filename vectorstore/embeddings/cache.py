"""A disk cache in front of any ``Embeddings``: the same text is embedded once per model.

Evaluation rebuilds fresh stores over the same corpora again and again (one per configuration);
with a 4-bit CPU model at a few passages per second, re-embedding would dominate every run.
Keyed by embedder name and text hash, so a cache can never hand one model's vector to another.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from hoidap.vectorstore.embeddings import embedder_name


class CachedEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings, path: Path) -> None:
        self.inner = inner
        self.name = embedder_name(inner)
        self.dimension = getattr(inner, "dimension", None)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.name}|{kind}|{text}".encode()).hexdigest()

    def _cached(self, kind: str, texts: list[str], compute) -> list[list[float]]:
        keys = [self._key(kind, t) for t in texts]
        with self._lock:
            found = {}
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            vectors = compute([texts[i] for i in missing])
            with self._lock, self._db:
                for i, vector in zip(missing, vectors, strict=True):
                    array = np.asarray(vector, dtype=np.float32)
                    found[keys[i]] = array
                    self._db.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?)", (keys[i], array.tobytes()))
        return [found[k].tolist() for k in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._cached("passage", texts, self.inner.embed_documents)

    def embed_query(self, text: str) -> list[float]:
        return self._cached("query", [text], lambda ts: [self.inner.embed_query(ts[0])])[0]
