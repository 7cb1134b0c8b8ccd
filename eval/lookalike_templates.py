"""Wording tables for the look-alike reports: indicators, question templates, political filler, page leftovers.

Kept apart from the generator's logic so the Vietnamese can be read and extended on its own. The
wording is modelled on real provincial conference conclusions (see ``data/samples``): every province
files the same sentences with different figures, which is exactly what makes them hard to tell apart.

Placeholders (filled by :mod:`eval.lookalike`):
  {v}        the indicator's figure with its unit ("30.372 tỷ đồng", "7,39%", "95/139 xã")
  {pct}      a plain share of plan/estimate ("99,4%"), {grow} a plain growth rate ("10,2%")
  {n}        a plain count, {sub} a plain part of {v} in the same unit, {capital} a plain amount in tỷ đồng
  {yield_}   a plain yield in tạ/ha, {more} a plain number of communes added
  {Y}        the report's year, {Y1} the target year, {scope} "toàn tỉnh"/"toàn thành phố"
  {tinh}     "tỉnh"/"thành phố" (never the name), {tinh_ten} the name where the document may name it
  {uy}       "Tỉnh ủy"/"Thành ủy", {motto} a yearly motto
Figures written in filler never carry an indicator unit, so they can never be mistaken for an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- indicators -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One reported indicator: how its value behaves, how reports word it, how people ask about it."""

    key: str
    unit: str  # written after the figure; "%" is attached ("7,39%"), others after a space
    model: str  # "amount" (follows economy size), "farm" (follows farmland), "rate", "growth", "communes"
    group: str  # results paragraph: "economy", "investment", "agriculture", "society", "party"
    result_phrases: tuple[str, ...]  # clauses of a results paragraph (lower-case start)
    target_phrases: tuple[str, ...] = ()  # items of the targets list (upper-case start); empty: no target
    names_vi: tuple[str, ...] = ()  # how a question names it, lower-case
    names_en: tuple[str, ...] = ()
    base: float = 0.0  # amount/farm: value for a scale-1 province in the first year
    exponent: float = 1.0  # how strongly an amount follows the province's economy size
    low: float = 0.0  # rate/growth: range of first-year values
    high: float = 0.0
    trend: float = 0.0  # rate: change per year (negative: falls, e.g. poverty)
    floor: float = 0.0  # rate: bounds a rate never crosses
    ceiling: float = 100.0
    derived_from: str = ""  # value = that indicator's value × share (exports of trade, grain of rice area)
    share: tuple[float, float] = (1.0, 1.0)
    in_periods: bool = False  # also reported in quarterly / half-year reports
    questions: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (lang, kind) -> extra templates

    @property
    def has_target(self) -> bool:
        return bool(self.target_phrases)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="grdp_growth",
        unit="%",
        model="growth",
        group="economy",
        low=2.5,
        high=10.5,
        result_phrases=(
            "tốc độ tăng trưởng kinh tế (GRDP) ước đạt {v}",
            "tổng sản phẩm trên địa bàn (GRDP) tăng {v} so với năm trước",
            "kinh tế tăng trưởng khá, tốc độ tăng trưởng GRDP đạt {v}",
        ),
        target_phrases=(
            "Tốc độ tăng trưởng kinh tế (GRDP) đạt {v}",
            "Tổng sản phẩm trên địa bàn (GRDP) tăng {v} so với năm {Y}",
        ),
        names_vi=("tốc độ tăng trưởng kinh tế (GRDP)", "tăng trưởng GRDP", "tốc độ tăng trưởng GRDP"),
        names_en=("GRDP growth rate", "economic growth rate", "GRDP growth"),
        in_periods=True,
        questions={
            ("vi", "result"): ("Kinh tế {P} năm {Y} tăng trưởng bao nhiêu phần trăm?",),
            ("en", "result"): ("How fast did {P}'s economy grow in {Y}?",),
        },
    ),
    Indicator(
        key="grdp_per_capita",
        unit="triệu đồng",
        model="amount",
        group="economy",
        base=62.0,
        exponent=0.3,
        result_phrases=("GRDP bình quân đầu người ước đạt {v}", "GRDP bình quân đầu người đạt {v}, tăng {grow}"),
        target_phrases=("GRDP bình quân đầu người đạt {v}", "GRDP bình quân đầu người {v}"),
        names_vi=("GRDP bình quân đầu người", "thu nhập GRDP bình quân đầu người"),
        names_en=("GRDP per capita", "per capita GRDP"),
    ),
    Indicator(
        key="budget_revenue",
        unit="tỷ đồng",
        model="amount",
        group="economy",
        base=9000.0,
        result_phrases=(
            "thu ngân sách nhà nước trên địa bàn ước đạt {v}, bằng {pct} dự toán",
            "tổng thu ngân sách nhà nước đạt {v}, tăng {grow} so với năm trước",
            "thu ngân sách ước đạt {v}; trong đó, thu nội địa {sub}",
        ),
        target_phrases=(
            "Tổng thu ngân sách nhà nước trên địa bàn {v}; trong đó, thu nội địa {sub}",
            "Thu ngân sách nhà nước đạt {v}",
            "Tổng thu ngân sách nhà nước phấn đấu đạt {v}",
        ),
        names_vi=("thu ngân sách nhà nước", "tổng thu ngân sách nhà nước trên địa bàn", "thu ngân sách"),
        names_en=("state budget revenue", "budget revenue", "total state budget revenue"),
        in_periods=True,
        questions={
            ("vi", "result"): (
                "{P} thu ngân sách được bao nhiêu trong năm {Y}?",
                "{P} đạt thu ngân sách bao nhiêu trong năm {Y}?",
            ),
            ("en", "result"): ("How much state budget revenue did {P} collect in {Y}?",),
            ("en", "target"): ("How much budget revenue does {P} plan to collect in {Y1}?",),
        },
    ),
    Indicator(
        key="import_export",
        unit="triệu USD",
        model="amount",
        group="economy",
        base=4200.0,
        exponent=1.2,
        result_phrases=(
            "tổng kim ngạch xuất, nhập khẩu đạt {v}, tăng {grow}",
            "kim ngạch xuất nhập khẩu ước đạt {v}",
        ),
        target_phrases=("Tổng kim ngạch xuất nhập khẩu {v}", "Tổng kim ngạch xuất, nhập khẩu đạt {v}"),
        names_vi=("tổng kim ngạch xuất nhập khẩu", "kim ngạch xuất, nhập khẩu"),
        names_en=("total import-export turnover", "import and export turnover", "total trade turnover"),
        in_periods=True,
    ),
    Indicator(
        key="export",
        unit="triệu USD",
        model="amount",
        group="economy",
        derived_from="import_export",
        share=(0.45, 0.7),
        result_phrases=("kim ngạch xuất khẩu hàng hóa đạt {v}", "riêng xuất khẩu ước đạt {v}, tăng {grow}"),
        target_phrases=("Kim ngạch xuất khẩu {v}", "Kim ngạch xuất khẩu hàng hóa đạt {v}"),
        names_vi=("kim ngạch xuất khẩu", "kim ngạch xuất khẩu hàng hóa"),
        names_en=("export turnover", "exports", "export value"),
        in_periods=True,
    ),
    Indicator(
        key="fdi",
        unit="triệu USD",
        model="amount",
        group="economy",
        base=260.0,
        exponent=1.3,
        result_phrases=(
            "cấp mới và điều chỉnh vốn {n} dự án FDI với tổng vốn thu hút {v}",
            "vốn đầu tư trực tiếp nước ngoài (FDI) thu hút đạt {v}",
        ),
        target_phrases=(
            "Thu hút vốn đầu tư trực tiếp nước ngoài (FDI) {v}",
            "Thu hút vốn FDI vào các khu công nghiệp {v}",
        ),
        names_vi=("vốn FDI thu hút", "vốn đầu tư trực tiếp nước ngoài (FDI)", "thu hút vốn FDI"),
        names_en=("FDI attracted", "foreign direct investment (FDI) inflow", "FDI inflow"),
    ),
    Indicator(
        key="retail",
        unit="tỷ đồng",
        model="amount",
        group="economy",
        base=42000.0,
        result_phrases=(
            "tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng đạt {v}, tăng {grow}",
            "doanh thu bán lẻ hàng hóa và dịch vụ ước đạt {v}",
        ),
        target_phrases=(
            "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng {v}",
            "Doanh thu bán lẻ hàng hóa và dịch vụ {v}",
        ),
        names_vi=("tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "doanh thu bán lẻ hàng hóa và dịch vụ"),
        names_en=("retail sales of goods and services", "total retail sales and consumer service revenue", "retail sales"),
        in_periods=True,
    ),
    Indicator(
        key="new_enterprises",
        unit="doanh nghiệp",
        model="amount",
        group="economy",
        base=1100.0,
        result_phrases=(
            "có {v} thành lập mới với tổng vốn đăng ký {capital}",
            "thành lập mới {v}, tăng {grow} so với năm trước",
        ),
        target_phrases=("Thành lập mới {v}", "Phấn đấu thành lập mới {v}"),
        names_vi=("số doanh nghiệp thành lập mới", "doanh nghiệp thành lập mới"),
        names_en=("newly established enterprises", "new businesses registered", "number of new enterprises"),
        in_periods=True,
        questions={
            ("vi", "result"): ("Năm {Y}, {P} có bao nhiêu doanh nghiệp thành lập mới?",),
            ("en", "result"): ("How many new enterprises were set up in {P} in {Y}?",),
        },
    ),
    Indicator(
        key="social_investment",
        unit="tỷ đồng",
        model="amount",
        group="investment",
        base=36000.0,
        result_phrases=(
            "tổng vốn đầu tư phát triển toàn xã hội ước đạt {v}",
            "huy động vốn đầu tư phát triển toàn xã hội đạt {v}, tăng {grow}",
        ),
        target_phrases=("Tổng vốn đầu tư phát triển toàn xã hội {v}", "Huy động vốn đầu tư phát triển toàn xã hội đạt {v}"),
        names_vi=("tổng vốn đầu tư phát triển toàn xã hội", "vốn đầu tư phát triển toàn xã hội"),
        names_en=("total social investment", "total development investment"),
    ),
    Indicator(
        key="public_investment",
        unit="tỷ đồng",
        model="amount",
        group="investment",
        base=4500.0,
        exponent=0.8,
        result_phrases=(
            "giải ngân vốn đầu tư công đạt {v}, bằng {pct} kế hoạch",
            "tổng vốn đầu tư công đã giải ngân {v}",
        ),
        names_vi=("giải ngân vốn đầu tư công", "vốn đầu tư công đã giải ngân"),
        names_en=("public investment disbursement", "disbursed public investment"),
        in_periods=True,
    ),
    Indicator(
        key="urbanization",
        unit="%",
        model="rate",
        group="investment",
        low=22.0,
        high=72.0,
        trend=1.1,
        floor=15.0,
        ceiling=92.0,
        result_phrases=("tỷ lệ đô thị hóa đạt {v}", "tỷ lệ đô thị hóa ước đạt {v}"),
        target_phrases=("Tỷ lệ đô thị hóa đạt {v}", "Tỷ lệ đô thị hóa {v}"),
        names_vi=("tỷ lệ đô thị hóa",),
        names_en=("urbanization rate", "urbanisation rate"),
    ),
    Indicator(
        key="rice_area",
        unit="ha",
        model="farm",
        group="agriculture",
        base=56000.0,
        result_phrases=(
            "diện tích gieo cấy lúa cả năm đạt {v}, năng suất bình quân {yield_}",
            "tổng diện tích lúa {v}",
        ),
        target_phrases=("Diện tích gieo trồng lúa {v}", "Diện tích gieo cấy lúa đạt {v}"),
        names_vi=("diện tích gieo cấy lúa", "diện tích lúa"),
        names_en=("rice planting area", "rice area"),
        in_periods=True,
    ),
    Indicator(
        key="maize_area",
        unit="ha",
        model="farm",
        group="agriculture",
        base=9500.0,
        result_phrases=("trồng {v} ngô", "diện tích ngô đạt {v}"),
        names_vi=("diện tích ngô", "diện tích trồng ngô"),
        names_en=("maize planting area", "corn planting area"),
        in_periods=True,
    ),
    Indicator(
        key="food_output",
        unit="tấn",
        model="farm",
        group="agriculture",
        derived_from="rice_area",
        share=(5.6, 7.2),
        result_phrases=("sản lượng lương thực có hạt đạt {v}", "tổng sản lượng lương thực ước đạt {v}"),
        target_phrases=("Sản lượng lương thực có hạt đạt {v}", "Tổng sản lượng lương thực {v}"),
        names_vi=("sản lượng lương thực có hạt", "sản lượng lương thực"),
        names_en=("grain output", "food grain output", "cereal output"),
    ),
    Indicator(
        key="ntm_communes",
        unit="xã",
        model="communes",
        group="agriculture",
        result_phrases=(
            "{scope} có {v} đạt chuẩn nông thôn mới",
            "lũy kế có {v} đạt chuẩn nông thôn mới",
        ),
        target_phrases=(
            "Có thêm {more} xã đạt chuẩn nông thôn mới, nâng tổng số lên {v}",
            "Số xã đạt chuẩn nông thôn mới lũy kế {v}",
        ),
        names_vi=("số xã đạt chuẩn nông thôn mới",),
        names_en=("number of communes meeting new rural standards", "new-rural-standard communes"),
        questions={
            ("vi", "result"): ("Đến hết năm {Y}, {P} có bao nhiêu xã đạt chuẩn nông thôn mới?",),
            ("en", "result"): ("How many communes in {P} met the new rural standards by the end of {Y}?",),
            ("en", "target"): ("How many communes of {P} should meet the new rural standards in {Y1}?",),
        },
    ),
    Indicator(
        key="forest_cover",
        unit="%",
        model="rate",
        group="agriculture",
        low=16.0,
        high=68.0,
        trend=0.3,
        floor=5.0,
        ceiling=75.0,
        result_phrases=("tỷ lệ che phủ rừng đạt {v}",),
        target_phrases=("Tỷ lệ che phủ rừng đạt {v}", "Duy trì tỷ lệ che phủ rừng {v}"),
        names_vi=("tỷ lệ che phủ rừng",),
        names_en=("forest cover rate", "forest coverage"),
    ),
    Indicator(
        key="trained_labour",
        unit="%",
        model="rate",
        group="society",
        low=55.0,
        high=82.0,
        trend=1.4,
        floor=40.0,
        ceiling=92.0,
        result_phrases=("tỷ lệ lao động qua đào tạo đạt {v}", "tỷ lệ lao động qua đào tạo ước đạt {v}"),
        target_phrases=("Tỷ lệ lao động qua đào tạo {v}", "Tỷ lệ lao động qua đào tạo đạt {v}"),
        names_vi=("tỷ lệ lao động qua đào tạo",),
        names_en=("share of trained workers", "trained labour rate"),
    ),
    Indicator(
        key="poverty",
        unit="%",
        model="rate",
        group="society",
        low=0.8,
        high=9.5,
        trend=-0.6,
        floor=0.2,
        ceiling=30.0,
        result_phrases=("tỷ lệ hộ nghèo giảm còn {v}", "tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều còn {v}"),
        names_vi=("tỷ lệ hộ nghèo",),
        names_en=("poverty rate", "household poverty rate", "share of poor households"),
    ),
    Indicator(
        key="unemployment",
        unit="%",
        model="rate",
        group="society",
        low=1.6,
        high=4.0,
        trend=-0.05,
        floor=1.0,
        ceiling=6.0,
        result_phrases=(),
        target_phrases=(
            "Tỷ lệ thất nghiệp ở khu vực thành thị duy trì {v}",
            "Tỷ lệ thất nghiệp ở khu vực thành thị dưới {v}",
        ),
        names_vi=("tỷ lệ thất nghiệp ở khu vực thành thị", "tỷ lệ thất nghiệp thành thị"),
        names_en=("urban unemployment rate",),
    ),
    Indicator(
        key="health_insurance",
        unit="%",
        model="rate",
        group="society",
        low=86.0,
        high=96.5,
        trend=0.8,
        floor=80.0,
        ceiling=99.6,
        result_phrases=(
            "tỷ lệ dân số tham gia bảo hiểm y tế đạt {v}",
            "tỷ lệ bao phủ bảo hiểm y tế đạt {v} dân số",
        ),
        target_phrases=("Tỷ lệ dân số tham gia bảo hiểm y tế {v}", "Tỷ lệ bao phủ bảo hiểm y tế đạt {v}"),
        names_vi=("tỷ lệ dân số tham gia bảo hiểm y tế", "tỷ lệ bao phủ bảo hiểm y tế"),
        names_en=("health insurance coverage", "share of the population with health insurance"),
    ),
    Indicator(
        key="tourists",
        unit="lượt khách",
        model="amount",
        group="society",
        base=2600000.0,
        exponent=0.9,
        result_phrases=(
            "đón {v} du lịch, tổng thu từ du lịch đạt {capital}",
            "ngành du lịch đón {v}, tăng {grow}",
        ),
        target_phrases=("Đón {v} du lịch", "Thu hút {v} du lịch"),
        names_vi=("lượt khách du lịch", "số lượt khách du lịch"),
        names_en=("tourist arrivals", "number of tourist visits"),
        in_periods=True,
        questions={
            ("vi", "result"): ("Năm {Y}, {P} đón bao nhiêu lượt khách du lịch?",),
            ("en", "result"): ("How many tourist arrivals did {P} welcome in {Y}?",),
        },
    ),
    Indicator(
        key="party_members",
        unit="đảng viên",
        model="amount",
        group="party",
        base=1400.0,
        exponent=0.45,
        result_phrases=("kết nạp {v} mới", "toàn Đảng bộ kết nạp được {v} mới"),
        target_phrases=("Kết nạp {v} mới trở lên", "Phấn đấu kết nạp {v} mới"),
        names_vi=("số đảng viên mới được kết nạp", "đảng viên mới kết nạp"),
        names_en=("new party members admitted", "new Party members"),
        questions={
            ("vi", "result"): ("Năm {Y}, Đảng bộ {P} kết nạp bao nhiêu đảng viên mới?",),
            ("en", "result"): ("How many new party members did {P} admit in {Y}?",),
        },
    ),
)

