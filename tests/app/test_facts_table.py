"""The figures browser's table: rows from stored chunks, filters, CSV (no store needed)."""

from __future__ import annotations

import csv
import io

from hoidap.app.facts_table import COLUMNS, fact_rows, filter_rows, to_csv


def _record(chunk_id: str, body: str, **meta) -> tuple[str, str, dict]:
    header = f"[{meta.get('province', '')}]\n{meta.get('title', '')}\n"
    metadata = {"body_start": len(header), "doc_period": "year", **meta}
    return chunk_id, header + body, metadata


RECORDS = [
    _record("bn-1", "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.\n(6). Tổng thu ngân sách nhà nước 31.630 tỷ đồng.",
            province="Bắc Ninh", locality="Bắc Ninh", source="bn.txt", title="Kết luận năm 2023", role="target",
            section="II. MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2023", years="2023", doc_years="2022,2023"),
    _record("ts-1", "Tổng thu Ngân sách trên địa bàn thành phố ước đạt 1.823,1 tỷ đồng đạt 37,4% so kế hoạch giao.",
            province="Bắc Ninh", locality="Từ Sơn", source="ts.txt", title="Kết luận 6 tháng đầu năm 2022", role="result",
            doc_period="h1", years="2022", doc_years="2022"),
]


def rows():
    ids, texts, metadatas = zip(*RECORDS, strict=True)
    return fact_rows(list(ids), list(texts), list(metadatas))


def test_every_stated_figure_is_a_row_with_its_place_source_and_sentence():
    table = rows()
    fdi = next(r for r in table if r.indicator == "fdi")
    assert (fdi.place, fdi.source, fdi.value, fdi.role, fdi.years) == ("Bắc Ninh", "bn.txt", "1.200 triệu USD", "target", "2023")
    assert "1.200 triệu USD" in fdi.sentence
    city = [r for r in table if r.place == "Từ Sơn"]
    assert {r.value for r in city} == {"1.823,1 tỷ đồng", "37,4%"} and all(r.period == "h1" for r in city)


def test_filters_by_place_indicator_year_period_and_role():
    table = rows()
    assert {r.place for r in filter_rows(table, place="Bac Ninh")} == {"Bắc Ninh", "Từ Sơn"}  # the city is in the province
    assert [r.value for r in filter_rows(table, place="tu son", period="h1", indicator="thu ngân sách")][:1] == ["1.823,1 tỷ đồng"]
    assert [r.value for r in filter_rows(table, indicator="FDI", year=2023, role="target")] == ["1.200 triệu USD"]
    assert filter_rows(table, indicator="CPI") == []


def test_csv_has_one_line_per_row_with_every_column():
    table = rows()
    parsed = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert len(parsed) == len(table) and list(parsed[0]) == COLUMNS
    assert parsed[0]["value"] == table[0].value
