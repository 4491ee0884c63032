"""The demo's people, as CONTRACT.md names them (names are invented)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    level: str
    office: str  # the secretariat's body
    people: dict[str, tuple[str, str, str]]  # role key -> (full name, title, unit)


GOVERNMENT_MINISTRIES = [
    ("Bộ Tài chính", "Bộ trưởng Bộ Tài chính"),
    ("Bộ Kế hoạch và Đầu tư", "Bộ trưởng Bộ Kế hoạch và Đầu tư"),
    ("Bộ Thông tin và Truyền thông", "Bộ trưởng Bộ Thông tin và Truyền thông"),
    ("Bộ Công an", "Bộ trưởng Bộ Công an"),
    ("Bộ Nội vụ", "Bộ trưởng Bộ Nội vụ"),
    ("Bộ Tư pháp", "Bộ trưởng Bộ Tư pháp"),
    ("Bộ Y tế", "Bộ trưởng Bộ Y tế"),
    ("Bộ Giáo dục và Đào tạo", "Bộ trưởng Bộ Giáo dục và Đào tạo"),
]

_GOV_MEMBER_NAMES = [
    "Trần Minh Khoa",
    "Lê Thị Thu Hà",
    "Phạm Quốc Bảo",
    "Hoàng Đức Thịnh",
    "Vũ Thị Ngọc Lan",
    "Đặng Văn Tùng",
    "Bùi Thị Hồng Nhung",
    "Ngô Quang Huy",
]

_PROVINCE_DEPARTMENTS = [
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
]


def _government() -> DemoTenant:
    people = {
        "chair": ("Nguyễn Văn Thành", "Thủ tướng Chính phủ", "Chính phủ"),
        "vicechair": ("Đỗ Thị Minh Châu", "Phó Thủ tướng Chính phủ", "Chính phủ"),
        "secretary": ("Phan Anh Tuấn", "Vụ trưởng Vụ Tổng hợp", "Văn phòng Chính phủ"),
        "guest": ("Trịnh Văn Hải", "Tổng Giám đốc Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam"),
    }
    for index, ((unit, title), name) in enumerate(
        zip(GOVERNMENT_MINISTRIES, _GOV_MEMBER_NAMES, strict=True), 1
    ):
        people[f"member{index}"] = (name, title, unit)
    return DemoTenant("chinhphu", "Chính phủ", "government", "Văn phòng Chính phủ", people)


def _province(slug: str, city: str, names: list[str]) -> DemoTenant:
    body = f"UBND thành phố {city}"
    people = {
        "chair": (names[0], f"Chủ tịch UBND thành phố {city}", body),
        "vicechair": (names[1], f"Phó Chủ tịch UBND thành phố {city}", body),
        "secretary": (names[2], f"Chánh Văn phòng UBND thành phố {city}", f"Văn phòng UBND thành phố {city}"),
        "guest": (
            names[3],
            f"Chủ tịch Ủy ban MTTQ Việt Nam thành phố {city}",
            f"Ủy ban MTTQ Việt Nam thành phố {city}",
        ),
    }
    for index, (department, name) in enumerate(zip(_PROVINCE_DEPARTMENTS, names[4:], strict=True), 1):
        people[f"member{index}"] = (name, f"Giám đốc {department}", f"{department} thành phố {city}")
    return DemoTenant(slug, body, "province", f"Văn phòng UBND thành phố {city}", people)


DEMO_TENANTS = [
    _government(),
    _province(
        "hanoi",
        "Hà Nội",
        [
            "Lương Minh Quang",
            "Tạ Thị Kim Oanh",
            "Kiều Văn Lâm",
            "Mai Đức Hạnh",
            "Dương Thị Phương",
            "Lâm Quốc Việt",
            "Hà Thị Thanh Tâm",
            "Chu Văn Nghĩa",
            "Tô Thị Hải Yến",
            "Cao Minh Đức",
            "Đinh Thị Lan Anh",
            "Quách Văn Phúc",
        ],
    ),
    _province(
        "danang",
        "Đà Nẵng",
        [
            "Huỳnh Văn Sơn",
            "Võ Thị Mỹ Linh",
            "Trương Công Định",
            "Lý Thị Hoa",
            "Nguyễn Hữu Phước",
            "Phan Thị Diệu Hiền",
            "Lê Văn Trung",
            "Trần Thị Bảo Ngọc",
            "Hồ Văn Tâm",
            "Đoàn Thị Xuân",
            "Thái Minh Nhật",
            "Văn Thị Kiều Trang",
        ],
    ),
]

ROLE_OF_KEY = {
    "chair": "chair",
    "vicechair": "vice_chair",
    "secretary": "secretary",
    "guest": "guest",
}


# --- the demo's meetings -----------------------------------------------------------------------
#
# Titles, units and conclusions follow the style of the Government's and the
# People's Committees' regular sessions; the figures in them are invented.


@dataclass(frozen=True)
class DemoPaper:
    title: str
    kind: str  # documents.models.Paper.Kind
    pages: int


@dataclass(frozen=True)
class DemoItem:
    title: str  # may use {month}, {year}, {period} (the month reported on), {next_year}
    summary: str
    unit: str
    presenter: str  # a key of DemoTenant.people
    minutes: int
    papers: tuple[DemoPaper, ...]
    conclusion: str


def report_period(month: int, year: int) -> str:
    """What a session of ``month`` reports on: the month before, and the year so far."""
    if month == 1:
        return f"tháng 12 và cả năm {year - 1}"
    return f"tháng {month - 1} và {month - 1} tháng năm {year}"


def months_before(month: int, year: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - count
    return index % 12 + 1, index // 12


def fill(text: str, month: int, year: int) -> str:
    return text.format(month=month, year=year, period=report_period(month, year), next_year=year + 1)


P = DemoPaper

GOVERNMENT_AGENDA = [
    DemoItem(
        "Báo cáo tình hình kinh tế - xã hội {period}; nhiệm vụ, giải pháp trọng tâm tháng {month}/{year}",
        "Đánh giá tăng trưởng, lạm phát, sản xuất công nghiệp, xuất nhập khẩu, thu hút đầu tư; "
        "đề xuất nhiệm vụ, giải pháp điều hành trong tháng tới.",
        "Bộ Kế hoạch và Đầu tư",
        "member2",
        60,
        (
            P("Báo cáo tình hình kinh tế - xã hội {period}", "report", 42),
            P("Phụ lục số liệu thống kê {period}", "other", 18),
            P("Dự thảo Nghị quyết phiên họp Chính phủ thường kỳ tháng {month}/{year}", "draft", 12),
        ),
        "Chính phủ thống nhất đánh giá tình hình kinh tế - xã hội tiếp tục chuyển biến tích cực; "
        "giao Bộ Kế hoạch và Đầu tư tiếp thu ý kiến thành viên Chính phủ, hoàn thiện báo cáo, "
        "trình Thủ tướng Chính phủ trước ngày 10.",
    ),
    DemoItem(
        "Tình hình thực hiện và giải ngân kế hoạch vốn đầu tư công năm {year}",
        "Tiến độ giải ngân theo bộ, ngành, địa phương; nguyên nhân chậm và kiến nghị điều chuyển vốn.",
        "Bộ Kế hoạch và Đầu tư",
        "member2",
        30,
        (
            P("Báo cáo tình hình giải ngân vốn đầu tư công", "report", 24),
            P("Danh mục dự án đề nghị điều chuyển vốn", "other", 9),
        ),
        "Yêu cầu các bộ, cơ quan, địa phương đẩy nhanh giải ngân; giao Bộ Kế hoạch và Đầu tư tổng hợp "
        "phương án điều chuyển vốn của các dự án chậm, báo cáo Thủ tướng Chính phủ.",
    ),
    DemoItem(
        "Tình hình thu, chi ngân sách nhà nước {period}",
        "Kết quả thu nội địa, thu từ dầu thô và xuất nhập khẩu; chi đầu tư phát triển và chi thường xuyên.",
        "Bộ Tài chính",
        "member1",
        20,
        (
            P("Báo cáo tình hình thu, chi ngân sách nhà nước", "report", 16),
            P("Phụ lục chi tiết thu, chi theo lĩnh vực", "other", 11),
        ),
        "Giao Bộ Tài chính tiếp tục quản lý chặt chẽ thu ngân sách, chống thất thu; bảo đảm nguồn chi "
        "cho an sinh xã hội và các nhiệm vụ cấp bách.",
    ),
    DemoItem(
        "Tình hình triển khai Chính phủ điện tử, chuyển đổi số và cung cấp dịch vụ công trực tuyến",
        "Kết quả thực hiện Nghị quyết số 17/NQ-CP; tỷ lệ hồ sơ trực tuyến, văn bản điện tử giữa các "
        "cơ quan nhà nước; kết nối Trục liên thông văn bản quốc gia.",
        "Bộ Thông tin và Truyền thông",
        "member3",
        30,
        (
            P("Báo cáo tình hình triển khai Chính phủ điện tử", "report", 28),
            P("Bảng theo dõi chỉ tiêu Nghị quyết số 17/NQ-CP", "other", 6),
        ),
        "Giao Bộ Thông tin và Truyền thông đôn đốc các bộ, địa phương hoàn thành chỉ tiêu 90% văn bản "
        "trao đổi dưới dạng điện tử; báo cáo kết quả tại phiên họp tháng sau.",
    ),
    DemoItem(
        "Tình hình an ninh, trật tự, an toàn xã hội và kết quả triển khai Đề án 06 về dữ liệu dân cư",
        "Tình hình an ninh chính trị, trật tự xã hội; kết quả kết nối Cơ sở dữ liệu quốc gia về Dân cư.",
        "Bộ Công an",
        "member4",
        20,
        (P("Báo cáo tình hình an ninh, trật tự", "report", 14),),
        "Giao Bộ Công an tiếp tục bảo đảm an ninh, trật tự dịp cuối năm; phối hợp các bộ, ngành đẩy "
        "mạnh khai thác Cơ sở dữ liệu quốc gia về Dân cư.",
    ),
    DemoItem(
        "Báo cáo công tác cải cách hành chính và tinh gọn tổ chức bộ máy",
        "Kết quả cải cách thủ tục hành chính, sắp xếp tổ chức bộ máy và đơn vị hành chính các cấp.",
        "Bộ Nội vụ",
        "member5",
        20,
        (
            P("Báo cáo công tác cải cách hành chính", "report", 20),
            P("Dự thảo Nghị định sửa đổi quy định về tổ chức các cơ quan chuyên môn", "draft", 35),
        ),
        "Giao Bộ Nội vụ hoàn thiện dự thảo Nghị định, lấy ý kiến thành viên Chính phủ bằng phiếu "
        "trước khi trình ký.",
    ),
    DemoItem(
        "Tình hình xây dựng, hoàn thiện thể chế và xử lý vướng mắc do quy định pháp luật",
        "Tiến độ xây dựng văn bản quy định chi tiết các luật đã có hiệu lực; văn bản còn nợ đọng.",
        "Bộ Tư pháp",
        "member6",
        20,
        (
            P("Báo cáo công tác xây dựng, hoàn thiện thể chế", "report", 18),
            P("Danh mục văn bản quy định chi tiết chậm ban hành", "other", 7),
        ),
        "Yêu cầu các bộ, cơ quan ngang bộ khắc phục ngay tình trạng nợ đọng văn bản; giao Bộ Tư pháp "
        "theo dõi, báo cáo hằng tháng.",
    ),
    DemoItem(
        "Công tác phòng, chống dịch bệnh mùa đông - xuân và bảo đảm thuốc, trang thiết bị y tế",
        "Diễn biến dịch bệnh, năng lực điều trị, cung ứng thuốc và vật tư y tế.",
        "Bộ Y tế",
        "member7",
        15,
        (P("Báo cáo công tác phòng, chống dịch bệnh", "report", 12),),
        "Giao Bộ Y tế chủ động phương án phòng, chống dịch bệnh; bảo đảm đủ thuốc, vật tư y tế dịp "
        "Tết Nguyên đán.",
    ),
    DemoItem(
        "Chuẩn bị kỳ thi tốt nghiệp trung học phổ thông năm {next_year}",
        "Phương án tổ chức thi, ứng dụng công nghệ thông tin trong đăng ký dự thi và chấm thi.",
        "Bộ Giáo dục và Đào tạo",
        "member8",
        15,
        (P("Tờ trình phương án tổ chức kỳ thi tốt nghiệp trung học phổ thông", "submission", 15),),
        "Thống nhất phương án tổ chức thi ổn định; giao Bộ Giáo dục và Đào tạo công bố sớm để học sinh "
        "và nhà trường chủ động chuẩn bị.",
    ),
    DemoItem(
        "Tình hình thực hiện chính sách bảo hiểm xã hội, bảo hiểm y tế",
        "Số người tham gia bảo hiểm xã hội, bảo hiểm y tế; tình hình nợ đóng và giải quyết chế độ.",
        "Bảo hiểm xã hội Việt Nam",
        "guest",
        15,
        (P("Báo cáo tình hình thực hiện chính sách bảo hiểm xã hội, bảo hiểm y tế", "report", 22),),
        "Giao Bảo hiểm xã hội Việt Nam phối hợp Bộ Lao động - Thương binh và Xã hội xử lý dứt điểm "
        "tình trạng nợ đóng bảo hiểm xã hội.",
    ),
]


def province_agenda(city: str) -> list[DemoItem]:
    """The regular session of a city People's Committee: the departments report and submit."""
    ubnd = f"UBND thành phố {city}"

    def unit(department: str) -> str:
        return f"{department} thành phố {city}"

    return [
        DemoItem(
            "Báo cáo tình hình kinh tế - xã hội {period}; nhiệm vụ trọng tâm tháng {month}/{year}",
            "Tăng trưởng kinh tế, thu ngân sách, giải ngân đầu tư công, an sinh xã hội trên địa bàn; "
            "nhiệm vụ, giải pháp trong tháng tới.",
            unit("Sở Tài chính"),
            "member1",
            45,
            (
                P("Báo cáo tình hình kinh tế - xã hội {period}", "report", 32),
                P("Phụ lục số liệu kinh tế - xã hội", "other", 14),
            ),
            f"{ubnd} thống nhất đánh giá; giao Sở Tài chính tiếp thu ý kiến các thành viên, hoàn thiện "
            "báo cáo gửi Thành ủy, HĐND thành phố.",
        ),
        DemoItem(
            "Tờ trình về dự toán và phương án phân bổ ngân sách thành phố năm {next_year}",
            "Dự toán thu, chi ngân sách địa phương; nguyên tắc phân bổ cho các sở, ngành và cấp xã.",
            unit("Sở Tài chính"),
            "member1",
            30,
            (
                P("Tờ trình dự toán ngân sách thành phố năm {next_year}", "submission", 18),
                P("Dự thảo Nghị quyết của HĐND thành phố về dự toán ngân sách", "draft", 10),
                P("Biểu chi tiết dự toán theo đơn vị", "other", 46),
            ),
            "Thống nhất trình HĐND thành phố tại kỳ họp cuối năm; giao Sở Tài chính rà soát lại "
            "các khoản chi thường xuyên theo ý kiến tại phiên họp.",
        ),
        DemoItem(
            "Tờ trình kế hoạch đầu tư công năm {next_year} của thành phố",
            "Danh mục dự án chuyển tiếp và khởi công mới; cân đối nguồn vốn.",
            unit("Sở Tài chính"),
            "member1",
            30,
            (
                P("Tờ trình kế hoạch đầu tư công năm {next_year}", "submission", 16),
                P("Danh mục dự án đầu tư công", "other", 38),
            ),
            "Thống nhất về nguyên tắc; giao Sở Tài chính phối hợp Sở Xây dựng ưu tiên vốn cho các dự án "
            "giao thông trọng điểm.",
        ),
        DemoItem(
            "Báo cáo tiến độ các dự án nhà ở xã hội và chỉnh trang đô thị",
            "Tiến độ giải phóng mặt bằng, khởi công và bàn giao nhà ở xã hội; vướng mắc cần tháo gỡ.",
            unit("Sở Xây dựng"),
            "member2",
            20,
            (P("Báo cáo tiến độ các dự án nhà ở xã hội", "report", 21),),
            "Giao Sở Xây dựng chủ trì tháo gỡ vướng mắc về mặt bằng, báo cáo Chủ tịch UBND thành phố "
            "trong tháng.",
        ),
        DemoItem(
            f"Dự thảo Quyết định ban hành Quy chế làm việc của {ubnd}",
            "Sửa đổi quy chế làm việc: họp không giấy, lấy ý kiến thành viên bằng phiếu điện tử, "
            "chữ ký số trên văn bản.",
            unit("Sở Nội vụ"),
            "member5",
            20,
            (
                P("Tờ trình ban hành Quy chế làm việc", "submission", 6),
                P("Dự thảo Quy chế làm việc", "draft", 24),
            ),
            "Thống nhất ban hành; giao Sở Nội vụ hoàn thiện dự thảo theo ý kiến tại phiên họp, "
            "trình Chủ tịch UBND thành phố ký.",
        ),
        DemoItem(
            "Công tác phòng, chống dịch bệnh và bảo đảm thuốc, vật tư y tế",
            "Tình hình dịch bệnh trên địa bàn, năng lực của các bệnh viện tuyến thành phố.",
            unit("Sở Y tế"),
            "member3",
            15,
            (P("Báo cáo công tác phòng, chống dịch bệnh", "report", 10),),
            "Giao Sở Y tế chủ động phương án ứng phó, bảo đảm thuốc và vật tư y tế dịp Tết.",
        ),
        DemoItem(
            "Phương án tổ chức dạy học 2 buổi/ngày và tuyển sinh lớp 10 năm học {next_year}",
            "Điều kiện cơ sở vật chất, đội ngũ giáo viên; phương án tuyển sinh.",
            unit("Sở Giáo dục và Đào tạo"),
            "member4",
            15,
            (P("Tờ trình phương án tuyển sinh lớp 10", "submission", 12),),
            "Thống nhất phương án; giao Sở Giáo dục và Đào tạo công bố sớm và bảo đảm đủ chỗ học.",
        ),
        DemoItem(
            "Báo cáo kết quả rà soát văn bản quy phạm pháp luật của HĐND, UBND thành phố",
            "Văn bản hết hiệu lực, cần sửa đổi, bổ sung sau khi sắp xếp đơn vị hành chính.",
            unit("Sở Tư pháp"),
            "member6",
            15,
            (P("Báo cáo kết quả rà soát văn bản", "report", 17),),
            "Giao Sở Tư pháp lập danh mục văn bản cần bãi bỏ, trình UBND thành phố trong quý I.",
        ),
        DemoItem(
            "Kế hoạch bảo đảm cung ứng hàng hóa phục vụ Tết Nguyên đán Đinh Mùi {next_year}",
            "Dự trữ hàng hóa thiết yếu, bình ổn giá, chợ Tết và kiểm soát an toàn thực phẩm.",
            unit("Sở Công Thương"),
            "member7",
            20,
            (P("Kế hoạch bảo đảm hàng hóa dịp Tết", "report", 9),),
            "Thống nhất kế hoạch; giao Sở Công Thương phối hợp các quận, phường kiểm tra thị trường.",
        ),
        DemoItem(
            "Ý kiến của Ủy ban MTTQ Việt Nam thành phố về kết quả giám sát giải quyết kiến nghị của cử tri",
            "Tổng hợp kiến nghị của cử tri và nhân dân; kết quả giải quyết của các sở, ngành.",
            f"Ủy ban MTTQ Việt Nam thành phố {city}",
            "guest",
            15,
            (P("Báo cáo kết quả giám sát", "report", 13),),
            "Tiếp thu ý kiến của Ủy ban MTTQ Việt Nam thành phố; giao các sở, ngành trả lời kiến nghị "
            "của cử tri trước kỳ họp HĐND.",
        ),
    ]


