"""Official files as they really come, generated with their truth: report PDFs with appendix tables
of indicators, the same reports scanned (skewed, blurred, speckled, stamped image-only PDFs), and the
same tables as DOCX and HTML.

Every figure printed is recorded with its province, indicator, role, year, unit, file and page, and
questions are written from them, including ones whose answer depends on the column (kế hoạch vs ước
thực hiện of the same year) and ones the files cannot answer (a column that does not exist). Seeded:
the same seed writes the same files.

    python -m hoidap.eval.official_corpus OUT_DIR [--seed 7] [--no-scans]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hoidap.ingest.normalize import fold_for_match

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEFAULT_SEED = 7

# (indicator key, row label as printed, unit column, question name, value range, decimals)
ROWS = (
    ("grdp_growth", "Tốc độ tăng trưởng kinh tế (GRDP)", "%", "tốc độ tăng trưởng kinh tế (GRDP)", (5.0, 9.5), 1),
    ("grdp_per_capita", "GRDP bình quân đầu người", "triệu đồng", "GRDP bình quân đầu người", (60, 140), 1),
    ("budget_revenue", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "thu ngân sách nhà nước", (9000, 48000), 0),
    ("export", "Kim ngạch xuất khẩu", "triệu USD", "kim ngạch xuất khẩu", (1200, 9800), 0),
    ("fdi", "Thu hút vốn đầu tư trực tiếp nước ngoài (FDI)", "triệu USD", "thu hút vốn FDI", (300, 2600), 0),
    ("new_enterprises", "Số doanh nghiệp thành lập mới", "doanh nghiệp", "số doanh nghiệp thành lập mới", (700, 2400), 0),
    ("poverty", "Tỷ lệ hộ nghèo", "%", "tỷ lệ hộ nghèo", (0.8, 6.5), 2),
    ("trained_labour", "Tỷ lệ lao động qua đào tạo", "%", "tỷ lệ lao động qua đào tạo", (60, 82), 1),
)
BUDGET_ROWS = (
    ("domestic_revenue", "Thu nội địa", "tỷ đồng", "thu nội địa", (6000, 30000), 0),
    ("budget_spending", "Tổng chi ngân sách địa phương", "tỷ đồng", "chi ngân sách địa phương", (12000, 40000), 0),
    ("public_investment", "Giải ngân vốn đầu tư công", "tỷ đồng", "giải ngân vốn đầu tư công", (3000, 15000), 0),
)
# Narrative results (2023) and numbered 2024 targets: indicators the tables do not hold.
NARRATIVE = (
    ("tourists", "tổng lượt khách du lịch ước đạt {v}", "lượt khách", "số lượt khách du lịch", (1_200_000, 9_000_000), 0),
    ("forest_cover", "tỷ lệ che phủ rừng đạt {v}", "%", "tỷ lệ che phủ rừng", (20, 60), 1),
    ("ntm_communes", "nâng tổng số xã đạt chuẩn nông thôn mới lên {v}", "xã", "số xã đạt chuẩn nông thôn mới", (40, 120), 0),
)
TARGETS = (
    ("clean_water", "Tỷ lệ dân số được sử dụng nước sạch đạt {v}", "%", "tỷ lệ dân số được sử dụng nước sạch", (88, 99), 1),
    ("health_insurance", "Tỷ lệ bao phủ bảo hiểm y tế đạt {v}", "%", "tỷ lệ bao phủ bảo hiểm y tế", (90, 97), 1),
    ("urbanization", "Tỷ lệ đô thị hóa đạt {v}", "%", "tỷ lệ đô thị hóa", (25, 60), 1),
)
# Column roles of the main table: (role, year, header words per layout).
COLUMNS = (("result", 2022), ("plan", 2023), ("estimate", 2023), ("plan", 2024))
BUDGET_COLUMNS = (("result", 2022), ("plan", 2023), ("estimate", 2023), ("plan", 2024))
ROLE_WORDS = {"result": "Thực hiện", "plan": "Kế hoạch", "estimate": "Ước thực hiện"}
ROLE_SHORT = {"result": "TH", "plan": "KH", "estimate": "Ước TH"}
# Question wording per column role (the column decides the answer).
ASK = {
    ("result", 2022): "{name} của tỉnh {p} thực hiện năm 2022 là bao nhiêu?",
    ("plan", 2023): "Kế hoạch năm 2023 về {name} của tỉnh {p} là bao nhiêu?",
    ("estimate", 2023): "{name} của tỉnh {p} ước thực hiện năm 2023 là bao nhiêu?",
    ("plan", 2024): "Kế hoạch năm 2024 về {name} của tỉnh {p} là bao nhiêu?",
}
# Per kind of file: the provinces it is written for (each question is about one file's province).
PROVINCES = {
    "pdf": ("Bắc Ninh", "Thái Nguyên", "Quảng Ninh", "Nghệ An"),
    "scan": ("Hải Dương", "Thanh Hóa"),
    "docx": ("Lạng Sơn",),
    "html": ("Phú Thọ",),
}


@dataclass
class Figure:
    province: str
    indicator: str
    label: str  # the row label or clause as printed
    role: str  # result / plan / estimate / target
    year: int
    value: str  # as printed, with its unit: "1.250 triệu USD", "6,8%"
    unit: str
    kind: str  # "table", "narrative", "list"
    source: str = ""
    page: int = 0  # 1-based page of the PDF it is printed on (0: not a PDF)


@dataclass
class Question:
    question: str
    province: str
    source: str
    expected: str | None  # the printed value, or None when the files do not state it
    indicator: str
    role: str
    year: int
    kind: str  # "table", "narrative", "list", "absent"
    file_kind: str  # "pdf", "scan", "docx", "html"
    page: int = 0


def vn_number(value: float, decimals: int) -> str:
    """1250 -> "1.250", 6.8 -> "6,8" (Vietnamese: "." groups thousands, "," is the decimal mark)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def with_unit(number: str, unit: str) -> str:
    return f"{number}%" if unit == "%" else f"{number} {unit}"


