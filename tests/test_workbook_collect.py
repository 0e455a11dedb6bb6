"""`thidua collect`: returned unit files into the master, change report, refusals, nothing lost."""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest

from thidua_xl.cli import main
from thidua_xl.errors import UserError
from thidua_xl.fileio import sha256
from thidua_xl.intake import read_paths
from thidua_xl.pipeline import totals
from thidua_xl.workbook.collect import collect
from thidua_xl.workbook.patch import sheet_parts
from thidua_xl.workbook.split import split_master

from workbook_helpers import (CUSTOM_UI, FILLED, VBA_BIN, external_unit_file, fill_unit_file,
                              make_master, make_xlsm_with_ribbon)

EXTERNAL = [("Vũ Thị Giang", 1988, "Nữ", "", "Hộ sinh", "", "Lao động tiên tiến", ""),
            ("Đỗ Văn Hải", dt.datetime(1979, 3, 30), "Nam", "", "Bác sĩ", "", "Chiến sĩ thi đua cơ sở", "")]


@pytest.fixture()
def returned(tmp_path):
    """A master, its split files, two filled by the units, one unit's own file, one left blank."""
    master = make_master(tmp_path / "master.xlsx")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    fill_unit_file(files["BVDK"], FILLED["BVDK"], extra_header="Số điện thoại")
    fill_unit_file(files["TTYT-BT"], FILLED["TTYT-BT"])
    files["TTYT-SP"].unlink()  # this unit sends its own file, named by its code, with a title row
    external_unit_file(out / "TTYT-SP.xlsx", "Trung tâm Y tế thị xã Sa Pa", EXTERNAL)
    files["CDC"].unlink()  # CDC has not answered yet
    return master, out


def _rows(intake):
    n = intake.nominations
    return sorted(zip(n["unit_code"], n["ho_ten"], n["award"].fillna(""), n["subject"].fillna("")))


def test_round_trip_gives_exactly_the_filled_rows(returned):
    master, out = returned
    report = collect(out, master)
    assert report.written and not report.refused
    assert [u.unit_code for u in report.units] == ["BVDK", "TTYT-BT", "TTYT-SP"]
    intake = read_paths([master])
    assert not [f for f in intake.findings if f.severity == "error"]
    expected_names = [(c, r[0]) for c in ("BVDK", "TTYT-BT") for r in FILLED[c]] + \
                     [("TTYT-SP", r[0]) for r in EXTERNAL]
    assert sorted(zip(intake.nominations["unit_code"], intake.nominations["ho_ten"])) == sorted(expected_names)
    n = intake.nominations.set_index("ho_ten")
    assert n.loc["Nguyễn Văn An", "ngay_sinh"] == dt.date(1980, 2, 13)
    assert n.loc["Trần Thị Bình", "ngay_sinh"] == dt.date(1985, 6, 5)  # typed as text, kept as the date
    assert n.loc["Lê Văn Cường", "nam_sinh"] == 1975 and n.loc["Lê Văn Cường", "ngay_sinh"] is None
    assert n.loc["Khoa Hồi sức & Cấp cứu", "subject"] == "tap_the"
    assert n.loc["Hoàng Văn Em", "award"] == "BK_TINH"
    assert n.loc["Đỗ Văn Hải", "award"] == "CSTDCS" and n.loc["Vũ Thị Giang", "nam_sinh"] == 1988
    # consolidation of the master gives the totals that were filled
    result = totals(intake, 2025)
    assert result.totals["LDTT"]["ca_nhan"] == 4  # An, Bình (LĐTT), Dung, Giang
    assert result.totals["CSTDCS"]["ca_nhan"] == 2
    assert result.totals["TTLDTT"]["tap_the"] == 1
    assert result.totals["GK"]["tap_the"] == 1
    assert result.totals["BK_TINH"]["ca_nhan"] == 1
    assert result.rows == sum(len(v) for v in FILLED.values()) + len(EXTERNAL)
    # what the unit typed beyond the table is kept: the ID as text, an extra column
    wb = openpyxl.load_workbook(master)
    sheet = intake.units.set_index("unit_code").loc["BVDK", "sheet"]
    ws = wb[sheet]
    assert ws["E5"].value == "001080000123"
    # (after the Sở's own columns L:N, Kết quả xét…, which the unit never sees)
    assert [ws[f"{c}4"].value for c in "LMN"] == ["Kết quả xét", "Số quyết định", "Ngày quyết định"]
    assert ws["O4"].value == "Số điện thoại" and ws["O5"].value == "ghi thêm 1"
    assert ws["C5"].number_format == "dd/mm/yyyy"
    # the sheets of units that sent nothing are untouched
    assert not list(intake.nominations["unit_code"][intake.nominations["unit_code"] == "CDC"])


