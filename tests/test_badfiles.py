"""Bad input beside a good file: every kind gets a Vietnamese message naming the file, never a traceback,
and the good file is still read and counted."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from badfile_helpers import (
    HEADER, NOMINEES, both_commands, empty_file, encrypted, good_unit, no_header, random_bytes, run, sha256_tree,
    text_named_xlsx, title_rows, xml_bomb, zip_bomb,
)
from workbook_helpers import to_cp1258


BAD_KINDS = {
    "empty": (empty_file, "tệp rỗng"),
    "random-bytes": (random_bytes, "không phải là tệp Excel hợp lệ"),
    "text-named-xlsx": (text_named_xlsx, "văn bản thường"),
    "password": (encrypted, "mật khẩu"),
    "xml-bomb": (xml_bomb, "DOCTYPE"),
    "zip-bomb": (zip_bomb, "bom zip"),
    "no-header": (no_header, "không có bảng đề nghị"),
}


@pytest.mark.parametrize("kind", list(BAD_KINDS))
def test_bad_file_beside_good_one(kind, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    make, expected = BAD_KINDS[kind]
    bad = make(folder)
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 1 and r["code_v"] == 1
    assert bad.name in r["text_c"] and expected in r["text_c"]
    # the good file is still read and counted
    assert r["c"]["rows"] == 3 and r["c"]["files"] == 1
    assert r["c"]["totals"]["LDTT"]["ca_nhan"] == 2
    bad_findings = [f for f in r["v"]["findings"] if f["code"] == "BAD_FILE"]
    assert [f["file"] for f in bad_findings] == [bad.name]
    assert bad_findings[0]["row"] is None and expected in bad_findings[0]["message"]


def test_only_bad_files_exit_2(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    random_bytes(folder)
    empty_file(folder)
    code, text = run(capsys, "consolidate", folder, "--year", 2024)
    assert code == 2
    assert "ngau-nhien.xlsx" in text and "rong.xlsx" in text


def test_zip_bomb_is_refused_before_inflating_it_all(tmp_path, capsys):
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    bad = zip_bomb(folder, megabytes=60)
    assert bad.stat().st_size < 200_000  # 60 MB of zeros, a few tens of KB on disk
    t = time.perf_counter()
    code, text = run(capsys, "consolidate", bad, "--year", 2024)
    assert time.perf_counter() - t < 5
    assert code == 2 and "bom zip" in text


def merged_header_file(path: Path) -> Path:
    """A common Vietnamese form: "Năm sinh" merged over "Nam" | "Nữ", the year written under the gender."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for r in title_rows("Bệnh viện B"):
        ws.append(r)
    ws.append(["TT", "Họ và tên", "Năm sinh", None, "Chức vụ, đơn vị công tác", "Hình thức khen thưởng"])
    ws.append([None, None, "Nam", "Nữ", None, None])
    for c in ("A", "B", "E", "F"):
        ws.merge_cells(f"{c}5:{c}6")
    ws.merge_cells("C5:D5")
    ws.append([1, "Phạm Văn Dũng", 1978, None, "Bác sĩ", "LĐTT"])
    ws.append([2, "Hoàng Thị Em", None, 1990, "Điều dưỡng", "LĐTT"])
    ws.append([3, "Vũ Thị Giang", None, "02/09/1988", "Dược sĩ", "Giấy khen"])
    wb.save(path)
    return path


def test_merged_header_with_birth_year_under_gender(tmp_path, capsys):
    from thidua_xl.intake import read_paths

    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    merged_header_file(folder / "B.xlsx")
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 0
    assert r["c"]["rows"] == 6 and r["c"]["totals"]["LDTT"]["ca_nhan"] == 4
    df = read_paths([folder / "B.xlsx"]).nominations
    assert df["gioi_tinh"].tolist() == ["Nam", "Nữ", "Nữ"]
    assert df["nam_sinh"].tolist() == [1978, 1990, 1988]
    assert df["row"].tolist() == [7, 8, 9]  # the "Nam | Nữ" row is part of the header, not a nominee


