"""Property-based: any figure written the Vietnamese (or English) way stays one token and one value."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hoidap.app.answering.figures import parse_number
from hoidap.vectorstore.tokenize import tokenize

amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


def written(value: Decimal, decimals: int, style: str) -> str:
    """``value`` as a report writes it: vi "30.372,5" (dot groups, comma decimal), en "30,372.5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if style == "vi" else text


@settings(max_examples=300, deadline=None)
@given(amounts, st.integers(0, 2), st.sampled_from(["vi", "en"]), st.booleans())
def test_a_figure_is_one_token(value, decimals, style, percent):
    figure = written(value, decimals, style) + ("%" if percent else "")
    tokens = tokenize(f"Thu ngân sách đạt {figure} tỷ đồng, tăng so với năm trước.")
    assert figure in tokens, (figure, tokens)
    assert tokens.count(figure) == 1


@settings(max_examples=300, deadline=None)
@given(amounts, st.integers(0, 2), st.sampled_from(["vi", "en"]))
def test_a_figure_reads_back_as_its_value_in_its_own_convention(value, decimals, style):
    figure = written(value, decimals, style)
    parsed, _ambiguous = parse_number(figure, style)
    assert parsed == round(value, decimals), (figure, parsed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_tokenizing_tokens_again_changes_nothing(text):
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens
