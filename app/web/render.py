"""HTML for answers and their sources, from the ``hoidap ask --json`` object.

Every piece of document text is escaped here before it meets markup: documents come from the web
and from users' uploads, and a "<script>" in a report must show as text, not run. The answering
sentence is marked (<mark>) inside its passage and the clause holding the figure is emphasised, so
a reader checks the figure against the document at a glance. A source is named by its document's
title, kind, place and period (file name only when none is stored) and links its original file.
Output has no blank lines: the chat renders Markdown, and an HTML block without blank lines is
passed through as HTML, not re-parsed. Also here: the page's CSS and ``HEAD`` (Gradio's own English
swapped for Vietnamese on the Vietnamese page).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from hoidap.app.web.backend import ContextPassage
from hoidap.app.web.strings import GRADIO_VI, kind_name, period_name, reason_text, t

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


def document_title(citation: dict) -> str:
    """The document's own title, or its file name when ingest found none."""
    title = ((citation.get("document") or {}).get("title") or "").strip()
    if len(title) > 160:
        title = title[:160].rsplit(" ", 1)[0] + "…"
    return title or citation.get("source", "")


def _date(iso: str, lang: str) -> str:
    parts = iso.split("-")
    if lang == "vi" and len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return iso


def document_facts(citation: dict, lang: str) -> str:
    """Kind · place · period and years (or date) · PDF page: the line under a source's title."""
    doc = citation.get("document") or {}
    place = doc.get("locality") or doc.get("province") or ""
    if doc.get("province") and place != doc.get("province"):
        place = f"{place} ({doc['province']})"
    years = ", ".join(str(y) for y in doc.get("years") or [])
    period = doc.get("period") or ""
    when = " ".join(p for p in ((period_name(period, lang) if period else ""), years) if p)
    parts = [kind_name(doc.get("kind") or "", lang), place, when]
    if doc.get("date"):
        parts.append(_date(doc["date"], lang))
    page = citation.get("page") or doc.get("page")  # a PDF's page, when ingest recorded one
    if page:
        parts.append(f"{t(lang, 'page')} {page}")
    if citation.get("ocr"):
        parts.append(t(lang, "ocr"))
    return " · ".join(p for p in parts if p)


def download_url(source: str) -> str:
    """The original file's address (``GET /api/docs/{source}/file``), relative to the page."""
    return f"api/docs/{quote(source, safe='')}/file"


def _download(source: str, lang: str) -> str:
    return (
        f'<a class="hd-download" href="{esc(download_url(source))}" download="{esc(source)}" '
        f'title="{esc(t(lang, "download"))}">⤓ {esc(t(lang, "download"))}: {esc(source)}</a>'
    )


_FIGURE = re.compile(r"\d[\d.,]*(?:\s?%)?")


def page_image_url(source: str, page: int, highlight: str = "", region: bool = False) -> str:
    """The cited PDF page as an image with the answer's figure boxed (``GET /api/docs/{source}/pages/{page}.png``):
    the figure is the number in the answering clause; ``region``: only the band of the page around it."""
    figure = _FIGURE.search(highlight or "")
    params = [f"mark={quote(figure.group(0).replace(' ', ''), safe='')}"] if figure else []
    if region and figure:
        params.append("region=true")
    return f"api/docs/{quote(source, safe='')}/pages/{int(page)}.png" + ("?" + "&".join(params) if params else "")


def _page_image(citation: dict, lang: str) -> str:
    """The page a PDF passage is printed on, with the answer's figure boxed. Open at once for a scan
    (what OCR read must be checked against the page), a click away for a text PDF."""
    source, page = citation.get("source", ""), citation.get("page") or (citation.get("document") or {}).get("page")
    if not page or not source.lower().endswith(".pdf"):
        return ""
    scanned = bool(citation.get("ocr"))
    highlight = citation.get("highlight", "")
    url = page_image_url(source, int(page), highlight, region=scanned)
    label = f"{t(lang, 'page_image')} {page}" + (f" · {t(lang, 'ocr_check')}" if scanned else "")
    whole = (f' <a class="hd-page-whole" href="{esc(page_image_url(source, int(page), highlight))}" target="_blank">'
             f'{esc(t(lang, "whole_page"))}</a>') if scanned else ""
    return (
        f'<details class="hd-page{" hd-page-ocr" if scanned else ""}"{" open" if scanned else ""}>'
        f'<summary>{esc(label)}</summary><img class="hd-page-img" loading="lazy" src="{esc(url)}" '
        f'alt="{esc(label)}">{whole}</details>'
    )


