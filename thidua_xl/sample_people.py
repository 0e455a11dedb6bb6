"""Plausible people and departments of a provincial health sector, for the demo and the tests.

Names follow the usual spread of Vietnamese surnames (Nguyễn about a third, then Trần, Lê,
Phạm, Hoàng…) with the Hmong, Dao, Tày and Thái names of a northern mountain province;
each name is built within one naming tradition (no "Nguyễn A Hùng"). Departments belong to
the kind of unit (a hospital has khoa and phòng, the CDC its own, the Sở's office phòng), and
positions to the department (a phòng has chuyên viên, a khoa bác sĩ and điều dưỡng). Ages fit
the award: a State honour or a Kỷ niệm chương goes to people with decades in the sector.
"""
from __future__ import annotations

import datetime as dt
import random

# (weight, surnames with weights, men's middle names, women's middle names, men's given, women's given)
_KINH_HO = {"Nguyễn": 31, "Trần": 9, "Lê": 8, "Phạm": 6, "Hoàng": 6, "Vũ": 4, "Hà": 3, "Đỗ": 3, "Bùi": 3, "Đặng": 3,
            "Ngô": 2, "Dương": 2, "Phan": 2, "Lương": 2, "Nông": 2, "Đinh": 1, "Hồ": 1, "Lý": 1, "Tạ": 1, "Trịnh": 1,
            "Mai": 1, "Đào": 1, "Lưu": 1, "Vi": 1, "Âu": 1}
_KINH = (72, _KINH_HO,
         {"Văn": 40, "Đức": 8, "Minh": 8, "Quốc": 5, "Hữu": 5, "Xuân": 4, "Thanh": 4, "Công": 4, "Ngọc": 3, "Mạnh": 3,
          "Tiến": 3, "Trung": 2, "Anh": 2},
         {"Thị": 50, "Thu": 6, "Thanh": 5, "Ngọc": 4, "Thị Thu": 4, "Thị Hồng": 3, "Minh": 3, "Phương": 3, "Thùy": 3,
          "Kim": 3, "Hồng": 3, "Hải": 2, "Diệu": 1},
         ["Anh", "Bình", "Cường", "Dũng", "Đức", "Hùng", "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng",
          "Tuấn", "Việt", "Hòa", "Lợi", "Tùng", "Hải", "Kiên", "Trung", "Vinh", "Hiếu", "Huy", "Thành", "Tú", "Lâm",
          "Hưng", "Toàn", "Quang"],
         ["Anh", "Ánh", "Dung", "Giang", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương",
          "Quyên", "Thảo", "Thúy", "Trang", "Uyên", "Yến", "Hoa", "Nhung", "Hạnh", "Huyền", "Ngọc", "Thủy", "Liên",
          "Loan", "Hiền", "Vân", "Ly"])
_HMONG = (11, {"Giàng": 4, "Sùng": 3, "Vàng": 3, "Thào": 2, "Lý": 2, "Hầu": 1, "Mua": 1, "Lù": 1, "Cứ": 1},
          {"A": 3, "Seo": 2, "Văn": 1}, {"Thị": 1},
          ["Páo", "Chư", "Sử", "Dính", "Lử", "Chứ", "Sình", "Pao", "Chính", "Phử"],
          ["Mỷ", "Dua", "Pà", "Sua", "Chở", "Say", "Dế", "Mai", "Lan"])
_DAO = (8, {"Tẩn": 3, "Phàn": 3, "Triệu": 3, "Lý": 2, "Chảo": 2, "Bàn": 1},
        {"Văn": 3, "Láo": 1, "Kim": 1, "Quẩy": 1}, {"Thị": 3, "Mùi": 1, "Tả": 1},
        ["Sử", "Chòi", "Lở", "Phin", "Tả", "Quang", "Seng", "Dền"],
        ["Mẩy", "Sành", "Chiêm", "Xuân", "Liều", "Mai", "Hoa"])
_THAI = (9, {"Lò": 3, "Lường": 2, "Hoàng": 2, "Vì": 1, "Lù": 1, "Cầm": 1},
         {"Văn": 4, "Thanh": 1}, {"Thị": 4, "Thu": 1},
         ["Minh", "Thanh", "Hùng", "Khánh", "Thắng", "Tiến", "Dũng"],
         ["Phương", "Hằng", "Xuân", "Dung", "Hoa", "Thương", "Lan"])
