"""`thidua doctor`: the environment as Excel will see it, and what to fix, in Vietnamese.

Each check is a plain function returning `Check` records; `run_checks` lists them in the
order a user fixes things (Python, its folder, the package, the workbook's folder, Excel's
trust). It reads the workbook's own `xlwings.conf` sheet and document properties, so it
checks the interpreter the buttons will start, not the one running this command.
Standard library only: it must run where pandas does not import.
"""
from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

OK, INFO, WARN, FIX = "ok", "info", "warn", "fix"
LABEL = {OK: "[ĐẠT]", INFO: "[—]", WARN: "[LƯU Ý]", FIX: "[CẦN SỬA]"}
from .workbook.xlsm import (CONF_SETTINGS, HOME_VARIABLE, INTERPRETER_WIN, TEMP_DIR_WIN,  # noqa: E402
                            XLWINGS_PROPERTY, workbook_property)
from .polars_cpu import missing_features  # noqa: E402
MIN_PYTHON = (3, 11)
SLOW_IMPORT_S = 8.0
WORKBOOK_NAME = "ThiDua.xlsm"
REINSTALL = "Đóng hết Excel, chạy install\\cai-dat.bat trong thư mục bộ cài, rồi mở lại Excel."
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass
class Machine:
    """What the checks look at; tests build one for a Windows PC they cannot run on."""

    env: dict
    windows: bool
    executable: str
    bits: int
    version: tuple[int, int, int]
    base_prefix: str


def this_machine() -> Machine:
    return Machine(dict(os.environ), sys.platform == "win32", sys.executable, struct.calcsize("P") * 8,
                   tuple(sys.version_info[:3]), sys.base_prefix)


# --- reading the workbook without openpyxl --------------------------------------------
def workbook_settings(path: Path) -> dict[str, str]:
    """Key (upper case) -> value of the hidden `xlwings.conf` sheet, as xlwings' VBA reads it."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_MAIN}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{_MAIN}t")))
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next((s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == "xlwings.conf"), None)
        if rid is None:
            return {}
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
    cells: dict[str, str] = {}
    for c in sheet.iter(f"{_MAIN}c"):
        v = c.find(f"{_MAIN}v")
        text = "".join(t.text or "" for t in c.iter(f"{_MAIN}t")) if c.get("t") == "inlineStr" else \
            (shared[int(v.text)] if c.get("t") == "s" and v is not None else (v.text if v is not None else ""))
        cells[c.get("r")] = text or ""
    out: dict[str, str] = {}
    row = 1
    while cells.get(f"A{row}"):  # contiguous keys from A1, like xlwings
        out[cells[f"A{row}"].upper()] = cells.get(f"B{row}", "")
        row += 1
    return out


def expand(text: str, env: dict) -> str:
    """%VAR% expanded as Windows does (case-insensitive; an unknown variable stays as written)."""
    upper = {k.upper(): v for k, v in env.items()}
    return re.sub(r"%([^%]+)%", lambda m: upper.get(m.group(1).upper(), m.group(0)), text)


def _is_url(path) -> bool:
    """https://… (also as pathlib folds it, https:/…); a drive letter (C:/) is not a scheme."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:/", str(path)) is not None


def _ascii(text: str) -> bool:
    return text.isascii()


# --- the checks ----------------------------------------------------------------------
def check_python(m: Machine) -> list[Check]:
    where = f"{m.executable}"
    version = ".".join(map(str, m.version))
    store = re.search(r"WindowsApps|PythonSoftwareFoundation\.Python", f"{m.executable} {m.base_prefix}", re.I)
    if m.bits != 64:
        return [Check("Python", FIX, f"Python {version} bản {m.bits}-bit ({where}).",
                      "Cài Python 3.11 bản 64-bit từ python.org rồi chạy lại install\\cai-dat.bat "
                      "(Office 32-bit vẫn dùng được Python 64-bit).")]
    if store:
        return [Check("Python", FIX, f"Python {version} cài từ Microsoft Store ({where}).",
                      "Cài Python 3.11 64-bit từ python.org, rồi chạy lại install\\cai-dat.bat.")]
    if m.version[:2] < MIN_PYTHON:
        return [Check("Python", FIX, f"Python {version} cũ ({where}).", "Cài Python 3.11 64-bit từ python.org.")]
    return [Check("Python", OK, f"Python {version} 64-bit ({where}).")]


