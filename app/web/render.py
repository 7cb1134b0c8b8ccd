"""HTML for answers and their sources, from the ``hoidap ask --json`` object.

Every piece of document text is escaped here before it meets markup: documents come from the web
and from users' uploads, and a "<script>" in a report must show as text, not run. The answering
sentence is marked (<mark>) inside its passage and the clause holding the figure is emphasised, so
a reader checks the figure against the document at a glance. Output has no blank lines: the chat
renders Markdown, and an HTML block without blank lines is passed through as HTML, not re-parsed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from hoidap.app.web.backend import ContextPassage
from hoidap.app.web.strings import reason_text, t

_MARKER = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")


def esc(text: str) -> str:
    """Escaped text with line breaks kept."""
    return html.escape(text or "", quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def _find(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` is in ``haystack``, tolerating differences in whitespace."""
    needle = needle.strip()
    if not needle:
        return None
    at = haystack.find(needle)
    if at >= 0:
        return at, at + len(needle)
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    match = re.search(pattern, haystack)
    return match.span() if match else None


def emphasise(text: str, part: str, tag: str) -> str:
    """``text`` escaped, with ``part`` (if found in it) wrapped in ``tag``."""
    span = _find(text, part) if part else None
    if not span:
        return esc(text)
    start, end = span
    return f"{esc(text[:start])}<{tag}>{esc(text[start:end])}</{tag}>{esc(text[end:])}"


def passage_html(passage: str, sentence: str, highlight: str) -> str:
    """The passage, escaped, with the answering sentence in <mark> and its figure clause in <strong>."""
    span = _find(passage, sentence) if sentence else None
    if not span:
        if sentence:
            # The sentence was normalised away from the passage's spelling: show it marked on its own.
            return f"<mark>{emphasise(sentence, highlight, 'strong')}</mark><br>{esc(passage)}"
        return esc(passage)
    start, end = span
    marked = emphasise(passage[start:end], highlight, "strong")
    return f"{esc(passage[:start])}<mark>{marked}</mark>{esc(passage[end:])}"


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _markers(count: int) -> str:
    return "".join(f'<sup class="hd-ref">[{n}]</sup>' for n in range(1, count + 1))


def answer_html(result: dict, lang: str) -> str:
    """The chat message: the answer (figure emphasised) with [n] markers, or a plain abstention."""
    if result.get("abstained"):
        reason = reason_text(result.get("reason") or "", lang)
        why = f'<div class="hd-reason">{t(lang, "reason")}: {esc(reason)}</div>' if reason else ""
        # What the documents do state instead (other periods, other indicators): the lines after the first.
        instead = "".join(f'<div class="hd-instead">{esc(line)}</div>' for line in (result.get("answer") or "").split("\n")[1:] if line)
        return f'<div class="hd-answer hd-abstained"><strong>{esc(t(lang, "not_found"))}</strong>{why}{instead}</div>'
    citations = result.get("citations") or []
    answer = result.get("answer") or ""
    highlight = citations[0].get("highlight", "") if len(citations) == 1 else ""
    lead = result.get("lead") or ""
    if lead:
        # The fact line(s) first, each with its own [n]; then the quoted sentence with its figure marked.
        body = "<br>".join(_BOLD.sub(r"<strong>\1</strong>", esc(line)) for line in lead.split("\n"))
        if len(citations) == 1 and citations[0].get("sentence"):
            body += f'<div class="hd-quote">{emphasise(citations[0]["sentence"], highlight, "strong")}</div>'
    else:
        body = emphasise(answer, highlight, "strong")
    if citations and not _MARKER.search(answer):
        body += " " + _markers(len(citations))
    refs = "".join(
        f'<div class="hd-cite">[{n}] {esc(c.get("source", ""))} — {esc(c.get("section") or t(lang, "no_section"))}</div>'
        for n, c in enumerate(citations, start=1)
    )
    return f'<div class="hd-answer">{body}{refs}</div>'


def scope_html(result: dict, lang: str) -> str:
    """What was understood: the question searched and its province/year scope."""
    scope = result.get("scope") or {}
    parts = [", ".join(scope.get("localities") or scope.get("provinces") or [])]
    parts.append(", ".join(str(y) for y in scope.get("years") or []))
    if scope.get("intent") in ("target", "result"):
        parts.append(t(lang, scope["intent"]))
    described = " · ".join(p for p in parts if p) or t(lang, "scope_none")
    searched = result.get("searched_question") or result.get("question") or ""
    return (
        '<div class="hd-scope">'
        f'<div><span class="hd-label">{t(lang, "searched")}:</span> <q>{esc(searched)}</q></div>'
        f'<div><span class="hd-label">{t(lang, "scope")}:</span> {esc(described)}</div>'
        "</div>"
    )


