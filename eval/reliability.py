"""Reliability table: does the service's confidence mean what it says?

For each confidence bin, the number of answers the service *showed* (abstentions are not answers and are
left out) and the share of them that were correct. For an answerable question "correct" is the judged
answer correctness (the gold span is in the answer); for an unanswerable one any shown answer is wrong.
The headline is the high-confidence row: answers shown at confidence >= 0.8 and how many were right.

Input is a list of flat mappings with ``confidence``, ``abstained``, ``answerable`` and
``answer_correct`` (the :func:`eval.metrics.judge` record with the result's confidence added:
:func:`reliability_rows`). Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# [low, high): the last bin is closed, [0.9, 1.0].
BINS: tuple[tuple[float, float], ...] = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.0))
HIGH_CONFIDENCE = 0.8


def reliability_rows(results: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pair service results (for ``confidence``) with their judged records (for correctness)."""
    if len(results) != len(records):
        raise ValueError(f"{len(results)} results for {len(records)} records")
    return [
        {
            "confidence": result.get("confidence"),
            "abstained": bool(record["abstained"]),
            "answerable": bool(record["answerable"]),
            "answer_correct": bool(record.get("answer_correct")),
        }
        for result, record in zip(results, records, strict=True)
    ]


def _label(low: float, high: float, last: bool) -> str:
    return f"[{low:.1f}, {high:.1f}{']' if last else ')'}"


def _bin_index(confidence: float, bins: Sequence[tuple[float, float]]) -> int | None:
    for index, (low, high) in enumerate(bins):
        last = index == len(bins) - 1
        if low <= confidence < high or (last and confidence == high):
            return index
    return None


def _share(correct: int, n: int) -> float | None:
    return correct / n if n else None


def reliability(
    rows: Iterable[Mapping[str, Any]],
    bins: Sequence[tuple[float, float]] = BINS,
    threshold: float = HIGH_CONFIDENCE,
) -> dict[str, Any]:
    """Shown answers and their accuracy per confidence bin, plus the >= ``threshold`` headline.

    Returns ``{"bins": [{"bin", "low", "high", "n", "correct", "accuracy", "unanswerable",
    "mean_confidence"}...], "shown", "abstained", "no_confidence", "high_confidence": {"threshold",
    "n", "correct", "accuracy"}}``; ``accuracy`` is None for an empty bin. A shown answer without a
    confidence (or outside every bin) is counted in ``no_confidence`` only.
    """
    table = [
        {"bin": _label(low, high, i == len(bins) - 1), "low": low, "high": high, "n": 0, "correct": 0, "unanswerable": 0, "_sum": 0.0}
        for i, (low, high) in enumerate(bins)
    ]
    shown = abstained = no_confidence = high_n = high_correct = 0
    for row in rows:
        if row.get("abstained"):
            abstained += 1
            continue
        shown += 1
        correct = bool(row.get("answerable")) and bool(row.get("answer_correct"))
        confidence = row.get("confidence")
        index = _bin_index(float(confidence), bins) if confidence is not None else None
        if index is None:
            no_confidence += 1
            continue
        entry = table[index]
        entry["n"] += 1
        entry["correct"] += correct
        entry["unanswerable"] += not row.get("answerable")
        entry["_sum"] += float(confidence)
        if float(confidence) >= threshold:
            high_n += 1
            high_correct += correct
    for entry in table:
        total = entry.pop("_sum")
        entry["accuracy"] = _share(entry["correct"], entry["n"])
        entry["mean_confidence"] = total / entry["n"] if entry["n"] else None
    return {
        "bins": table,
        "shown": shown,
        "abstained": abstained,
        "no_confidence": no_confidence,
        "high_confidence": {"threshold": threshold, "n": high_n, "correct": high_correct, "accuracy": _share(high_correct, high_n)},
    }


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def headline(table: Mapping[str, Any]) -> str:
    high = table["high_confidence"]
    return f"answers at confidence ≥ {high['threshold']:g}: {high['n']} of {table['shown']} shown, correct share {_fmt(high['accuracy'])}"


def format_reliability(table: Mapping[str, Any], indent: str = "  ") -> str:
    """Plain-text table for the ``hoidap eval`` summary."""
    lines = [f"{indent}{'confidence':12s} {'shown':>7s} {'correct':>8s} {'accuracy':>9s} {'unanswerable':>13s}"]
    for entry in table["bins"]:
        lines.append(
            f"{indent}{entry['bin']:12s} {entry['n']:7d} {entry['correct']:8d} {_fmt(entry['accuracy']):>9s} {entry['unanswerable']:13d}"
        )
    if table.get("no_confidence"):
        lines.append(f"{indent}(shown without a confidence: {table['no_confidence']})")
    lines.append(f"{indent}{headline(table)}")
    return "\n".join(lines)


def reliability_markdown(table: Mapping[str, Any], title: str | None = None) -> str:
    """The table as Markdown, for reports: one row per bin, then the high-confidence headline."""
    lines = [f"**{title}**", ""] if title else []
    lines += [
        "| confidence | answers shown | correct | accuracy | of them unanswerable | mean confidence |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for entry in table["bins"]:
        lines.append(
            f"| {entry['bin']} | {entry['n']} | {entry['correct']} | {_fmt(entry['accuracy'])} | "
            f"{entry['unanswerable']} | {_fmt(entry['mean_confidence'])} |"
        )
    lines += ["", f"{headline(table)} (abstained: {table['abstained']})."]
    return "\n".join(lines) + "\n"
