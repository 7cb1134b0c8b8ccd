"""Files into the store: parse each file, skip it when unchanged, replace it when changed.

One file's failure is reported with its reason and the batch goes on. A file is parsed and
embedded completely before the store is touched, so a failure leaves the stored version intact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from hoidap.ingest.document import (
    ParsedDocument,
    content_hash,
    document_id,
    iter_files,
    parse_document,
    read_file,
    source_name,
)
from hoidap.ingest.errors import IngestError
from hoidap.ingest.facts import ChunkContext, chunk_facts, mark_ocr
from hoidap.ingest.sentences import answer_units
from hoidap.vectorstore import sentence_vectors
from hoidap.vectorstore.chroma_store import ChunkStore, NewDocument
from hoidap.vectorstore.records import chunk_body, chunk_metadata


@dataclass
class FileResult:
    path: str
    source: str
    status: str  # "ingested", "unchanged", "failed", or "replaced" (an upload that asked to replace)
    chunks: int = 0
    reason: str = ""
    seconds: float = 0.0
    note: str = ""  # e.g. "converted from TCVN3 (ABC)"

    def as_dict(self) -> dict:
        return asdict(self)


def context_header(parsed: ParsedDocument, section: list[str]) -> str:
    """The context every chunk carries into embedding and BM25: where and when, title, heading path."""
    facts = parsed.facts
    place = facts.locality if facts.locality and facts.locality != facts.province else ""
    place = f"{place}, {facts.province}" if place else facts.province
    lines = [f"[{place}]" if place else "", facts.title[:240]]
    lines.extend(section)
    return "\n".join(line for line in lines if line)


def chunk_records(parsed: ParsedDocument, path: Path) -> tuple[list[str], list[str], list[dict]]:
    facts = parsed.facts
    document = {
        "doc_id": parsed.doc_id,
        "source": parsed.source,
        "path": str(path.resolve()),  # absolute, so --prune works from any directory
        "content_hash": parsed.content_hash,
        "title": facts.title,
        "province": facts.province,
        "locality": facts.locality,
        "province_2025": facts.province_2025,
        "date": facts.date,
        "doc_type": facts.doc_type,
        "doc_period": facts.period,
        "doc_years": ",".join(str(y) for y in facts.years),
    }
    ids, texts, metadatas = [], [], []
    for chunk in parsed.chunks:
        header = context_header(parsed, chunk.section)
        figures = mark_ocr(
            chunk_facts(chunk.body, ChunkContext(chunk.section, chunk.role, chunk.years, facts.period)), chunk.ocr, chunk.ocr_doubt
        )
        ids.append(f"{parsed.doc_id}-{chunk.index:05d}")
        texts.append(f"{header}\n\n{chunk.body}")
        metadatas.append(chunk_metadata(document, chunk, len(header), figures))
    return ids, texts, metadatas


def parse_records(source: str, path: Path, data: bytes, chunk_chars: int) -> tuple[ParsedDocument, tuple]:
    """Parse a file's bytes and make its chunk records (the CPU-heavy, store-free part of ingest)."""
    parsed = parse_document(source, path, data, chunk_chars)
    return parsed, chunk_records(parsed, path)


GROUP_CHUNKS = 256  # chunks embedded per call across consecutive files


@dataclass
class _Prepared:
    """A file read, parsed and chunked, waiting for its vectors."""

    result: FileResult
    started: float
    parsed: ParsedDocument | None = None
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metadatas: list[dict] = field(default_factory=list)
    vectors: list | None = None
    new: bool = False  # no record of the document is stored: it can be added without a replace
    parse_seconds: float = 0.0  # reading, parsing and chunking this file alone