def source_card(number: int, citation: dict, lang: str, around: str = "") -> str:
    """One cited document: its title and facts, the section, the passage with the answer marked,
    optional surrounding text, and a link to the original file."""
    section = citation.get("section") or ""
    facts = document_facts(citation, lang)
    passage = passage_html(citation.get("text", ""), citation.get("sentence", ""), citation.get("highlight", ""))
    return (
        f'<div class="hd-source" id="hd-source-{number}">'
        f'<div class="hd-source-head"><span class="hd-num">[{number}]</span> '
        f'<span class="hd-doc">{esc(document_title(citation))}</span></div>'
        + (f'<div class="hd-docfacts">{esc(facts)}</div>' if facts else "")
        + (f'<div class="hd-section">{t(lang, "section")}: {esc(section)}</div>' if section else "")
        + f'<div class="hd-passage">{passage}</div>{around}{_page_image(citation, lang)}'
        f'<div class="hd-file">{_download(citation.get("source", ""), lang)}</div></div>'
    )


def _cite_line(number: int, citation: dict, lang: str) -> str:
    facts = document_facts(citation, lang)
    tail = f" · {esc(facts)}" if facts else ""
    return f'<div class="hd-cite">[{number}] {esc(document_title(citation))}{tail}</div>'


def answer_html(result: dict, lang: str) -> str:
    """The chat message: the fact line first, then the clause that states it (the whole sentence one
    click away), then the documents cited; or a plain abstention. On a narrow screen the message
    also carries its sources (collapsed), since the sources panel sits below the form there."""
    if result.get("abstained"):
        reason = reason_text(result.get("reason") or "", lang)
        why = f'<div class="hd-reason">{t(lang, "reason")}: {esc(reason)}</div>' if reason else ""
        # What the documents do state instead (other periods, other indicators): the lines after the first.
        instead = "".join(f'<div class="hd-instead">{esc(line)}</div>' for line in (result.get("answer") or "").split("\n")[1:] if line)
        return f'<div class="hd-answer hd-abstained"><strong>{esc(t(lang, "not_found"))}</strong>{why}{instead}</div>'
    citations = result.get("citations") or []
    answer = result.get("answer") or ""
    lead = result.get("lead") or ""
    single = citations[0] if len(citations) == 1 else {}
    sentence = single.get("sentence") or ""
    highlight = single.get("highlight") or ""
    if lead:
        # The fact line(s) first, each with its own [n]; then the clause quoted verbatim.
        body = '<div class="hd-lead">' + "<br>".join(_BOLD.sub(r"<strong>\1</strong>", esc(line)) for line in lead.split("\n")) + "</div>"
        if sentence:
            body += _quote(sentence, highlight, lang)
    elif sentence and highlight and _find(sentence, highlight) and len(highlight) < len(sentence):
        body = f'<div class="hd-lead"><strong>{esc(highlight)}</strong></div>' + _full(sentence, highlight, lang)
    else:
        body = emphasise(answer, highlight, "strong")
    if citations and not _MARKER.search(lead or answer):
        body += " " + _markers(len(citations))
    refs = "".join(_cite_line(n, c, lang) for n, c in enumerate(citations, start=1))
    cards = ""
    if citations:
        inner = "".join(source_card(n, c, lang) for n, c in enumerate(citations, start=1))
        cards = f'<details class="hd-answer-sources"><summary>{t(lang, "sources")} ({len(citations)})</summary>{inner}</details>'
    note = f'<div class="hd-note">{esc(result["note"])}</div>' if result.get("note") else ""
    return f'<div class="hd-answer">{body}{note}<div class="hd-refs">{refs}</div>{cards}</div>'


def _quote(sentence: str, highlight: str, lang: str) -> str:
    """The answering clause in quotes; the whole sentence behind a click when it says more."""
    span = _find(sentence, highlight) if highlight else None
    if not span or (span[1] - span[0]) >= len(sentence.strip()) - 2:
        return f'<div class="hd-quote">“{esc(sentence.strip())}”</div>'
    clause = sentence[span[0] : span[1]]
    return f'<div class="hd-quote">“…{esc(clause.strip())}…”</div>' + _full(sentence, highlight, lang)


