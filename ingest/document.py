"""A file in, a parsed document out: load, clean, normalise, extract facts, chunk.

Nothing here touches the store: a file that fails anywhere in this chain fails before anything
is written, so a bad file can never leave half a document behind.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hoidap.ingest.chunking import Chunk, chunk_text
from hoidap.ingest.clean import clean_text
from hoidap.ingest.decode import LEGACY_ENCODINGS
from hoidap.ingest.errors import IngestError
from hoidap.ingest.loaders import load_file_text
from hoidap.ingest.metadata import DocumentFacts, extract_facts, section_role, years_about
from hoidap.ingest.normalize import normalize_text

# Bump when parsing changes the chunks a file produces: stored documents are then re-ingested.
PARSER_VERSION = "6"  # 6: chunks carry their typed facts and the document its period; "quý I/2023" names 2023


@dataclass
class ParsedDocument:
    source: str  # the file name: the document's identity in the store
    doc_id: str
    content_hash: str
    facts: DocumentFacts
    chunks: list[Chunk]
    text: str  # cleaned, normalised body
    note: str = ""  # something the person ingesting should know, e.g. "converted from TCVN3 (ABC)"


def source_name(name: str) -> str:
    """The name a document is known by: NFC (a Mac writes "Báo cáo.txt" decomposed, Windows composed,
    and both are one document), without control or invisible format characters (a right-to-left
    override could make "báo_cáo\u202etxt.exe" display as an innocent name in every listing)."""
    name = unicodedata.normalize("NFC", name)
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))


def document_id(source: str) -> str:
    return hashlib.sha1(source_name(source).encode("utf-8")).hexdigest()[:16]


def content_hash(data: bytes, chunk_chars: int) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"|parser={PARSER_VERSION}|chunk={chunk_chars}".encode())
    return digest.hexdigest()[:32]


def read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc
    if size > max_bytes:
        raise IngestError(
            f"the file is {size / 1e6:.2f} MB, over the {max_bytes / 1e6:g} MB limit (HOIDAP_MAX_FILE_MB)"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc


def parse_document(source: str, path: Path, data: bytes, chunk_chars: int = 900) -> ParsedDocument:
    """Parse one file's bytes; raises :class:`IngestError` with the reason when it cannot."""
    loaded = load_file_text(path, data)
    encoding = getattr(loaded, "encoding", "")
    raw = normalize_text(loaded)
    cleaned = clean_text(raw)
    if len(cleaned.text) < 20:
        raise IngestError("no document text left after removing page leftovers")
    facts = extract_facts(cleaned.text, "\n".join(cleaned.removed))
    chunks = chunk_text(cleaned.text, chunk_chars)
    for chunk in chunks:
        # A heading's year scopes everything under it ("CHỈ TIÊU CHỦ YẾU NĂM 2023"); without one,
        # the passage is about the document's years plus any it names itself.
        section_years = {year for heading in chunk.section for year in years_about(heading)}
        own = set(years_about(chunk.body))
        chunk.years = sorted(own | (section_years or set(facts.years)))
        chunk.role = section_role(chunk.section, facts.period)
    return ParsedDocument(
        source=source,
        doc_id=document_id(source),
        content_hash=content_hash(data, chunk_chars),
        facts=facts,
        chunks=chunks,
        text=cleaned.text,
        note=f"converted from {encoding}" if encoding in LEGACY_ENCODINGS else "",
    )


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and every non-hidden file below folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path