class Indexer:
    def __init__(
        self, store: ChunkStore, chunk_chars: int = 900, max_file_bytes: int = 50_000_000, sentence_level: bool = True,
        embeddings: Embeddings | None = None, on_stage: Callable[[str, str, int], None] | None = None,
        run: Callable | None = None,
    ) -> None:
        """``embeddings``: what embeds the chunks (default the store's; the server's ingest queue
        passes one in a lower-priority process); ``on_stage(path, stage, chunks)``: each file's
        progress ("parsed", "embedding", "writing"); ``run(function, *args)``: where parsing runs
        (default: here; the ingest queue runs it in the embedder's child process, off the GIL the
        questions need)."""
        self.run = run or (lambda function, *args: function(*args))
        self.store = store
        self.embeddings = embeddings or store.embeddings
        self.on_stage = on_stage
        self.chunk_chars = chunk_chars
        self.max_file_bytes = max_file_bytes
        # Embed each chunk's answer units too (vectorstore.sentence_vectors): about twice the
        # embedding work of the chunks alone, for sentence-level retrieval and a faster answer step.
        self.sentence_level = sentence_level

    def ingest_file(self, path: Path, source: str | None = None) -> FileResult:
        return self.ingest([path], sources=[source])[0]

    def ingest(
        self,
        paths: Iterable[Path],
        on_file: Callable[[FileResult], None] | None = None,
        sources: Iterable[str | None] | None = None,
        group_chunks: int = GROUP_CHUNKS,
    ) -> list[FileResult]:
        """Ingest files (folders are walked), reporting each through ``on_file`` as it finishes.

        The chunks of consecutive files are embedded together, up to ``group_chunks`` at a time, so
        the embedder gets batches long enough to sort by length and spread over both cores (one
        look-alike report is four or five chunks: embedded alone, half a batch and one core). Each
        document is still written to the store on its own, so a failure costs only its file. Files
        are reported as they finish (unchanged and failed ones at once, ingested ones with their
        group), and an ingested file's ``seconds`` include its group's shared embedding.
        """
        files = list(iter_files(paths)) if sources is None else list(paths)
        names = list(sources) if sources is not None else [None] * len(files)
        results: list[FileResult] = []
        group: list[_Prepared] = []

        def finish(result: FileResult) -> None:
            if on_file:
                on_file(result)

        def flush() -> None:
            self._embed_and_store(group)
            for prepared in group:
                finish(prepared.result)
            group.clear()

        for path, source in zip(files, names, strict=True):
            try:
                prepared = self._prepare(path, source)
            except BaseException:
                if group:  # an unexpected error (the store unreachable...): keep what is already parsed
                    flush()
                raise
            results.append(prepared.result)
            if prepared.parsed is None:
                finish(prepared.result)
                continue
            group.append(prepared)
            if sum(len(p.texts) for p in group) >= group_chunks:
                flush()
        if group:
            flush()
        return results

    def _prepare(self, path: Path, source: str | None) -> _Prepared:
        """Read, compare with the stored version, parse and chunk; nothing is written."""
        started = time.perf_counter()
        source = source_name(source or path.name)
        prepared = _Prepared(FileResult(str(path), source, "failed"), started)
        try:
            data = read_file(path, self.max_file_bytes)
            stored_hash, any_stored = self.store.stored_version(document_id(source))
            if stored_hash == content_hash(data, self.chunk_chars):
                prepared.result.status = "unchanged"
            else:
                prepared.parsed, records = self.run(parse_records, source, path, data, self.chunk_chars)
                prepared.ids, prepared.texts, prepared.metadatas = records
                prepared.new = not any_stored
                self._stage(prepared, "parsed")
        except IngestError as exc:
            prepared.result.reason = str(exc)
        except MemoryError:
            prepared.result.reason = "the file is too large to process in memory"
        prepared.parse_seconds = time.perf_counter() - started
        if prepared.parsed is None:
            prepared.result.seconds = round(prepared.parse_seconds, 3)
        return prepared

    def _embed_and_store(self, group: list[_Prepared]) -> None:
        """Embed the group's chunks in one call (each file alone if that fails), then store them: the
        group's new documents together (``ChunkStore.add_new_documents``), the others, and any new one
        whose group write failed, one by one (``replace_document``). Each file's ``seconds`` is its own
        parsing plus its share (by chunks) of the group's embedding and writing, not the group's time."""
        group_started = time.perf_counter()
        for prepared in group:
            self._stage(prepared, "embedding")
        try:
            self._embed(group)
        except Exception:  # noqa: BLE001 - retried file by file below, where the error is reported
            for prepared in group:
                prepared.vectors = None
        new: dict[str, _Prepared] = {}
        for prepared in group:  # a name given twice in one batch: the later file replaces the first
            if prepared.new and prepared.vectors is not None:
                new.setdefault(prepared.parsed.doc_id, prepared)
        stored: set[int] = set()
        for prepared in group:
            self._stage(prepared, "writing")
        if new:
            try:
                added = self.store.add_new_documents(
                    [NewDocument(doc_id, p.ids, p.texts, p.vectors, p.metadatas) for doc_id, p in new.items()]
                )
                stored = {id(new[doc_id]) for doc_id in added}
            except Exception:  # noqa: BLE001 - each file is stored again below, where its error is reported
                pass
        for prepared in group:
            result = prepared.result
            try:
                if id(prepared) in stored:
                    result.status, result.chunks, result.note = "ingested", len(prepared.ids), prepared.parsed.note
                    continue
                if prepared.vectors is None:
                    self._embed([prepared])
                self.store.replace_document(
                    prepared.parsed.doc_id, prepared.ids, prepared.texts, prepared.vectors, prepared.metadatas
                )
                result.status, result.chunks, result.note = "ingested", len(prepared.ids), prepared.parsed.note
            except IngestError as exc:
                result.reason = str(exc)
            except MemoryError:
                result.reason = "the file is too large to process in memory"
        shared = time.perf_counter() - group_started
        chunks = sum(len(p.texts) for p in group) or 1
        for prepared in group:
            prepared.result.seconds = round(prepared.parse_seconds + shared * len(prepared.texts) / chunks, 3)

    def _stage(self, prepared: _Prepared, stage: str) -> None:
        if self.on_stage is not None:
            self.on_stage(prepared.result.path, stage, len(prepared.ids))

    def _embed(self, group: list[_Prepared]) -> None:
        """Vectors for the group's chunks and, with ``sentence_level``, for each chunk's answer units
        (stored in its metadata), in one embedder call: the embedder sorts the lot by length and
        spreads it over the cores. A text repeated in the group is embedded once."""
        units = [
            answer_units(chunk_body(text, metadata)) if self.sentence_level else []
            for p in group
            for text, metadata in zip(p.texts, p.metadatas, strict=True)
        ]
        texts = [t for p in group for t in p.texts] + [u for chunk_units in units for u in chunk_units]
        unique = list(dict.fromkeys(texts))
        found = dict(zip(unique, self.embeddings.embed_documents(unique), strict=True))
        chunk_units = iter(units)
        for prepared in group:
            prepared.vectors = [found[t] for t in prepared.texts]
            for metadata in prepared.metadatas:
                sentences = next(chunk_units)
                metadata.pop(sentence_vectors.METADATA_KEY, None)
                metadata.pop(sentence_vectors.CHECK_KEY, None)
                if sentences:
                    metadata[sentence_vectors.METADATA_KEY] = sentence_vectors.encode([found[u] for u in sentences])
                    metadata[sentence_vectors.CHECK_KEY] = sentence_vectors.sentences_check(sentences)

    def prune(self) -> list[str]:
        """Remove documents whose recorded file no longer exists; returns their sources."""
        removed = []
        for document in self.store.list_documents():
            path = self.store.document_path(document["doc_id"])
            if path and not Path(path).exists():
                self.store.delete_document(document["doc_id"])
                removed.append(document["source"])
        return removed
