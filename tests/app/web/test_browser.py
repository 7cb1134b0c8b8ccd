"""The chat page in a real browser (headless Chromium), at desktop and phone width: ask, see the
answer's fact line and its source by title, download the original, one language per page, the phone
layout, and a delete that asks first.

Chromium comes from the Debian package; when it is missing and this runs as root with apt, it is
installed, otherwise the test is skipped with the reason. The screenshots of the answered page are
saved to docs/img/chat.png and docs/img/chat-phone.png (the README's), or to $HOIDAP_SCREENSHOT and
$HOIDAP_SCREENSHOT_PHONE.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from hoidap_live_server import screenshot_driver, shared_server

from hoidap.app.web.strings import ENGLISH_DEFAULTS, GRADIO_VI

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = Path(os.environ.get("HOIDAP_SCREENSHOT", PROJECT_ROOT / "docs" / "img" / "chat.png"))
PHONE_SCREENSHOT = Path(os.environ.get("HOIDAP_SCREENSHOT_PHONE", PROJECT_ROOT / "docs" / "img" / "chat-phone.png"))
FDI_QUESTION = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"
FDI_SOURCE = "000_cb6758b6e1e73ad5.txt"
FDI_TITLE = "Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh"  # the stored title of FDI_SOURCE


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A running ``hoidap serve`` over an empty data dir (shared by the web test modules)."""
    return shared_server(request.config, tmp_path_factory)



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
    driver = screenshot_driver()
    with driver.Chromium(_chromium(driver), width=1400, height=900) as chromium:
        yield driver, chromium


@pytest.fixture(scope="module")
def phone():
    driver = screenshot_driver()
    with driver.Chromium(_chromium(driver), width=390, height=844, mobile=True) as chromium:
        yield driver, chromium


def _open_tab(page, index: int) -> None:
    page.wait_for("document.querySelectorAll('button[role=tab]').length > 1", 60, "the tabs")
    page.eval(f"document.querySelectorAll('button[role=tab]')[{index}].click()")


def _visible(selector: str) -> str:
    return f"(() => {{ const e = document.querySelector({json.dumps(selector)}); return !!e && e.getBoundingClientRect().height > 0; }})()"