def interpreter_of(settings: dict[str, str], m: Machine) -> tuple[str, str]:
    """(as written in the workbook, expanded) path of the interpreter RunPython will start."""
    raw = settings.get("INTERPRETER_WIN") or INTERPRETER_WIN
    return raw, expand(raw, m.env)


def check_home(settings: dict[str, str], m: Machine) -> list[Check]:
    raw, interp = interpreter_of(settings, m)
    temp_raw = settings.get("TEMP DIR") or TEMP_DIR_WIN
    temp = expand(temp_raw, m.env)
    out: list[Check] = []
    home = m.env.get(HOME_VARIABLE)
    if not home:
        status = FIX if m.windows else INFO
        out.append(Check("Thư mục Python của Excel", status,
                         f"Chưa có biến môi trường {HOME_VARIABLE} (tệp Excel tìm Python ở {raw}).",
                         REINSTALL if m.windows else "Chỉ cần trên Windows."))
        return out
    if not _ascii(interp) or not _ascii(temp):
        out.append(Check("Thư mục Python của Excel", FIX, f"Đường dẫn có chữ có dấu: {interp} / {temp}.",
                         "Chạy lại install\\cai-dat.bat (bộ cài chọn thư mục không dấu), hoặc "
                         "install\\cai-dat.bat -ThuMucPython C:\\ThiDua."))
        return out
    if m.windows and not Path(interp).is_file():
        out.append(Check("Thư mục Python của Excel", FIX, f"Không có {interp}.", REINSTALL))
        return out
    out.append(Check("Thư mục Python của Excel", OK, f"{interp}"))
    try:
        Path(temp).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=temp):
            pass
        out.append(Check("Thư mục tạm", OK, temp))
    except OSError as exc:
        out.append(Check("Thư mục tạm", FIX, f"Không ghi được vào {temp} ({exc.strerror or exc}).", REINSTALL))
    return out


def check_pins(settings: dict[str, str], m: Machine) -> list[Check]:
    """A folder- or user-level xlwings.conf cannot change how Python starts while the workbook pins every key."""
    user_conf = Path(m.env.get("USERPROFILE") or Path.home()) / ".xlwings" / "xlwings.conf"
    missing = [k for k, _v in CONF_SETTINGS if k.upper() not in settings]
    if not missing:
        where = f" (có {user_conf}, không ảnh hưởng)" if user_conf.is_file() else ""
        return [Check("Cài đặt xlwings của tệp", OK, f"Tệp Excel ghim đủ {len(CONF_SETTINGS)} khoá{where}.")]
    return [Check("Cài đặt xlwings của tệp", WARN, f"Tệp Excel không ghim {', '.join(missing)} (tệp của bản cũ).",
                  "Dùng ThiDua.xlsm của bản hiện tại (bộ cài lưu thành ThiDua-moi.xlsm; cách chuyển dữ liệu: "
                  "docs/windows-smoke-test.md, mục A6).")]


def _python_for(settings: dict[str, str], m: Machine) -> str:
    """The interpreter to test the package with: the workbook's (python.exe beside its pythonw.exe), else ours."""
    _raw, interp = interpreter_of(settings, m)
    console = Path(interp).with_name("python.exe")
    if m.windows and console.is_file():
        return str(console)
    return m.executable


