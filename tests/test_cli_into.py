"""`consolidate --into` / `validate --into`: results land in the master, nothing of the officer's is lost."""
from __future__ import annotations

import json

import pandas as pd
import python_calamine as pc

from thidua_xl.cli import main
from thidua_xl.intake import read_paths
from thidua_xl.workbook.master import create_master


def _master(tmp_path):
    units = pd.DataFrame({"unit_code": ["BVDKT", "CDC"], "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh"],
                          "email": ["a@x.vn", "b@x.vn"]})
    noms = pd.DataFrame([
        {"unit_code": "BVDKT", "ho_ten": "Hà Văn An", "ngay_sinh": "12/03/1980", "gioi_tinh": "Nam", "hinh_thuc": "LĐTT"},
        {"unit_code": "BVDKT", "ho_ten": "Lò Thị Bình", "ngay_sinh": "1985", "gioi_tinh": "Nữ", "hinh_thuc": "Giấy khen"},
        {"unit_code": "CDC", "ho_ten": "Khoa Xét nghiệm", "hinh_thuc": "TTLĐTT", "doi_tuong": "Tập thể"},
        {"unit_code": "CDC", "ho_ten": "", "ngay_sinh": "01/01/1990", "gioi_tinh": "Nam", "hinh_thuc": "LĐTT"},
    ])
    return create_master(tmp_path / "ThiDua-2025.xlsx", 2025, units, nominations=noms)


def test_consolidate_into_writes_tong_hop_and_keeps_the_units_rows(tmp_path):
    master = _master(tmp_path)
    before = read_paths([master]).nominations[["unit_code", "ho_ten", "award"]].values.tolist()
    assert main(["consolidate", str(master), "--json", str(tmp_path / "a.json"), "--into", str(master)]) == 0
    names = pc.CalamineWorkbook.from_path(str(master)).sheet_names
    assert "Tổng hợp" in names and "Lao động tiên tiến" in names and "Bệnh viện Đa khoa tỉnh" in names
    after = read_paths([master]).nominations[["unit_code", "ho_ten", "award"]].values.tolist()
    assert after == before
    assert list((tmp_path / "sao-luu").glob("ThiDua-2025.*.xlsx"))
    # running it again replaces the sheets in place: same totals, same sheets
    assert main(["consolidate", str(master), "--json", str(tmp_path / "b.json"), "--into", str(master)]) == 0
    assert json.loads((tmp_path / "a.json").read_text("utf-8"))["totals"] == \
        json.loads((tmp_path / "b.json").read_text("utf-8"))["totals"]
    assert pc.CalamineWorkbook.from_path(str(master)).sheet_names.count("Tổng hợp") == 1


def test_validate_into_writes_the_kiem_tra_sheet(tmp_path):
    master = _master(tmp_path)
    assert main(["validate", str(master), "--into", str(master), "--history", str(_empty_history(tmp_path))]) == 1
    rows = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name("Kiểm tra").to_python()
    text = " ".join(str(c) for r in rows for c in r)
    assert "MISSING_FIELD" in text


def test_into_refuses_while_excel_has_the_master_open(tmp_path, capsys):
    master = _master(tmp_path)
    (tmp_path / f"~${master.name}").write_bytes(b"owner")
    digest = master.read_bytes()
    assert main(["consolidate", str(master), "--into", str(master)]) == 2
    assert "đang mở trong Excel" in capsys.readouterr().err
    assert master.read_bytes() == digest


def _empty_history(tmp_path):
    import sqlite3

    from thidua_xl import history

    db = tmp_path / "ls.sqlite"
    f = tmp_path / "ls.csv"
    f.write_text("Họ và tên,Ngày sinh,Đơn vị,Năm,Hình thức\nHà Văn An,12/03/1980,Bệnh viện Đa khoa tỉnh,2024,LĐTT\n",
                 encoding="utf-8")
    history.import_file(db, f)
    assert sqlite3.connect(db).execute("select count(*) from award").fetchone()[0] == 1
    return db


def test_into_refuses_a_master_carrying_an_xml_bomb(tmp_path, capsys):
    import zipfile

    master = _master(tmp_path)
    bombed = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(master) as zin, zipfile.ZipFile(bombed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>', 1)
            zout.writestr(info, data)
    before = bombed.read_bytes()
    assert main(["consolidate", str(master), "--into", str(bombed)]) == 2
    assert "bom.xlsx" in capsys.readouterr().err
    assert bombed.read_bytes() == before


def test_rewriting_code_refuses_dtds_itself():
    import pytest

    from thidua_xl.safety import Refused
    from thidua_xl.workbook.xmlparts import parse_xml

    assert parse_xml(b"<a><b/></a>").tag == "a"
    with pytest.raises(Refused):
        parse_xml(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