def _full(sentence: str, highlight: str, lang: str) -> str:
    return f'<details class="hd-full"><summary>{t(lang, "full_sentence")}</summary>{emphasise(sentence, highlight, "strong")}</details>'


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
        around = _context_html(context(citation.get("chunk_id", "")), citation, lang) if context else ""
        cards.append(source_card(number, citation, lang, around))
    others = [r for r in result.get("retrieved") or [] if r.get("chunk_id") not in cited_ids][:3]
    if others:
        items = "".join(
            f'<div class="hd-other"><div class="hd-doc">{esc(document_title(r))}</div>'
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
/* The page's own layout. */
.hd-lead { font-size: 1.05em; }
.hd-quote { margin-top: 6px; color: #1f2328; font-style: italic; }
.hd-full, .hd-answer-sources { margin-top: 6px; }
.hd-full summary, .hd-answer-sources summary { cursor: pointer; color: #0b5cad; font-size: 0.9em; }
.hd-refs { margin-top: 4px; }
.hd-docfacts { color: #57606a; font-size: 0.88em; margin: 2px 0; }
.hd-file { margin-top: 6px; font-size: 0.88em; }
.hd-page { margin-top: 6px; font-size: 0.88em; }
.hd-page-ocr > summary { color: #9a6700; font-weight: 600; }
.hd-page-img { max-width: 100%; height: auto; border: 1px solid #d0d7de; margin-top: 4px; }
.hd-download { color: #0b5cad; word-break: break-all; }
.hd-doc { overflow-wrap: anywhere; }
.hd-answer-sources { display: none; }
.hd-answer-sources .hd-source { font-size: 0.9em; }
/* Headers break between words, never inside one ("Số đoạ/n"); long titles wrap in their cell. */
#hd-documents th *, #hd-results th * { word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
#hd-documents td .cell-wrap, #hd-results td .cell-wrap { white-space: normal !important; overflow-wrap: anywhere; }
#hd-delete-confirm { align-items: center; border: 1px solid #f1aeb5; background: #fff5f5; border-radius: 8px; padding: 6px 10px; }
/* A phone: the header above the language picker; each answer carries its own sources (collapsed),
   because the sources panel comes after the question box and the pickers there. */
@media (max-width: 768px) {
  #hd-top { flex-direction: column; flex-wrap: wrap; }
  #hd-top > * { width: 100%; min-width: 0 !important; }
  #hd-lang .wrap { flex-direction: row; }
  .hd-answer-sources { display: block; }
  .hd-refs { display: none; }
  #hd-chat { height: auto !important; max-height: 70vh; }
  .hd-source { padding: 8px; }
}
"""

# Swaps Gradio's own English interface text (upload area, status, footer) for Vietnamese while the
# page is in Vietnamese, and sets the document language; Gradio offers no Vietnamese of its own.
HEAD = (
    # Gradio scopes the page CSS inside its container; the page margins are outside it.
    "<style>@media (max-width: 768px) { .gradio-container .main.fillable { padding-left: 10px !important;"
    " padding-right: 10px !important; } }</style>"
    "<script>(() => {"
    f"const VI = {json.dumps(GRADIO_VI, ensure_ascii=False)};"
    """
const lang = () => (document.querySelector('#hd-lang input:checked') || {}).value || 'vi';
const swapped = new Map();  // text node or [element, attribute] -> the English it had
let queued = false;
function swap() {
  queued = false;
  const vi = lang() === 'vi';
  document.documentElement.lang = vi ? 'vi' : 'en';
  if (!vi) {  // back to Gradio's English: undo only what was swapped
    for (const [target, english] of swapped) {
      if (Array.isArray(target)) target[0].setAttribute(target[1], english);
      else if (target.isConnected) target.nodeValue = english;
    }
    swapped.clear();
    return;
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (!text) continue;
    const head = text.split(' ')[0];
    const english = VI[text] ? text : (VI[head] && text.startsWith(head + ' |') ? head : null);
    if (english) { swapped.set(node, node.nodeValue); node.nodeValue = node.nodeValue.replace(english, VI[english]); }
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    for (const name of ['placeholder', 'aria-label', 'title']) {
      const value = el.getAttribute(name);
      if (value && VI[value]) { swapped.set([el, name], value); el.setAttribute(name, VI[value]); }
    }
  }
}
const observer = new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(swap); } });
const start = () => { observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['checked']}); swap(); };
if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
document.addEventListener('change', () => { if (!queued) { queued = true; requestAnimationFrame(swap); } }, true);
})();</script>"""
)
