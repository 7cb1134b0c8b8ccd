"""BM25 tokens: lower-cased syllables with their accents, and Vietnamese figures kept whole."""

from __future__ import annotations

import unicodedata

import pytest

from hoidap.vectorstore.tokenize import tokenize


@pytest.mark.parametrize("figure", ["1.200", "7,39%", "30.372", "17/139", "2.869,514", "91,7", "06/07/2023", "45%"])
def test_vietnamese_numbers_are_one_token(figure):
    tokens = tokenize(f"Chỉ tiêu đạt {figure} theo kế hoạch")
    assert figure in tokens
    for part in figure.replace(",", " ").replace(".", " ").replace("/", " ").replace("%", " ").split():
        if part != figure:
            assert part not in tokens  # "1.200" must not also be "1" and "200"


def test_sentence_with_figures():
    assert tokenize("Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.") == [
        "thu", "hút", "vốn", "fdi", "vào", "các", "khu", "công", "nghiệp", "1.200", "triệu", "usd",
    ]


def test_full_stop_after_a_number_is_not_part_of_it():
    assert tokenize("đạt 30.372.")[-1] == "30.372"
    assert tokenize("tăng 7,39%; giảm 2,5%.") == ["tăng", "7,39%", "giảm", "2,5%"]


def test_accents_are_kept_and_words_lower_cased():
    assert tokenize("Thu") == ["thu"]
    assert tokenize("THÚ") == ["thú"]
    assert tokenize("thu") != tokenize("thú")
    assert tokenize("ĐẢNG BỘ") == ["đảng", "bộ"]


def test_decomposed_input_gives_composed_tokens():
    assert tokenize(unicodedata.normalize("NFD", "Tỷ lệ đô thị hóa")) == ["tỷ", "lệ", "đô", "thị", "hóa"]


def test_punctuation_and_symbols_are_dropped():
    assert tokenize("(5) – “kinh tế”; [1] ≤ …") == ["5", "kinh", "tế", "1"]


def test_empty():
    assert tokenize("") == []
    assert tokenize(" .,;!? ") == []
