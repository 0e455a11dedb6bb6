"""PDF of a long list: cut into tables LibreOffice lays out in linear time; a conversion out of time stops
everything it started (soffice's soffice.bin included)."""
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


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="poppler-utils is not installed")
def test_a_decision_of_1200_names_converts_with_every_name_numbered_in_order(tmp_path):
    import datetime as dt
    import random
    import re
    import subprocess

    import pandas as pd

    from thidua_xl.config import Config
    from thidua_xl.consolidate import consolidate
    from thidua_xl.documents.render import render_reports
    from thidua_xl.model import NOMINATION_COLUMNS
    from thidua_xl.sample import people_name

    rng = random.Random(12)
    n = 1200
    rows = [{c: None for c in NOMINATION_COLUMNS} | {
        "file": "x.xlsx", "sheet": "Đề nghị", "row": i + 4, "unit_code": f"U{i % 9}",
        "unit": f"Trung tâm Y tế số {i % 9 + 1}", "ho_ten": people_name(rng),
        "ngay_sinh": dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "nam_sinh": 1970 + i % 30,
        "gioi_tinh": "Nam", "chuc_vu": "Bác sĩ", "khoa_phong": "Khoa Nội", "award": "LDTT",
        "subject": "ca_nhan", "hinh_thuc": "LĐTT"} for i in range(n)]
    result = consolidate(pd.DataFrame(rows, columns=NOMINATION_COLUMNS), None, 2020)
    (docx,) = render_reports(result, Config({"giam_doc": "Hoàng Quốc Hương"}), {}, tmp_path,
                             kinds=["quyet-dinh"])
    (pdf,) = to_pdf([docx], tmp_path / "pdf", timeout=600)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    listed = [int(m) for m in re.findall(r"^\s*(\d{1,4})\s+\D.*\d\d/\d\d/\d{4}", text, re.M)]
    assert listed == list(range(1, n + 1))  # every name, in order, one numbering across the tables
    assert text.count("Họ và tên / Tên tập thể") >= n // 500 + 1  # the header opens every part
