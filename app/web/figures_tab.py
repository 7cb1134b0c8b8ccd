"""The "Số liệu" tab: every stated figure, filtered by place, year, period, role, indicator and document,
each row opening its source passage, exported to CSV or XLSX.

The rows are the figures browser's (``app.facts_table``, the same as ``GET /api/facts`` and ``hoidap
facts``), so what the tab shows, what it exports and what the API returns agree.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr

from hoidap.app.facts_table import COLUMNS, FactRow, to_csv, to_xlsx
from hoidap.app.web.backend import WebBackend
from hoidap.app.web.render import esc, passage_html

log = logging.getLogger("hoidap.web")

SHOWN = ("place", "years", "period_label", "role", "indicator_name", "value", "source")
HEADERS = ("Địa phương", "Năm", "Kỳ", "Loại số liệu", "Chỉ tiêu", "Giá trị (như in)", "Tài liệu")
PAGE_ROWS = 500  # rows drawn in the tab; the export holds every matching row
ROLES = [("(tất cả)", ""), ("mục tiêu", "target"), ("kế hoạch", "plan"), ("ước tính", "estimate"), ("kết quả", "result")]
PERIODS = [("(tất cả)", ""), ("cả năm", "year"), ("quý I", "q1"), ("quý II", "q2"), ("quý III", "q3"), ("quý IV", "q4"),
           ("6 tháng đầu năm", "h1"), ("6 tháng cuối năm", "h2"), ("9 tháng", "m9"), ("giai đoạn", "multi")]


EXPORT_KEEP_S = 3600  # Gradio copies a returned file into its own cache; our copy is only kept this long


def _export_root() -> Path:
    """One folder for every export; exports older than EXPORT_KEEP_S are removed on the next one."""
    root = Path(tempfile.gettempdir()) / "hoidap-exports"
    root.mkdir(exist_ok=True)
    now = time.time()
    for old in root.glob("export-*"):
        if now - old.stat().st_mtime > EXPORT_KEEP_S:
            shutil.rmtree(old, ignore_errors=True)
    return root


def _filters(place: str, year: str, period: str, role: str, indicator: str, source: str) -> dict:
    return {"place": place or None, "year": int(year) if str(year or "").strip().isdigit() else None, "period": period or None,
            "role": role or None, "indicator": (indicator or "").strip() or None, "source": source or None}


_ROLE_NAMES = {value: label for label, value in ROLES if value}


def _table(rows: list[FactRow]) -> dict:
    data = [[_ROLE_NAMES.get(r.role, r.role) if name == "role" else f"{r.qualifier} {r.value}".strip() if name == "value"
             else getattr(r, name) for name in SHOWN] for r in rows[:PAGE_ROWS]]
    return {"headers": list(HEADERS), "data": data}


def _count(rows: list[FactRow]) -> str:
    shown = min(len(rows), PAGE_ROWS)
    more = f" (hiện {shown} dòng đầu; tệp xuất có đủ)" if len(rows) > PAGE_ROWS else ""
    return f"**{len(rows)}** số liệu khớp bộ lọc · {len(rows)} figures match{more}"


def _passage_html(backend: WebBackend, row: FactRow) -> str:
    passages = [p for p in backend.context(row.chunk_id, radius=0) if p.cited]
    text = passages[0].text if passages else row.sentence
    head = f'<div class="hd-source-head">{esc(row.source)} — {esc(row.title)}</div>'
    section = f'<div class="hd-section">{esc(passages[0].section)}</div>' if passages and passages[0].section else ""
    what = f'<div><strong>{esc(row.value)}</strong> · {esc(row.indicator_name)} · {esc(row.place)} · {esc(row.period_label)} {esc(row.years)}</div>'
    return f'<div class="hd-source" id="hd-figure-passage">{head}{section}{what}<div class="hd-passage">{passage_html(text, row.sentence, row.value)}</div></div>'


def build_figures_tab(backend: WebBackend) -> None:
    """The tab's components and events, inside the page's ``gr.Tabs``."""

    def choices() -> tuple[list, list, list]:
        try:
            places, years = backend.filter_choices()
            sources = [d["source"] for d in backend.documents()]
        except Exception:
            log.exception("listing the figures' filters failed")
            places, years, sources = [], [], []
        return places, years, sources

    def search(place, year, period, role, indicator, source):
        try:
            rows = backend.facts(**_filters(place, year, period, role, indicator, source))
        except Exception:
            log.exception("listing figures failed")
            return {"headers": list(HEADERS), "data": []}, "Xin lỗi, đã có lỗi. · An error occurred.", [], None, None
        return _table(rows), _count(rows), rows[:PAGE_ROWS], None, None

    def open_passage(rows: list, evt: gr.SelectData) -> str:
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not rows or index is None or index >= len(rows):
            return ""
        row = rows[index]
        return _passage_html(backend, row if isinstance(row, FactRow) else FactRow(**row))

    def export(kind: str, place, year, period, role, indicator, source):
        rows = backend.facts(**_filters(place, year, period, role, indicator, source))
        folder = Path(tempfile.mkdtemp(prefix="export-", dir=_export_root()))
        if kind == "csv":
            path = folder / "hoidap-so-lieu.csv"
            path.write_text(to_csv(rows), encoding="utf-8-sig")
        else:
            path = folder / "hoidap-so-lieu.xlsx"
            path.write_bytes(to_xlsx(rows))
        return str(path)

    places, years, sources = choices()
    with gr.Tab("Số liệu · Figures", id="figures"):
        with gr.Row():
            place = gr.Dropdown([("(tất cả)", "")] + places, value="", label="Địa phương · Place", elem_id="hd-fig-place")
            year = gr.Dropdown([("(tất cả)", "")] + [(str(y), str(y)) for y in years], value="", label="Năm · Year", elem_id="hd-fig-year")
            period = gr.Dropdown(PERIODS, value="", label="Kỳ · Period", elem_id="hd-fig-period")
            role = gr.Dropdown(ROLES, value="", label="Loại · Role", elem_id="hd-fig-role")
        with gr.Row():
            indicator = gr.Textbox(label="Chỉ tiêu · Indicator (FDI, thu ngân sách, ...)", elem_id="hd-fig-indicator", scale=2)
            source = gr.Dropdown([("(tất cả)", "")] + [(s, s) for s in sources], value="", label="Tài liệu · Document",
                                 elem_id="hd-fig-source", scale=2)
            apply = gr.Button("Lọc · Filter", variant="primary", elem_id="hd-fig-apply", scale=1)
        count = gr.Markdown(elem_id="hd-fig-count")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                table = gr.Dataframe({"headers": list(HEADERS), "data": []}, interactive=False, wrap=True, elem_id="hd-fig-table",
                                     label="Số liệu trong tài liệu · Stated figures (chọn một dòng để xem đoạn nguồn)")
            with gr.Column(scale=2):
                passage = gr.HTML('<div class="hd-empty">Chọn một dòng để xem đoạn văn nguồn. · Pick a row to see its passage.</div>',
                                  elem_id="hd-fig-passage")
        with gr.Row():
            csv_button = gr.Button("Xuất CSV · Export CSV", elem_id="hd-fig-csv")
            xlsx_button = gr.Button("Xuất XLSX · Export XLSX", elem_id="hd-fig-xlsx")
        with gr.Row():
            csv_file = gr.File(label="CSV", elem_id="hd-fig-csv-file", interactive=False)
            xlsx_file = gr.File(label="XLSX", elem_id="hd-fig-xlsx-file", interactive=False)
        rows_state = gr.State([])
        inputs = [place, year, period, role, indicator, source]
        apply.click(search, inputs, [table, count, rows_state, csv_file, xlsx_file], api_name="facts")
        indicator.submit(search, inputs, [table, count, rows_state, csv_file, xlsx_file], api_name=False)
        table.select(open_passage, [rows_state], passage, api_name=False)
        csv_button.click(lambda *a: export("csv", *a), inputs, csv_file, api_name="facts_csv")
        xlsx_button.click(lambda *a: export("xlsx", *a), inputs, xlsx_file, api_name="facts_xlsx")


__all__ = ["build_figures_tab", "COLUMNS"]