def _context_html(passages: Sequence[ContextPassage], citation: dict, lang: str) -> str:
    if len(passages) <= 1:
        return ""
    blocks = []
    section = citation.get("section") or ""
    for passage in passages:
        if passage.section and passage.section != section:
            blocks.append(f'<div class="hd-section">{t(lang, "section")}: {esc(passage.section)}</div>')
        section = passage.section or section
        if passage.cited:
            inner = passage_html(passage.text, citation.get("sentence", ""), citation.get("highlight", ""))
            blocks.append(f'<div class="hd-ctx hd-ctx-cited">{inner}</div>')
        else:
            blocks.append(f'<div class="hd-ctx">{esc(passage.text)}</div>')
    return f'<details class="hd-more"><summary>{t(lang, "context")}</summary>{"".join(blocks)}</details>'


def sources_html(result: dict, lang: str, context: Callable[[str], Sequence[ContextPassage]] | None = None) -> str:
    """The sources panel: one numbered card per citation, then the other passages retrieved."""
    cards = []
    cited_ids = set()
    for number, citation in enumerate(result.get("citations") or [], start=1):
        cited_ids.add(citation.get("chunk_id"))
        section = citation.get("section") or t(lang, "no_section")
        passage = passage_html(citation.get("text", ""), citation.get("sentence", ""), citation.get("highlight", ""))
        around = _context_html(context(citation.get("chunk_id", "")), citation, lang) if context else ""
        cards.append(
            f'<div class="hd-source" id="hd-source-{number}">'
            f'<div class="hd-source-head"><span class="hd-num">[{number}]</span> '
            f'<span class="hd-doc">{esc(citation.get("source", ""))}</span></div>'
            f'<div class="hd-section">{t(lang, "section")}: {esc(section)}</div>'
            f'<div class="hd-passage">{passage}</div>{around}</div>'
        )
    others = [r for r in result.get("retrieved") or [] if r.get("chunk_id") not in cited_ids][:3]
    if others:
        items = "".join(
            f'<div class="hd-other"><div class="hd-doc">{esc(r.get("source", ""))}</div>'
            f'<div class="hd-passage">{esc(r.get("text", ""))}</div></div>'
            for r in others
        )
        open_attr = " open" if result.get("abstained") else ""
        cards.append(f'<details class="hd-more"{open_attr}><summary>{t(lang, "other_passages")}</summary>{items}</details>')
    title = f'<div class="hd-panel-title">{t(lang, "sources")}</div>'
    return f'<div class="hd-sources">{title}{scope_html(result, lang)}{"".join(cards)}</div>'


def placeholder_html(lang: str) -> str:
    title = f'<div class="hd-panel-title">{t(lang, "sources")}</div>'
    return f'<div class="hd-sources">{title}<div class="hd-empty">{esc(t(lang, "sources_empty"))}</div></div>'


def message_html(text: str, kind: str = "info") -> str:
    """A short notice (searching, error, bad input) in the chat or the panel."""
    return f'<div class="hd-note hd-{kind}">{esc(text)}</div>'


CSS = """
.hd-answer { line-height: 1.55; }
.hd-answer strong { background: #fff3b0; color: #1f2328; padding: 0 2px; border-radius: 3px; }
.hd-ref { color: #0b5cad; font-weight: 600; margin-left: 2px; }
.hd-cite { font-size: 0.85em; color: #57606a; margin-top: 6px; }
.hd-reason { font-size: 0.9em; margin-top: 4px; }
.hd-abstained strong { background: none; }
.hd-sources { font-size: 0.95em; }
.hd-panel-title { font-weight: 700; font-size: 1.1em; margin-bottom: 8px; }
.hd-empty { color: #57606a; }
.hd-scope { border-left: 3px solid #0b5cad; padding: 4px 10px; margin-bottom: 10px; }
.hd-label { font-weight: 600; }
.hd-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.hd-source-head { font-weight: 600; }
.hd-num { color: #0b5cad; }
.hd-section { color: #57606a; font-size: 0.9em; margin: 2px 0 6px; }
.hd-passage { line-height: 1.55; }
.hd-passage mark, .hd-ctx mark { background: #fff3b0; color: #1f2328; padding: 0 1px; }
.hd-passage strong, .hd-ctx strong { text-decoration: underline; text-decoration-color: #d4a017; text-decoration-thickness: 2px; }
.hd-more { margin-top: 8px; }
.hd-more summary { cursor: pointer; color: #0b5cad; }
.hd-ctx { color: #57606a; margin: 6px 0; }
.hd-ctx-cited { color: inherit; border-left: 3px solid #d4a017; padding-left: 8px; }
.hd-other { border-top: 1px dashed #d0d7de; padding: 6px 0; }
.hd-note { color: #57606a; }
.hd-error { color: #b42318; }
/* Tables in the body font: monospace fonts often lack Vietnamese precomposed letters. */
#hd-documents *, #hd-results * { font-family: var(--font) !important; }
"""