# Budget revenue in a report that also writes the year's plan (dự toán): {v} the result, {plan} the plan,
# {pct} the result's share of it. Questions on the plan must not be answered with the result.
BUDGET_PLAN_PHRASES: tuple[str, ...] = (
    "thu ngân sách nhà nước trên địa bàn ước đạt {v}, bằng {pct} dự toán ({plan})",
    "tổng thu ngân sách nhà nước ước đạt {v}, bằng {pct} dự toán năm là {plan}",
    "dự toán thu ngân sách nhà nước giao {plan}, ước thực hiện cả năm đạt {v}, bằng {pct} dự toán",
)
# ... and in one that gives only the share: the plan's amount is stated nowhere.
BUDGET_SHARE_PHRASES: tuple[str, ...] = (
    "thu ngân sách nhà nước trên địa bàn ước đạt {v}, bằng {pct} dự toán",
    "tổng thu ngân sách nhà nước ước đạt {v}, bằng {pct} dự toán giao đầu năm",
)
BUDGET_PLAN_NAMES: dict[str, tuple[str, ...]] = {
    "vi": ("dự toán thu ngân sách nhà nước", "dự toán thu ngân sách", "dự toán thu ngân sách nhà nước trên địa bàn"),
    "en": ("state budget revenue estimate (dự toán)", "planned state budget revenue", "budget revenue plan"),
}
BUDGET_PLAN_QUESTIONS: dict[str, tuple[str, ...]] = {
    "vi": (
        "{Name} năm {Y} của {P} là bao nhiêu?",
        "Năm {Y}, {name} của {P} được giao bao nhiêu?",
        "Cho biết {name} năm {Y} của {P}.",
    ),
    "en": (
        "What was {Pn}'s {Y} {name}?",
        "What was the {name} of {P} for {Y}?",
        "{P} {name} in {Y}",
    ),
}

