"""A conversion that runs out of time stops everything it started (soffice's soffice.bin included)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from thidua_xl.documents.pdf import find_soffice, run_group, to_pdf
from thidua_xl.errors import UserError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reads /proc")


def _processes_mentioning(text: str) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            out.append(int(d.name))
    return out


def _gone(text: str, wait: float = 5.0) -> bool:
    end = time.monotonic() + wait
    while time.monotonic() < end:
        if not _processes_mentioning(text):
            return True
        time.sleep(0.1)
    return False


def test_a_timeout_kills_the_child_and_its_grandchildren(tmp_path):
    """Like soffice → soffice.bin: the launcher starts the worker, the timeout must stop both."""
    marker = f"thidua-grandchild-{os.getpid()}-{tmp_path.name}"
    launcher = ("import subprocess, sys, time\n"
                "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', sys.argv[1]])\n"
                "time.sleep(300)\n")
    started = time.monotonic()
    assert run_group([sys.executable, "-c", launcher, marker], timeout=2) is None
    assert time.monotonic() - started < 15
    assert _gone(marker), "a process of the group outlived the timeout"


def test_run_group_returns_the_output_of_a_command_that_finishes():
    done = run_group([sys.executable, "-c", "print('xong')"], timeout=60)
    assert done is not None and done.returncode == 0 and done.stdout.strip() == "xong"


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_out_of_time_leaves_no_soffice_bin_behind(tmp_path, seed_folder):
    from thidua_xl.config import Config
    from thidua_xl.documents.render import render_reports
    from thidua_xl.intake import read_paths
    from thidua_xl.pipeline import totals

    docs = render_reports(totals(read_paths([seed_folder]), 2020), Config({}), {}, tmp_path / "docs",
                          kinds=["quyet-dinh"])
    out = tmp_path / f"pdf-{os.getpid()}"
    with pytest.raises(UserError, match="không chuyển xong"):
        to_pdf(docs, out, timeout=1)
    assert _gone(str(out)), "soffice.bin was left running after the timeout"