def agenda_of(demo: DemoTenant) -> list[DemoItem]:
    if demo.level == "government":
        return GOVERNMENT_AGENDA
    return province_agenda(demo.name.removeprefix("UBND thành phố "))


def session_title(demo: DemoTenant, month: int, year: int) -> str:
    return f"{session_title_prefix(demo)} {month}/{year}"


def session_title_prefix(demo: DemoTenant) -> str:
    if demo.level == "government":
        return "Phiên họp Chính phủ thường kỳ tháng"
    return f"Phiên họp {demo.name} thường kỳ tháng"


def session_place(demo: DemoTenant) -> str:
    if demo.level == "government":
        return "Phòng họp Chính phủ, Trụ sở Chính phủ, số 1 Hoàng Hoa Thám, Hà Nội"
    return f"Phòng họp tầng 2, trụ sở {demo.name}"


# Minutes a paper-based session of each kind took: demo assumptions, not measurements.
DEMO_BASELINES: dict[str, dict[str, int]] = {
    "government": {"regular": 480, "thematic": 240, "extraordinary": 180, "committee": 240},
    "province": {"regular": 360, "thematic": 180, "extraordinary": 150, "committee": 240},
}
DEMO_BASELINE_SOURCE = "Giả định cho dữ liệu mẫu"

