"""The Windows installer puts Python exactly where the workbook's xlwings.conf looks for it."""
import zipfile
from pathlib import Path

from thidua_xl.workbook.xlsm import HOME_VARIABLE, INTERPRETER_WIN, XLWINGS_PROPERTY

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "install" / "cai-dat-windows.ps1"


def test_script_is_utf8_with_bom_for_windows_powershell_5():
    raw = SCRIPT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # without it PowerShell 5.1 reads Vietnamese text as ANSI
    raw.decode("utf-8")


def test_script_creates_the_venv_the_workbook_points_to():
    """The workbook looks in %THIDUA_HOME%\\venv; the script makes it there and sets THIDUA_HOME for the user."""

    text = SCRIPT.read_text("utf-8-sig")
    assert INTERPRETER_WIN == rf"%{HOME_VARIABLE}%\venv\Scripts\pythonw.exe"
    assert f'$HomeVariable = "{HOME_VARIABLE}"' in text
    assert '$Venv = Join-Path $HomeDir "venv"' in text
    assert '[Environment]::SetEnvironmentVariable($HomeVariable, $HomeDir, "User")' in text
    assert 'New-Item -ItemType Directory -Force -Path (Join-Path $HomeDir "tmp")' in text  # TEMP DIR of the conf


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


# --- the checks the installer makes, run here where they are plain text or Python ------------------
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

PWSH = shutil.which("pwsh")


def ps_string(name: str) -> str:
    """The value of `$name = "…"` (or '…') in the script."""
    text = SCRIPT.read_text("utf-8-sig")
    m = re.search(rf'^\${name} = (["\'])(.*)\1\s*$', text, re.M)
    assert m, name
    return m.group(2)


def test_python_probe_runs_and_its_answer_parses_as_the_script_expects():
    probe = ps_string("PythonProbe")
    assert '"' not in probe  # Windows PowerShell 5.1 drops double quotes inside native arguments
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    text = SCRIPT.read_text("utf-8-sig")
    pattern = re.search(r"-notmatch '(\^\(\\d\+\\\.\\d\+\).*?)'\)", text).group(1)
    m = re.match(pattern, out)
    assert m, out
    assert m.group(1) == "%d.%d" % sys.version_info[:2]
    assert m.group(2) == "64" and m.group(3) == sys.executable and m.group(4) == sys.base_prefix


def test_a_tested_version_is_preferred_and_ci_tests_it():
    tested = re.findall(r'"(\d\.\d+)"', re.search(r"^\$TestedVersions = @\((.*?)\)", SCRIPT.read_text("utf-8-sig"),
                                                   re.M).group(1))
    assert tested and "%d.%d" % sys.version_info[:2] in tested
    assert ps_string("MinVersion") == "3.11"  # = requires-python of pyproject.toml
    text = SCRIPT.read_text("utf-8-sig")
    assert 'foreach ($v in $TestedVersions) { $found += Get-PythonInfo "py" @("-$v") }' in text


def test_32_bit_and_store_python_are_refused_in_vietnamese():
    text = SCRIPT.read_text("utf-8-sig")
    usable = re.search(r"\$usable = @\(\$Candidates \| Where-Object \{(.*?)\}\)", text, re.S).group(1)
    assert "$_.Bits -eq 64" in usable and "-not (Test-StorePython" in usable
    assert "là bản 32-bit" in text and "Excel 32-bit vẫn dùng được Python 64-bit" in text
    assert "bản cài từ Microsoft Store" in text
    store = re.search(r"-match '(WindowsApps\|[^']+)'", text).group(1)
    real_store = (r"C:\Users\lan\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0"
                  r"\python.exe")
    base = r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.11_3.11.2544.0_x64__qbz5n2kfra8p0"
    assert re.search(store, real_store, re.I) and re.search(store, base, re.I)
    assert not re.search(store, r"C:\Users\lan\AppData\Local\Programs\Python\Python311\python.exe", re.I)


def test_offline_wheels_pick_the_python_version_they_were_made_for():
    text = SCRIPT.read_text("utf-8-sig")
    assert '$Wheels = Join-Path $PSScriptRoot "wheels"' in text
    assert '"--no-index", "--find-links", $Wheels, "thidua_xl"' in text
    pattern = re.search(r"-match '(-cp3\(\\d\+\)[^']*)'", text).group(1)
    assert re.search(pattern, "pandas-2.2.3-cp311-cp311-win_amd64.whl").group(1) == "11"
    assert re.search(pattern, "numpy-2.1.3-cp312-cp312-win_amd64.whl").group(1) == "12"
    assert not re.search(pattern, "xlwings-0.37.8-py3-none-any.whl")
    assert not re.search(pattern, "numpy-2.1.3-cp311-cp311-win32.whl")  # a 32-bit set is not ours
    # the documented command builds exactly that folder
    guide = (ROOT / "docs" / "windows-smoke-test.md").read_text("utf-8")
    assert "pip download --only-binary=:all: --platform win_amd64" in guide and "install/wheels" in guide


