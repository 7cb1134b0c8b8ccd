"""How well places are read: ``python -m hoidap.eval.places [--data data/eval/places.jsonl] [--out reports/places.json]``.

Each item of the set is a short text (a sentence, a title, a question or a whole document) with the
places it names, written as the gazetteer writes them ("Bắc Ninh" the province, "Thành phố Bắc Ninh"
its namesake city, "Từ Sơn"). An item is right when the resolved set equals the expected set. For a
``document`` item the resolved set is the document's province and, when it is about a city or
district, that locality too. A ``person_name`` item with a place beyond the expected ones is a
person's name read as a place: the worst mistake, counted on its own.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from hoidap.ingest.places import gazetteer

DEFAULT_DATA = Path("data/eval/places.jsonl")


def load(path: Path = DEFAULT_DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def resolve(item: dict) -> list[str]:
    """The places the resolver reads in an item, as labels."""
    from hoidap.ingest.metadata import _place_of

    gaz = gazetteer()
    if item["kind"] == "document":
        province, locality = _place_of(item["text"], item.get("footer", ""))
        found = [gaz.label(p) for p in (province, locality) if p is not None]
        return list(dict.fromkeys(found))
    places = gaz.places(item["text"], lenient=item.get("mode") == "question")
    return list(dict.fromkeys(gaz.label(p) for p in places))


def evaluate(items: list[dict]) -> dict:
    """Accuracy overall and per kind, person names read as places, and the failures."""
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    persons_as_places = 0
    for item in items:
        got = resolve(item)
        right = set(got) == set(item["expected"])
        per_kind[item["kind"]][0] += right
        per_kind[item["kind"]][1] += 1
        if item["kind"] == "person_name" and set(got) - set(item["expected"]):
            persons_as_places += 1
        if not right:
            failures.append({"id": item["id"], "text": item["text"][:120], "expected": item["expected"], "got": got})
    total = sum(n for _, n in per_kind.values())
    return {
        "items": total,
        "accuracy": sum(r for r, _ in per_kind.values()) / total if total else 0.0,
        "by_kind": {kind: {"accuracy": r / n, "items": n} for kind, (r, n) in sorted(per_kind.items())},
        "person_names_read_as_places": persons_as_places,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None, help="write the report as JSON here")
    args = parser.parse_args(argv)
    report = evaluate(load(args.data))
    print(f"places: {report['accuracy']:.3f} over {report['items']} items")
    for kind, row in report["by_kind"].items():
        print(f"  {kind:<13} {row['accuracy']:.3f}  ({row['items']})")
    print(f"person names read as places: {report['person_names_read_as_places']}")
    for failure in report["failures"]:
        print(f"  FAIL {failure['id']}: {failure['text']!r} expected {failure['expected']} got {failure['got']}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
