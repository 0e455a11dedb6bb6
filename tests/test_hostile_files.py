"""Hostile and damaged unit files: no spelling of the XML makes a reader allocate a giant sheet,
and a damaged file is one BAD_FILE finding while the other units are still read."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from badfile_helpers import good_unit, sha256_tree
from hostile_helpers import STRAY_SPELLINGS, corrupt_deflate, with_stray
from badfile_helpers import both_commands, run
from thidua_xl import safety
from thidua_xl.workbook.split import split_master
from workbook_helpers import FILLED, fill_unit_file, make_master

# A guard failure is a native abort ("memory allocation of 549755813888 bytes failed"), which would
# take the test runner down with it: the dangerous reads run in a child process.
PROBE = r"""
import json, sys
from pathlib import Path
from thidua_xl.intake import read_paths
out = {}
for p in sys.argv[1:]:
    it = read_paths([p])
    out[Path(p).name] = {"rows": len(it.nominations),
                         "codes": sorted({f.code for f in it.findings}),
                         "messages": [f.message for f in it.findings]}
print(json.dumps(out))
"""


def probe(code: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_no_spelling_of_a_far_stray_cell_reaches_the_reader(tmp_path):
    base = good_unit(tmp_path / "base.xlsx")
    files = [with_stray(base, tmp_path / f"{name}.xlsx", name) for name in STRAY_SPELLINGS]
    raw = {f: f.read_bytes() for f in files}
    done = probe(PROBE, *files)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    for f in files:
        got = result[f.name]
        assert got["rows"] == 3, (f.name, got)  # the three nominees, nothing else
        assert "STRAY_CELLS" in got["codes"], (f.name, got)
        stray = next(m for m in got["messages"] if "ô dữ liệu lạc" in m)
        assert f.name in stray and "XFD1048576" in stray or "XFC1048576" in stray
        assert f.read_bytes() == raw[f]  # trimmed in memory, never in the user's file


def test_every_kept_cell_of_an_odd_spelling_gets_a_plain_reference(tmp_path):
    base = good_unit(tmp_path / "base.xlsx")
    p = with_stray(base, tmp_path / "q.xlsx", "r-not-first")
    scan = safety.inspect(p)
    s = scan.sheets["Đề nghị"]
    assert s.stray_cells == ["XFD1048576"] and s.trimmed_at == 8 and (s.max_row, s.max_col) == (8, 7)
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(scan.data)).read("xl/worksheets/sheet1.xml")
    assert b"dimension" not in xml and b"XFD" not in xml


def test_a_lying_dimension_alone_is_dropped_from_the_copy(tmp_path):
    import re

    from badfile_helpers import read_part, replace_parts

    base = good_unit(tmp_path / "base.xlsx")
    xml = read_part(base, "xl/worksheets/sheet1.xml")
    xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    p = replace_parts(base, tmp_path / "dim.xlsx", {"xl/worksheets/sheet1.xml": xml})
    scan = safety.inspect(p)
    assert scan.data is not None and scan.sheets["Đề nghị"].max_row == 8


def test_binary_workbook_refused_and_opendocument_extent_checked(tmp_path):
    from badfile_helpers import replace_parts

    base = good_unit(tmp_path / "base.xlsx")
    xlsb = replace_parts(base, tmp_path / "b.xlsx", {"xl/workbook.bin": b"\x00" * 16})
    with pytest.raises(safety.Refused, match="lưu lại dạng .xlsx"):
        safety.inspect(xlsb)
    import zipfile

    def ods(name: str, rows: str) -> Path:
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", '<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">'
                       '<office:body><office:spreadsheet><table:table table:name="S">' + rows +
                       "</table:table></office:spreadsheet></office:body></office:document-content>")
        return tmp_path / name

    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    # what LibreOffice writes: trailing empty rows and cells repeated to the sheet's end
    fine = ods("ok.ods", f"<table:table-row>{cell}<table:table-cell table:number-columns-repeated='1023'/>"
                         "</table:table-row><table:table-row table:number-rows-repeated='1048575'>"
                         "<table:table-cell table:number-columns-repeated='1024'/></table:table-row>")
    assert safety.inspect(fine).kind == "ods"
    far = ods("far.ods", f"<table:table-row>{cell}</table:table-row><table:table-row table:number-rows-repeated"
                         f"='1048570'><table:table-cell/></table:table-row><table:table-row>"
                         f"<table:table-cell table:number-columns-repeated='16000'/>{cell}</table:table-row>")
    with pytest.raises(safety.Refused, match="quá lớn"):
        safety.inspect(far)


def test_master_vote_sheet_rules_history_and_units_files_go_through_the_guard(tmp_path):
    """The master's `Biểu quyết`, a rules workbook, a history import and a units list with a trap."""
    import openpyxl

    master = make_master(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(master)
    part = {ws.title: f"xl/worksheets/sheet{i + 1}.xml" for i, ws in enumerate(wb.worksheets)}["Biểu quyết"]
    trapped = with_stray(master, tmp_path / "m2.xlsx", "single-quotes", part=part)
    hist = tmp_path / "ls.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức"])
    wb.active.append(["Nguyễn Văn An", "13/02/1980", "BVDK", 2023, "LĐTT"])
    wb.save(hist)
    hist2 = with_stray(hist, tmp_path / "ls2.xlsx", "r-not-first")
    units = tmp_path / "dv.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    wb.active.append(["BVDK", "Bệnh viện Đa khoa", "a@b.vn"])
    wb.save(units)
    units2 = with_stray(units, tmp_path / "dv2.xlsx", "cell-lies-about-row")
    rules = tmp_path / "qd.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Quy định"
    wb.active.append(["Mã quy định", "Bật"])
    wb.save(rules)
    rules2 = with_stray(rules, tmp_path / "qd2.xlsx", "spacing")
    code = r"""
import sys
from thidua_xl.documents.votes import read_vote_sheet
from thidua_xl.history import read_history_file
from thidua_xl.workbook.units import read_units
from thidua_xl.rules import read_override_file
from thidua_xl.errors import UserError
print("votes", read_vote_sheet([sys.argv[1]]))
print("history", len(read_history_file(sys.argv[2])[0]))
print("units", len(read_units(sys.argv[3]).units))
try:
    read_override_file(sys.argv[4])
except UserError as exc:
    print("rules refused", exc)
print("ok")
"""
    done = probe(code, trapped, hist2, units2, rules2)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
    assert "history 1" in done.stdout and "units 1" in done.stdout


