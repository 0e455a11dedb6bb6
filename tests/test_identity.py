"""Whose file is it: a file naming two units is refused, the same file twice counts once, and two units
given one sheet of the master are never written over each other."""
from __future__ import annotations

import json
import os
import shutil
import time

import openpyxl

from badfile_helpers import good_unit, sha256_tree
from badfile_helpers import run
from thidua_xl.fileio import sha256
from thidua_xl.intake import read_paths
from thidua_xl.workbook.split import split_master
from workbook_helpers import FILLED, fill_unit_file, make_master


def _returned(tmp_path):
    master = make_master(tmp_path / "master.xlsx")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    for code in ("TTYT-SP", "CDC", "TTYT-BT", "BVDK"):
        files[code].unlink()
    return master, out, tmp_path / "tach", files


def test_a_file_carrying_another_units_code_is_refused_and_nothing_is_overwritten(tmp_path, capsys):
    master = make_master(tmp_path / "master.xlsx")
    split = {f.stem: f for f in split_master(master, tmp_path / "tach")}
    out = tmp_path / "ve"
    out.mkdir()
    # first BVDK's own rows are collected
    shutil.copy(split["BVDK"], out / "BVDK.xlsx")
    fill_unit_file(out / "BVDK.xlsx", FILLED["BVDK"])
    assert run(capsys, "collect", out, "--into", master)[0] == 0
    (out / "BVDK.xlsx").unlink()
    # then CDC fills BVDK's template (hidden code BVDK, "Đơn vị: Bệnh viện …") and sends it as CDC-2.xlsx
    shutil.copy(split["BVDK"], out / "CDC-2.xlsx")
    fill_unit_file(out / "CDC-2.xlsx", FILLED["TTYT-BT"])
    shutil.copy(split["TTYT-SP"], out / "TTYT-SP.xlsx")  # and another unit's good file in the same folder
    fill_unit_file(out / "TTYT-SP.xlsx", [("Vũ Thị Giang", 1988, "Nữ", "", "", "", "Lao động tiên tiến", "")])
    before = sha256(master)
    code, text = run(capsys, "collect", out, "--into", master)
    assert code == 1
    assert "CDC-2.xlsx" in text and "nhiều đơn vị" in text and "BVDK" in text
    rows = read_paths([master]).nominations.groupby("unit_code").size().to_dict()
    assert rows == {"BVDK": len(FILLED["BVDK"]), "TTYT-SP": 1}  # BVDK kept, the other unit collected
    assert sha256(master) != before
    code, text = run(capsys, "validate", master, out, "--json", tmp_path / "v.json")
    found = json.loads((tmp_path / "v.json").read_text("utf-8"))["findings"]
    assert code == 1 and [f["file"] for f in found if f["code"] == "UNIT_MISMATCH"] == ["CDC-2.xlsx"]


def test_the_same_file_twice_counts_once(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "CDC.xlsx", unit="Trung tâm Kiểm soát bệnh tật tỉnh")
    shutil.copy(folder / "CDC.xlsx", folder / "CDC (1).xlsx")
    good_unit(folder / "B.xlsx", unit="Bệnh viện B", rows=[[1, "Đặng Thị Hoa", "01/02/1990", "Nữ", "", "", "LĐTT"],
                                                           [2, "Mai Văn Nam", "01/02/1991", "Nam", "", "", "LĐTT"],
                                                           [3, "Lý Thị Lan", "01/02/1992", "Nữ", "", "", "GK"]])
    before = sha256_tree(folder)
    code, text = run(capsys, "consolidate", folder, "--year", 2024, "--json", tmp_path / "c.json")
    c = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert code == 1 and c["rows"] == 6 and c["totals"]["LDTT"]["ca_nhan"] == 4
    assert "giống hệt" in text and "CDC (1).xlsx" in text
    code, text = run(capsys, "validate", folder, "--year", 2024, "--json", tmp_path / "v.json")
    found = json.loads((tmp_path / "v.json").read_text("utf-8"))["findings"]
    assert [f["code"] for f in found if f["code"] == "DUPLICATE"] == []  # no row is its own duplicate
    assert len([f for f in found if f["code"] == "DUPLICATE_FILE"]) == 1
    assert sha256_tree(folder) == before


def test_two_files_of_one_unit_in_a_folder_count_the_newest(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    old = good_unit(folder / "CDC-cu.xlsx", unit="Trung tâm Kiểm soát bệnh tật tỉnh")
    past = time.time() - 3600
    os.utime(old, (past, past))
    good_unit(folder / "CDC-moi.xlsx", unit="Trung tâm Kiểm soát bệnh tật tỉnh",
              rows=[[1, "Đặng Thị Hoa", "01/02/1990", "Nữ", "", "", "Lao động tiên tiến"]])
    code, text = run(capsys, "consolidate", folder, "--year", 2024, "--json", tmp_path / "c.json")
    c = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert code == 1 and c["rows"] == 1
    assert "CDC-cu.xlsx" in text and "CDC-moi.xlsx" in text and "mới hơn" in text


def test_two_units_on_one_master_sheet_are_refused(tmp_path, capsys):
    master = make_master(tmp_path / "master.xlsx")
    split = {f.stem: f for f in split_master(master, tmp_path / "tach")}
    wb = openpyxl.load_workbook(master)
    ws = wb["Đơn vị"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã đơn vị")
    col = next(c for c in range(1, 10) if ws.cell(header, c).value == "Tên sheet")
    sheet_of = {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(header + 1, header + 5)}
    for r in range(header + 1, header + 5):
        if ws.cell(r, 1).value == "TTYT-BT":
            ws.cell(r, col).value = sheet_of["BVDK"]  # a typo: two units on BVDK's sheet
    wb.save(master)
    out = tmp_path / "ve"
    out.mkdir()
    for code in ("BVDK", "TTYT-BT", "CDC"):
        shutil.copy(split[code], out / f"{code}.xlsx")
    fill_unit_file(out / "BVDK.xlsx", FILLED["BVDK"])
    fill_unit_file(out / "TTYT-BT.xlsx", FILLED["TTYT-BT"])
    fill_unit_file(out / "CDC.xlsx", [("Vũ Thị Giang", 1988, "Nữ", "", "", "", "Lao động tiên tiến", "")])
    code, text = run(capsys, "collect", out, "--into", master)
    assert code == 1 and "nhiều đơn vị" in text and sheet_of["BVDK"] in text
    it = read_paths([master])
    assert it.nominations.groupby("unit_code").size().to_dict() == {"CDC": 1}
    assert any(f.code == "UNIT_SHEET_CONFLICT" for f in it.findings)
