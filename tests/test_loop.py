"""The loop with the units, as an office lives it: three units, two reply, one with an error, a
supplement, feedback in the unit's own rows, reminders, next year from this year."""
from __future__ import annotations

import datetime as dt
import email
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from contract_helpers import no_traceback, run_cli
from workbook_helpers import fill_unit_file

from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.split import split_master

UNITS = pd.DataFrame({
    "unit_code": ["BVDK", "TTYT-BT", "CDC"],
    "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế huyện Bảo Thắng", "Trung tâm Kiểm soát bệnh tật tỉnh"],
    "email": ["bvdk@example.vn", "bt@example.vn", "cdc@example.vn"],
})
ROWS = {
    "BVDK": [("Nguyễn Văn An", "13/02/1980", "Nam", "", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến", ""),
             ("Trần Thị Bình", "05/06/1985", "Nữ", "", "Điều dưỡng", "Khoa Ngoại", "LĐTT", "")],
    # the third row's award does not exist: the unit must be told about ITS row 9 (header on row 6)
    "TTYT-BT": [("Phạm Thị Dung", "01/12/1990", "Nữ", "", "Y sĩ", "Trạm Y tế", "Lao động tiên tiến", ""),
                ("Hoàng Văn Em", "05/01/1970", "Nam", "", "Giám đốc", "Ban Giám đốc", "LĐTT", ""),
                ("Lý Thị Gấm", "07/07/1988", "Nữ", "", "Kế toán", "Phòng TCKT", "Huân chương Hữu nghị", "")],
}


@pytest.fixture()
def office(tmp_path):
    """A master of three units; BVDK and TTYT-BT have replied (files in ve/), CDC has not."""
    master = create_master(tmp_path / "ThiDua-2025.xlsx", 2025, UNITS, config={"han_nop": "15/12/2025"})
    sent = split_master(master, tmp_path / "gui")
    back = tmp_path / "ve"
    back.mkdir()
    for f in sent:
        if f.stem in ROWS:
            fill_unit_file(f, ROWS[f.stem])
            (back / f.name).write_bytes(f.read_bytes())
    return master, back


def _header_row(path: Path) -> int:
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    return next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if r and "Họ và tên" in r)


def test_status_lists_the_unit_that_has_not_sent_first(capsys, office, tmp_path):
    master, back = office
    code, out, err = run_cli(capsys, "collect", back, "--into", master)
    assert code == 0, err
    js = tmp_path / "tinh-hinh.json"
    code, out, err = run_cli(capsys, "status", master, "--json", js, "--out", tmp_path / "tinh-hinh.xlsx")
    assert code == 0 and no_traceback(out, err), err
    units = json.loads(js.read_text("utf-8"))["units"]
    assert [u["unit_code"] for u in units][0] == "CDC"
    cdc = units[0]
    assert cdc == {**cdc, "received": False, "file": None, "collected_at": None, "rows": 0, "errors": 0}
    got = {u["unit_code"]: u for u in units}
    assert got["BVDK"]["received"] and got["BVDK"]["file"] == "BVDK.xlsx" and got["BVDK"]["rows"] == 2
    assert got["TTYT-BT"]["rows"] == 3 and got["TTYT-BT"]["errors"] >= 1 and got["BVDK"]["errors"] == 0
    assert dt.datetime.fromisoformat(got["BVDK"]["collected_at"]).date() == dt.date.today()
    assert set(cdc) >= {"unit_code", "unit", "received", "file", "collected_at", "rows", "errors"}
    assert "CHƯA NỘP" in out and "1/3" not in out and "2/3" in out
    ws = openpyxl.load_workbook(tmp_path / "tinh-hinh.xlsx").active
    assert ws.cell(4, 1).value == "CDC" and ws.cell(4, 3).value == "CHƯA NỘP"
    # reminders: one draft, to the unit that has not sent, with the deadline of Cấu hình
    code, out, err = run_cli(capsys, "status", master, "--remind", "--draft", tmp_path / "nhac")
    assert code == 0, err
    drafts = list((tmp_path / "nhac").glob("*.eml"))
    assert len(drafts) == 1
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "cdc@example.vn"
    assert "15/12/2025" in msg.get_body().get_content()


