"""Read a hoidap data dir in a fresh process and print its state as JSON (used by the crash tests).

A separate process, as a user's next command would be: it sees exactly what is on disk, with no
client-side cache from the test process. Run as ``python tests/vectorstore/store_probe.py DATA_DIR
[QUESTION...]``; it prints one JSON object:

- ``visible``: per source, the content hashes and chunk indexes readers can see;
- ``hidden``: how many invisible (not yet flipped, or left over) chunks are stored;
- ``lexical_ids`` / ``visible_ids``: the BM25 index's chunk ids and Chroma's visible chunk ids;
- ``digest``: a hash of every visible chunk (storage id, text, metadata less the ingest time);
- ``answers``: for each question, the ids and sources of the passages retrieved and cited.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hoidap.app.config import load_settings  # noqa: E402
from hoidap.app.service import build_service  # noqa: E402


def probe(data_dir: Path, questions: list[str]) -> dict:
    service = build_service(load_settings(data_dir=data_dir))
    store = service.store
    got = store.collection.get(include=["metadatas", "documents"])
    visible: dict[str, dict] = {}
    visible_ids, digest_rows, hidden = [], [], 0
    for storage_id, metadata, text in zip(got["ids"], got["metadatas"], got["documents"], strict=True):
        if not metadata.get("ready"):
            hidden += 1
            continue
        entry = visible.setdefault(metadata["source"], {"hashes": [], "indexes": []})
        entry["hashes"].append(metadata["content_hash"])
        entry["indexes"].append(metadata["chunk_index"])
        visible_ids.append(storage_id.partition("#")[0])
        stable = {k: v for k, v in metadata.items() if k != "ingested_at"}
        digest_rows.append(json.dumps([storage_id, text, stable], sort_keys=True, ensure_ascii=False))
    for entry in visible.values():
        entry["hashes"] = sorted(set(entry["hashes"]))
        entry["indexes"].sort()
    service.retriever.sync()
    answers = []
    for question in questions:
        result = service.ask(question)
        answers.append({
            "question": question,
            "retrieved": [[r["chunk_id"], r["source"]] for r in result["retrieved"]],
            "cited": [[c["chunk_id"], c["source"]] for c in result["citations"]],
        })
    return {
        "visible": visible,
        "hidden": hidden,
        "total": store.count(),
        "visible_ids": sorted(visible_ids),
        "lexical_ids": sorted(service.retriever.index.chunk_ids),
        "digest": hashlib.sha256("\n".join(sorted(digest_rows)).encode()).hexdigest(),
        "answers": answers,
    }


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), sys.argv[2:]), ensure_ascii=False))