# For the past sessions: actual minutes against planned, and who spoke (by key), item by item.
PAST_PACE = [0.8, 1.2, 0.7, 1.0, 0.6, 1.1]
PAST_SPEAKERS = [
    ["member1", "member3", "vicechair"],
    ["member1", "member4"],
    ["member2", "member5", "member8"],
    ["member6", "vicechair"],
    ["member7"],
    ["member3", "member2"],
]


# --- opinions and votes (voting) ------------------------------------------------------------
# An open opinion slip, a closed one with its signed result, and positions on
# the upcoming session's items. Texts are invented.

DEMO_OPEN_SLIP = (
    "Ý kiến về dự thảo Nghị quyết ban hành Kế hoạch chuyển đổi số năm 2027",
    "Dự thảo Nghị quyết gồm 4 điều: mục tiêu, nhiệm vụ trọng tâm, kinh phí thực hiện và tổ chức thực hiện.",
)
DEMO_CLOSED_SLIP = (
    "Ý kiến về việc điều chỉnh chủ trương đầu tư Dự án cải tạo trụ sở làm việc",
    "Điều chỉnh tổng mức đầu tư và thời gian thực hiện dự án đến hết năm 2027.",
)
# answers of the closed slip by user key: (choice, text)
DEMO_CLOSED_ANSWERS = {
    "chair": ("agree", ""),
    "vicechair": ("agree", ""),
    "member1": ("agree", ""),
    "member2": ("other", "Đề nghị bổ sung đánh giá hiệu quả sử dụng vốn."),
    "member3": ("agree", ""),
    "member4": ("disagree", ""),
    "member5": ("agree", ""),
    "member6": ("agree", ""),
}
# positions on the upcoming session's items (by position in the agenda): key -> (kind, reason)
DEMO_POSITIONS = {
    1: dict.fromkeys(("chair", "vicechair", "member1", "member2", "member3"), ("no_objection", "")),
    2: {
        "member1": ("no_objection", ""),
        "member4": ("objection", "Số liệu giải ngân chưa khớp với báo cáo của Sở."),
    },
    3: {"member2": ("wish_to_speak", ""), "member5": ("no_objection", "")},
}
VOTING_KEYS = ("chair", "vicechair", *(f"member{n}" for n in range(1, 9)))