@dataclass
class Report:
    province: str
    layout: str  # "merged" (year over role, merged header cells) or "flat" ("KH 2023")
    table: dict[str, list[str]] = field(default_factory=dict)  # indicator -> the column values as printed
    budget: dict[str, list[str]] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)


def make_report(province: str, layout: str, rng: random.Random) -> Report:
    report = Report(province, layout)
    for key, _label, _unit, _name, (low, high), decimals in ROWS + BUDGET_ROWS:
        base = rng.uniform(low, high)
        values, seen = [], set()
        for _ in COLUMNS:  # four different values: a wrong column must never look right by chance
            while True:
                text = vn_number(round(base * rng.uniform(0.86, 1.16), decimals), decimals)
                if text not in seen:
                    break
            seen.add(text)
            values.append(text)
        (report.budget if key in dict((r[0], r) for r in BUDGET_ROWS) else report.table)[key] = values
    for key, _text, _unit, _name, (low, high), decimals in NARRATIVE:
        report.narrative[key] = vn_number(round(rng.uniform(low, high), decimals), decimals)
    for key, _text, _unit, _name, (low, high), decimals in TARGETS:
        report.targets[key] = vn_number(round(rng.uniform(low, high), decimals), decimals)
    return report


def _title(province: str) -> str:
    return f"BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2023 VÀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024 TỈNH {province.upper()}"


def narrative_paragraphs(report: Report) -> list[str]:
    p = report.province
    rows = {r[0]: r for r in NARRATIVE}
    parts = [
        f"Năm 2023, trong bối cảnh còn nhiều khó khăn, kinh tế - xã hội tỉnh {p} tiếp tục phát triển ổn định.",
        f"Ngành du lịch phục hồi mạnh, {rows['tourists'][1].format(v=with_unit(report.narrative['tourists'], 'lượt khách'))}.",
        f"Công tác bảo vệ và phát triển rừng được quan tâm, {rows['forest_cover'][1].format(v=with_unit(report.narrative['forest_cover'], '%'))}.",
        f"Chương trình xây dựng nông thôn mới đạt kết quả tích cực, {rows['ntm_communes'][1].format(v=with_unit(report.narrative['ntm_communes'], 'xã'))}.",
        "Các chỉ tiêu chủ yếu được trình bày tại Phụ lục kèm theo báo cáo này.",
    ]
    return parts


def target_items(report: Report) -> list[str]:
    return [
        f"({i}) {text.format(v=with_unit(report.targets[key], unit))}."
        for i, (key, text, unit, *_rest) in enumerate(TARGETS, start=1)
    ]


def header_rows(layout: str, columns=COLUMNS) -> tuple[list[list[str]], list[tuple]]:
    """The table's header rows and its reportlab SPAN commands (merged cells)."""
    if layout == "merged":
        first = ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022", "Năm 2023", "", "Năm 2024"]
        second = ["", "", "", "Thực hiện", "Kế hoạch", "Ước thực hiện", "Kế hoạch"]
        spans = [("SPAN", (4, 0), (5, 0)), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1))]
        return [first, second], spans
    head = ["STT", "Chỉ tiêu", "ĐVT"] + [f"{ROLE_WORDS[role]} {year}" for role, year in columns]
    return [head], []


