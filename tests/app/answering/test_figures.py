"""Figure parsing and comparison: both number conventions, scale words, units, ranges, dates."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from hoidap.app.answering.figures import extract_figures, guess_language, parse_number, same_figure

D = Decimal


def one(text: str, lang: str | None = None):
    figs = extract_figures(text, lang)
    assert len(figs) == 1, f"{text!r} -> {[f.raw for f in figs]}"
    return figs[0]


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("token", "lang", "value", "ambiguous"),
    [
        ("1.200", "vi", D(1200), True),
        ("1.200", "en", D("1.2"), True),
        ("1,200", "en", D(1200), True),
        ("1,200", "vi", D("1.2"), True),
        ("30.372", "vi", D(30372), True),
        ("7,39", "vi", D("7.39"), False),
        ("7,39", "en", D("7.39"), False),  # "7,39" is no English thousands grouping
        ("7.39", "vi", D("7.39"), False),
        ("1.200.000", "en", D(1200000), False),
        ("1,200,000", "vi", D(1200000), False),
        ("2.869,514", "en", D("2869.514"), False),
        ("2,869.514", "vi", D("2869.514"), False),
        ("0,500", "vi", D("0.5"), False),  # a leading 0 is no thousands group
        ("0.500", "vi", D("0.5"), False),
        ("12345", "vi", D(12345), False),
        ("1234.5", "vi", D("1234.5"), False),
    ],
)
def test_parse_number(token, lang, value, ambiguous):
    assert parse_number(token, lang) == (value, ambiguous)


@pytest.mark.parametrize("token", ["1.2.3", "1,2,3", "1.200,5,6", "1.20.000", "12.34,5"])
def test_parse_number_rejects_invalid_groupings(token):
    assert parse_number(token, "vi")[0] is None
    assert parse_number(token, "en")[0] is None


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tổng thu ngân sách nhà nước trên địa bàn tỉnh đạt 30.372 tỷ đồng.", "vi"),
        ("Budget revenue in Hà Nội province reached 30,372 billion VND in the year.", "en"),
        ("30.372", "vi"),
        ("Exports rose 7.39%.", "en"),
    ],
)
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def test_lang_decides_only_ambiguous_tokens():
    assert one("1.200 người", "vi").values == (D(1200),)
    assert one("1.200 người", "en").values == (D("1.2"),)
    assert one("7,39%", "en").values == (D("7.39"),)
    assert one("2.869,514 tỷ đồng", "en").values == (D("2869514000000"),)


def test_lang_guessed_from_text_when_not_given():
    assert one("Có 1.200 người tham gia").values == (D(1200),)
    assert one("There were 1.200 people").values == (D("1.2"),)


def test_unknown_lang_is_an_error():
    with pytest.raises(ValueError):
        extract_figures("1.200", "fr")


# --------------------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    ("text", "lang", "kind", "values", "unit"),
    [
        ("đạt 1.200 triệu USD.", "vi", "money", (D("1.2e9"),), "USD"),
        ("tăng 7,39% so với", "vi", "percent", (D("7.39"),), "%"),
        ("đạt 30.372 tỷ đồng", "vi", "money", (D("30372e9"),), "VND"),
        ("chi 2.869,514 tỷ đồng", "vi", "money", (D("2869514e6"),), "VND"),
        ("diện tích 5.817ha", "vi", "area", (D(5817),), "ha"),
        ("1,200 million USD", "en", "money", (D("1.2e9"),), "USD"),
        ("up 7.39%", "en", "percent", (D("7.39"),), "%"),
        ("1.2 billion", "en", "number", (D("1.2e9"),), None),
        ("$1.2 billion", "en", "money", (D("1.2e9"),), "USD"),
        ("1 nghìn tỷ đồng", "vi", "money", (D("1e12"),), "VND"),
        ("2 ngàn tỉ đồng", "vi", "money", (D("2e12"),), "VND"),
        ("3 trillion VND", "en", "money", (D("3e12"),), "VND"),
        ("500 nghìn đồng", "vi", "money", (D(500000),), "VND"),
        ("5 thousand hectares", "en", "area", (D(5000),), "ha"),
        ("58,17 km2", "vi", "area", (D(5817),), "ha"),
        ("12.000 người", "vi", "number", (D(12000),), "person"),
        ("1.500 hộ", "vi", "number", (D(1500),), "household"),
        ("20 đô la", "vi", "money", (D(20),), "USD"),
        ("7,39 phần trăm", "vi", "percent", (D("7.39"),), "%"),
        ("0,3 điểm phần trăm", "vi", "percent", (D("0.3"),), "pp"),
        ("tăng 1,5 lần", "vi", "number", (D("1.5"),), "times"),
        ("17/139 xã", "vi", "fraction", (17, 139), "commune"),
        ("năm 2023", "vi", "year", (D(2023),), "year"),
        ("in 2023", "en", "year", (D(2023),), "year"),
        ("15/6/2023", "vi", "date", (2023, 6, 15), None),
        ("ngày 5 tháng 7 năm 2022", "vi", "date", (2022, 7, 5), None),
        ("June 15, 2023", "en", "date", (2023, 6, 15), None),
        ("15 June 2023", "en", "date", (2023, 6, 15), None),
        ("2023-06-15", "en", "date", (2023, 6, 15), None),
        ("tháng 6/2023", "vi", "date", (2023, 6, None), None),
        ("tháng 6 năm 2023", "vi", "date", (2023, 6, None), None),
        ("in March 2022", "en", "date", (2022, 3, None), None),
        ("trong tháng 7", "vi", "date", (None, 7, None), None),
        ("quý I/2023", "vi", "date", (2023, 1, None), "quarter"),
        ("quý II năm 2023", "vi", "date", (2023, 2, None), "quarter"),
        ("Q3 2023", "en", "date", (2023, 3, None), "quarter"),
        ("6,5-7%", "vi", "range", (D("6.5"), D(7)), "%"),
        ("5-6%", "vi", "range", (D(5), D(6)), "%"),
        ("5–6%", "vi", "range", (D(5), D(6)), "%"),
        ("từ 5 đến 6 phần trăm", "vi", "range", (D(5), D(6)), "%"),
        ("from 5 to 6 percent", "en", "range", (D(5), D(6)), "%"),
        ("between 1.5 and 2 billion USD", "en", "range", (D("1.5e9"), D("2e9")), "USD"),
        ("1-2 tỷ đồng", "vi", "range", (D("1e9"), D("2e9")), "VND"),
        ("giai đoạn 2021-2025", "vi", "range", (D(2021), D(2025)), "year"),
        ("Nghị định 15/2023/NĐ-CP", "vi", "code", ("15/2023/NĐ-CP",), None),
        ("Nghị quyết số 15-NQ/TU", "vi", "code", ("15-NQ/TU",), None),
        ("Quyết định 1234/QĐ-UBND", "vi", "code", ("1234/QĐ-UBND",), None),
    ],
)
def test_extract_one(text, lang, kind, values, unit):
    fig = one(text, lang)
    assert (fig.kind, fig.values, fig.unit) == (kind, values, unit)
    assert text[fig.start : fig.end] == fig.raw


def test_range_ends_have_the_range_kind():
    assert one("6,5-7%", "vi").of == "percent"
    assert one("1-2 tỷ đồng", "vi").of == "money"
    assert one("2021-2025", "vi").of == "year"


def test_rate_keeps_its_denominator():
    fig = one("Thu nhập bình quân 65,5 triệu đồng/người/năm.", "vi")
    assert (fig.kind, fig.values, fig.unit, fig.per) == ("money", (D("65.5e6"),), "VND", "/người/năm")


def test_several_figures_in_order_with_offsets():
    text = "Kim ngạch xuất khẩu đạt 1.200 triệu USD, tăng 7,39% so với năm 2022; 17/139 xã đạt chuẩn."
    figs = extract_figures(text)
    assert [f.raw for f in figs] == ["1.200 triệu USD", "7,39%", "năm 2022", "17/139 xã"]
    assert all(text[f.start : f.end] == f.raw for f in figs)


def test_sentence_punctuation_is_not_part_of_a_number():
    figs = extract_figures("Thu đạt 1.200 tỷ đồng. Chi đạt 900 tỷ đồng, tăng 5%.", "vi")
    assert [f.values for f in figs] == [(D("1200e9"),), (D("900e9"),), (D(5),)]


@pytest.mark.parametrize("text", ["dịch Covid-19", "mạng 5G", "cúm H5N1", "in 3D", "Điều NĐ-15"])
def test_names_containing_digits_are_not_figures(text):
    assert extract_figures(text, "vi") == []


def test_ty_le_is_not_a_scale_word():
    fig = one("chiếm 30 tỷ lệ", "vi")
    assert fig.values == (D(30),)


def test_document_numbers_are_codes_not_dates_or_fractions():
    figs = extract_figures("Theo Nghị định 15/2023/NĐ-CP và Quyết định 1234/QĐ-UBND", "vi")
    assert [f.kind for f in figs] == ["code", "code"]


def test_dash_between_different_units_is_no_range():
    figs = extract_figures("5 người - 7 ha", "vi")
    assert [(f.kind, f.unit) for f in figs] == [("number", "person"), ("area", "ha")]


def test_descending_dash_pair_is_no_range():
    assert [f.kind for f in extract_figures("mục 10-3", "vi")] == ["number", "number"]


def test_unparseable_digit_string_is_kept_as_text():
    fig = one("mã 1,2,3", "vi")
    assert (fig.kind, fig.values) == ("unparsed", ("1,2,3",))


def test_decomposed_unicode_is_normalised():
    text = unicodedata.normalize("NFD", "đạt 30.372 tỷ đồng")
    fig = one(text)
    assert (fig.kind, fig.values, fig.unit) == ("money", (D("30372e9"),), "VND")


def test_numeric_date_order_follows_convention():
    assert one("5/7/2022", "vi").values == (2022, 7, 5)
    assert one("5/7/2022", "en").values == (2022, 5, 7)
    assert one("15/6/2023", "en").values == (2023, 6, 15)  # only one valid reading
    assert one("6/15/2023", "vi").values == (2023, 6, 15)


def test_invalid_dates_are_not_dates():
    assert [f.kind for f in extract_figures("tỷ số 35/13/2023", "vi")] != ["date"]
    assert one("17/2023", "vi").kind == "fraction"  # month 17 does not exist


# --------------------------------------------------------------------------- comparison


def fig(text: str, lang: str | None = None):
    return one(text, lang)


SAME = [
    [("1.200 triệu USD", "vi"), ("1,2 tỷ USD", "vi"), ("1.2 billion USD", "en"),
     ("1,200 million USD", "en"), ("US$1.2 billion", "en"), ("1.200.000.000 USD", "vi")],
    [("7,39%", "vi"), ("7.39%", "en"), ("7,39 phần trăm", "vi"), ("7.39 percent", "en")],
    [("30.372 tỷ đồng", "vi"), ("30,372 billion VND", "en"), ("30.372 tỷ", "vi"),
     ("30.372.000.000.000 đồng", "vi")],
    [("2.869,514 tỷ đồng", "vi"), ("2,869.514 billion dong", "en")],
    [("5.817ha", "vi"), ("5,817 hectares", "en"), ("5.817 hecta", "vi"), ("58,17 km2", "vi")],
    [("1 nghìn tỷ đồng", "vi"), ("1.000 tỷ đồng", "vi"), ("1 trillion VND", "en")],
    [("12.000 người", "vi"), ("12,000 people", "en"), ("12.000", "vi")],
    [("6,5-7%", "vi"), ("6.5-7%", "en"), ("từ 6,5% đến 7%", "vi"), ("from 6.5 to 7 percent", "en")],
    [("2021-2025", "vi"), ("2021 - 2025", "vi"), ("từ 2021 đến 2025", "vi"), ("from 2021 to 2025", "en")],
    [("15/6/2023", "vi"), ("ngày 15 tháng 6 năm 2023", "vi"), ("June 15, 2023", "en"),
     ("15 June 2023", "en"), ("2023-06-15", "en"), ("6/15/2023", "en")],
    [("17/139 xã", "vi"), ("17/139", "vi"), ("17/139 communes", "en")],
    [("năm 2023", "vi"), ("2023", "vi"), ("in 2023", "en")],
    [("quý I/2023", "vi"), ("quý 1 năm 2023", "vi"), ("Q1 2023", "en")],
    [("0,3 điểm phần trăm", "vi"), ("0.3 percentage points", "en")],
]  # fmt: skip


@pytest.mark.parametrize("group", SAME, ids=lambda g: g[0][0])
def test_same_quantity_in_any_spelling(group):
    figs = [fig(t, lang) for t, lang in group]
    for a in figs:
        for b in figs:
            assert same_figure(a, b), (a.raw, b.raw)


DIFFERENT = [
    (("1.200 tỷ đồng", "vi"), ("1.020 tỷ đồng", "vi")),
    (("2022", "vi"), ("2023", "vi")),
    (("năm 2022", "vi"), ("năm 2023", "vi")),
    (("7,39%", "vi"), ("7,93%", "vi")),
    (("6,5%", "vi"), ("6,05%", "vi")),
    (("7,39%", "vi"), ("7,4%", "vi")),
    (("1.200 tỷ đồng", "vi"), ("1.200 triệu đồng", "vi")),
    (("1.200 USD", "vi"), ("1.200 đồng", "vi")),
    (("1.2 billion USD", "en"), ("1,2 tỷ đồng", "vi")),
    (("1.200 ha", "vi"), ("1.200 người", "vi")),
    (("7,39%", "vi"), ("7,39", "vi")),
    (("0,3 điểm phần trăm", "vi"), ("0,3%", "vi")),
    (("6,5-7%", "vi"), ("6,5%", "vi")),
    (("6,5-7%", "vi"), ("6-7%", "vi")),
    (("6,5-7%", "vi"), ("6,5-7", "vi")),
    (("2021-2025", "vi"), ("2020-2025", "vi")),
    (("15/6/2023", "vi"), ("16/6/2023", "vi")),
    (("5/7/2022", "vi"), ("5/7/2022", "en")),
    (("17/139", "vi"), ("34/278", "vi")),
    (("17/139", "vi"), ("17/193", "vi")),
    (("17/139 xã", "vi"), ("17/139 hộ", "vi")),
    (("quý I/2023", "vi"), ("tháng 1/2023", "vi")),
    (("15-NQ/TU", "vi"), ("16-NQ/TU", "vi")),
    (("1.200", "vi"), ("1.200", "en")),
    (("1,2 tỷ", "vi"), ("1.200 tỷ", "vi")),
    (("5 năm", "vi"), ("5 tháng", "vi")),
    (("7,39%", "vi"), ("7,390%", "en")),
    (("2023 người", "vi"), ("năm 2023", "vi")),
    (("mã 1,2,3", "vi"), ("mã 1,2,4", "vi")),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=lambda p: p[0])
def test_near_misses_do_not_match(a, b):
    fa, fb = extract_figures(a[0], a[1]), extract_figures(b[0], b[1])
    assert fa and fb
    assert not any(same_figure(x, y) for x in fa for y in fb), (a, b)
    assert not any(same_figure(y, x) for x in fa for y in fb), (b, a)


def test_fraction_parts_may_have_thousands_separators():
    fig = one("sửa nhà cho 3.656/16.049 hộ nghèo", "vi")
    assert (fig.kind, fig.values, fig.unit) == ("fraction", (D(3656), D(16049)), "household")


def test_meeting_dates_without_year():
    assert one("Sáng 6/7, Ban Chấp hành họp", "vi").values == (None, 7, 6)
    assert one("đến hết ngày 15/6", "vi").values == (None, 6, 15)
    assert one("còn 6/15 chỉ tiêu", "vi").kind == "fraction"


def test_times_are_their_own_kind():
    figs = extract_figures("22:04 10/01/2022, họp lúc 7h30", "vi")
    assert [(f.kind, f.values) for f in figs] == [
        ("time", (22, 4)),
        ("date", (2022, 1, 10)),
        ("time", (7, 30)),
    ]
    assert not same_figure(figs[0], one("22:40", "vi"))


def test_year_then_dash_then_figure_is_no_range():
    figs = extract_figures("năm 2022 - 30.372 tỷ đồng", "vi")
    assert [f.kind for f in figs] == ["year", "money"]


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("thu hút 1.300tr USD", "vi", "1300000000", "USD"),  # "tr": triệu, glued
        ("thu hút USD1.300 triệu", "vi", "1300000000", "USD"),  # the currency glued before the number
        ("attracted 1.3B USD", "en", "1300000000", "USD"),
        ("attracted 1.2bn USD", "en", "1200000000", "USD"),
        ("13 trăm triệu USD", "vi", "1300000000", "USD"),  # two scale words multiply
        ("1,2 vạn người", "vi", "12000", "person"),
        ("một nghìn hai trăm triệu USD", "vi", "1200000000", "USD"),  # spelled out
        ("hai mươi lăm doanh nghiệp", "vi", "25", "enterprise"),
        ("one thousand two hundred million USD", "en", "1200000000", "USD"),
    ],
)
def test_glued_scaled_and_spelled_out_figures_are_read(text, lang, value, unit):
    (figure,) = extract_figures(text, lang)
    assert figure.values[0] == Decimal(value) and figure.unit == unit


@pytest.mark.parametrize("text", ["mười năm qua", "một số xã", "hai bên cùng có lợi"])
def test_number_words_that_state_no_figure(text):
    assert extract_figures(text, "vi") == []


def test_a_long_figure_glued_to_unknown_letters_is_kept_as_written():
    (figure,) = extract_figures("đạt 1.300trđ", "vi")
    assert figure.kind == "unparsed" and figure.raw == "1.300trđ"
