"""Which language a text is in: Vietnamese (the corpus, most questions) or English (some questions).

One test for the whole project, so that a question and the figures read from it agree on the
language (it decides whether "1,200" is one thousand two hundred or one point two).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
_WORDS = re.compile(r"[^\W\d_]+")

# A share rather than "any Vietnamese letter": English that names "Hà Nội" stays English.
_VIETNAMESE_SHARE = 0.25
# Syllables common in questions about reports that are not English words: they recognise Vietnamese
# typed without diacritics ("muc tieu ... cua tinh bac ninh la bao nhieu").
_ACCENTLESS_VIETNAMESE = frozenset(
    "cua la bao nhieu muc tieu chi thu hut von nam tinh thanh pho huyen xa dat uoc ke hoach phan dau "
    "doanh ban le hang hoa dich vu tang truong kinh te nghiep cong nong lam ngan sach nha nuoc "
    "trieu ty dong nguoi dan so ho ngheo duoc cac nhung trong khong nao gi may bang voi tong "
    "san luong gia tri dau tu truc tiep nuoc ngoai khu hien".split()
)
_ACCENTLESS_SHARE = 0.4


def has_vietnamese_letters(text: str) -> bool:
    return VIETNAMESE_LETTER.search(text) is not None


def guess_language(text: str, ignore: Iterable[str] = ()) -> str:
    """'vi' or 'en'. ``ignore``: names (places) whose letters say nothing about the language.

    Text without words (only numbers) counts as Vietnamese, the corpus language.
    """
    for name in ignore:
        text = text.replace(name, " ")
    words = _WORDS.findall(text)
    if not words:
        return "vi"
    marked = sum(1 for word in words if VIETNAMESE_LETTER.search(word))
    if marked / len(words) >= _VIETNAMESE_SHARE:
        return "vi"
    if marked == 0:
        accentless = sum(1 for word in words if word.casefold() in _ACCENTLESS_VIETNAMESE)
        if accentless / len(words) >= _ACCENTLESS_SHARE:
            return "vi"
    return "en"
