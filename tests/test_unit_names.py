"""Unit codes that make bad file names: `split` and `email` agree on one safe name, or refuse clearly."""
from __future__ import annotations

import pandas as pd
import pytest

from badfile_helpers import run
from thidua_xl import mail
from thidua_xl.errors import UserError
from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.split import split_master, unit_file_name

ODD = pd.DataFrame({
    "unit_code": ["BVĐK/01", "CON", "nul", "TT:YT"],
    "unit": ["Bệnh viện Đa khoa số 1", "Trung tâm Con Cuông", "Trạm Nul", "Trung tâm Y tế"],
    "email": ["a@example.vn", "b@example.vn", "c@example.vn", "d@example.vn"],
})


def test_split_and_email_use_the_same_safe_file_names(tmp_path):
    master = create_master(tmp_path / "m.xlsx", 2025, ODD)
    files = split_master(master, tmp_path / "tach")
    names = sorted(f.name for f in files)
    assert names == sorted(["BVĐK-01.xlsx", "CON_.xlsx", "nul_.xlsx", "TT-YT.xlsx"])
    results = mail.send_unit_files(master, tmp_path / "tach", draft_dir=tmp_path / "nhap")
    assert all(d.status == "draft" for d in results), [d.line() for d in results]
    emls = sorted(d.eml.name for d in results)
    assert emls == sorted(["BVĐK-01.eml", "CON_.eml", "nul_.eml", "TT-YT.eml"])  # no device names on Windows


def test_a_300_character_unit_code_is_refused_when_the_master_is_made(tmp_path, capsys):
    units = tmp_path / "dv.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\n" + "X" * 300 + ",Đơn vị dài,x@example.vn\n", encoding="utf-8")
    code, text = run(capsys, "init", tmp_path / "m.xlsx", "--year", 2025, "--units", units)
    assert code == 2 and "300 ký tự" in text and not (tmp_path / "m.xlsx").exists()
    with pytest.raises(UserError, match="300 ký tự"):
        unit_file_name("X" * 300)


def test_two_codes_that_make_one_file_name_are_refused_before_writing(tmp_path, capsys):
    import openpyxl

    units = pd.DataFrame({"unit_code": ["AB1", "AB2"], "unit": ["Đơn vị 1", "Đơn vị 2"], "email": ["", ""]})
    master = create_master(tmp_path / "m.xlsx", 2025, units)
    wb = openpyxl.load_workbook(master)  # codes edited by hand afterwards, past the check `init` makes
    for row in wb["Đơn vị"].iter_rows():
        for c in row:
            if c.value in ("AB1", "AB2"):
                c.value = {"AB1": "A/B", "AB2": "A:B"}[c.value]
    wb.save(master)
    code, text = run(capsys, "split", master, "--out", tmp_path / "tach")
    assert code == 2 and "A-B.xlsx" in text and "Chưa ghi gì" in text
    assert not list((tmp_path / "tach").glob("*.xlsx")) if (tmp_path / "tach").exists() else True


def test_split_never_writes_over_its_own_master(tmp_path, capsys):
    units = pd.DataFrame({"unit_code": ["m"], "unit": ["Đơn vị M"], "email": [""]})
    master = create_master(tmp_path / "m.xlsx", 2025, units)
    raw = master.read_bytes()
    code, text = run(capsys, "split", master, "--out", tmp_path)
    assert code == 2 and "ghi đè" in text and master.read_bytes() == raw
