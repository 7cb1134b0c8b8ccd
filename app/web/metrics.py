"""Operational counters in the Prometheus text format, for ``GET /api/metrics``.

Why: an operator needs to see, in the tools they already run, how many questions arrive, how long
they take, how often the service abstains, and how often the figure guard throws a model answer
away (and why). The counters live in memory per serve process.
"""

from __future__ import annotations

import threading

# Upper bounds (seconds) of the answer-latency histogram: extractive answers take milliseconds,
# model answers seconds.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RequestMetrics:
    """Questions answered by outcome, and a latency histogram; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_outcome: dict[str, int] = {}
        self.bucket_counts = [0] * len(LATENCY_BUCKETS)
        self.seconds_sum = 0.0
        self.count = 0

    def record(self, outcome: str, seconds: float) -> None:
        """``outcome``: "answered", "abstained" or "error"."""
        with self._lock:
            self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + 1
            self.count += 1
            self.seconds_sum += seconds
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    self.bucket_counts[i] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"by_outcome": dict(self.by_outcome), "buckets": list(self.bucket_counts),
                    "sum": self.seconds_sum, "count": self.count}


def prometheus_text(requests: dict, guard: dict, passages: int) -> str:
    """The exposition text: ``requests`` from :meth:`RequestMetrics.snapshot`, ``guard`` from
    :meth:`app.answering.llm_backends.GuardStats.snapshot`."""
    lines = [
        "# HELP hoidap_questions_total Questions answered, by outcome.",
        "# TYPE hoidap_questions_total counter",
    ]
    for outcome in ("answered", "abstained", "error"):
        lines.append(f'hoidap_questions_total{{outcome="{outcome}"}} {requests["by_outcome"].get(outcome, 0)}')
    lines += [
        "# HELP hoidap_question_seconds Time to answer a question.",
        "# TYPE hoidap_question_seconds histogram",
    ]
    for bound, count in zip(LATENCY_BUCKETS, requests["buckets"], strict=True):
        lines.append(f'hoidap_question_seconds_bucket{{le="{bound}"}} {count}')
    lines += [
        f'hoidap_question_seconds_bucket{{le="+Inf"}} {requests["count"]}',
        f'hoidap_question_seconds_sum {requests["sum"]:.6f}',
        f'hoidap_question_seconds_count {requests["count"]}',
        "# HELP hoidap_llm_answers_total Model answers by guard outcome (rejected and errors show the extractive answer).",
        "# TYPE hoidap_llm_answers_total counter",
        f'hoidap_llm_answers_total{{outcome="passed"}} {guard.get("passed", 0)}',
        f'hoidap_llm_answers_total{{outcome="error"}} {guard.get("errors", 0)}',
    ]
    for reason, count in sorted((guard.get("rejected_by_reason") or {}).items()):
        lines.append(f'hoidap_llm_answers_total{{outcome="rejected",reason="{reason}"}} {count}')
    lines += [
        "# HELP hoidap_passages Passages in the store.",
        "# TYPE hoidap_passages gauge",
        f"hoidap_passages {passages}",
    ]
    return "\n".join(lines) + "\n"
