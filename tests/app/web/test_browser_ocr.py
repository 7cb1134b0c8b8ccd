"""A scanned PDF in a real browser: the answer read by OCR cites its page, and the sources panel shows
that page as an image with the figure boxed, open at once, so the user can check the scan with their
own eyes. The screenshot goes to docs/img/ocr-page.png (the README's)."""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from hoidap_live_server import screenshot_driver, shared_server

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SHOT = Path(os.environ.get("HOIDAP_SCREENSHOT_DIR", PROJECT_ROOT / "docs" / "img")) / "ocr-page.png"
SOURCE = "bao-cao-quet-hai-duong.pdf"


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    return shared_server(request.config, tmp_path_factory)



@pytest.fixture(scope="module")
def scanned(server, tmp_path_factory):
    """A generated report's narrative page, scanned (skew, blur, noise, stamp), uploaded through the API."""
    from hoidap.eval.official_corpus import NARRATIVE, make_report, scan_pdf, write_pdf
    from hoidap.ingest import ocr

    if ocr.missing_tools():
        pytest.fail(f"OCR tools missing: {ocr.missing_tools()} (scripts/setup-test-system.sh installs them)")
    folder = tmp_path_factory.mktemp("scan")
    report = make_report("Hải Dương", "flat", random.Random(3))
    write_pdf(report, folder / "r.pdf")
    subprocess.run(["pdfseparate", "-f", "1", "-l", "1", str(folder / "r.pdf"), str(folder / "p1.pdf")], check=True)
    scan_pdf(folder / "p1.pdf", folder / SOURCE, random.Random(1))
    upload = httpx.post(f"{server.url}/api/ingest", files=[("files", (SOURCE, (folder / SOURCE).read_bytes(), "application/pdf"))], timeout=900)
    assert upload.status_code == 200, upload.text
    key, _text, unit, name, *_ = NARRATIVE[1]  # the forest cover rate
    return f"{name[0].upper() + name[1:]} của tỉnh Hải Dương năm 2023 là bao nhiêu?", report.narrative[key]


@pytest.mark.slow
def test_an_answer_read_by_ocr_shows_its_page_with_the_figure_boxed(server, scanned):
    question, value = scanned
    driver = screenshot_driver()
    with driver.Chromium(driver.find_chromium(), width=1400, height=1000) as page:
        driver.ask_on_page(page, server.url + "/", question, value)
        assert "Hải Dương" in page.text(f"{driver.CHAT} .hd-lead")
        assert "trang 1" in page.text(f"{driver.SOURCES} .hd-docfacts") and "OCR" in page.text(f"{driver.SOURCES} .hd-docfacts")
        image = f"{driver.SOURCES} .hd-page-ocr[open] img.hd-page-img"
        page.wait_for(f"(() => {{ const i = document.querySelector('{image}'); return !!i && i.complete && i.naturalWidth > 500; }})()",
                      120, "the scanned page image")
        src = page.eval(f"document.querySelector('{image}').src")
        assert f"/api/docs/{SOURCE}/pages/1.png?mark=" in src and "region=true" in src
        served = httpx.get(src, timeout=120)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png" and len(served.content) > 20_000
        page.eval(f"document.querySelector('{image}').scrollIntoView()")
        time.sleep(0.5)
        page.screenshot(SHOT)
    assert SHOT.stat().st_size > 10_000
