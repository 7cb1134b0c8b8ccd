"""Vietnamese administrative names, from the maintained ``vietnamadminunits`` data.

Documents use the names in force when they were written: the 63 provinces before the 2025 merger and
their districts and cities ("Thành phố Từ Sơn" is in Bắc Ninh). The gazetteer below is built from the
package's legacy parser data and its 2025 converter table, read as JSON from the installed package
(importing the package pulls pandas and takes a second we do not need on the query path).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.normalize import fold_for_match

DISTRICT_TYPES = ("thành phố", "thị xã", "huyện", "quận")


@dataclass(frozen=True)
class Place:
    name: str  # "Bắc Ninh", "Từ Sơn"
    kind: str  # "province" or "district"
    province: str  # the province it belongs to (itself for a province)
    province_2025: str  # the province that holds it after the 2025 merger
    district_type: str = ""  # "Thành phố", "Huyện", ... for districts


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    typed: bool  # written with its type word: "tỉnh Bắc Ninh", "thành phố Từ Sơn"


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations)), "data", name)


class Gazetteer:
    """Province and district names with their province, and a matcher over text."""

    def __init__(self) -> None:
        legacy = json.loads(_data_file("parser_legacy.json").read_text(encoding="utf-8"))
        merger = json.loads(_data_file("converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
        province_keys = legacy["DICT_PROVINCE"]
        old_to_new = {old: new for new, olds in merger.items() for old in olds}
        short = {key: value["provinceShort"] for key, value in province_keys.items()}

        self.provinces: dict[str, Place] = {}
        for key, name in short.items():
            new_key = old_to_new.get(key, key)
            self.provinces[name] = Place(name, "province", name, short.get(new_key, name))
        self.districts: dict[str, list[Place]] = {}
        for province_key, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
            province = short[province_key]
            for info in districts.values():
                place = Place(
                    info["districtShort"],
                    "district",
                    province,
                    self.provinces[province].province_2025,
                    info["districtType"],
                )
                self.districts.setdefault(place.name, []).append(place)

        names = sorted(set(self.provinces) | set(self.districts), key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in names)
        types = "|".join(DISTRICT_TYPES + ("tỉnh", "tp\\.?", "tx\\.?"))
        # Case-sensitive on the name (proper nouns; "hòa bình" is "peace"), any case on the type word.
        self._pattern = re.compile(rf"(?:\b(?i:(?P<type>{types}))\s+)?(?<!\w)(?P<name>{alternation})(?!\w)")
        self._upper = {n.upper(): n for n in names}
        self._upper_pattern = re.compile(
            rf"(?<!\w)({'|'.join(re.escape(n.upper()) for n in names)})(?!\w)"
        )
        self._folded = {fold_for_match(n): n for n in names}

    def lookup(self, name: str, typed_as: str = "") -> Place | None:
        """The place a name refers to; a type word ("huyện", "tỉnh") settles ambiguity."""
        typed_as = typed_as.lower().rstrip(".")
        province = self.provinces.get(name)
        districts = self.districts.get(name, [])
        if typed_as in ("tỉnh",) and province:
            return province
        if typed_as and typed_as not in ("tỉnh",) and districts:
            wanted = {"tp": "thành phố", "tx": "thị xã"}.get(typed_as, typed_as)
            exact = [d for d in districts if d.district_type.lower() == wanted]
            return (exact or districts)[0]
        return province or (districts[0] if len(districts) == 1 else None)

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for match in self._pattern.finditer(text):
            place = self.lookup(match.group("name"), match.group("type") or "")
            if place:
                found.append(Mention(place, match.start("name"), bool(match.group("type"))))
        for match in self._upper_pattern.finditer(text):
            place = self.lookup(self._upper[match.group(1)])
            if place:
                found.append(Mention(place, match.start(), False))
        return found

    def mentions_folded(self, text: str) -> list[Place]:
        """Places named in text typed without diacritics or capitals ("bac ninh")."""
        folded = fold_for_match(text)
        places = []
        for key, name in self._folded.items():
            # The substring test first: compiling a pattern per name on every call (more names than
            # re's pattern cache holds) cost ~0.1 s a question.
            if len(key) >= 5 and key in folded and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                place = self.lookup(name)
                if place:
                    places.append(place)
        return places


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
