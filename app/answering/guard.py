"""The figure guard: may a generated answer be shown, judging by its numbers and citations?

Why: a wrong figure stated with confidence is the worst thing this service can do, and a language
model (small ones especially) invents, rounds and mixes up figures. The guard does not judge
wording; it checks that every figure in the answer is one that the passages the answer cites state,
and that every citation points to a passage the model was given. Its decisions depend on the
answer's figures and citations and the passages' figures only — never on instructions written in
the passages — so a prompt injection can at worst make the model quote a figure that a cited
passage really contains.

Rules (strict on purpose; a rejected answer falls back to the extractive answer):

* Citations are "[n]", "[n, m]", "[n-m]" (also "[Đoạn n]"/"[Passage n]"); [1] is ``passages[0]``.
  A citation outside 1..len(passages) fails the answer.
* The figures of the answer (citation markers and list numbering at line starts masked) must each
  be supported by a figure of a cited passage, or of any passage when the answer cites none.
* An answer with figures and no citation fails (``require_citation``); without figures (e.g.
  "Không tìm thấy trong tài liệu.") it passes, flagged ``missing_citation``.
* Supported means: :func:`figures.same_figure`; or the same text as a passage figure (a verbatim copy,
  e.g. "1.200 tỷ đồng" copied into an English answer); or a year or partial date that a passage
  date, quarter or year range contains ("năm 2023" from "15/6/2023" or "2021-2025").
* Answer figures are read with the answer's language (``lang``, else guessed); each passage with its
  own guessed language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hoidap.app.answering.figures import Figure, extract_figures, same_figure

__all__ = ["GuardResult", "check_answer", "find_citations", "mask_markers", "supports"]

_CITATION = re.compile(
    r"\[\s*(?:(?:đoạn|tài\s+liệu|nguồn|passage|source|doc(?:ument)?)\s*)?"
    r"(\d+(?:\s*(?:[,;]|[-–]|and|và)\s*\d+)*)\s*\]",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(
    r"(?m)^[ \t]*(?:[-*•][ \t]+)?(?:\*\*)?\(?\d{1,2}[.)](?:\*\*)?(?=[ \t])"
    # an item number inside a run-on passage: "... 95,5%. (14). Tỷ lệ ...", "(5) Thu hút ..."
    r"|(?<![\w)])\(\d{1,2}\)\.?(?=\s)"
)
# Ordinals are no quantities: "lần thứ 13", "đứng thứ 2", "khóa 18" support no "13 dự án".
_ORDINAL = re.compile(r"\b(?:lần thứ|thứ|hạng|khóa|khoá|số)\s+\d{1,3}\b(?![.,]\d)", re.IGNORECASE)
_MAX_CITATION_SPAN = 50  # "[1-50]" expands; a larger span is taken as two citations


@dataclass
class GuardResult:
    """The guard's verdict. ``reason`` is one line for logs and evaluation reports."""

    ok: bool
    reason: str
    unsupported: list[Figure] = field(default_factory=list)
    bad_citations: list[int] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)
    missing_citation: bool = False
    figures: list[Figure] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-friendly form (figures as their text)."""
        return {
            "ok": self.ok,
            "reason": self.reason,
            "unsupported": [f.raw for f in self.unsupported],
            "bad_citations": list(self.bad_citations),
            "cited": list(self.cited),
            "missing_citation": self.missing_citation,
            "figures": [f.raw for f in self.figures],
        }


def find_citations(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Cited passage numbers (sorted, unique) and the spans of the citation markers."""
    numbers: set[int] = set()
    spans = []
    for m in _CITATION.finditer(text):
        spans.append(m.span())
        for part in re.split(r"\s*(?:[,;]|and|và)\s*", m.group(1), flags=re.IGNORECASE):
            ends = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x]
            if len(ends) == 2 and 0 <= ends[1] - ends[0] <= _MAX_CITATION_SPAN:
                numbers.update(range(ends[0], ends[1] + 1))
            else:
                numbers.update(ends)
    return sorted(numbers), spans


def mask_markers(text: str) -> str:
    """Blank out citation markers, list numbering and ordinals (same length, so offsets stay valid):
    none of them states a quantity, in an answer or in a passage."""
    text = _CITATION.sub(lambda m: " " * len(m.group(0)), text)
    text = _ORDINAL.sub(lambda m: " " * len(m.group(0)), text)
    return _LIST_NUMBER.sub(lambda m: " " * len(m.group(0)), text)


def supports(source: Figure, claim: Figure) -> bool:
    """Does the passage figure ``source`` back the answer figure ``claim``?"""
    if same_figure(source, claim):
        return True
    if _raw_key(source.raw) == _raw_key(claim.raw):
        return True
    if claim.kind == "year":
        return int(claim.values[0]) in _years_of(source)
    if claim.kind == "date" and source.kind == "date" and claim.unit == source.unit:
        return all(c is None or c == s for c, s in zip(claim.values, source.values, strict=True))
    return False


def _years_of(f: Figure) -> set[int]:
    if f.kind == "date" and f.values[0] is not None:
        return {f.values[0]}
    if f.kind == "range" and f.of == "year":
        return {int(v) for v in f.values}
    return set()


def _raw_key(raw: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw)).strip().casefold()


def check_answer(
    answer: str, passages: list[str], lang: str | None = None, require_citation: bool = True
) -> GuardResult:
    """Check ``answer`` against the numbered ``passages`` it was generated from ([1] = passages[0])."""
    answer = unicodedata.normalize("NFC", answer or "")
    if not answer.strip():
        return GuardResult(ok=False, reason="empty answer")

    cited, _ = find_citations(answer)
    bad = [n for n in cited if not 1 <= n <= len(passages)]
    good = [n for n in cited if 1 <= n <= len(passages)]
    figures = extract_figures(mask_markers(answer), lang)

    pool_ids = good if cited else list(range(1, len(passages) + 1))
    pool = [f for n in pool_ids for f in extract_figures(mask_markers(passages[n - 1]))]
    unsupported = [c for c in figures if not any(supports(s, c) for s in pool)]

    problems = []
    if unsupported:
        where = f"cited passages {good}" if cited else "any passage"
        problems.append(f"figures not in {where}: " + ", ".join(repr(f.raw) for f in unsupported))
    if bad:
        problems.append(f"citations {bad} point to no passage ({len(passages)} given)")
    missing = not cited
    if missing and figures and require_citation:
        problems.append("figures without any citation")
    if problems:
        reason = "; ".join(problems)
    else:
        reason = f"ok: {len(figures)} figure(s) supported" + (" (no citation)" if missing else "")
    return GuardResult(
        ok=not problems,
        reason=reason,
        unsupported=unsupported,
        bad_citations=bad,
        cited=cited,
        missing_citation=missing,
        figures=figures,
    )
