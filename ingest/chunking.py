"""Structure-aware chunking that follows the document's own headings and lists.

Government reports are outlines: "I./II." parts, "1./2." sections, "(1)./(2)." targets, "a)/b)"
points and "-" bullets. A figure's meaning lives in that outline ("(5) Thu hút vốn FDI ... 1.200 triệu
USD" is a 2023 *target* because it sits under "II. ... CHỈ TIÊU CHỦ YẾU NĂM 2023"). So chunks never
cross a heading, never cut a list item or a sentence, and each carries its heading path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hoidap.ingest.sentences import split_sentences

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
_MARKERS_PREFIX = re.compile(r"^\(?[\dIVXLCa-zđ]{1,6}\)?\s*[.)/:]?\s*")


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
    role: str = ""  # "result" / "target" / "": filled by the document parser from the headings


def classify(line: str) -> Block:
    for level, pattern in _MARKERS:
        if pattern.match(line):
            short = len(line) <= 160 and not _SENTENCE_END.search(line)
            # A bullet is content; a numbered line that reads like a title is a heading. Deep items
            # that carry a figure ("(3) Thu hút vốn FDI ... 1.200 triệu USD", no full stop) are
            # targets, not titles.
            figure_item = level >= 3 and any(c.isdigit() for c in _MARKERS_PREFIX.sub("", line))
            return Block(line, level, heading=short and level < 5 and not figure_item)
    if line.isupper() and len(line) <= 160 and any(c.isalpha() for c in line):
        return Block(line, 1, heading=True)
    return Block(line, 0, heading=False)


def _units(blocks: list[Block]) -> list[tuple[list[str], str]]:
    """Group blocks into (heading path, unit text); a unit is a list item with its continuation."""
    path: list[tuple[int, str, int]] = []  # (level, heading, serial)
    units: list[tuple[list[str], str]] = []
    current: list[str] = []
    current_path: list[str] = []
    current_level = 0

    def flush() -> None:
        if current:
            units.append((current_path, "\n".join(current)))
            current.clear()

    used: set[int] = set()  # serials of headings that have content under them

    for block_number, block in enumerate(blocks):
        if block.heading:
            flush()
            # A heading replaced before any content sat under it (a title right above "I.", a
            # multi-line title) would vanish from the chunks: keep it as a unit of its own.
            for position, (lvl, text, serial) in enumerate(path):
                if lvl >= block.level and serial not in used:
                    units.append(([t for _, t, _ in path[:position]], text))
                    used.add(serial)
            path = [entry for entry in path if entry[0] < block.level]
            path.append((block.level, block.text, block_number))
            current_path = [text for _, text, _ in path]
            current_level = 0
            continue
        used.update(serial for _, _, serial in path)
        if block.level:  # a new list item starts a new unit
            flush()
            current_level = block.level
            current_path = [text for _, text, _ in path]
            current.append(block.text)
        elif current and current_level:  # a paragraph continuing the open list item
            current.append(block.text)
        else:
            flush()
            current_path = [text for _, text, _ in path]
            current.append(block.text)
            flush()
    flush()
    for position, (_, text, serial) in enumerate(path):  # trailing headings with nothing under them
        if serial not in used:
            units.append(([t for _, t, _ in path[:position]], text))
    return units


def _pack(parts: list[str], limit: int) -> list[str]:
    """Join consecutive parts with spaces while they fit in ``limit``."""
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + len(part) + 1 <= limit:
            packed[-1] = f"{packed[-1]} {part}"
        else:
            packed.append(part)
    return packed


def _split_at(text: str, separators: list[str], limit: int) -> list[str]:
    """Split ``text`` at the first separator that helps, recursing to finer ones for pieces still too long."""
    if len(text) <= limit:
        return [text]
    if not separators:  # one "word" longer than the limit: cut it
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    separator, finer = separators[0], separators[1:]
    parts = re.split(separator, text)
    if len(parts) == 1:
        return _split_at(text, finer, limit)
    pieces: list[str] = []
    for part in _pack(parts, limit):
        pieces.extend(_split_at(part, finer, limit))
    return pieces


def _split_oversized(text: str, limit: int) -> list[str]:
    """Split a unit longer than ``limit`` at sentence ends; a sentence still too long at '; ', then
    at ', ', then at spaces (reports write thousand-character sentences with commas only)."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        pieces.extend(_split_at(sentence, [r"(?<=;)\s+", r"(?<=,)\s+", r"\s+"], limit))
    return _pack(pieces, limit)


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
