"""The LLM answer step: the model words the answer, the figure guard decides whether it is shown.

Runs after the extractive answer, which is both the fallback and the guard's safety net: the model
sees the top in-scope passages numbered [1]..[n]; its answer is shown only when every figure in it
is in a passage it cites and every [n] names a passage it was given. Otherwise the user gets the
extractive answer, marked as such, and the rejection is logged and counted (the step's ``stats``, read by ``/api/metrics``).
"""

from __future__ import annotations

import time

from hoidap.app.answering.extractive import Answer, Citation
from hoidap.app.answering.fact_match import llm_relevance
from hoidap.app.answering.guard import find_citations
from hoidap.app.answering.llm_backends import NOT_FOUND, Answerer, GuardStats, guarded_answer
from hoidap.app.config import Settings
from hoidap.app.query import QueryScope
from hoidap.app.retrieval import RetrievedChunk, document_info
from hoidap.ingest.periods import YEAR, period_label
from hoidap.vectorstore.records import document_years

# Reasons the extractive step gives when no stated fact matches the question (app.answering.extractive).
FACT_GATE_REASONS = ("no stated figure matches", "the documents state this indicator only")
FALLBACK_NOTE = {
    "vi": "(Câu trích nguyên văn từ tài liệu; câu trả lời của mô hình không qua được kiểm tra số liệu.)",
    "en": "(Quoted verbatim from the documents; the model's answer failed the figure check.)",
}


def _extractive_instead(extractive: Answer, lang: str, marked: bool = True) -> Answer:
    """The extractive answer shown in place of a model answer; ``marked``: with a note saying so."""
    note = FALLBACK_NOTE[lang] if marked and not extractive.abstained else ""
    return Answer(extractive.text, extractive.abstained, extractive.citations, extractive.reason, extractive.confidence,
                  extractive.lead, extractive.facts, note)


def passage_text(chunk: RetrievedChunk) -> str:
    """A passage as the model and the guard read it: a line naming the document's place and reporting
    period ("Bắc Kạn · quý I năm 2022"), then the chunk with its heading context. A correct answer
    that repeats the period of a quarterly report ("quý I/2022") is then supported by its passage."""
    meta = chunk.metadata
    place = meta.get("locality") or meta.get("province") or ""
    years = document_years(meta)
    period = str(meta.get("doc_period") or "")
    when = ""
    if years and len(years) == 1:
        label = period_label(period, "vi") if period and period != YEAR else "năm"
        when = f"{label} {years[0]}" if label.endswith("năm") else f"{label} năm {years[0]}"
    context = " · ".join(p for p in (place, when) if p)
    return f"{context}\n{chunk.indexed_text}" if context else chunk.indexed_text


def make_llm_answerer(settings: Settings) -> Answerer | None:
    """The configured LLM backend, or None for the extractive answerer."""
    kind = settings.answerer.lower()
    if kind in ("", "extractive"):
        return None
    if kind in ("openai", "ollama", "llm"):
        from hoidap.app.answering.llm_backends import OpenAICompatibleAnswerer

        if not settings.llm_model:
            raise ValueError("HOIDAP_ANSWERER=openai needs HOIDAP_LLM_MODEL (the model name the server knows)")
        return OpenAICompatibleAnswerer(
            settings.llm_base_url, settings.llm_model, settings.llm_api_key or None, timeout=settings.llm_timeout,
            max_retries=settings.llm_retries,
        )
    if kind == "llamacpp":
        from hoidap.app.answering.llm_backends import LlamaCppAnswerer

        if not settings.llm_model_path:
            raise ValueError("HOIDAP_ANSWERER=llamacpp needs HOIDAP_LLM_MODEL_PATH (a .gguf file)")
        return LlamaCppAnswerer(settings.llm_model_path)
    raise ValueError(f"unknown answerer '{settings.answerer}'; choose extractive, openai or llamacpp")