_TRADITIONS = (_KINH, _HMONG, _DAO, _THAI)

HOSPITAL = ["Khoa Khám bệnh", "Khoa Cấp cứu", "Khoa Hồi sức tích cực & Chống độc", "Khoa Nội tổng hợp",
            "Khoa Nội tim mạch", "Khoa Nội tiết", "Khoa Thần kinh", "Khoa Truyền nhiễm", "Khoa Nhi",
            "Khoa Ngoại tổng hợp", "Khoa Ngoại chấn thương", "Khoa Phẫu thuật – Gây mê hồi sức", "Khoa Phụ sản",
            "Khoa Tai Mũi Họng", "Khoa Răng Hàm Mặt", "Khoa Mắt", "Khoa Ung bướu", "Khoa Y học cổ truyền",
            "Khoa Phục hồi chức năng", "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh", "Khoa Thăm dò chức năng",
            "Khoa Giải phẫu bệnh", "Khoa Dược", "Khoa Dinh dưỡng", "Khoa Kiểm soát nhiễm khuẩn",
            "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức cán bộ", "Phòng Điều dưỡng", "Phòng Tài chính kế toán",
            "Phòng Hành chính quản trị", "Phòng Quản lý chất lượng", "Phòng Công tác xã hội"]
SAN_NHI = ["Khoa Khám bệnh", "Khoa Cấp cứu Nhi", "Khoa Hồi sức tích cực Nhi & Sơ sinh", "Khoa Sơ sinh",
           "Khoa Nhi tổng hợp", "Khoa Ngoại Nhi", "Khoa Truyền nhiễm Nhi", "Khoa Phụ", "Khoa Sản", "Khoa Đẻ",
           "Khoa Hỗ trợ sinh sản", "Khoa Phẫu thuật – Gây mê hồi sức", "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh",
           "Khoa Dược", "Khoa Dinh dưỡng", "Khoa Kiểm soát nhiễm khuẩn", "Phòng Kế hoạch tổng hợp",
           "Phòng Tổ chức cán bộ", "Phòng Điều dưỡng", "Phòng Tài chính kế toán"]
YHCT = ["Khoa Khám bệnh", "Khoa Nội tổng hợp", "Khoa Châm cứu – Dưỡng sinh", "Khoa Phục hồi chức năng", "Khoa Nhi",
        "Khoa Ngoại – Phụ", "Khoa Bào chế – Dược", "Khoa Xét nghiệm – Chẩn đoán hình ảnh", "Phòng Kế hoạch tổng hợp",
        "Phòng Tổ chức – Hành chính", "Phòng Điều dưỡng", "Phòng Tài chính kế toán"]
NOI_TIET = ["Khoa Khám bệnh", "Khoa Nội tiết – Đái tháo đường", "Khoa Ngoại tuyến giáp",
            "Khoa Xét nghiệm – Chẩn đoán hình ảnh", "Khoa Dược", "Phòng Chỉ đạo tuyến", "Phòng Kế hoạch tổng hợp",
            "Phòng Tổ chức – Hành chính", "Phòng Tài chính kế toán"]
CDC = ["Khoa Phòng, chống bệnh truyền nhiễm", "Khoa Phòng, chống HIV/AIDS", "Khoa Phòng, chống bệnh không lây nhiễm",
       "Khoa Dinh dưỡng", "Khoa Sức khỏe sinh sản", "Khoa Sức khỏe môi trường – Y tế trường học",
       "Khoa Xét nghiệm – Chẩn đoán hình ảnh – Thăm dò chức năng", "Khoa Truyền thông, giáo dục sức khỏe",
       "Khoa Dược – Vật tư y tế", "Phòng Khám đa khoa", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính"]
KIEM_NGHIEM = ["Khoa Kiểm nghiệm Hóa lý", "Khoa Kiểm nghiệm Vi sinh", "Khoa Kiểm nghiệm Đông dược – Dược liệu",
               "Khoa Kiểm nghiệm Mỹ phẩm – Thực phẩm", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính",
               "Phòng Đảm bảo chất lượng"]
TTYT = ["Khoa Khám bệnh", "Khoa Hồi sức cấp cứu", "Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Nhi",
        "Khoa Chăm sóc sức khỏe sinh sản", "Khoa Truyền nhiễm", "Khoa Y học cổ truyền – Phục hồi chức năng",
        "Khoa Xét nghiệm – Chẩn đoán hình ảnh", "Khoa Dược – Trang thiết bị – Vật tư y tế",
        "Khoa Kiểm soát bệnh tật và HIV/AIDS", "Khoa Y tế công cộng và Dinh dưỡng",
        "Khoa Dân số – Truyền thông và Giáo dục sức khỏe", "Phòng Kế hoạch – Nghiệp vụ", "Phòng Tổ chức – Hành chính",
        "Phòng Tài chính – Kế toán", "Phòng Điều dưỡng"]
VAN_PHONG_SO = ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ Y",
                "Phòng Nghiệp vụ Dược", "Thanh tra Sở", "Phòng Dân số", "Phòng Bảo trợ xã hội"]
