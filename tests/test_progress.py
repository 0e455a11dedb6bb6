"""Long work shows a progress bar in a terminal (and nothing of it when the output is a file or a pipe)."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal test")
def test_consolidate_shows_a_progress_bar_in_a_terminal(seed_folder, tmp_path):
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "thidua_xl", "consolidate", str(seed_folder), "--year", "2020",
                             "--out", str(tmp_path / "th.xlsx")], stdin=slave, stdout=subprocess.DEVNULL,
                            stderr=slave, env=env, cwd=tmp_path)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(timeout=60) == 0
    os.close(master)
    text = out.decode("utf-8", "replace")
    assert "Đọc tệp Excel" in text and "━" in text  # the bar
    assert "12/12" in text and ".xlsx" in text  # files counted, the file being read named
    assert "Đang ghi th.xlsx" in text  # the workbook write, which has nothing to count, gets a spinner


def test_no_progress_bar_when_output_is_not_a_terminal(seed_folder, tmp_path):
    r = subprocess.run([sys.executable, "-m", "thidua_xl", "consolidate", str(seed_folder), "--year", "2020",
                        "--out", str(tmp_path / "th.xlsx")], capture_output=True, text=True, encoding="utf-8",
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0
    assert "━" not in r.stderr and "Đọc tệp Excel" not in r.stderr and "Đang ghi" not in r.stderr
    assert "Tổng hợp đề nghị khen thưởng năm 2020" in r.stdout
