"""Before RunPython: the workbook checks what it needs and says in Vietnamese what to do.

The pre-flight lives in macros/ThiDua.bas (ASCII, code page 1252); its messages in the very
hidden sheet `_thidua_vba`; xlwings' settings are pinned in the hidden `xlwings.conf` sheet so
no user-level config changes how Python is started. LibreOffice imports the built project as
executable Basic and runs its functions: a module that does not compile has none.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from thidua_xl.devtools.vba.messages import HOME_VARIABLE, MESSAGES, TEXT_SHEET
from thidua_xl.devtools import build_workbook as build

ROOT = Path(__file__).resolve().parents[1]
BAS = (ROOT / "macros" / "ThiDua.bas").read_text("ascii")


def macro_name(tag: str) -> str:
    """kiem_tra -> ThiDua_KiemTra: the Alt+F8 name of a button's macro."""
    return "ThiDua_" + "".join(w.capitalize() for w in tag.split("_"))


def xlwings_source() -> str:
    return build.xlwings_bas_path().read_bytes().decode("cp1252")


def sub_body(name: str) -> str:
    m = re.search(rf"^(?:Public |Private )?(?:Sub|Function) {name}\b.*?^End (?:Sub|Function)", BAS, re.M | re.S)
    assert m, f"{name} không có trong macros/ThiDua.bas"
    return m.group(0)


def test_every_button_has_a_parameterless_macro_for_alt_f8():
    for label, _action, tag in build.ribbon_tags():
        body = sub_body(macro_name(tag))
        assert re.match(rf"Public Sub {macro_name(tag)}\(\)", body), label
        assert f'ThiDuaRun "{tag}"' in body, label


def test_every_path_to_python_goes_through_the_pre_flight():
    assert re.findall(r"^\s*RunPython ", BAS, re.M) == ["    RunPython "]  # one call, in ThiDuaRun
    run = sub_body("ThiDuaRun")
    assert run.index("If Not PreFlight() Then Exit Sub") < run.index("RunPython")
    assert 'ThiDuaRun CallByName(control, "Tag", VbGet)' in sub_body("RibbonRun")


def test_pre_flight_checks_with_filesystemobject_what_runpython_needs():
    pre = sub_body("PreFlight")
    assert 'CreateObject("Scripting.FileSystemObject")' in pre
    assert 'GetConfig("INTERPRETER_WIN", "")' in pre  # the very value RunPython will use
    assert "fso.FileExists(interp)" in pre
    assert 'HasFolderLike(fso, site, "thidua_xl-", ".dist-info")' in pre  # the package is installed
    assert r'"\win32\win32api.pyd"' in pre  # pywin32, without which xlwings cannot reach Excel
    assert '"\\xlwings-" & XLWINGS_VERSION & ".dist-info"' in pre  # the same xlwings as the workbook's module
    assert 'GetConfig("TEMP DIR", Environ("Temp"))' in pre
    assert "On Error GoTo Broken" in pre  # an unexpected error is a message too
    # the xlwings module really offers what the pre-flight calls
    xlw = xlwings_source()
    assert re.search(r"^Function GetConfig\(configKey As String", xlw, re.M)
    assert re.search(r'^Public Const XLWINGS_VERSION As String = "[\d.]+"', xlw, re.M)
    assert re.search(r'TempDir = GetConfig\("TEMP DIR", Environ\("Temp"\)\)', xlw)


def test_every_message_the_macro_shows_is_in_vietnamese_in_the_sheet():
    keys = set(re.findall(r'\bSay "(\w+)"', BAS)) | {"title"}
    assert keys <= set(MESSAGES), keys - set(MESSAGES)
    for key in keys - {"title"}:
        text = MESSAGES[key]
        assert "cai-dat.bat" in text, key  # each says what to do
        assert any(ch in text for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), key
    assert not re.search(r"^\s*MsgBox", BAS, re.M)  # MsgBox goes through the ANSI code page: Vietnamese would be mangled
    assert 'CreateObject("WScript.Shell").Popup' in BAS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build.build_workbook(tmp_path_factory.mktemp("pre") / "ThiDua.xlsm", year=2024)


def test_workbook_carries_the_messages_in_a_very_hidden_sheet(built):
    import openpyxl

    wb = openpyxl.load_workbook(built.path, keep_vba=True)
    ws = wb[TEXT_SHEET]
    assert ws.sheet_state == "veryHidden"
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True)}
    assert rows == MESSAGES
    assert f'Private Const TEXT_SHEET As String = "{TEXT_SHEET}"' in BAS


def test_conf_sheet_pins_every_setting_a_user_config_could_override(built):
    """xlwings reads the sheet first, then the folder's and the user's xlwings.conf: a key here wins."""
    import openpyxl

    ws = openpyxl.load_workbook(built.path, keep_vba=True)[build.CONF_SHEET]
    rows = [(r[0], r[1]) for r in ws.iter_rows(values_only=True)]
    keys = [k for k, _v in rows]
    assert None not in keys  # contiguous from A1: xlwings stops reading at the first empty key
    conf = {k.upper(): (v or "") for k, v in rows}
    for key in ("USE UDF SERVER", "CONDA PATH", "CONDA ENV", "SHOW CONSOLE", "TEMP DIR", "INTERPRETER_WIN",
                "PYTHONPATH", "ADD_WORKBOOK_TO_PYTHONPATH", "SHOW_ERROR_POPUPS"):
        assert key in conf, key
        assert f'GetConfig("{key}"' in xlwings_source(), key  # a key RunPython really reads
    assert conf["USE UDF SERVER"] == "False" and conf["SHOW CONSOLE"] == "False"
    assert conf["CONDA PATH"] == conf["CONDA ENV"] == conf["PYTHONPATH"] == ""
    # interpreter and temp folder under the installer's ASCII folder, never the (maybe Vietnamese) profile
    assert conf["INTERPRETER_WIN"] == rf"%{HOME_VARIABLE}%\venv\Scripts\pythonw.exe"
    assert conf["TEMP DIR"] == rf"%{HOME_VARIABLE}%\tmp"
    assert "LOCALAPPDATA" not in conf["INTERPRETER_WIN"] and "USERPROFILE" not in conf["TEMP DIR"]


