"""Sentence splitting for Vietnamese, keeping numbers ("1.200", "7,39%") and abbreviations whole.

Uses underthesea's Punkt-style tokenizer and abbreviation list. Its module is loaded from the
installed package file on its own, because ``import underthesea`` loads far more than we need
(about five seconds of start-up). The module only depends on the standard library.
"""

from __future__ import annotations

import functools
import importlib.util
import re

from hoidap.ingest.normalize import underthesea_path


@functools.lru_cache(maxsize=1)
def _sent_tokenize():
    path = underthesea_path("pipeline", "sent_tokenize", "__init__.py")
    spec = importlib.util.spec_from_file_location("_hoidap_underthesea_sent_tokenize", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load underthesea's sentence tokenizer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sent_tokenize


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; a line break always ends a sentence."""
    tokenize = _sent_tokenize()
    sentences: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        # "(5). Thu hút..." / "1. Ban Thường vụ..." : a list marker's dot is not a sentence end.
        marker = re.match(r"^(\(?\d{1,2}\)?\.|[IVXLC]{1,6}\.|[a-zđ]\))\s*", line)
        head, rest = (line[: marker.end()], line[marker.end():]) if marker else ("", line)
        parts = tokenize(rest) if rest else []
        if parts and head:
            parts[0] = head + parts[0]
        elif head:
            parts = [head.strip()]
        sentences.extend(p for p in parts if p.strip())
    return sentences


MIN_ANSWER_CHARS = 12  # shorter pieces ("2023.", "a) Kinh tế:") answer nothing


def answer_units(body: str) -> list[str]:
    """The sentences and list items of a chunk's body that can answer a question: what the answer
    step chooses among, and what ingest embeds one by one (``vectorstore.sentence_vectors``)."""
    return [s for s in split_sentences(body) if len(s) >= MIN_ANSWER_CHARS]