def check_package(settings: dict[str, str], m: Machine, wanted_xlwings: str | None) -> list[Check]:
    """Import what a button imports, in the interpreter Excel starts, and time it."""
    python = _python_for(settings, m)
    modules = "xlwings, win32api, thidua_xl.xl" if m.windows else "xlwings, thidua_xl.xl"
    code = ("import time; t = time.perf_counter(); import " + modules +
            "; import xlwings; print(xlwings.__version__, round(time.perf_counter() - t, 2))")
    try:
        proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [Check("Gói phần mềm", FIX, f"Không chạy được {python}: {exc}.", REINSTALL)]
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return [Check("Gói phần mềm", FIX, f"{python} không nạp được {modules}: {last}", REINSTALL)]
    version, seconds = proc.stdout.split()[-2:]
    out = []
    took = float(seconds)
    if took > SLOW_IMPORT_S:
        out.append(Check("Thời gian khởi động", WARN, f"Nạp phần mềm mất {took:.1f} giây (mỗi lần bấm nút).",
                         "Thường do phần mềm diệt virus quét thư mục Python: nhờ bộ phận kỹ thuật thêm "
                         f"thư mục %{HOME_VARIABLE}% vào danh sách loại trừ."))
    else:
        out.append(Check("Thời gian khởi động", OK, f"Nạp phần mềm mất {took:.1f} giây."))
    if wanted_xlwings and version != wanted_xlwings:
        out.append(Check("Phiên bản xlwings", FIX, f"Tệp Excel cần xlwings {wanted_xlwings}, Python có {version}.",
                         "Chạy install\\cai-dat.bat của đúng bộ cài đi kèm tệp Excel này."))
    else:
        out.append(Check("Phiên bản xlwings", OK, f"xlwings {version}" + (" (đúng như tệp Excel)" if wanted_xlwings
                                                                          else "")))
    return out


CPU_NAME = "Bộ xử lý (CPU) cho Polars"


def polars_cpu_check(build_flags: str, cpu: dict[str, bool] | None, compat: bool, version: str | None,
                     python: str = "py") -> Check:
    """The installed Polars runtime's required features against the processor's (no native code loaded).

    A default runtime on a processor without AVX2/FMA/BMI kills the process that imports Polars (an
    Excel button dies silently): the fix is the compatible runtime of the same version.
    """
    if version is None:
        return Check(CPU_NAME, INFO, "Chưa cài Polars.")
    if not cpu:
        why = "không đọc được tính năng của bộ xử lý" if cpu is None else "bộ xử lý không phải loại x86"
        return Check(CPU_NAME, INFO, f"Polars {version}: {why}, bỏ qua kiểm tra.")
    missing, unknown = missing_features(build_flags, cpu)
    runtime = "(bản tương thích, polars-runtime-compat)" if compat else "(bản thường)"
    if missing and compat:
        return Check(CPU_NAME, FIX, f"Bộ xử lý thiếu {', '.join(missing)}, cả Polars {version} {runtime} "
                     "cũng cần các tính năng này.", "Dùng một máy tính đời mới hơn.")
    if missing:
        return Check(CPU_NAME, FIX, f"Bộ xử lý của máy thiếu các tính năng {', '.join(missing)} mà Polars "
                     f"{version} {runtime} cần: mọi lệnh đọc dữ liệu (các nút trong Excel) sẽ dừng đột ngột, không báo lỗi.",
                     f"Chạy lại install\\cai-dat.bat (bộ cài tự cài bản tương thích), hoặc chạy: "
                     f"{python} -m pip install \"polars-runtime-compat=={version}\"")
    if unknown:
        return Check(CPU_NAME, INFO, f"Polars {version} {runtime} cần {', '.join(unknown)}: không kiểm tra được.")
    return Check(CPU_NAME, OK, f"Bộ xử lý có đủ các tính năng mà Polars {version} {runtime} cần.")


def check_cpu(settings: dict[str, str], m: Machine) -> list[Check]:
    """Read the runtime and the processor in the interpreter Excel starts, then compare."""
    python = _python_for(settings, m)
    try:
        proc = subprocess.run([python, "-m", "thidua_xl.polars_cpu"], capture_output=True, text=True, timeout=60)
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        flags, cpu, runtime, version = got["flags"], got["cpu"], got["runtime"], got["polars"]
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError, KeyError, TypeError):
        return [Check(CPU_NAME, INFO, f"{python} chưa chạy được phần kiểm tra bộ xử lý.")]
    shown = f'"{python}"' if m.windows else python
    return [polars_cpu_check(flags, cpu, runtime == "compat", version, shown)]


