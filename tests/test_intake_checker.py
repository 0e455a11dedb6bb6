"""The pre-check's child forked from the command (intake.checker.fork, Linux): the same answers as the pre-check
made in the command and as a spawned child, nothing of the command's kept open, and the command forking its child
first thing, for a province's files and for the ribbon's master alike. Each fork is made in a fresh interpreter
(a test worker has threads: a process with threads is never forked)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux only")


def _python(script: str, *args: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


_ANSWERS = """
import json, sys
from pathlib import Path
from thidua_xl.intake import checker
files = [Path(p) for p in sys.argv[1:]]
assert checker.can_fork()
child = checker.Checker(files, checker.fork(files))
forked = [child.answer(i) for i in range(len(files))]
from thidua_xl.safety import Refused, inspect
def here(f):
    try:
        return checker.OK, inspect(f)
    except Refused as exc:
        return checker.REFUSED, str(exc)
spawned = checker.Checker(files)
print(json.dumps({"same": forked == [here(f) for f in files],
                  "as_spawned": forked == [spawned.answer(i) for i in range(len(files))],
                  "kinds": [kind for kind, _got in forked]}))
"""


def test_the_forked_child_answers_what_the_pre_check_answers_in_the_command(seed_folder, tmp_path):
    fake = tmp_path / "csv-doi-duoi.xlsx"
    fake.write_text("STT,Họ và tên\n1,Nguyễn Văn An\n", encoding="utf-8")
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    files = [*sorted(seed_folder.glob("*.xlsx"))[:4], fake, empty, tmp_path / "khong-co.xlsx"]
    got = _python(_ANSWERS, *map(str, files))
    assert got["same"] and got["as_spawned"]
    assert got["kinds"] == ["ok"] * 4 + ["refused"] * 3


_OPEN_FILES = """
import json, os, sys
from pathlib import Path
from thidua_xl.intake import checker
kept = os.open(sys.argv[2], os.O_RDONLY)  # a file the command holds open when it forks
files = [Path(sys.argv[1])] * 400  # more answers than the pipe holds: the child waits, alive, until read
child = checker.fork(files)
first = child.stdout.read(8)
fds = {int(fd): os.readlink(f"/proc/{child.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{child.pid}/fd")}
answers = os.readlink(f"/proc/self/fd/{child.stdout.fileno()}")
child.kill()
child.wait()
print(json.dumps({"std": [fds.pop(n, None) for n in (0, 1, 2)], "others": sorted(fds.values()),
                  "answers": answers, "answered": len(first) == 8}))
"""


def test_the_forked_child_keeps_nothing_of_the_command_open_but_its_answers(seed_folder, tmp_path):
    """A caller reading the command's output (Excel, a script) sees its end when the command ends: the child
    holds neither the command's standard streams nor its other files, only the pipe it answers on (and, while
    it reads one, the workbook it checks)."""
    workbook = sorted(seed_folder.glob("*.xlsx"))[0]
    kept = tmp_path / "mo-san.txt"
    kept.write_text("")
    got = _python(_OPEN_FILES, str(workbook), str(kept))
    assert got["answered"] and got["std"] == [os.devnull] * 3
    assert got["answers"] in got["others"] and str(kept) not in got["others"]
    assert set(got["others"]) <= {got["answers"], str(workbook)}


_COMMAND = """
import json, sys
sys.argv = ["thidua"] + sys.argv[1:]
from thidua_xl.intake import checker, files as files_mod
checker.FORKED_MIN_BYTES = files_mod.SINGLE_AHEAD_BYTES = 0  # the small test master counts as a ribbon's master
calls = {"fork": [], "spawn": []}
fork, spawn = checker.fork, checker._spawn
checker.fork = lambda paths: calls["fork"].append(len(paths)) or fork(paths)
checker._spawn = lambda paths: calls["spawn"].append(len(paths)) or spawn(paths)
from thidua_xl.__main__ import run
code = run()
print(json.dumps({"code": code, **calls, "scan_here": "thidua_xl.safety" in sys.modules}))
"""


def _master(path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Cấu hình"
    wb.active.append(["Năm", "2024"])
    units = wb.create_sheet("Đơn vị")
    units.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    units.append(["BVSN", "Bệnh viện Sản Nhi", ""])
    sheet = wb.create_sheet("Bệnh viện Sản Nhi")
    sheet.append(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"])
    sheet.append([1, "Nguyễn Thị Hoa", "13/02/1980", "LĐTT"])
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["province", "master"])
def test_the_command_forks_its_child_first_and_reads_as_without_it(kind, seed_folder, tmp_path):
    """`thidua consolidate` of a province's files and `thidua validate` of the ribbon's master: the pre-check's
    child is forked (no interpreter spawned), the command's own process never imports the pre-check, and the
    command prints and writes what it prints and writes with a spawned child and with no early reading at all."""
    if kind == "province":
        target = tmp_path / "don-vi"
        target.mkdir()
        units = sorted(seed_folder.glob("*.xlsx"))
        for k in range(18):  # more than CHILD_MIN_FILES
            shutil.copy(units[k % len(units)], target / f"{k:02d}-{units[k % len(units)].name}")
        args = ["consolidate", str(target), "--year", "2024", "--json"]
    else:
        target = _master(tmp_path / "ThiDua-2024.xlsx")
        args = ["validate", str(target), "--year", "2024", "--json"]
    outs = {}
    out = tmp_path / "kq.json"
    for name, env in (("forked", {}), ("spawned", {"THIDUA_CHECK_SPAWNED": "1"}),
                      ("without", {"THIDUA_NO_EARLY_READ": "1"})):
        done = subprocess.run([sys.executable, "-c", _COMMAND, *args, str(out)], capture_output=True, text=True,
                              timeout=300, env={**os.environ, **env})
        *printed, last = done.stdout.strip().splitlines()
        got = json.loads(last)
        outs[name] = (got["code"], printed, out.read_bytes())
        out.unlink()
        if name == "forked":
            assert got["fork"] == [18 if kind == "province" else 1] and got["spawn"] == [] and not got["scan_here"]
        if name == "spawned":
            assert got["fork"] == [] and (got["spawn"] == [18] if kind == "province" else True)
    assert outs["forked"] == outs["spawned"] == outs["without"] and outs["forked"][0] in (0, 1)