@pytest.mark.slow
def test_page_answers_with_marked_source_and_follow_up(server, browser):
    driver, page = browser
    driver.ask_on_page(page, server.url + "/", "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?", "1.200 triệu USD")

    chat = page.text(driver.CHAT)
    sources = page.html(driver.SOURCES)
    assert "1.200 triệu USD" in chat and "[1]" in chat
    # The bubble leads with the fact line (place · role · period · indicator: figure), then the quote.
    lead = page.text(f"{driver.CHAT} .hd-lead")
    assert lead.startswith("Bắc Ninh · mục tiêu năm 2023") and "1.200 triệu USD" in lead
    assert chat.index("1.200 triệu USD") < chat.index("(5) Thu hút vốn FDI")
    assert "<mark>" in sources and "1.200 triệu USD" in sources
    # Sources by the document's title, kind, place and period, not a hash file name; no placeholder section.
    head = page.text(f"{driver.SOURCES} .hd-source-head")
    assert FDI_TITLE in head and FDI_SOURCE not in head
    assert "Kết luận · Bắc Ninh · cả năm 2022, 2023" in page.text(f"{driver.SOURCES} .hd-docfacts")
    assert FDI_TITLE in page.text(f"{driver.CHAT} .hd-cite")
    assert "không có tiêu đề mục" not in page.text("body")
    assert "Bắc Ninh · 2023" in page.text(driver.SOURCES)  # the scope understood is shown
    assert "<details" in sources  # expandable to the surrounding text
    assert not page.eval(_visible(f"{driver.CHAT} .hd-answer-sources"))  # the side panel has them on a desktop
    page.screenshot(SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000

    # The original file downloads from the sources panel, byte for byte.
    link = page.eval(f"document.querySelector('{driver.SOURCES} a.hd-download').href")
    assert link.endswith(f"/api/docs/{FDI_SOURCE}/file")
    got = page.eval(f"fetch({json.dumps(link)}).then(async r => r.status + ' ' + r.headers.get('content-disposition') + '\\n' + await r.text())")
    status_line, _, body = got.partition("\n")
    assert status_line.startswith("200 attachment")
    assert body == (PROJECT_ROOT / "data" / "samples" / FDI_SOURCE).read_text(encoding="utf-8")

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


def _english_left(page) -> list[str]:
    text = page.text("body")
    return [word for word in ENGLISH_DEFAULTS if word in text]


@pytest.mark.slow
def test_the_vietnamese_page_has_no_english_and_the_english_page_no_vietnamese_defaults(server, browser):
    driver, page = browser
    page.open(server.url + "/")
    page.wait_for(f"!!document.querySelector('{driver.QUESTION_BOX}')", 60, "the chat page")
    time.sleep(1.0)
    assert _english_left(page) == []
    _open_tab(page, 1)
    page.wait_for("document.body.innerText.includes('Bấm để chọn tệp')", 30, "the upload area in Vietnamese")
    assert _english_left(page) == [], page.text("body")[:2000]
    assert page.eval("document.documentElement.lang") == "vi"
    # The picker switches the whole page, Gradio's own text included.
    page.eval("[...document.querySelectorAll('#hd-lang input')].find(i => i.value === 'en').click()")
    page.wait_for("document.body.innerText.includes('Ingested documents')", 30, "the page relabelled in English")
    page.wait_for("document.body.innerText.includes('Click to Upload')", 30, "the upload area in English")
    text = page.text("body")
    assert GRADIO_VI["Click to Upload"] not in text and "Ingested documents" in text


@pytest.mark.slow
def test_phone_layout_keeps_each_answers_sources_above_the_form(server, phone):
    driver, page = phone
    page.open(server.url + "/")
    page.wait_for(f"!!document.querySelector('{driver.QUESTION_BOX}')", 60, "the chat page")
    time.sleep(1.0)
    first = page.eval(
        "(() => { const r = s => document.querySelector(s).getBoundingClientRect();"
        " return {header: r('#hd-header').bottom, lang: r('#hd-lang').top, langWidth: r('#hd-lang').width,"
        " box: r('#hd-question').bottom, height: innerHeight}; })()"
    )
    assert first["lang"] >= first["header"] - 1  # the header stacks above the language picker
    assert first["langWidth"] > 300  # ... on a row of its own, not squeezed beside the description
    assert first["box"] <= first["height"]  # the question box is on the first screen

    driver.ask_on_page(page, server.url + "/", FDI_QUESTION, "1.200 triệu USD")
    summary = f"{driver.CHAT} .hd-answer-sources summary"
    assert page.eval(_visible(summary))
    page.eval(f"document.querySelector({json.dumps(driver.CHAT)}).scrollIntoView()")
    time.sleep(0.5)
    page.screenshot(PHONE_SCREENSHOT)  # the question, the answer with its sources folded, the question box
    assert PHONE_SCREENSHOT.stat().st_size > 10_000
    page.click(summary)
    page.wait_for(_visible(f"{driver.CHAT} .hd-answer-sources .hd-source"), 10, "the sources under the answer")
    measured = page.eval(
        "(() => { const top = s => document.querySelector(s).getBoundingClientRect().top + scrollY;"
        f" return {{overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        f" sources: top({json.dumps(summary)}), form: top('#hd-question'), panel: top('#hd-sources')}}; }})()"
    )
    assert measured["overflow"] <= 0, measured  # no sideways scrolling
    assert measured["sources"] < measured["form"] < measured["panel"], measured  # sources without passing the form
    card = page.text(f"{driver.CHAT} .hd-answer-sources .hd-source")
    assert FDI_TITLE in card and "1.200 triệu USD" in card and "Tải bản gốc" in card


@pytest.mark.slow
def test_delete_asks_for_confirmation_first(server, browser, tmp_path):
    driver, page = browser
    name = "xoa-thu-nghiem.txt"
    text = "BÁO CÁO\nKinh tế tỉnh Lai Châu năm 2024\nDiện tích cây mắc ca toàn tỉnh năm 2024 đạt 9.648 ha.\n"
    upload = httpx.post(f"{server.url}/api/ingest", files=[("files", (name, text.encode(), "text/plain"))], timeout=300)
    assert upload.status_code == 200, upload.text

    def stored() -> bool:
        return name in [d["source"] for d in httpx.get(f"{server.url}/api/docs", timeout=60).json()["documents"]]

    page.open(server.url + "/")
    _open_tab(page, 1)
    page.wait_for(_visible("#hd-delete-pick input"), 30, "the delete picker")
    page.type_into("#hd-delete-pick input", name)
    time.sleep(0.3)
    page.press("Enter")
    time.sleep(0.5)
    page.click("#hd-delete")
    page.wait_for(_visible("#hd-delete-confirm"), 30, "the confirmation")
    assert name in page.text("#hd-delete-confirm") and stored()  # asking deletes nothing
    page.click("#hd-delete-no")
    page.wait_for("document.querySelector('#hd-delete-note').innerText.includes('Đã hủy')", 30, "the cancel note")
    assert not page.eval(_visible("#hd-delete-confirm")) and stored()

    page.click("#hd-delete")
    page.wait_for(_visible("#hd-delete-confirm"), 30, "the confirmation again")
    page.click("#hd-delete-yes")
    page.wait_for(f"document.querySelector('#hd-delete-note').innerText.includes('Đã xóa {name}')", 60, "the delete note")
    assert not stored()