# Results paragraphs: their lead-in, then the clauses of their indicators.
GROUP_LEADS: dict[str, tuple[str, ...]] = {
    "economy": (
        "Kinh tế tiếp tục phục hồi và tăng trưởng khá",
        "Các chỉ tiêu kinh tế chủ yếu cơ bản đạt và vượt kế hoạch",
        "Kinh tế duy trì đà tăng trưởng, quy mô nền kinh tế tiếp tục được mở rộng",
    ),
    "investment": (
        "Công tác quy hoạch, phát triển đô thị, đầu tư xây dựng kết cấu hạ tầng được tập trung chỉ đạo, có chuyển biến tích cực",
        "Huy động và sử dụng các nguồn lực cho đầu tư phát triển đạt kết quả quan trọng",
    ),
    "agriculture": (
        "Sản xuất nông nghiệp cơ bản ổn định, chương trình mục tiêu quốc gia xây dựng nông thôn mới tiếp tục được quan tâm",
        "Sản xuất nông, lâm nghiệp và thủy sản phát triển ổn định",
    ),
    "society": (
        "Các lĩnh vực văn hóa, xã hội, giáo dục, y tế, lao động, việc làm và an sinh xã hội được quan tâm, đạt nhiều kết quả tích cực",
        "Công tác an sinh xã hội, giảm nghèo, giải quyết việc làm được thực hiện đồng bộ, hiệu quả",
    ),
    "party": (
        "Công tác xây dựng Đảng, chính quyền và hệ thống chính trị đạt kết quả tích cực",
        "Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị được chú trọng",
    ),
}

