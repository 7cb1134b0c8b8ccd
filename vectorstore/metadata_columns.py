"""Metadata fields of every indexed chunk as arrays, so a question's filters (province, year, role)
are masks computed with numpy instead of a Python test per chunk."""

from __future__ import annotations

import numpy as np


class MetadataColumns:
    """Columns over one immutable list of chunk metadata; each is built on first use. Filling the
    cache is idempotent, so concurrent readers may race without harm."""

    def __init__(self, metadatas: list[dict]) -> None:
        self._metadatas = metadatas
        self._cache: dict[str, object] = {}

    def column(self, key: str) -> np.ndarray:
        """One metadata field of every chunk as an array (None where absent)."""
        found = self._cache.get(key)
        if found is None:
            found = np.empty(len(self._metadatas), dtype=object)
            found[:] = [m.get(key) for m in self._metadatas]
            self._cache[key] = found
        return found

    def matches(self, key: str, wanted) -> np.ndarray:
        """One bool per chunk: is its ``key`` field one of ``wanted``? (integer codes per field,
        built once: comparing every chunk's string on every question is too slow at 100k chunks)."""
        name = f"codes:{key}"
        coded = self._cache.get(name)
        if coded is None:
            lookup: dict = {}
            codes = np.fromiter((lookup.setdefault(v, len(lookup)) for v in self.column(key).tolist()), dtype=np.int32)
            coded = self._cache[name] = (codes, lookup)
        codes, lookup = coded
        wanted_codes = [lookup[w] for w in wanted if w in lookup]
        if not wanted_codes:
            return np.zeros(len(codes), dtype=bool)
        if len(wanted_codes) == 1:
            return codes == wanted_codes[0]
        return np.isin(codes, wanted_codes)

    def flag(self, key: str) -> np.ndarray:
        """One bool per chunk: is its ``key`` field ``True``?"""
        name = f"flag:{key}"
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = np.fromiter((v is True for v in self.column(key).tolist()), dtype=bool)
        return found

    def values(self, key: str) -> set:
        """The distinct values of one metadata field (empty ones left out)."""
        return {v for v in set(self.column(key).tolist()) if v}
