"""Tool-made sheets (Tổng hợp, per award, Kiểm tra) written into the master, keeping everything else."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from thidua_xl.export import write_consolidation
from thidua_xl.fileio import sha256
from thidua_xl.intake import read_paths
from thidua_xl.pipeline import totals
from thidua_xl.workbook.collect import collect
from thidua_xl.workbook.split import split_master
from thidua_xl.workbook.transplant import write_sheets_into

from workbook_helpers import CUSTOM_UI, FILLED, VBA_BIN, fill_unit_file, make_master, make_xlsm_with_ribbon


def _collected(master, tmp_path):
    files = {f.stem: f for f in split_master(master, tmp_path / "ve")}
    fill_unit_file(files["BVDK"], FILLED["BVDK"])
    fill_unit_file(files["TTYT-BT"], FILLED["TTYT-BT"])
    collect(tmp_path / "ve", master)
    return master


def test_consolidation_sheets_into_xlsm_master(tmp_path):
    master = _collected(make_xlsm_with_ribbon(tmp_path / "ThiDua.xlsm"), tmp_path)
    intake = read_paths([master])
    source = write_consolidation(totals(intake, 2025), tmp_path / "tong-hop.xlsx")
    with zipfile.ZipFile(master) as z:
        unit_parts_before = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    at = openpyxl.load_workbook(master, read_only=True).sheetnames.index("Tổng hợp")
    digest = sha256(master)
    saved = write_sheets_into(master, source)
    assert sha256(saved) == digest and saved.parent.name == "sao-luu"
    wb = openpyxl.load_workbook(master, keep_vba=True)
    names = wb.sheetnames
    assert names.index("Tổng hợp") == at  # replaced where it stood
    assert names.index("Nhận tệp") > at  # the ledger `collect` keeps, the last sheet of a new master
    assert names[names.index("Nhận tệp") + 1:] == ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Tập thể lao động tiên tiến",
                          "Giấy khen của Giám đốc Sở Y tế", "Bằng khen của Chủ tịch Ủy ban n"]
    ws = wb["Tổng hợp"]
    assert ws["A1"].value.startswith("BẢNG TỔNG HỢP") and ws["A1"].font.b and ws["A1"].font.name == "Times New Roman"
    assert ws.print_title_rows == "$4:$5" and ws.page_setup.orientation == "landscape"
    assert wb["Lao động tiên tiến"]["C4"].value in {"Nguyễn Văn An", "Trần Thị Bình", "Phạm Thị Dung"}
    with zipfile.ZipFile(master) as z:
        assert z.read("xl/vbaProject.bin") == VBA_BIN
        assert z.read("customUI/customUI14.xml") == CUSTOM_UI
        assert b"ui/extensibility" in z.read("_rels/.rels")
        # the units' sheets are byte for byte what they were
        parts = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
        wbxml = z.read("xl/workbook.xml").decode()
    kept = [n for n in unit_parts_before if parts.get(n) == unit_parts_before[n]]
    assert len(kept) == len(unit_parts_before) - 1  # only the old Tổng hợp part changed
    assert sum(b'tabSelected="1"' in data for data in parts.values()) <= 1  # no grouped sheets
    assert f'localSheetId="{at}"' in wbxml  # the replaced sheet's print titles
    # the master still reads as before: same nominees, same totals
    again = read_paths([master])
    assert len(again.nominations) == len(intake.nominations) and not again.findings
    # a second run replaces the same sheets instead of adding copies
    write_sheets_into(master, source, make_backup=False)
    assert openpyxl.load_workbook(master).sheetnames == names


def test_only_named_sheets_and_unknown_sheet(tmp_path):
    master = _collected(make_master(tmp_path / "m.xlsx"), tmp_path)
    source = write_consolidation(totals(read_paths([master]), 2025), tmp_path / "th.xlsx")
    write_sheets_into(master, source, ["Tổng hợp"], make_backup=False)
    assert "Lao động tiên tiến" not in openpyxl.load_workbook(master).sheetnames
    with pytest.raises(KeyError):
        write_sheets_into(master, source, ["Không có"], make_backup=False)


@pytest.mark.slow
def test_libreoffice_opens_the_rewritten_master(tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    master = _collected(make_master(tmp_path / "m.xlsx"), tmp_path)
    write_sheets_into(master, write_consolidation(totals(read_paths([master]), 2025), tmp_path / "th.xlsx"),
                      make_backup=False)
    out = tmp_path / "ods"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "ods",
                    "--outdir", str(out), str(master)], check=True, capture_output=True, timeout=180)
    converted = out / "m.ods"
    assert converted.exists()
    intake = read_paths([converted])
    assert sorted(intake.nominations["ho_ten"]) == sorted(r[0] for c in FILLED for r in FILLED[c])


def test_history_sheet_shows_the_register(tmp_path):
    from thidua_xl.history import import_file
    from thidua_xl.workbook.history_view import write_history_sheet

    src = tmp_path / "lich-su.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Số quyết định"])
    ws.append(["Nguyễn Văn An", "13/02/1980", "Bệnh viện Đa khoa tỉnh Lào Cai", 2023, "CSTĐCS", "12/QĐ-SYT"])
    ws.append(["Nguyễn Văn An", "13/02/1980", "Bệnh viện Đa khoa tỉnh Lào Cai", 2024, "LĐTT", ""])
    wb.save(src)
    db = tmp_path / "ls.sqlite"
    import_file(db, src)
    master = make_xlsm_with_ribbon(tmp_path / "ThiDua.xlsm")
    assert write_history_sheet(master, db) == 2
    ws = openpyxl.load_workbook(master)["Lịch sử"]
    assert [c.value for c in ws[3]] == ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Số quyết định",
                                        "Đối tượng"]
    assert [ws.cell(4, j).value for j in (1, 4, 5, 6)] == ["Nguyễn Văn An", 2024, "Lao động tiên tiến", None]
    assert ws.cell(5, 5).value == "Chiến sĩ thi đua cơ sở" and ws.cell(5, 6).value == "12/QĐ-SYT"
    assert ws.protection.sheet  # still read-only
    with zipfile.ZipFile(master) as z:
        assert z.read("xl/vbaProject.bin") == VBA_BIN
    assert not read_paths([master]).findings  # the view is not mistaken for nominations
