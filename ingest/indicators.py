"""The indicators provincial socio-economic reports state, with the names people use for them.

A figure answers a question only when it is a figure of the indicator asked for: the import-export
target is not the FDI target, though both stand in the same list under the same heading. Reports and
questions name an indicator in many ways ("kim ngạch xuất, nhập khẩu", "tổng kim ngạch xuất nhập
khẩu", "import-export turnover"), so each canonical indicator carries its Vietnamese and English
names and synonyms. The list follows the national provincial statistical indicator system
(Hệ thống chỉ tiêu thống kê cấp tỉnh) for the indicators that conference conclusions and statistics
reports actually quote; indicators nobody states in our corpus (CPI, PCI) are listed too, so that a
question about them is understood and can be answered "not in the documents".

Matching runs on the accent-free, punctuation-free form, longest name first, so "kim ngạch xuất
khẩu" is the export indicator and "kim ngạch xuất, nhập khẩu" the trade one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hoidap.ingest.normalize import fold_for_match


@dataclass(frozen=True)
class Indicator:
    key: str
    name_vi: str
    name_en: str
    kind: str  # "growth" (a rate of change is the value itself), "rate" (a share), "amount", "count"
    names: tuple[str, ...]  # other names, Vietnamese or English


VOCABULARY: tuple[Indicator, ...] = (
    Indicator("grdp_growth", "tốc độ tăng trưởng kinh tế (GRDP)", "GRDP growth", "growth", (
        "tăng trưởng kinh tế", "kinh tế tăng trưởng", "tốc độ tăng trưởng GRDP", "tăng trưởng GRDP", "GRDP tăng",
        "tổng sản phẩm trên địa bàn", "tổng sản phẩm trong tỉnh", "GRDP", "kinh tế tăng", "tốc độ tăng trưởng",
        "tăng trưởng bình quân", "tốc độ tăng trưởng bình quân", "average growth", "economic growth",
        "GRDP growth rate", "growth rate", "economy grow", "economy grew", "gross regional domestic product")),
    Indicator("services_growth", "tăng trưởng khu vực dịch vụ", "services sector growth", "growth", (
        "khu vực dịch vụ", "ngành dịch vụ", "dịch vụ tăng", "dịch vụ tăng trưởng", "services sector", "service sector")),
    Indicator("industry_growth", "tăng trưởng ngành công nghiệp", "industry growth", "growth", (
        "ngành công nghiệp", "riêng công nghiệp", "khu vực công nghiệp", "industry sector", "industrial sector")),
    Indicator("construction_growth", "tăng trưởng khu vực công nghiệp - xây dựng", "industry and construction growth", "growth", (
        "công nghiệp - xây dựng", "công nghiệp và xây dựng", "khu vực công nghiệp - xây dựng", "industry and construction")),
    Indicator("agriculture_growth", "tăng trưởng khu vực nông, lâm, thủy sản", "agriculture sector growth", "growth", (
        "khu vực nông, lâm nghiệp", "khu vực nông, lâm, thủy sản", "nông, lâm nghiệp", "nông lâm thủy sản",
        "agriculture sector", "agricultural sector", "agriculture, forestry and fishery sector")),
    Indicator("grdp_per_capita", "GRDP bình quân đầu người", "GRDP per capita", "amount", (
        "GRDP bình quân đầu người", "GRDP bình quân", "bình quân đầu người", "per capita GRDP", "GRDP per capita")),
    Indicator("income_per_capita", "thu nhập bình quân đầu người", "income per capita", "amount", (
        "thu nhập bình quân đầu người", "thu nhập bình quân", "per capita income", "income per capita", "average income")),
    Indicator("grdp_size", "quy mô GRDP", "size of the economy (GRDP)", "amount", (
        "quy mô GRDP", "quy mô nền kinh tế", "quy mô kinh tế", "size of the economy", "GRDP size")),
    Indicator("iip", "chỉ số sản xuất công nghiệp (IIP)", "index of industrial production (IIP)", "growth", (
        "chỉ số sản xuất công nghiệp", "chỉ số sản xuất toàn ngành công nghiệp", "IIP", "index of industrial production",
        "industrial production index")),
    Indicator("industrial_output", "giá trị sản xuất công nghiệp", "industrial production value", "amount", (
        "giá trị sản xuất công nghiệp", "giá trị sản xuất ngành công nghiệp", "sản xuất công nghiệp",
        "industrial output", "industrial production value", "value of industrial production")),
    Indicator("agri_output", "giá trị sản xuất nông, lâm, thủy sản", "agriculture, forestry and fishery output", "amount", (
        "giá trị sản xuất nông lâm ngư nghiệp", "giá trị sản xuất nông lâm thủy sản", "giá trị sản xuất nông nghiệp",
        "giá trị sản xuất nông - lâm - ngư nghiệp", "agricultural output", "agricultural production value",
        "agriculture, forestry and fishery production value", "agriculture, forestry and fishery output",
        "agriculture forestry and fishery", "farm output")),
    Indicator("budget_revenue", "thu ngân sách nhà nước", "state budget revenue", "amount", (
        "tổng thu ngân sách nhà nước trên địa bàn", "tổng thu ngân sách nhà nước", "thu ngân sách nhà nước",
        "tổng thu ngân sách", "thu ngân sách", "thu NSNN", "tổng thu NSNN", "budget revenue", "state budget revenue",
        "budget collection", "revenue")),
    Indicator("trade_revenue", "thu ngân sách từ hoạt động xuất nhập khẩu", "revenue from import-export", "amount", (
        "thu từ hoạt động xuất nhập khẩu", "thu từ xuất nhập khẩu", "thu ngân sách từ hoạt động xuất nhập khẩu",
        "revenue from import-export", "revenue from import export activities", "revenue from import-export activities",
        "import-export revenue")),
    Indicator("social_insurance", "tỷ lệ lao động tham gia bảo hiểm xã hội", "social insurance coverage", "rate", (
        "bảo hiểm xã hội bắt buộc", "bảo hiểm xã hội", "social insurance")),
    Indicator("voluntary_social_insurance", "tỷ lệ người tham gia bảo hiểm xã hội tự nguyện",
              "voluntary social insurance coverage", "rate", (
        "bảo hiểm xã hội tự nguyện", "tham gia bảo hiểm xã hội tự nguyện", "voluntary social insurance")),
    Indicator("unemployment_insurance", "tỷ lệ lao động tham gia bảo hiểm thất nghiệp", "unemployment insurance coverage",
              "rate", ("tỷ lệ lao động tham gia bảo hiểm thất nghiệp", "lao động tham gia bảo hiểm thất nghiệp",
                       "bảo hiểm thất nghiệp", "unemployment insurance")),
    Indicator("domestic_revenue", "thu nội địa", "domestic revenue", "amount", ("thu nội địa", "domestic revenue")),
    Indicator("budget_spending", "chi ngân sách", "budget spending", "amount", (
        "chi ngân sách địa phương", "tổng chi ngân sách", "chi ngân sách", "budget spending", "budget expenditure",
        "public spending", "local budget spending", "local budget", "spend", "spent", "spending")),
    Indicator("trade", "tổng kim ngạch xuất nhập khẩu", "import-export turnover", "amount", (
        "kim ngạch xuất nhập khẩu", "tổng kim ngạch xuất nhập khẩu", "kim ngạch xuất khẩu nhập khẩu",
        "xuất nhập khẩu", "xuất khẩu nhập khẩu", "import export", "import and export", "imports and exports",
        "exports and imports", "trade turnover", "total trade")),
    Indicator("export", "kim ngạch xuất khẩu", "export turnover", "amount", (
        "kim ngạch xuất khẩu hàng hóa", "kim ngạch xuất khẩu", "giá trị xuất khẩu", "xuất khẩu", "exports", "export",
        "export turnover", "export value")),
    Indicator("import", "kim ngạch nhập khẩu", "import turnover", "amount", (
        "kim ngạch nhập khẩu", "nhập khẩu", "imports", "import turnover")),
    Indicator("fdi", "thu hút vốn đầu tư trực tiếp nước ngoài (FDI)", "FDI attracted", "amount", (
        "vốn đầu tư trực tiếp nước ngoài", "đầu tư trực tiếp nước ngoài", "thu hút vốn FDI", "vốn FDI", "dự án FDI",
        "FDI", "foreign direct investment", "foreign investment")),
    Indicator("ddi", "vốn đầu tư trong nước (DDI)", "domestic investment (DDI)", "amount", (
        "đầu tư trong nước", "vốn DDI", "DDI", "domestic investment")),
    Indicator("social_investment", "tổng vốn đầu tư phát triển toàn xã hội", "total social investment", "amount", (
        "vốn đầu tư phát triển toàn xã hội", "vốn đầu tư toàn xã hội", "đầu tư phát triển toàn xã hội",
        "social investment", "total development investment", "total investment", "social development investment",
        "development investment")),
    Indicator("public_investment", "giải ngân vốn đầu tư công", "public investment disbursement", "amount", (
        "giải ngân vốn đầu tư công", "giải ngân kế hoạch vốn đầu tư công", "vốn đầu tư công", "đầu tư công",
        "giải ngân", "public investment", "disbursement", "disbursed")),
    Indicator("retail", "tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "retail sales of goods and services", "amount", (
        "tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "doanh thu bán lẻ hàng hóa và dịch vụ",
        "tổng mức lưu chuyển hàng hóa bán lẻ", "lưu chuyển hàng hóa bán lẻ", "tổng mức bán lẻ", "doanh thu bán lẻ",
        "bán lẻ", "retail sales", "retail", "consumer service revenue")),
    Indicator("registered_capital", "vốn đăng ký của doanh nghiệp thành lập mới", "registered capital of new enterprises", "amount", (
        "vốn đăng ký", "số vốn đăng ký", "tổng số vốn", "tổng vốn đăng ký", "tổng vốn của các doanh nghiệp",
        "vốn của các doanh nghiệp", "registered capital", "capital of new enterprises")),
    Indicator("new_enterprises", "số doanh nghiệp thành lập mới", "newly established enterprises", "count", (
        "doanh nghiệp thành lập mới", "thành lập mới", "doanh nghiệp mới", "new enterprises", "new businesses",
        "newly established enterprises", "new companies", "businesses registered", "enterprises established")),
    Indicator("cpi", "chỉ số giá tiêu dùng (CPI)", "consumer price index (CPI)", "growth", (
        "chỉ số giá tiêu dùng", "CPI", "consumer price index", "consumer prices", "inflation", "lạm phát")),
    Indicator("digital_economy", "tỷ trọng kinh tế số trong GRDP", "digital economy share of GRDP", "rate", (
        "tỷ trọng kinh tế số", "kinh tế số", "digital economy")),
    Indicator("pci", "chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "provincial competitiveness index (PCI)", "rate", (
        "chỉ số năng lực cạnh tranh cấp tỉnh", "năng lực cạnh tranh", "PCI", "competitiveness index",
        "provincial competitiveness")),
    Indicator("par_index", "chỉ số cải cách hành chính (PAR Index)", "PAR Index", "rate", (
        "chỉ số cải cách hành chính", "PAR index", "administrative reform index")),
    Indicator("papi", "chỉ số PAPI", "PAPI", "rate", ("PAPI", "chỉ số hiệu quả quản trị và hành chính công")),
    Indicator("sipas", "chỉ số hài lòng (SIPAS)", "satisfaction index (SIPAS)", "rate", ("SIPAS", "chỉ số hài lòng")),
    Indicator("urbanization", "tỷ lệ đô thị hóa", "urbanization rate", "rate", (
        "tỷ lệ đô thị hóa", "đô thị hóa", "urbanization", "urbanisation")),
    Indicator("rice_area", "diện tích gieo cấy lúa", "rice planting area", "amount", (
        "diện tích gieo cấy lúa", "diện tích gieo trồng lúa", "diện tích lúa", "diện tích cấy lúa", "cấy lúa",
        "rice planting area", "rice area")),
    Indicator("rice_output", "sản lượng lúa", "rice output", "amount", ("sản lượng lúa", "rice output", "rice production")),
    Indicator("maize_area", "diện tích ngô", "maize planting area", "amount", (
        "diện tích trồng ngô", "diện tích ngô", "trồng ngô", "maize", "corn")),
    Indicator("food_output", "sản lượng lương thực có hạt", "grain output", "amount", (
        "sản lượng lương thực có hạt", "sản lượng lương thực", "lương thực", "grain output", "food grain output",
        "cereal output", "food output")),
    Indicator("forest_planting", "diện tích rừng trồng mới", "new forest planting", "amount", (
        "diện tích rừng trồng mới", "rừng trồng mới", "trồng rừng", "new forest", "afforestation")),
    Indicator("forest_cover", "tỷ lệ che phủ rừng", "forest cover rate", "rate", (
        "tỷ lệ che phủ rừng", "độ che phủ rừng", "che phủ rừng", "forest cover", "forest coverage")),
    Indicator("livestock", "tổng đàn gia súc, gia cầm", "livestock herd", "count", (
        "tổng đàn gia súc", "đàn gia súc", "gia súc gia cầm", "livestock")),
    Indicator("ntm_communes", "số xã đạt chuẩn nông thôn mới", "communes meeting new rural standards", "count", (
        "đạt chuẩn nông thôn mới", "xã đạt chuẩn nông thôn mới", "nông thôn mới", "new rural", "new-rural",
        "rural standards")),
    Indicator("ocop", "sản phẩm OCOP", "OCOP products", "count", ("OCOP", "mỗi xã một sản phẩm", "one commune one product")),
    Indicator("trained_labour", "tỷ lệ lao động qua đào tạo", "trained labour rate", "rate", (
        "tỷ lệ lao động qua đào tạo", "lao động qua đào tạo", "trained workers", "trained labour", "trained labor")),
    Indicator("jobs", "số lao động được giải quyết việc làm", "jobs created", "count", (
        "giải quyết việc làm", "tạo việc làm", "việc làm mới", "jobs created", "new jobs")),
    Indicator("unemployment", "tỷ lệ thất nghiệp", "unemployment rate", "rate", (
        "tỷ lệ thất nghiệp", "thất nghiệp", "unemployment")),
    Indicator("poverty", "tỷ lệ hộ nghèo", "poverty rate", "rate", (
        "tỷ lệ hộ nghèo", "hộ nghèo", "giảm nghèo", "poverty", "poor households")),
    Indicator("health_insurance", "tỷ lệ bao phủ bảo hiểm y tế", "health insurance coverage", "rate", (
        "tỷ lệ dân số tham gia bảo hiểm y tế", "dân số tham gia bảo hiểm y tế", "tỷ lệ bao phủ bảo hiểm y tế", "bảo hiểm y tế",
        "health insurance", "population with health insurance", "population covered by health insurance")),
    Indicator("hospital_beds", "số giường bệnh trên vạn dân", "hospital beds per 10,000 people", "count", (
        "giường bệnh", "hospital beds")),
    Indicator("doctors", "số bác sĩ trên vạn dân", "doctors per 10,000 people", "count", ("bác sĩ", "doctors")),
    Indicator("standard_schools", "tỷ lệ trường đạt chuẩn quốc gia", "schools meeting national standards", "rate", (
        "trường đạt chuẩn quốc gia", "trường học đạt chuẩn", "đạt chuẩn quốc gia", "national standard schools",
        "schools meeting national standards", "schools met national standards", "schools meet national standards",
        "schools that meet national standards", "standard schools")),
    Indicator("tourists", "số lượt khách du lịch", "tourist arrivals", "count", (
        "lượt khách du lịch", "khách du lịch", "đón khách", "lượt khách", "tourist arrivals", "tourists", "visitors", "tourist visits")),
    Indicator("tourism_revenue", "tổng thu từ du lịch", "tourism revenue", "amount", (
        "tổng thu từ du lịch", "doanh thu du lịch", "thu từ du lịch", "tourism revenue")),
    Indicator("life_expectancy", "tuổi thọ bình quân", "life expectancy", "count", (
        "tuổi thọ bình quân", "tuổi thọ trung bình", "tuổi thọ", "life expectancy")),
    Indicator("fishery_output", "sản lượng thủy sản", "fishery output", "amount", (
        "sản lượng thủy sản", "sản lượng nuôi trồng và khai thác thủy sản", "aquatic product output", "aquatic output",
        "fishery output", "fisheries output", "seafood output")),
    Indicator("population", "dân số trung bình", "population", "count", ("dân số trung bình", "dân số", "population")),
    Indicator("electricity", "sản lượng điện", "electricity output", "amount", (
        "sản lượng điện", "điện sản xuất", "điện thương phẩm", "electricity")),
    Indicator("party_members", "số đảng viên mới kết nạp", "new party members admitted", "count", (
        "kết nạp đảng viên", "đảng viên mới", "kết nạp", "party members")),
    Indicator("clean_water", "tỷ lệ dân số được sử dụng nước sạch", "clean water coverage", "rate", (
        "dân số được sử dụng nước sạch", "nước sạch", "nước hợp vệ sinh", "clean water", "population with clean water",
        "population using clean water")),
    Indicator("waste_collection", "tỷ lệ thu gom, xử lý rác thải", "waste collection rate", "rate", (
        "rác thải", "chất thải rắn", "thu gom", "waste")),
    Indicator("livestock_relocation", "tỷ lệ hộ di dời chuồng gia súc ra khỏi gầm sàn", "livestock pens moved out", "rate", (
        "di dời chuồng gia súc", "chuồng gia súc")),
    Indicator("projects", "số dự án đầu tư", "investment projects", "count", ("dự án đầu tư", "investment projects")),
)
_BY_KEY = {ind.key: ind for ind in VOCABULARY}


def matchable(text: str) -> str:
    """Accent-free, lower case, punctuation as spaces: "Xuất, nhập khẩu" -> "xuat nhap khau"."""
    return " ".join(re.findall(r"[a-z0-9]+", fold_for_match(text)))


@functools.lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    owner: dict[str, str] = {}
    for ind in VOCABULARY:
        for name in (ind.name_vi, ind.name_en, *ind.names):
            owner.setdefault(matchable(name), ind.key)
    names = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(n) for n in names) + r")(?![a-z0-9])")
    return pattern, owner


@dataclass(frozen=True)
class IndicatorMention:
    key: str
    start: int  # offsets in the matchable form of the text
    end: int


def indicator_mentions(text: str) -> list[IndicatorMention]:
    """The indicators a text names, leftmost-longest, in order (offsets in ``matchable(text)``)."""
    pattern, owner = _matcher()
    return [IndicatorMention(owner[m.group(1)], m.start(), m.end()) for m in pattern.finditer(matchable(text))]


# "Kinh tế quý I/2022 tăng 4,02%", "Kinh tế Bắc Kạn quý I tăng bao nhiêu?": the economy's growth, named
# with words too common to list as a name (accent-free form).
ECONOMY_GREW = re.compile(r"\bkinh te\b[^;,:?]{0,40}?\btang(?: truong)?\b|\beconomy\b[^;,:?]{0,40}?\bgr[eo]w")


def indicators_in(text: str) -> list[str]:
    """Keys of the indicators a text names, once each, in order."""
    found = list(dict.fromkeys(m.key for m in indicator_mentions(text)))
    if not found and ECONOMY_GREW.search(matchable(text)):
        found = ["grdp_growth"]
    return found


def indicator(key: str) -> Indicator | None:
    return _BY_KEY.get(key)


def indicator_name(key: str, lang: str = "vi") -> str:
    ind = _BY_KEY.get(key)
    if ind is None:
        return key
    return ind.name_vi if lang == "vi" else ind.name_en
