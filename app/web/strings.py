"""Interface text in Vietnamese (the default) and English, kept apart from layout and logic.

Users are Vietnamese officials first; English is offered for analysts and journalists abroad. The
answers themselves stay verbatim document text in either case.
"""

from __future__ import annotations

import re

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
        "col_province": "Tỉnh",
        "col_locality": "Địa phương",
        "col_years": "Năm",
        "col_type": "Loại",
        "col_date": "Ngày",
        "col_title": "Tiêu đề",
        "col_ingested": "Nạp lúc",
        "filter_note": "Bộ lọc được áp dụng bằng cách nêu rõ tỉnh và năm trong câu hỏi được tìm.",
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
        "col_province": "Province",
        "col_locality": "Locality",
        "col_years": "Years",
        "col_type": "Type",
        "col_date": "Date",
        "col_title": "Title",
        "col_ingested": "Ingested at",
        "filter_note": "Filters are applied by naming the province and year in the question searched.",
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
