"""The generation stamp of an embedded store, mirrored in a file beside Chroma's database.

Every write of :class:`~hoidap.vectorstore.chroma_store.ChunkStore` moves a generation, which derived
indexes (BM25, the dense matrix, the facts table) follow. Asking Chroma for it means opening
Chroma; the mirror lets a reader (a cold ``hoidap ask``, another ``serve`` worker) learn it from one
small file. Writers in several processes (``serve`` and ``hoidap ingest``) enrol in the stamp before
they touch Chroma and leave after their last write, under a file lock: while any writer is enrolled,
or one was killed mid-way, the stamp is not "settled" and readers ask Chroma instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class GenerationStamp:
    """``<folder>/hoidap-<collection>.generation.json``: ``{"generation", "settled", "writers", "embedder"}``."""

    def __init__(self, path: Path, embedder: str) -> None:
        self.path = path
        self.embedder = embedder

    def read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def settled_generation(self) -> str | None:
        """The mirrored generation when no write is under way and it was written for this embedder."""
        stamp = self.read()
        if stamp and stamp.get("settled") and stamp.get("embedder") == self.embedder:
            return stamp["generation"]
        return None

    def begin_write(self) -> None:
        """Before any write to Chroma: readers stop trusting the mirror."""
        self._change(writer_in=True)

    def end_write(self, generation: str) -> None:
        """After the write's generation bump: the mirror holds ``generation`` again once no writer is left."""
        self._change(writer_in=False, generation=generation)

    def _change(self, writer_in: bool, generation: str = "") -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            writers = [pid for pid in (self.read() or {}).get("writers", []) if process_alive(pid)]
            if writer_in:
                writers.append(os.getpid())
            elif os.getpid() in writers:
                writers.remove(os.getpid())
            stamp = {"generation": generation, "settled": not writers and bool(generation), "writers": writers, "embedder": self.embedder}
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(stamp), encoding="utf-8")
            os.replace(tmp, self.path)  # readers see the old stamp or the new one, never half