def test_the_installation_is_verified_as_excel_will_use_it():
    assert ps_string("VerifyImports") == "import xlwings, win32api, thidua_xl.xl"
    text = SCRIPT.read_text("utf-8-sig")
    assert "& $VPy -c $VerifyImports" in text
    # here (no pywin32 off Windows) the rest of that line imports
    subprocess.run([sys.executable, "-c", "import xlwings, thidua_xl.xl"], check=True)


def test_a_broken_venv_is_rebuilt_and_excel_must_be_closed():
    text = SCRIPT.read_text("utf-8-sig")
    assert "-not (Test-Venv $VPy $Py)" in text and "Remove-Item -LiteralPath $Venv -Recurse -Force" in text
    assert "Get-Process -Name EXCEL" in text


def test_python_home_is_ascii_and_the_working_folder_avoids_onedrive():
    text = SCRIPT.read_text("utf-8-sig")
    assert "if (Test-Ascii $default) { return $default }" in text
    assert 'Join-Path $env:SystemDrive "ThiDua\\$rid"' in text
    assert re.search(r"Test-Ascii.*\[\^\\x00-\\x7F\]", text)
    assert "-not (Test-InOneDrive $docs)" in text and "Join-Path $env:USERPROFILE \"ThiDua\"" in text
    assert "if (Test-InOneDrive $ThuMuc) {" in text  # a chosen folder inside OneDrive gets a warning


def _ps_tokens_balanced(text: str) -> None:
    """Brackets balance outside strings, here-strings and comments (a cheap syntax check without pwsh)."""
    stack, i, n = [], 0, len(text)
    pairs = {")": "(", "}": "{", "]": "["}
    while i < n:
        ch = text[i]
        if text.startswith("<#", i):
            i = text.index("#>", i) + 2
            continue
        if ch == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if ch == "'":
            j = i + 1
            while True:
                j = text.index("'", j)
                if text.startswith("''", j):
                    j += 2
                    continue
                break
            i = j + 1
            continue
        if ch == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "`" else 1
            i = j + 1
            continue
        if ch in "({[":
            stack.append((ch, text.count("\n", 0, i) + 1))
        elif ch in ")}]":
            assert stack and stack[-1][0] == pairs[ch], f"dòng {text.count(chr(10), 0, i) + 1}: {ch} thừa"
            stack.pop()
        i += 1
    assert not stack, f"mở mà chưa đóng: {stack}"


def test_script_brackets_and_strings_balance():
    _ps_tokens_balanced(SCRIPT.read_text("utf-8-sig"))
    with pytest.raises(AssertionError):
        _ps_tokens_balanced("function F { if ($a) { 'x' }\n")


@pytest.mark.skipif(PWSH is None, reason="cần PowerShell (pwsh) để chạy các hàm của bộ cài")
def test_select_python_in_powershell(tmp_path):
    """The script's own functions, dot-sourced (Main does not run), on made-up candidates."""
    (tmp_path / "pandas-2.2.3-cp311-cp311-win_amd64.whl").write_bytes(b"")
    code = f"""
. '{SCRIPT}'
function P($v, $b, $exe) {{ [pscustomobject]@{{ Version = $v; Bits = $b; Executable = $exe; BasePrefix = $exe; Exe = 'py'; Args = @() }} }}
$r1 = Select-Python @((P '3.11' 32 'C:\\Python311-32\\python.exe')) ''
$r2 = Select-Python @((P '3.11' 64 'C:\\Users\\a\\AppData\\Local\\Microsoft\\WindowsApps\\python.exe')) ''
$r3 = Select-Python @((P '3.13' 64 'C:\\P313\\python.exe'), (P '3.11' 64 'C:\\P311\\python.exe')) ''
$r4 = Select-Python @((P '3.12' 64 'C:\\P312\\python.exe'), (P '3.11' 64 'C:\\P311\\python.exe')) (Get-WheelVersion '{tmp_path}')
Write-Output ("R1=" + $r1.Reason)
Write-Output ("R2=" + $r2.Reason)
Write-Output ("R3=" + $r3.Python.Version)
Write-Output ("R4=" + $r4.Python.Version)
Write-Output ("A=" + (Test-Ascii 'C:\\Users\\Nguyễn') + (Test-Ascii 'C:\\ThiDua'))
"""
    out = subprocess.run([PWSH, "-NoProfile", "-Command", code], capture_output=True, text=True, timeout=120).stdout
    lines = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    assert "32-bit" in lines["R1"] and "Microsoft Store" in lines["R2"]
    assert lines["R3"] == "3.11" and lines["R4"] == "3.11" and lines["A"] == "FalseTrue"


