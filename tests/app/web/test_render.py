"""Answer and source HTML: document text is always escaped; the answer is marked where it is."""

from __future__ import annotations

from hoidap.app.web.backend import ContextPassage
from hoidap.app.web.render import answer_html, passage_html, sources_html

PASSAGE = "(4). Tổng vốn 60 nghìn tỷ đồng.\n(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD.\n(6). Khác."
SENTENCE = "(5) Thu hút vốn FDI vào các khu công nghiệp 1.200 triệu USD."


def result(**changes) -> dict:
    base = {
        "question": "Bắc Ninh's 2023 FDI target",
        "searched_question": "Bắc Ninh's 2023 FDI target",
        "answer": SENTENCE,
        "abstained": False,
        "reason": "",
        "citations": [
            {
                "source": "000_cb6758b6e1e73ad5.txt",
                "chunk_id": "8c7799693ba17e5b-00011",
                "section": "II. CHỈ TIÊU NĂM 2023 > 2. Một số chỉ tiêu chủ yếu",
                "text": PASSAGE,
                "score": 1.0,
                "sentence": SENTENCE,
                "highlight": "1.200 triệu USD",
            }
        ],
        "retrieved": [],
        "scope": {"lang": "en", "provinces": ["Bắc Ninh"], "localities": [], "years": [2023], "intent": "target"},
    }
    return {**base, **changes}


def test_passage_marks_sentence_and_emphasises_figure():
    out = passage_html(PASSAGE, SENTENCE, "1.200 triệu USD")
    assert "<mark>(5) Thu hút vốn FDI vào các khu công nghiệp <strong>1.200 triệu USD</strong>.</mark>" in out
    assert out.count("<mark>") == 1


def test_passage_tolerates_whitespace_differences():
    out = passage_html("a  b\nc d. Next.", "a b c d.", "")
    assert "<mark>a  b<br>c d.</mark>" in out


def test_document_text_is_escaped_everywhere():
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    r = result(
        answer=evil + " 5 tỷ",
        citations=[{**result()["citations"][0], "text": evil + " 5 tỷ", "sentence": evil + " 5 tỷ", "highlight": "5 tỷ",
                    "source": "<b>x</b>.txt", "section": evil}],
        retrieved=[{"chunk_id": "other", "source": evil, "text": evil}],
    )
    context = [ContextPassage(10, evil, False, evil), ContextPassage(11, evil + " 5 tỷ", True, evil)]
    for html in (answer_html(r, "vi"), sources_html(r, "vi", lambda _chunk: context)):
        assert "<script" not in html and "<img" not in html and "<b>x" not in html
        assert "&lt;script&gt;" in html


def test_answer_has_numbered_marker_matching_the_source_card():
    assert '<sup class="hd-ref">[1]</sup>' in answer_html(result(), "vi")
    panel = sources_html(result(), "vi")
    assert 'id="hd-source-1"' in panel and "[1]" in panel
    assert "000_cb6758b6e1e73ad5.txt" in panel and "Một số chỉ tiêu chủ yếu" in panel
    assert "Bắc Ninh · 2023" in panel


def test_abstention_is_said_plainly_with_the_reason():
    html = answer_html(result(abstained=True, answer="Không tìm thấy trong tài liệu.", citations=[], reason="no document about Hà Giang"), "vi")
    assert "Không tìm thấy trong tài liệu" in html
    assert "không có tài liệu nào về Hà Giang" in html


def test_surrounding_text_is_expandable():
    context = [ContextPassage(10, "Đoạn trước.", False, "II. CHỈ TIÊU NĂM 2023 > 2. Một số chỉ tiêu chủ yếu"),
               ContextPassage(11, PASSAGE, True, "II. CHỈ TIÊU NĂM 2023 > 2. Một số chỉ tiêu chủ yếu"),
               ContextPassage(12, "Đoạn sau.", False, "III. NHIỆM VỤ")]
    panel = sources_html(result(), "vi", lambda _chunk: context)
    assert "<details" in panel and "Đoạn trước." in panel and "Đoạn sau." in panel
    assert panel.index("Đoạn trước.") < panel.index("Đoạn sau.")
    assert "III. NHIỆM VỤ" in panel  # a neighbour from another section says so


def test_a_checked_answer_leads_with_its_fact_line_then_the_quote():
    from hoidap.app.web.render import answer_html

    result = {
        "abstained": False,
        "answer": "Bắc Ninh · mục tiêu năm 2023 · FDI: **1.200 triệu USD** [1]\n\n(5) Thu hút vốn FDI 1.200 triệu USD.",
        "lead": "Bắc Ninh · mục tiêu năm 2023 · FDI: **1.200 triệu USD** [1]",
        "citations": [{"source": "a.txt", "section": "II", "sentence": "(5) Thu hút vốn FDI 1.200 triệu USD.",
                       "highlight": "(5) Thu hút vốn FDI 1.200 triệu USD."}],
    }
    html = answer_html(result, "vi")
    assert html.index("<strong>1.200 triệu USD</strong>") < html.index("hd-quote")
    assert "**" not in html and html.count("[1]") == 2  # the lead's marker and the source line


def test_an_abstention_shows_what_the_documents_state_instead():
    from hoidap.app.web.render import answer_html

    result = {"abstained": True, "reason": "the documents state this indicator only for another period",
              "answer": "Không tìm thấy trong tài liệu.\nTài liệu chỉ có số liệu cho kỳ khác: Cao Bằng · 6 tháng đầu năm 2023: 324 triệu USD"}
    html = answer_html(result, "vi")
    assert "tài liệu chỉ nêu chỉ tiêu này cho kỳ khác" in html and "6 tháng đầu năm 2023: 324 triệu USD" in html