def test_collect_keeps_each_rows_source_in_hidden_columns_and_a_ledger(capsys, office):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    wb = openpyxl.load_workbook(master)
    ws = wb[next(s for s in wb.sheetnames if s.startswith("Trung tâm Y tế"))]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Họ và tên")
    heads = {ws.cell(header, c).value: c for c in range(1, 20) if ws.cell(header, c).value}
    src_file, src_row = heads["Tệp gốc"], heads["Dòng gốc"]
    letter = openpyxl.utils.get_column_letter(src_file)
    assert ws.column_dimensions[letter].hidden
    unit_header = _header_row(back / "TTYT-BT.xlsx")
    assert [ws.cell(header + i, src_row).value for i in (1, 2, 3)] == [unit_header + 1, unit_header + 2,
                                                                       unit_header + 3]
    assert ws.cell(header + 1, src_file).value == "TTYT-BT.xlsx"
    ledger = wb["Nhận tệp"]
    codes = [ledger.cell(r, 2).value for r in range(2, ledger.max_row + 1)]
    assert sorted(codes) == ["BVDK", "TTYT-BT"]
    # split never hands the master's bookkeeping to a unit
    files = split_master(master, master.parent / "gui-lai")
    ws = openpyxl.load_workbook(next(f for f in files if f.stem == "TTYT-BT")).worksheets[0]
    assert not any(c.value in ("Tệp gốc", "Dòng gốc") for row in ws.iter_rows() for c in row)


def test_feedback_from_the_master_points_at_the_units_own_row(capsys, office, tmp_path):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    out = tmp_path / "phan-hoi"
    code, text, err = run_cli(capsys, "feedback", master, "--out", out)
    assert code == 0 and no_traceback(text, err), err
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["TTYT-BT.xlsx"]  # nothing for a unit without findings
    wb = openpyxl.load_workbook(out / "TTYT-BT.xlsx")
    fix = wb["Cần sửa"]
    heads = [c.value for c in fix[4]]
    rows = [dict(zip(heads, [c.value for c in r])) for r in fix.iter_rows(min_row=5) if r[0].value]
    bad = [r for r in rows if "UNKNOWN_AWARD" in (r["Nội dung"] or "")]
    unit_row = _header_row(back / "TTYT-BT.xlsx") + 3
    assert bad and bad[0]["Dòng"] == unit_row and bad[0]["Tệp"] == "TTYT-BT.xlsx"
    assert "Hình thức không có trong danh mục (UNKNOWN_AWARD)" in bad[0]["Nội dung"] and bad[0]["Cách sửa"]
    # the copy of the unit's own file: the faulty cell coloured and commented, the rest as the unit sent it
    ws = wb[next(s for s in wb.sheetnames if s != "Cần sửa" and wb[s].sheet_state == "visible")]
    award_col = next(c.column for c in ws[_header_row(back / "TTYT-BT.xlsx")] if c.value == "Hình thức đề nghị")
    cell = ws.cell(unit_row, award_col)
    assert cell.value == "Huân chương Hữu nghị"
    assert cell.fill.fgColor.rgb.endswith("F8CBAD") and "UNKNOWN_AWARD" in cell.comment.text
    index = json.loads((out / "phan-hoi.json").read_text("utf-8"))
    assert [u["unit_code"] for u in index["units"]] == ["TTYT-BT"] and index["units"][0]["errors"] >= 1
    # and sent to that unit only
    code, text, err = run_cli(capsys, "email", "--feedback", out, "--draft", tmp_path / "thu")
    assert code == 0, err
    drafts = list((tmp_path / "thu").glob("*.eml"))
    assert len(drafts) == 1
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "bt@example.vn"
    assert [p.get_filename() for p in msg.iter_attachments()] == ["TTYT-BT.xlsx"]


def test_feedback_from_unit_files_and_a_folder_only_read(capsys, office, tmp_path):
    _master, back = office
    code, _o, err = run_cli(capsys, "feedback", back, "--out", back)
    assert code == 2 and "thư mục đầu vào" in err
    out = tmp_path / "ph"
    code, _o, err = run_cli(capsys, "feedback", back, "--out", out)
    assert code == 0, err
    fix = openpyxl.load_workbook(out / "TTYT-BT.xlsx")["Cần sửa"]
    rows = [[c.value for c in r] for r in fix.iter_rows(min_row=5) if r[0].value]
    assert any(r[3] == _header_row(back / "TTYT-BT.xlsx") + 3 and "UNKNOWN_AWARD" in r[7] for r in rows)


