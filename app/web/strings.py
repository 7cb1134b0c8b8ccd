"""Interface text in Vietnamese (the default) and English, kept apart from layout and logic.

Users are Vietnamese officials first; English is offered for analysts and journalists abroad. The
answers themselves stay verbatim document text in either case.
"""

from __future__ import annotations

import re

from hoidap.ingest.periods import period_label

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Hỏi đáp tài liệu",
        "subtitle": "Hỏi về số liệu trong các báo cáo, nghị quyết, kết luận của tỉnh. Mỗi câu trả lời "
        "trích nguyên văn câu trong tài liệu, kèm nguồn để kiểm chứng.",
        "tab_chat": "Hỏi đáp",
        "tab_docs": "Tài liệu",
        "question": "Câu hỏi",
        "placeholder": "Ví dụ: Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?",
        "send": "Gửi",
        "clear": "Cuộc hỏi đáp mới",
        "filters": "Bộ lọc",
        "province": "Tỉnh / thành phố",
        "year": "Năm",
        "any": "(tất cả)",
        "sources": "Nguồn",
        "sources_empty": "Nguồn của câu trả lời sẽ hiện ở đây: tài liệu, mục, đoạn văn với câu trả lời được tô sáng.",
        "chat_placeholder": "**Hỏi về số liệu trong tài liệu đã nạp.** Chọn một câu hỏi mẫu hoặc gõ câu hỏi của bạn.",
        "searching": "Đang tìm trong tài liệu…",
        "not_found": "Không tìm thấy trong tài liệu.",
        "reason": "Lý do",
        "searched": "Câu hỏi đã tìm",
        "scope": "Phạm vi",
        "scope_none": "không nêu tỉnh hay năm: tìm trong mọi tài liệu",
        "target": "mục tiêu, chỉ tiêu",
        "result": "kết quả thực hiện",
        "document": "Tài liệu",
        "section": "Mục",
        "no_section": "(không có tiêu đề mục)",
        "context": "Xem văn bản xung quanh",
        "other_passages": "Các đoạn khác đã tìm thấy",
        "error": "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại.",
        "upload": "Tải tài liệu lên (.txt .md .html .htm .pdf .docx)",
        "upload_button": "Nạp tài liệu",
        "upload_none": "Chưa chọn tệp nào.",
        "results": "Kết quả nạp",
        "documents": "Tài liệu đã nạp",
        "refresh": "Làm mới",
        "delete_pick": "Chọn tài liệu để xóa",
        "delete": "Xóa tài liệu",
        "deleted": "Đã xóa {source} ({chunks} đoạn).",
        "delete_none": "Chưa chọn tài liệu.",
        "delete_missing": "Không có tài liệu tên {source}.",
        "ingested": "đã nạp",
        "unchanged": "không đổi",
        "failed": "lỗi",
        "replaced": "đã thay thế",
        "col_file": "Tệp",
        "col_status": "Kết quả",
        "col_chunks": "Số đoạn",
        "col_reason": "Lý do",
        "col_seconds": "Giây",
        "language": "Ngôn ngữ",
        "col_province": "Tỉnh",
        "col_locality": "Địa phương",
        "col_years": "Kỳ, năm",
        "col_type": "Loại văn bản",
        "col_date": "Ngày",
        "col_title": "Tiêu đề",
        "col_ingested": "Nạp lúc",
        "filter_note": "Bộ lọc được áp dụng bằng cách nêu rõ tỉnh và năm trong câu hỏi được tìm.",
        "page": "trang",
        "page_image": "Xem trang",
        "ocr_check": "OCR — kiểm tra bản gốc",
        "whole_page": "cả trang",
        "ocr": "đọc từ bản quét (OCR)",
        "download": "Tải bản gốc",
        "full_sentence": "Xem cả câu",
        "api_link": "API (JSON) và tài liệu hướng dẫn",
        "delete_confirm": "Xóa hẳn tài liệu `{source}`? Các đoạn của nó sẽ không còn được dùng để trả lời.",
        "delete_yes": "Xóa",
        "delete_no": "Hủy",
        "delete_cancelled": "Đã hủy, không xóa gì.",
        "progress_file": "{source}: {status} ({seconds} giây)",
    },
    "en": {
        "title": "Document Q&A",
        "subtitle": "Ask for figures in provincial reports, resolutions and conclusions. Every answer quotes "
        "the document's own sentence, with its source so you can check it.",
        "tab_chat": "Ask",
        "tab_docs": "Documents",
        "question": "Question",
        "placeholder": "E.g. Bắc Ninh's 2023 FDI target",
        "send": "Send",
        "clear": "New conversation",
        "filters": "Filters",
        "province": "Province / city",
        "year": "Year",
        "any": "(all)",
        "sources": "Sources",
        "sources_empty": "The answer's sources appear here: document, section and passage, with the answer highlighted.",
        "chat_placeholder": "**Ask for figures in the ingested documents.** Pick an example or type your question.",
        "searching": "Searching the documents…",
        "not_found": "Not found in the documents (không tìm thấy trong tài liệu).",
        "reason": "Reason",
        "searched": "Question searched",
        "scope": "Scope",
        "scope_none": "no province or year named: searching all documents",
        "target": "target",
        "result": "result",
        "document": "Document",
        "section": "Section",
        "no_section": "(no heading)",
        "context": "Show surrounding text",
        "other_passages": "Other passages found",
        "error": "Sorry, something went wrong while handling the request. Please try again.",
        "upload": "Upload documents (.txt .md .html .htm .pdf .docx)",
        "upload_button": "Ingest",
        "upload_none": "No file chosen.",
        "results": "Ingest results",
        "documents": "Ingested documents",
        "refresh": "Refresh",
        "delete_pick": "Document to delete",
        "delete": "Delete document",
        "deleted": "Deleted {source} ({chunks} passages).",
        "delete_none": "No document chosen.",
        "delete_missing": "No document named {source}.",
        "ingested": "ingested",
        "unchanged": "unchanged",
        "failed": "failed",
        "replaced": "replaced",
        "col_file": "File",
        "col_status": "Result",
        "col_chunks": "Passages",
        "col_reason": "Reason",
        "col_seconds": "Seconds",
        "language": "Language",
        "col_province": "Province",
        "col_locality": "Locality",
        "col_years": "Period, years",
        "col_type": "Kind",
        "col_date": "Date",
        "col_title": "Title",
        "col_ingested": "Ingested at",
        "filter_note": "Filters are applied by naming the province and year in the question searched.",
        "page": "page",
        "page_image": "See page",
        "ocr_check": "OCR — check the original",
        "whole_page": "whole page",
        "ocr": "read from a scan (OCR)",
        "download": "Download the original",
        "full_sentence": "Show the whole sentence",
        "api_link": "API (JSON) and its documentation",
        "delete_confirm": "Delete `{source}` for good? Its passages will no longer be used for answers.",
        "delete_yes": "Delete",
        "delete_no": "Cancel",
        "delete_cancelled": "Cancelled: nothing was deleted.",
        "progress_file": "{source}: {status} ({seconds} s)",
    },
}

