"""Evaluation sets in, typed items out: the project's Q&A JSONL and SQuAD-format sets (XQuAD, MLQA, UIT-ViQuAD).

The project's format is one JSON object per line::

    {"id": "d001", "question": "...", "lang": "vi", "answers": ["1.200 triệu USD"],
     "source": "000_cb6758b6e1e73ad5.txt", "answerable": true}

``answers`` lists strings any one of which must appear in a correct answer; it is empty, and ``source``
is null, for a question the documents cannot answer. An optional ``meta`` object carries whatever a
generator wants to keep with the question (province, year, indicator, ...); it is round-tripped as is.

A mistake in a hand-written set must not turn into a silently wrong score, so loading is strict: a
bad line fails with the file name and line number and what is wrong with it.

SQuAD-format sets are read into paragraphs and questions; :func:`write_paragraph_files` writes the
paragraphs as a folder of ``.txt`` files, one per paragraph, so the normal ingest can index them and
each question's gold source is ``<paragraph id>.txt``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoidap.ingest.normalize import strip_accents

LANGS = ("vi", "en")
_REQUIRED = {"id": str, "question": str, "lang": str, "answers": list, "source": (str, type(None)), "answerable": bool}
_OPTIONAL = {"meta": dict}


class DatasetError(ValueError):
    """A data file that cannot be read as the format it claims to be; the message names the place."""


@dataclass
class QAItem:
    """One evaluation question with its gold answers and the file that holds them."""

    id: str
    question: str
    lang: str
    answers: list[str]
    source: str | None
    answerable: bool
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problem = _item_problem(self)
        if problem:
            raise DatasetError(f"question {self.id!r}: {problem}")

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "lang": self.lang,
            "answers": list(self.answers),
            "source": self.source,
            "answerable": self.answerable,
        }
        if self.meta:
            record["meta"] = self.meta
        return record


def _item_problem(item: QAItem) -> str:
    if not item.id.strip():
        return "empty id"
    if not item.question.strip():
        return "empty question"
    if item.lang not in LANGS:
        return f"lang must be one of {', '.join(LANGS)}, not {item.lang!r}"
    if not all(isinstance(a, str) for a in item.answers):
        return "answers must be a list of strings"
    if item.answerable and not any(a.strip() for a in item.answers):
        return "an answerable question needs at least one non-empty answer"
    if not item.answerable and (item.answers or item.source is not None):
        return "an unanswerable question must have answers [] and source null"
    if item.source is not None and not item.source.strip():
        return "source is an empty string (use null when no file holds the answer)"
    return ""


def qa_item_from_dict(record: Any) -> QAItem:
    """Build a :class:`QAItem` from one decoded JSON object, checking keys and types."""
    if not isinstance(record, dict):
        raise DatasetError(f"expected a JSON object, got {type(record).__name__}")
    missing = [key for key in _REQUIRED if key not in record]
    if missing:
        raise DatasetError(f"missing key(s): {', '.join(missing)}")
    unknown = sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise DatasetError(f"unknown key(s): {', '.join(unknown)} (extra information goes under 'meta')")
    for key, kind in {**_REQUIRED, **_OPTIONAL}.items():
        if key in record and not isinstance(record[key], kind):
            raise DatasetError(f"{key!r} has the wrong type ({type(record[key]).__name__})")
    return QAItem(
        id=record["id"],
        question=record["question"],
        lang=record["lang"],
        answers=list(record["answers"]),
        source=record["source"],
        answerable=record["answerable"],
        meta=dict(record.get("meta") or {}),
    )


def load_qa_jsonl(path: str | Path) -> list[QAItem]:
    """Read a Q&A JSONL file; blank lines are skipped, ids must be unique."""
    path = Path(path)
    items: list[QAItem] = []
    first_line_of: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")  # tolerate a BOM
            except UnicodeDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
            try:
                item = qa_item_from_dict(record)
            except DatasetError as exc:
                raise DatasetError(f"{path}:{number}: {exc}") from exc
            if item.id in first_line_of:
                raise DatasetError(f"{path}:{number}: id {item.id!r} already used on line {first_line_of[item.id]}")
            first_line_of[item.id] = number
            items.append(item)
    return items


def write_qa_jsonl(items: Iterable[QAItem], path: str | Path) -> Path:
    """Write items as Q&A JSONL (UTF-8, Vietnamese kept readable); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            if item.id in seen:
                raise DatasetError(f"duplicate id {item.id!r}")
            seen.add(item.id)
            handle.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    return path


