"""The look-alike corpus keeps its promises: deterministic, one right document per question, both languages."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from hoidap.eval import lookalike_templates as templates
from hoidap.eval.datasets import load_qa_jsonl
from hoidap.eval.lookalike import FigureRegistry, GoldIndex, format_number, generate, main
from hoidap.eval.metrics import answer_correct

PROVINCES = ["Nghệ An", "Hà Tĩnh", "Bắc Ninh", "Hà Nội", "Huế", "Cà Mau"]
YEARS = (2021, 2022)
PER_DOCUMENT = 5
PER_PERIOD_DOCUMENT = 2
ABSENT = 16
PERIOD_CODES = {period.code for period in templates.PERIODS}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("lookalike")
    summary = generate(
        out, provinces=PROVINCES, years=YEARS, seed=11, docs_per_province_year=3,
        questions_per_document=PER_DOCUMENT, unanswerable=6, period_questions_per_document=PER_PERIOD_DOCUMENT,
        absent_indicator=ABSENT,
    )
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    manifest = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    return summary, texts, load_qa_jsonl(out / "qa.jsonl"), manifest


def test_same_seed_same_bytes_other_seed_other_figures(tmp_path):
    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    for name in ("a", "b"):
        generate(tmp_path / name, provinces=4, years=(2022,), seed=5, docs_per_province_year=2, progress=False)
    generate(tmp_path / "c", provinces=4, years=(2022,), seed=6, docs_per_province_year=2, progress=False)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")
    ids = [q.id[:2] for q in load_qa_jsonl(tmp_path / "a" / "qa.jsonl")]
    assert {"la", "lu", "lp", "lx"} <= set(ids)  # period and absent-indicator questions are in the compared bytes


def test_counts_and_languages(corpus):
    summary, texts, questions, manifest = corpus
    answerable = [q for q in questions if q.answerable]
    assert len(texts) == summary.documents == len(PROVINCES) * len(YEARS) * 3 == len(manifest)
    assert sum(row["kind"] == "annual" for row in manifest) == len(PROVINCES) * len(YEARS)
    whole_year = [q for q in answerable if q.meta["period"] == "year" and q.meta["kind"] != "plan"]
    part_year = [q for q in answerable if q.meta["period"] != "year"]
    assert len(whole_year) == len(PROVINCES) * len(YEARS) * PER_DOCUMENT
    # two period reports per province-year, each with its own period, each asked PER_PERIOD_DOCUMENT questions
    assert len(part_year) == len(PROVINCES) * len(YEARS) * 2 * PER_PERIOD_DOCUMENT == summary.period_answerable
    role_absent = sum(q.meta.get("reason") == "role_absent" for q in questions)
    assert len(questions) - len(answerable) == 6 + ABSENT + role_absent
    assert summary.indicator_absent == ABSENT
    assert {q.lang for q in answerable} == {"vi", "en"} == {q.lang for q in part_year}
    assert {q.lang for q in questions if not q.answerable} == {"vi", "en"}
    assert {q.meta["kind"] for q in whole_year} == {"result", "target"}
    assert {q.meta["kind"] for q in part_year} == {"result"}
    assert len({q.id for q in questions}) == len(questions)


def test_every_gold_is_verbatim_in_the_report_of_its_period(corpus):
    _, texts, questions, manifest = corpus
    row = {r["file"]: r for r in manifest}
    for q in (q for q in questions if q.answerable):
        assert q.source in texts and row[q.source]["kind"] == ("annual" if q.meta["period"] == "year" else "period")
        assert row[q.source]["period_code"] == q.meta["period"]
        assert (row[q.source]["province"], row[q.source]["year"]) == (q.meta["province"], q.meta["report_year"])
        assert len(q.answers) == 1 and q.answers[0] in texts[q.source], q


def test_no_other_document_holds_a_gold_answer(corpus):
    _, texts, questions, _ = corpus
    for q in (q for q in questions if q.answerable):
        holders = [name for name, text in texts.items() if answer_correct(text, q.answers)]
        assert holders == [q.source], (q.answers, holders)


def test_no_two_questions_share_a_gold(corpus):
    _, _, questions, _ = corpus
    golds = [q.answers[0] for q in questions if q.answerable]
    assert len(set(golds)) == len(golds)


def test_questions_name_province_and_year(corpus):
    _, _, questions, _ = corpus
    for q in questions:
        province = q.meta["province"]
        names = {province, templates.DOCUMENT_NAMES.get(province, province), *templates.ENGLISH_NAMES.get(province, ())}
        assert any(_fold(name) in _fold(q.question) for name in names), q.question
        assert str(q.meta["year"]) in q.question


def test_targets_sit_in_part_two_and_results_in_part_one(corpus):
    _, texts, questions, _ = corpus
    for q in (q for q in questions if q.answerable and q.meta["period"] == "year"):
        text = texts[q.source]
        part_two = re.search(r"^II\. .*NĂM (\d{4})$", text, re.M)
        assert part_two and int(part_two.group(1)) == q.meta["report_year"] + 1
        where = text.index(q.answers[0])
        if q.meta["kind"] == "target":
            assert where > part_two.start() and q.meta["year"] == q.meta["report_year"] + 1
        else:
            assert where < part_two.start() and q.meta["year"] == q.meta["report_year"]


def test_unanswerable_questions_are_out_of_the_corpus(corpus):
    summary, _, questions, _ = corpus
    for q in (q for q in questions if not q.answerable):
        assert q.answers == [] and q.source is None
        if q.meta["reason"] in ("indicator_absent", "role_absent"):
            continue  # see test_absent_indicators_are_stated_nowhere_for_their_place_year_and_period, test_budget_plan_*
        if q.meta["reason"] == "province_not_in_corpus":
            assert q.meta["province"] not in summary.provinces
        else:
            about_year = q.meta["year"] if q.meta["kind"] == "result" else q.meta["year"] - 1
            assert about_year not in YEARS


def test_figures_use_vietnamese_number_format(corpus):
    _, _, questions, _ = corpus
    number = r"\d{1,3}(?:\.\d{3})*(?:,\d*[1-9])?"
    for q in (q for q in questions if q.answerable):
        gold = q.answers[0]
        assert re.fullmatch(rf"{number}%|{number} [^\d\s][^\d]*|\d+/\d+ xã", gold), gold


def test_some_titles_name_the_province_and_some_only_the_body(corpus):
    _, texts, _, manifest = corpus
    named_in_title = 0
    for row in (r for r in manifest if r["kind"] == "annual"):
        text = texts[row["file"]]
        display = templates.DOCUMENT_NAMES.get(row["province"], row["province"])
        title_block = text.split("\n\n")[0]
        opening = "\n\n".join(text.split("\n\n")[:3])
        assert display.casefold() in opening.casefold()  # in the title (maybe upper case) or the first paragraph
        named_in_title += display.casefold() in title_block.casefold()
    assert 0 < named_in_title < len(PROVINCES) * len(YEARS)


def test_answers_survive_ingest_and_documents_name_their_province(corpus):
    from hoidap.ingest.document import parse_document

    _, texts, questions, manifest = corpus
    province = {row["file"]: row["province"] for row in manifest}
    golds: dict[str, list[str]] = {}
    for q in (q for q in questions if q.answerable):
        golds.setdefault(q.source, []).append(q.answers[0])
    for name, answers in golds.items():
        parsed = parse_document(name, Path(name), texts[name].encode("utf-8"))
        assert parsed.facts.province == province[name]
        assert all(answer in parsed.text for answer in answers)


def test_period_reports_repeat_the_wording(corpus):
    _, texts, _, manifest = corpus
    period = [texts[r["file"]] for r in manifest if r["kind"] == "period"]
    assert period and all(re.search(r"tháng|quý|nửa đầu năm", text[:300]) for text in period)
    assert sum("thu ngân sách" in text for text in period) > len(period) // 2


# --- questions on a part of the year and on absent indicators -----------------------------------------

REPEATS = len(templates.PERIODS) + 6  # period reports per province-year: every period once, some twice


@pytest.fixture(scope="module")
def repeated(tmp_path_factory):
    """More period reports than periods: a period has several reports, only one of which may hold an asked figure."""
    out = tmp_path_factory.mktemp("lookalike-repeated")
    summary = generate(out, provinces=["Quảng Ninh", "Đồng Tháp"], years=(2023,), seed=4,
                       docs_per_province_year=1 + REPEATS, absent_indicator=60, progress=False)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    manifest = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    return summary, texts, load_qa_jsonl(out / "qa.jsonl"), manifest


def _phrase_patterns(phrases) -> list[re.Pattern]:
    """Regexes for an indicator's clauses as any report style writes them: literal words, placeholders as gaps,
    a number where the figure goes, and the words that follow it up to the next comma."""
    variants = set()
    for phrase in phrases:
        variants.add(phrase)
        for rewrites in templates.PERIOD_REWRITES.values():
            for old, new in rewrites:
                phrase = phrase.replace(old, new)
            variants.add(phrase)
    patterns = []
    for phrase in sorted(variants):
        head, _, tail = phrase.partition("{v}")
        gap = r"[^;\n]{0,80}?"
        regex = gap.join(re.escape(part) for part in re.split(r"\{\w+\}", head)) + r"\d[\d.,/]*"
        tail = re.split(r"[,;]|\{", tail)[0].strip()
        if tail:
            regex += r"[^;\n]{0,30}?" + re.escape(tail)
        patterns.append(re.compile(regex, re.I))
    return patterns


def _states(text: str, key: str, kind: str) -> bool:
    if kind == "plan":
        return bool(re.search(r"dự toán[^;\n]{0,40}?\d[\d.]* tỷ đồng", text))
    indicator = next(ind for ind in templates.INDICATORS if ind.key == key)
    phrases = indicator.result_phrases if kind == "result" else indicator.target_phrases
    if key == "budget_revenue" and kind == "result":
        phrases += templates.BUDGET_PLAN_PHRASES + templates.BUDGET_SHARE_PHRASES
    return any(p.search(text) for p in _phrase_patterns(phrases))


def _docs(manifest, province, year, code=None):
    return [r["file"] for r in manifest if r["province"] == province and r["year"] == year
            and (code is None or r["period_code"] == code)]


@pytest.mark.parametrize("name", ["corpus", "repeated"])
def test_the_scanner_finds_every_asked_indicator_in_its_source(name, request):
    """The check for absent indicators is only as good as its patterns: they must find every answered one."""
    _, texts, questions, _ = request.getfixturevalue(name)
    asked = [q for q in questions if q.answerable]
    assert asked
    for q in asked:
        assert _states(texts[q.source], q.meta["indicator"], q.meta["kind"]), (q.meta, q.source)


@pytest.mark.parametrize("name", ["corpus", "repeated"])
def test_period_questions_name_their_period_and_have_one_report(name, request):
    _, texts, questions, manifest = request.getfixturevalue(name)
    row = {r["file"]: r for r in manifest}
    period = {p.code: p for p in templates.PERIODS}
    part_year = [q for q in questions if q.answerable and q.meta["period"] != "year"]
    assert part_year and {q.meta["period"] for q in part_year} <= PERIOD_CODES
    for q in part_year:
        code, year = q.meta["period"], q.meta["year"]
        forms = period[code].forms if q.lang == "vi" else period[code].english
        assert any(form.format(Y=year).casefold() in q.question.casefold() for form in forms), q.question
        assert row[q.source]["period"] in texts[q.source]  # the report writes its period, with its year
        holders = [f for f, text in texts.items() if answer_correct(text, q.answers)]
        assert holders == [q.source]
        # no other report of the same province, year and period states the asked indicator at all
        others = [f for f in _docs(manifest, q.meta["province"], year, code) if f != q.source]
        assert not [f for f in others if _states(texts[f], q.meta["indicator"], "result")], q.meta


def test_period_reports_come_in_styles_and_wordings(repeated):
    _, texts, _, manifest = repeated
    period = [texts[r["file"]] for r in manifest if r["kind"] == "period"]
    assert any("Cục Thống kê" in t and "ước tính" in t for t in period)
    assert any(re.search(r"^Trong [^,]+, (tỉnh|thành phố) ", t, re.M) for t in period)
    assert any("Ban Thường vụ" in t or "Ban Chấp hành" in t for t in period)
    wordings = {r["period"] for r in manifest if r["kind"] == "period"}
    assert any("/" in w for w in wordings) and any("năm" in w for w in wordings)
    codes = {r["period_code"] for r in manifest}
    assert codes == PERIOD_CODES | {"year"}  # every period appears once per province-year, then again
    assert {r["period_code"] for r in manifest if r["kind"] == "annual"} == {"year"}


@pytest.mark.parametrize("name", ["corpus", "repeated"])
def test_absent_indicators_are_stated_nowhere_for_their_place_year_and_period(name, request):
    summary, texts, questions, manifest = request.getfixturevalue(name)
    absent = [q for q in questions if not q.answerable and q.meta["reason"] == "indicator_absent"]
    assert absent and {q.lang for q in absent} == {"vi", "en"}
    asked_only = {ind.key: ind for ind in templates.QUESTION_ONLY_INDICATORS}
    folded = {f: _fold(text) for f, text in texts.items()}
    for q in absent:
        meta = q.meta
        assert {"reason", "province", "year", "period", "indicator", "kind", "part_year_only"} <= meta.keys()
        assert q.answers == [] and q.source is None
        province, report_year, code = meta["province"], meta["report_year"], meta["period"]
        assert province in summary.provinces and report_year in summary.years and str(meta["year"]) in q.question
        in_scope = _docs(manifest, province, report_year, code)
        assert in_scope, meta  # the place, year and period are in the corpus
        if meta["indicator"] in asked_only:
            assert meta["absent_from"] == "corpus" and meta["part_year_only"] is False
            names = asked_only[meta["indicator"]].names_vi
            assert not [f for f, text in folded.items() if any(_fold(n) in text for n in names)], meta
            assert any(_fold(n) in _fold(q.question) for n in names + asked_only[meta["indicator"]].names_en)
            continue
        assert [f for f in in_scope if _states(texts[f], meta["indicator"], meta["kind"])] == [], meta
        if code == "year":
            part = [f for f in _docs(manifest, province, report_year) if f not in in_scope]
            stated = any(_states(texts[f], meta["indicator"], "result") for f in part) and meta["kind"] == "result"
            assert meta["part_year_only"] is stated, meta
        else:
            assert meta["kind"] == "result" and meta["part_year_only"] is False


def test_absent_indicator_questions_cover_every_case(corpus, repeated):
    absent = [q for _, _, questions, _ in (corpus, repeated) for q in questions
              if not q.answerable and q.meta["reason"] == "indicator_absent"]
    cases = {(q.meta["absent_from"], q.meta["period"] == "year") for q in absent}
    assert cases == {("corpus", True), ("corpus", False), ("documents", True), ("documents", False)}
    assert any(q.meta["part_year_only"] for q in absent)
    assert {q.meta["kind"] for q in absent if q.meta["absent_from"] == "documents"} == {"result", "target"}
    keys = [(q.meta["province"], q.meta["year"], q.meta["period"], q.meta["indicator"], q.meta["kind"]) for q in absent]
    assert len(set(keys)) == len(keys)


def test_budget_plan_questions_point_at_the_plan_not_the_result_beside_it(corpus):
    summary, texts, questions, manifest = corpus
    plan = [q for q in questions if q.meta.get("kind") == "plan"]
    answered = [q for q in plan if q.answerable]
    assert answered and summary.plan_answerable == len(answered)
    assert len(plan) - len(answered) == min(len(answered), len(plan) - len(answered))  # no more unanswerable than answerable
    result = {(q.meta["province"], q.meta["year"]): q.answers[0] for q in questions
              if q.answerable and q.meta["indicator"] == "budget_revenue" and q.meta["kind"] == "result"
              and q.meta["period"] == "year"}
    for q in plan:
        assert "dự toán" in q.question.casefold() or q.lang == "en"
        annual = [r["file"] for r in manifest if r["kind"] == "annual"
                  and (r["province"], r["year"]) == (q.meta["province"], q.meta["report_year"])]
        text = texts[annual[0]]
        # the budget result and "dự toán" share one clause
        clause = next(c for c in re.split(r"[;\n]", text) if "ngân sách" in c and "dự toán" in c and "bằng" in c)
        if q.answerable:
            assert q.source == annual[0] and q.answers[0] in clause
            key = (q.meta["province"], q.meta["year"])
            if key in result:  # a question on the result has the plan as its neighbour, and the other way round
                assert result[key] in clause and result[key] != q.answers[0]
        else:
            assert q.meta["reason"] == "role_absent" and not _states(text, "budget_revenue", "plan")


def test_question_only_indicators_are_in_no_template():
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from strings(k)
                yield from strings(v)
        elif isinstance(value, (tuple, list)):
            for v in value:
                yield from strings(v)
        elif isinstance(value, templates.Indicator):
            for v in vars(value).values():
                yield from strings(v)

    text = _fold(" ".join(s for name, value in vars(templates).items()
                          if name != "QUESTION_ONLY_INDICATORS" and not name.startswith("_") for s in strings(value)))
    for indicator in templates.QUESTION_ONLY_INDICATORS:
        for name in indicator.names_vi:
            assert _fold(name) not in text, name
    stated = {ind.key for ind in templates.INDICATORS}
    assert not stated & {ind.key for ind in templates.QUESTION_ONLY_INDICATORS}


def test_every_question_carries_a_period_code(corpus):
    summary, _, questions, manifest = corpus
    assert {q.meta["period"] for q in questions} <= PERIOD_CODES | {"year"}
    assert all(r["period_code"] in PERIOD_CODES | {"year"} for r in manifest)
    for q in questions:
        if q.meta.get("reason") in ("province_not_in_corpus", "year_not_covered"):
            assert q.meta["period"] == "year"


def test_period_questions_are_optional(tmp_path):
    one = generate(tmp_path / "one", provinces=2, years=(2022,), seed=9, progress=False)
    assert one.period_documents == 0 and one.period_answerable == 0 and one.indicator_absent >= 2
    off = generate(tmp_path / "off", provinces=2, years=(2022,), seed=9, docs_per_province_year=3,
                   period_questions_per_document=0, absent_indicator=0, progress=False)
    questions = load_qa_jsonl(tmp_path / "off" / "qa.jsonl")
    assert off.period_answerable == off.indicator_absent == 0
    assert all(q.meta["period"] == "year" for q in questions)
    on = generate(tmp_path / "on", provinces=2, years=(2022,), seed=9, docs_per_province_year=3, progress=False)
    assert on.period_answerable == 2 * 2 * 2  # by default two questions on each of the two period reports
    # the annual conclusions' whole-year questions do not change when period questions are added
    whole_year = [q for q in load_qa_jsonl(tmp_path / "on" / "qa.jsonl") if q.id.startswith(("la", "lu"))]
    assert [(q.question, q.answers) for q in whole_year] == [(q.question, q.answers) for q in questions]


def test_target_chunks_sets_the_number_of_documents(tmp_path):
    summary = generate(tmp_path, provinces=3, years=(2022,), seed=2, target_chunks=150, progress=False)
    assert summary.docs_per_province_year > 1
    assert 150 * 0.7 <= summary.chunks <= 150 * 1.5


def test_cli_prints_what_it_wrote(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--provinces", "2", "--years", "2023", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 documents" in printed and "qa.jsonl" in printed
    assert (tmp_path / "qa.jsonl").exists()
    assert main(["--out", str(tmp_path), "--provinces", "99"]) == 2
    assert main(["--out", str(tmp_path / "p"), "--provinces", "2", "--years", "2023", "--docs-per-province-year", "3",
                 "--period-questions-per-document", "1", "--absent-indicator", "5"]) == 0
    assert "(4 about part of a year" in capsys.readouterr().out
    questions = load_qa_jsonl(tmp_path / "p" / "qa.jsonl")
    assert sum(q.meta.get("reason") == "indicator_absent" for q in questions) == 5


# --- the parts that make uniqueness hold -------------------------------------------------------------


def test_vietnamese_number_formatting():
    assert format_number(30372) == "30.372"
    assert format_number(7.391, 2) == "7,39"
    assert format_number(1234567.25, 1) == "1.234.567,2" or format_number(1234567.25, 1) == "1.234.567,3"
    assert format_number(0.5, 2) == "0,50"


def test_registry_keeps_answers_from_containing_each_other():
    registry = FigureRegistry()
    registry.add_answer("1.243 tỷ đồng")
    assert not registry.can_be_answer("243 tỷ đồng")  # would be found inside "1.243 tỷ đồng"
    assert not registry.can_be_answer("21.243 tỷ đồng")  # would contain it
    assert registry.can_be_answer("243 triệu USD")  # another unit
    assert registry.can_be_answer("1.244 tỷ đồng")
    assert not registry.can_be_plain("31.243 tỷ đồng")
    assert registry.can_be_plain("1.243 triệu USD") and registry.can_be_plain("243 tỷ đồng")
    registry.freeze()
    with pytest.raises(RuntimeError):
        registry.add_answer("9.999 tỷ đồng")


def test_gold_index_finds_every_text_the_judge_accepts():
    golds = ["243 tỷ đồng", "7,39%", "17/139 xã"]
    texts = {
        "a": "thu ngân sách 1.243 tỷ  đồng",
        "b": "tăng 7, 39 % so với",
        "c": "có 117/139 xã đạt chuẩn; 243 tỷ USD",
        "d": "7,3% và 243 tỷ",
    }
    index = GoldIndex(golds)
    for name, text in texts.items():
        index.scan(name, text)
    for gold in golds:
        # The index is the stricter side for generating unique golds: it finds every text the judge
        # would accept, and also a gold inside a longer number ("243 tỷ đồng" in "1.243 tỷ đồng").
        expected = {name for name, text in texts.items() if answer_correct(text, [gold])}
        assert expected <= index.found.get(gold, set())
    assert index.found["243 tỷ đồng"] == {"a"}


def test_answer_units_are_not_prefixes_of_each_other():
    units = sorted({re.sub(r"\s", "", ind.unit.casefold()) for ind in templates.INDICATORS})
    for a in units:
        for b in units:
            assert a == b or not b.startswith(a), (a, b)


def test_every_indicator_template_places_its_figure():
    for indicator in templates.INDICATORS:
        for phrase in indicator.result_phrases + indicator.target_phrases:
            assert "{v}" in phrase, (indicator.key, phrase)
        assert indicator.names_vi and indicator.names_en
        assert indicator.result_phrases or indicator.target_phrases
