"""The ribbon's buttons of the loop with the units (Tình hình nộp, Phản hồi đơn vị), on xlwings' own
objects (the remote engine, as tests/test_xl.py runs the others): the same rows as the command line."""
from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from contract_helpers import run_cli
from workbook_helpers import fill_unit_file
from xl_helpers import UNITS, actions, alert, payload_of, sheet_index, xw

from thidua_xl import xl
from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.split import split_master


@pytest.fixture()
def office(tmp_path, capsys):
    """A saved master whose units BVDK and TTYT-BT have replied (TTYT-BT with an unknown award); CDC has not."""
    folder = tmp_path / "Thi đua 2025"
    folder.mkdir()
    master = create_master(folder / "ThiDua.xlsx", 2025, UNITS)
    sent = split_master(master, tmp_path / "gui")
    back = tmp_path / "ve"
    back.mkdir()
    rows = {"BVDK": [("Nguyễn Văn An", "13/02/1980", "Nam", "", "", "", "LĐTT", "")],
            "TTYT-BT": [("Phạm Thị Dung", "01/12/1990", "Nữ", "", "", "", "LĐTT", ""),
                        ("Lý Thị Gấm", "07/07/1988", "Nữ", "", "", "", "Huân chương Hữu nghị", "")]}
    for f in sent:
        if f.stem in rows:
            fill_unit_file(f, rows[f.stem])
            shutil.copy2(f, back / f.name)
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    return master, back


def test_tinh_hinh_nop_writes_the_same_rows_as_thidua_status(office, tmp_path, capsys):
    master, _back = office
    book = xw.Book(json=payload_of(master, name=str(master)))
    message = xl.run("tinh_hinh_nop", book)
    text, mode = alert(book)
    assert mode != "critical", text
    assert "2/3 đơn vị đã nộp" in message and "Trung tâm Kiểm soát bệnh tật tỉnh" in message
    i = sheet_index(book, xl.STATUS_SHEET)
    (block,) = [a["values"] for a in actions(book, "setValues") if a["sheet_position"] == i]
    js = tmp_path / "s.json"
    assert run_cli(capsys, "status", master, "--json", js)[0] == 0
    cli_units = json.loads(js.read_text("utf-8"))["units"]
    assert [r[0] for r in block[3:]] == [u["unit_code"] for u in cli_units]
    assert block[3][2] == "CHƯA NỘP" and block[4][2] == "Đã nộp"
    colours = [a for a in actions(book, "setRangeColor") if a["sheet_position"] == i]
    missing = [c for c in colours if c["args"][0].lower() == xl.COLOR_SEVERITY["error"].lower()]
    assert len(missing) == 1 and missing[0]["start_row"] == 3 and missing[0]["row_count"] == 1  # CDC's row


def test_phan_hoi_writes_the_units_feedback_files_like_thidua_feedback(office):
    master, back = office
    book = xw.Book(json=payload_of(master, name=str(master)))
    xl.run("phan_hoi", book)
    text, mode = alert(book)
    assert mode != "critical", text
    out = master.parent / xl.RESULTS_DIR / "phan-hoi"
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["TTYT-BT.xlsx"]
    fix = openpyxl.load_workbook(out / "TTYT-BT.xlsx")["Cần sửa"]
    rows = [[c.value for c in r] for r in fix.iter_rows(min_row=5) if r[0].value]
    ws = openpyxl.load_workbook(back / "TTYT-BT.xlsx").worksheets[0]
    gam = next(r for r in range(1, 30) if ws.cell(r, 2).value == "Lý Thị Gấm")
    assert any(r[3] == gam and "UNKNOWN_AWARD" in r[7] for r in rows), rows
    # "Gửi email" then drafts the feedback to that unit
    book2 = xw.Book(json=payload_of(master, name=str(master)))
    xl.run("gui_email", book2)
    drafts = list((master.parent / xl.RESULTS_DIR / "thu" / "phan-hoi").glob("*.eml"))
    assert len(drafts) == 1 and "TTYT-BT" in drafts[0].name
