"""Table answers and the figures tab in a real browser (headless Chromium over a real ``hoidap serve``).

A trend question shows its cited table and a native Gradio line chart; the "Số liệu" tab filters the
stated figures and exports a CSV whose rows are the ones the tab and ``GET /api/facts`` list.
Screenshots go to docs/img/table-answer.png and docs/img/figures-tab.png (the README's).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import httpx
import pytest
from hoidap_live_server import screenshot_driver, shared_server

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SHOTS = Path(os.environ.get("HOIDAP_SCREENSHOT_DIR", PROJECT_ROOT / "docs" / "img"))
TREND = "Tăng trưởng GRDP của Bắc Ninh qua các năm 2021-2022?"


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    return shared_server(request.config, tmp_path_factory)



@pytest.fixture(scope="module")
def browser():
    driver = screenshot_driver()
    binary = driver.find_chromium()
    if not binary:
        if os.environ.get("HOIDAP_NO_SKIP"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with driver.Chromium(binary, width=1440, height=1200) as chromium:
        yield driver, chromium


def _click_text(page, selector: str, text: str) -> None:
    page.eval(f"""(() => {{ const el = [...document.querySelectorAll({json.dumps(selector)})]
        .find(e => e.innerText.trim().startsWith({json.dumps(text)})); el.click(); return !!el; }})()""")


def _mouse_click(page, selector: str) -> None:
    """A real mouse click (press and release at the element's centre): the table listens to pointer events."""
    page.eval(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
    box = page.eval(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect(); "
                    "return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)


@pytest.mark.slow
def test_trend_question_shows_cited_table_and_line_chart(server, browser):
    driver, page = browser
    expected = httpx.post(server.url + "/api/ask", json={"question": TREND}, timeout=180).json()
    table = expected["table"]
    assert table["kind"] == "trend" and table["chart"]["type"] == "line"
    values = [r["value"] for r in table["rows"] if r["status"] == "stated"]
    assert values == ["6,9%", "7,39%"]  # 2021 and 2022 results, each from its own year's conclusion

    driver.ask_on_page(page, server.url + "/", TREND, "7,39%")
    page.wait_for("!!document.querySelector('#hd-chat table.hd-table')", 60, "the answer's table")
    chat = page.text(driver.CHAT)
    for value in values:
        assert value in chat
    assert "[1]" in chat and "[2]" in chat
    rows = page.eval("[...document.querySelectorAll('#hd-chat tr.hd-table-row')].map(r => r.innerText)")
    assert len(rows) == len(table["rows"]) and "2021" in rows[0] and "2022" in rows[1]
    # The native line chart is shown (Vega renders it as a canvas or svg) and the bar chart is not.
    page.wait_for("(() => { const c = document.querySelector('#hd-line-chart'); return c && c.offsetParent !== null && "
                  "!!c.querySelector('canvas, svg'); })()", 60, "the line chart")
    assert page.eval("(() => { const c = document.querySelector('#hd-bar-chart'); return !c || c.offsetParent === null; })()")
    page.eval("document.querySelector('#hd-line-chart').scrollIntoView({block: 'center'})")
    shot = page.screenshot(SHOTS / "table-answer.png")
    assert shot.stat().st_size > 10_000

    # A single-figure question next: its answer has no table, and the chart goes away.
    page.type_into(driver.QUESTION_BOX, "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?")
    page.click(driver.SEND_BUTTON)
    page.wait_for(f"document.querySelector('{driver.CHAT}').innerText.includes('1.200 triệu USD')", 180, "the single-figure answer")
    page.wait_for("(() => { const c = document.querySelector('#hd-line-chart'); return !c || c.offsetParent === null; })()", 30,
                  "the chart to hide")


@pytest.mark.slow
def test_figures_tab_filters_and_exports_the_same_rows(server, browser, tmp_path):
    driver, page = browser
    page.open(server.url + "/")
    page.wait_for(f"!!document.querySelector({json.dumps(driver.QUESTION_BOX)})", 60, "the page")
    _click_text(page, "button[role=tab]", "Số liệu")
    page.wait_for("!!document.querySelector('#hd-fig-indicator textarea, #hd-fig-indicator input')", 30, "the figures tab")
    page.type_into("#hd-fig-indicator textarea, #hd-fig-indicator input", "GRDP")
    page.click("#hd-fig-apply")
    page.wait_for("document.querySelector('#hd-fig-count').innerText.includes('số liệu khớp')", 60, "the filtered figures")
    api = httpx.get(server.url + "/api/facts", params={"indicator": "GRDP", "limit": 1000}, timeout=60).json()
    assert 0 < api["total"] < 144  # filtered, not everything
    count = page.text("#hd-fig-count")
    assert f"{api['total']} số liệu" in count
    shown = page.eval("[...document.querySelectorAll('#hd-fig-table div[role=row].virtual-row')].map(r => r.innerText)")
    assert len(shown) == api["total"] and all("GRDP" in row for row in shown)

    # A row opens its source passage, with the figure marked.
    _mouse_click(page, "#hd-fig-table [data-testid=cell-0-0]")
    page.wait_for("!!document.querySelector('#hd-figure-passage')", 30, "the source passage")
    first = api["rows"][0]
    assert first["value"] in page.text("#hd-fig-passage") and first["source"] in page.text("#hd-fig-passage")
    shot = page.screenshot(SHOTS / "figures-tab.png")
    assert shot.stat().st_size > 10_000

    page.click("#hd-fig-csv")
    link = page.wait_for("(document.querySelector('#hd-fig-csv-file a[href]') || {}).href", 60, "the CSV file")
    exported = httpx.get(link, timeout=60).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["place"], r["indicator"], r["value"], r["years"], r["chunk_id"]) for r in rows] == [
        (r["place"], r["indicator"], r["value"], r["years"], r["chunk_id"]) for r in api["rows"]]
    (tmp_path / "figures.csv").write_text(exported, encoding="utf-8")
