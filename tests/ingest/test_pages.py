"""Chunks of a PDF know the page their text starts on."""

from hoidap.ingest.chunking import Chunk
from hoidap.ingest.pages import assign_pages, page_mark, strip_page_marks


def _chunk(body: str) -> Chunk:
    return Chunk(index=0, section=[], body=body)


def test_a_chunk_takes_the_page_its_text_starts_on():
    chunks = [
        _chunk("Trang một, câu đầu."),
        _chunk(f"Câu cuối trang một.\n{page_mark(2)}\nCâu đầu trang hai."),
        _chunk(f"{page_mark(3)}\nĐoạn ở trang ba."),
        _chunk(page_mark(4)),  # only a marker: dropped
        _chunk("Tiếp trang bốn."),
    ]
    kept = assign_pages(chunks)
    assert [(c.page, c.body) for c in kept] == [
        (1, "Trang một, câu đầu."), (1, "Câu cuối trang một.\nCâu đầu trang hai."), (3, "Đoạn ở trang ba."), (4, "Tiếp trang bốn."),
    ]
    assert [c.index for c in kept] == [0, 1, 2, 3]


def test_strip_page_marks_leaves_the_text():
    assert strip_page_marks(f"A\n\n{page_mark(2)}\nB") == "A\nB"
