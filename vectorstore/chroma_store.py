"""The chunk store: one Chroma collection, embedded on disk by default or on a Chroma server.

Responsibilities beyond a plain vector store:
- the collection records which embedder built it, and refuses to be used with another one
  (vectors from two models in one index silently ruin retrieval);
- documents are replaced as a unit: new chunks are written invisible (``ready=False``), the old
  version is deleted, then the new one is made visible, so a query never sees half a document;
- every write moves a generation stamp, which derived indexes (BM25) use to stay in step;
- HNSW is configured for high recall (Chroma's default ``ef_search`` is low).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from vectorstore.embeddings import embedder_name

HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}
_GET_PAGE = 5000


class EmbedderMismatchError(RuntimeError):
    """The collection was built with another embedder than the one configured."""


@dataclass
class DenseHit:
    chunk_id: str
    text: str
    metadata: dict
    score: float  # cosine similarity


def year_key(year: int) -> str:
    return f"y{year}"


class ChunkStore:
    def __init__(
        self,
        embeddings: Embeddings,
        collection: str = "hoidap",
        persist_dir: Path | None = None,
        host: str = "",
        port: int = 8000,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if host:
            self.client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            self.location = f"chroma server {host}:{port}"
        else:
            if persist_dir is None:
                raise ValueError("an embedded Chroma store needs a directory")
            persist_dir.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(persist_dir), settings=chroma_settings)
            self.location = str(persist_dir)
        self.embeddings = embeddings
        self.embedder = embedder_name(embeddings)
        self.collection_name = collection
        self.collection = self.client.get_or_create_collection(
            collection,
            configuration={"hnsw": HNSW},
            metadata={"hoidap_embedder": self.embedder, "hoidap_generation": "empty"},
        )
        built_with = (self.collection.metadata or {}).get("hoidap_embedder")
        if built_with and built_with != self.embedder:
            raise EmbedderMismatchError(
                f"The store at {self.location} (collection '{collection}') was built with the embedder "
                f"'{built_with}', but '{self.embedder}' is configured. Vectors from different models "
                f"cannot be compared: set HOIDAP_EMBEDDER back, or use another HOIDAP_DATA_DIR / "
                f"HOIDAP_COLLECTION and ingest again."
            )
        # LangChain's VectorStore over the same collection: the seam other components may use.
        self.vectorstore = Chroma(client=self.client, collection_name=collection, embedding_function=embeddings)

    # --- generation stamp -------------------------------------------------------------------
    def generation(self) -> str:
        fresh = self.client.get_collection(self.collection_name)
        return str((fresh.metadata or {}).get("hoidap_generation", ""))

    def _bump_generation(self) -> None:
        metadata = dict(self.client.get_collection(self.collection_name).metadata or {})
        metadata["hoidap_generation"] = uuid.uuid4().hex
        metadata["hoidap_embedder"] = self.embedder
        self.collection.modify(metadata=metadata)

    # --- documents --------------------------------------------------------------------------
    def stored_hash(self, doc_id: str) -> str | None:
        got = self.collection.get(where={"$and": [{"doc_id": doc_id}, {"ready": True}]}, limit=1, include=["metadatas"])
        if not got["ids"]:
            return None
        return str(got["metadatas"][0].get("content_hash"))

    def replace_document(
        self, doc_id: str, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]
    ) -> None:
        """Swap in a document's new chunks; readers see the old version or the new one, never a mix."""
        for metadata in metadatas:
            metadata["ready"] = False
        for start in range(0, len(ids), _GET_PAGE):
            end = start + _GET_PAGE
            self.collection.upsert(
                ids=ids[start:end], documents=texts[start:end], embeddings=vectors[start:end], metadatas=metadatas[start:end]
            )
        new_ids = set(ids)
        old = self.collection.get(where={"doc_id": doc_id}, include=[])
        stale = [i for i in old["ids"] if i not in new_ids]
        if stale:
            self.collection.delete(ids=stale)
        for metadata in metadatas:
            metadata["ready"] = True
        for start in range(0, len(ids), _GET_PAGE):
            end = start + _GET_PAGE
            self.collection.update(ids=ids[start:end], metadatas=metadatas[start:end])
        self._bump_generation()

    def delete_document(self, doc_id: str) -> int:
        old = self.collection.get(where={"doc_id": doc_id}, include=[])
        if old["ids"]:
            self.collection.delete(ids=old["ids"])
            self._bump_generation()
        return len(old["ids"])

    def _iter_all(self, include: list[str]) -> Iterable[tuple[str, str | None, dict]]:
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=_GET_PAGE, offset=offset)
            if not got["ids"]:
                return
            documents = got.get("documents") or [None] * len(got["ids"])
            yield from zip(got["ids"], documents, got["metadatas"], strict=True)
            offset += len(got["ids"])

    def list_documents(self) -> list[dict]:
        """One entry per document: source, chunk count and the document-level metadata."""
        documents: dict[str, dict] = {}
        for _, _, metadata in self._iter_all(["metadatas"]):
            if not metadata.get("ready"):
                continue
            entry = documents.get(metadata["doc_id"])
            if entry is None:
                entry = documents[metadata["doc_id"]] = {
                    "source": metadata["source"],
                    "doc_id": metadata["doc_id"],
                    "chunks": 0,
                    "metadata": {
                        key: metadata.get(key)
                        for key in ("title", "province", "locality", "province_2025", "date", "doc_type", "doc_years", "content_hash", "ingested_at")
                    },
                }
            entry["chunks"] += 1
        return sorted(documents.values(), key=lambda d: d["source"])

    def all_chunks(self) -> tuple[list[str], list[str], list[dict]]:
        ids, texts, metadatas = [], [], []
        for chunk_id, text, metadata in self._iter_all(["documents", "metadatas"]):
            if metadata.get("ready"):
                ids.append(chunk_id)
                texts.append(text or "")
                metadatas.append(metadata)
        return ids, texts, metadatas

    def count(self) -> int:
        return self.collection.count()

    # --- search -----------------------------------------------------------------------------
    def dense_search(self, vector: list[float], k: int, where: dict | None = None) -> list[DenseHit]:
        ready = {"ready": True}
        where = {"$and": [ready, where]} if where else ready
        result = self.collection.query(
            query_embeddings=[vector], n_results=k, where=where, include=["documents", "metadatas", "distances"]
        )
        return [
            DenseHit(chunk_id, text or "", metadata, 1.0 - float(distance))
            for chunk_id, text, metadata, distance in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
        ]
