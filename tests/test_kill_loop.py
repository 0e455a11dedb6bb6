"""kill -9 at any moment of `collect` or `validate --into`: the master is the old one or the new one,
never half of each; the next run is not confused by what the killed one left behind."""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile

from thidua_xl.intake import read_paths
from thidua_xl.locks import lock_path
from thidua_xl.workbook.split import split_master
from workbook_helpers import FILLED, fill_unit_file, make_master


def _state(master) -> dict:
    with zipfile.ZipFile(master) as z:
        assert z.testzip() is None
    n = read_paths([master]).nominations
    return n.groupby("unit_code").size().to_dict()


def _kill_after(args, delay: float) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "thidua_xl", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return proc.returncode


def test_kill_nine_during_collect_and_validate_into(tmp_path):
    folder = tmp_path / "ve"  # the master lives among the returned files, as on many desks
    master = make_master(folder / "master.xlsx")
    split = {f.stem: f for f in split_master(master, tmp_path / "tach")}
    for code in ("BVDK", "TTYT-BT"):
        shutil.copy(split[code], folder / f"{code}.xlsx")
        fill_unit_file(folder / f"{code}.xlsx", FILLED[code])
    pristine = master.read_bytes()
    old = _state(master)
    full = {c: len(FILLED[c]) for c in ("BVDK", "TTYT-BT")}
    # kill part-way through a run as long as this machine takes (quiet or loaded), not after fixed seconds
    took = {}
    for name, args in (("collect", ["collect", folder, "--into", master]),
                       ("validate", ["validate", master, "--into", master])):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "thidua_xl", *map(str, args)], capture_output=True, timeout=600)
        took[name] = time.perf_counter() - start
    master.write_bytes(pristine)
    rng = random.Random(19)
    killed = 0
    for _round in range(6):
        master.write_bytes(pristine)
        code = _kill_after(["collect", folder, "--into", master], rng.uniform(0.3, 0.9) * took["collect"])
        killed += code == -signal.SIGKILL
        assert _state(master) in (old, full)
        # the next run is not confused by the leftovers: same result as a clean run
        done = subprocess.run([sys.executable, "-m", "thidua_xl", "collect", folder, "--into", master],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert _state(master) == full
        assert not lock_path(master).exists()
        before = master.read_bytes()
        code = _kill_after(["validate", master, "--into", master], rng.uniform(0.3, 0.9) * took["validate"])
        killed += code == -signal.SIGKILL
        after = master.read_bytes()
        assert after == before or _state(master) == full  # untouched, or the Kiểm tra sheet added whole
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith("~$thidua.")]
        done = subprocess.run([sys.executable, "-m", "thidua_xl", "consolidate", folder, "--json", tmp_path / "c.json"],
                              capture_output=True, text=True, timeout=600)
        assert "Traceback" not in done.stderr
        import json

        assert json.loads((tmp_path / "c.json").read_text("utf-8"))["files"] == 3, leftovers  # master + 2 units
    assert killed >= 3  # most runs really were killed part-way
