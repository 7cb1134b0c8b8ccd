"""Files into the store: parse each file, skip it when unchanged, replace it when changed.

One file's failure is reported with its reason and the batch goes on. A file is parsed and
embedded completely before the store is touched, so a failure leaves the stored version intact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.document import (
    ParsedDocument,
    content_hash,
    document_id,
    iter_files,
    parse_document,
    read_file,
    source_name,
)
from ingest.errors import IngestError
from vectorstore.chroma_store import ChunkStore, year_key


@dataclass
class FileResult:
    path: str
    source: str
    status: str  # "ingested", "unchanged" or "failed"
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
    lines = [f"[{place or 'không rõ địa phương'}]", facts.title[:240]]
    lines.extend(section)
    return "\n".join(line for line in lines if line)


def chunk_records(parsed: ParsedDocument, path: Path) -> tuple[list[str], list[str], list[dict]]:
    facts = parsed.facts
    ids, texts, metadatas = [], [], []
    for chunk in parsed.chunks:
        header = context_header(parsed, chunk.section)
        text = f"{header}\n\n{chunk.body}"
        metadata = {
            "doc_id": parsed.doc_id,
            "source": parsed.source,
            "path": str(path.resolve()),  # absolute, so --prune works from any directory
            "content_hash": parsed.content_hash,
            "chunk_index": chunk.index,
            "section": " > ".join(chunk.section),
            "body_start": len(header) + 2,
            "title": facts.title,
            "province": facts.province,
            "locality": facts.locality,
            "province_2025": facts.province_2025,
            "date": facts.date,
            "doc_type": facts.doc_type,
            "doc_years": ",".join(str(y) for y in facts.years),
            "years": ",".join(str(y) for y in chunk.years),
            "role": chunk.role,
            "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        for year in chunk.years:
            metadata[year_key(year)] = True
        ids.append(f"{parsed.doc_id}-{chunk.index:05d}")
        texts.append(text)
        metadatas.append(metadata)
    return ids, texts, metadatas


def chunk_body(text: str, metadata: dict) -> str:
    """The chunk's own text, without the context header it was embedded with."""
    return text[int(metadata.get("body_start", 0)) :]


class Indexer:
    def __init__(self, store: ChunkStore, chunk_chars: int = 900, max_file_bytes: int = 50_000_000) -> None:
        self.store = store
        self.chunk_chars = chunk_chars
        self.max_file_bytes = max_file_bytes

    def ingest_file(self, path: Path, source: str | None = None) -> FileResult:
        started = time.perf_counter()
        source = source_name(source or path.name)
        result = FileResult(str(path), source, "failed")
        try:
            data = read_file(path, self.max_file_bytes)
            doc_id = document_id(source)
            if self.store.stored_hash(doc_id) == content_hash(data, self.chunk_chars):
                result.status = "unchanged"
                return result
            parsed = parse_document(source, path, data, self.chunk_chars)
            ids, texts, metadatas = chunk_records(parsed, path)
            vectors = self.store.embeddings.embed_documents(texts)
            self.store.replace_document(parsed.doc_id, ids, texts, vectors, metadatas)
            result.status, result.chunks, result.note = "ingested", len(ids), parsed.note
        except IngestError as exc:
            result.reason = str(exc)
        except MemoryError:
            result.reason = "the file is too large to process in memory"
        finally:
            result.seconds = round(time.perf_counter() - started, 3)
        return result

    def ingest(
        self, paths: Iterable[Path], on_file: Callable[[FileResult], None] | None = None
    ) -> list[FileResult]:
        results = []
        for path in iter_files(paths):
            result = self.ingest_file(path)
            results.append(result)
            if on_file:
                on_file(result)
        return results

    def prune(self) -> list[str]:
        """Remove documents whose recorded file no longer exists; returns their sources."""
        removed = []
        for document in self.store.list_documents():
            path = self.store.document_path(document["doc_id"])
            if path and not Path(path).exists():
                self.store.delete_document(document["doc_id"])
                removed.append(document["source"])
        return removed
