"""The Sở's `Kết quả xét` column: in the master's unit sheets with its dropdown, never in the units' files,
kept row by row when the units send their files again."""
from __future__ import annotations

import openpyxl

from thidua_xl.intake import read_paths
from thidua_xl.workbook.collect import collect
from thidua_xl.workbook.split import UNIT_FILE_SHEET, split_master

from workbook_helpers import FILLED, fill_unit_file, make_master


def _sheet_of(wb, prefix: str):
    return next(s for s in wb.worksheets if s.title.startswith(prefix))


def _header(ws) -> tuple[int, dict[str, int]]:
    row = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Họ và tên")
    return row, {ws.cell(row, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(row, c).value}


def test_master_has_the_column_with_its_dropdown_and_units_never_see_it(tmp_path):
    master = make_master(tmp_path / "ThiDua.xlsx")
    ws = _sheet_of(openpyxl.load_workbook(master), "Bệnh viện Đa khoa")
    row, cols = _header(ws)
    assert {"Kết quả xét", "Số quyết định", "Ngày quyết định"} <= set(cols)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    col_letter = openpyxl.utils.get_column_letter(cols["Kết quả xét"])
    choice = next(dv for dv in lists if str(dv.sqref).startswith(f"{col_letter}{row + 1}"))
    assert choice.formula1 == '"Đồng ý,Không đồng ý,Chuyển cấp trên"'
    for unit_file in split_master(master, tmp_path / "gui"):
        _r, unit_cols = _header(openpyxl.load_workbook(unit_file)[UNIT_FILE_SHEET])
        assert not {"Kết quả xét", "Số quyết định", "Ngày quyết định"} & set(unit_cols), unit_file.name


def test_collect_keeps_the_result_of_each_row_and_split_leaves_it_out(tmp_path):
    master = make_master(tmp_path / "ThiDua.xlsx")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    fill_unit_file(files["BVDK"], FILLED["BVDK"])
    assert collect(out, master).written
    # the Sở's secretary marks two rows after the Hội đồng's meeting
    wb = openpyxl.load_workbook(master)
    ws = _sheet_of(wb, "Bệnh viện Đa khoa")
    row, cols = _header(ws)
    names = {ws.cell(r, cols["Họ và tên"]).value: r for r in range(row + 1, row + 10) if ws.cell(r, 2).value}
    ws.cell(names["Lê Văn Cường"], cols["Kết quả xét"], "Không đồng ý")
    ws.cell(names["Trần Thị Bình"], cols["Kết quả xét"], "Đồng ý")
    ws.cell(names["Trần Thị Bình"], cols["Số quyết định"], "123/QĐ-UBND")
    wb.save(master)
    # the unit sends its file again: one row more, the others unchanged but in another order
    files = {f.stem: f for f in split_master(master, tmp_path / "lan-2")}
    again = [FILLED["BVDK"][2], FILLED["BVDK"][0], FILLED["BVDK"][1],
             ("Đinh Thị Mới", "01/01/1992", "Nữ", "", "Dược sĩ", "Khoa Dược", "LĐTT", "")]
    rows_ws = openpyxl.load_workbook(files["BVDK"])
    ws_u = rows_ws[UNIT_FILE_SHEET]
    hdr, _c = _header(ws_u)
    ws_u.delete_rows(hdr + 1, 20)
    rows_ws.save(files["BVDK"])
    fill_unit_file(files["BVDK"], again)
    report = collect(files["BVDK"], master)
    assert report.written and not report.refused
    n = read_paths([master]).nominations.set_index("ho_ten")
    assert n.loc["Lê Văn Cường", "ket_qua_xet"] == "Không đồng ý"
    assert n.loc["Trần Thị Bình", "ket_qua_xet"] == "Đồng ý"
    assert n.loc["Trần Thị Bình", "so_quyet_dinh"] == "123/QĐ-UBND"
    assert n.loc["Nguyễn Văn An", "ket_qua_xet"] == "" and n.loc["Đinh Thị Mới", "ket_qua_xet"] == ""
    # and the unit's next file still does not carry the Sở's columns
    again_split = split_master(master, tmp_path / "lan-3")
    bvdk = next(f for f in again_split if f.stem == "BVDK")
    _r, unit_cols = _header(openpyxl.load_workbook(bvdk)[UNIT_FILE_SHEET])
    assert "Kết quả xét" not in unit_cols and "Số quyết định" not in unit_cols
    assert len(read_paths([bvdk]).nominations) == 4
