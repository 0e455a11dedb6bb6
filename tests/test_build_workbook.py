"""ThiDua.xlsm as Excel would read it: VBA project, ribbon part and relationship, conf sheet, master."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from thidua_xl.devtools import build_workbook as build

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsm") / "ThiDua.xlsm"
    info = build.build_workbook(out, year=2024)
    return info


@pytest.fixture(scope="module")
def vba_sources(built):
    """Module name -> source text, as oletools reads it back from the package."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(built.path))
    try:
        assert parser.detect_vba_macros()
        return {Path(vba_filename).stem: code for _f, _s, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def _read(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(part)


def test_ribbon_part_relationship_and_content_type(built):
    ui = etree.fromstring(_read(built.path, build.RIBBON_PART))
    assert ui.tag == f"{{{build.RIBBON_NS}}}customUI"
    tab = ui.find(f".//{{{build.RIBBON_NS}}}tab")
    assert tab.get("label") == "Thi đua"
    rels = etree.fromstring(_read(built.path, "_rels/.rels"))
    ribbon = [r for r in rels.iter(f"{{{REL_NS}}}Relationship") if r.get("Type") == build.RIBBON_REL]
    assert len(ribbon) == 1 and ribbon[0].get("Target") == build.RIBBON_PART
    # the workbook's own relationship is still there
    assert any(r.get("Target") == "xl/workbook.xml" for r in rels.iter(f"{{{REL_NS}}}Relationship"))
    types = etree.fromstring(_read(built.path, "[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT_NS}}}Override")}
    assert overrides["/" + build.RIBBON_PART] == "application/xml"
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{{{CT_NS}}}Default")}
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"


def test_ribbon_has_every_button_with_icon_and_known_tag(built):
    from thidua_xl import xl

    xml = _read(built.path, build.RIBBON_PART)
    buttons = build.ribbon_tags(xml)
    labels = [b[0] for b in buttons]
    assert labels == ["Kiểm tra", "Tổng hợp", "Xuất văn bản", "In giấy khen", "Căn chỉnh mẫu in", "Gửi email",
                      "Tách file đơn vị", "Nhập file đơn vị", "Tình hình nộp", "Phản hồi đơn vị", "Thêm đơn vị",
                      "Lưu kết quả vào lịch sử", "Mở thư mục kết quả", "Hướng dẫn"]
    tags = [b[2] for b in buttons]
    assert len(set(tags)) == len(tags)
    assert set(tags) == set(xl.ACTIONS)
    ui = etree.fromstring(xml)
    for b in ui.iter(f"{{{build.RIBBON_NS}}}button"):
        assert re.fullmatch(r"[A-Za-z]+", b.get("imageMso") or ""), b.get("label")


def test_every_onaction_is_a_ribbon_callback_in_the_vba(built, vba_sources):
    code = "\n".join(vba_sources.values())
    for label, action, _tag in build.ribbon_tags(_read(built.path, build.RIBBON_PART)):
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)", code, re.M), label


def test_runpython_commands_are_ascii_and_name_no_file(vba_sources):
    ours = vba_sources["ThiDua"]
    calls = re.findall(r"^\s*RunPython (.+)$", ours, re.M)
    assert calls and all(c.isascii() for c in calls)
    assert all("import thidua_xl.xl as x; x.run(" in c for c in calls)
    assert "ThiDua.xlsm" not in ours


def test_modules_round_trip_through_oletools(built, vba_sources):
    from thidua_xl.devtools.vba.project import read_bas

    expected = {m.name: m.source for m in build.standard_modules()}
    assert set(expected) == {"ThiDua", "xlwings"}
    for name, source in expected.items():  # byte for byte, Attribute lines included
        assert vba_sources[name].replace("\r\n", "\n").strip() == source.replace("\r\n", "\n").strip()
    assert "Public Function RunPython(PythonCommand As String)" in vba_sources["xlwings"]
    # every sheet has its document module, named by the sheet's codeName
    wb = etree.fromstring(_read(built.path, "xl/workbook.xml"))
    assert wb.find(f"{{{MAIN_NS}}}workbookPr").get("codeName") == "ThisWorkbook"
    code_names = []
    with zipfile.ZipFile(built.path) as z:
        for n in sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            pr = etree.fromstring(z.read(n)).find(f"{{{MAIN_NS}}}sheetPr")
            code_names.append(pr.get("codeName"))
    assert set(code_names) | {"ThisWorkbook"} <= set(vba_sources)
    assert read_bas(ROOT / "macros" / "ThiDua.bas").name == "ThiDua"


def test_conf_sheet_hidden_with_interpreter_and_master_sheets(built):
    import openpyxl

    wb = openpyxl.load_workbook(built.path, keep_vba=True)
    conf = wb[build.CONF_SHEET]
    assert conf.sheet_state == "hidden"
    assert conf["A1"].value == "Interpreter_Win"
    assert conf["B1"].value.endswith("pythonw.exe")
    assert wb.sheetnames[-1] == build.CONF_SHEET
    try:
        from thidua_xl.workbook.layout import FIXED_SHEETS
    except ImportError:
        pytest.skip("thidua_xl.workbook.layout chưa có")
    assert set(FIXED_SHEETS) <= set(wb.sheetnames)
    assert "DS_DON_VI" in wb.defined_names
    assert any(ws.data_validations.dataValidation for ws in wb.worksheets)
    assert wb["Cấu hình"].max_row > 1


def test_hash_and_versions_are_recorded(built):
    assert build.stored_hash(built.path) == built.source_hash == build.source_hash()
    custom = _read(built.path, "docProps/custom.xml").decode()
    import xlwings

    assert xlwings.__version__ in custom


def test_committed_workbook_is_built_from_current_sources():
    committed = ROOT / "workbooks" / "ThiDua.xlsm"
    assert committed.is_file(), "workbooks/ThiDua.xlsm chưa được dựng: chạy `thidua build-workbook`"
    assert build.stored_hash(committed) == build.source_hash(), (
        "workbooks/ThiDua.xlsm cũ hơn mã nguồn (macros/, thidua_xl/devtools, thidua_xl/workbook): "
        "chạy `thidua build-workbook` rồi commit tệp")


def test_source_hash_ignores_line_endings_but_not_content(tmp_path):
    for rel in ("macros/A.bas", "thidua_xl/devtools/build_workbook.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x\ny\n")
    h = build.source_hash(tmp_path)
    (tmp_path / "macros/A.bas").write_bytes(b"x\r\ny\r\n")
    assert build.source_hash(tmp_path) == h
    (tmp_path / "macros/A.bas").write_bytes(b"x\ny\nz\n")
    assert build.source_hash(tmp_path) != h


def test_cli_builds_and_rejects_wrong_suffix(tmp_path):
    from thidua_xl.cli import main

    out = tmp_path / "Sở" / "ThiDua.xlsm"
    assert main(["build-workbook", "--out", str(out), "--year", "2023"]) == 0
    assert build.stored_hash(out) == build.source_hash()
    assert main(["build-workbook", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_non_ascii_vba_source_is_refused(tmp_path):
    from thidua_xl.errors import UserError

    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "M.bas").write_text('Attribute VB_Name = "M"\nSub A()\n MsgBox "Đã xong"\nEnd Sub\n', "utf-8")
    (macros / "customUI14.xml").write_bytes(build.ribbon_xml())
    with pytest.raises(UserError):
        build.build_workbook(tmp_path / "x.xlsm", macros=macros)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="cần LibreOffice (soffice) để nhập dự án VBA")
def test_libreoffice_imports_every_module_in_full(built, tmp_path):
    """LibreOffice reads the VBA project itself: a garbled stream comes out as an empty module."""
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(built.path)], check=True, capture_output=True, timeout=180)
    ods = tmp_path / "ThiDua.ods"
    assert ods.is_file()
    with zipfile.ZipFile(ods) as z:
        basic = {Path(n).stem: etree.fromstring(z.read(n)).text or ""
                 for n in z.namelist() if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")}
        library = etree.fromstring(z.read("Basic/VBAProject/script-lb.xml"))
    assert library.get("{http://openoffice.org/2000/library}name") == "VBAProject"
    for mod in build.standard_modules():
        imported = basic[mod.name].replace("\r\n", "\n")
        for line in mod.source.split("\r\n"):
            if line.startswith("Attribute VB_") or not line.strip():
                continue
            assert line.rstrip() in imported, f"{mod.name}: thiếu dòng {line!r}"
        body = [ln for ln in mod.source.split("\r\n") if ln.strip() and not ln.startswith("Attribute VB_")]
        assert imported.rstrip().endswith(body[-1].rstrip())
    assert "Function RunPython(PythonCommand As String)" in basic["xlwings"]
    assert re.search(r"Sub RibbonRun\(control As IRibbonControl\)", basic["ThiDua"])
    assert {"ThisWorkbook", "Sheet1"} <= set(basic)