EXAMPLES = {
    "vi": [
        "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?",
        "Doanh thu bán lẻ hàng hóa và dịch vụ năm 2023 của Bắc Ninh là bao nhiêu?",
        "Tốc độ tăng trưởng kinh tế 6 tháng đầu năm 2023 của Cao Bằng?",
    ],
    "en": [
        "Bắc Ninh's 2023 FDI target",
        "What was Cao Bằng's economic growth rate in the first half of 2023?",
        "Bắc Kạn's budget revenue in the first quarter of 2022",
    ],
}

# Gradio's own interface text, which follows the browser's locale (and has no Vietnamese): the page
# swaps these for Vietnamese while the Vietnamese page is shown (``app.web.render.HEAD``).
GRADIO_VI = {
    "Drop File Here": "Thả tệp vào đây",
    "- or -": "- hoặc -",
    "Click to Upload": "Bấm để chọn tệp",
    "Drop Files Here": "Thả tệp vào đây",
    "Upload": "Tải lên",
    "Clear": "Xóa",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Copied!": "Đã sao chép!",
    "Search": "Tìm",
    "Loading...": "Đang tải…",
    "processing": "đang xử lý",
    "Error": "Lỗi",
    "Connection errored out.": "Mất kết nối tới máy chủ.",
    "Close": "Đóng",
    "No rows": "Không có dòng nào",
    "Use via API": "Dùng qua API",
    "Built with Gradio": "Xây dựng bằng Gradio",
    "Settings": "Cài đặt",
    "Download": "Tải về",
    "Remove": "Bỏ",
    "Delete": "Xóa",
}
# What must never be left in English on the Vietnamese page (the browser test scans the DOM for them).
ENGLISH_DEFAULTS = ["Drop File Here", "Click to Upload", "Use via API", "Built with Gradio", "Settings",
                    "Loading...", "processing", "Search", "No rows", "(no heading)", "Sources", "Submit"]

