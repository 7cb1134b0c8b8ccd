"""Structure-aware chunking that follows the document's own headings and lists.

Government reports are outlines: "I./II." parts, "1./2." sections, "(1)./(2)." targets, "a)/b)"
points and "-" bullets. A figure's meaning lives in that outline ("(5) Thu hút vốn FDI ... 1.200 triệu
USD" is a 2023 *target* because it sits under "II. ... CHỈ TIÊU CHỦ YẾU NĂM 2023"). So chunks never
cross a heading, never cut a list item or a sentence, and each carries its heading path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.sentences import split_sentences

# (level, pattern) for list/heading markers; lower level = higher in the outline.
_MARKERS = [
    (1, re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+[IVXLC\d]+\b")),
    (1, re.compile(r"^[IVXLC]{1,6}\s*[.)/-]\s+\S")),
    (2, re.compile(r"^\d{1,2}\s*[.)/]\s+\S|^\d{1,2}\.\d{1,2}\.?\s+\S")),
    (3, re.compile(r"^\(\d{1,2}\)\s*[.:]?\s*\S|^\d{1,2}\)\s+\S")),
    (4, re.compile(r"^[a-zđ]\s*[)/.]\s+\S|^\([a-zđ]\)\s*\S")),
    (5, re.compile(r"^[-–•+*●▪◦]\s*\S")),
]
_SENTENCE_END = re.compile(r"[.;:!?…]$")


@dataclass
class Block:
    text: str
    level: int  # 0 = plain paragraph
    heading: bool


@dataclass
class Chunk:
    index: int
    section: list[str]  # heading path, outermost first
    body: str
    years: list[int] = field(default_factory=list)  # filled by the document parser


def classify(line: str) -> Block:
    for level, pattern in _MARKERS:
        if pattern.match(line):
            short = len(line) <= 160 and not _SENTENCE_END.search(line)
            # A bullet is content; a numbered line that reads like a title is a heading.
            return Block(line, level, heading=short and level < 5)
    if line.isupper() and len(line) <= 160 and any(c.isalpha() for c in line):
        return Block(line, 1, heading=True)
    return Block(line, 0, heading=False)


def _units(blocks: list[Block]) -> list[tuple[list[str], str]]:
    """Group blocks into (heading path, unit text); a unit is a list item with its continuation."""
    path: list[tuple[int, str]] = []
    units: list[tuple[list[str], str]] = []
    current: list[str] = []
    current_path: list[str] = []
    current_level = 0

    def flush() -> None:
        if current:
            units.append((current_path, "\n".join(current)))
            current.clear()

    for block in blocks:
        if block.heading:
            flush()
            path = [(lvl, text) for lvl, text in path if lvl < block.level]
            path.append((block.level, block.text))
            current_path = [text for _, text in path]
            current_level = 0
            continue
        if block.level:  # a new list item starts a new unit
            flush()
            current_level = block.level
            current_path = [text for _, text in path]
            current.append(block.text)
        elif current and current_level:  # a paragraph continuing the open list item
            current.append(block.text)
        else:
            flush()
            current_path = [text for _, text in path]
            current.append(block.text)
            flush()
    flush()
    return units


def _split_oversized(text: str, limit: int) -> list[str]:
    """Split a unit longer than ``limit`` at sentence ends (and, for one huge sentence, at '; ')."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        clause_buffer = ""
        for clause in re.split(r"(?<=;)\s+", sentence):
            if clause_buffer and len(clause_buffer) + len(clause) + 1 > limit:
                pieces.append(clause_buffer)
                clause_buffer = ""
            clause_buffer = f"{clause_buffer} {clause}".strip()
            while len(clause_buffer) > limit * 2:  # no punctuation at all: cut at a space
                cut = clause_buffer.rfind(" ", 0, limit) if " " in clause_buffer[:limit] else limit
                pieces.append(clause_buffer[:cut])
                clause_buffer = clause_buffer[cut:].strip()
        if clause_buffer:
            pieces.append(clause_buffer)
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) + len(piece) + 1 <= limit:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def chunk_text(body: str, limit: int = 900) -> list[Chunk]:
    """Chunks of at most about ``limit`` characters that respect headings, items and sentences."""
    blocks = [classify(line.strip()) for line in body.split("\n") if line.strip()]
    chunks: list[Chunk] = []
    buffer: list[str] = []
    buffer_path: list[str] | None = None

    def emit(path: list[str], text: str) -> None:
        chunks.append(Chunk(index=len(chunks), section=list(path), body=text))

    def flush() -> None:
        if buffer and buffer_path is not None:
            emit(buffer_path, "\n".join(buffer))
        buffer.clear()

    for path, unit in _units(blocks):
        if buffer_path != path or sum(len(b) + 1 for b in buffer) + len(unit) > limit:
            flush()
            buffer_path = path
        if len(unit) > limit:
            for piece in _split_oversized(unit, limit):
                emit(path, piece)
            continue
        buffer.append(unit)
    flush()
    return chunks