def test_master_keeps_validations_names_and_other_sheets(returned):
    master, out = returned
    with zipfile.ZipFile(master) as z:
        before = {n: z.read(n) for n in z.namelist()}
        parts = sheet_parts(z)
    collect(out, master)
    with zipfile.ZipFile(master) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert set(after) == set(before)
    changed = {n for n in before if before[n] != after[n]}
    unit_parts = {parts[s] for s in read_paths([master]).units["sheet"]} | {parts["Sáng kiến"], parts["Nhận tệp"]}
    assert changed <= unit_parts  # only the units' sheets, the initiatives they sent and the ledger were rewritten
    assert changed
    for part in changed:
        old, new = before[part].decode(), after[part].decode()
        for tag in ("dataValidation ", "conditionalFormatting", "pageSetup", "printOptions", "pane "):
            assert old.count(tag) == new.count(tag), tag
    wb = openpyxl.load_workbook(master)
    assert "DS_HINH_THUC" in wb.defined_names and "DS_DON_VI" in wb.defined_names


def test_dry_run_prints_changes_and_writes_nothing(returned, capsys):
    master, out = returned
    digest = sha256(master)
    assert main(["collect", str(out), "--into", str(master), "--dry-run"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Bệnh viện Đa khoa tỉnh Lào Cai (BVDK) – tệp “BVDK.xlsx”: 0 → 5 dòng (lần gửi đầu tiên)" in text
    assert "--dry-run" in text
    assert sha256(master) == digest
    assert not (master.parent / "sao-luu").exists()
    # a resubmission: the rows that changed are listed, still nothing written
    assert main(["collect", str(out), "--into", str(master)]) == 0
    backups = list((master.parent / "sao-luu").iterdir())
    wb = openpyxl.load_workbook(out / "BVDK.xlsx")
    ws = wb["Đề nghị khen thưởng"]
    ws["B13"], ws["C13"], ws["D13"], ws["H13"] = "Mai Văn Khoa", "1991", "Nam", "LĐTT"
    wb.save(out / "BVDK.xlsx")
    capsys.readouterr()
    digest = sha256(master)
    assert main(["collect", str(out), "--into", str(master), "--dry-run"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "5 → 6 dòng: thêm 1, bỏ 0, sửa 0" in text
    assert "+ Mai Văn Khoa (1991) – Lao động tiên tiến" in text
    assert sha256(master) == digest
    assert list((master.parent / "sao-luu").iterdir()) == backups


def test_resubmission_reports_added_removed_changed(returned):
    master, out = returned
    collect(out, master)
    path = out / "BVDK.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Đề nghị khen thưởng"]
    ws["F9"] = "Trưởng khoa Ngoại"  # Trần Thị Bình: Chức vụ changed
    ws["H11"] = "Bằng khen UBND tỉnh"  # Khoa Hồi sức: award changed = removed + added
    ws.delete_rows(12)  # Khoa Dược withdrawn
    ws["B12"], ws["C12"], ws["D12"], ws["H12"] = "Mai Văn Khoa", "1991", "Nam", "LĐTT"
    wb.save(path)
    report = collect(out, master, dry_run=True)
    bvdk = next(u for u in report.units if u.unit_code == "BVDK")
    assert bvdk.added == ["Khoa Hồi sức & Cấp cứu – Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
                          "Mai Văn Khoa (1991) – Lao động tiên tiến"]
    assert bvdk.removed == ["Khoa Hồi sức & Cấp cứu – Tập thể lao động tiên tiến", "Khoa Dược – Giấy khen của Giám đốc Sở Y tế"]
    assert bvdk.changed == ["Trần Thị Bình (1985) – Lao động tiên tiến: Chức vụ: “Điều dưỡng” → “Trưởng khoa Ngoại”"]
    others = [u for u in report.units if u.unit_code != "BVDK"]
    assert all(u.unchanged for u in others)
    assert "thêm 2, bỏ 2, sửa 1" in report.lines()[0]


def test_unattributable_file_is_refused(returned, tmp_path):
    master, out = returned
    external_unit_file(out / "scan-001.xlsx", "Phòng khám tư nhân Hữu Nghị", EXTERNAL[:1])
    external_unit_file(out / "khong-ten.xlsx", None, EXTERNAL[:1])
    report = collect(out, master)
    refused = {r.file: r.reason for r in report.refused}
    assert set(refused) == {"scan-001.xlsx", "khong-ten.xlsx"}
    assert "không xác định được đơn vị" in refused["scan-001.xlsx"]
    assert report.exit_code == 1 and report.written
    names = set(read_paths([master]).nominations["ho_ten"])
    assert len(names) == sum(len(v) for v in FILLED.values()) + len(EXTERNAL)


def test_bad_file_leaves_its_unit_sheet_untouched(returned):
    master, out = returned
    collect(out, master)
    before = read_paths([master]).nominations
    bvdk_before = _rows_of(before, "BVDK")
    (out / "BVDK.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook any more")
    wb = openpyxl.load_workbook(out / "TTYT-BT.xlsx")
    wb["Đề nghị khen thưởng"]["B10"] = "Ngô Thị Lan"
    wb["Đề nghị khen thưởng"]["H10"] = "Giấy khen"
    wb["Đề nghị khen thưởng"]["C10"] = "1992"
    wb.save(out / "TTYT-BT.xlsx")
    report = collect(out, master)
    assert [r.file for r in report.refused] == ["BVDK.xlsx"]
    assert "giữ nguyên" in report.refused[0].reason
    after = read_paths([master]).nominations
    assert _rows_of(after, "BVDK") == bvdk_before
    assert "Ngô Thị Lan" in set(after["ho_ten"])


def _rows_of(df, code):
    part = df[df["unit_code"] == code]
    return list(zip(part["row"], part["ho_ten"], part["hinh_thuc"], part["ngay_sinh_raw"]))


def test_backup_first_then_atomic_save(returned):
    master, out = returned
    digest = sha256(master)
    report = collect(out, master)
    assert report.backup is not None and report.backup.parent.name == "sao-luu"
    assert sha256(report.backup) == digest
    assert sha256(master) != digest
    assert not [p for p in master.parent.iterdir() if p.name.startswith(".master.")]  # no temp file left


def test_collect_into_xlsm_keeps_vba_and_ribbon(tmp_path):
    master = make_xlsm_with_ribbon(tmp_path / "ThiDua.xlsm")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    fill_unit_file(files["BVDK"], FILLED["BVDK"])
    with zipfile.ZipFile(master) as z:
        root_rels, ct = z.read("_rels/.rels"), z.read("[Content_Types].xml")
    report = collect(out, master)
    assert report.written
    with zipfile.ZipFile(master) as z:
        assert z.read("xl/vbaProject.bin") == VBA_BIN
        assert z.read("customUI/customUI14.xml") == CUSTOM_UI
        assert z.read("_rels/.rels") == root_rels
        assert b"ui/extensibility" in z.read("_rels/.rels")
        assert z.read("[Content_Types].xml") == ct
        assert b"vbaProject" in z.read("xl/_rels/workbook.xml.rels")
        assert z.testzip() is None
    got = read_paths([master]).nominations
    assert sorted(got["ho_ten"]) == sorted(r[0] for r in FILLED["BVDK"])
    openpyxl.load_workbook(master, keep_vba=True)  # still a workbook openpyxl accepts


def test_calc_chain_is_dropped_with_its_references(returned):
    master, out = returned
    tmp = master.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(master) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCC" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                                    b"</Relationships>")
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
            zout.writestr(info, data)
        zout.writestr("xl/calcChain.xml", b'<?xml version="1.0"?><calcChain xmlns="http://schemas.openxmlformats.org/'
                                          b'spreadsheetml/2006/main"><c r="B5" i="5"/></calcChain>')
    shutil.move(tmp, master)
    collect(out, master)
    with zipfile.ZipFile(master) as z:
        assert "xl/calcChain.xml" not in z.namelist()
        assert b"calcChain" not in z.read("xl/_rels/workbook.xml.rels")
        assert b"calcChain" not in z.read("[Content_Types].xml")


def test_collect_errors_and_cli_exit_codes(returned, tmp_path, capsys):
    master, out = returned
    with pytest.raises(UserError):
        collect(out, tmp_path / "missing.xlsx")
    with pytest.raises(UserError, match="không dùng được làm tệp tổng hợp"):
        collect(out, out / "BVDK.xlsx")
    assert main(["collect", str(tmp_path / "nowhere"), "--into", str(master)]) == 2
    assert main(["collect", str(out), "--into", str(master)]) == 0
    capsys.readouterr()
    (out / "rac.xlsx").write_bytes(b"garbage")
    assert main(["collect", str(out), "--into", str(master)]) == 1
    assert "rac.xlsx" in capsys.readouterr().err


def test_many_units_one_save(tmp_path):
    """60 units, 3,000 rows: one read of each file, one rewrite of the master."""

    import pandas as pd

    from thidua_xl.workbook.master import create_master

    units = pd.DataFrame({"unit_code": [f"DV{i:02d}" for i in range(60)],
                          "unit": [f"Trạm Y tế xã số {i}" for i in range(60)], "email": ""})
    master = create_master(tmp_path / "m.xlsx", 2025, units)
    out = tmp_path / "ve"
    for f in split_master(master, out):
        fill_unit_file(f, [(f"Người {f.stem} {k}", 1970 + k % 30, "Nam", "", "", "", "LĐTT", "") for k in range(50)])
    report = collect(out, master)
    assert len(report.units) == 60 and not report.refused
    assert len(read_paths([master]).nominations) == 3000


def test_master_open_in_excel_is_not_written(returned):
    master, out = returned
    lock = master.with_name("~$" + master.name)
    lock.write_bytes(b"owner")
    digest = sha256(master)
    with pytest.raises(UserError, match="đang mở trong Excel"):
        collect(out, master)
    assert sha256(master) == digest
    assert collect(out, master, dry_run=True).units  # a dry run still reports
    lock.unlink()
    assert collect(out, master).written


def test_older_copy_of_a_unit_file_is_skipped(returned):
    import os

    master, out = returned
    shutil.copy2(out / "TTYT-BT.xlsx", out / "TTYT-BT (ban cu).xlsx")
    wb = openpyxl.load_workbook(out / "TTYT-BT (ban cu).xlsx")
    wb["Đề nghị khen thưởng"]["B8"] = "Tên cũ"
    wb.save(out / "TTYT-BT (ban cu).xlsx")
    os.utime(out / "TTYT-BT (ban cu).xlsx", (1_600_000_000, 1_600_000_000))
    report = collect(out, master)
    assert [s.file for s in report.skipped] == ["TTYT-BT (ban cu).xlsx"] and not report.refused
    assert report.exit_code == 0
    assert "Tên cũ" not in set(read_paths([master]).nominations["ho_ten"])
    assert any(line.startswith("Bỏ qua tệp “TTYT-BT (ban cu).xlsx”") for line in report.lines())


@pytest.mark.slow
def test_collect_into_a_master_saved_by_another_program(returned, tmp_path):
    """A master re-saved by a spreadsheet program (shared strings, its own styles) still takes a collect."""
    import subprocess

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    master, out = returned
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo-out"), str(master)],
                   check=True, capture_output=True, timeout=180)
    resaved = tmp_path / "lo-out" / master.name
    report = collect(out, resaved)
    assert report.written and not report.refused
    intake = read_paths([resaved])
    assert not intake.findings
    assert sorted(intake.nominations["ho_ten"]) == sorted([r[0] for c in FILLED for r in FILLED[c]] +
                                                          [r[0] for r in EXTERNAL])
    ws = openpyxl.load_workbook(resaved)[intake.units.set_index("unit_code").loc["BVDK", "sheet"]]
    assert ws["C5"].number_format.lower().startswith("dd/mm/yy") and ws.data_validations.dataValidation


def test_each_returned_file_is_opened_and_scanned_once(returned, monkeypatch):
    """The cells written back are those intake read: no file is opened (and safety-scanned) a second time."""
    from thidua_xl import safety

    scanned = []
    real = safety.inspect
    monkeypatch.setattr(safety, "inspect", lambda path, *a, **k: scanned.append(path.name) or real(path, *a, **k))
    master, out = returned
    report = collect(out, master)
    assert report.written and [u.unit_code for u in report.units] == ["BVDK", "TTYT-BT", "TTYT-SP"]
    assert sorted(scanned) == sorted([master.name, *(f.name for f in out.glob("*.xlsx"))])
    again = read_paths([master]).nominations
    assert sorted(again["ho_ten"]) == sorted([r[0] for c in ("BVDK", "TTYT-BT") for r in FILLED[c]]
                                             + [r[0] for r in EXTERNAL])
