"""Dates and Căn cứ from data, never from the clock.

The quyết định names the UBND decision on the Sở's functions by number and date, from `Cấu hình`
(without it the officer is asked for it before rendering); the biên bản is dated the day the
Hội đồng met.
"""
from __future__ import annotations

import pandas as pd
from docx import Document

from thidua_xl.cli import main
from thidua_xl.documents.can_cu import chuc_nang_line
from thidua_xl.workbook.master import create_master

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = pd.DataFrame({"unit_code": ["BVDK"], "unit": ["Bệnh viện Đa khoa tỉnh"], "email": ["bvdk@x.vn"]})
ROWS = pd.DataFrame([{"unit_code": "BVDK", "ho_ten": "Nguyễn Văn An", "ngay_sinh": "13/02/1980", "gioi_tinh": "Nam",
                      "hinh_thuc": "Lao động tiên tiến"}])


def _can_cu(path) -> list[str]:
    doc = Document(str(path))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")]
    return [t for t in texts if t.startswith("Căn cứ")]


def test_the_ubnd_decision_on_the_sos_functions_by_number_and_date(tmp_path, capsys):
    master = create_master(tmp_path / "ThiDua-2025.xlsx", 2025, UNITS, nominations=ROWS,
                           config={"so_quyet_dinh": "5", "ngay_van_ban": "25/12/2025",
                                   "qd_chuc_nang": "05/2025/QĐ-UBND ngày 10/3/2025"})
    assert main(["report", str(master), "--out", str(tmp_path / "vb"), "--kind", "quyet-dinh"]) == 0
    assert "chức năng, nhiệm vụ của Sở" not in capsys.readouterr().err
    assert ("Căn cứ Quyết định số 05/2025/QĐ-UBND ngày 10 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh Lào Cai quy "
            "định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Y tế;") in _can_cu(
        tmp_path / "vb" / "Quyet-dinh-LDTT-2025.docx")


def test_without_it_the_officer_is_asked_before_rendering(tmp_path, capsys):
    master = create_master(tmp_path / "ThiDua-2025.xlsx", 2025, UNITS, nominations=ROWS,
                           config={"so_quyet_dinh": "5", "ngay_van_ban": "25/12/2025"})
    assert main(["report", str(master), "--out", str(tmp_path / "vb"), "--kind", "quyet-dinh"]) == 0
    err = capsys.readouterr().err
    assert "Cần bổ sung" in err and "chức năng, nhiệm vụ của Sở" in " ".join(err.split())
    line = next(c for c in _can_cu(tmp_path / "vb" / "Quyet-dinh-LDTT-2025.docx") if "chức năng" in c)
    assert line.startswith("Căn cứ Quyết định của Ủy ban nhân dân tỉnh")


def test_the_setting_as_officers_type_it():
    assert chuc_nang_line("Quyết định số 12/QĐ-UBND ngày 01/02/2025", "Lào Cai", "Sở Y tế").startswith(
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 01 tháng 02 năm 2025 của Ủy ban nhân dân tỉnh Lào Cai")
    assert chuc_nang_line("12/2025/QĐ-UBND", "Lào Cai", "Sở Y tế").startswith(
        "Căn cứ Quyết định số 12/2025/QĐ-UBND của Ủy ban nhân dân tỉnh")


def test_the_minutes_are_dated_the_day_of_the_meeting(tmp_path):
    from thidua_xl.documents.bien_ban import meeting_date

    master = create_master(tmp_path / "ThiDua-2025.xlsx", 2025, UNITS, nominations=ROWS,
                           config={"ngay_van_ban": "25/12/2025", "hoi_dong_tong_so": "15", "hoi_dong_co_mat": "14",
                                   "thoi_gian_hop": "14 giờ 00 ngày 20 tháng 12 năm 2025"})
    assert main(["report", str(master), "--out", str(tmp_path / "vb"), "--kind", "bien-ban"]) == 0
    header = [c.text for row in Document(str(tmp_path / "vb" / "Bien-ban-Hoi-dong-TDKT-2025.docx")).tables[0].rows
              for c in row.cells]
    assert any("ngày 20 tháng 12 năm 2025" in c for c in header)
    assert not any("ngày 25 tháng 12" in c for c in header)
    assert meeting_date("8h30, 05/01/2026") == __import__("datetime").date(2026, 1, 5)
    assert meeting_date("sáng thứ Hai") is None