DEMO_SLIP_PAPER = "Dự thảo Nghị quyết ban hành Kế hoạch chuyển đổi số năm 2027"


def _attach_demo_slip_paper(tenant: Any, slip: Any, secretary: Any) -> None:
    """The open slip's draft as a real PDF paper, stamped per reader like a meeting's."""

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from demo.papers import paper_pdf
    from voting.actions import do_attach_slip_paper

    pdf = paper_pdf(
        title=DEMO_SLIP_PAPER,
        kind="draft",
        unit="Sở Khoa học và Công nghệ",
        issuer=tenant.name,
        pages=4,
        number=1,
        when=timezone.localdate(),
    )
    do_attach_slip_paper(
        slip,
        upload=SimpleUploadedFile("du-thao-nghi-quyet.pdf", pdf, "application/pdf"),
        title=DEMO_SLIP_PAPER,
        kind="draft",
        acting_user=secretary,
    )


def seed_voting(tenant: Any, users: dict[str, Any]) -> None:
    """Idempotent: what is there already is left as it is."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, Participant
    from voting.actions import (
        do_answer_slip,
        do_close_slip,
        do_give_position,
        do_issue_slip,
        position_round,
        positions_open,
    )
    from voting.models import Position, Slip

    secretary = users["secretary"]
    asked = [users[key] for key in VOTING_KEYS if key in users]
    now = timezone.now()
    from demo.models import DemoSlip

    ours = Slip.objects.filter(demo__isnull=False)
    if not ours.filter(demo__part=DemoSlip.Part.OPEN).exists():
        slip = do_issue_slip(
            tenant=tenant,
            question=DEMO_OPEN_SLIP[0],
            draft=DEMO_OPEN_SLIP[1],
            deadline=now + timedelta(days=3),
            recipients=asked,
            acting_user=secretary,
        )
        DemoSlip.objects.create(slip=slip, part=DemoSlip.Part.OPEN)
        _attach_demo_slip_paper(tenant, slip, secretary)
        do_answer_slip(slip, user=users["member1"], choice="agree")
    closed = ours.filter(demo__part=DemoSlip.Part.CLOSED).first()
    if closed is None:
        closed = do_issue_slip(
            tenant=tenant,
            question=DEMO_CLOSED_SLIP[0],
            draft=DEMO_CLOSED_SLIP[1],
            deadline=now + timedelta(days=1),
            recipients=asked,
            acting_user=secretary,
        )
        DemoSlip.objects.create(slip=closed, part=DemoSlip.Part.CLOSED)
        for key, (choice, text) in DEMO_CLOSED_ANSWERS.items():
            do_answer_slip(closed, user=users[key], choice=choice, text=text)
        closed = do_close_slip(closed, acting_user=secretary)
    if closed.result_document_id is None:
        # The worker renders and signs it (as after any close), off this command.
        from django.db import transaction

        from voting.tasks import issue_slip_result

        tenant_id, slip_id = tenant.pk, closed.pk
        transaction.on_commit(lambda: issue_slip_result.enqueue(tenant_id, slip_id))
    upcoming = Meeting.objects.filter(demo__part="upcoming", status=Meeting.Status.PUBLISHED).first()
    if upcoming is None or not positions_open(upcoming, position_round(upcoming)):
        return
    items = {i.position: i for i in AgendaItem.objects.filter(meeting=upcoming)}
    members = {p.user_id: p for p in Participant.objects.filter(meeting=upcoming)}
    for position, given in DEMO_POSITIONS.items():
        item = items.get(position)
        if item is None:
            continue
        for key, (kind, reason) in given.items():
            participant = members.get(users[key].pk) if key in users else None
            if participant is None or Position.objects.filter(item=item, member=participant).exists():
                continue
            do_give_position(item, participant=participant, kind=kind, reason=reason)


# --- a year of past sessions (for the dashboards) ---------------------------------------------
#
# The twelve monthly sessions before the upcoming one; the two most recent are
# run through the actions (above), the others are written directly with the
# same kind of timings, so that every chart has a year to show. Their
# durations are invented; the paper-era baselines and the price of a page are
# assumptions, marked as such.

HISTORY_MONTHS = 12
DEMO_PRICE_PER_PAGE = 1500  # đồng: paper, printing, copying and delivery of one page
DEMO_PRICE_SOURCE = "Giả định cho dữ liệu mẫu"


def history_pace(age: int, position: int) -> float:
    """Actual minutes against planned for an item, ``age`` months ago (12 = a year).

    Sessions a year ago ran over their plan; they tighten month by month as
    members read before the session and the consent list takes the routine
    items. Items vary around that pace, some over, some under.
    """
    trend = 0.88 + 0.028 * age  # a year ago 1.22, last month 0.91
    return round(trend * (0.8, 1.15, 0.9, 1.05, 0.75, 1.2, 0.95, 1.1, 0.85, 1.0)[(position + age) % 10], 3)


def history_items(age: int, total: int) -> list[int]:
    """Which agenda entries a past session took up (indexes), leaving one or two out in turn."""
    left_out = {age % total, (age * 3 + 1) % total} if age % 3 else {age % total}
    return [index for index in range(total) if index not in left_out]


def history_read_share(age: int) -> float:
    """The share of papers members opened before the session, ``age`` months ago."""
    return max(0.35, 0.95 - 0.05 * age)


HISTORY_SLIPS = [
    "Ý kiến về dự thảo Quyết định phê duyệt danh mục dự án kêu gọi đầu tư",
    "Ý kiến về việc điều chỉnh kế hoạch vốn đầu tư công",
    "Ý kiến về dự thảo Nghị quyết quy định mức chi hỗ trợ",
    "Ý kiến về phương án sắp xếp trụ sở làm việc dôi dư",
    "Ý kiến về dự thảo Kế hoạch cải cách hành chính",
    "Ý kiến về việc ban hành Quy chế phối hợp quản lý cơ sở dữ liệu",
]


def history_slip_question(age_month: int, year: int, index: int) -> str:
    return f"{HISTORY_SLIPS[index % len(HISTORY_SLIPS)]} (tháng {age_month}/{year})"
