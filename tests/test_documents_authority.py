"""Who grants what, as the báo cáo and the tờ trình say it.

The Sở grants only its own awards. State and Government awards (Huân chương, Cờ thi đua của
Chính phủ, Thầy thuốc Nhân dân / Ưu tú, Bằng khen của Thủ tướng, Chiến sĩ thi đua toàn quốc) are
proposed upward: the báo cáo lists them as "đang đề nghị cấp trên" until their decision is
recorded, and the tờ trình asks the Chủ tịch UBND tỉnh to grant only what is in his power and to
forward (trình) the rest.
"""
from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from thidua_xl.cli import main
from thidua_xl.workbook.master import create_master

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = pd.DataFrame({"unit_code": ["BVDK"], "unit": ["Bệnh viện Đa khoa tỉnh"], "email": ["bvdk@x.vn"]})


def _person(name, dob, gender, award, so_qd="", ngay_qd=""):
    return {"unit_code": "BVDK", "ho_ten": name, "ngay_sinh": dob, "gioi_tinh": gender, "hinh_thuc": award,
            "chuc_vu": "Bác sĩ", "so_quyet_dinh": so_qd, "ngay_quyet_dinh": ngay_qd}


def _collective(name, award, so_qd="", ngay_qd=""):
    return {"unit_code": "BVDK", "ho_ten": name, "ngay_sinh": "", "gioi_tinh": "", "hinh_thuc": award,
            "doi_tuong": "Tập thể", "so_quyet_dinh": so_qd, "ngay_quyet_dinh": ngay_qd}


NOMINATIONS = pd.DataFrame([
    _person("Nguyễn Văn An", "13/02/1972", "Nam", "Lao động tiên tiến"),
    _person("Trần Thị Bình", "05/06/1968", "Nữ", "Huân chương Lao động hạng Ba"),
    _person("Lê Văn Cường", "01/01/1966", "Nam", "Thầy thuốc Nhân dân"),
    _person("Phạm Thị Dung", "02/03/1970", "Nữ", "Thầy thuốc Ưu tú"),
    _person("Hoàng Văn Em", "04/05/1971", "Nam", "Bằng khen của Thủ tướng Chính phủ"),
    _person("Vũ Thị Giang", "07/08/1975", "Nữ", "Chiến sĩ thi đua toàn quốc"),
    _person("Đỗ Văn Hải", "09/10/1974", "Nam", "Bằng khen UBND tỉnh"),
    _collective("Khoa Hồi sức tích cực", "Cờ thi đua của Chính phủ"),
    _collective("Khoa Nội tổng hợp", "Cờ thi đua của UBND tỉnh"),
    # a State honour whose decision is already recorded: granted, no longer proposed
    _person("Bùi Thị Lan", "11/12/1967", "Nữ", "Huân chương Lao động hạng Nhì", "1234/QĐ-CTN", "20/11/2024"),
])
STATE = ("Huân chương Lao động hạng Ba", "Thầy thuốc Nhân dân", "Thầy thuốc ưu tú", "Bằng khen của Thủ tướng",
         "Chiến sĩ thi đua toàn quốc", "Cờ thi đua của Chính phủ")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tham-quyen")
    master = create_master(folder / "ThiDua-2024.xlsx", 2024, UNITS, nominations=NOMINATIONS,
                           config={"so_quyet_dinh": "5", "ngay_van_ban": "25/12/2024", "so_to_trinh": "7"})
    out = folder / "van-ban"
    assert main(["report", str(master), "--out", str(out), "--kind", "bao-cao-tong-ket", "--kind", "to-trinh"]) in (0, 1)
    return out


def texts(path) -> list[str]:
    doc = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")]


def test_bao_cao_tells_state_awards_as_proposed_not_received(docs):
    body = "\n".join(texts(docs / "Bao-cao-tong-ket-2024.docx"))
    results = body.split("Kết quả cụ thể:")[1].split("5. Đánh giá")[0]
    granted, proposed = results.split("Đang đề nghị cấp trên khen thưởng (chưa có quyết định):")
    for name in STATE:
        assert name in proposed, name
        assert name not in granted, name
    assert "Cờ thi đua của UBND tỉnh: 01 tập thể" in proposed
    assert "Bằng khen cấp Tỉnh, Bộ, ngành: 01 cá nhân" in proposed
    # the Huân chương whose decision came back is received; the Sở's own awards are received
    assert "Huân chương Lao động hạng Nhì: 01 cá nhân" in granted and "hạng Nhì" not in proposed
    assert "lao động tiên tiến" in granted.lower()
    assert granted.strip().splitlines() == ["- Huân chương Lao động hạng Nhì: 01 cá nhân",
                                            "- Sở Y tế khen thưởng 01 lao động tiên tiến"]


def test_to_trinh_asks_the_province_to_grant_its_own_and_forward_the_rest(docs):
    t = texts(docs / "To-trinh-UBND-tinh-2024.docx")
    ask = next(x for x in t if "đề nghị Sở Nội vụ" in x)
    # his own: Cờ thi đua UBND tỉnh (1 collective), Bằng khen UBND tỉnh (1 person)
    assert "trình Chủ tịch Ủy ban nhân dân tỉnh Lào Cai xét tặng danh hiệu thi đua, hình thức khen thưởng cho " \
           "01 tập thể và 01 cá nhân" in ask
    # the rest he forwards: Cờ CP (1 collective); HCLĐ3, TTND, TTƯT, BK TTg, CSTĐ toàn quốc (5 persons)
    assert "trình cấp có thẩm quyền khen thưởng cho 01 tập thể và 05 cá nhân" in ask
    lines = [x for x in t if x.startswith("- ")]
    assert "- Cờ thi đua của Ủy ban nhân dân tỉnh: 01 tập thể;" in lines
    assert "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 01 cá nhân;" in lines
    assert "- Trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ: 01 tập thể;" in lines
    assert "- Trình Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ: 01 cá nhân;" in lines
    assert "- Trình Thủ tướng Chính phủ tặng danh hiệu Chiến sĩ thi đua toàn quốc: 01 cá nhân;" in lines
    assert "- Trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước tặng thưởng Huân chương Lao động hạng Ba: " \
           "01 cá nhân;" in lines
    assert "- Trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước phong tặng danh hiệu Thầy thuốc Nhân dân: " \
           "01 cá nhân." in lines or any(x.startswith("- Trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước "
                                                       "phong tặng danh hiệu Thầy thuốc Nhân dân") for x in lines)
    # nothing out of his power is asked of him as his own
    for x in lines:
        if not x.startswith("- Trình"):
            assert not any(name in x for name in STATE), x
    # the Huân chương already granted is not asked for again
    assert "hạng Nhì" not in "\n".join(t)
