"""English terms of Vietnamese socio-economic reporting and the Vietnamese words reports use for them.

No translation model runs offline here, and BM25 cannot match "budget revenue" to "thu ngân sách".
Dense retrieval crosses languages on its own; this table adds the lexical side for the indicators
that provincial reports are made of, so English questions can also be matched word for word and the
answering sentence can be picked among look-alike sentences. Longest phrases are matched first.
"""

from __future__ import annotations

import re

EN_TO_VI: dict[str, str] = {
    # indicators
    "grdp": "tổng sản phẩm grdp tăng trưởng",
    "gdp": "tổng sản phẩm gdp tăng trưởng",
    "economic growth": "tăng trưởng kinh tế",
    "growth rate": "tốc độ tăng trưởng",
    "growth": "tăng trưởng",
    "per capita income": "thu nhập bình quân đầu người",
    "income per capita": "thu nhập bình quân đầu người",
    "per capita": "bình quân đầu người",
    "average income": "thu nhập bình quân",
    "import-export turnover": "tổng kim ngạch xuất nhập khẩu",
    "import and export turnover": "tổng kim ngạch xuất nhập khẩu",
    "import-export": "kim ngạch xuất nhập khẩu",
    "export turnover": "kim ngạch xuất khẩu",
    "import turnover": "kim ngạch nhập khẩu",
    "exports": "xuất khẩu",
    "export": "xuất khẩu",
    "imports": "nhập khẩu",
    "import": "nhập khẩu",
    "turnover": "kim ngạch",
    "state budget revenue": "tổng thu ngân sách nhà nước",
    "budget revenue": "thu ngân sách",
    "revenue": "thu",
    "budget spending": "chi ngân sách",
    "budget expenditure": "chi ngân sách",
    "spending": "chi",
    "expenditure": "chi",
    "budget": "ngân sách",
    "public investment disbursement": "giải ngân vốn đầu tư công",
    "public investment": "vốn đầu tư công",
    "disbursement": "giải ngân",
    "disbursed": "giải ngân",
    "total social investment": "tổng vốn đầu tư phát triển toàn xã hội",
    "development investment": "vốn đầu tư phát triển",
    "fdi": "fdi vốn đầu tư trực tiếp nước ngoài thu hút",
    "foreign direct investment": "vốn đầu tư trực tiếp nước ngoài fdi",
    "foreign investment": "đầu tư nước ngoài fdi",
    "investment": "đầu tư vốn",
    "industrial parks": "khu công nghiệp",
    "industrial park": "khu công nghiệp",
    "industrial production value": "giá trị sản xuất công nghiệp",
    "industrial production index": "chỉ số sản xuất công nghiệp iip",
    "industrial production": "sản xuất công nghiệp",
    "industry": "công nghiệp",
    "agricultural production value": "giá trị sản xuất nông lâm ngư nghiệp",
    "agricultural production": "sản xuất nông nghiệp",
    "agriculture": "nông nghiệp",
    "agricultural": "nông nghiệp nông lâm ngư nghiệp",
    "retail sales": "doanh thu bán lẻ hàng hóa và dịch vụ",
    "retail": "bán lẻ",
    "tourism": "du lịch",
    "tourists": "khách du lịch",
    "tourist arrivals": "lượt khách du lịch",
    "tourist visits": "lượt khách du lịch",
    "visitors": "lượt khách",
    "urbanization rate": "tỷ lệ đô thị hóa",
    "urbanisation rate": "tỷ lệ đô thị hóa",
    "urbanization": "đô thị hóa",
    "urban unemployment": "thất nghiệp ở khu vực thành thị",
    "unemployment rate": "tỷ lệ thất nghiệp",
    "unemployment": "thất nghiệp",
    "urban": "thành thị đô thị",
    "trained workers": "lao động qua đào tạo",
    "trained labour": "lao động qua đào tạo",
    "trained labor": "lao động qua đào tạo",
    "labour": "lao động",
    "labor": "lao động",
    "workers": "lao động",
    "poverty rate": "tỷ lệ hộ nghèo",
    "poor households": "hộ nghèo",
    "poverty": "hộ nghèo",
    "health insurance": "bảo hiểm y tế",
    "social insurance": "bảo hiểm xã hội",
    "hospital beds": "giường bệnh",
    "doctors": "bác sĩ",
    "new rural": "nông thôn mới",
    "new-style rural": "nông thôn mới",
    "rural": "nông thôn",
    "communes": "xã",
    "commune": "xã",
    "criteria": "tiêu chí",
    "schools": "trường học",
    "national standard": "chuẩn quốc gia",
    "new businesses": "doanh nghiệp thành lập mới",
    "new enterprises": "doanh nghiệp thành lập mới",
    "newly established": "thành lập mới",
    "enterprises": "doanh nghiệp",
    "businesses": "doanh nghiệp",
    "projects": "dự án",
    "registered capital": "vốn đăng ký",
    "party members": "đảng viên",
    "new party members": "kết nạp đảng viên mới",
    "admit": "kết nạp",
    "admitted": "kết nạp",
    "forest": "rừng",
    "forest cover": "tỷ lệ che phủ rừng",
    "rice": "lúa",
    "corn": "ngô",
    "maize": "ngô",
    "tobacco": "thuốc lá",
    "planting area": "diện tích trồng",
    "planted area": "diện tích trồng",
    "cultivated area": "diện tích",
    "area": "diện tích",
    "output": "sản lượng",
    "grain output": "sản lượng lương thực",
    "cereal output": "sản lượng lương thực có hạt",
    "food output": "sản lượng lương thực",
    "food production": "sản lượng lương thực",
    "livestock": "gia súc gia cầm",
    "waste": "chất thải rắn",
    "wastewater": "nước thải",
    "clean water": "nước sạch",
    # offices and bodies (who-questions)
    "provincial party committee": "tỉnh ủy",
    "party committee": "đảng bộ ban chấp hành",
    "party secretary": "bí thư",
    "deputy secretary": "phó bí thư",
    "secretary": "bí thư",
    "vice chairman": "phó chủ tịch",
    "chairman": "chủ tịch",
    "chairwoman": "chủ tịch",
    "chair": "chủ tịch",
    "people's committee": "ủy ban nhân dân ubnd",
    "people's council": "hội đồng nhân dân hđnd",
    "inspection committee": "ủy ban kiểm tra",
    "national assembly": "quốc hội",
    "elected": "bầu",
    "additional member": "bầu bổ sung ủy viên",
    "member": "ủy viên",
    "conference": "hội nghị",
    "concluded": "kết luận",
    "launched": "phát động",
    "emulation": "thi đua",
    "theme": "chủ đề",
    # time and status
    "first half": "6 tháng đầu năm",
    "second half": "6 tháng cuối năm",
    "first quarter": "quý i",
    "q1": "quý i",
    "q2": "quý ii",
    "q3": "quý iii",
    "q4": "quý iv",
    "quarter": "quý",
    "target": "mục tiêu chỉ tiêu",
    "targets": "mục tiêu chỉ tiêu",
    "goal": "mục tiêu",
    "plan": "kế hoạch",
    "estimated": "ước",
    "reached": "đạt",
    "achieved": "đạt",
    "total": "tổng",
    "rate": "tỷ lệ",
    "value": "giá trị",
    "city": "thành phố",
    "province": "tỉnh",
    "district": "huyện",
}

_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(EN_TO_VI, key=len, reverse=True)) + r")(?![\w-])",
    re.I,
)


def vietnamese_terms(english: str) -> tuple[str, float]:
    """Vietnamese words for the report terms in an English question, and the share of its words covered.

    The share says how far the lexical side can be trusted for this question: a report question
    ("2022 target for total state budget revenue") is mostly covered, a general one is not.
    """
    matches = list(_PATTERN.finditer(english))
    words = re.findall(r"[a-z]+", english.lower())
    content = [w for w in words if w not in _FUNCTION_WORDS]
    covered = sum(len(re.findall(r"[a-z]+", m.group(1).lower())) for m in matches)
    share = min(1.0, covered / len(content)) if content else 0.0
    return " ".join(EN_TO_VI[m.group(1).lower()] for m in matches), share


_FUNCTION_WORDS = set(
    "the a an of in on for to is was were what which how much many does did do by at its from with as be "
    "that this it are s who whom when where why their there".split()
)
