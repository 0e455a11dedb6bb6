"""Rules that need the optional columns speak once the unit's file has them."""
from __future__ import annotations

import openpyxl

from thidua_xl.intake import read_paths
from thidua_xl.validate import validate


def test_lao_dong_tien_tien_needs_a_good_rating_discipline_free_and_ten_months(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Hình thức đề nghị", "Ngày sinh", "Giới tính", "Xếp loại", "Kỷ luật", "Ngày tuyển dụng"])
    ws.append(["Hà Văn Tốt", "LĐTT", "01/01/1980", "Nam", "HTTNV", "Không", "01/01/2015"])
    ws.append(["Lò Văn Yếu", "LĐTT", "01/01/1981", "Nam", "HTNV", None, "01/01/2015"])
    ws.append(["Vì Thị Phạt", "LĐTT", "01/01/1982", "Nữ", "HTTNV", "Khiển trách", "01/01/2015"])
    ws.append(["Sầm Văn Mới", "LĐTT", "01/01/1995", "Nam", "HTTNV", None, "01/09/2025"])
    f = tmp_path / "BVSN.xlsx"
    wb.save(f)
    findings = validate(read_paths([f]), 2025, history=False)
    by_row = {}
    for x in findings:
        if x.row:
            by_row.setdefault(x.row, set()).add(x.rule or "")
    assert not any("XEP_LOAI" in r or "KY_LUAT" in r or "TUYEN_DUNG" in r for r in by_row.get(2, set()))
    assert any("XEP_LOAI" in r for r in by_row[3])
    assert any("KY_LUAT" in r for r in by_row[4])
    assert any("TUYEN_DUNG" in r for r in by_row[5])


def test_subject_mismatch_points_at_the_gender_cell_when_there_is_no_birth_date(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Hình thức đề nghị", "Ngày sinh", "Giới tính"])
    ws.append(["Lù Thị Dín", "TTLĐTT", None, "Nữ"])
    ws.append(["Lò Văn Sử", "TTLĐTT", "1980", None])
    f = tmp_path / "CDC.xlsx"
    wb.save(f)
    found = {x.row: x.column for x in validate(read_paths([f]), 2025, history=False) if x.code == "SUBJECT_MISMATCH"}
    assert found == {2: "Giới tính", 3: "Ngày sinh"}