def test_stray_value_at_row_one_million(tmp_path, capsys):
    import resource
    import time

    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    path = good_unit(folder / "C.xlsx", unit="Bệnh viện C")
    wb = openpyxl.load_workbook(path)
    wb.active.cell(1_000_000, 4, "x")
    wb.active.cell(40, 16384, "lạc")  # and one at column XFD
    wb.save(path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    r = both_commands(capsys, folder, tmp_path)
    assert time.perf_counter() - t < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 300_000  # KiB: no million-row allocation
    assert r["c"]["rows"] == 6 and r["c"]["files"] == 2
    stray = [f for f in r["v"]["findings"] if f["code"] == "STRAY_CELLS"]
    assert len(stray) == 1 and stray[0]["file"] == "C.xlsx" and stray[0]["sheet"] == "Đề nghị"
    assert "D1000000" in stray[0]["message"] and "XFD40" in stray[0]["message"]
    assert "D1000000" in r["text_v"] and "D1000000" in r["text_c"]  # consolidate tells the user too


def test_formulas_with_and_without_cached_values(tmp_path, capsys):
    import xlsxwriter

    folder = tmp_path / "in"
    folder.mkdir()
    # Excel (and XlsxWriter with a value) stores the computed value beside the formula
    wb = xlsxwriter.Workbook(str(folder / "D.xlsx"))
    ws = wb.add_worksheet("Đề nghị")
    for i, r in enumerate(title_rows("Bệnh viện D")):
        ws.write_row(i, 0, r)
    ws.write_row(4, 0, HEADER)
    for i, r in enumerate(NOMINEES):
        ws.write_row(5 + i, 1, r[1:])
        ws.write_formula(5 + i, 0, f"=ROW()-5", None, i + 1)
    ws.write_formula(5, 6, '="Lao động "&"tiên tiến"', None, "Lao động tiên tiến")
    wb.close()
    # openpyxl writes formulas without any cached value: they read back empty
    import openpyxl

    wb2 = openpyxl.Workbook()
    ws2 = wb2.active
    ws2.title = "Đề nghị"
    for r in title_rows("Bệnh viện E"):
        ws2.append(r)
    ws2.append(HEADER)
    for r in NOMINEES:
        ws2.append(r[:6] + ['=IF(1,"Lao động tiên tiến","")'])
    wb2.save(folder / "E.xlsx")
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 1 and r["code_v"] == 1
    assert r["c"]["by_unit"]["Bệnh viện D"]["LDTT"]["ca_nhan"] == 2
    f = [x for x in r["v"]["findings"] if x["code"] == "FORMULA_NO_VALUE"]
    assert len(f) == 1 and f[0]["file"] == "E.xlsx" and f[0]["sheet"] == "Đề nghị" and f[0]["row"] == 6
    assert "G6" in f[0]["message"] and "G8" in f[0]["message"]
    assert "FORMULA_NO_VALUE" in r["text_v"] and "G6" in r["text_c"]


def test_hidden_sheets_and_rows(tmp_path, capsys):
    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    path = good_unit(folder / "F.xlsx", unit="Bệnh viện F")
    wb = openpyxl.load_workbook(path)
    wb.active.row_dimensions[7].hidden = True
    old = wb.create_sheet("Năm trước")
    old.append(HEADER)
    old.append([1, "Đỗ Văn Cũ", "01/01/1970", "Nam", "", "", "Lao động tiên tiến"])
    old.sheet_state = "hidden"
    wb.save(path)
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 0 and r["code_v"] == 0  # warnings only
    assert r["c"]["rows"] == 3  # hidden row read, hidden sheet not
    codes = {f["code"]: f for f in r["v"]["findings"]}
    assert codes["HIDDEN_ROWS"]["row"] == 7 and codes["HIDDEN_ROWS"]["sheet"] == "Đề nghị"
    assert codes["HIDDEN_SHEET"]["sheet"] == "Năm trước" and codes["HIDDEN_SHEET"]["severity"] == "warning"


def test_old_xls_is_read(tmp_path, capsys):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (test extra) writes the old .xls format")
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Đề nghị")
    for i, r in enumerate(title_rows("Bệnh viện G") + [HEADER] + NOMINEES):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    wb.save(str(folder / "G.xls"))
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 0 and r["c"]["files"] == 2 and r["c"]["rows"] == 6
    assert r["c"]["by_unit"]["Bệnh viện G"]["LDTT"]["ca_nhan"] == 2


def test_xlsm_with_macros_is_read_as_data(tmp_path, capsys):
    """A unit's .xlsm with a VBA project (an Auto_Open that would delete files): read as values only."""
    import olefile  # noqa: F401 - only to be sure the VBA part below is an OLE file like Excel's
    import xlsxwriter

    folder = tmp_path / "in"
    folder.mkdir()
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Sub Auto_Open(): Kill \"C:\\*.*\": End Sub")
    wb = xlsxwriter.Workbook(str(folder / "H.xlsm"))
    ws = wb.add_worksheet("Đề nghị")
    for i, r in enumerate(title_rows("Bệnh viện H") + [HEADER] + NOMINEES):
        ws.write_row(i, 0, r)
    wb.add_vba_project(str(vba))
    wb.close()
    with zipfile.ZipFile(folder / "H.xlsm") as z:
        assert "xl/vbaProject.bin" in z.namelist()
    sentinel = list(tmp_path.iterdir())
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 0 and r["c"]["rows"] == 3
    assert r["c"]["by_unit"]["Bệnh viện H"]["GK"]["ca_nhan"] == 1
    assert all(p.exists() for p in sentinel)


