import pytest

from hoidap.ingest.language import guess_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tổng thu ngân sách nhà nước trên địa bàn tỉnh đạt 30.372 tỷ đồng.", "vi"),
        ("Budget revenue in Hà Nội province reached 30,372 billion VND in the year.", "en"),
        ("30.372", "vi"),
        ("Exports rose 7.39%.", "en"),
        ("muc tieu thu hut FDI cua tinh bac ninh la bao nhieu", "vi"),  # typed without diacritics
        ("What is the FDI target of the province?", "en"),
        ("Tổng thu ngân sách năm 2022 là bao nhiêu?", "vi"),
        ("What was the total budget revenue in 2022?", "en"),
        ("2023", "vi"),
    ],
)
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def test_place_names_do_not_make_english_vietnamese():
    question = "Bắc Ninh Đồng Nai FDI target?"
    assert guess_language(question) == "vi"
    assert guess_language(question, ["Bắc Ninh", "Đồng Nai"]) == "en"
