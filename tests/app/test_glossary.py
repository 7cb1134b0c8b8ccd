"""English report terms put into Vietnamese for the lexical side, with how much of the question they cover."""

from hoidap.app.glossary import vietnamese_terms


def test_a_report_question_is_mostly_covered():
    terms, share = vietnamese_terms("2022 target for total state budget revenue")
    assert "ngân sách" in terms
    assert share >= 0.6


def test_a_general_question_is_barely_covered():
    terms, share = vietnamese_terms("Who wrote the first novel about the river?")
    assert share < 0.3


def test_longer_terms_win_over_their_parts():
    terms, _ = vietnamese_terms("foreign direct investment into industrial parks")
    assert "đầu tư trực tiếp nước ngoài" in terms or "fdi" in terms.lower()
    assert "khu công nghiệp" in terms


def test_no_terms_no_coverage():
    assert vietnamese_terms("") == ("", 0.0)
