"""A mistaken path or value on the command line: refused before anything is read or written."""
from __future__ import annotations

import pytest

from badfile_helpers import good_unit, sha256_tree
from badfile_helpers import run
from thidua_xl.fileio import TEMP_PREFIX, atomic_path, clean_stale_temps
from thidua_xl.guards import os_error_message
from workbook_helpers import make_master


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    master = make_master(tmp_path / "M.xlsx")
    return folder, master


@pytest.mark.parametrize("args", [
    ["consolidate", "{M}", "--out", "{M}"],
    ["consolidate", "{M}", "--json", "{M}"],
    ["validate", "{M}", "--json", "{M}"],
    ["validate", "{M}", "--out", "{M}"],
    ["consolidate", "{D}", "--out", "{D}/tong-hop.xlsx"],
    ["validate", "{D}", "--out", "{D}/kiem-tra.xlsx"],
    ["consolidate", "{D}", "--json", "{D}"],
    ["consolidate", "{D}/A.xlsx", "--json", "{D}/A.xlsx"],
    ["consolidate", "{M}", "--into", "{M}", "--out", "{M}"],
    ["consolidate", "{D}", "--json", "{T}/x.json", "--out", "{T}/x.json"],
    ["report", "{M}", "--out", "{M}"],
])
def test_an_output_naming_an_input_is_refused_and_nothing_changes(inputs, tmp_path, capsys, args):
    folder, master = inputs
    args = [a.format(M=master, D=folder, T=tmp_path) for a in args]
    before = {**sha256_tree(folder), **sha256_tree(tmp_path)}
    code, text = run(capsys, *args)
    assert code == 2
    assert "Chưa ghi gì" in text and ("trùng" in text or "thư mục đầu vào" in text or "cùng chỉ tới" in text)
    after = {**sha256_tree(folder), **sha256_tree(tmp_path)}
    assert {k: v for k, v in after.items() if k != "thidua-audit.jsonl"} == \
        {k: v for k, v in before.items() if k != "thidua-audit.jsonl"}


def test_json_beside_the_inputs_and_into_the_master_are_still_allowed(inputs, tmp_path, capsys):
    folder, master = inputs
    code, _text = run(capsys, "consolidate", folder, "--json", folder / "ket-qua.json", "--year", 2024)
    assert code == 0 and (folder / "ket-qua.json").is_file()
    code, _text = run(capsys, "consolidate", master, "--into", master)
    assert code == 0


@pytest.mark.parametrize("year", ["10000", "0", "-5", "99"])
def test_impossible_year_is_a_clear_error(inputs, capsys, year):
    folder, _master = inputs
    code, text = run(capsys, "consolidate", folder, "--year", year)
    assert code == 2 and "Năm thi đua" in text and "không hợp lệ" in text


def test_impossible_year_for_a_new_master(tmp_path, capsys):
    code, text = run(capsys, "init", tmp_path / "m.xlsx", "--year", "10000")
    assert code == 2 and "không hợp lệ" in text and not (tmp_path / "m.xlsx").exists()


def test_leftover_of_a_killed_write_is_never_read_and_stale_ones_are_cleaned(inputs, tmp_path, capsys):
    import os
    import time

    folder, _master = inputs
    # what a write killed half-way leaves: a temp file beside its target, here a complete workbook
    leftover = folder / f"{TEMP_PREFIX}B.abc123.xlsx"
    good_unit(leftover, unit="Bệnh viện B")
    code, text = run(capsys, "consolidate", folder, "--json", tmp_path / "c.json", "--year", 2024)
    import json

    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["files"] == 1
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    fresh = folder / f"{TEMP_PREFIX}C.def456.xlsx"
    fresh.write_bytes(b"being written")
    assert clean_stale_temps(folder) == [leftover]
    assert fresh.exists() and not leftover.exists() and (folder / "A.xlsx").exists()


def test_a_write_in_progress_is_named_so_readers_skip_it(tmp_path):
    with atomic_path(tmp_path / "x.xlsx") as tmp:
        assert tmp.name.startswith("~$") and tmp.parent == tmp_path
        tmp.write_bytes(b"x")
    assert (tmp_path / "x.xlsx").read_bytes() == b"x"


def test_os_errors_become_vietnamese_sentences_naming_the_file():
    import errno

    full = OSError(errno.ENOSPC, "No space left on device", "/srv/tong-hop.xlsx")
    assert "Ổ đĩa đã đầy" in os_error_message(full) and "tong-hop.xlsx" in os_error_message(full)
    ro = PermissionError(errno.EROFS, "Read-only file system", "/srv/ra")
    assert "chỉ cho đọc" in os_error_message(ro) and "/srv/ra" in os_error_message(ro)
    esc = OSError(errno.EIO, "I/O error", "/srv/a\x1b[2Jb.xlsx")
    assert "\x1b" not in os_error_message(esc) and "\\x1b" in os_error_message(esc)
