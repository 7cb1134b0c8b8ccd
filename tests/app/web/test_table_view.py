"""The chat page's drawing of a table answer: the table HTML, the chart updates and the chat wrapper."""

from __future__ import annotations

from hoidap.app.web.table_view import chart_frame, chart_updates, table_html, with_chart


def _row(**kw):
    base = {"place": "Bắc Ninh", "period": "year", "period_label": "cả năm", "year": 2022, "role": "result", "measure": "level",
            "indicator_name": "thu ngân sách", "status": "stated", "value": "30.372 tỷ đồng", "text": "30.372 tỷ đồng", "citation": 1,
            "citations": [1], "formula": "", "rank": None}
    return {**base, **kw}


RESULT = {
    "answer": "thu ngân sách · mức đạt kế hoạch\n- ...",
    "abstained": False,
    "citations": [{"source": "a.txt", "section": "I"}, {"source": "b.txt", "section": "II"}],
    "table": {
        "kind": "attainment", "indicator_name": "thu ngân sách", "unit": "tỷ đồng", "descending": True,
        "rows": [
            _row(),
            _row(role="target", status="missing", value="", text="không có trong tài liệu", citation=None, citations=[]),
            _row(role="computed", measure="computed", status="computed", value="99,4%", text="99,4%", citation=None, citations=[1, 2],
                 indicator_name="tỷ lệ đạt so với mục tiêu (tính toán)", formula="30.372 tỷ đồng [1] ÷ 30.567 tỷ đồng [2] × 100"),
        ],
        "chart": {"type": "bar", "x": "place", "unit": "tỷ đồng",
                  "data": [{"x": "Bắc Ninh", "y": 30372.0, "series": "kết quả năm 2022", "value": "30.372 tỷ đồng", "citation": 1}]},
    },
}


def test_table_html_shows_values_citations_missing_cells_and_formulas():
    html = table_html(RESULT, "vi")
    assert html.count('class="hd-table-row') == 3
    assert "<strong>30.372 tỷ đồng</strong>" in html and "[1]" in html
    assert "không có trong tài liệu" in html
    assert "= 30.372 tỷ đồng [1] ÷ 30.567 tỷ đồng [2] × 100" in html and "tính toán" in html
    assert "Chỉ tiêu" in html  # rows name different things: the indicator column is shown


def test_chart_updates_show_the_fitting_plot_and_hide_without_a_table():
    line, bar = chart_updates(RESULT["table"])
    assert bar["visible"] is True and line["visible"] is False and list(chart_frame(RESULT["table"])["y"]) == [30372.0]
    assert chart_updates(None)[0]["visible"] is False and chart_updates(None)[1]["visible"] is False


def test_with_chart_puts_the_table_in_the_chat_and_outputs_it():
    def respond(message, chat, searched, place, year, lang, holder=None):
        yield "", chat + [{"role": "assistant", "content": "…"}], "", searched
        holder["result"] = RESULT
        yield "", chat + [{"role": "assistant", "content": "plain"}], "panel", searched

    steps = list(with_chart(respond)("q", [], [], "", 0, "vi"))
    assert steps[0][-1] is None and "hd-table" in steps[-1][1][-1]["content"] and steps[-1][-1] is RESULT["table"]
