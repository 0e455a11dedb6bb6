"""The command line speaks Vietnamese: help pages, usage lines, parse errors and suggestions."""
from __future__ import annotations

import re

import pytest
import typer

from contract_helpers import no_traceback, run_cli, run_sub

ENGLISH = re.compile(r"Usage|Options|Arguments|Commands|Show this message|default:|\[required\]|Missing|"
                     r"No such|Try '|Error:|Did you mean|Invalid value|<int>|<path>|<str>|<float>|"
                     r"INTEGER|TEXT|PATH\b|Got unexpected|requires an argument|Possible options")


def _command_paths():
    from thidua_xl.cli import app

    root = typer.main.get_command(app)
    paths = [[]]
    for name, cmd in root.commands.items():
        paths.append([name])
        for sub in getattr(cmd, "commands", {}):
            paths.append([name, sub])
    return paths


def test_root_help_is_vietnamese_and_lists_the_year_in_order():
    r = run_sub("--help")
    assert r.returncode == 0 and no_traceback(r.stdout, r.stderr)
    assert "Cách dùng: thidua" in r.stdout and "Tùy chọn:" in r.stdout and "Lệnh" in r.stdout
    assert not ENGLISH.search(r.stdout), ENGLISH.search(r.stdout)
    listed = [m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]+)\s{2,}", r.stdout, flags=re.M)]
    order = [c for c in ("init", "split", "email", "collect", "validate", "consolidate", "report", "history") if c in listed]
    assert [c for c in listed if c in order] == order, listed


@pytest.mark.parametrize("cmd", _command_paths(), ids=lambda c: " ".join(c) or "thidua")
def test_every_help_page_is_vietnamese(capsys, cmd):
    for flag in ("--help", "-h"):
        code, out, err = run_cli(capsys, *cmd, flag)
        assert code == 0, err
        assert "Cách dùng:" in out and "Hiện hướng dẫn này rồi thoát." in out
        assert not ENGLISH.search(out + err), (flag, ENGLISH.search(out + err).group(0), out)


@pytest.mark.parametrize("args, words", [
    (["khong-co-lenh"], "Không có lệnh “khong-co-lenh”"),
    (["validaet"], "Có phải là: validate?"),
    (["validate"], "Thiếu tham số TỆP_HOẶC_THƯ_MỤC"),
    (["validate", "x.xlsx", "--yaer", "2024"], "Có phải là: --year?"),
    (["validate", "x.xlsx", "--year", "abc"], "phải là số nguyên"),
    (["init", "x.xlsx", "--year"], "cần một giá trị"),
    (["init", "x.xlsx"], "Thiếu tùy chọn --year"),
    (["split", "a.xlsx", "b.xlsx", "--out", "d"], "Thừa tham số"),
])
def test_parse_errors_are_vietnamese_with_exit_2(capsys, args, words):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and no_traceback(out, err)
    assert words in err, err
    assert not ENGLISH.search(out + err), ENGLISH.search(out + err).group(0)


def test_version_and_bare_command(capsys):
    from thidua_xl import __version__

    code, out, _err = run_cli(capsys, "--version")
    assert code == 0 and out.strip() == f"thidua_xl {__version__}"
    code, out, _err = run_cli(capsys)
    assert code == 0 and "Cách dùng: thidua" in out


def test_finding_codes_carry_their_vietnamese_label():
    from thidua_xl.model import code_label

    assert code_label("DUPLICATE") == "Trùng lặp (DUPLICATE)"
    assert code_label("SOMETHING_NEW") == "SOMETHING_NEW"
