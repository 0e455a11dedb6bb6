"""The `thidua` command's entry (`thidua_xl.__main__`): what it does around the command line itself."""
import json
import subprocess
import sys

_PROBE = """
import atexit, gc, json, sys
from pathlib import Path
marker = Path(sys.argv[1]); sys.argv = ["thidua"] + sys.argv[2:]
atexit.register(lambda: marker.write_text("ran", encoding="utf-8"))
from thidua_xl.__main__ import run
code = run()
print(json.dumps({"code": code, "frozen": gc.get_freeze_count()}))
sys.exit(code)
"""


def test_a_command_leaves_what_it_built_to_the_process_end(seed_folder, tmp_path):
    """After the command, the objects its reading left are frozen, so the interpreter's last collections do
    not walk them (~0.2 s of a 30,000-row consolidation); its outputs, its exit code and the process's atexit
    handlers are as before."""
    out, marker = tmp_path / "tong-hop.json", tmp_path / "atexit.txt"
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(marker), "consolidate", str(seed_folder), "--year",
                           "2024", "--json", str(out)], capture_output=True, text=True, timeout=300)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == got["code"] in (0, 1)
    assert got["frozen"] > 10_000
    assert json.loads(out.read_text(encoding="utf-8"))["rows"] > 0
    assert marker.read_text(encoding="utf-8") == "ran"
    assert "Traceback" not in proc.stderr


def test_a_refused_command_line_still_ends_with_its_code(tmp_path):
    """A command line the parser refuses returns its code through the same path (nothing to spare)."""
    marker = tmp_path / "atexit.txt"
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(marker), "consolidate", "--no-such-option"],
                          capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] == proc.returncode == 2
    assert marker.read_text(encoding="utf-8") == "ran"
