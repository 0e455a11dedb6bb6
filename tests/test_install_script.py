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


def test_script_reads_the_xlwings_version_with_the_namespaces_of_custom_xml():
    """The XPath and namespace URIs in the script, evaluated on the committed workbook's custom.xml."""
    import re

    from lxml import etree

    text = SCRIPT.read_text("utf-8-sig")
    ns = dict(re.findall(r'\$ns\.AddNamespace\("(\w+)", "([^"]+)"\)', text))
    prop = re.search(r'\$PropName = "(\w+)"', text).group(1)
    xpath = re.search(r'SelectSingleNode\("([^"]+)", \$ns\)', text).group(1).replace("$PropName", prop)
    custom = zipfile.ZipFile(ROOT / "workbooks" / "ThiDua.xlsm").read("docProps/custom.xml")
    found = etree.fromstring(custom).getroottree().xpath(xpath, namespaces=ns)
    import xlwings

    assert [n.text for n in found] == [xlwings.__version__]


def test_script_fails_in_vietnamese_and_never_redirects_native_stderr():
    text = SCRIPT.read_text("utf-8-sig")
    assert "trap { Fail" in text  # an unexpected .NET error still ends with "LỖI: ..." and exit 1
    # Windows PowerShell 5.1 with ErrorActionPreference=Stop aborts on redirected native stderr
    assert "2>$null" not in text and "2>&1" not in text
    assert text.count("$LASTEXITCODE -ne 0") >= 4  # python, venv, pip, thidua --help
    assert "(New-Item -ItemType Directory -Force -Path $ThuMuc).FullName" in text  # trusted path is absolute