def onedrive_roots(env: dict) -> list[str]:
    return [env[k] for k in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer") if env.get(k)]


def _inside(path: str, root: str) -> bool:
    p, r = path.rstrip("\\/").lower(), root.rstrip("\\/").lower()
    return p == r or p.startswith(r + "\\") or p.startswith(r + "/")


def check_folder(workbook: Path, m: Machine) -> list[Check]:
    folder = workbook.parent
    out = []
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix="~thidua-doctor-"):
            pass
        out.append(Check("Thư mục làm việc", OK, f"Ghi được vào {folder}."))
    except OSError as exc:
        out.append(Check("Thư mục làm việc", FIX, f"Không ghi được vào {folder} ({exc.strerror or exc}).",
                         "Chép ThiDua.xlsm vào một thư mục của mình (ví dụ C:\\ThiDua) và làm việc ở đó."))
    if any(_inside(str(folder), r) for r in onedrive_roots(m.env)):
        out.append(Check("OneDrive", WARN, f"{folder} nằm trong OneDrive.",
                         "Excel có thể mở tệp bằng địa chỉ Internet, khi đó các nút không biết thư mục của tệp. "
                         "Nên dùng thư mục ngoài OneDrive: install\\cai-dat.bat -ThuMuc C:\\ThiDua."))
    return out


def trusted_locations(read_registry=None) -> list[tuple[str, bool]]:
    """(path, subfolders allowed) of Excel's Trusted Locations for this user (Windows registry)."""
    if read_registry is not None:
        return read_registry()
    import winreg  # noqa: PLC0415 - Windows only

    out = []
    base = r"Software\Microsoft\Office"
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, base) as office:
            versions = [winreg.EnumKey(office, i) for i in range(winreg.QueryInfoKey(office)[0])]
    except OSError:
        return out
    for ver in (v for v in versions if re.fullmatch(r"\d+\.\d+", v)):
        key = rf"{base}\{ver}\Excel\Security\Trusted Locations"
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as tl:
                for i in range(winreg.QueryInfoKey(tl)[0]):
                    with winreg.OpenKey(tl, winreg.EnumKey(tl, i)) as loc:
                        try:
                            path = winreg.QueryValueEx(loc, "Path")[0]
                        except OSError:
                            continue
                        try:
                            sub = bool(winreg.QueryValueEx(loc, "AllowSubfolders")[0])
                        except OSError:
                            sub = False
                        out.append((path, sub))
        except OSError:
            continue
    return out


def check_trust(workbook: Path, m: Machine, read_registry=None) -> list[Check]:
    if not m.windows and read_registry is None:
        return [Check("Trusted Location của Excel", INFO, "Chỉ kiểm tra được trên Windows.")]
    folder = str(workbook.parent)
    locations = trusted_locations(read_registry)
    for path, sub in locations:
        expanded = expand(path, m.env).rstrip("\\/")
        if folder.rstrip("\\/").lower() == expanded.lower() or (sub and _inside(folder, expanded)):
            return [Check("Trusted Location của Excel", OK, f"{folder} được Excel tin cậy ({path}).")]
    return [Check("Trusted Location của Excel", WARN, f"{folder} chưa nằm trong Trusted Locations của Excel.",
                  "Macro có thể bị chặn (thanh vàng, hoặc đỏ với tệp tải về). Chạy install\\cai-dat.bat -ThuMuc "
                  f"\"{folder}\", hoặc File → Options → Trust Center → Trusted Locations → Add.")]