_BY_NAME = (("sản nhi", SAN_NHI), ("y học cổ truyền", YHCT), ("nội tiết", NOI_TIET), ("kiểm soát bệnh tật", CDC),
            ("kiểm nghiệm", KIEM_NGHIEM), ("trung tâm y tế", TTYT), ("sở y tế", VAN_PHONG_SO))

CLINICAL = ["Bác sĩ", "Bác sĩ", "Điều dưỡng", "Điều dưỡng", "Điều dưỡng", "Kỹ thuật viên", "Hộ sinh", "Y sĩ",
            "Dược sĩ", "Trưởng khoa", "Phó trưởng khoa", "Điều dưỡng trưởng", "Bác sĩ chuyên khoa II"]
OFFICE = ["Chuyên viên", "Chuyên viên", "Kế toán viên", "Cán sự", "Trưởng phòng", "Phó trưởng phòng"]
LAB = ["Kiểm nghiệm viên", "Kỹ thuật viên", "Dược sĩ", "Trưởng khoa", "Phó trưởng khoa"]
SENIOR = ["Giám đốc", "Phó Giám đốc", "Trưởng khoa", "Bác sĩ chuyên khoa II", "Bác sĩ chuyên khoa I"]

# the ages an award goes to (youngest, oldest) in the award's year; others: a working life, 24 to 58
AGES = {"TTND": (52, 59), "TTUT": (45, 58), "HCLD1": (52, 59), "HCLD2": (50, 59), "HCLD3": (48, 59),
        "BK_TTCP": (42, 58), "CSTD_TQ": (40, 56), "KNC": (45, 59), "CSTD_BO": (35, 56), "CSTD_TINH": (32, 56)}
SENIOR_AWARDS = {"TTND", "TTUT", "HCLD1", "HCLD2", "HCLD3", "KNC"}


def departments(unit_name: str) -> list[str]:
    """The khoa and phòng of a unit, by the kind of unit its name says it is (a hospital otherwise)."""
    low = unit_name.lower()
    for word, names in _BY_NAME:
        if word in low:
            return names
    return HOSPITAL


_HEADS = {"Trưởng khoa", "Phó trưởng khoa", "Điều dưỡng trưởng", "Bác sĩ chuyên khoa II", "Trưởng phòng",
          "Phó trưởng phòng"}


def position(department: str, rng: random.Random, senior: bool = False, age: int = 45) -> str:
    """A position in the department; heads of a khoa or phòng are 35 or older, seniors are the unit's leaders."""
    if senior:
        return rng.choice(SENIOR)
    if department.startswith(("Phòng", "Văn phòng", "Thanh tra")):
        choices = OFFICE
    elif department.startswith("Khoa Kiểm nghiệm"):
        choices = LAB
    else:
        choices = CLINICAL
    return rng.choice([c for c in choices if age >= 35 or c not in _HEADS])


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def full_name(rng: random.Random, female: bool) -> str:
    """A name within one naming tradition, surnames as often as they are."""
    tradition = rng.choices(_TRADITIONS, weights=[t[0] for t in _TRADITIONS])[0]
    _w, ho, dem_nam, dem_nu, ten_nam, ten_nu = tradition
    return (f"{_pick(rng, ho)} {_pick(rng, dem_nu if female else dem_nam)} "
            f"{rng.choice(ten_nu if female else ten_nam)}")


def birth_date(rng: random.Random, year: int, award: str | None = None) -> dt.date:
    young, old = AGES.get(award or "", (24, 58))
    return dt.date(rng.randint(year - old, year - young), rng.randint(1, 12), rng.randint(1, 28))
