"""Operational metrics for Prometheus (``prometheus_client``), served at ``GET /metrics``.

Why: an operator needs to see, in the tools they already run, how many requests arrive and how long
they take per route, how questions end (answered, abstained, refused by the figure guard), how deep
the ingest queue is, how files end, and how fast the embedder works. Counters live in memory per
serve process (one registry per app, so several apps in one process do not mix).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Upper bounds (seconds): extractive answers take milliseconds, model answers and uploads seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)
OUTCOMES = ("answered", "abstained", "guard_refused", "error")


class Metrics:
    """The counters of one app; ``backend`` (a ``WebBackend``) is read at scrape time for the gauges."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("hoidap_http_requests", "HTTP requests by route, method and status.",
                                ["route", "method", "status"], registry=self.registry)
        self.request_seconds = Histogram("hoidap_http_request_seconds", "HTTP request latency by route.",
                                         ["route", "method"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.questions = Counter("hoidap_questions", "Questions by outcome: answered, abstained, "
                                 "guard_refused (a model answer the figure guard threw away) or error.",
                                 ["outcome"], registry=self.registry)
        self.question_seconds = Histogram("hoidap_question_seconds", "Time to answer a question.",
                                          buckets=LATENCY_BUCKETS, registry=self.registry)
        for outcome in OUTCOMES:
            self.questions.labels(outcome)
        self.registry.register(_BackendCollector(backend))

    @staticmethod
    def outcome(result: dict) -> str:
        guard = result.get("guard") or {}
        if isinstance(guard, dict) and (guard.get("ok") is False or guard.get("outcome") == "rejected"):
            return "guard_refused"
        return "abstained" if result.get("abstained") else "answered"

    def question(self, outcome: str, seconds: float) -> None:
        self.questions.labels(outcome).inc()
        self.question_seconds.observe(seconds)

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.request_seconds.labels(route, method).observe(seconds)

    def text(self) -> bytes:
        return generate_latest(self.registry)


class _BackendCollector:
    """Values read from the service when scraped: queue, files by result, embedder, store, guard."""

    def __init__(self, backend) -> None:
        self.backend = backend

    def describe(self):
        return []

    def collect(self):
        backend = self.backend
        queue = backend.queue
        yield GaugeMetricFamily("hoidap_ingest_queue_depth", "Files waiting or being ingested.", value=queue.depth)
        files = CounterMetricFamily("hoidap_ingest_files", "Files through the ingest queue, by result.", labels=["result"])
        for result in ("ingested", "replaced", "unchanged", "failed"):
            files.add_metric([result], queue.results.get(result, 0))
        yield files
        embedder = backend.background_embedder
        texts = CounterMetricFamily("hoidap_embedder_texts", "Texts embedded for ingest.")
        texts.add_metric([], embedder.texts if embedder else 0)
        yield texts
        seconds = CounterMetricFamily("hoidap_embedder_seconds", "Seconds the ingest embedder worked "
                                      "(texts / seconds = its throughput).")
        seconds.add_metric([], embedder.seconds if embedder else 0.0)
        yield seconds
        yield GaugeMetricFamily("hoidap_passages", "Passages in the store.", value=backend.service.store.count())
        guard = backend.guard_stats()
        llm = CounterMetricFamily("hoidap_llm_answers", "Model answers by guard outcome (rejected and errors "
                                  "show the extractive answer).", labels=["outcome", "reason"])
        llm.add_metric(["passed", ""], guard.get("passed", 0))
        llm.add_metric(["error", ""], guard.get("errors", 0))
        for reason, count in sorted((guard.get("rejected_by_reason") or {}).items()):
            llm.add_metric(["rejected", reason], count)
        yield llm
