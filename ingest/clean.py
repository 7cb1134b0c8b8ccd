"""Remove web-page leftovers around a document and keep every line of its body.

Scraped government pages carry visitor counters, login links, rating widgets, comment forms, menus
and a footer with the site's address and phone numbers; image captions often appear twice. These
are not the document and would pollute retrieval ("Hôm nay 5,602" is a figure too). Cleaning works
line by line and is conservative: a line is dropped only when it matches a known leftover, when it
is an exact repeat of the line before it, or when it follows the point where the page's footer
starts (the first unmistakable widget line in the last part of the page).

The removed lines are returned too: the footer often names the publishing province
("... HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG"), which metadata extraction may use as a weak hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hoidap.ingest.normalize import fold_for_match

# Lines that start the page's footer/widgets: everything from the first of them on is dropped
# (only when it sits in the second half of the page, so a body sentence cannot trigger it).
_FOOTER_START = [
    r"thong ke truy cap",
    r"tong so diem cua bai viet",
    r"click de danh gia",
    r"y kien ban doc",
    r"nhung tin (moi|cu) hon",
    r"tin (lien quan|cung chuyen muc|khac|moi nhat)",
    r"ho ten( no image)?$",
    r"gui (y kien|binh luan)",
    r"binh luan$",
    r"[a-z0-9-]+(\.[a-z0-9-]+)*\.(gov|com|org|net|edu)\.vn$",
    r"top$",
    r"tham do( y kien)?$",
    r"quang cao$",
    r"ban quyen|copyright|©",
]
# Leftovers that are dropped wherever they stand.
_ANYWHERE = [
    r"dang nhap$",
    r"dang ky$",
    r"dang online\b",
    r"dang truy cap",
    r"hom nay\s*:?\s*[\d.,]+$",
    r"trong tuan\s*:?\s*[\d.,]+$",
    r"tat ca\s*:?\s*[\d.,]+$",
    r"thang hien tai",
    r"tong luot truy cap",
    r"khach vieng tham",
    r"may chu tim kiem",
    r"(ho ten|tieu de|noi dung|ma kiem tra) no image$",
    r"no image$",
    r"chia se( bai viet)?$",
    r"in bai( viet)?$",
    r"gui email$",
    r"ty gia ngoai te$",
    r"ban da khong su dung site",
    r"(trang chu|tro ve|quay lai|xem them|doc tiep)$",
    r"(dia chi|dien thoai|fax|email|hotline)\s*:.*(\d{3,}|@)",
]
_FOOTER_RE = re.compile("|".join(f"(?:{p})" for p in _FOOTER_START))
# Widget phrases no body sentence starts with: they start the footer whatever the line's length.
_UNMISTAKABLE_RE = re.compile(r"ban quyen|copyright|©|thong ke truy cap|tong so diem cua bai viet|click de danh gia")
# A widget title is a short line ("Ý kiến bạn đọc", "Tin liên quan:"); a body sentence that happens
# to start with the same words ("Gửi ý kiến tham gia về ... trước ngày 20/7") is longer.
_FOOTER_MAX_WORDS = 8
_ANYWHERE_RE = re.compile("|".join(f"(?:{p})" for p in _ANYWHERE))
# Markdown emphasis that scrapers leave in plain text: "**Nguyễn Văn Cừ**", "*Dạy tốt*".
_EMPHASIS = re.compile(r"\*{1,3}(?=\S)(.+?)(?<=\S)\*{1,3}")
_BOLD_ACROSS_LINES = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
# Menu crumbs: a few ASCII words without Vietnamese letters or digits ("chuyen muc", "QH").
_MENU_CRUMB = re.compile(r"^[A-Za-z_]+( [A-Za-z_]+){0,2}$")


@dataclass
class CleanResult:
    text: str
    removed: list[str] = field(default_factory=list)


def _is_leftover(line: str) -> bool:
    folded = fold_for_match(line.strip(" •·*-–:|"))
    return bool(_ANYWHERE_RE.match(folded))


def clean_text(text: str) -> CleanResult:
    """Drop page leftovers; return the body text and the removed lines.

    Repeated until nothing more goes: a removal can bring two copies of a caption together or move a
    menu crumb into the page's last fifth, and cleaning clean text must change nothing."""
    result = _clean_once(text)
    for _ in range(8):
        again = _clean_once(result.text)
        if again.text == result.text:
            break
        result = CleanResult(again.text, result.removed + again.removed)
    return result


def _clean_once(text: str) -> CleanResult:
    text = _EMPHASIS.sub(r"\1", _BOLD_ACROSS_LINES.sub(r"\1", text))
    lines = [line.rstrip() for line in text.split("\n")]
    removed: list[str] = []

    footer_at = len(lines)
    half = len(lines) // 2
    for i, line in enumerate(lines):
        folded = fold_for_match(line.strip(" •·*-–:|"))
        short = len(folded.split()) <= _FOOTER_MAX_WORDS or _UNMISTAKABLE_RE.match(folded)
        if i >= half and folded and short and _FOOTER_RE.match(folded):
            footer_at = i
            break
    removed.extend(line for line in lines[footer_at:] if line.strip())
    lines = lines[:footer_at]

    kept: list[str] = []
    previous = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if _is_leftover(stripped) or (len(kept) > len(lines) * 0.8 and _MENU_CRUMB.match(stripped)):
            removed.append(stripped)
            continue
        if stripped == previous:  # a caption printed twice (image alt text + caption)
            removed.append(stripped)
            continue
        kept.append(stripped)
        previous = stripped
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return CleanResult(text=body, removed=removed)