def test_vba_source_stays_ascii():
    (ROOT / "macros" / "ThiDua.bas").read_bytes().decode("ascii")


# --- LibreOffice compiles and runs the project ---------------------------------------
from conftest import SOFFICE  # noqa: E402


@pytest.fixture(scope="module")
def lo_results(tmp_path_factory):
    """One LibreOffice run over a workbook whose xlwings module has its #If resolved for 64-bit Excel."""
    from lo_basic import call_vba
    from vba_helpers import resolve_conditionals

    from thidua_xl.devtools.vba.project import Module

    tmp = tmp_path_factory.mktemp("lo-vba")
    modules = [Module(m.name, resolve_conditionals(m.source)) for m in build.standard_modules()]
    # the control: xlwings' module as shipped, #If left in (two headers of one Function in its branches)
    raw = xlwings_source().replace('Attribute VB_Name = "xlwings"', 'Attribute VB_Name = "Raw"')
    modules.append(Module("Raw", raw))
    info = build.build_workbook(tmp / "ThiDua.xlsm", year=2024, standard=modules)
    calls = ["ThiDua.IsAscii~C:\\ThiDua\\venv\\Scripts\\pythonw.exe", "ThiDua.IsAscii~C:\\Users\\Nguyễn\\AppData",
             "ThiDua.MessageText~no_python~C:\\ThiDua\\venv\\Scripts\\pythonw.exe~",
             "ThiDua.MessageText~khong_co_khoa~x~y", "xlwings.IsFullName~C:\\a\\b.xlsm", "xlwings.GetBaseName~ThiDua.xlsm",
             "Raw.GetBaseName~ThiDua.xlsm"]
    calls += [f"ThiDua.{macro_name(tag)}" for _l, _a, tag in build.ribbon_tags()]
    return call_vba(info.path, calls, tmp)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="cần LibreOffice (soffice)")
def test_libreoffice_compiles_our_module_and_xlwings_resolved_for_win64(lo_results):
    # LibreOffice is lenient with some syntax errors (Excel's Debug > Compile stays in the smoke test),
    # but a module whose structure it cannot follow loses its procedures: so does xlwings' unresolved
    raw = lo_results["Raw.GetBaseName~ThiDua.xlsm"]
    assert raw[0] == "ERR" and "could not be found" in raw[1]
    assert lo_results["xlwings.GetBaseName~ThiDua.xlsm"] == ("OK", "ThiDua")
    assert lo_results["ThiDua.IsAscii~C:\\ThiDua\\venv\\Scripts\\pythonw.exe"] == ("OK", "True")
    assert lo_results["ThiDua.IsAscii~C:\\Users\\Nguyễn\\AppData"] == ("OK", "False")
    assert lo_results["xlwings.IsFullName~C:\\a\\b.xlsm"] == ("OK", "True")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="cần LibreOffice (soffice)")
def test_libreoffice_reads_the_vietnamese_message_from_the_hidden_sheet(lo_results):
    status, text = lo_results["ThiDua.MessageText~no_python~C:\\ThiDua\\venv\\Scripts\\pythonw.exe~"]
    assert status == "OK"
    expected = MESSAGES["no_python"].replace("{0}", r"C:\ThiDua\venv\Scripts\pythonw.exe").replace("{1}", "")
    assert text == expected.replace("\n", "\\n")  # Unicode intact: read from a cell, not from the ASCII source
    status, text = lo_results["ThiDua.MessageText~khong_co_khoa~x~y"]
    assert status == "OK" and "cai-dat.bat" in text and text.isascii()  # a missing text still says what to do


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="cần LibreOffice (soffice)")
def test_libreoffice_finds_every_parameterless_macro(lo_results):
    for _label, _action, tag in build.ribbon_tags():
        status, message = lo_results[f"ThiDua.{macro_name(tag)}"]
        # it exists and compiled; here it stops at CreateObject("Scripting.FileSystemObject"), a Windows object
        assert "could not be found" not in message, (tag, message)


def test_the_if_resolver_keeps_excels_64_bit_branch():
    from vba_helpers import resolve_conditionals

    src = "\r\n".join(['#Const App = "Microsoft Excel"', "#If VBA7 Then", "  #If Win64 Then", "a64", "  #Else",
                       "a32", "  #End If", "#Else", "old", "#End If", '#If App = "Microsoft Word" Then', "w",
                       '#ElseIf App = "Microsoft Excel" Then', "x", "#Else", "o", "#End If", "#If Not Mac Then",
                       "win", "#End If"])
    out = [ln for ln in resolve_conditionals(src).split("\r\n") if ln]
    assert out == ["a64", "x", "win"]
    resolved = resolve_conditionals(xlwings_source())
    assert "xlwings64-" in resolved and "xlwings32-" not in resolved and "libc.dylib" not in resolved
    assert not re.search(r"^\s*#", resolved, re.M)
