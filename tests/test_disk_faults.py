"""A full disk and a read-only folder end in a Vietnamese sentence naming the place, exit 2, no traceback,
nothing half-written. The faults are real: a tiny or read-only tmpfs mounted in a private namespace."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from badfile_helpers import good_unit
from workbook_helpers import make_master


def _in_namespace(tmp_path, mount: str, *args) -> subprocess.CompletedProcess:
    """Run `thidua ARGS` with a tmpfs mounted at tmp_path/o (as `mount` says) visible to it alone."""
    if not shutil.which("unshare"):
        pytest.skip("unshare not available")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces not available here")
    out = tmp_path / "o"
    out.mkdir(exist_ok=True)
    cmd = " ".join(["'" + str(a).replace("'", "'\\''") + "'" for a in [sys.executable, "-m", "thidua_xl", *args]])
    script = f"{mount.format(o=out)} && exec {cmd}"
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=600)


@pytest.fixture()
def folder(tmp_path):
    f = tmp_path / "in"
    f.mkdir()
    good_unit(f / "A.xlsx")
    return f


def test_disk_full_while_writing_the_consolidation(tmp_path, folder):
    done = _in_namespace(tmp_path, "mount -t tmpfs -o size=8k tmpfs {o}", "consolidate", folder, "--year", 2024,
                         "--out", tmp_path / "o" / "tong-hop.xlsx")
    text = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, text
    assert "Traceback" not in text and "Ổ đĩa đã đầy" in text and "tong-hop.xlsx" in text


@pytest.mark.parametrize("option, name", [("--out", "kiem-tra.xlsx"), ("--json", "kiem-tra.json")])
def test_read_only_output_folder(tmp_path, folder, option, name):
    """The findings JSON alone is written while the tables print: its failure is still said after them."""
    done = _in_namespace(tmp_path, "mount -t tmpfs tmpfs {o} && mount -o remount,ro {o}", "validate", folder,
                         "--year", 2024, option, tmp_path / "o" / name)
    text = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, text
    assert "Traceback" not in text and "chỉ cho đọc" in text and str(tmp_path / "o") in text
    assert "Kết quả kiểm tra năm 2024" in done.stdout  # the tables came first


def test_collect_into_a_master_in_a_read_only_folder(tmp_path, folder):
    master = make_master(tmp_path / "m.xlsx")
    raw = master.read_bytes()
    mount = f"mount -t tmpfs tmpfs {{o}} && cp '{master}' {{o}}/m.xlsx && mount -o remount,ro {{o}}"
    done = _in_namespace(tmp_path, mount, "collect", folder, "--into", tmp_path / "o" / "m.xlsx")
    text = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, text
    assert "Traceback" not in text and ("chỉ cho đọc" in text or "không có quyền" in text) and "m.xlsx" in text
    assert master.read_bytes() == raw

