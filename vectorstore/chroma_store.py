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

import os
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from hoidap.vectorstore import sentence_vectors
from hoidap.vectorstore.embeddings import embedder_name
from hoidap.vectorstore.generation import GenerationStamp
from hoidap.vectorstore.records import DOCUMENT_FIELDS

HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}
_GET_PAGE = 5000
# A write of this process older than this no longer holds its other threads' generation (a write
# that failed before its bump must not freeze them).
WRITE_HOLD_S = 120.0
_HIDDEN_SLACK = 10  # extra dense hits asked for, so hidden chunks can be dropped afterwards


class EmbedderMismatchError(RuntimeError):
    """The collection was built with another embedder than the one configured."""


@dataclass
class NewDocument:
    """A document's chunks, embedded and ready to store (``ChunkStore.add_new_documents``)."""

    doc_id: str
    ids: list[str]
    texts: list[str]
    vectors: list
    metadatas: list[dict]


@dataclass
class DenseHit:
    chunk_id: str
    text: str
    metadata: dict
    score: float  # cosine similarity
    sentences: np.ndarray | None = None  # the chunk's sentence vectors, when it was stored with them


def documents_of(metadatas: Iterable[dict]) -> list[dict]:
    """Chunk metadata grouped into one entry per visible document (source, chunk count, the
    document-level fields), sorted by source: what ``list_documents`` returns."""
    documents: dict[str, dict] = {}
    for metadata in metadatas:
        if not metadata.get("ready"):
            continue
        entry = documents.get(metadata["doc_id"])
        if entry is None:
            entry = documents[metadata["doc_id"]] = {
                "source": metadata["source"],
                "doc_id": metadata["doc_id"],
                "chunks": 0,
                "metadata": {key: metadata.get(key) for key in DOCUMENT_FIELDS},
            }
        entry["chunks"] += 1
    return sorted(documents.values(), key=lambda d: d["source"])




