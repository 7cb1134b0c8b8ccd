"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused, within the question's scope.

- Fusion is weighted reciprocal-rank fusion. The weights depend on the question's language: BM25
  over Vietnamese text is strong for Vietnamese questions and weak for English ones (on XQuAD,
  plain fusion drags English MRR@10 from 0.83 to 0.51), so an English question's lexical side runs
  on the Vietnamese report terms found in it (see ``app.glossary``) and counts for less.
- Scope: the province/city and years the question names become metadata filters on both sides, so
  "Bắc Ninh 2023" cannot be answered from Bắc Ninh 2022 or from Từ Sơn; when only a province is
  named, documents about the province itself rank above documents about its cities.
- Role: a question about a target prefers passages under target headings, one about results
  passages under results headings (see ``ingest.metadata.section_role``).
- Period: a question about a known indicator searches the documents of the period it asks for (the
  whole year when it names none), see :func:`period_filter`.
- Sentence level: for a question that names no place, the dense side ranks a chunk by its own
  similarity plus its best sentence's (``vectorstore.sentence_vectors``), so the paragraph with the
  one answering sentence comes up even when the rest of it is about something else. A question
  about a place is answered from that place's reports, which differ from each other by context (the
  year, results or targets) that the chunk vector carries in its header and a bare sentence does
  not: there the sentence level picked the wrong report's look-alike sentence (look-alike hit@1
  0.935 -> 0.880), so it stays off.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from hoidap.app.facts_table import FactRow, fact_rows
from hoidap.app.query import Filters, QueryScope, apply_filters, understand
from hoidap.ingest.periods import AS_OF
from hoidap.vectorstore.chroma_store import ChunkStore, documents_of
from hoidap.vectorstore.chunk_index import ChunkIndex, IndexSnapshot
from hoidap.vectorstore.records import chunk_body, chunk_role, document_years, year_key
from hoidap.vectorstore.unit_vectors import unit

RRF_K = 60
CANDIDATES = 50
FACT_CANDIDATES = 40  # passages returned for a question about a known indicator (their facts are read)
# Lexical weight in the fusion for English questions: it grows with the share of the question the
# glossary could put into Vietnamese. General English questions are barely covered, so BM25 over
# Vietnamese text can only add noise to them; report questions are mostly covered and get up to 0.5.
# (The weights tried and their MRR@10 are in reports/ablation.md.)
ENGLISH_LEXICAL_WEIGHT = (0.1, 0.5)  # (floor, at full glossary coverage)
# For Vietnamese questions BM25 is the stronger side, so it leads: with equal weights a passage ranked
# (dense 1, BM25 3) ties one ranked (3, 1) and the tie went to dense; any weight above 1 breaks it
# toward BM25 (reports/ablation.md).
VIETNAMESE_LEXICAL_WEIGHT = 1.5
SUBUNIT_PENALTY = 0.6  # a city's document when the question names only its province
# Changes up to this many records (or a fifth of the index) are applied to the in-process index;
# more are rebuilt from scratch.
INCREMENTAL_LIMIT = 2000
# A results section for a question about a target, or a targets section for one about results: the
# same indicator, the same year, a different figure (a report of 2022 gives 2022's results and
# 2023's targets; "the 2023 target" must come from it, "the 2023 result" from the next one).
ROLE_PENALTY = 0.5
# Weight of a chunk's best sentence beside the chunk's own similarity on the dense side (questions
# that name no place). Equal weights: the sentence helps the chunk but is worse alone, and larger
# weights lost MRR@10 (reports/ablation.md).
SENTENCE_WEIGHT = 1.0


@dataclass
class RetrievedChunk:
    chunk_id: str
    source: str
    text: str  # the chunk body, as cited
    indexed_text: str  # with its context header, as embedded and indexed
    metadata: dict
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    sentence_vectors: np.ndarray | None = None  # of its answer units, when stored (the answer step reads them)

    def as_dict(self) -> dict:
        return {
            "source": self.source, "chunk_id": self.chunk_id, "text": self.text, "score": round(self.score, 6),
            "document": document_info(self.metadata),
        }


