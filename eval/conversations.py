"""Conversations: follow-up questions scored turn by turn, through the same rewrite as the API.

A follow-up ("Còn Bắc Kạn?", "And the target for next year?") is rewritten from the earlier turns
(``app.conversation.rewrite_followup``, what ``/api/ask`` does with ``history``) and answered like any
question. Each turn is scored as in ``hoidap eval``: an answerable turn must show one of its gold
answers, an unanswerable one must abstain.

    python -m hoidap.eval.conversations data/eval/samples_conversation.jsonl --corpus data/samples --out reports/conversations.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hoidap.app.config import load_settings
from hoidap.app.conversation import rewrite_followup
from hoidap.eval.metrics import answer_correct, shown_figure
from hoidap.eval.runner import fresh_service


def load_conversations(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(service, conversations: list[dict]) -> list[dict]:
    rows = []
    service.pipeline.retriever.sync()
    known = service.pipeline.retriever.known_localities()
    for conversation in conversations:
        history: list[str] = []
        for number, turn in enumerate(conversation["turns"], start=1):
            searched = rewrite_followup(turn["question"], history, known)
            result = service.pipeline.invoke(searched)
            right = result["abstained"] if not turn["answerable"] else (
                not result["abstained"] and answer_correct(shown_figure(result), turn["answers"])
            )
            rows.append({
                "conversation": conversation["id"], "turn": number, "question": turn["question"], "searched": searched,
                "answerable": turn["answerable"], "abstained": result["abstained"], "right": right,
                "answer": result["answer"],
            })
            history.append(turn["question"])
    return rows


def summarise(rows: list[dict]) -> dict:
    follow_ups = [r for r in rows if r["turn"] > 1]
    unanswerable = [r for r in follow_ups if not r["answerable"]]
    answerable = [r for r in follow_ups if r["answerable"]]

    def share(items: list[dict]) -> float | None:
        return round(sum(r["right"] for r in items) / len(items), 3) if items else None

    return {
        "turns": len(rows),
        "turns_right": share(rows),
        "follow_ups": len(follow_ups),
        "follow_ups_unanswerable_abstained": share(unanswerable),
        "follow_ups_answerable_right": share(answerable),
        "wrong_figures_shown": sum(1 for r in rows if not r["right"] and not r["abstained"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.conversations", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    service = fresh_service(load_settings(), args.corpus, "conversations")
    rows = run(service, load_conversations(args.path))
    summary = summarise(rows)
    for key, value in summary.items():
        print(f"  {key:40} {value}")
    for row in rows:
        if not row["right"]:
            print(f"  WRONG {row['conversation']}#{row['turn']}: {row['question']!r} -> {row['searched']!r}: {row['answer'][:100]!r}")
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "turns": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