# Plain clauses (no answer units) that sit among the indicator clauses.
GROUP_EXTRAS: dict[str, tuple[str, ...]] = {
    "economy": (
        "chỉ số sản xuất công nghiệp (IIP) tăng {grow}",
        "công tác xúc tiến, thu hút đầu tư đạt kết quả tích cực",
        "hoạt động thương mại, dịch vụ sôi động trở lại",
    ),
    "investment": (
        "Quy hoạch {tinh_ten} thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 được Thủ tướng Chính phủ phê duyệt",
        "nhiều công trình, dự án trọng điểm được khởi công, hoàn thành đưa vào sử dụng",
        "công tác quản lý đất đai, tài nguyên, môi trường có chuyển biến tích cực",
    ),
    "agriculture": (
        "có thêm nhiều sản phẩm đạt chuẩn OCOP",
        "công tác phòng, chống thiên tai, dịch bệnh trên cây trồng, vật nuôi được chủ động triển khai",
    ),
    "society": (
        "tỷ lệ thất nghiệp ở khu vực thành thị khoảng {small_pct}",
        "giáo dục mũi nhọn đạt kết quả cao",
        "các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời",
    ),
    "party": (
        "công tác kiểm tra, giám sát và thi hành kỷ luật đảng được tăng cường",
        "hoạt động của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội được đổi mới, hướng mạnh về cơ sở",
    ),
}

# --- questions --------------------------------------------------------------------------------------

QUESTION_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("vi", "result"): (
        "{Name} năm {Y} của {P} đạt bao nhiêu?",
        "Năm {Y}, {name} của {P} là bao nhiêu?",
        "Cho biết {name} của {P} năm {Y}.",
        "{Name} của {P} trong năm {Y} là bao nhiêu?",
        "Kết quả {name} năm {Y} của {P} là bao nhiêu?",
    ),
    ("vi", "target"): (
        "Mục tiêu {name} năm {Y1} của {P} là bao nhiêu?",
        "Chỉ tiêu {name} năm {Y1} của {P}?",
        "Năm {Y1}, {P} đặt chỉ tiêu {name} là bao nhiêu?",
        "{P} đề ra mục tiêu {name} năm {Y1} là bao nhiêu?",
    ),
    ("en", "result"): (
        "What was {Pn}'s {Y} {name}?",
        "What was the {name} of {P} in {Y}?",
        "{P} {name} in {Y}",
        "What figure did {P} report for {name} in {Y}?",
    ),
    ("en", "target"): (
        "{Pn}'s {Y1} target for {name}",
        "What is {Pn}'s {name} target for {Y1}?",
        "What target did {P} set for {name} in {Y1}?",
        "What is the {Y1} target of {P} for {name}?",
    ),
}

# Questions about a part of the year; {period} is a form of the period with its year.
PERIOD_QUESTION_TEMPLATES: dict[str, tuple[str, ...]] = {
    "vi": (
        "{Name} {period} của {P} đạt bao nhiêu?",
        "{Period}, {name} của {P} là bao nhiêu?",
        "Cho biết {name} của {P} {period}.",
        "{Name} của {P} trong {period} ước đạt bao nhiêu?",
        "Trong {period}, {name} của {P} là bao nhiêu?",
    ),
    "en": (
        "What was {Pn}'s {name} in {period}?",
        "What was the {name} of {P} in {period}?",
        "{P} {name} in {period}",
        "What figure did {P} report for {name} in {period}?",
    ),
}


@dataclass(frozen=True)
class AskedIndicator:
    """An indicator people ask about that no look-alike report ever states (its questions must be abstained on)."""

    key: str
    names_vi: tuple[str, ...]
    names_en: tuple[str, ...]
    periodic: bool = True  # also asked about a part of the year (CPI, harvests); else only about a whole year
    questions: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