# --- SQuAD v1.1 format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SquadParagraph:
    id: str  # "000_Super_Bowl_50_00": article index, title, paragraph index
    title: str
    text: str

    @property
    def source(self) -> str:
        """The file name the paragraph gets in the corpus folder, i.e. its ``source`` once ingested."""
        return f"{self.id}.txt"


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    answers: list[str]  # distinct answer spans, in file order; empty for an impossible question
    paragraph_id: str
    lang: str  # the question's language


@dataclass
class SquadSet:
    """Paragraphs and the questions about them; ``lang`` is the paragraphs' (and answers') language."""

    name: str
    lang: str
    paragraphs: list[SquadParagraph]
    questions: list[SquadQuestion]

    def paragraph(self, paragraph_id: str) -> SquadParagraph:
        for paragraph in self.paragraphs:
            if paragraph.id == paragraph_id:
                return paragraph
        raise KeyError(paragraph_id)

    def to_qa_items(self) -> list[QAItem]:
        """The questions in the project's format, so the same runner and metrics apply."""
        sources = {p.id: p.source for p in self.paragraphs}
        return [
            QAItem(
                id=q.id,
                question=q.question,
                lang=q.lang,
                answers=list(q.answers),
                source=sources[q.paragraph_id] if q.answers else None,
                answerable=bool(q.answers),
                meta={"dataset": self.name, "answer_lang": self.lang, "paragraph_id": q.paragraph_id},
            )
            for q in self.questions
        ]


def _slug(title: str) -> str:
    folded = strip_accents(title)
    return re.sub(r"[^A-Za-z0-9]+", "_", folded).strip("_")[:40] or "untitled"


def _guess_lang(path: Path) -> str:
    match = re.search(r"(?:^|[._-])(vi|en)(?:[._-]|$)", path.name)
    return match.group(1) if match else "vi"


def load_squad(path: str | Path, lang: str | None = None, name: str | None = None) -> SquadSet:
    """Read a SQuAD v1.1-format file; ``lang`` defaults to the ``vi``/``en`` in the file name.

    Paragraph ids are positional (article index, title, paragraph index) so the parallel XQuAD
    files give the same ids. SQuAD 2.0-style impossible questions (``is_impossible``) get no answers.
    """
    path = Path(path)
    lang = lang or _guess_lang(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise DatasetError(f"{path}: not SQuAD format (no top-level 'data' list)")
    paragraphs: list[SquadParagraph] = []
    questions: list[SquadQuestion] = []
    seen: set[str] = set()
    for a_index, article in enumerate(data["data"]):
        title = str(article.get("title", ""))
        for p_index, paragraph in enumerate(article.get("paragraphs", [])):
            where = f"{path}: article {a_index} ({title!r}) paragraph {p_index}"
            if "context" not in paragraph:
                raise DatasetError(f"{where}: no 'context'")
            pid = f"{a_index:03d}_{_slug(title)}_{p_index:02d}"
            paragraphs.append(SquadParagraph(pid, title, paragraph["context"]))
            for qa in paragraph.get("qas", []):
                if "id" not in qa or "question" not in qa:
                    raise DatasetError(f"{where}: a question without 'id' or 'question'")
                if qa["id"] in seen:
                    raise DatasetError(f"{where}: question id {qa['id']!r} is used twice")
                seen.add(qa["id"])
                spans = [] if qa.get("is_impossible") else [a["text"] for a in qa.get("answers", [])]
                answers = list(dict.fromkeys(s for s in spans if s.strip()))
                questions.append(SquadQuestion(qa["id"], qa["question"], answers, pid, lang))
    return SquadSet(name or path.stem, lang, paragraphs, questions)


def load_xquad_crosslingual(vi_path: str | Path, en_path: str | Path) -> SquadSet:
    """Vietnamese paragraphs with the English questions (paired by id); gold answers stay Vietnamese."""
    vietnamese = load_squad(vi_path, lang="vi")
    english = {q.id: q.question for q in load_squad(en_path, lang="en").questions}
    missing = [q.id for q in vietnamese.questions if q.id not in english]
    if missing:
        raise DatasetError(f"{en_path}: {len(missing)} question id(s) of {vi_path} missing, e.g. {missing[:3]}")
    questions = [
        SquadQuestion(q.id, english[q.id], q.answers, q.paragraph_id, "en") for q in vietnamese.questions
    ]
    return SquadSet(f"{vietnamese.name}+en-questions", "vi", vietnamese.paragraphs, questions)


def write_paragraph_files(squad: SquadSet, out_dir: str | Path) -> list[Path]:
    """One ``<paragraph id>.txt`` per paragraph (the text only), ready for the normal ingest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for paragraph in squad.paragraphs:
        target = out / paragraph.source
        target.write_text(paragraph.text.strip() + "\n", encoding="utf-8")
        written.append(target)
    return written