def table_rows(values: dict[str, list[str]], rows) -> list[list[str]]:
    return [[str(i), label, unit, *values[key]] for i, (key, label, unit, *_r) in enumerate(rows, start=1)]


# ---------------------------------------------------------------- PDF (reportlab)


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return "DejaVu", "DejaVu-Bold"


def write_pdf(report: Report, path: Path) -> dict[str, int]:
    """The report as a text PDF: page 1 narrative, page 2 the numbered 2024 targets, page 3 the
    appendix table (portrait), page 4 the budget table on a landscape page. Returns each part's page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11.5, leading=16)
    head = ParagraphStyle("head", fontName=bold, fontSize=12, leading=17, spaceBefore=8, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=10, leading=13)
    centre = ParagraphStyle("centre", fontName=bold, fontSize=9.5, leading=12, alignment=1)
    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(str(path), pagesize=portrait, leftMargin=20 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm)
    doc.addPageTemplates([
        PageTemplate("portrait", [Frame(20 * mm, 18 * mm, portrait[0] - 38 * mm, portrait[1] - 36 * mm)], pagesize=portrait),
        PageTemplate("landscape", [Frame(18 * mm, 18 * mm, wide[0] - 36 * mm, wide[1] - 36 * mm)], pagesize=wide),
    ])
    story = [
        Paragraph(f"ỦY BAN NHÂN DÂN TỈNH {report.province.upper()}", head),
        Paragraph(_title(report.province), head),
        Paragraph("I. TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2023", head),
    ]
    story += [Paragraph(text, body) for text in narrative_paragraphs(report)]
    story += [PageBreak(), Paragraph("II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2024", head)]
    story += [Paragraph(item, body) for item in target_items(report)]
    story += [Spacer(1, 10), Paragraph("Các chỉ tiêu kinh tế chủ yếu năm 2024 được giao tại Phụ lục.", body), PageBreak()]

    def table(values, rows, widths):
        headers, spans = header_rows(report.layout)
        data = [[Paragraph(h, centre) if h else "" for h in row] for row in headers]
        data += [[r[0], Paragraph(r[1], cell), Paragraph(r[2], cell), *r[3:]] for r in table_rows(values, rows)]
        grid = Table(data, colWidths=widths, repeatRows=len(headers))
        grid.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("FONTNAME", (0, 0), (-1, len(headers) - 1), bold),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (3, len(headers)), (-1, -1), "RIGHT"), ("ALIGN", (0, 0), (-1, len(headers) - 1), "CENTER"),
            *spans,
        ]))
        return grid

    story += [Paragraph("Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU", head)]
    story.append(table(report.table, ROWS, [9 * mm, 50 * mm, 22 * mm, 22 * mm, 22 * mm, 25 * mm, 22 * mm]))
    story += [NextPageTemplate("landscape"), PageBreak(), Paragraph("Phụ lục 2: CHỈ TIÊU THU, CHI NGÂN SÁCH VÀ ĐẦU TƯ CÔNG", head)]
    story.append(table(report.budget, BUDGET_ROWS, [12 * mm, 80 * mm, 26 * mm, 32 * mm, 32 * mm, 34 * mm, 32 * mm]))
    doc.build(story)
    return {"narrative": 1, "list": 2, "table": 3, "budget": 4}


# ---------------------------------------------------------------- scans


# How a scanner degrades the page: resolution, turn (degrees), blur radius, noise, speckle density.
SCAN_QUALITY = {
    "normal": {"dpi": 300, "skew": 0.8, "blur": (0.5, 0.9), "noise": 9, "speckle": 0.0007},
    "poor": {"dpi": 200, "skew": 1.5, "blur": (0.8, 1.2), "noise": 18, "speckle": 0.002},
}


def scan_pdf(source: Path, target: Path, rng: random.Random, quality: str = "normal") -> None:
    """An image-only PDF of ``source`` as a scanner makes it: each page rendered, turned a little,
    blurred, speckled and stamped (red seal on the first page)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    profile = SCAN_QUALITY[quality]
    dpi = profile["dpi"]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), f"{tmp}/p"], check=True)
        pages = []
        for number, png in enumerate(sorted(Path(tmp).glob("p-*.png")), start=1):
            image = Image.open(png).convert("RGB")
            if number == 1:
                _stamp(image, ImageDraw, ImageFont, dpi)
            image = image.rotate(rng.uniform(-profile["skew"], profile["skew"]), resample=Image.BICUBIC, expand=False, fillcolor="white")
            image = image.filter(ImageFilter.GaussianBlur(radius=rng.uniform(*profile["blur"])))
            pixels = np.asarray(image).astype(np.int16)
            noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, profile["noise"], pixels.shape[:2])[..., None]
            pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
            speckle = np.random.default_rng(rng.randrange(1 << 30)).random(pixels.shape[:2]) < profile["speckle"]
            pixels[speckle] = 40
            pages.append(Image.fromarray(pixels))
        pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))