def check_workbook(workbook: Path) -> list[Check]:
    try:
        with zipfile.ZipFile(workbook) as z:
            names = set(z.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        return [Check("Tệp Excel", FIX, f"Không đọc được {workbook}: {exc}.",
                      "Lấy lại ThiDua.xlsm từ bộ cài (install\\cai-dat.bat chép một bản mới).")]
    if "xl/vbaProject.bin" not in names or "customUI/customUI14.xml" not in names:
        return [Check("Tệp Excel", FIX, f"{workbook.name} không có macro hoặc thẻ “Thi đua”.",
                      "Dùng ThiDua.xlsm của bộ cài (tệp .xlsx hay bản đã “Save As” sang định dạng khác không có nút).")]
    return [Check("Tệp Excel", OK, f"{workbook} (có macro và thẻ “Thi đua”).")]


def default_workbook(m: Machine, cwd: Path | None = None) -> Path | None:
    """The workbook the installer put in place (its folder is remembered), else ThiDua.xlsm here."""
    home = m.env.get(HOME_VARIABLE)
    if home:
        memo = Path(home) / "thu-muc.txt"
        try:
            folder = memo.read_text("utf-8-sig").strip()
            if folder and (Path(folder) / WORKBOOK_NAME).is_file():
                return Path(folder) / WORKBOOK_NAME
        except OSError:
            pass
    here = (cwd or Path.cwd()) / WORKBOOK_NAME
    return here if here.is_file() else None


def run_checks(workbook: Path | None = None, m: Machine | None = None, *, package: bool = True,
               read_registry=None) -> list[Check]:
    """Every check, in the order to fix things."""
    m = m or this_machine()
    checks = check_python(m)
    workbook = workbook or default_workbook(m)
    if workbook is not None and not _is_url(workbook):
        workbook = Path(os.path.abspath(workbook))
    settings: dict[str, str] = {}
    wanted = None
    if workbook is None:
        checks.append(Check("Tệp Excel", WARN, "Không tìm thấy ThiDua.xlsm.",
                            "Chạy: thidua doctor --workbook \"ĐƯỜNG_DẪN\\ThiDua.xlsm\""))
    elif _is_url(workbook):
        checks.append(Check("Tệp Excel", FIX, f"Tệp đang mở từ địa chỉ Internet: {workbook}.",
                            "File → Save As → This PC: lưu vào một thư mục trên máy (ví dụ C:\\ThiDua) rồi mở tệp đó."))
        workbook = None
    elif not workbook.is_file():
        checks.append(Check("Tệp Excel", FIX, f"Không có tệp {workbook}.", "Kiểm tra lại đường dẫn."))
        workbook = None
    else:
        found = check_workbook(workbook)
        checks += found
        if found[0].status == OK:
            settings = workbook_settings(workbook)
            wanted = workbook_property(workbook, XLWINGS_PROPERTY)
            checks += check_pins(settings, m)
    checks += check_home(settings, m)
    if package:
        checks += check_cpu(settings, m)  # before the import test: on such a CPU the import itself dies
        checks += check_package(settings, m, wanted)
    if workbook is not None:
        checks += check_folder(workbook, m)
        checks += check_trust(workbook, m, read_registry)
    return checks


def report(checks: list[Check]) -> list[str]:
    """The lines to print: each check, its fix under it, and the conclusion."""
    lines = ["Kiểm tra máy cho phần mềm Thi đua (như Excel sẽ thấy):"]
    for c in checks:
        lines.append(f"{LABEL[c.status]:<10} {c.name}: {c.detail}")
        if c.fix and c.status in (FIX, WARN):
            lines.append(f"{'':<10} → {c.fix}")
    fixes = sum(c.status == FIX for c in checks)
    warns = sum(c.status == WARN for c in checks)
    if fixes:
        lines.append(f"Kết luận: {fixes} mục cần sửa (làm theo dòng “→” ở trên rồi chạy lại thidua doctor).")
    elif warns:
        lines.append(f"Kết luận: dùng được; {warns} mục nên xem.")
    else:
        lines.append("Kết luận: mọi thứ sẵn sàng.")
    return lines


def summary(checks: list[Check]) -> str:
    """One paragraph for a message box: what must be fixed, else that all is well."""
    todo = [c for c in checks if c.status in (FIX, WARN)]
    if not todo:
        return "Kiểm tra máy: mọi thứ sẵn sàng."
    parts = [f"{'Cần sửa' if c.status == FIX else 'Nên xem'} — {c.name}: {c.detail} {c.fix}".strip() for c in todo]
    return "Kiểm tra máy:\n" + "\n".join(parts)


def exit_code(checks: list[Check]) -> int:
    return 1 if any(c.status == FIX for c in checks) else 0