# No template above states these (tests scan the corpus for every name): forest cover, tourist arrivals and
# the urban unemployment rate are stated indicators, so fishery output, life expectancy and clean water stand in.
QUESTION_ONLY_INDICATORS: tuple[AskedIndicator, ...] = (
    AskedIndicator("cpi", ("chỉ số giá tiêu dùng (CPI)", "chỉ số giá tiêu dùng bình quân"),
                   ("consumer price index (CPI)", "average CPI", "consumer price index")),
    AskedIndicator("pci", ("chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "điểm PCI"),
                   ("provincial competitiveness index (PCI)", "PCI score"), periodic=False),
    AskedIndicator("rice_output", ("sản lượng lúa", "tổng sản lượng lúa"), ("rice output", "rice production")),
    AskedIndicator("population", ("dân số trung bình", "quy mô dân số trung bình"), ("average population", "mid-year population"), periodic=False),
    AskedIndicator("fishery_output", ("sản lượng thủy sản", "tổng sản lượng thủy sản nuôi trồng và khai thác"),
                   ("fishery output", "aquatic product output")),
    AskedIndicator("life_expectancy", ("tuổi thọ trung bình", "tuổi thọ bình quân của người dân"),
                   ("average life expectancy", "life expectancy"), periodic=False),
    AskedIndicator("clean_water", ("tỷ lệ hộ dân sử dụng nước sạch", "tỷ lệ dân cư nông thôn dùng nước sạch"),
                   ("share of households using clean water", "rural clean water coverage"), periodic=False),
)

# English names people use that differ from the folded Vietnamese one.
ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    "Hà Nội": ("Hanoi", "Ha Noi"),
    "Hồ Chí Minh": ("Ho Chi Minh City",),
    "Huế": ("Thua Thien Hue",),
}
# Vietnamese question forms where the bare name would not do ("Hồ Chí Minh đề ra ..." reads as the person).
VIETNAMESE_NAMES: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "TP Hồ Chí Minh"),
}
# Names documents use that differ from the gazetteer's short name.
DOCUMENT_NAMES: dict[str, str] = {"Huế": "Thừa Thiên Huế"}
MUNICIPALITIES = frozenset({"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh"})

# --- annual conclusions -----------------------------------------------------------------------------

ANNUAL_TITLES: tuple[str, ...] = (
    "Kết luận Hội nghị lần thứ {n} Ban Chấp hành {dang_bo} khóa {khoa} về tình hình kinh tế - xã hội, "
    "quốc phòng - an ninh, công tác xây dựng Đảng và hệ thống chính trị năm {Y}; mục tiêu, nhiệm vụ và "
    "giải pháp chủ yếu năm {Y1}",
    "KẾT LUẬN\nHỘI NGHỊ LẦN THỨ {n}\nBAN CHẤP HÀNH {DANG_BO} KHÓA {khoa}\nVề tình hình thực hiện nhiệm vụ "
    "chính trị năm {Y};\nmục tiêu, nhiệm vụ, giải pháp chủ yếu năm {Y1}",
    "Kết luận Hội nghị Ban Chấp hành {dang_bo} lần thứ {n} về tình hình kinh tế - xã hội năm {Y}; mục tiêu, "
    "nhiệm vụ năm {Y1} (Thông tin sinh hoạt chi bộ trích đăng một số nội dung chính)",
    "Hội nghị Ban Chấp hành {dang_bo} lần thứ {n} (mở rộng): đánh giá kết quả năm {Y}, quyết định mục tiêu, "
    "nhiệm vụ năm {Y1}",
)

ANNUAL_INTROS: tuple[str, ...] = (
    "Ngày {date}, Ban Chấp hành {dang_bo_ten} khóa {khoa} tổ chức Hội nghị lần thứ {n} để đánh giá tình hình "
    "thực hiện nhiệm vụ năm {Y}, thảo luận, quyết định mục tiêu, nhiệm vụ và giải pháp chủ yếu năm {Y1}. "
    "Sau khi nghe các báo cáo của Ban Thường vụ {uy} và ý kiến thảo luận của các đại biểu, Hội nghị kết luận như sau:",
    "Trong {days} ngày, từ ngày {date}, Ban Chấp hành {dang_bo_ten} khóa {khoa} họp Hội nghị lần thứ {n}. "
    "Đồng chí {secretary}, Bí thư {uy} chủ trì Hội nghị. Trên cơ sở thảo luận, Hội nghị thống nhất kết luận:",
    "Chiều {date}, Ban Chấp hành {dang_bo_ten} tổ chức Hội nghị lần thứ {n} (mở rộng) đánh giá kết quả thực hiện "
    "nhiệm vụ chính trị năm {Y}, triển khai nhiệm vụ năm {Y1}. Hội nghị đã thảo luận và kết luận:",
)

RESULTS_HEADINGS: tuple[str, ...] = (
    "I. KẾT QUẢ NĂM {Y}",
    "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {Y}",
    "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ NĂM {Y}",
)

TARGETS_HEADINGS: tuple[str, ...] = (
    "II. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM {Y1}",
    "II. CHỦ ĐỀ, MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM {Y1}",
    "II. MỤC TIÊU, NHIỆM VỤ VÀ CÁC CHỈ TIÊU CHỦ YẾU NĂM {Y1}",
)

TARGET_LIST_LEADS: tuple[str, ...] = ("Một số chỉ tiêu chủ yếu", "Các chỉ tiêu chủ yếu", "Chỉ tiêu chủ yếu năm {Y1}")

TASKS_HEADINGS: tuple[str, ...] = (
    "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
    "III. NHỮNG NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM {Y1}",
)

MOTTOS: tuple[str, ...] = (
    "Tiếp tục đoàn kết - sáng tạo - kỷ cương - trách nhiệm; đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; "
    "phát triển kinh tế - xã hội bền vững",
    "Đoàn kết, kỷ cương, đổi mới, sáng tạo, tăng tốc phát triển",
    "Nâng cao hiệu lực, hiệu quả quản lý nhà nước; cải thiện mạnh mẽ môi trường đầu tư kinh doanh; "
    "phát triển kết cấu hạ tầng đồng bộ",
    "Tăng cường kỷ luật, kỷ cương; nâng cao đạo đức công vụ; tập trung tháo gỡ điểm nghẽn, thúc đẩy tăng trưởng",
    "Chủ động thích ứng, phục hồi nhanh, phát triển bền vững",
)