def test_supplement_adds_and_a_resubmission_replaces(capsys, office, tmp_path):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    extra = tmp_path / "bs"
    extra.mkdir()
    f = split_master(master, tmp_path / "mau")[0]  # BVDK's file (already holding its two rows)
    src = tmp_path / "mau" / "BVDK.xlsx"
    empty = tmp_path / "trong"
    split_master(create_master(tmp_path / "trong.xlsx", 2025, UNITS), empty)
    fill_unit_file(empty / "BVDK.xlsx", [("Vũ Thị Hoa", "09/09/1991", "Nữ", "", "", "", "LĐTT", "")])
    (extra / "BVDK bổ sung.xlsx").write_bytes((empty / "BVDK.xlsx").read_bytes())
    code, out, err = run_cli(capsys, "collect", extra, "--into", master)
    assert code == 0, err
    assert "bổ sung 1 dòng" in " ".join(out.split())
    from thidua_xl.intake import read_paths

    names = sorted(read_paths([master]).nominations.query("unit_code == 'BVDK'")["ho_ten"])
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Vũ Thị Hoa"]
    # --bo-sung on a plainly named file adds too
    plain = tmp_path / "plain"
    plain.mkdir()
    fill_unit_file(empty / "CDC.xlsx", [("Đỗ Văn Khánh", "01/01/1979", "Nam", "", "", "", "LĐTT", "")])
    (plain / "CDC.xlsx").write_bytes((empty / "CDC.xlsx").read_bytes())
    assert run_cli(capsys, "collect", plain, "--into", master, "--bo-sung")[0] == 0
    # a plain resubmission replaces, with its change report
    again = tmp_path / "lai"
    again.mkdir()
    fill_unit_file(empty / "BVDK.xlsx", [("Vũ Thị Hoa", "09/09/1991", "Nữ", "", "", "", "LĐTT", "")])
    (again / "BVDK.xlsx").write_bytes((empty / "BVDK.xlsx").read_bytes())
    code, out, err = run_cli(capsys, "collect", again, "--into", master)
    assert code == 0 and "bỏ 2" in out
    assert list(read_paths([master]).nominations.query("unit_code == 'BVDK'")["ho_ten"]) == ["Vũ Thị Hoa"]
    assert f.name == src.name


def test_collect_that_changes_nothing_writes_nothing(capsys, office):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    before = master.read_bytes()
    backups = set((master.parent / "sao-luu").glob("*")) if (master.parent / "sao-luu").exists() else set()
    code, out, err = run_cli(capsys, "collect", back, "--into", master)
    assert code == 0 and "Không có gì thay đổi" in out
    assert master.read_bytes() == before
    assert set((master.parent / "sao-luu").glob("*")) == backups


def test_a_file_of_another_year_is_refused_unless_year_ok(capsys, office, tmp_path):
    master, _back = office
    other = create_master(tmp_path / "2024.xlsx", 2024, UNITS)
    split_master(other, tmp_path / "cu")
    fill_unit_file(tmp_path / "cu" / "CDC.xlsx", [("Đỗ Văn Khánh", "01/01/1979", "Nam", "", "", "", "LĐTT", "")])
    folder = tmp_path / "cu-ve"
    folder.mkdir()
    (folder / "CDC.xlsx").write_bytes((tmp_path / "cu" / "CDC.xlsx").read_bytes())
    code, out, err = run_cli(capsys, "collect", folder, "--into", master)
    assert code == 1 and "năm 2024" in err and "--year-ok" in err
    code, out, err = run_cli(capsys, "collect", folder, "--into", master, "--year-ok")
    assert code == 0, err


def test_an_open_master_is_refused_before_the_work(capsys, office):
    master, back = office
    lock = master.with_name("~$" + master.name)
    lock.write_bytes(b"x")
    before = master.read_bytes()
    code, out, err = run_cli(capsys, "collect", back, "--into", master)
    assert code == 2 and "đang mở" in err and "Chưa ghi gì" in err
    assert master.read_bytes() == before and out.strip() == ""  # no change report: nothing was read


def test_next_year_starts_from_this_year_with_one_command(capsys, office, tmp_path):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    (master.parent / "thidua-history.sqlite").write_bytes(b"")  # the register lives beside this year's master
    new = tmp_path / "2026" / "ThiDua-2026.xlsx"
    new.parent.mkdir()
    code, out, err = run_cli(capsys, "init", new, "--year", "2026", "--from", master)
    assert code == 0 and no_traceback(out, err), err
    assert "Hạn đơn vị gửi danh sách" in " ".join(out.split())  # a setting of last year, cleared and said
    from thidua_xl.config import Config
    from thidua_xl.intake import read_paths

    intake = read_paths([new])
    assert intake.year == 2026 and list(intake.units["unit_code"]) == ["BVDK", "TTYT-BT", "CDC"]
    assert list(intake.units["email"]) == list(UNITS["email"])
    assert intake.nominations.empty
    cfg = Config.from_kv(intake.config)
    assert cfg.values.get("han_nop") in (None, "")
    assert Path(cfg.values["so_lich_su"]) == (master.parent / "thidua-history.sqlite").resolve()
    # the new master warns while Cấu hình still names the sample province
    code, out, err = run_cli(capsys, "status", new)
    assert code == 0 and "tỉnh mẫu" in err


