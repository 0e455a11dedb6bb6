"""The Windows installer puts Python exactly where the workbook's xlwings.conf looks for it."""
import zipfile
from pathlib import Path

from thidua_xl.workbook.build import INTERPRETER_WIN, XLWINGS_PROPERTY

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "install" / "cai-dat-windows.ps1"


def test_script_is_utf8_with_bom_for_windows_powershell_5():
    raw = SCRIPT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # without it PowerShell 5.1 reads Vietnamese text as ANSI
    raw.decode("utf-8")


def test_script_creates_the_venv_the_workbook_points_to():
    text = SCRIPT.read_text("utf-8-sig")
    venv = INTERPRETER_WIN.split("\\Scripts\\")[0]  # %LOCALAPPDATA%\ThiDua\venv
    assert venv.replace("%LOCALAPPDATA%", "") == r"\ThiDua\venv"
    assert 'Join-Path $env:LOCALAPPDATA "ThiDua\\venv"' in text
    assert INTERPRETER_WIN.endswith(r"\Scripts\pythonw.exe")


def test_script_pins_the_xlwings_version_recorded_in_the_workbook():
    text = SCRIPT.read_text("utf-8-sig")
    assert f'"{XLWINGS_PROPERTY}"' in text
    custom = zipfile.ZipFile(ROOT / "workbooks" / "ThiDua.xlsm").read("docProps/custom.xml").decode()
    assert XLWINGS_PROPERTY in custom


def test_script_unblocks_the_file_and_adds_a_trusted_location_without_overwriting():
    text = SCRIPT.read_text("utf-8-sig")
    assert "Unblock-File" in text and "Trusted Locations" in text
    assert "ThiDua-moi.xlsm" in text  # an existing ThiDua.xlsm is kept


def test_batch_wrapper_is_ascii_with_crlf():
    raw = (ROOT / "install" / "cai-dat.bat").read_bytes()
    raw.decode("ascii")
    assert b"\r\n" in raw and b"cai-dat-windows.ps1" in raw
