"""`thidua doctor` finds each cause that stops the buttons on a staff PC, and says what to do.

Run for real on this (Linux) machine against a built ThiDua.xlsm; the Windows-only causes
(no THIDUA_HOME, a Vietnamese profile path, 32-bit or Store Python, OneDrive, no Trusted
Location) on a described Windows machine (`doctor.Machine`) with real folders and files.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from thidua_xl import doctor
from thidua_xl.doctor import FIX, INFO, OK, WARN, Machine
from thidua_xl.devtools import build_workbook as build


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return build.build_workbook(tmp_path_factory.mktemp("doc") / "Thi đua 2025" / "ThiDua.xlsm", year=2025).path


def windows(env: dict, bits: int = 64, exe: str = r"C:\Python311\python.exe", base: str = r"C:\Python311") -> Machine:
    return Machine(env=env, windows=True, executable=exe, bits=bits, version=(3, 11, 9), base_prefix=base)


def by_name(checks, name):
    return [c for c in checks if c.name == name]


def test_doctor_on_this_machine_reads_the_workbook_and_imports_no_pandas(workbook):
    code = ("import sys; from thidua_xl.cli import main; rc = main(['doctor', '--workbook', sys.argv[1]]); "
            "print('MODULES', sorted(m for m in ('pandas', 'polars', 'openpyxl') if m in sys.modules)); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(workbook)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "MODULES []" in out
    assert out.startswith("Kiểm tra máy cho phần mềm Thi đua")
    assert "[ĐẠT]      Tệp Excel:" in out and "xlwings" in out and "(đúng như tệp Excel)" in out
    assert "Ghi được vào" in out and "Thi đua 2025" in out
    assert "[ĐẠT]      Bộ xử lý (CPU) cho Polars: Bộ xử lý có đủ các tính năng mà Polars" in out  # AVX2 here
    assert "Trusted Location của Excel: Chỉ kiểm tra được trên Windows." in out
    assert "Kết luận:" in out.splitlines()[-2]


def test_the_workbooks_own_settings_are_read_as_xlwings_reads_them(workbook):
    settings = doctor.workbook_settings(workbook)
    assert settings["INTERPRETER_WIN"] == build.INTERPRETER_WIN == doctor.INTERPRETER_WIN
    assert settings["TEMP DIR"] == build.TEMP_DIR_WIN and settings["CONDA PATH"] == ""
    assert list(settings) == [k.upper() for k, _v in build.CONF_SETTINGS]
    import xlwings

    assert build.workbook_property(workbook, build.XLWINGS_PROPERTY) == xlwings.__version__


def test_no_thidua_home_on_windows_must_be_fixed(workbook):
    checks = doctor.run_checks(workbook, windows({"TEMP": r"C:\Temp"}), package=False, read_registry=lambda: [])
    (home,) = by_name(checks, "Thư mục Python của Excel")
    assert home.status == FIX and "THIDUA_HOME" in home.detail and "cai-dat.bat" in home.fix
    assert doctor.exit_code(checks) == 1
    assert any("→ Đóng hết Excel" in line for line in doctor.report(checks))


def test_a_vietnamese_profile_path_must_be_fixed(workbook, tmp_path):
    home = tmp_path / "Users" / "Nguyễn Văn Hùng" / "AppData" / "Local" / "ThiDua"
    checks = doctor.run_checks(workbook, windows({"THIDUA_HOME": str(home)}), package=False, read_registry=lambda: [])
    (c,) = by_name(checks, "Thư mục Python của Excel")
    assert c.status == FIX and "có dấu" in c.detail and "-ThuMucPython C:\\ThiDua" in c.fix


def test_a_missing_interpreter_must_be_fixed_and_a_present_one_passes(workbook, tmp_path):
    home = tmp_path / "ThiDua"
    m = windows({"THIDUA_HOME": str(home)})
    (c,) = by_name(doctor.run_checks(workbook, m, package=False, read_registry=lambda: []), "Thư mục Python của Excel")
    assert c.status == FIX and "pythonw.exe" in c.detail
    # the layout the installer makes (the Windows separators of the setting become this OS's)
    m.env["THIDUA_HOME"] = str(home)
    interp = doctor.expand(build.INTERPRETER_WIN, m.env).replace("\\", os.sep)
    Path(interp).parent.mkdir(parents=True)
    Path(interp).write_bytes(b"MZ")
    settings = {k: v.replace("\\", os.sep) for k, v in doctor.workbook_settings(workbook).items()}
    checks = doctor.check_home(settings, m)
    assert [c.status for c in checks] == [OK, OK]
    assert (home / "tmp").is_dir()  # the temp folder is made and written to


@pytest.mark.parametrize("bits, exe, base, words", [
    (32, r"C:\Python311-32\python.exe", r"C:\Python311-32", "32-bit"),
    (64, r"C:\Users\lan\AppData\Local\Microsoft\WindowsApps\python.exe",
     r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.11_3.11.2544.0_x64__qbz5n2kfra8p0",
     "Microsoft Store"),
])
def test_32_bit_and_store_python_must_be_fixed(bits, exe, base, words):
    (c,) = doctor.check_python(windows({}, bits=bits, exe=exe, base=base))
    assert c.status == FIX and words in c.detail and "python.org" in c.fix


def test_onedrive_folder_is_a_warning_and_trust_is_read_from_the_registry(workbook):
    folder = str(workbook.parent)
    m = windows({"OneDrive": str(workbook.parent.parent)})
    checks = doctor.check_folder(workbook, m)
    assert [c.status for c in checks] == [OK, WARN] and "OneDrive" in checks[1].detail
    (c,) = doctor.check_trust(workbook, m, read_registry=lambda: [])
    assert c.status == WARN and "Trusted Locations" in c.fix and folder in c.fix
    (c,) = doctor.check_trust(workbook, m, read_registry=lambda: [(str(workbook.parent.parent) + os.sep, True)])
    assert c.status == OK
    (c,) = doctor.check_trust(workbook, m, read_registry=lambda: [(str(workbook.parent.parent) + os.sep, False)])
    assert c.status == WARN  # the parent is trusted, but not its subfolders


def test_an_unwritable_folder_must_be_fixed(tmp_path):
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("x")
    (c,) = doctor.check_folder(blocker / "ThiDua.xlsm", windows({}))
    assert c.status == FIX and "Không ghi được" in c.detail


def test_xlwings_version_differing_from_the_workbooks_must_be_fixed():
    m = doctor.this_machine()
    checks = doctor.check_package({}, m, "0.0.1")
    (v,) = by_name(checks, "Phiên bản xlwings")
    assert v.status == FIX and "0.0.1" in v.detail
    (t,) = by_name(checks, "Thời gian khởi động")
    assert t.status in (OK, WARN) and "giây" in t.detail


def test_a_workbook_without_macros_or_from_a_url_must_be_fixed(tmp_path):
    plain = tmp_path / "ThiDua.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    checks = doctor.run_checks(plain, windows({}), package=False, read_registry=lambda: [])
    assert by_name(checks, "Tệp Excel")[0].status == FIX
    checks = doctor.run_checks(Path("https://d.docs.live.net/abc/Documents/ThiDua.xlsm"), windows({}), package=False)
    (c,) = by_name(checks, "Tệp Excel")
    assert c.status == FIX and "Save As" in c.fix


def test_the_installers_workbook_is_found_without_arguments(workbook, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thu-muc.txt").write_text(str(workbook.parent), "utf-8-sig")  # as Set-Content -Encoding UTF8 writes
    m = windows({"THIDUA_HOME": str(home)})
    assert doctor.default_workbook(m, cwd=tmp_path) == workbook
    assert doctor.default_workbook(windows({}), cwd=tmp_path) is None


def test_expand_is_windows_like():
    env = {"ThiDua_Home": r"C:\ThiDua"}
    assert doctor.expand(r"%THIDUA_HOME%\venv", env) == r"C:\ThiDua\venv"
    assert doctor.expand(r"%KHONG_CO%\x", env) == r"%KHONG_CO%\x"


def test_report_and_summary_say_what_to_do():
    checks = [doctor.Check("A", OK, "tốt"), doctor.Check("B", FIX, "hỏng", "sửa thế này"),
              doctor.Check("C", INFO, "không áp dụng", "không in")]
    lines = doctor.report(checks)
    assert lines[1].startswith("[ĐẠT]") and lines[2].startswith("[CẦN SỬA]") and "→ sửa thế này" in lines[3]
    assert "không in" not in "\n".join(lines) and lines[-1].startswith("Kết luận: 1 mục cần sửa")
    assert doctor.summary(checks) == "Kiểm tra máy:\nCần sửa — B: hỏng sửa thế này"
    assert doctor.summary(checks[:1]) == "Kiểm tra máy: mọi thứ sẵn sàng."


def test_a_workbook_that_does_not_pin_xlwings_settings_is_a_warning(workbook, tmp_path):
    """An old ThiDua.xlsm lets %USERPROFILE%\\.xlwings\\xlwings.conf choose another Python or temp folder."""
    profile = tmp_path / "profile"
    (profile / ".xlwings").mkdir(parents=True)
    (profile / ".xlwings" / "xlwings.conf").write_text('"INTERPRETER_WIN","C:\\khac\\python.exe"\n', "utf-8")
    m = windows({"USERPROFILE": str(profile)})
    (c,) = doctor.check_pins(doctor.workbook_settings(workbook), m)
    assert c.status == OK and "không ảnh hưởng" in c.detail
    old = {"INTERPRETER_WIN": build.INTERPRETER_WIN, "ADD_WORKBOOK_TO_PYTHONPATH": "False"}  # an earlier build's sheet
    (c,) = doctor.check_pins(old, m)
    assert c.status == WARN and "TEMP DIR" in c.detail and "ThiDua-moi.xlsm" in c.fix


# --- the processor against the installed Polars runtime (real flags, real CPUID) ---------------
def test_an_old_processor_without_avx2_must_install_the_compatible_polars_runtime():
    from thidua_xl import polars_cpu

    _name, flags = polars_cpu.installed_runtime()
    version = polars_cpu.polars_version()
    here = polars_cpu.cpu_flags()
    assert doctor.polars_cpu_check(flags, here, False, version).status == OK
    # a Pentium/Celeron without AVX, FMA or BMI: every data command would die of an illegal instruction
    pentium = dict(here, avx=False, avx2=False, fma=False, bmi1=False, bmi2=False)
    c = doctor.polars_cpu_check(flags, pentium, False, version, python=r'"C:\ThiDua\venv\Scripts\python.exe"')
    assert c.status == FIX and c.name == doctor.CPU_NAME
    assert "thiếu các tính năng avx, avx2, fma, bmi1, bmi2 mà Polars" in c.detail and "dừng đột ngột" in c.detail
    assert c.fix.endswith(r'"C:\ThiDua\venv\Scripts\python.exe" -m pip install '
                          f'"polars-runtime-compat=={version}"') and "install\\cai-dat.bat" in c.fix
    assert doctor.polars_cpu_check(flags, pentium, False, version).fix.endswith(
        f'py -m pip install "polars-runtime-compat=={version}"')
    lines = doctor.report([c])
    assert lines[1].startswith("[CẦN SỬA]  Bộ xử lý (CPU) cho Polars:") and lines[2].strip().startswith("→ Chạy lại")
    # once the compatible runtime is the one loaded, its own (smaller) requirement is what counts
    assert doctor.polars_cpu_check("", pentium, True, version).status == OK
    still = doctor.polars_cpu_check(flags, pentium, True, version)
    assert still.status == FIX and "bản tương thích" in still.detail and "pip" not in still.fix


def test_an_unreadable_processor_or_no_polars_is_only_information():
    assert doctor.polars_cpu_check("+avx2", None, False, "2.1.0").status == INFO
    assert "không phải loại x86" in doctor.polars_cpu_check("+avx2", {}, False, "2.1.0").detail
    assert doctor.polars_cpu_check("", None, False, None).detail == "Chưa cài Polars."
    gone = doctor.check_cpu({}, windows({}, exe="/no/such/python"))
    assert [c.status for c in gone] == [INFO] and "/no/such/python" in gone[0].detail
