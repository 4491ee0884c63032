"""The demo's people, as CONTRACT.md names them (names are invented)."""

from __future__ import annotations

from dataclasses import dataclass


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
