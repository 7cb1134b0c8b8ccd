"""The place test set meets its targets: 0.98 of items right, no person's name read as a place."""

from __future__ import annotations

from collections import Counter

from hoidap.eval.places import DEFAULT_DATA, evaluate, load
from hoidap.ingest.places import gazetteer


def test_place_set_meets_targets():
    report = evaluate(load(DEFAULT_DATA))
    assert report["items"] >= 220
    assert report["accuracy"] >= 0.98, report["failures"]
    assert report["person_names_read_as_places"] == 0


def test_place_set_covers_every_province_and_kind():
    items = load(DEFAULT_DATA)
    expected = {name for item in items for name in item["expected"]}
    assert set(gazetteer().provinces) <= expected
    kinds = Counter(item["kind"] for item in items)
    assert set(kinds) == {"accented", "unaccented", "english", "abbreviation", "person_name", "common_word", "shared_name", "document"}
    assert len({item["id"] for item in items}) == len(items)
