"""A table answer on the chat page: the cited table in the chat message and a native Gradio chart.

The table (``app.answering.table_answer``) arrives as structured rows; this module draws them: one
row per cell with its place, period, year, role, value as printed and [n]; a missing cell in grey
saying "không có trong tài liệu"; a computed cell in italics with its formula. The chart is a
``gr.LinePlot`` for a trend and a ``gr.BarPlot`` otherwise, fed the chart data of the API answer.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator

import gradio as gr
import pandas as pd

from hoidap.app.answering.fact_match import ROLE_LABELS_EN, ROLE_LABELS_VI

_HEADERS = {
    "vi": ("Xếp hạng", "Địa phương", "Năm", "Kỳ", "Loại số liệu", "Giá trị (như in)", "Nguồn", "Chỉ tiêu"),
    "en": ("Rank", "Place", "Year", "Period", "Role", "Value (as printed)", "Source", "Indicator"),
}
_COMPUTED = {"vi": "tính toán", "en": "computed"}
_AXES = {"year": "Năm · Year", "period": "Kỳ · Period", "place": "Địa phương · Place", "role": "Loại số liệu · Role"}
_NOWRAP = "padding:4px 8px;white-space:nowrap"
_WIDE = "padding:4px 8px;min-width:8em"


def _esc(text: object) -> str:
    return html.escape(str(text if text is not None else ""))


def _role(role: str, lang: str) -> str:
    if role == "computed":
        return _COMPUTED[lang if lang in _COMPUTED else "vi"]
    return (ROLE_LABELS_VI if lang == "vi" else ROLE_LABELS_EN).get(role, role)


def table_html(result: dict, lang: str) -> str:
    """The chat message of a table answer: a heading, the cited table, the passages' list."""
    table = result.get("table") or {}
    rows = table.get("rows") or []
    rows = rows[: table.get("shown_rows") or len(rows)]  # a ranking: the places asked, not all of them
    lang = "vi" if lang == "vi" else "en"
    ranked = any(r.get("rank") for r in rows)
    named = len({r.get("indicator_name") for r in rows}) > 1  # one indicator: its name is in the title, not on every row
    headers = list(_HEADERS[lang]) if ranked else list(_HEADERS[lang][1:])
    headers = headers if named else headers[:-1]
    head = "".join(f'<th style="text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;white-space:nowrap">{_esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        status = row.get("status")
        if status == "stated":
            value = f'<strong>{_esc(row.get("value"))}</strong>'
            cite = f'<sup class="hd-ref">[{row.get("citation")}]</sup>'
        elif status == "conflict":
            value = _esc(row.get("text"))
            cite = " ".join(f'<sup class="hd-ref">[{n}]</sup>' for n in row.get("citations") or [])
        elif status == "computed":
            value = f'<em>{_esc(row.get("text"))}</em><div style="font-size:0.85em;color:#57606a">= {_esc(row.get("formula"))}</div>'
            cite = " ".join(f'<sup class="hd-ref">[{n}]</sup>' for n in row.get("citations") or [])
        else:
            value = f'<span style="color:#57606a">{_esc(row.get("text"))}</span>'
            cite = ""
        cells = [row.get("place"), row.get("year") or "", row.get("period_label"), _role(row.get("role", ""), lang)]
        # The value and its source come before the indicator's name (the same on most rows): a phone sees them first.
        tds = ([f'<td style="{_NOWRAP}">{_esc(row.get("rank") or "")}</td>'] if ranked else []) + [
            f'<td style="{_NOWRAP}">{_esc(c)}</td>' for c in cells
        ] + [f'<td style="{_NOWRAP}">{value}</td>', f'<td style="{_NOWRAP}">{cite}</td>'] + (
            [f'<td style="{_WIDE}">{_esc(row.get("indicator_name"))}</td>'] if named else [])
        body.append(f'<tr class="hd-table-row hd-{_esc(status)}">{"".join(tds)}</tr>')
    title = _esc((result.get("answer") or "").split("\n")[0])
    refs = "".join(
        f'<div class="hd-cite">[{n}] {_esc(c.get("source", ""))} — {_esc(c.get("section") or "")}</div>'
        for n, c in enumerate(result.get("citations") or [], start=1)
    )
    return (f'<div class="hd-answer hd-table-answer"><div style="font-weight:600;margin-bottom:6px">{title}</div>'
            # On a phone the table scrolls sideways instead of squeezing its words one letter per line.
            f'<div style="overflow-x:auto;max-width:100%"><table class="hd-table" style="border-collapse:collapse;font-size:0.95em">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>{refs}</div>')


def chart_frame(table: dict | None) -> pd.DataFrame:
    """The chart data as a frame: x (year, period, place), y (in the table's unit), series, value as printed."""
    points = ((table or {}).get("chart") or {}).get("data") or []
    return pd.DataFrame(points, columns=["x", "y", "series", "value", "citation"])


def chart_updates(table: dict | None) -> tuple:
    """(line plot, bar plot) updates for the latest answer's table: the one that fits it, the other
    hidden; both hidden for an answer without a table."""
    frame = chart_frame(table)
    if not table or frame.empty:
        return gr.update(visible=False), gr.update(visible=False)
    chart = table["chart"]
    title = f'{table.get("indicator_name", "")} ({chart.get("unit") or table.get("unit") or ""})'
    axis = _AXES.get(chart.get("x", ""), "")
    common = dict(value=frame, visible=True, title=title, y_title=chart.get("unit") or " ", x_title=axis, color_title=" ")
    if chart.get("type") == "line":
        return gr.update(**common), gr.update(visible=False)
    return gr.update(visible=False), gr.update(**common, sort=None if table.get("kind") != "rank" else ("-y" if table.get("descending", True) else "y"))


def chart_components() -> tuple[gr.LinePlot, gr.BarPlot]:
    """The two (hidden) plots placed under the chat."""
    line = gr.LinePlot(x="x", y="y", color="series", visible=False, height=280, elem_id="hd-line-chart", x_title="", tooltip="all")
    bar = gr.BarPlot(x="x", y="y", color="series", visible=False, height=280, elem_id="hd-bar-chart", x_title="", tooltip="all")
    return line, bar


def with_chart(respond: Callable[..., Iterator[tuple]], lang_index: int = -1) -> Callable[..., Iterator[tuple]]:
    """Wrap the chat handler: a table answer replaces the last chat message with its table, and each
    step also outputs the answer's table (a ``gr.State`` the plots are drawn from afterwards, so the
    ``chat`` API keeps its outputs). ``respond`` takes a ``holder`` dict it puts the answer object in."""

    def run(*args):
        holder: dict = {}
        lang = args[lang_index]
        for outputs in respond(*args, holder=holder):
            result = holder.get("result")
            if result is None:
                yield (*outputs, None)
                continue
            if result.get("table") and not result.get("abstained"):
                chat = list(outputs[1])
                if chat:
                    chat[-1] = {"role": "assistant", "content": table_html(result, lang)}
                outputs = (outputs[0], chat, *outputs[2:])
            yield (*outputs, result.get("table") if not result.get("abstained") else None)

    return run