def document_info(metadata: dict) -> dict:
    """What a reader knows a passage's document by, from its stored metadata: title, province,
    locality, date, kind, period and years, and the PDF page when ingest recorded one. A citation
    carries it so that no interface has to show a bare file name."""
    years = document_years(metadata)
    info = {
        "title": metadata.get("title") or "",
        "province": metadata.get("province") or "",
        "locality": metadata.get("locality") or "",
        "date": metadata.get("date") or "",
        "kind": metadata.get("doc_type") or "",
        "period": metadata.get("doc_period") or "",
        "years": years,
    }
    page = metadata.get("page")
    if isinstance(page, int | float) or (isinstance(page, str) and page.isdigit()):
        info["page"] = int(page)
    return info


@dataclass
class RetrievalResult:
    scope: QueryScope
    chunks: list[RetrievedChunk]
    timings_ms: dict = field(default_factory=dict)
    empty_reason: str = ""  # why nothing could be searched (e.g. no document about the place)
    # Passages outside the question's scope, ranked after the in-scope ones so a reader (and the
    # evaluation) always gets a full list; they are shown, never cited or answered from.
    outside_scope: list[RetrievedChunk] = field(default_factory=list)

    @property
    def listed(self) -> list[RetrievedChunk]:
        return self.chunks + self.outside_scope


def period_filter(scope: QueryScope) -> str:
    """The reporting period a question restricts documents to: for a question about a known indicator
    that names a year or a period ("" otherwise). At archive scale a province-year has one annual
    report and a hundred part-year ones in the same words; a penalty cannot lift the annual passage
    into the candidates, a filter can. When no document of that period is in scope, the search runs
    without it (and the answer says which periods the documents do cover)."""
    if scope.indicators and (scope.years or scope.period_named) and scope.period != AS_OF and not scope.day:
        return scope.period
    return ""


def filter_years(scope: QueryScope) -> list[int]:
    """The years a document may be about: those named, or every year of a span ("since the start of
    the 2020-2025 term", "giai đoạn 2021 - 2023"); not a target's horizon ("đến năm 2030"), which
    documents of earlier years state. No year left: no year filter."""
    years = [y for y in scope.years if y not in scope.horizon_years]  # "đến năm 2030" is a target's horizon
    if scope.period == "multi" and len(years) >= 2 and 0 < max(years) - min(years) <= 10:
        return list(range(min(years), max(years) + 1))
    return years


def scope_where(scope: QueryScope, period: str = "") -> dict | None:
    conditions: list[dict] = []
    if period:
        conditions.append({"doc_period": {"$in": [period]}})
    if scope.localities:
        conditions.append({"locality": {"$in": scope.localities}})
    elif scope.provinces:
        conditions.append({"province": {"$in": scope.provinces}})
    if wanted := filter_years(scope):
        years = [{year_key(y): True} for y in wanted]
        conditions.append(years[0] if len(years) == 1 else {"$or": years})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def scope_mask(scope: QueryScope, index: IndexSnapshot, period: str = "") -> np.ndarray:
    """``scope_where`` as one bool per chunk of the in-process index (the same rules as ``scope_accepts``)."""
    columns = index.columns
    mask = np.ones(len(index), dtype=bool)
    if period:
        mask &= columns.matches("doc_period", [period])
    if scope.localities:
        mask &= columns.matches("locality", scope.localities)
    elif scope.provinces:
        mask &= columns.matches("province", scope.provinces)
    if wanted := filter_years(scope):
        years = np.zeros(len(index), dtype=bool)
        for year in wanted:
            years |= columns.flag(year_key(year))
        mask &= years
    return mask


