"""`thidua split`: one file per unit that a unit can fill and the Sở can read back."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from thidua_xl.cli import main
from thidua_xl.errors import UserError
from thidua_xl.intake import META_SHEET, read_paths
from thidua_xl.workbook.patch import sheet_parts
from thidua_xl.workbook.split import UNIT_FILE_SHEET, split_master, unit_file_name

from workbook_helpers import UNITS, make_master


@pytest.fixture()
def master(tmp_path):
    noms = pd.DataFrame([
        {"unit_code": "BVDK", "ho_ten": "Nguyễn Văn An", "ngay_sinh": dt.date(1980, 2, 13), "gioi_tinh": "Nam",
         "hinh_thuc": "Lao động tiên tiến", "so_cccd": "001080000123"},
        {"unit_code": "BVDK", "ho_ten": "Khoa Dược", "hinh_thuc": "Giấy khen", "doi_tuong": "Tập thể"},
        {"unit_code": "CDC", "ho_ten": "Lê Thị Cúc", "ngay_sinh": 1975, "gioi_tinh": "Nữ", "hinh_thuc": "CSTĐCS",
         "sang_kien": "Cải tiến quy trình"},
    ])
    inits = pd.DataFrame([{"ten": "Cải tiến quy trình", "loai": "sang_kien", "cap": "co_so",
                           "tac_gia": "Lê Thị Cúc", "nam": 2025, "unit_code": "CDC"}])
    return make_master(tmp_path / "master.xlsx", nominations=noms, initiatives=inits)


def test_one_file_per_unit_with_code_rows_and_year(master, tmp_path):
    files = split_master(master, tmp_path / "out")
    assert [f.name for f in files] == ["BVDK.xlsx", "TTYT-BT.xlsx", "TTYT-SP.xlsx", "CDC.xlsx"]
    intake = read_paths(files)
    assert not intake.findings
    for rep, code in zip(intake.files, UNITS["unit_code"]):
        assert rep.unit_code == code and rep.unit_source == "mã đơn vị ghi trong tệp" and rep.year == 2025
    got = intake.nominations
    assert list(zip(got["unit_code"], got["ho_ten"], got["award"], got["subject"])) == [
        ("BVDK", "Nguyễn Văn An", "LDTT", "ca_nhan"), ("BVDK", "Khoa Dược", "GK", "tap_the"),
        ("CDC", "Lê Thị Cúc", "CSTDCS", "ca_nhan")]
    assert got["ngay_sinh"].iloc[0] == dt.date(1980, 2, 13) and got["nam_sinh"].iloc[2] == 1975
    assert list(intake.initiatives["unit_code"]) == ["CDC"]
    # the same rows read from the master and from the unit files
    from_master = read_paths([master]).nominations
    assert list(from_master["person_key"]) == list(got["person_key"])


def test_unit_file_layout(master, tmp_path):
    path = split_master(master, tmp_path / "out")[0]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [UNIT_FILE_SHEET, "Sáng kiến", "Danh mục", META_SHEET]
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert [[c.value for c in r] for r in meta.iter_rows()] == [
        ["ma_don_vi", "BVDK"], ["ten_don_vi", "Bệnh viện Đa khoa tỉnh Lào Cai"], ["nam", "2025"]]
    assert wb.defined_names["MA_DON_VI"].attr_text == f"'{META_SHEET}'!$B$1"
    assert "DS_HINH_THUC" in wb.defined_names
    assert wb["Danh mục"].protection.sheet and wb["Danh mục"].max_row > 20
    ws = wb[UNIT_FILE_SHEET]
    assert ws["A2"].value == "Đơn vị: Bệnh viện Đa khoa tỉnh Lào Cai"
    assert ws["A3"].value.startswith("Hướng dẫn")  # the instruction block above the table
    header = 7
    assert ws.cell(header, 2).value == "Họ và tên"
    assert ws.cell(header + 1, 2).value == "Nguyễn Văn An"
    assert ws.cell(header + 1, 5).value == "001080000123"
    assert ws.cell(header + 1, 3).number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == f"C{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToHeight == 0
    dv = {str(d.sqref): (d.type, d.formula1, d.promptTitle) for d in ws.data_validations.dataValidation}
    first, last = header + 1, header + 2000
    assert dv[f"H{first}:H{last}"][:2] == ("list", "DS_HINH_THUC")
    assert dv[f"I{first}:I{last}"][:2] == ("list", '"Tập thể,Cá nhân"')
    assert dv[f"D{first}:D{last}"][:2] == ("list", '"Nam,Nữ"')
    notes = {d.promptTitle for d in ws.data_validations.dataValidation if str(d.sqref).endswith(str(header))}
    assert {"STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Đối tượng", "Ghi chú"} <= notes
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_parts(z)[UNIT_FILE_SHEET]).decode()
    assert re.search(r'<dataValidation type="list"[^>]*>\s*<formula1>DS_HINH_THUC</formula1>', xml)


def test_split_refuses_what_is_not_a_master(tmp_path):
    with pytest.raises(UserError):
        split_master(tmp_path / "none.xlsx", tmp_path / "out")
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Hình thức đề nghị"])
    wb.save(tmp_path / "unit.xlsx")
    with pytest.raises(UserError, match="không phải tệp tổng hợp"):
        split_master(tmp_path / "unit.xlsx", tmp_path / "out")


def test_file_names_from_codes():
    assert unit_file_name("BVĐK/01") == "BVĐK-01.xlsx"
    assert unit_file_name("TT:YT*") == "TT-YT-.xlsx"
    assert unit_file_name("CON") == "CON_.xlsx" and unit_file_name("com1") == "com1_.xlsx"


def test_cli_split(master, tmp_path, capsys):
    assert main(["split", str(master), "--out", str(tmp_path / "o")]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == sorted(f"{c}.xlsx" for c in UNITS["unit_code"])
    assert "4 tệp" in capsys.readouterr().out
    assert main(["split", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "o")]) == 2
