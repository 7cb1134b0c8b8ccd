"""The chat page in a real browser (headless Chromium): ask, see the answer and its marked source.

Chromium comes from the Debian package; when it is missing and this runs as root with apt, it is
installed, otherwise the test is skipped with the reason. The screenshot of the answered page is
saved to docs/img/chat.png (the README's), or to $HOIDAP_SCREENSHOT.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hoidap_live_server import shared_server

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = Path(os.environ.get("HOIDAP_SCREENSHOT", PROJECT_ROOT / "docs" / "img" / "chat.png"))


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A running ``hoidap serve`` over an empty data dir (shared by the web test modules)."""
    return shared_server(request.config, tmp_path_factory)


def _driver():
    spec = importlib.util.spec_from_file_location("hoidap_screenshot", PROJECT_ROOT / "scripts" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chromium(driver) -> str:
    found = driver.find_chromium()
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get): apt-get install chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            pytest.skip(f"could not install chromium ({' '.join(command)}: {done.stderr.strip()[-300:]})")
    return driver.find_chromium() or pytest.skip("chromium still not found after apt-get install chromium")


@pytest.fixture(scope="module")
def browser():
    driver = _driver()
    with driver.Chromium(_chromium(driver)) as chromium:
        yield driver, chromium


@pytest.mark.slow
def test_page_answers_with_marked_source_and_follow_up(server, browser):
    driver, page = browser
    driver.ask_on_page(page, server.url + "/", "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?", "1.200 triệu USD")

    chat = page.text(driver.CHAT)
    sources = page.html(driver.SOURCES)
    assert "1.200 triệu USD" in chat and "[1]" in chat
    assert "<mark>" in sources and "1.200 triệu USD" in sources
    assert "000_cb6758b6e1e73ad5.txt" in sources
    assert "Bắc Ninh · 2023" in page.text(driver.SOURCES)  # the scope understood is shown
    assert "<details" in sources  # expandable to the surrounding text
    page.screenshot(SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000

    # A follow-up: the page shows the stand-alone question it searched.
    page.type_into(driver.QUESTION_BOX, "Còn doanh thu bán lẻ hàng hóa và dịch vụ?")
    page.click(driver.SEND_BUTTON)
    page.wait_for(f"document.querySelector('{driver.CHAT}').innerText.includes('85.800 tỷ đồng')", 180, "the follow-up answer")
    page.wait_for(f"document.querySelector('{driver.SOURCES}').innerText.includes('doanh thu bán lẻ')", 60, "the searched question")
    assert "Bắc Ninh" in page.text(driver.SOURCES)


@pytest.mark.slow
def test_page_bad_input_gets_a_message_and_keeps_working(server, browser):
    driver, page = browser
    page.open(server.url + "/")
    page.wait_for(f"!!document.querySelector('{driver.QUESTION_BOX}')", 60, "the chat page")
    page.type_into(driver.QUESTION_BOX, "Bắc Ninh " * 2500)
    page.click(driver.SEND_BUTTON)
    page.wait_for(f"document.querySelector('{driver.CHAT}').innerText.includes('Câu hỏi quá dài')", 60, "the too-long message")
    page.eval(f"(() => {{ const box = document.querySelector('{driver.QUESTION_BOX}'); box.value = ''; "
              "box.dispatchEvent(new Event('input', {bubbles: true})); })()")
    page.type_into(driver.QUESTION_BOX, "Bắc Ninh's 2023 FDI target")
    page.click(driver.SEND_BUTTON)
    page.wait_for(f"document.querySelector('{driver.CHAT}').innerText.includes('1.200 triệu USD')", 180, "an answer after bad input")