def _corrupt_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    good_unit(folder / "B.xlsx", unit="Bệnh viện B")
    corrupt_deflate(good_unit(folder / "C.xlsx", unit="Bệnh viện C"))
    return folder


def test_corrupt_deflate_stream_is_one_bad_file_beside_the_others(tmp_path, capsys):
    folder = _corrupt_folder(tmp_path)
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 1 and r["code_v"] == 1
    assert r["c"]["rows"] == 6 and r["c"]["files"] == 2
    bad = [f for f in r["v"]["findings"] if f["code"] == "BAD_FILE"]
    assert [f["file"] for f in bad] == ["C.xlsx"] and "bị hỏng" in bad[0]["message"]
    assert "C.xlsx" in r["text_c"] and "bị hỏng" in r["text_c"]


def test_collect_with_a_corrupt_unit_file_collects_the_others(tmp_path, capsys):
    master = make_master(tmp_path / "master.xlsx")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    fill_unit_file(files["BVDK"], FILLED["BVDK"])
    fill_unit_file(files["TTYT-BT"], FILLED["TTYT-BT"])
    corrupt_deflate(files["TTYT-BT"])
    files["TTYT-SP"].unlink()
    files["CDC"].unlink()
    before = sha256_tree(out)
    code, text = run(capsys, "collect", out, "--into", master)
    assert code == 1
    assert "TTYT-BT.xlsx" in text and "bị hỏng" in text
    assert sha256_tree(out) == before
    from thidua_xl.intake import read_paths

    it = read_paths([master])
    assert sorted(it.nominations["unit_code"].unique()) == ["BVDK"]
    assert len(it.nominations) == len(FILLED["BVDK"])


def _damaged_directory(path: Path, how: str) -> Path:
    """The zip's central directory spoiled as a damaged download or a foreign zipper leaves it: a version zipfile
    does not know ("zip file version 6.4"), or a name flagged UTF-8 that is not."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    if how == "version":
        data[at + 6:at + 8] = (64).to_bytes(2, "little")
    else:
        data[at + 8:at + 10] = (int.from_bytes(data[at + 8:at + 10], "little") | 0x800).to_bytes(2, "little")
        name_at = at + 46
        data[name_at] = 0xFF  # not UTF-8
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how", ["version", "name"])
def test_a_damaged_zip_directory_is_one_bad_file_beside_the_others(tmp_path, capsys, how):
    """zipfile refuses such a directory with NotImplementedError or UnicodeDecodeError, not BadZipFile: the
    pre-check refuses the file in Vietnamese and the other units are read (it used to stop the whole run with
    "Lỗi không mong đợi")."""
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    good_unit(folder / "B.xlsx", unit="Bệnh viện B")
    bad = _damaged_directory(good_unit(folder / "C.xlsx", unit="Bệnh viện C"), how)
    with pytest.raises(safety.Refused, match="tệp nén bị hỏng"):
        safety.inspect(bad)
    r = both_commands(capsys, folder, tmp_path)
    assert r["code_c"] == 1 and r["code_v"] == 1
    assert r["c"]["rows"] == 6 and r["c"]["files"] == 2
    bad_files = [f for f in r["v"]["findings"] if f["code"] == "BAD_FILE"]
    assert [f["file"] for f in bad_files] == ["C.xlsx"] and "tệp nén bị hỏng" in bad_files[0]["message"]
    assert "C.xlsx" in r["text_c"]


def test_a_surprise_while_opening_one_file_is_that_file_s_finding(tmp_path, monkeypatch):
    """Whatever a reader raises that nobody foresaw while opening one file (a fault injected here) becomes that
    file's BAD_FILE finding; the other files are read."""
    from thidua_xl.intake import files as intake_files
    from thidua_xl.intake import read as intake_read

    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    good_unit(folder / "B.xlsx", unit="Bệnh viện B")
    real = intake_read.load_file

    def load_file(path, *args, **kwargs):
        if path.name == "B.xlsx":
            raise NotImplementedError("a reader's surprise")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(intake_read, "load_file", load_file)  # the main thread's reading
    monkeypatch.setattr(intake_files, "load_file", load_file)  # the worker threads' reading ahead
    it = intake_read.read_paths([folder])
    assert [(f.code, f.file) for f in it.findings if f.code == "BAD_FILE"] == [("BAD_FILE", "B.xlsx")]
    assert "a reader's surprise" in [f for f in it.findings if f.code == "BAD_FILE"][0].message
    assert set(it.nominations["unit"]) == {"Bệnh viện A"}
