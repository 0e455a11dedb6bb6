"""The master workbook made by `thidua init`: sheets, settings, dropdowns, print setup, sheet names."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from thidua_xl.catalog import load_catalog
from thidua_xl.cli import main
from thidua_xl.config import CONFIG_FIELDS, NARRATIVE_FIELDS, Config, narrative_from_kv
from thidua_xl.errors import UserError
from thidua_xl.intake import read_paths
from thidua_xl.workbook.layout import FIXED_SHEETS, unit_sheet_names
from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.patch import sheet_parts
from thidua_xl.workbook.units import read_units

from workbook_helpers import UNITS, make_master, to_cp1258


def _sheet_xml(path, name) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(sheet_parts(z)[name]).decode("utf-8")


def test_master_has_every_sheet_and_reads_back(tmp_path):
    noms = pd.DataFrame([
        {"unit_code": "BVDK", "ho_ten": "Nguyễn Văn An", "ngay_sinh": dt.date(1980, 2, 13), "gioi_tinh": "Nam",
         "hinh_thuc": "Lao động tiên tiến", "so_cccd": "001080000123"},
        {"unit_code": "BVDK", "ho_ten": "Khoa Dược", "hinh_thuc": "Giấy khen", "doi_tuong": "tap_the"},
        {"unit_code": "CDC", "Họ và tên": "Lê Thị Cúc", "Ngày sinh": 1975, "Giới tính": "Nữ",
         "Hình thức đề nghị": "CSTĐCS"},
    ])
    inits = pd.DataFrame([{"ten": "Cải tiến quy trình tiếp đón", "loai": "sang_kien", "cap": "co_so",
                           "tac_gia": "Lê Thị Cúc", "nam": 2025, "unit_code": "CDC"}])
    path = create_master(tmp_path / "master.xlsx", 2025, UNITS, nominations=noms, initiatives=inits,
                         narrative={"thuan_loi": "Được sự quan tâm của Tỉnh ủy."},
                         config={"giam_doc": "Nguyễn Văn Giám", "tinh": "Lào Cai"})
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    for fixed in FIXED_SHEETS:
        assert fixed in names
    assert names[:4] == ["Hướng dẫn", "Cấu hình", "Đơn vị", "Danh mục"]
    units_ws = wb["Đơn vị"]
    assert [c.value for c in units_ws[1]] == ["Mã đơn vị", "Tên đơn vị", "Email", "Tên sheet"]
    sheet_names = [units_ws.cell(r, 4).value for r in range(2, 6)]
    assert all(s in names for s in sheet_names)
    # catalogue: every award, code and name
    cat = wb["Danh mục"]
    assert cat.max_row == len(load_catalog().awards) + 1
    assert cat.protection.sheet
    intake = read_paths([path])
    assert intake.year == 2025
    assert list(intake.units["unit_code"]) == list(UNITS["unit_code"])
    assert Config.from_kv(intake.config).get("giam_doc") == "Nguyễn Văn Giám"
    assert Config.from_kv(intake.config).get("nam") == "2025"
    assert narrative_from_kv(intake.narrative) == {"thuan_loi": "Được sự quan tâm của Tỉnh ủy."}
    noms_read = intake.nominations
    assert list(noms_read["ho_ten"]) == ["Nguyễn Văn An", "Khoa Dược", "Lê Thị Cúc"]
    assert list(noms_read["award"]) == ["LDTT", "GK", "CSTDCS"]
    assert list(noms_read["subject"]) == ["ca_nhan", "tap_the", "ca_nhan"]
    assert list(noms_read["unit_code"]) == ["BVDK", "BVDK", "CDC"]
    assert noms_read["nam_sinh"].tolist()[2] == 1975
    assert len(intake.initiatives) == 1 and intake.initiatives["unit_code"].iloc[0] == "CDC"
    # the ID number stays text with its leading zeros, the year alone is not shown as a 1905 date
    ws = wb[sheet_names[0]]
    assert ws["E5"].value == "001080000123"
    assert ws["C5"].number_format == "dd/mm/yyyy" and isinstance(ws["C5"].value, dt.datetime)
    assert wb[sheet_names[3]]["C5"].value == "1975"
    assert not intake.findings


def test_config_sheet_has_every_label_and_no_password(tmp_path):
    path = make_master(tmp_path / "m.xlsx", 2024)
    ws = openpyxl.load_workbook(path)["Cấu hình"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    for _name, (label, _default) in CONFIG_FIELDS.items():
        assert label in labels
    assert labels["Năm"] == "2024"
    assert not any("mật khẩu" in (k or "").lower() or "password" in (k or "").lower() for k in labels)
    narrative = openpyxl.load_workbook(path)["Văn bản"]
    assert [narrative.cell(r, 1).value for r in range(1, len(NARRATIVE_FIELDS) + 1)] == list(NARRATIVE_FIELDS.values())


def test_unit_sheets_have_dropdowns_notes_formats_and_print_setup(tmp_path):
    path = make_master(tmp_path / "m.xlsx")
    sheet = unit_sheet_names(list(UNITS["unit"]))[0]
    xml = _sheet_xml(path, sheet)
    lists = re.findall(r'<dataValidation type="list"[^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)</formula1>', xml)
    formulas = {f for _ref, f in lists}
    assert "DS_HINH_THUC" in formulas
    assert '"Tập thể,Cá nhân"' in formulas and '"Nam,Nữ"' in formulas
    assert all(ref.endswith("2004") for ref, _f in lists)  # header on row 4, 2000 rows below
    assert xml.count('promptTitle="') >= 11  # an input message on each header and dropdown
    with zipfile.ZipFile(path) as z:
        wbxml = z.read("xl/workbook.xml").decode()
    assert re.search(r"<definedName name=\"DS_HINH_THUC\">'Danh mục'!\$B\$2:\$B\$\d+</definedName>", wbxml)
    ws = openpyxl.load_workbook(path)[sheet]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "C5"
    assert [c.value for c in ws[4]][:11] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chức vụ",
                                             "Khoa, phòng", "Hình thức đề nghị", "Đối tượng", "Sáng kiến", "Ghi chú"]
    assert ws["A2"].value == "Đơn vị: Bệnh viện Đa khoa tỉnh Lào Cai"
    # column formats: dates and text ID numbers
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="dd/mm/yyyy"' in styles
    id_col = re.search(r'<col min="5" max="5"[^>]*style="(\d+)"', xml)
    assert id_col, "the ID column has a style"
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    fmt_id = re.search(r'numFmtId="(\d+)"', xfs[int(id_col.group(1))]).group(1)
    assert fmt_id == "49" or f'<numFmt numFmtId="{fmt_id}" formatCode="@"/>' in styles  # "@" = text


@pytest.mark.parametrize("names", [
    ["Bệnh viện Đa khoa tỉnh Lào Cai – cơ sở 2 (khu vực Cam Đường)",
     "Bệnh viện Đa khoa tỉnh Lào Cai – cơ sở 2 (khu vực Bắc Hà)",
     "TTYT [Bát Xát]: phòng *khám*?/\\", "Danh mục", "History", "'Trạm Y tế'", "Lao động tiên tiến", ""],
])
def test_sheet_names_are_legal_unique_and_attributed(tmp_path, names):
    derived = unit_sheet_names(names)
    assert len(derived) == len(set(s.lower() for s in derived))
    for s in derived:
        assert 0 < len(s) <= 31
        assert not set(s) & set("[]:*?/\\")
        assert not s.startswith("'") and not s.endswith("'")
        assert s.lower() not in {"danh mục", "history", "lao động tiên tiến"}
    assert not derived[0].endswith((" ", ",", "-", "–"))
    units = pd.DataFrame({"unit_code": [f"U{i}" for i in range(len(names))],
                          "unit": [n or f"Đơn vị {i}" for i, n in enumerate(names)], "email": ""})
    noms = pd.DataFrame([{"unit_code": f"U{i}", "ho_ten": f"Người {i}", "ngay_sinh": 1980 + i, "gioi_tinh": "Nam",
                          "hinh_thuc": "LĐTT"} for i in range(len(names))])
    path = create_master(tmp_path / "m.xlsx", 2025, units, nominations=noms)
    intake = read_paths([path])
    assert not intake.findings
    assert dict(zip(intake.nominations["ho_ten"], intake.nominations["unit_code"])) == {
        f"Người {i}": f"U{i}" for i in range(len(names))}


def test_xlsm_master_is_macro_enabled(tmp_path):
    path = make_master(tmp_path / "m.xlsm")
    with zipfile.ZipFile(path) as z:
        ct = z.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    assert read_paths([path]).year == 2025


def test_create_master_refuses_bad_input(tmp_path):
    with pytest.raises(UserError):
        create_master(tmp_path / "m.xls", 2025, UNITS)
    dup = pd.concat([UNITS, UNITS.iloc[:1]], ignore_index=True)
    with pytest.raises(UserError, match="trùng"):
        create_master(tmp_path / "m.xlsx", 2025, dup)
    with pytest.raises(UserError, match="ZZZ"):
        create_master(tmp_path / "m.xlsx", 2025, UNITS,
                      nominations=pd.DataFrame([{"unit_code": "ZZZ", "ho_ten": "A", "hinh_thuc": "GK"}]))
    assert not (tmp_path / "m.xlsx").exists()


# --- the --units file ------------------------------------------------------------
CSV = "Mã đơn vị;Tên đơn vị;Email\nBVDK;Bệnh viện Đa khoa tỉnh;bvdk@x.vn\nTTYT-BT;Trung tâm Y tế huyện Bảo Thắng;\n"


@pytest.mark.parametrize("encoding,warned", [("utf-8", False), ("utf-8-sig", False), ("cp1258", True)])
def test_units_csv_encodings(tmp_path, encoding, warned):
    p = tmp_path / "units.csv"
    p.write_bytes(to_cp1258(CSV) if encoding == "cp1258" else CSV.encode(encoding))
    got = read_units(p)
    assert list(got.units["unit"]) == ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế huyện Bảo Thắng"]
    assert list(got.units["email"]) == ["bvdk@x.vn", ""]
    assert bool(got.warnings) == warned
    if warned:
        assert "UTF-8" in got.warnings[0]


def test_units_xlsx_and_errors(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐƠN VỊ"])
    ws.append(["Mã", "Tên đơn vị", "E-mail"])
    ws.append(["BVDK", "Bệnh viện Đa khoa tỉnh", "a@b.vn"])
    ws.append([None, None, None])
    ws.append([12, "Trạm Y tế", None])
    wb.save(tmp_path / "u.xlsx")
    got = read_units(tmp_path / "u.xlsx")
    assert list(got.units["unit_code"]) == ["BVDK", "12"]
    (tmp_path / "bad.csv").write_text("Tên;Số\nA;1\n", encoding="utf-8")
    with pytest.raises(UserError, match="Mã đơn vị"):
        read_units(tmp_path / "bad.csv")
    (tmp_path / "dup.csv").write_text("Mã đơn vị,Tên đơn vị\nA,X\na,Y\n", encoding="utf-8")
    with pytest.raises(UserError, match="trùng"):
        read_units(tmp_path / "dup.csv")
    with pytest.raises(UserError):
        read_units(tmp_path / "missing.csv")


def test_cli_init(tmp_path, capsys):
    (tmp_path / "units.csv").write_bytes(to_cp1258(CSV))
    master = tmp_path / "master.xlsx"
    assert main(["init", str(master), "--year", "2025", "--units", str(tmp_path / "units.csv")]) == 0
    out = capsys.readouterr()
    assert "2 đơn vị" in " ".join(out.out.split()) and "UTF-8" in out.err
    assert list(read_paths([master]).units["unit_code"]) == ["BVDK", "TTYT-BT"]
    before = master.read_bytes()
    assert main(["init", str(master), "--year", "2026"]) == 2  # never overwrites silently
    assert master.read_bytes() == before
    assert main(["init", str(master), "--year", "2026", "--force", "--units", str(tmp_path / "units.csv")]) == 0
    assert read_paths([master]).year == 2026
    empty = tmp_path / "empty.xlsx"
    assert main(["init", str(empty), "--year", "2026"]) == 0  # units typed in Excel later
    assert main(["split", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert "chưa có đơn vị" in " ".join(capsys.readouterr().err.split())
    assert list((tmp_path / "sao-luu").iterdir())  # the old master was kept


def test_votes_sheet_feeds_the_bien_ban(tmp_path):
    from thidua_xl.documents.votes import read_votes

    path = make_master(tmp_path / "m.xlsx")
    assert read_votes([path]) == {}  # nothing voted yet
    wb = openpyxl.load_workbook(path)
    ws = wb["Biểu quyết"]
    assert [c.value for c in ws[3]][:4] == ["STT", "Hình thức", "Số thành viên Hội đồng", "Số phiếu đồng ý"]
    assert ws["B4"].value == load_catalog().awards[0].name
    ws["C4"], ws["D4"] = 9, 8
    wb.save(path)
    assert read_votes([path]) == {load_catalog().awards[0].code: 8}
