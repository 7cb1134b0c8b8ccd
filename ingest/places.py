"""Vietnamese administrative names, from the maintained ``vietnamadminunits`` data, and a resolver
that reads them in real text.

Documents use the names in force when they were written: the 63 provinces before the 2025 merger and
their districts and cities ("Thành phố Từ Sơn" is in Bắc Ninh). The gazetteer below is built from the
package's legacy parser data and its 2025 converter table, read as JSON from the installed package
(importing the package pulls pandas and takes a second we do not need on the query path).

Every answer is filed under a place, so a place read wrongly is a confidently wrong answer. The
resolver therefore prefers no place to a doubtful one:

- the longest name wins ("Vinh Phuc" is Vĩnh Phúc, not the city of Vinh; "Thái Bình Dương" is the
  Pacific, not Thái Bình);
- a name inside a person's name is not a place ("Nguyễn Hồng Lĩnh", "ông Bình Minh") unless a type
  word says it is ("Bí thư Tỉnh ủy Bắc Ninh", "thị xã Hồng Lĩnh");
- a name written in lower case is an ordinary word ("hòa bình" is peace, "bình định" to pacify)
  unless typed ("tỉnh hòa bình"), or unless the text is a question, where people type carelessly;
- a type word picks between a province and its namesake city ("tỉnh Bắc Ninh" / "thành phố Bắc
  Ninh"); without one, a province-level name means the province;
- text without diacritics ("Ba Ria - Vung Tau", "Ho Chi Minh City", "vinh phuc") and the usual
  abbreviations ("TP.HCM", "BR-VT", "HN") are read too.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

from hoidap.ingest.normalize import fold_for_match, normalize_text

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
    typed: bool  # written with its type word: "tỉnh Bắc Ninh", "thành phố Từ Sơn", "Vinh city"
    end: int = -1


# --------------------------------------------------------------------------- hand tables
# Only what the package data cannot give: abbreviations, exonyms, spelling variants, historical
# units and words that make a name something other than a place.

# Abbreviations, matched on the raw text. Short all-capital ones only in capitals ("HN" but not "hn").
_ABBREVIATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![\w.])(?i:tp)\s?\.?\s?(?i:hcmc?|hồ chí minh|ho chi minh)(?!\w)"), "Hồ Chí Minh"),
    (re.compile(r"(?<!\w)(?i:tphcm|hcmc)(?!\w)"), "Hồ Chí Minh"),
    (re.compile(r"(?<!\w)HCM(?!\w)"), "Hồ Chí Minh"),
    (re.compile(r"(?<!\w)(?i:br\s?[-–]\s?vt|brvt)(?!\w)"), "Bà Rịa - Vũng Tàu"),
    (re.compile(r"(?<![\w-])HN(?![\w-])"), "Hà Nội"),
    (re.compile(r"(?<!\w)TT\s?[-–.]?\s?(?:Huế|Hue|HUẾ)(?!\w)"), "Huế"),
]
# Other spellings of a place, matched like its name (with or without diacritics).
_ALIASES = {
    "Thừa Thiên Huế": "Huế",
    "Thừa Thiên - Huế": "Huế",
    "Sài Gòn": "Hồ Chí Minh",
    "Saigon": "Hồ Chí Minh",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Nông": "Đắk Nông",
    "Đắc Nông": "Đắk Nông",
    "Bắc Cạn": "Bắc Kạn",
    "Kontum": "Kon Tum",
    "Halong": "Hạ Long",
}
# Names that hold a place name but are not a present-day place: the Pacific, pre-1997 provinces.
_NOT_PLACES = (
    "Thái Bình Dương",
    "Quảng Nam - Đà Nẵng",
    "Gia Lai - Kon Tum",
    "Hà Nam Ninh",
    "Nghệ Tĩnh",
    "Bình Trị Thiên",
    "Hà Sơn Bình",
    "Nghĩa Bình",
    "Phú Khánh",
    "Thuận Hải",
    "Minh Hải",
    "Hải Hưng",
    "Vĩnh Phú",
    "Bắc Thái",
    "Hà Bắc",
    "Hoàng Liên Sơn",
    "Cao Lạng",
    "Hà Tuyên",
    "Sông Bé",
)
# Places named after people: written alone they usually mean the person ("tư tưởng Hồ Chí Minh",
# "đường Ngô Quyền"), so they need a type word.
_PERSON_NAMED = frozenset({"Hồ Chí Minh", "Trần Văn Thời", "Dương Minh Châu", "Lê Chân", "Ngô Quyền", "Hai Bà Trưng"})
# Lower-case names that are ordinary words: "hòa bình" (peace), "bình định" (to pacify), ...
_COMMON_WORDS = frozenset({"hoa binh", "binh dinh", "thai binh", "hai duong", "binh minh", "an giang"})

# Family names: a capitalised one just before a name makes it a person's name.
_SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đoàn lương trương trịnh "
    "mai đào cao lâm hà quách tạ châu vương thái lại kiều lưu phùng triệu tăng la đàm hứa thân nông lò mạc "
    "chu giáp tô diệp lã lục khổng phí tống bế vi lường sầm quan bàn lăng giàng sùng thào ma".split()
)
# The same without diacritics, less the ones that are English words at the start of a sentence.
_SURNAMES_FOLDED = frozenset(fold_for_match(s) for s in _SURNAMES) - {"do", "to", "la", "thai", "tang", "vi", "ma", "quan", "ban"}
# Words for a person just before a name: "ông Bình Minh", "đồng chí Hồng Lĩnh", "Mr Vinh".
_HONORIFIC = re.compile(
    r"(?<!\w)(?i:ông|bà|anh|chị|cô|chú|bác|cụ|đồng chí|đ/c|mr|mrs|ms|dr|comrade)\.?\s+$"
)
# Offices: "Chủ tịch Bình Minh" is a person, but "Bí thư Hà Nội Đinh Tiến Dũng" is Hà Nội's secretary.
_OFFICE = re.compile(
    r"(?<!\w)(?i:chủ tịch|bí thư|giám đốc|bộ trưởng|thứ trưởng|thủ tướng|trưởng ban|chủ nhiệm|"
    r"đại tá|thượng tá|thiếu tướng|trung tướng|gs|pgs|ts|ths|chairman|chairwoman|secretary|minister|director)"
    r"\.?\s+$"
)
# Type words before a name, with the type they give. "UBND"/"HĐND" say "a place" without a level.
_TYPE_BEFORE = re.compile(
    r"(?<!\w)(?P<type>tỉnh ủy|thành ủy|huyện ủy|thị ủy|quận ủy|tỉnh|thành phố|thị xã|huyện|quận|tp|tx|"
    r"tinh uy|thanh uy|huyen uy|thi uy|tinh|thanh pho|thi xa|huyen|quan|"
    r"ubnd|hđnd|ủy ban nhân dân|hội đồng nhân dân|province of|city of)\.?\s*$",
    re.I,
)
_TYPE_AFTER = re.compile(r"^[^\S\n]*(?P<type>province|city|district|town)(?!\w)", re.I)
_TYPE_OF = {
    "tỉnh ủy": "tỉnh", "tinh uy": "tỉnh", "tinh": "tỉnh", "province of": "tỉnh", "province": "tỉnh",
    "thành ủy": "thành phố", "thanh uy": "thành phố", "thanh pho": "thành phố", "tp": "thành phố",
    "city of": "thành phố", "city": "thành phố",
    "thị ủy": "thị xã", "thi uy": "thị xã", "thi xa": "thị xã", "tx": "thị xã", "town": "thị xã",
    "huyện ủy": "huyện", "huyen uy": "huyện", "huyen": "huyện", "district": "huyện",
    "quận ủy": "quận", "quan": "quận",
    "ubnd": "*", "hđnd": "*", "ủy ban nhân dân": "*", "hội đồng nhân dân": "*",
}
# A street, river or square named after a place is not the place: "phố Huế", "sông Sài Gòn".
_FEATURE_BEFORE = re.compile(r"(?<!\w)(?<!thành )(sông|phố|đường|đại lộ|quảng trường)\s+$", re.I)
_FEATURE_AFTER = re.compile(r"^\s+(?i:street|river|road|avenue|square)(?!\w)")
# Names joined into one: spaces, a dash ("Bà Rịa - Vũng Tàu"), an apostrophe ("M'Đrắk").
_JOIN = re.compile(r"[^\S\n]+|[^\S\n]*[-–—][^\S\n]*|['’]")
_TOKEN = re.compile(r"[^\W_]+")
_DIACRITIC = re.compile(r"[^\x00-\x7f]")


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations)), "data", name)


@functools.lru_cache(maxsize=4096)
def _spelling(token: str) -> str:
    """One spelling of a word for comparison: NFC, new-style tone marks, lower case."""
    return normalize_text(token).lower()


@dataclass(frozen=True)
class _Entry:
    surface: tuple[str, ...]  # the name's words as written, lower case ("bắc", "ninh")
    target: str  # the gazetteer name it stands for; "" for a name that is not a place
    ascii_ok: bool  # may be written without diacritics (single words only when they are exonyms)
    person_named: bool = False  # also a person's name: a place only with a type word


@dataclass
class _Token:
    text: str
    start: int
    end: int
    folded: str


class Gazetteer:
    """Province and district names with their province, and a resolver over text."""

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
                # "Cao Lãnh (Thành phố)": the package marks namesakes in the short name.
                name = re.sub(r"\s*\(.*\)\s*$", "", info["districtShort"])
                place = Place(name, "district", province, self.provinces[province].province_2025, info["districtType"])
                self.districts.setdefault(place.name, []).append(place)

        self._index: dict[tuple[str, ...], list[_Entry]] = {}
        for name in list(self.provinces) + list(self.districts):
            self._add(name, name, ascii_ok=len(_TOKEN.findall(name)) > 1 or name.isascii() or name == "Huế")
        for alias, name in _ALIASES.items():
            self._add(alias, name, ascii_ok=True)
        for name in _NOT_PLACES:
            self._add(name, "", ascii_ok=True)
        # One-word exonyms from the package's keywords ("hanoi", "danang"), unless one names a
        # district instead ("vungtau").
        district_keys = {fold_for_match(n).replace(" ", "").replace("-", "") for n in self.districts}
        for key, info in province_keys.items():
            for keyword in info["provinceKeywords"]:
                if len(keyword) >= 5 and not keyword.startswith(("tinh", "thanhpho")) and keyword not in district_keys:
                    self._index.setdefault((keyword,), []).append(_Entry((keyword,), short[key], True))
        self._longest = max(len(k) for k in self._index)

    def _add(self, surface: str, target: str, ascii_ok: bool) -> None:
        words = tuple(_spelling(w) for w in _TOKEN.findall(surface))
        key = tuple(fold_for_match(w) for w in words)
        self._index.setdefault(key, []).append(_Entry(words, target, ascii_ok, surface in _PERSON_NAMED))

    # ----------------------------------------------------------------------- lookup

    def label(self, place: Place) -> str:
        """A name that tells a district from its namesake province, as the package writes it:
        "Thành phố Bắc Ninh" (the city) vs "Bắc Ninh" (the province), "Huyện Quảng Ninh" (in Quảng Bình)."""
        if place.kind == "district" and place.name in self.provinces:
            return f"{place.district_type} {place.name}"
        return place.name


    def lookup(self, name: str, typed_as: str = "") -> Place | None:
        """The place a name refers to; a type word ("huyện", "tỉnh") settles ambiguity.

        Without one (or with "UBND"), a province-level name means the province; a district name
        shared by several provinces ("Châu Thành") means nothing by itself.
        """
        typed_as = _TYPE_OF.get(typed_as.lower().rstrip("."), typed_as.lower().rstrip("."))
        province = self.provinces.get(name)
        districts = self.districts.get(name, [])
        if typed_as == "tỉnh":
            return province
        if typed_as and typed_as != "*" and districts:
            exact = [d for d in districts if d.district_type.lower() == typed_as]
            # "thị xã" and "thành phố" are both towns to a reader: prefer the exact type, then any.
            candidates = exact or districts
            if len({d.province for d in candidates}) == 1:
                return candidates[0]
            return None
        if province:
            return province
        if districts and len({d.province for d in districts}) == 1:
            # "Cao Lãnh" is both a city and a district of Đồng Tháp: the city, the likelier subject.
            return next((d for d in districts if d.district_type == "Thành phố"), districts[0])
        return None

    def _candidates(self, name: str, typed_as: str) -> list[Place]:
        """Every place a name could be, for a district name shared between provinces."""
        typed_as = _TYPE_OF.get(typed_as.lower(), typed_as.lower())
        districts = self.districts.get(name, [])
        exact = [d for d in districts if d.district_type.lower() == typed_as]
        return exact or districts

    # ----------------------------------------------------------------------- resolving text

    def mentions(self, text: str, lenient: bool = False) -> list[Mention]:
        """Places named in ``text``, in order. ``lenient``: a question, where names typed in lower
        case ("thu ngân sách bắc ninh", "vinh phuc") are still names."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for pattern, name in _ABBREVIATIONS:
            for match in pattern.finditer(text):
                if not any(s < match.end() and match.start() < e for s, e in taken):
                    taken.append(match.span())
                    found.append(Mention(self.provinces[name], match.start(), True, match.end()))
        tokens = [_Token(m.group(0), m.start(), m.end(), fold_for_match(m.group(0))) for m in _TOKEN.finditer(text)]
        tokens = [t for t in tokens if not any(s <= t.start < e for s, e in taken)]
        accented = bool(_DIACRITIC.search(text))
        ambiguous: list[tuple[int, int, bool, str, str]] = []
        consumed: set[int] = set()  # tokens inside an earlier name (a place, a person's, or not a place)
        i = 0
        while i < len(tokens):
            hit = self._longest_at(tokens, text, i)
            if hit is None:
                i += 1
                continue
            n, entry = hit
            start, end = tokens[i].start, tokens[i + n - 1].end
            place_or_name = self._read(tokens, text, i, n, entry, accented, lenient, consumed)
            consumed.update(range(i, i + n))
            i += n
            if place_or_name is None:
                continue
            typed_as, name = place_or_name
            place = self.lookup(name, typed_as)
            if place is not None:
                found.append(Mention(place, start, bool(typed_as), end))
            elif len(self._candidates(name, typed_as)) > 1:
                ambiguous.append((start, end, bool(typed_as), name, typed_as))
        # "huyện Châu Thành, tỉnh Tiền Giang": a shared district name is the one in a named province.
        named = {m.place.province for m in found}
        for start, end, typed, name, typed_as in ambiguous:
            fitting = [p for p in self._candidates(name, typed_as) if p.province in named]
            if len({p.province for p in fitting}) == 1:
                found.append(Mention(fitting[0], start, typed, end))
        return sorted(found, key=lambda m: m.start)

    def places(self, text: str, lenient: bool = False) -> list[Place]:
        """The distinct places named in ``text``, in order of first mention."""
        return list(dict.fromkeys(m.place for m in self.mentions(text, lenient)))

    def mentions_folded(self, text: str) -> list[Place]:
        """Places named in text typed without diacritics or capitals ("bac ninh")."""
        return self.places(text, lenient=True)

    def _longest_at(self, tokens: list[_Token], text: str, i: int) -> tuple[int, _Entry] | None:
        """The longest name (place or not) that starts at token ``i`` and is written as one."""
        for n in range(min(self._longest, len(tokens) - i), 0, -1):
            words = tokens[i : i + n]
            entries = self._index.get(tuple(t.folded for t in words))
            if not entries or any(not _JOIN.fullmatch(text[a.end : b.start]) for a, b in zip(words, words[1:], strict=False)):
                continue
            written = tuple(t.text for t in words)
            if all(w.isascii() for w in written):
                entry = next((e for e in entries if e.ascii_ok), None)
            else:
                spelled = tuple(_spelling(w) for w in written)
                entry = next((e for e in entries if e.surface == spelled), None)
            if entry is not None:
                return n, entry
        return None

    def _read(
        self,
        tokens: list[_Token],
        text: str,
        i: int,
        n: int,
        entry: _Entry,
        accented: bool,
        lenient: bool,
        consumed: set[int],
    ) -> tuple[str, str] | None:
        """(type word, name) when the words at ``i`` name a place here; None for a person's name, an
        ordinary word, a street or a name that is not a place."""
        if not entry.target:
            return None
        start, end = tokens[i].start, tokens[i + n - 1].end
        before, after = text[max(0, start - 40) : start], text[end : end + 20]
        typed = _TYPE_BEFORE.search(before)
        typed_after = _TYPE_AFTER.match(after)
        typed_as = typed.group("type") if typed else typed_after.group("type") if typed_after else ""
        if typed and typed_after:  # "thành phố Bắc Ninh province" cannot be: read the type before
            typed_as = typed.group("type")
        if _FEATURE_BEFORE.search(before) or _FEATURE_AFTER.match(after):
            return None
        if typed_as:
            return typed_as, entry.target
        if entry.person_named or self._names_a_person(tokens, text, i, n, consumed):
            return None
        words = [t.text for k, t in enumerate(tokens[i : i + n]) if k == 0 or text[tokens[i + k - 1].end] != "'"]
        if not all(w[0].isupper() for w in words):
            # Lower case: an ordinary word in a document; in a question a name typed carelessly.
            folded = " ".join(fold_for_match(w) for w in words)
            if not lenient or n < 2 or (accented and folded in _COMMON_WORDS):
                return None
        return "", entry.target

    @staticmethod
    def _names_a_person(tokens: list[_Token], text: str, i: int, n: int, consumed: set[int]) -> bool:
        """A family name or a title just before the name: "Nguyễn Hồng Lĩnh", "ông Bình Minh"."""
        before = text[max(0, tokens[i].start - 30) : tokens[i].start]
        if _HONORIFIC.search(before):
            return True
        if _OFFICE.search(before):
            # "Bí thư Hà Nội Đinh Tiến Dũng": the office's place, followed by its holder's name.
            following = tokens[i + n] if i + n < len(tokens) else None
            return not (
                following
                and re.fullmatch(r"[^\S\n]+", text[tokens[i + n - 1].end : following.start])
                and is_surname(following.text)
            )
        # Up to three capitalised words, joined by spaces, back to a family name: "Nguyễn Thị".
        k = i - 1
        while k >= 0 and i - k <= 3 and k not in consumed:
            word = tokens[k]
            if not (word.text[0].isupper() and re.fullmatch(r"[^\S\n]+", text[word.end : tokens[k + 1].start])):
                break
            if is_surname(word.text):
                return True
            k -= 1
        return False


def is_surname(word: str, unaccented_text: bool = True) -> bool:
    """A capitalised Vietnamese family name ("Nguyễn", "Vi"; unaccented "Nguyen" too). In text that
    may be unaccented, ASCII words that are also English words ("Do", "To", "Ban") are not names."""
    if not word[:1].isupper():
        return False
    if word.isascii() and unaccented_text:
        return word.lower() in _SURNAMES_FOLDED
    return _spelling(word) in _SURNAMES


# The body that issues a document or runs its site, just before its place: "Ban Chấp hành Đảng bộ
# tỉnh Bắc Ninh", "UBND tỉnh", "Cục Thống kê tỉnh", "Cổng thông tin điện tử tỉnh".
ISSUER_BEFORE = re.compile(
    r"(Đảng bộ|Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân|Cục Thống kê|"
    r"Chi cục Thống kê|Cổng thông tin điện tử|Trang thông tin điện tử|Văn phòng)"
    r"\s*(tỉnh|thành phố|huyện|thị xã|quận|tp\.?)?\s*$",
    re.I,
)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
