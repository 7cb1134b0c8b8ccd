"""The question-answering pipeline as one LangChain ``Runnable``: question in, cited answer out.

The CLI, the chat page, the HTTP API and the evaluation all call this one object, so what is
measured is what users get. Its output is the ``hoidap ask --json`` object.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from hoidap.app.answering.extractive import Answer, ExtractiveAnswerer
from hoidap.app.answering.llm_step import LLMAnswerStep
from hoidap.app.answering.table_answer import TableAnswerer
from hoidap.app.answering.table_kinds import table_query
from hoidap.app.query import Filters
from hoidap.app.retrieval import HybridRetriever, RetrievalResult


@dataclass
class Prepared:
    """A question retrieved and answered extractively, before the (optional) model call."""

    question: str
    retrieval: RetrievalResult
    answer: Answer | None  # None: a table question, answered in ``complete`` from ``table``
    started: float
    answer_started: float
    table: tuple | None = None  # (TableQuery, records snapshot) of a trend/compare/rank/attainment question


class QAPipeline(Runnable[Any, dict]):
    """Retrieve, rerank by sentence evidence, answer extractively, and (when an LLM is configured)
    let the guarded LLM word it."""

    def __init__(
        self,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        llm: LLMAnswerStep | None = None,
        rerank: bool = True,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.llm = llm
        self.rerank = rerank  # reorder passages by sentence evidence before answering
        self.tables = TableAnswerer()  # trend, compare, rank and attainment questions: a cited table of typed facts

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict:
        """``input`` is a question string or ``{"question": ..., "filters": Filters}``."""
        question = input["question"] if isinstance(input, dict) else str(input)
        filters = input.get("filters") if isinstance(input, dict) else None
        return self.complete(self.prepare(question, filters))

    def prepare(self, question: str, filters: Filters | None = None) -> Prepared:
        """Retrieval and the extractive answer: the part that reads the in-process index (one
        immutable snapshot of it per question, so threads share a pipeline without a lock).
        ``filters``: places and years chosen beside the question, applied as metadata filters."""
        started = time.perf_counter()
        new_question = getattr(getattr(self.answerer, "embeddings", None), "new_question", None)
        if new_question is not None:
            new_question()  # the question's vector is made once for it, not taken from an earlier one
        retrieval = self.retriever.search(question, filters=filters)
        if self.rerank and retrieval.chunks:
            retrieval.chunks = self.answerer.rerank(retrieval.scope, retrieval.chunks)
        answer_started = time.perf_counter()
        query = table_query(retrieval.scope)
        if query is not None:  # a table of typed facts: only a snapshot of the records here, the table in ``complete``
            return Prepared(question, retrieval, None, started, answer_started, (query, self.retriever.records_snapshot()))
        answer = self.answerer.answer(retrieval.scope, retrieval.chunks, retrieval.empty_reason)
        return Prepared(question, retrieval, answer, started, answer_started)

    def complete(self, prepared: Prepared) -> dict:
        """The guarded model answer, when one is configured, and the result object. Reads no shared
        index: a slow or hung model delays only its own question."""
        question, retrieval, answer = prepared.question, prepared.retrieval, prepared.answer
        started, answer_started = prepared.started, prepared.answer_started
        llm_record = {"answerer": "extractive", "guard": None, "llm_ms": 0.0}
        if prepared.table is not None:
            query, snapshot = prepared.table
            answer = self.tables.answer_from(retrieval.scope, query, snapshot, self.retriever.facts)
        if self.llm is not None and not retrieval.empty_reason and answer.table is None:  # a model would invent cells
            answer, llm_record = self.llm.answer(retrieval.scope, retrieval.chunks, answer)
        done = time.perf_counter()
        scope = retrieval.scope
        return {
            **llm_record,
            "question": question,
            "answer": answer.text,
            "note": answer.note,
            "lead": answer.lead,
            "facts": answer.facts,
            "table": answer.table,
            "abstained": answer.abstained,
            "reason": answer.reason,
            "confidence": answer.confidence,
            "citations": [c.as_dict() for c in answer.citations],
            "retrieved": [c.as_dict() for c in retrieval.listed],
            "scope": {
                "lang": scope.lang,
                "provinces": scope.provinces,
                "localities": scope.localities,
                "years": scope.years,
                "intent": scope.intent,
                "indicators": scope.indicators,
                "period": scope.period,
                "role": scope.role,
                "measure": scope.measure,
            },
            "timings_ms": {
                "retrieve": round((answer_started - started) * 1000, 2),
                "answer": round((done - answer_started) * 1000, 2),
                "total": round((done - started) * 1000, 2),
            },
        }
