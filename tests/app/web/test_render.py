"""Answer and source HTML: document text is always escaped; the answer is marked where it is."""

from __future__ import annotations

from hoidap.app.web.backend import ContextPassage
from hoidap.app.web.render import answer_html, passage_html, source_card, sources_html

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
    # the lead's marker, the source line (desktop) and the source card under the answer (phone)
    assert "**" not in html and html.count("[1]") == 3


def test_an_abstention_shows_what_the_documents_state_instead():
    from hoidap.app.web.render import answer_html

    result = {"abstained": True, "reason": "the documents state this indicator only for another period",
              "answer": "Không tìm thấy trong tài liệu.\nTài liệu chỉ có số liệu cho kỳ khác: Cao Bằng · 6 tháng đầu năm 2023: 324 triệu USD"}
    html = answer_html(result, "vi")
    assert "tài liệu chỉ nêu chỉ tiêu này cho kỳ khác" in html and "6 tháng đầu năm 2023: 324 triệu USD" in html


DOCUMENT = {"title": "Kết luận Hội nghị lần thứ 15 Ban Chấp hành Đảng bộ tỉnh", "province": "Bắc Ninh", "locality": "Từ Sơn",
            "date": "2023-01-05", "kind": "kết luận", "period": "year", "years": [2022, 2023]}


def test_a_source_is_named_by_its_title_place_period_and_kind_not_its_file_name():
    citation = {**result()["citations"][0], "document": {**DOCUMENT, "page": 7}}
    for html in (sources_html(result(citations=[citation]), "vi"), answer_html(result(citations=[citation]), "vi")):
        assert "Kết luận Hội nghị lần thứ 15" in html
        assert "Kết luận · Từ Sơn (Bắc Ninh) · cả năm 2022, 2023 · 05/01/2023 · trang 7" in html
    english = sources_html(result(citations=[citation]), "en")
    assert "conclusion · Từ Sơn (Bắc Ninh) · whole year 2022, 2023 · 2023-01-05 · page 7" in english
    scanned = {**result()["citations"][0], "document": DOCUMENT, "page": 3, "ocr": True}  # as a PDF citation carries them
    assert "05/01/2023 · trang 3 · đọc từ bản quét (OCR)" in sources_html(result(citations=[scanned]), "vi")


def test_a_source_without_metadata_falls_back_to_its_file_name_and_shows_no_placeholder_section():
    citation = {**result()["citations"][0], "section": "", "document": {}}
    panel = sources_html(result(citations=[citation]), "vi")
    assert "000_cb6758b6e1e73ad5.txt" in panel
    assert "không có tiêu đề mục" not in panel and "Mục:" not in panel
    assert "trang" not in panel  # no page without one in the metadata


def test_every_source_links_its_original_file_safely_encoded():
    citation = {**result()["citations"][0], "source": 'bắc ninh "2023".txt'}
    for html in (sources_html(result(citations=[citation]), "vi"), answer_html(result(citations=[citation]), "vi")):
        assert 'href="api/docs/b%E1%BA%AFc%20ninh%20%222023%22.txt/file"' in html
        assert 'download="bắc ninh &quot;2023&quot;.txt"' in html


def test_a_long_sentence_shows_its_answering_clause_with_the_whole_sentence_one_click_away():
    sentence = ("Năm 2023, tỉnh tiếp tục đẩy mạnh cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, "
                "thu hút vốn FDI vào các khu công nghiệp đạt 1.200 triệu USD, tăng mạnh so với cùng kỳ, góp phần tăng trưởng.")
    clause = "thu hút vốn FDI vào các khu công nghiệp đạt 1.200 triệu USD"
    lead = "Bắc Ninh · năm 2023 · FDI: **1.200 triệu USD** [1]"
    r = result(answer=lead + "\n\n" + sentence, lead=lead,
               citations=[{**result()["citations"][0], "sentence": sentence, "highlight": clause}])
    html = answer_html(r, "vi")
    lead_at, quote_at, full_at = html.index("hd-lead"), html.index("hd-quote"), html.index('<details class="hd-full">')
    assert lead_at < quote_at < full_at
    quote = html[quote_at:full_at]
    assert clause in quote and "cải cách hành chính" not in quote  # the clause, not the paragraph
    assert "cải cách hành chính" in html[full_at:] and f"<strong>{clause}</strong>" in html[full_at:]


def test_a_scanned_pdf_source_shows_its_page_open_with_the_figure_boxed():
    citation = {"source": "báo cáo scan.pdf", "page": 3, "ocr": True, "highlight": "1.200 triệu USD", "text": "x", "sentence": "x"}
    card = source_card(1, citation, "vi")
    assert '<details class="hd-page hd-page-ocr" open>' in card and "OCR — kiểm tra bản gốc" in card
    assert 'src="api/docs/b%C3%A1o%20c%C3%A1o%20scan.pdf/pages/3.png?mark=1.200&amp;region=true"' in card
    assert 'href="api/docs/b%C3%A1o%20c%C3%A1o%20scan.pdf/pages/3.png?mark=1.200"' in card  # the whole page


def test_a_text_pdf_page_is_one_click_away_and_other_files_have_none():
    text_pdf = source_card(1, {"source": "kl.pdf", "page": 2, "text": "x"}, "en")
    assert '<details class="hd-page">' in text_pdf and "See page 2" in text_pdf and " open>" not in text_pdf
    assert "hd-page" not in source_card(1, {"source": "kl.docx", "page": 2, "text": "x"}, "vi")
    assert "hd-page" not in source_card(1, {"source": "kl.pdf", "text": "x"}, "vi")