# Why the service abstained, in words for users (the pipeline's reasons are short English phrases).
_REASONS_VI = [
    (re.compile(r"^no document about (.+)$"), "không có tài liệu nào về {0}"),
    (re.compile(r"^no document passage for (.+)$"), "không có đoạn tài liệu nào về {0}"),
    (re.compile(r"^no passage matched the question$"), "không có đoạn tài liệu nào khớp với câu hỏi"),
    (re.compile(r"^no sentence in the retrieved passages$"), "các đoạn tìm được không có câu nào phù hợp"),
    (
        re.compile(r"^no sentence in the documents matches the question well enough$"),
        "không có câu nào trong tài liệu khớp đủ với câu hỏi",
    ),
    (
        re.compile(r"^no stated figure matches the question's indicator, period, year and role$"),
        "tài liệu không nêu số liệu đúng chỉ tiêu, kỳ, năm và loại (mục tiêu/kết quả) được hỏi",
    ),
    (re.compile(r"^the documents state this indicator only for another period$"), "tài liệu chỉ nêu chỉ tiêu này cho kỳ khác"),
    (re.compile(r"^the passage does not name (.+)$"), "đoạn tài liệu không nhắc đến {0}"),
    (
        re.compile(r"^the documents state this indicator only as another kind of figure$"),
        "tài liệu chỉ nêu chỉ tiêu này ở dạng khác (mục tiêu, kế hoạch hoặc kết quả)",
    ),
    (re.compile(r"^several places: ask which one$"), "nhiều địa phương có số liệu này: hãy nói rõ địa phương"),
]