LEADERSHIP: tuple[str, ...] = (
    "Ban Thường vụ {uy}, Ban Chấp hành Đảng bộ {tinh} đã bám sát các chủ trương, nghị quyết, chỉ thị của Trung ương, "
    "kịp thời cụ thể hóa và tổ chức thực hiện nghiêm túc, linh hoạt, sáng tạo vào tình hình thực tiễn của địa phương; "
    "lãnh đạo, chỉ đạo hoàn thành toàn diện các nhiệm vụ chính trị đề ra.",
    "Năm {Y}, trong bối cảnh tình hình thế giới, trong nước có nhiều diễn biến phức tạp, khó lường, giá cả nguyên "
    "vật liệu đầu vào tăng cao, sản xuất, kinh doanh gặp nhiều khó khăn, song với quyết tâm cao, nỗ lực lớn của cả "
    "hệ thống chính trị, cộng đồng doanh nghiệp và Nhân dân, {tinh_ten} đã đạt được nhiều kết quả quan trọng, khá "
    "toàn diện trên các lĩnh vực.",
    "Triển khai thực hiện nghiêm túc, có hiệu quả chủ đề công tác năm {Y}: “{motto}”.",
    "Công tác lãnh đạo, chỉ đạo, điều hành của cấp ủy, chính quyền các cấp tiếp tục được đổi mới theo hướng quyết "
    "liệt, sát thực tiễn; phát huy tinh thần đoàn kết, thống nhất trong Ban Chấp hành, Ban Thường vụ {uy}.",
)

PARTY_BUILDING: tuple[str, ...] = (
    "Thực hiện nghiêm túc Nghị quyết Trung ương 4 khóa XII, XIII gắn với Chỉ thị số 05-CT/TW của Bộ Chính trị về "
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Công tác phòng, chống tham nhũng, tiêu cực được chỉ đạo quyết liệt, nhiều vụ việc phức tạp được phát hiện, "
    "xử lý nghiêm minh.",
    "Công tác tổ chức, cán bộ được thực hiện chặt chẽ, đúng quy trình; việc sắp xếp tổ chức bộ máy tinh gọn, hoạt "
    "động hiệu lực, hiệu quả tiếp tục được quan tâm.",
    "Công tác dân vận của cả hệ thống chính trị có nhiều đổi mới; phong trào thi đua “Dân vận khéo” được triển "
    "khai sâu rộng.",
    "Chuẩn bị tốt các điều kiện làm việc với các đoàn kiểm tra, giám sát của Trung ương.",
)

DEFENCE: tuple[str, ...] = (
    "Quốc phòng, an ninh được giữ vững; trật tự an toàn xã hội được bảo đảm; hoàn thành chỉ tiêu tuyển quân năm {Y}. "
    "Công tác đối ngoại tiếp tục được mở rộng, góp phần quảng bá hình ảnh, thu hút đầu tư vào {tinh_ten}.",
    "Công tác cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, chuyển đổi số tiếp tục được đẩy mạnh; "
    "dịch vụ công trực tuyến toàn trình được mở rộng. Tổ chức thành công diễn tập khu vực phòng thủ {tinh_ten}.",
    "Công tác tiếp công dân, giải quyết khiếu nại, tố cáo được quan tâm; nhiều vụ việc tồn đọng, kéo dài được giải "
    "quyết dứt điểm. Tình hình an ninh chính trị, trật tự an toàn xã hội cơ bản ổn định.",
)

LIMITATIONS_LEADS: tuple[str, ...] = (
    "* Bên cạnh những kết quả đạt được, còn một số mặt hạn chế: một số chỉ tiêu chưa đạt kế hoạch; công tác thu hồi "
    "đất, bồi thường, giải phóng mặt bằng còn chậm; giải ngân vốn đầu tư công chưa đạt yêu cầu. Trong đó, cần tập "
    "trung giải quyết những điểm nghẽn chủ yếu sau:",
    "* Tuy nhiên, vẫn còn những hạn chế, yếu kém cần sớm được khắc phục, cụ thể:",
)

LIMITATIONS: tuple[str, ...] = (
    "Có lúc, có nơi tổ chức đảng chưa phát huy đầy đủ vai trò lãnh đạo; tinh thần tự phê bình và phê bình chưa cao.",
    "Phương thức điều hành còn mang tính quy trình; tính kế hoạch chưa cao, khả năng dự báo còn hạn chế.",
    "Nguồn lực chi cho đầu tư phát triển còn thiếu, phân bổ chưa sát với nhu cầu, hiệu quả sử dụng chưa cao.",
    "Kết cấu hạ tầng chưa đầy đủ và đồng bộ; hạ tầng số tuy được quan tâm nhưng chưa đáp ứng yêu cầu.",
    "Việc quản lý, khai thác, sử dụng đất đai chưa hiệu quả; nhiệm vụ bảo vệ môi trường còn nhiều bất cập.",
    "Năng lực công nghệ của doanh nghiệp trong nước chưa cao; mức độ liên kết với khu vực FDI còn hạn chế.",
    "Chất lượng nguồn nhân lực chưa đáp ứng yêu cầu phát triển; năng suất lao động còn thấp.",
    "Việc giải quyết khiếu nại, tố cáo, nhất là những vụ việc kéo dài còn chậm.",
    "Tiến độ một số công trình, dự án trọng điểm chưa đạt yêu cầu; công tác giải phóng mặt bằng còn vướng mắc.",
    "Văn hóa tuy được gìn giữ, bảo tồn nhưng chưa thực sự trở thành động lực, nguồn lực cho phát triển.",
)

GENERAL_GOALS: tuple[str, ...] = (
    "Mục tiêu tổng quát: Tiếp tục xây dựng Đảng bộ và hệ thống chính trị trong sạch, vững mạnh; phát triển kinh tế "
    "nhanh, bền vững; nâng cao đời sống vật chất, tinh thần của Nhân dân; giữ vững quốc phòng, an ninh.",
    "Mục tiêu tổng quát: Huy động, sử dụng hiệu quả mọi nguồn lực cho phát triển; đẩy mạnh cải cách hành chính, "
    "chuyển đổi số; bảo đảm an sinh xã hội và phúc lợi xã hội.",
)

# Target-list items that carry no answer unit: hospital beds, party organisations, waste collection.
PLAIN_TARGETS: tuple[str, ...] = (
    "Số giường bệnh/1 vạn dân (không tính trạm y tế xã) đạt {beds} giường",
    "{org_pct}% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên; tỷ lệ đảng viên hoàn thành tốt nhiệm vụ đạt "
    "{org_pct}% trở lên",
    "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt {waste_pct}%",
    "Tỷ lệ khu công nghiệp đang hoạt động có hệ thống xử lý nước thải tập trung đạt tiêu chuẩn môi trường đạt 100%",
    "Số vụ ngộ độc thực phẩm trên 30 người mắc không quá 1 vụ; không có trường hợp tử vong do ngộ độc thực phẩm",
)

