"""One writer at a time on a master: two collects at once lose nothing, a killed run's lock is taken over."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from thidua_xl.errors import UserError
from thidua_xl.intake import read_paths
from thidua_xl.locks import lock_path, master_lock
from thidua_xl.workbook.split import split_master
from workbook_helpers import FILLED, fill_unit_file, make_master


def test_second_holder_waits_then_refuses_naming_the_holder(tmp_path):
    master = make_master(tmp_path / "m.xlsx")
    script = ("import sys, time\nfrom thidua_xl.locks import master_lock\n"
              "with master_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(master)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        info = json.loads(lock_path(master).read_text("utf-8"))
        assert info["pid"] == holder.pid and info["host"] == socket.gethostname() and info["since"]
        t = time.monotonic()
        with pytest.raises(UserError, match=f"tiến trình {holder.pid}") as exc:
            with master_lock(master, wait=1.0):
                pass
        assert time.monotonic() - t >= 1.0
        assert "Chưa ghi gì" in str(exc.value) and "m.xlsx" in str(exc.value)
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_run_is_taken_over(tmp_path):
    master = make_master(tmp_path / "m.xlsx")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(master).write_text(json.dumps({"user": "x", "host": socket.gethostname(), "pid": dead.pid,
                                             "since": "2026-01-01T00:00:00"}), "utf-8")
    with master_lock(master, wait=0.5) as held:
        assert json.loads(held.read_text("utf-8"))["pid"] == os.getpid()
    assert not lock_path(master).exists()


def test_a_lock_appears_whole_and_leaves_no_draft_behind(tmp_path):
    master = make_master(tmp_path / "m.xlsx")
    with master_lock(master, wait=0.2) as held:
        assert json.loads(held.read_text("utf-8"))["pid"] == os.getpid()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlsx", held.name]
    assert [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]


def test_an_empty_lock_left_by_a_kill_is_taken_over_after_a_moment(tmp_path):
    """A run killed while an older version wrote its lock left it empty: the next run must not refuse for a minute."""
    master = make_master(tmp_path / "m.xlsx")
    lock_path(master).write_bytes(b"")
    with pytest.raises(UserError, match="Chưa ghi gì"):  # empty this instant: maybe being written, wait
        with master_lock(master, wait=0.3):
            pass
    old = time.time() - 10
    os.utime(lock_path(master), (old, old))
    with master_lock(master, wait=0.5) as held:
        assert json.loads(held.read_text("utf-8"))["pid"] == os.getpid()
    assert not lock_path(master).exists()


def test_lock_is_reentrant_within_one_run(tmp_path):
    master = make_master(tmp_path / "m.xlsx")
    with master_lock(master, wait=0.2):
        with master_lock(master, wait=0.2):
            assert lock_path(master).exists()
        assert lock_path(master).exists()
    assert not lock_path(master).exists()


def _rows_by_unit(master):
    n = read_paths([master]).nominations
    return n.groupby("unit_code").size().to_dict()


def test_two_collects_at_once_lose_no_update(tmp_path):
    """A double click: two collect runs, each bringing one unit, into one master at the same moment."""
    master = make_master(tmp_path / "master.xlsx")
    split = tmp_path / "tach"
    files = {f.stem: f for f in split_master(master, split)}
    folders = {}
    for code in ("BVDK", "TTYT-BT"):
        folder = tmp_path / f"ve-{code}"
        folder.mkdir()
        target = folder / f"{code}.xlsx"
        target.write_bytes(files[code].read_bytes())
        fill_unit_file(target, FILLED[code])
        folders[code] = folder
    pristine = master.read_bytes()
    for _round in range(4):
        master.write_bytes(pristine)
        procs = [subprocess.Popen([sys.executable, "-m", "thidua_xl", "collect", str(folders[c]), "--into", str(master)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in folders]
        outs = [p.communicate(timeout=300) for p in procs]
        codes = [p.returncode for p in procs]
        assert all("Traceback" not in o + e for o, e in outs)
        assert codes == [0, 0], outs
        assert _rows_by_unit(master) == {c: len(FILLED[c]) for c in folders}
        assert not lock_path(master).exists()