# Why an upload failed (and notes on one that went in), in Vietnamese: ingest and the upload store
# give short English reasons, which the API returns as they are and the English page shows.
_FAILURES_VI = [
    (re.compile(r"^unsupported file type '?([^':]*)'?[:;] (?:allowed are|supported:) (.+)$"),
     "loại tệp {0} không được hỗ trợ; chỉ nhận: {1}"),
    (re.compile(r"^the file is ([\d.]+) MB, over the (.+) MB limit \(HOIDAP_MAX_FILE_MB\)$"),
     "tệp nặng {0} MB, vượt giới hạn {1} MB (HOIDAP_MAX_FILE_MB)"),
    (re.compile(r"^the file is over the (.+) MB limit \(HOIDAP_MAX_FILE_MB\)$"), "tệp vượt giới hạn {0} MB (HOIDAP_MAX_FILE_MB)"),
    (re.compile(r"^the file is empty$"), "tệp rỗng"),
    (re.compile(r"^the file holds no text \(empty or whitespace only\)$"), "tệp không có nội dung chữ"),
    (re.compile(r"^the file looks binary, not text.*$"), "tệp có vẻ là tệp nhị phân, không phải văn bản"),
    (re.compile(r"^invalid file name$"), "tên tệp không hợp lệ"),
    (re.compile(r"^cannot read the (?:uploaded )?file \((.+)\)$"), "không đọc được tệp ({0})"),
    (re.compile(r"^cannot read the upload \((.+)\)$"), "không đọc được tệp tải lên ({0})"),
    (re.compile(r"^no document text left after removing page leftovers$"), "không còn nội dung sau khi bỏ phần thừa của trang"),
    (re.compile(r"^no text could be extracted$"), "không lấy được chữ nào từ tệp"),
    (re.compile(r"^no main text found in the HTML page$"), "trang HTML không có nội dung chính"),
    (re.compile(r"^the HTML (?:is nested too deeply|nests elements).*$"), "trang HTML lồng quá sâu, không đọc hết được: hãy lưu thành văn bản thuần rồi thử lại"),
    (re.compile(r"^the PDF is encrypted.*$"), "tệp PDF được mã hóa (có mật khẩu)"),
    (re.compile(r"^the PDF is damaged or truncated.*$"), "tệp PDF bị hỏng hoặc không đầy đủ"),
    (re.compile(r"^the PDF could not be read.*$"), "không đọc được tệp PDF"),
    (re.compile(r"^the PDF has no text layer.*$"), "tệp PDF không có lớp chữ (bản quét?): hãy nhận dạng chữ (OCR) trước"),
    (re.compile(r"^the DOCX is not a valid Word file.*$"), "tệp DOCX không phải tệp Word hợp lệ"),
    (re.compile(r"^the DOCX expands to an implausible size.*$"), "tệp DOCX giải nén ra quá lớn (nghi tệp độc hại); bị từ chối"),
    (re.compile(r"^the DOCX could not be read.*$"), "không đọc được tệp DOCX"),
    (re.compile(r"^the DOCX holds no text$"), "tệp DOCX không có nội dung chữ"),
    (re.compile(r"^the text looks like Vietnamese in a legacy encoding.*$"),
     "văn bản có vẻ là tiếng Việt mã cũ nhưng không chuyển đổi chắc chắn được: hãy lưu dạng UTF-8 (Unicode) rồi thử lại"),
    (re.compile(r"^unknown text encoding.*$"), "không nhận ra bảng mã: hãy lưu tệp dạng UTF-8 rồi thử lại"),
    (re.compile(r"^the file starts with a (.+) mark but is not valid .+$"), "tệp mở đầu bằng dấu {0} nhưng nội dung không hợp lệ"),
    (re.compile(r"^the file is too large to process in memory$"), "tệp quá lớn để xử lý"),
    (re.compile(r"^internal error while ingesting$"), "lỗi nội bộ khi nạp tệp"),
    (re.compile(r"^converted from (.+)$"), "đã chuyển từ bảng mã {0}"),
    (re.compile(r"^another document is already stored as (.+): this one is kept as (.+)$"),
     "đã có tài liệu khác tên {0}: tệp này được lưu với tên {1}"),
]

# Kinds of document (``ingest.metadata`` names them in Vietnamese) and period codes, for readers.
_KINDS_EN = {"kết luận": "conclusion", "nghị quyết": "resolution", "báo cáo": "report", "chỉ thị": "directive",
             "quyết định": "decision", "kế hoạch": "plan", "thông báo": "announcement", "tin": "news article"}
_KINDS_VI = {"tin": "bài tin"}


def kind_name(kind: str, lang: str) -> str:
    names = _KINDS_EN if lang == "en" else _KINDS_VI
    shown = names.get(kind, kind)
    return shown[:1].upper() + shown[1:] if lang == "vi" else shown


def period_name(code: str, lang: str) -> str:
    return period_label(code, "en" if lang == "en" else "vi")


def failure_text(reason: str, lang: str) -> str:
    """An upload's failure reason or note in the page's language; parts joined by "; " each."""
    if lang == "en" or not reason:
        return reason
    parts = []
    for part in reason.split("; "):
        for pattern, template in _FAILURES_VI:
            match = pattern.match(part)
            if match:
                part = template.format(*match.groups())
                break
        parts.append(part)
    return "; ".join(parts)


def t(lang: str, key: str) -> str:
    return TEXT.get(lang, TEXT["vi"]).get(key) or TEXT["vi"][key]


def reason_text(reason: str, lang: str) -> str:
    if lang != "vi":
        return reason
    for pattern, template in _REASONS_VI:
        match = pattern.match(reason)
        if match:
            return template.format(*match.groups())
    return reason