TASKS: tuple[str, ...] = (
    "Tiếp tục đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh; nâng cao năng lực "
    "lãnh đạo, sức chiến đấu của tổ chức đảng và chất lượng đội ngũ cán bộ, đảng viên.",
    "Tập trung tháo gỡ khó khăn, vướng mắc cho sản xuất, kinh doanh; đẩy nhanh tiến độ giải ngân vốn đầu tư công "
    "ngay từ đầu năm; quản lý chặt chẽ, sử dụng hiệu quả các nguồn thu ngân sách.",
    "Đẩy mạnh cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, nâng cao sức hấp dẫn của môi trường đầu tư; "
    "tích cực thu hút các dự án có hàm lượng công nghệ cao, thân thiện với môi trường.",
    "Phát triển kết cấu hạ tầng đồng bộ, hiện đại; đẩy nhanh tiến độ các công trình, dự án trọng điểm; nâng cao "
    "chất lượng công tác quy hoạch và quản lý đô thị.",
    "Tiếp tục cơ cấu lại ngành nông nghiệp theo hướng nâng cao giá trị gia tăng và phát triển bền vững; thực hiện "
    "hiệu quả chương trình xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu.",
    "Nâng cao chất lượng giáo dục và đào tạo, chăm sóc sức khỏe Nhân dân; thực hiện đầy đủ, kịp thời các chính "
    "sách an sinh xã hội; giảm nghèo bền vững.",
    "Quản lý chặt chẽ đất đai, tài nguyên, khoáng sản; xử lý nghiêm các vi phạm về bảo vệ môi trường; chủ động "
    "phòng, chống thiên tai, ứng phó với biến đổi khí hậu.",
    "Giữ vững quốc phòng, an ninh, bảo đảm trật tự an toàn xã hội; kiên quyết không để xảy ra “điểm nóng”; nâng "
    "cao hiệu quả công tác đối ngoại.",
    "Tăng cường công tác kiểm tra, giám sát và thi hành kỷ luật trong Đảng; đẩy mạnh phòng, chống tham nhũng, tiêu "
    "cực, lãng phí; thực hiện tốt công tác tiếp công dân, giải quyết khiếu nại, tố cáo.",
    "Đẩy mạnh chuyển đổi số trong các cơ quan đảng, chính quyền; phát triển chính quyền số, kinh tế số và xã hội số.",
    "Phát huy vai trò của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trong tập hợp, đoàn kết Nhân dân, "
    "giám sát và phản biện xã hội.",
    "Tiếp tục đổi mới phương thức lãnh đạo của Đảng; đề cao trách nhiệm nêu gương của người đứng đầu; kiên quyết "
    "thay thế cán bộ yếu kém về năng lực, né tránh, đùn đẩy trách nhiệm.",
)

SOURCES: tuple[str, ...] = (
    "Nguồn: Cuốn thông tin sinh hoạt chi bộ số {issue} năm {Y1}",
    "Ban Tuyên giáo {uy}",
    "Văn phòng {uy}",
)

# --- quarterly / half-year reports (distractors with the same wording and other figures) -------------

@dataclass(frozen=True)
class Period:
    """A part of the year a report covers, and the ways reports and questions write it."""

    code: str  # "q1".."q4" quarters, "h1" first half, "m9": the first 9 months (question meta, documents.jsonl)
    share: float  # length as a share of the year (plain amounts scale with it)
    end: float  # where it ends, as a share of the year (the report's date follows it)
    forms: tuple[str, ...]  # with the year: "quý I/{Y}", "6 tháng đầu năm {Y}"
    short: tuple[str, ...]  # without it, for body text once the title has given the year: "9 tháng đầu năm"
    english: tuple[str, ...]  # for English questions: "the first quarter of {Y}"


_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _months(m: int) -> Period:
    return Period(
        f"m{m}", m / 12, m / 12, (f"{m} tháng đầu năm {{Y}}", f"{m} tháng năm {{Y}}"), (f"{m} tháng đầu năm", f"{m} tháng qua"),
        (f"the first {m} months of {{Y}}", f"January-{_MONTHS[m]} {{Y}}"),
    )


def _quarter(q: int) -> Period:
    roman = ("", "I", "II", "III", "IV")[q]
    ordinal = ("", "first", "second", "third", "fourth")[q]
    return Period(
        f"q{q}", 0.25, q / 4, (f"quý {roman} năm {{Y}}", f"quý {roman}/{{Y}}"), (f"quý {roman}",),
        (f"the {ordinal} quarter of {{Y}}", f"Q{q} {{Y}}"),
    )


# The order is the one reports of a province-year take (after a seeded shuffle, see eval.lookalike).
PERIODS: tuple[Period, ...] = (
    Period("q1", 0.25, 0.25, ("quý I năm {Y}", "quý I/{Y}", "3 tháng đầu năm {Y}"), ("quý I", "3 tháng đầu năm"),
           ("the first quarter of {Y}", "Q1 {Y}", "the first three months of {Y}")),
    Period("h1", 0.5, 0.5, ("6 tháng đầu năm {Y}", "nửa đầu năm {Y}"), ("6 tháng đầu năm", "nửa đầu năm"),
           ("the first half of {Y}", "H1 {Y}", "the first six months of {Y}")),
    Period("m9", 0.75, 0.75, ("9 tháng năm {Y}", "9 tháng đầu năm {Y}"), ("9 tháng đầu năm", "9 tháng qua"),
           ("the first nine months of {Y}", "January-September {Y}")),
    _quarter(2), _quarter(3), _quarter(4),
) + tuple(_months(m) for m in (2, 4, 5, 7, 8, 10, 11))

# How a period report's style rewrites an annual result clause.
PERIOD_REWRITES: dict[str, tuple[tuple[str, str], ...]] = {
    "party": ((" cả năm", ""), ("so với năm trước", "so với cùng kỳ")),
    "stats": ((" cả năm", ""), ("so với năm trước", "so với cùng kỳ năm trước"), (" ước đạt", " ước tính đạt")),
    "news": ((" cả năm", ""), ("so với năm trước", "so với cùng kỳ")),
}

