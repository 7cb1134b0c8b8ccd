"""The look-alike corpus keeps its promises: deterministic, one right document per question, both languages."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from eval import lookalike_templates as templates
from eval.datasets import load_qa_jsonl
from eval.lookalike import FigureRegistry, GoldIndex, format_number, generate, main
from eval.metrics import answer_correct

PROVINCES = ["Nghệ An", "Hà Tĩnh", "Bắc Ninh", "Hà Nội", "Huế", "Cà Mau"]
YEARS = (2021, 2022)
PER_DOCUMENT = 5


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("lookalike")
    summary = generate(
        out, provinces=PROVINCES, years=YEARS, seed=11, docs_per_province_year=3,
        questions_per_document=PER_DOCUMENT, unanswerable=6,
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


def test_counts_and_languages(corpus):
    summary, texts, questions, manifest = corpus
    answerable = [q for q in questions if q.answerable]
    assert len(texts) == summary.documents == len(PROVINCES) * len(YEARS) * 3 == len(manifest)
    assert sum(row["kind"] == "annual" for row in manifest) == len(PROVINCES) * len(YEARS)
    assert len(answerable) == len(PROVINCES) * len(YEARS) * PER_DOCUMENT
    assert len(questions) - len(answerable) == 6
    assert {q.lang for q in answerable} == {"vi", "en"}
    assert {q.lang for q in questions if not q.answerable} == {"vi", "en"}
    assert {q.meta["kind"] for q in answerable} == {"result", "target"}
    assert len({q.id for q in questions}) == len(questions)


def test_every_gold_is_verbatim_in_its_annual_report(corpus):
    _, texts, questions, manifest = corpus
    kind = {row["file"]: row["kind"] for row in manifest}
    for q in (q for q in questions if q.answerable):
        assert q.source in texts and kind[q.source] == "annual"
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
    for q in (q for q in questions if q.answerable):
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
    from ingest.document import parse_document

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
    assert period and all(re.search(r"tháng|quý", text[:300]) for text in period)
    assert sum("thu ngân sách" in text for text in period) > len(period) // 2


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


def test_gold_index_matches_containment_after_whitespace_removal():
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
        expected = {name for name, text in texts.items() if answer_correct(text, [gold])}
        assert index.found.get(gold, set()) == expected
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
