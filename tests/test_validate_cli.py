"""`thidua validate` from the command line: exit codes, the JSON of docs/interface.md §4, the Kiểm tra workbook."""
from __future__ import annotations

import json

import openpyxl
from validate_helpers import FIRST_ROW, ldtt_rows, person, write_unit

from thidua_xl.cli import main

R = FIRST_ROW


def test_validate_json_has_the_contract_shape_and_errors_exit_1(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "Giấy khen"), person("Nguyễn Văn An", "Giấy khen"),
        person("Lê Văn Bình", "Lao động tiên tiếm")])
    out = tmp_path / "kq.json"
    assert main(["validate", str(unit), "--year", "2020", "--json", str(out)]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"year", "findings", "counts"} and data["year"] == 2020
    keys = {"file", "sheet", "row", "column", "unit", "code", "severity", "message", "rule", "legal_basis"}
    assert all(keys <= set(f) for f in data["findings"])
    got = {(f["file"], f["row"], f["code"]) for f in data["findings"]}
    assert got == {("BV.xlsx", R, "DUPLICATE"), ("BV.xlsx", R + 1, "DUPLICATE"), ("BV.xlsx", R + 2, "UNKNOWN_AWARD")}
    assert data["counts"] == {"error": 3, "warning": 0}
    dup = next(f for f in data["findings"] if f["code"] == "DUPLICATE")
    assert dup["sheet"] == "Đề nghị" and dup["unit"] == "Bệnh viện A" and dup["column"] == "Họ và tên"


def test_clean_files_exit_0_and_the_year_comes_from_the_title(tmp_path, capsys):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "Giấy khen")] + ldtt_rows(3),
                      year=2021)
    out = tmp_path / "kq.json"
    assert main(["validate", str(unit), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2021 and data["counts"] == {"error": 0, "warning": 0}
    assert "Kết quả kiểm tra năm 2021" in capsys.readouterr().out
    totals = tmp_path / "th.json"
    assert main(["consolidate", str(unit), "--json", str(totals)]) == 0
    assert json.loads(totals.read_text(encoding="utf-8"))["rows"] == 4  # the rows were read, not skipped


def test_missing_rules_or_history_file_is_exit_2(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "Giấy khen")])
    assert main(["validate", str(unit), "--rules", str(tmp_path / "khong-co.toml")]) == 2
    assert main(["validate", str(unit), "--history", str(tmp_path / "khong-co.sqlite")]) == 2


def test_rules_option_applies_the_sos_override(tmp_path):
    rows = ldtt_rows(7) + [person("Cán bộ An", "CSTĐCS", dob="01/03/1980", Sáng_kiến="SK"),
                           person("Cán bộ Bình", "CSTĐCS", dob="02/03/1981", Sáng_kiến="SK")]
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows)
    assert main(["validate", str(unit), "--year", "2020"]) == 1
    over = tmp_path / "quy-dinh.toml"
    over.write_text('[[rule]]\nid = "A.CSTDCS.TY_LE"\nparams = { ratio = 0.3, max_ratio = 0.3 }\n', encoding="utf-8")
    assert main(["validate", str(unit), "--year", "2020", "--rules", str(over)]) == 0


def test_out_writes_a_kiem_tra_sheet_linked_to_highlighted_cells(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "Giấy khen", dob="31/02/1980"), person("Lê Văn Bình", "Giấy khen")])
    out = tmp_path / "kiem-tra.xlsx"
    assert main(["validate", str(unit), "--year", "2020", "--out", str(out)]) == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Kiểm tra", "Đề nghị (đánh dấu)"]
    ws = wb["Kiểm tra"]
    header = [c.value for c in ws[3]]
    from thidua_xl.tables import CHECK_HEADERS

    assert header == CHECK_HEADERS  # the very columns the ribbon's Kiểm tra writes
    assert header[:9] == ["STT", "Mức", "Mã", "Đơn vị", "Tệp", "Trang tính", "Dòng", "Cột", "Nội dung"]
    line = [c.value for c in ws[4]]
    assert line[1:8] == ["Lỗi", "BAD_DATE", "Bệnh viện A", "BV.xlsx", "Đề nghị", str(R), "Ngày sinh"]
    assert ws.cell(row=4, column=1).fill.fgColor.rgb.endswith("F8CBAD")  # the whole line in the error colour
    link = ws.cell(row=4, column=7).hyperlink
    assert link is not None and link.location == "'Đề nghị (đánh dấu)'!G2"
    copy = wb["Đề nghị (đánh dấu)"]
    assert copy["F2"].value == "Nguyễn Văn An" and copy["G2"].value == "31/02/1980"
    assert copy["G2"].fill.fgColor.rgb.endswith("F8CBAD")
    assert copy["G3"].fill.fgColor.rgb in (None, "00000000")
