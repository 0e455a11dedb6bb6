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


_ENDING = """
import atexit, sys, threading, time
from pathlib import Path
marker = Path(sys.argv[1]); sys.argv = ["thidua"] + sys.argv[2:]
atexit.register(lambda: marker.write_text(marker.read_text(encoding="utf-8") + " atexit", encoding="utf-8"))
marker.write_text("start", encoding="utf-8")
def late():  # a thread still working when the command returns, as a writer left behind would be
    time.sleep(0.3)
    marker.write_text(marker.read_text(encoding="utf-8") + " thread", encoding="utf-8")
threading.Thread(target=late).start()
from thidua_xl.__main__ import end, run
sys.stdout.write("unflushed line")  # no newline: still in the buffer when the command ends
end(run())
"""


def test_the_command_ends_its_process_as_python_would_without_the_teardown(seed_folder, tmp_path):
    """`thidua` ends with `end`: the command's exit code, its outputs written, other threads finished, the atexit
    handlers run and the buffered output flushed, as at Python's own end; only the modules are not cleared."""
    out, marker = tmp_path / "tong-hop.json", tmp_path / "ending.txt"
    proc = subprocess.run([sys.executable, "-c", _ENDING, str(marker), "consolidate", str(seed_folder), "--year",
                           "2024", "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1)
    assert json.loads(out.read_text(encoding="utf-8"))["rows"] > 0
    assert marker.read_text(encoding="utf-8") == "start thread atexit"
    assert "unflushed line" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_refused_command_line_ends_with_its_code(tmp_path):
    marker = tmp_path / "ending.txt"
    proc = subprocess.run([sys.executable, "-c", _ENDING, str(marker), "consolidate", "--no-such-option"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert marker.read_text(encoding="utf-8") == "start thread atexit"


def test_the_installed_command_is_the_ending_entry():
    """The `thidua` script of pyproject.toml calls `entry` (the command, then `end`), `python -m thidua_xl` too."""
    import tomllib
    from pathlib import Path

    import thidua_xl.__main__ as main_module

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["thidua"] == "thidua_xl.__main__:entry"
    assert "end(run())" in Path(main_module.__file__).read_text(encoding="utf-8")