def scope_accepts(scope: QueryScope):
    wanted = filter_years(scope)  # once per question, not per record

    def accept(metadata: dict) -> bool:
        if scope.localities and metadata.get("locality") not in scope.localities:
            return False
        if not scope.localities and scope.provinces and metadata.get("province") not in scope.provinces:
            return False
        if wanted and not any(metadata.get(year_key(y)) for y in wanted):
            return False
        return True

    return accept


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the chunk store; ``search`` also returns the scope and timings."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    index: ChunkIndex
    mode: str = "hybrid"  # "hybrid", "dense" or "bm25"
    use_scope: bool = True
    use_role: bool = True  # prefer target/results sections as the question asks (needs use_scope)
    k: int = 10
    # "exact": dense search in process over the vectors the index holds; "chroma": Chroma's HNSW query.
    dense_search: str = "exact"
    # The chunk's best sentence counts this much beside the chunk on the dense side (0: chunk vectors only).
    sentence_weight: float = SENTENCE_WEIGHT
    _places_cache: tuple | None = PrivateAttr(default=None)  # (generation, places, localities)
    _facets_cache: tuple | None = PrivateAttr(default=None)  # (generation, facets)
    _documents_cache: tuple | None = PrivateAttr(default=None)  # (generation, documents)
    _facts_table: tuple | None = PrivateAttr(default=None)  # (generation, fact rows)
    # Questions read an immutable snapshot of the in-process index (``ChunkIndex.snapshot``), so
    # none waits for another. With ``background_sync`` (a server) a question that finds the store
    # changed updates the index itself only when nobody else is doing it: while another thread
    # updates it, or while this process's own writer (the ingest queue, inside ``local_write``) is
    # at work and will update it after each write, questions answer from the current snapshot.
    background_sync: bool = False
    _sync_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _local_writers: list = PrivateAttr(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.dense_search == "exact"

    def _current(self, generation: str) -> bool:
        lexical = self.index
        return generation == lexical.generation and (lexical.has_vectors or not self.exact)

    def sync(self, wait: bool = True) -> None:
        """Bring the in-process index up to Chroma's current generation: load it from disk, apply
        what changed (records added or removed, found by their ids), or build it. One thread does
        it at a time; with ``wait=False`` and an index already there, the caller goes on with the
        current snapshot when another thread is updating it or this process's writer will."""
        if self._current(self.store.generation()):
            return
        if not wait and self.index.generation is not None and (self._local_writers or self._sync_lock.locked()):
            return
        with self._sync_lock:
            self._sync_locked()

    @contextlib.contextmanager
    def local_write(self):
        """Around this process's own writes, which call ``sync()`` after each: meanwhile questions
        (``sync(wait=False)``) do not take the update on themselves."""
        self._local_writers.append(threading.get_ident())
        try:
            yield
        finally:
            self._local_writers.remove(threading.get_ident())

    def _sync_locked(self) -> None:
        generation = self.store.generation()
        lexical = self.index
        if generation == lexical.generation and (lexical.has_vectors or not self.exact):
            return
        if lexical.load(generation, need_vectors=self.exact):
            return
        if lexical.generation is not None and (lexical.has_vectors or not self.exact):
            stored = self.store.storage_ids()
            known = set(lexical.keys)
            present = set(stored)
            added = [k for k in stored if k not in known]
            removed = known - present
            if len(added) + len(removed) <= max(INCREMENTAL_LIMIT, len(known) // 5):
                keys, ids, texts, metadatas, vectors = self.store.visible_records(added, with_vectors=self.exact)
                lexical.update(removed, keys, ids, texts, metadatas, vectors if self.exact else None, generation)
                return
        keys, ids, texts, metadatas, vectors = self.store.visible_records(with_vectors=self.exact)
        lexical.build(ids, texts, metadatas, generation, vectors, keys=keys)

    def snapshot(self) -> IndexSnapshot:
        """The in-process index as it is now (immutable: a later sync swaps in a new one)."""
        return self.index.snapshot()

    def known_localities(self, index: IndexSnapshot | None = None) -> set[str]:
        """Cities/districts that documents are about (not provinces themselves)."""
        return self._places(index)[1]

    def known_places(self, index: IndexSnapshot | None = None) -> set[str]:
        return self._places(index)[0]

    def facets(self) -> list[tuple[str, str, str]]:
        """The distinct (province, locality, doc_years) of the visible chunks, sorted: what the
        page's place and year pickers offer (from the in-process index, not a pass over Chroma)."""
        index = self.snapshot()
        generation = index.generation
        cached = self._facets_cache
        if cached is None or cached[0] != generation:
            columns = [index.columns.column(key).tolist() for key in ("province", "locality", "doc_years")]
            triples = {tuple(str(v or "") for v in row) for row in zip(*columns, strict=True)}
            cached = (generation, sorted(triples))
            self._facets_cache = cached
        return cached[1]

    def facts(self, snapshot: tuple | None = None) -> list[FactRow]:
        """Every stated figure as a table row (``app.facts_table``), made once per generation.
        ``snapshot``: (generation, records) taken earlier with :meth:`records_snapshot`, so that a
        caller can build the table outside a lock it holds while reading the index."""
        generation, records = snapshot or self.records_snapshot()
        cached = self._facts_table
        if cached is None or cached[0] != generation:
            cached = (generation, fact_rows(*records))
            self._facts_table = cached
        return cached[1]

    def records_snapshot(self) -> tuple:
        """(generation, (chunk ids, texts, metadatas)) of the in-process index, taken together."""
        index = self.snapshot()
        return index.generation, index.records()

    def documents(self) -> list[dict]:
        """``ChunkStore.list_documents`` from the in-process index (current after ``sync``): a pass
        over every Chroma record costs seconds and hundreds of MB at 10k chunks."""
        index = self.snapshot()
        generation = index.generation
        cached = self._documents_cache
        if cached is None or cached[0] != generation:
            cached = (generation, documents_of(index.metadatas))
            self._documents_cache = cached
        return cached[1]

    def _places(self, index: IndexSnapshot | None = None) -> tuple[set[str], set[str]]:
        index = index or self.snapshot()
        generation = index.generation
        cached = self._places_cache
        if cached is None or cached[0] != generation:
            columns = index.columns
            provinces, localities = columns.column("province"), columns.column("locality")
            sub = {str(loc) for loc, prov in zip(localities.tolist(), provinces.tolist(), strict=True) if loc and loc != prov}
            cached = (generation, columns.values("province") | columns.values("locality"), sub)
            self._places_cache = cached
        return cached[1], cached[2]

    def _dense(
        self, vector, k: int, where: dict | None, mask: np.ndarray | None, index: IndexSnapshot, sentences: bool = True
    ) -> list:
        """Dense hits (``chunk_id``, ``text``, ``metadata``, ``score``) within ``where`` (Chroma) /
        ``mask`` (the same filter on the in-process index), if any; ``sentences``: ordered with the
        sentence level."""
        if self.exact and index.has_vectors:
            hits = index.dense(vector, k, mask=mask if where is not None else None)
        else:
            hits = self.store.dense_search(vector, k, where)
        return self._sentence_level(hits, vector) if sentences else hits

    def _sentence_level_for(self, scope: QueryScope) -> bool:
        """Whether the dense side orders by the sentence level: not for a question about a place
        (see the module docstring)."""
        return not (self.use_scope and (scope.provinces or scope.localities))

    def _sentence_level(self, hits: list, vector) -> list:
        """The dense candidates reordered by chunk similarity + ``sentence_weight`` x best sentence
        similarity (a chunk stored without sentence vectors counts its own similarity for both).
        Scores stay the chunk's cosine; only the order, which the fusion reads, changes."""
        if not self.sentence_weight or not any(h.sentences is not None for h in hits):
            return hits
        query = unit(vector)

        def combined(hit) -> float:
            best = float((hit.sentences @ query).max()) if hit.sentences is not None else hit.score
            return hit.score + self.sentence_weight * best

        return sorted(hits, key=combined, reverse=True)

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> RetrievalResult:
        started = time.perf_counter()
        k = k or self.k
        self.sync(wait=not self.background_sync)
        index = self.snapshot()  # every read below uses this one state of the index
        scope = apply_filters(understand(question, self.known_localities(index)), filters or Filters())
        if scope.indicators and self.use_scope:
            # The answer must be a stated fact of the asked indicator: read the facts of more passages
            # (look-alike reports of one province and period share every word but the figures).
            k = max(k, FACT_CANDIDATES)
        result = RetrievalResult(scope=scope, chunks=[])
        if self.use_scope and (scope.provinces or scope.localities):
            # A city is known only as a document's own city ("thành phố Bắc Ninh" is not the province's
            # documents, which carry the province's name as their locality too).
            known = self.known_localities(index) if scope.localities else self.known_places(index)
            missing = [p for p in scope.localities or scope.provinces if p not in known]
            if len(missing) == len(scope.localities or scope.provinces):
                result.empty_reason = f"no document about {', '.join(missing)}"
                result.outside_scope = self._outside_scope(scope, [], k, None, index)
                result.timings_ms["retrieve"] = round((time.perf_counter() - started) * 1000, 2)
                return result
        period = period_filter(scope) if self.use_scope else ""
        if period and not scope_mask(scope, index, period).any():
            period = ""  # no document of that period in scope: search them all
        where = scope_where(scope, period) if self.use_scope else None
        accept = scope_accepts(scope) if self.use_scope and (scope.constrained or period) else None

        # One mask for both sides (scope_where and scope_accepts are the same filter).
        mask = scope_mask(scope, index, period) if where is not None or accept is not None else None
        dense_hits, lexical_hits = [], []
        depth = max(CANDIDATES, k)
        vector = None
        if self.mode in ("hybrid", "dense"):
            vector = self.store.embeddings.embed_query(scope.question)
            dense_hits = self._dense(vector, depth, where, mask, index, sentences=self._sentence_level_for(scope))
        if self.mode in ("hybrid", "bm25"):
            lexical_hits = index.search(scope.search_text, depth, mask=mask if accept is not None else None)

        w_dense, w_lexical = 1.0, VIETNAMESE_LEXICAL_WEIGHT
        if self.mode == "hybrid" and scope.lang != "vi":
            low, high = ENGLISH_LEXICAL_WEIGHT
            w_lexical = low + (high - low) * scope.lexical_trust
        merged: dict[str, RetrievedChunk] = {}
        for rank, hit in enumerate(dense_hits, start=1):
            chunk = merged.setdefault(hit.chunk_id, self._chunk(hit))
            chunk.dense_rank = rank
            chunk.score += w_dense / (RRF_K + rank)
        for rank, hit in enumerate(lexical_hits, start=1):
            chunk = merged.setdefault(hit.chunk_id, self._chunk(hit))
            chunk.lexical_rank = rank
            chunk.score += w_lexical / (RRF_K + rank)
        if self.use_scope and scope.provinces and not scope.localities:
            for chunk in merged.values():
                if chunk.metadata.get("locality") not in ("", chunk.metadata.get("province")):
                    chunk.score *= SUBUNIT_PENALTY
        if self.use_scope and self.use_role and scope.wanted_role:
            for chunk in merged.values():
                role = chunk_role(chunk.metadata)
                if role and role != scope.wanted_role:
                    chunk.score *= ROLE_PENALTY
        ranked = sorted(merged.values(), key=lambda c: c.score, reverse=True)
        result.chunks = ranked[: max(k, 10)]
        if not result.chunks and scope.constrained and self.use_scope:
            result.empty_reason = f"no document passage for {scope.describe()}"
        if len(result.chunks) < max(k, 10) and where is not None:
            result.outside_scope = self._outside_scope(scope, result.chunks, k, vector, index)
        result.timings_ms["retrieve"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _outside_scope(
        self, scope: QueryScope, found: list[RetrievedChunk], k: int, vector: list[float] | None, index: IndexSnapshot
    ) -> list[RetrievedChunk]:
        """Unfiltered dense hits that fill the list up to ``k`` (at least 10), scored below the rest.
        ``vector``: the question's embedding when the search already made it."""
        wanted = max(k, 10) - len(found)
        if wanted <= 0 or self.mode == "bm25":
            hits = index.search(scope.search_text, wanted + len(found)) if wanted > 0 else []
        else:
            vector = vector if vector is not None else self.store.embeddings.embed_query(scope.question)
            hits = self._dense(vector, wanted + len(found), None, None, index, sentences=self._sentence_level_for(scope))
        seen = {c.chunk_id for c in found}
        floor = min((c.score for c in found), default=0.0)
        padding = []
        for rank, hit in enumerate(hits, start=1):
            if hit.chunk_id in seen:
                continue
            chunk = self._chunk(hit)
            chunk.score = floor * 0.5 / rank
            padding.append(chunk)
        return padding[:wanted]

    @staticmethod
    def _chunk(hit) -> RetrievedChunk:
        """A retrieved chunk from a dense or lexical hit (score filled in by the fusion)."""
        metadata = hit.metadata
        return RetrievedChunk(
            hit.chunk_id, metadata.get("source", ""), chunk_body(hit.text, metadata), hit.text, metadata, 0.0,
            sentence_vectors=hit.sentences,
        )

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=c.text, metadata={**c.metadata, "chunk_id": c.chunk_id, "score": c.score})
            for c in self.search(query).chunks
        ]