class ChunkStore:
    """Chroma is opened on first use: a cold ``hoidap ask`` on an unchanged embedded store answers
    from the in-process index saved on disk and never imports chromadb (about a second)."""

    def __init__(
        self,
        embeddings: Embeddings,
        collection: str = "hoidap",
        persist_dir: Path | None = None,
        host: str = "",
        port: int = 8000,
    ) -> None:
        if not host and persist_dir is None:
            raise ValueError("an embedded Chroma store needs a directory")
        self.embeddings = embeddings
        self.embedder = embedder_name(embeddings)
        self.collection_name = collection
        self._host, self._port, self._persist_dir = host, port, persist_dir
        self.location = f"chroma server {host}:{port}" if host else str(persist_dir)
        # Embedded stores only (a server has writers this code does not see): the generation stamp,
        # mirrored inside the store's folder by every write of this class, so a reader need not open
        # Chroma. It goes with the folder (deleted, restored, copied) and names the state of Chroma's
        # database files it was written for: a write it did not see moves them, and it is ignored.
        self._stamp = None if host else GenerationStamp(persist_dir / f"hoidap-{collection}.generation.json", self.embedder)
        self._client = self._collection = self._vectorstore = None
        self._seen = ""  # the last settled generation read from the stamp
        self._writing: dict[int, float] = {}  # threads of this process in a write, since when
        stamp = self._stamp.read() if self._stamp else None
        if stamp is None or stamp.get("embedder") != self.embedder:
            self._connect()  # creates the collection, or refuses another embedder's store

    def _connect(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self._host:
            client = chromadb.HttpClient(host=self._host, port=self._port, settings=chroma_settings)
        else:
            self._persist_dir.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(self._persist_dir), settings=chroma_settings)
        collection = client.get_or_create_collection(
            self.collection_name,
            configuration={"hnsw": HNSW},
            metadata={"hoidap_embedder": self.embedder, "hoidap_generation": "empty"},
        )
        built_with = (collection.metadata or {}).get("hoidap_embedder")
        if built_with and built_with != self.embedder:
            backend = built_with.partition("/")[0]
            error = EmbedderMismatchError(
                f"The store at {self.location} (collection '{self.collection_name}') was built with the embedder "
                f"'{built_with}', but '{self.embedder}' is configured. Vectors from different models "
                f"cannot be compared. To use this store as it is: HOIDAP_EMBEDDER={backend}. To re-embed it "
                f"with the configured embedder: ingest its documents into a new collection "
                f"(HOIDAP_COLLECTION={self.collection_name}-{self.embedder.partition('/')[0]} hoidap ingest FOLDER; "
                f"uploaded files are kept in the data dir's uploads folder), then keep that HOIDAP_COLLECTION."
            )
            error.built_with = backend
            raise error
        self._client, self._collection = client, collection

    @property
    def client(self):
        if self._client is None:
            self._connect()
        return self._client

    @property
    def collection(self):
        if self._collection is None:
            self._connect()
        return self._collection

    @property
    def vectorstore(self):
        """LangChain's VectorStore over the same collection: the seam other components may use."""
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(client=self.client, collection_name=self.collection_name, embedding_function=self.embeddings)
        return self._vectorstore

    # --- generation stamp -------------------------------------------------------------------
    def generation(self) -> str:
        """The write stamp, plus the record count: a writer killed between its last record write and
        the stamp's bump (``replace_document`` step 3) has still moved the count, so readers in other
        processes rebuild what they derived instead of keeping it until the next write.

        An embedded store's mirrored stamp is used while no write is under way: every write of this
        class enrols its process in the stamp before touching Chroma and leaves after its bump, so
        a writer killed mid-way stays enrolled (readers ask Chroma) until the next write finds it
        gone. Writes that bypass this class (``collection`` used directly) are not seen. While only
        this process writes, its readers keep the last settled generation until the write's bump."""
        stamp = self._stamp.read() if self._stamp else None
        if stamp and stamp.get("embedder") == self.embedder:
            if stamp.get("settled"):
                self._seen = stamp["generation"]
                return self._seen
            if self._seen and stamp.get("writers") == [os.getpid()] and self._writing_elsewhere():
                # Only this process is writing, on another thread (a server's ingest queue): the write
                # ends with a bump, and until then this thread keeps the generation it knows instead
                # of asking Chroma on every question and deriving indexes from a write half done.
                return self._seen
        return self._chroma_generation()

    def _chroma_generation(self) -> str:
        fresh = self.client.get_collection(self.collection_name)
        return f"{(fresh.metadata or {}).get('hoidap_generation', '')}:{fresh.count()}"

    def _writing_elsewhere(self) -> bool:
        """Whether another thread of this process is in a write (begun within WRITE_HOLD_S)."""
        now, me = time.monotonic(), threading.get_ident()
        return any(thread != me and now - since < WRITE_HOLD_S for thread, since in list(self._writing.items()))

    def _begin_write(self) -> None:
        """Called before any write to Chroma: readers stop trusting the mirrored stamp."""
        self._writing[threading.get_ident()] = time.monotonic()
        if self._stamp:
            self._stamp.begin_write()

    def _bump_generation(self) -> None:
        metadata = dict(self.client.get_collection(self.collection_name).metadata or {})
        metadata["hoidap_generation"] = uuid.uuid4().hex
        metadata["hoidap_embedder"] = self.embedder
        self.collection.modify(metadata=metadata)
        if self._stamp:
            self._stamp.end_write(self._chroma_generation())
        self._writing.pop(threading.get_ident(), None)

    # --- documents --------------------------------------------------------------------------
    # Chunks are stored under versioned ids ("<chunk id>#<content hash>"), so a document's new
    # version never overwrites its old one in place; callers only ever see the plain chunk ids.
    @staticmethod
    def _storage_id(chunk_id: str, metadata: dict) -> str:
        return f"{chunk_id}#{str(metadata.get('content_hash', ''))[:12]}"

    @staticmethod
    def _chunk_id(storage_id: str) -> str:
        return storage_id.partition("#")[0]

    def stored_hash(self, doc_id: str) -> str | None:
        """The content hash of the document's visible version, or None when absent or inconsistent."""
        return self.stored_version(doc_id)[0]

    def stored_version(self, doc_id: str) -> tuple[str | None, bool]:
        """(content hash of the visible version or None, whether any record of the document is stored):
        a document with no record at all can be written by ``add_new_documents``."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["metadatas"])
        visible = {str(m.get("content_hash")) for m in got["metadatas"] if m.get("ready")}
        hidden = [i for i, m in zip(got["ids"], got["metadatas"], strict=True) if not m.get("ready")]
        if hidden and len(visible) == 1:
            self._begin_write()
            self.collection.delete(ids=hidden)  # leftovers of an interrupted replace
            self._bump_generation()
        return (visible.pop() if len(visible) == 1 else None), bool(got["ids"])

    def add_new_documents(self, documents: list[NewDocument]) -> list[str]:
        """Write documents that have no stored record, visible at once, several per Chroma call;
        returns the ids of the documents written.

        Each document's chunks go into one call, so a reader sees a document whole or not at all, and
        the generation moves once for the lot (the replace path writes a document hidden, makes it
        visible in a second call, then moves the generation: about a third of a look-alike corpus's
        ingest time, against a tenth this way). A document larger than one call is left out, for
        ``replace_document``. If a call fails, the error is raised; the documents of the calls before
        it are stored, and any record the failed call did write is taken over by ``replace_document``."""
        limit = max(_GET_PAGE, self._max_batch())
        calls: list[list[NewDocument]] = []
        size = 0
        for document in documents:
            if len(document.ids) > limit:
                continue
            if not calls or size + len(document.ids) > limit:
                calls.append([])
                size = 0
            calls[-1].append(document)
            size += len(document.ids)
        if not calls:
            return []
        self._begin_write()
        try:
            for call in calls:
                ids, texts, vectors, metadatas = [], [], [], []
                for document in call:
                    for metadata in document.metadatas:
                        metadata["ready"] = True
                    ids += [self._storage_id(i, m) for i, m in zip(document.ids, document.metadatas, strict=True)]
                    texts += document.texts
                    vectors += list(document.vectors)
                    metadatas += document.metadatas
                self.collection.upsert(ids=ids, documents=texts, embeddings=vectors, metadatas=metadatas)
        finally:
            self._bump_generation()
        return [document.doc_id for call in calls for document in call]

    def replace_document(
        self, doc_id: str, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]
    ) -> None:
        """Swap in a document's new chunks; readers see the old version or the new one, never a mix.

        1. write the new version invisible (``ready=False``) under its own versioned ids;
        2. in one update, make the new chunks visible and the old ones invisible;
        3. delete the old chunks.
        A crash leaves at worst invisible leftovers, which the next ingest of the file removes.
        """
        storage_ids = [self._storage_id(i, m) for i, m in zip(ids, metadatas, strict=True)]
        self._begin_write()
        for metadata in metadatas:
            metadata["ready"] = False
        for start in range(0, len(ids), _GET_PAGE):
            end = start + _GET_PAGE
            self.collection.upsert(
                ids=storage_ids[start:end], documents=texts[start:end], embeddings=vectors[start:end], metadatas=metadatas[start:end]
            )
        new_ids = set(storage_ids)
        old = self.collection.get(where={"doc_id": doc_id}, include=["metadatas"])
        stale = [(i, m) for i, m in zip(old["ids"], old["metadatas"], strict=True) if i not in new_ids]
        for metadata in metadatas:
            metadata["ready"] = True
        flip_ids = storage_ids + [i for i, _ in stale]
        flip_metadatas = metadatas + [{**m, "ready": False} for _, m in stale]
        limit = max(_GET_PAGE, self._max_batch())
        for start in range(0, len(flip_ids), limit):  # one call for any document of ordinary size
            end = start + limit
            self.collection.update(ids=flip_ids[start:end], metadatas=flip_metadatas[start:end])
        if stale:
            self.collection.delete(ids=[i for i, _ in stale])
        self._bump_generation()

    def load_records(self, storage_ids: list[str], texts: list[str], vectors, metadatas: list[dict]) -> None:
        """Add already embedded records in bulk, as another store holds them (copying a store for
        benchmarks or a migration): no per-document replace, one generation move at the end."""
        limit = max(_GET_PAGE, self._max_batch())
        self._begin_write()
        for start in range(0, len(storage_ids), limit):
            end = start + limit
            self.collection.add(
                ids=storage_ids[start:end], documents=texts[start:end], embeddings=vectors[start:end], metadatas=metadatas[start:end]
            )
        self._bump_generation()

    def _max_batch(self) -> int:
        try:
            return int(self.client.get_max_batch_size())
        except Exception:  # older clients / servers without the call
            return _GET_PAGE

    def delete_document(self, doc_id: str) -> int:
        old = self.collection.get(where={"doc_id": doc_id}, include=["metadatas"])
        if old["ids"]:
            self._begin_write()
            self.collection.delete(ids=old["ids"])
            self._bump_generation()
        return sum(1 for m in old["metadatas"] if m.get("ready"))

    def document_path(self, doc_id: str) -> str | None:
        """The file a document was ingested from, as recorded at ingest."""
        got = self.collection.get(where={"$and": [{"doc_id": doc_id}, {"ready": True}]}, limit=1, include=["metadatas"])
        return str(got["metadatas"][0].get("path") or "") or None if got["ids"] else None

    def neighbours(self, doc_id: str, indexes: list[int]) -> list[tuple[str, str, dict]]:
        """Visible chunks of one document at the given positions: (chunk id, text, metadata)."""
        where = {"$and": [{"doc_id": doc_id}, {"ready": True}, {"chunk_index": {"$in": indexes}}]}
        got = self.collection.get(where=where, include=["documents", "metadatas"])
        for metadata in got["metadatas"]:
            metadata.pop(sentence_vectors.METADATA_KEY, None)
        return [
            (self._chunk_id(i), text or "", m)
            for i, text, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def _iter_all(self, include: list[str]) -> Iterable[tuple]:
        """(chunk id, text or None, metadata) of every record, page by page."""
        for got in self._pages(include):
            documents = got.get("documents") or [None] * len(got["ids"])
            yield from zip((self._chunk_id(i) for i in got["ids"]), documents, got["metadatas"], strict=True)

    def list_documents(self) -> list[dict]:
        """One entry per document: source, chunk count and the document-level metadata."""
        return documents_of(m for _, _, m in self._iter_all(["metadatas"]))

    def all_chunks(self) -> tuple[list[str], list[str], list[dict]]:
        ids, texts, metadatas = [], [], []
        for chunk_id, text, metadata in self._iter_all(["documents", "metadatas"]):
            if metadata.get("ready"):
                ids.append(chunk_id)
                texts.append(text or "")
                metadatas.append(metadata)
        return ids, texts, metadatas

    def storage_ids(self) -> list[str]:
        """The ids of every stored record, visible or not (cheap: no documents, no metadata)."""
        return list(self.collection.get(include=[])["ids"])

    def visible_records(
        self, storage_ids: list[str] | None = None, with_vectors: bool = False
    ) -> tuple[list[str], list[str], list[str], list[dict], np.ndarray | None]:
        """Visible records, all of them or those among ``storage_ids``: (storage ids, chunk ids,
        texts, metadatas, vectors as one float32 matrix or None)."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        keys, texts, metadatas, vectors = [], [], [], []
        pages = (
            (self.collection.get(ids=storage_ids[i : i + _GET_PAGE], include=include) for i in range(0, len(storage_ids), _GET_PAGE))
            if storage_ids is not None
            else self._pages(include)
        )
        for got in pages:
            embeddings = got["embeddings"] if with_vectors else [None] * len(got["ids"])
            for key, text, metadata, vector in zip(got["ids"], got["documents"], got["metadatas"], embeddings, strict=True):
                if metadata.get("ready"):
                    keys.append(key)
                    texts.append(text or "")
                    metadatas.append(metadata)
                    vectors.append(vector)
        matrix = None
        if with_vectors:
            matrix = np.asarray(vectors, dtype=np.float32) if vectors else np.zeros((0, 0), dtype=np.float32)
        return keys, [self._chunk_id(k) for k in keys], texts, metadatas, matrix

    def _pages(self, include: list[str]) -> Iterable[dict]:
        """Every record, as Chroma's ``get`` results of ``_GET_PAGE`` records each."""
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=_GET_PAGE, offset=offset)
            if not len(got["ids"]):
                return
            yield got
            offset += len(got["ids"])

    def count(self) -> int:
        return self.collection.count()

    # --- search -----------------------------------------------------------------------------
    def dense_search(self, vector: list[float], k: int, where: dict | None = None) -> list[DenseHit]:
        """The ``k`` nearest visible chunks (within ``where``).

        Hidden chunks (a replace in flight, leftovers of a crash) are dropped from a slightly longer
        list instead of filtered inside the search: a ``ready`` filter makes Chroma match every
        stored record's metadata first, which at 100k chunks costs more than the search itself. Only
        when hidden chunks crowd the list is the search repeated with the filter."""
        wanted = k + _HIDDEN_SLACK
        hits, returned = self._query(vector, wanted, where)
        if len(hits) < k and returned >= wanted:
            ready = {"ready": True}
            hits, _ = self._query(vector, k, {"$and": [ready, where]} if where else ready)
        return hits[:k]

    def _query(self, vector: list[float], n: int, where: dict | None) -> tuple[list[DenseHit], int]:
        result = self.collection.query(
            query_embeddings=[vector], n_results=n, where=where, include=["documents", "metadatas", "distances"]
        )
        hits = [
            DenseHit(self._chunk_id(chunk_id), text or "", metadata, 1.0 - float(distance), sentence_vectors.take_from(metadata))
            for chunk_id, text, metadata, distance in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
            if metadata.get("ready")
        ]
        return hits, len(result["ids"][0])