def test_excel_owner_files_are_skipped_silently(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    (folder / "~$A.xlsx").write_bytes(b"\x0bNguyen Van A" + bytes(150))  # what Excel leaves while a file is open
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 0 and r["code_v"] == 0 and r["c"]["files"] == 1
    assert "~$" not in r["text_c"] + r["text_v"]
    assert not [f for f in r["v"]["findings"] if f["file"] != "A.xlsx" or f["severity"] != "info"]
    code, text = run(capsys, "consolidate", folder / "A.xlsx", folder / "~$A.xlsx", "--year", 2024)
    assert code == 0 and "~$" not in text


def test_file_locked_by_excel(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    locked = good_unit(folder / "K.xlsx", unit="Bệnh viện K")
    if os.geteuid() != 0:
        locked.chmod(0)
    else:
        # root reads anything: make the open fail the way Windows does for a file Excel holds
        import builtins

        real_open = builtins.open

        def sharing_violation(file, *a, **kw):
            if str(file) == str(locked):
                raise PermissionError(13, "The process cannot access the file because it is being used by another process", str(file))
            return real_open(file, *a, **kw)

        monkeypatch.setattr(builtins, "open", sharing_violation)
    try:
        code, text = run(capsys, "consolidate", folder, "--json", tmp_path / "c.json", "--year", 2024)
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert "K.xlsx" in text and "bị khóa" in text
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["rows"] == 3


def test_units_csv_not_utf8(tmp_path, capsys):
    """`init --units` with a CSV saved by Excel on a Vietnamese Windows (Windows-1258)."""
    csv = tmp_path / "don-vi.csv"
    text = "Mã đơn vị,Tên đơn vị,Email\nBVA,Bệnh viện Đa khoa tỉnh,a@example.vn\nTTYT,Trung tâm Y tế huyện Bắc Hà,\n"
    csv.write_bytes(to_cp1258(text))
    before = sha256_tree(tmp_path)
    code, out = run(capsys, "init", tmp_path / "ThiDua.xlsx", "--year", 2024, "--units", csv)
    assert sha256_tree(tmp_path)["don-vi.csv"] == before["don-vi.csv"]
    assert code == 0
    from thidua_xl.intake import read_paths

    units = read_paths([tmp_path / "ThiDua.xlsx"]).units
    assert units["unit"].tolist() == ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế huyện Bắc Hà"]  # NFC, every tone
    assert units["email"].tolist() == ["a@example.vn", ""]
    assert "don-vi.csv" in out and "UTF-8" in out and "1258" in out  # the user is told the encoding was guessed


def test_units_file_that_is_not_a_table(tmp_path, capsys):
    """Random bytes named .csv: a Vietnamese message naming the file, exit 2, nothing created."""
    csv = tmp_path / "don-vi.csv"
    csv.write_bytes(bytes(range(256)) * 3)
    code, out = run(capsys, "init", tmp_path / "ThiDua.xlsx", "--year", 2024, "--units", csv)
    assert code == 2 and "don-vi.csv" in out and "CSV UTF-8" in out
    assert not (tmp_path / "ThiDua.xlsx").exists()