def _stamp(image, ImageDraw, ImageFont, dpi: int) -> None:
    """A red round seal over the signature block (bottom right), as on a signed original."""
    draw = ImageDraw.Draw(image)
    radius = int(dpi * 0.7)
    cx, cy = image.width - int(dpi * 1.9), image.height - int(dpi * 2.0)
    red = (200, 30, 30)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=max(3, dpi // 40))
    draw.ellipse([cx - radius + 14, cy - radius + 14, cx + radius - 14, cy + radius - 14], outline=red, width=2)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), max(12, dpi // 9))
    draw.text((cx, cy), "ỦY BAN NHÂN DÂN", fill=red, font=font, anchor="mm")
    draw.text((cx - radius // 2, cy + radius + 10), "CHỦ TỊCH", fill=(20, 20, 20), font=font)


# ---------------------------------------------------------------- DOCX and HTML


def write_docx(report: Report, path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(f"ỦY BAN NHÂN DÂN TỈNH {report.province.upper()}")
    document.add_paragraph(_title(report.province))
    document.add_paragraph("I. TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2023")
    for text in narrative_paragraphs(report):
        document.add_paragraph(text)
    document.add_paragraph("II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2024")
    for item in target_items(report):
        document.add_paragraph(item)
    for title, values, rows in (("Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU", report.table, ROWS),
                                ("Phụ lục 2: CHỈ TIÊU THU, CHI NGÂN SÁCH VÀ ĐẦU TƯ CÔNG", report.budget, BUDGET_ROWS)):
        document.add_paragraph(title)
        headers, _spans = header_rows(report.layout)
        body = table_rows(values, rows)
        grid = document.add_table(rows=len(headers) + len(body), cols=len(headers[0]))
        for r, row in enumerate(headers + body):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        if report.layout == "merged":  # "Năm 2023" over its two columns; the first three cells over two rows
            grid.cell(0, 4).merge(grid.cell(0, 5)).text = "Năm 2023"
            for c in range(3):
                grid.cell(0, c).merge(grid.cell(1, c)).text = headers[0][c]
    document.save(str(path))


def write_html(report: Report, path: Path) -> None:
    from html import escape

    def table(values, rows) -> str:
        if report.layout == "merged":
            head = ('<tr><th rowspan="2">STT</th><th rowspan="2">Chỉ tiêu</th><th rowspan="2">Đơn vị tính</th>'
                    '<th>Năm 2022</th><th colspan="2">Năm 2023</th><th>Năm 2024</th></tr>'
                    "<tr><th>Thực hiện</th><th>Kế hoạch</th><th>Ước thực hiện</th><th>Kế hoạch</th></tr>")
        else:
            head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header_rows("flat")[0][0]) + "</tr>"
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table_rows(values, rows))
        return f"<table border='1'><thead>{head}</thead><tbody>{body}</tbody></table>"

    paragraphs = "".join(f"<p>{escape(t)}</p>" for t in narrative_paragraphs(report))
    items = "".join(f"<p>{escape(t)}</p>" for t in target_items(report))
    html = (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{escape(_title(report.province))}</title></head>"
        f"<body><main><h1>{escape(_title(report.province))}</h1><h2>I. TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2023</h2>{paragraphs}"
        f"<h2>II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2024</h2>{items}"
        f"<h2>Phụ lục: MỘT SỐ CHỈ TIÊU CHỦ YẾU</h2>{table(report.table, ROWS)}"
        f"<h2>Phụ lục 2: CHỈ TIÊU THU, CHI NGÂN SÁCH VÀ ĐẦU TƯ CÔNG</h2>{table(report.budget, BUDGET_ROWS)}</main></body></html>"
    )
    path.write_text(html, encoding="utf-8")


# ---------------------------------------------------------------- truth and questions


def figures_of(report: Report, source: str, pages: dict[str, int] | None) -> list[Figure]:
    pages = pages or {}
    p = report.province
    figures = []
    for part, values, rows in (("table", report.table, ROWS), ("budget", report.budget, BUDGET_ROWS)):
        for key, label, unit, *_r in rows:
            for (role, year), value in zip(COLUMNS, values[key], strict=True):
                figures.append(Figure(p, key, label, role, year, with_unit(value, unit), unit, "table", source, pages.get(part, 0)))
    for key, text, unit, *_r in NARRATIVE:
        figures.append(Figure(p, key, text, "result", 2023, with_unit(report.narrative[key], unit), unit, "narrative", source, pages.get("narrative", 0)))
    for key, text, unit, *_r in TARGETS:
        figures.append(Figure(p, key, text, "target", 2024, with_unit(report.targets[key], unit), unit, "list", source, pages.get("list", 0)))
    return figures


_NAMES = {r[0]: r[3] for r in ROWS + BUDGET_ROWS + NARRATIVE + TARGETS}


def questions_of(figures: list[Figure], file_kind: str) -> list[Question]:
    questions = []
    for f in figures:
        name = _NAMES[f.indicator]
        if f.kind == "table":
            text = ASK[(f.role, f.year)].format(name=name, p=f.province)
            text = text[0].upper() + text[1:]
        elif f.kind == "narrative":
            text = f"{name[0].upper() + name[1:]} của tỉnh {f.province} năm 2023 là bao nhiêu?"
        else:
            text = f"Mục tiêu năm 2024 về {name} của tỉnh {f.province} là bao nhiêu?"
        questions.append(Question(text, f.province, f.source, f.value, f.indicator, f.role, f.year, f.kind, file_kind, f.page))
    # Columns the tables do not have: a 2024 result, a 2022 plan. The answer is "not in the documents".
    provinces = sorted({(f.province, f.source) for f in figures})
    for province, source in provinces:
        for key in ("export", "budget_revenue", "fdi"):
            name = _NAMES[key]
            questions.append(Question(f"{name[0].upper() + name[1:]} của tỉnh {province} thực hiện năm 2024 đạt bao nhiêu?",
                                      province, source, None, key, "result", 2024, "absent", file_kind))
            questions.append(Question(f"Kế hoạch năm 2022 về {name} của tỉnh {province} là bao nhiêu?",
                                      province, source, None, key, "plan", 2022, "absent", file_kind))
    return questions


def generate(out: Path, seed: int = DEFAULT_SEED, scans: bool = True, progress: bool = False, scan_quality: str = "normal") -> dict:
    """Write the corpus under ``out``: the files in ``files/`` (pdf/, scan/, docx/, html/), the truth
    in ``truth.json``; returns the truth."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    figures: list[Figure] = []
    questions: list[Question] = []
    layouts = ("merged", "flat")
    for kind, provinces in PROVINCES.items():
        if kind == "scan" and not scans:
            continue
        folder = out / "files" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for number, province in enumerate(provinces):
            report = make_report(province, layouts[number % 2], rng)
            stem = "bao-cao-ktxh-2023-" + fold_for_match(province).replace(" ", "-") + f"-{number}"
            pages = None
            if kind in ("pdf", "scan"):
                source = f"{stem}.pdf"
                if kind == "pdf":
                    pages = write_pdf(report, folder / source)
                else:
                    with tempfile.TemporaryDirectory() as tmp:
                        pages = write_pdf(report, Path(tmp) / source)
                        scan_pdf(Path(tmp) / source, folder / source, rng, scan_quality)
            elif kind == "docx":
                source = f"{stem}.docx"
                write_docx(report, folder / source)
            else:
                source = f"{stem}.html"
                write_html(report, folder / source)
            if progress:
                print(f"official_corpus: {kind}/{source}", flush=True)
            own = figures_of(report, source, pages)
            figures += own
            questions += questions_of(own, kind)
    truth = {"seed": seed, "scan_quality": scan_quality, "figures": [asdict(f) for f in figures], "questions": [asdict(q) for q in questions]}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hoidap.eval.official_corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-scans", action="store_true")
    parser.add_argument("--scan-quality", choices=sorted(SCAN_QUALITY), default="normal")
    args = parser.parse_args(argv)
    truth = generate(args.out, args.seed, scans=not args.no_scans, progress=True, scan_quality=args.scan_quality)
    print(f"{len(truth['figures'])} figures, {len(truth['questions'])} questions in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