def test_units_add_gives_a_new_unit_its_line_and_sheet(capsys, office):
    master, _back = office
    code, out, err = run_cli(capsys, "units", "add", master, "TTYT-SP", "Trung tâm Y tế thị xã Sa Pa", "sp@example.vn")
    assert code == 0, err
    from thidua_xl.intake import read_paths

    intake = read_paths([master])
    assert list(intake.units["unit_code"])[-1] == "TTYT-SP"
    sheet = list(intake.units["sheet"])[-1]
    wb = openpyxl.load_workbook(master)
    assert sheet in wb.sheetnames
    assert any(c.value == "Hình thức đề nghị" for row in wb[sheet].iter_rows(max_row=10) for c in row)
    code, out, err = run_cli(capsys, "units", "add", master, "TTYT-SP", "Khác", "")
    assert code == 2 and "đã có" in err


def test_unit_template_keeps_ids_and_birth_dates_as_typed(tmp_path):
    """Số CCCD and Ngày sinh are text cells (no lost leading zero, no day/month swap), with a
    dd/mm/yyyy prompt; the instructions send the unit to the Sáng kiến sheet."""
    master = create_master(tmp_path / "m.xlsx", 2025, UNITS)
    f = split_master(master, tmp_path / "gui")[0]
    wb = openpyxl.load_workbook(f)
    ws = wb.worksheets[0]
    header = _header_row(f)
    cols = {ws.cell(header, c).value: ws.cell(header, c).column_letter for c in range(1, 15) if ws.cell(header, c).value}
    assert ws.column_dimensions[cols["Số CCCD"]].number_format == "@"
    assert ws.column_dimensions[cols["Ngày sinh"]].number_format == "@"
    prompts = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt}
    assert "dd/mm/yyyy" in prompts[f"{cols['Ngày sinh']}{header}"]
    notes = " ".join(str(ws.cell(r, 1).value or "") for r in range(1, header))
    assert "Sáng kiến" in notes and "dd/mm/yyyy" in notes
    assert "Sáng kiến" in wb.sheetnames


def test_the_masters_kiem_tra_links_land_on_the_cell_in_the_master(capsys, office):
    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    code, out, err = run_cli(capsys, "validate", master, "--into", master)
    assert code == 1, err
    wb = openpyxl.load_workbook(master)
    ws = wb["Kiểm tra"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert "Cập nhật" in str(ws.cell(2, 1).value)
    heads = [c.value for c in ws[3]]
    line = next(r for r in ws.iter_rows(min_row=4) if r[heads.index("Mã")].value == "UNKNOWN_AWARD")
    link = line[heads.index("Dòng")].hyperlink
    sheet, cell = link.location.rsplit("!", 1)
    sheet = sheet.strip("'")
    assert sheet in wb.sheetnames  # the sheet exists in the master itself
    assert wb[sheet][cell].value == "Huân chương Hữu nghị"


def test_bieu_do_refreshed_with_tong_hop_this_year_against_last(capsys, office, tmp_path):
    """consolidate --into draws `Biểu đồ` in the master: units by level, and each level against last year
    as the register has it; a second run replaces the charts, it does not pile them up."""
    import zipfile

    master, back = office
    assert run_cli(capsys, "collect", back, "--into", master)[0] == 0
    register = tmp_path / "ls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức"])
    for i in range(3):
        wb.active.append([f"Người {i}", "01/01/1980", "Bệnh viện Đa khoa tỉnh", 2024, "Giấy khen"])
    wb.save(register)
    assert run_cli(capsys, "history", "import", register, "--history", master.parent / "thidua-history.sqlite")[0] == 0
    for _ in range(2):
        code, out, err = run_cli(capsys, "consolidate", master, "--into", master)
        assert code in (0, 1), err
    wb = openpyxl.load_workbook(master)
    ws = wb["Biểu đồ"]
    assert len(ws._charts) == 2
    cells = [[c.value for c in r] for r in ws.iter_rows()]
    units = {r[0]: r[1:] for r in cells[3:6] if r[0]}
    assert units["Bệnh viện Đa khoa tỉnh"][0] == 2  # two LĐTT, granted at the Sở's level
    compare = next(i for i, r in enumerate(cells) if r[0] == "Cấp khen thưởng")
    assert cells[compare][1:3] == ["Năm 2024", "Năm 2025"]
    so = next(r for r in cells[compare + 1:] if r[0] == "Cấp Sở")
    assert so[1] == 3 and so[2] == 4  # three Giấy khen last year; four LĐTT this year
    with zipfile.ZipFile(master) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 2