class LLMAnswerStep:
    def __init__(self, answerer: Answerer, passages: int = 4, stats: GuardStats | None = None) -> None:
        self.answerer = answerer
        self.passages = passages
        self.stats = stats if stats is not None else GuardStats()

    def answer(self, scope: QueryScope, chunks: list[RetrievedChunk], extractive: Answer) -> tuple[Answer, dict]:
        """The answer to show and a record of what happened ({"answerer", "guard", "llm_ms"})."""
        if not chunks:  # nothing in scope (e.g. no document about the province): nothing to word
            return extractive, {"answerer": "extractive", "guard": None, "llm_ms": 0.0}
        given = self._passages(chunks, extractive)
        lang = "vi" if scope.lang == "vi" else "en"
        started = time.perf_counter()
        # The model and the guard read each passage with its heading context (place, title, headings):
        # "năm 2023" of a targets list stands only in its heading "… CHỈ TIÊU CHỦ YẾU NĂM 2023".
        outcome = guarded_answer(
            self.answerer, scope.question, [passage_text(c) for c in given], lang, extractive.text, stats=self.stats
        )
        record = {"answerer": outcome["source"], "guard": outcome["guard"], "llm_ms": round((time.perf_counter() - started) * 1000, 1)}
        if outcome["source"] != "llm":
            return _extractive_instead(extractive, lang), record
        fact_abstained = extractive.abstained and bool(scope.indicators) and extractive.reason.startswith(FACT_GATE_REASONS)
        key, why = llm_relevance(
            outcome["text"], extractive.facts, fact_abstained, lang, refused=outcome["not_found"], asked_years=scope.years
        )
        if not key and not outcome["not_found"] and any(f.get("ocr") == "unsure" for f in extractive.facts):
            # OCR was unsure of the figure's digits: only the extractive answer, which flags it, shows it.
            key, why = "ocr_unsure_figure", "the figure was read by OCR with doubt; shown flagged instead"
        if key:
            # The figures are in the passages but do not answer the question: the extractive answer stands.
            self._reject(record, key, f"not the asked figure: {why}")
            return _extractive_instead(extractive, lang), record
        if outcome["not_found"]:
            if extractive.facts and not extractive.abstained:
                # A stated fact matched the question on every attribute: the model's refusal does not
                # take that checked figure away from the user.
                self._reject(record, "refused_a_checked_figure", "the model found nothing where a stated fact answers the question")
                return _extractive_instead(extractive, lang, marked=False), record
            return Answer(NOT_FOUND[lang], True, [], "the model found no answer in the passages", 0.0), record
        numbers, spans = find_citations(outcome["text"])  # every marker form the guard accepts: [1], [1, 2], [Đoạn 1]
        cited = [n for n in numbers if 1 <= n <= len(given)]
        citations = [self._citation(given[n - 1], extractive) for n in cited]
        # Renumber so marker [k] in the text is the k-th citation shown, written in one form.
        renumber = {old: new for new, old in enumerate(cited, start=1)}
        text = outcome["text"]
        for start, end in reversed(spans):
            shown = [renumber[n] for n in find_citations(text[start:end])[0] if n in renumber]
            text = text[:start] + ("[" + ", ".join(str(n) for n in shown) + "]" if shown else "") + text[end:]
        return Answer(text, False, citations, "", extractive.confidence), record

    def _reject(self, record: dict, key: str, reason: str) -> None:
        """A model answer the presence guard passed but that does not answer the question: counted
        and recorded as a rejection."""
        self.stats.record_relevance_rejection(key)
        record["answerer"] = "extractive-fallback"
        record["guard"] = {**(record["guard"] or {}), "ok": False, "outcome": "rejected", "reason_key": key, "reason": reason}

    def _passages(self, chunks: list[RetrievedChunk], extractive: Answer) -> list[RetrievedChunk]:
        """The extractive answer's chunks first (they hold the likeliest answer), then the next best."""
        cited = [c.chunk_id for c in extractive.citations]
        first = [c for c in chunks if c.chunk_id in cited]
        rest = [c for c in chunks if c.chunk_id not in cited]
        return (first + rest)[: self.passages]

    @staticmethod
    def _citation(chunk: RetrievedChunk, extractive: Answer) -> Citation:
        for citation in extractive.citations:
            if citation.chunk_id == chunk.chunk_id:
                return citation
        return Citation(chunk.source, chunk.chunk_id, chunk.metadata.get("section", ""), chunk.text, round(chunk.score, 6),
                        document=document_info(chunk.metadata))
