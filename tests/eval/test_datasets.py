"""Loading the project's Q&A JSONL and SQuAD-format sets, with errors that name the bad line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoidap.eval.datasets import (
    DatasetError,
    QAItem,
    load_qa_jsonl,
    load_squad,
    load_xquad_crosslingual,
    write_paragraph_files,
    write_qa_jsonl,
)

SHARED = Path("/work/shared/eval")
GOOD = {
    "id": "d001",
    "question": "Bắc Ninh's 2023 FDI target",
    "lang": "en",
    "answers": ["1.200 triệu USD"],
    "source": "000_cb6758b6e1e73ad5.txt",
    "answerable": True,
}
UNANSWERABLE = {
    "id": "d017",
    "question": "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?",
    "lang": "vi",
    "answers": [],
    "source": None,
    "answerable": False,
}


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jsonl(path: Path, *records: dict) -> Path:
    return _write_lines(path, [json.dumps(r, ensure_ascii=False) for r in records])


def test_loads_items_and_skips_blank_lines(tmp_path):
    path = _write_lines(tmp_path / "qa.jsonl", [json.dumps(GOOD), "", "   ", json.dumps(UNANSWERABLE)])
    items = load_qa_jsonl(path)
    assert [i.id for i in items] == ["d001", "d017"]
    assert items[0].answers == ["1.200 triệu USD"] and items[0].answerable
    assert items[1].source is None and not items[1].answerable and items[1].answers == []


def test_round_trip_keeps_vietnamese_and_meta(tmp_path):
    items = [
        QAItem(**GOOD, meta={"province": "Bắc Ninh", "year": 2023}),
        QAItem(**UNANSWERABLE),
    ]
    path = write_qa_jsonl(items, tmp_path / "out" / "qa.jsonl")
    assert "Lạng Sơn" in path.read_text(encoding="utf-8")  # written as UTF-8, not \u escapes
    assert load_qa_jsonl(path) == items


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "answers"}), "missing key(s): answers"),
        (json.dumps({**GOOD, "anwsers": []}), "unknown key(s): anwsers"),
        (json.dumps({**GOOD, "answerable": "yes"}), "'answerable' has the wrong type"),
        (json.dumps({**GOOD, "lang": "fr"}), "lang must be one of"),
        (json.dumps({**GOOD, "answers": []}), "needs at least one non-empty answer"),
        (json.dumps({**UNANSWERABLE, "answers": ["x"]}), "must have answers [] and source null"),
        (json.dumps({**GOOD, "answers": [1200]}), "answers must be a list of strings"),
    ],
)
def test_bad_line_is_named(tmp_path, line, message):
    path = _write_lines(tmp_path / "qa.jsonl", [json.dumps(UNANSWERABLE), "", line])
    with pytest.raises(DatasetError) as error:
        load_qa_jsonl(path)
    assert f"{path}:3:" in str(error.value)
    assert message in str(error.value)


def test_bom_is_tolerated_and_bad_encoding_is_named(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes("\ufeff".encode() + json.dumps(GOOD).encode() + b"\n")
    assert load_qa_jsonl(path)[0].id == "d001"
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(GOOD).encode() + b"\n" + json.dumps(UNANSWERABLE, ensure_ascii=False).encode("cp1258", "replace") + b"\n")
    with pytest.raises(DatasetError, match=r":2: not UTF-8"):
        load_qa_jsonl(latin)


def test_duplicate_id_names_both_lines(tmp_path):
    path = _jsonl(tmp_path / "qa.jsonl", GOOD, UNANSWERABLE, GOOD)
    with pytest.raises(DatasetError, match=r":3: id 'd001' already used on line 1"):
        load_qa_jsonl(path)
    with pytest.raises(DatasetError):
        write_qa_jsonl([QAItem(**GOOD), QAItem(**GOOD)], tmp_path / "dup.jsonl")


def test_project_dev_set_loads():
    items = load_qa_jsonl(SHARED / "dev_qa.jsonl")
    assert len(items) == 18
    assert {i.lang for i in items} == {"vi", "en"}
    assert sum(not i.answerable for i in items) == 2


# --- SQuAD -------------------------------------------------------------------------------------------

SQUAD = {
    "version": "1.1",
    "data": [
        {
            "title": "Hà_Nội",
            "paragraphs": [
                {
                    "context": "Hà Nội là thủ đô của Việt Nam.",
                    "qas": [
                        {"id": "q1", "question": "Thủ đô của Việt Nam là gì?",
                         "answers": [{"text": "Hà Nội", "answer_start": 0}, {"text": "Hà Nội", "answer_start": 0}]},
                    ],
                },
                {
                    "context": "Sông Hồng chảy qua Hà Nội.",
                    "qas": [
                        {"id": "q2", "question": "Sông nào chảy qua Hà Nội?",
                         "answers": [{"text": "Sông Hồng", "answer_start": 0}, {"text": "Hồng", "answer_start": 5}]},
                        {"id": "q3", "question": "Impossible?", "answers": [], "is_impossible": True},
                    ],
                },
            ],
        },
        {"title": "Other", "paragraphs": [{"context": "Một đoạn khác.", "qas": []}]},
    ],
}


def test_load_squad_paragraphs_and_questions(tmp_path):
    path = tmp_path / "tiny.vi.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    squad = load_squad(path)
    assert squad.lang == "vi"
    assert [p.id for p in squad.paragraphs] == ["000_Ha_Noi_00", "000_Ha_Noi_01", "001_Other_00"]
    q1, q2, q3 = squad.questions
    assert q1.answers == ["Hà Nội"]  # duplicates dropped
    assert q2.answers == ["Sông Hồng", "Hồng"] and q2.paragraph_id == "000_Ha_Noi_01"
    assert q3.answers == []
    items = squad.to_qa_items()
    assert items[1].source == "000_Ha_Noi_01.txt" and items[1].answerable
    assert items[2].source is None and not items[2].answerable


def test_write_paragraph_files(tmp_path):
    path = tmp_path / "tiny.vi.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    squad = load_squad(path)
    written = write_paragraph_files(squad, tmp_path / "corpus")
    assert sorted(p.name for p in written) == sorted(p.source for p in squad.paragraphs)
    assert (tmp_path / "corpus" / "000_Ha_Noi_01.txt").read_text(encoding="utf-8") == "Sông Hồng chảy qua Hà Nội.\n"


def test_not_squad_is_an_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(DatasetError, match="not SQuAD format"):
        load_squad(path)


def test_xquad_files_and_crosslingual_pairing():
    vi = load_squad(SHARED / "xquad" / "xquad.vi.json")
    en = load_squad(SHARED / "xquad" / "xquad.en.json")
    assert (len(vi.paragraphs), len(vi.questions)) == (240, 1190)  # as SOURCE.md says
    assert [p.id for p in vi.paragraphs] == [p.id for p in en.paragraphs]
    cross = load_xquad_crosslingual(SHARED / "xquad" / "xquad.vi.json", SHARED / "xquad" / "xquad.en.json")
    english = {q.id: q for q in en.questions}
    for question in cross.questions[:50]:
        assert question.question == english[question.id].question
        assert question.lang == "en"
    original = {q.id: q for q in vi.questions}
    assert all(q.answers == original[q.id].answers for q in cross.questions)
    assert cross.lang == "vi" and cross.paragraphs == vi.paragraphs
    text = {p.id: p.text for p in cross.paragraphs}
    assert all(any(a in text[q.paragraph_id] for a in q.answers) for q in cross.questions)


def test_crosslingual_missing_english_question(tmp_path):
    vi = tmp_path / "a.vi.json"
    vi.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    partial = json.loads(json.dumps(SQUAD))
    partial["data"][0]["paragraphs"][1]["qas"] = []
    en = tmp_path / "a.en.json"
    en.write_text(json.dumps(partial), encoding="utf-8")
    with pytest.raises(DatasetError, match="2 question id"):
        load_xquad_crosslingual(vi, en)