PERIOD_TITLES: tuple[str, ...] = (
    "Hội nghị Ban Chấp hành {dang_bo} lần thứ {n}: đánh giá kết quả {period}",
    "Kết luận của Ban Thường vụ {uy} về tình hình thực hiện nhiệm vụ {period}; nhiệm vụ trọng tâm thời gian tới",
    "Tình hình kinh tế - xã hội {period}",
)

# The statistics office's monthly / quarterly release.
STATS_TITLES: tuple[str, ...] = (
    "Tình hình kinh tế - xã hội {period}",
    "TÌNH HÌNH KINH TẾ - XÃ HỘI {PERIOD}",
    "Báo cáo tình hình kinh tế - xã hội {tinh} {ten} {period}",
)
STATS_ISSUERS: tuple[str, ...] = ("Cục Thống kê {tinh} {ten}", "CỤC THỐNG KÊ {TINH} {TEN}", "Nguồn: Cục Thống kê {tinh} {ten}")
STATS_INTROS: tuple[str, ...] = (
    "Tình hình kinh tế - xã hội {period} trên địa bàn {tinh} diễn ra trong bối cảnh kinh tế thế giới còn nhiều khó "
    "khăn; các cấp, các ngành đã triển khai đồng bộ các giải pháp thúc đẩy sản xuất, kinh doanh. Kết quả ước tính "
    "các chỉ tiêu chủ yếu như sau:",
    "Theo số liệu ước tính của Cục Thống kê {tinh} {ten}, kinh tế - xã hội {period} tiếp tục xu hướng phục hồi so với "
    "cùng kỳ năm trước.",
)
STATS_SECTIONS: tuple[str, ...] = (
    "1. Sản xuất, kinh doanh",
    "1. Các chỉ tiêu kinh tế chủ yếu",
    "I. KINH TẾ",
)
STATS_LEADS: tuple[str, ...] = (
    "2. Thương mại, dịch vụ và thu, chi ngân sách",
    "2. Đầu tư, thương mại và các lĩnh vực khác",
    "II. CÁC LĨNH VỰC KHÁC",
)
STATS_CLOSINGS: tuple[str, ...] = (
    "Số liệu {period} là số liệu ước tính, sẽ được cập nhật trong các kỳ báo cáo tiếp theo.",
    "Ghi chú: số liệu ước tính; so sánh với cùng kỳ năm trước theo giá hiện hành.",
)

# A news item of the provincial portal about the period.
NEWS_TITLES: tuple[str, ...] = (
    "{ten}: nhiều chỉ tiêu kinh tế - xã hội {period} tăng so với cùng kỳ",
    "Kinh tế {tinh} {ten} {period} duy trì đà phục hồi",
    "{Tinh} {ten} công bố kết quả kinh tế - xã hội {period}",
)
NEWS_LEADS: tuple[str, ...] = (
    "Trong {short}, {tinh} {ten} đạt nhiều kết quả tích cực",
    "Trong {short}, kinh tế {tinh} {ten} tiếp tục phục hồi",
    "{Short}, tình hình kinh tế - xã hội {tinh} {ten} chuyển biến tích cực",
)
NEWS_MIDDLES: tuple[str, ...] = ("Cũng trong {short}", "Bên cạnh đó", "Theo Cục Thống kê, trong {short}")
NEWS_CLOSINGS: tuple[str, ...] = (
    "Thời gian tới, {tinh} tiếp tục tập trung tháo gỡ khó khăn cho doanh nghiệp, đẩy nhanh giải ngân vốn đầu tư công, "
    "phấn đấu hoàn thành các mục tiêu năm {Y}.",
    "Lãnh đạo UBND {tinh} đề nghị các sở, ngành, địa phương bám sát kịch bản tăng trưởng, phấn đấu hoàn thành kế "
    "hoạch năm {Y}.",
)

PERIOD_INTROS: tuple[str, ...] = (
    "Ngày {date}, Ban Chấp hành {dang_bo_ten} tổ chức Hội nghị lần thứ {n} đánh giá kết quả lãnh đạo, chỉ đạo "
    "thực hiện nhiệm vụ {period}, triển khai nhiệm vụ thời gian tới.",
    "Sáng {date}, Ban Thường vụ {uy} {ten} họp đánh giá tình hình thực hiện nhiệm vụ {period}.",
)

PERIOD_LEADS: tuple[str, ...] = (
    "Các ngành, lĩnh vực tiếp tục phát triển",
    "Một số chỉ tiêu, lĩnh vực có mức tăng trưởng khá so với cùng kỳ",
    "Sản xuất, kinh doanh cơ bản ổn định",
)

PERIOD_HEADINGS: tuple[str, ...] = ("I. KẾT QUẢ {PERIOD}", "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ {PERIOD}")
PERIOD_TASK_HEADINGS: tuple[str, ...] = ("II. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", "II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM")

PERIOD_CLOSINGS: tuple[str, ...] = (
    "Hội nghị yêu cầu các cấp ủy, tổ chức đảng, chính quyền tập trung lãnh đạo, chỉ đạo, phấn đấu hoàn thành "
    "thắng lợi các mục tiêu, nhiệm vụ năm {Y}.",
    "Với sự nhất trí cao, Hội nghị biểu quyết thông qua nghị quyết về nhiệm vụ trọng tâm thời gian tới.",
)

# --- page leftovers (what scraping leaves around a document) -----------------------------------------

LEFTOVERS_TOP: tuple[str, ...] = ("{weekday} - {date} {clock}", "Cập nhật: {date} {clock}")

LEFTOVERS_BOTTOM: tuple[tuple[str, ...], ...] = (
    ("Thống kê truy cập", "  • Đang online: {a}", "  • Hôm nay: {b}", "  • Trong tuần: {c}", "  • Tất cả: {d}", "Đăng nhập"),
    ("Tổng số điểm của bài viết là: 0 trong 0 đánh giá", "Click để đánh giá bài viết", "  Ý kiến bạn đọc",
     "Những tin mới hơn", "Những tin cũ hơn"),
    ("Họ tên no image", "no image", "Tiêu đề no image", "Nội dung no image", "Mã kiểm tra no image"),
    ("Chia sẻ", "In bài viết", "Gửi email", "Về trang chủ"),
)

WEEKDAYS: tuple[str, ...] = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")

# --- people -----------------------------------------------------------------------------------------

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Xuân", "Hồng", "Công", "Thanh")
GIVEN_NAMES = ("Hùng", "Dũng", "Lan", "Hương", "Tuấn", "Thắng", "Phong", "Mai", "Quang", "Khánh", "Thảo", "Cường")