def _windows_only(requirement: str) -> bool:
    marker = requirement.partition(";")[2]
    return bool(re.search(r"""(platform_system|sys_platform|os_name)\s*==\s*["'](Windows|win32|nt)["']""", marker))


@pytest.mark.slow
def test_every_runtime_dependency_has_a_windows_wheel_and_the_guide_names_the_windows_only_ones(tmp_path):
    """What the guide's `pip download --platform win_amd64` fetches, resolved (metadata only) for Python 3.11.

    pip evaluates environment markers on the machine it runs on, so from Linux the packages only
    Windows needs (pywin32 for xlwings, colorama, docx2pdf) must be named: the guide names them,
    and every Windows-only requirement of what resolves must be among the packages resolved.
    """
    import json
    import tomllib

    import xlwings

    guide = (ROOT / "docs" / "windows-smoke-test.md").read_text("utf-8")
    command = guide[guide.index("python -m pip download"):]
    command = command[:command.index("```")]
    import shlex

    tokens = shlex.split(command.replace("\\\n", " "))
    named = [t for t in tokens[tokens.index("install/wheels/thidua_xl-*.whl") + 1:] if "$(" not in t]
    assert {"pywin32", "colorama"} <= {re.split(r"[<>=!]", n)[0] for n in named}
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    wanted = [d.partition(";")[0].strip() for d in deps if "xlwings" not in d] + named
    wanted.append(f"xlwings=={xlwings.__version__}")
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                           "--report", str(report), "--only-binary=:all:", "--platform", "win_amd64",
                           "--python-version", "3.11", "--implementation", "cp", "--target", str(tmp_path / "t"),
                           *wanted], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 and "No matching distribution" not in proc.stderr:
        pytest.skip(f"không tra được chỉ mục gói (mạng?): {proc.stderr.strip().splitlines()[-1:]}")
    assert proc.returncode == 0, proc.stderr  # a dependency without a Windows wheel
    installed = json.loads(report.read_text("utf-8"))["install"]
    names = {i["metadata"]["name"].lower().replace("_", "-") for i in installed}
    for item in installed:
        for req in item["metadata"].get("requires_dist") or []:
            if _windows_only(req) and "extra ==" not in req:
                name = re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower().replace("_", "-")
                assert name in names, f"{item['metadata']['name']} cần {name} trên Windows"
    assert {"pywin32", "xlwings", "pandas"} <= names


def test_an_old_processor_gets_the_compatible_polars_runtime_of_the_installed_version():
    """After pip and before the first import, the script asks the venv's Python (no native code loaded) whether
    the processor has what the Polars runtime needs, and otherwise installs polars-runtime-compat of that version."""
    probe = ps_string("CpuProbe")
    out = subprocess.run([sys.executable, "-m", probe], capture_output=True, text=True, check=True).stdout
    answer = json.loads(out.strip().splitlines()[-1])  # what ConvertFrom-Json reads
    import importlib.metadata as md

    assert answer["polars"] == md.version("polars") and answer["missing"] == []  # this machine has AVX2
    text = SCRIPT.read_text("utf-8-sig")
    for used in re.findall(r"\$cpu\.(\w+)", text) + re.findall(r"\(\$cpuLine \| ConvertFrom-Json\)\.(\w+)", text):
        assert used in answer, used
    assert text.index("& $VPy @pipArgs") < text.index("& $VPy -m $CpuProbe") < text.index("& $VPy -c $VerifyImports")
    assert '& $VPy @compatArgs "polars-runtime-compat==$($cpu.polars)"' in text
    assert '$compatArgs += @("--no-index", "--find-links", $Wheels)' in text  # the offline bundle has it too
    assert 'if ($missing.Count -gt 0 -and $cpu.runtime -eq "compat")' in text  # already compatible: nothing to add
    guide = (ROOT / "docs" / "windows-smoke-test.md").read_text("utf-8")
    assert "polars-runtime-compat==" in guide and "polars_runtime_compat" in guide
