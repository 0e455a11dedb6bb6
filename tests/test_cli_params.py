"""The commands' values are converted without pydantic, to exactly what typer's own conversion gives.

typer converts each parameter through a pydantic adapter (an import of ~0.25 s per ribbon click); the plain
values are converted by `thidua_xl.cli.params`. Whatever value comes, the result — or the refusal and its
words — must be typer's.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua_xl import cli_vn
from thidua_xl.cli import app
from thidua_xl.cli.params import PlainValues, install

pytestmark = pytest.mark.skipif(not hasattr(typer.core, "_TyperParameter"), reason="typer converts through Click")

_build = pytest.importorskip("typer._coercion").build_runtime_param
_BadParameter = pytest.importorskip("typer._click.exceptions").BadParameter

FIXED = ["", " ", "0", "007", "+5", "-0", " 5", "5 ", "1_000", "1.0", "1.", ".5", "-.5", "1e3", "nan", "inf", "-inf",
         "2024", "99999999999999999999999999999", "9" * 40, "١٢", "２０２４", "a", "Đà Lạt", "x.xlsx", "a//b/", "./x",
         "~/x", "-", "--", "a\\b", "true", "no"]
_ALPHABET = "0123456789+-._ eE/\\aĐđế\t~"


def _tree() -> list:
    command = cli_vn.vietnamise(typer.main.get_command(app))
    install(command)
    found = []

    def walk(cmd):
        for p in cmd.params:
            found.append(p)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    return found


def _extra_params(folder: Path) -> list:
    """Kinds of parameter the commands may take tomorrow: checked paths, bounded numbers, lists of paths."""
    extra = typer.Typer()

    @extra.command()
    def run(files: List[Path] = typer.Argument(None),
            existing: Path = typer.Option(folder, exists=True, dir_okay=False),
            folder_only: Optional[Path] = typer.Option(None, file_okay=False),
            count: int = typer.Option(1, min=1, max=50), share: float = typer.Option(0.5, min=0.0, max=1.0),
            words: List[str] = typer.Option([]), flag: bool = typer.Option(False)):
        pass  # pragma: no cover

    command = typer.main.get_command(extra)
    install(command)
    return list(command.params)


def _convert(converter, value, param):
    try:
        return "ok", converter.coerce(value, param=param, ctx=None)
    except _BadParameter as exc:
        return "refused", exc.format_message()


def _check(params: list, value) -> None:
    for param in params:
        ours = param._runtime_param
        if not isinstance(ours, PlainValues):
            continue
        multi = param.multiple or param.nargs == -1
        given_value = ([value] if not isinstance(value, (list, tuple)) else value) if multi else value
        theirs = _convert(_build(param.type_descriptor), given_value, param)
        got = _convert(ours, given_value, param)
        assert repr(got) == repr(theirs) and type(got[1]) is type(theirs[1]), (param.name, given_value)
        if got[0] == "ok" and isinstance(got[1], list):
            assert [type(v) for v in got[1]] == [type(v) for v in theirs[1]]


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("params")
    (folder / "tep.xlsx").write_bytes(b"x")
    (folder / "thu-muc").mkdir()
    return _tree() + _extra_params(folder / "tep.xlsx"), folder


def test_the_commands_plain_parameters_are_converted_here(params):
    plain = [p for p in params[0] if isinstance(p._runtime_param, PlainValues)]
    names = {p.name for p in plain}
    assert {"year", "paths", "json_out", "history"} <= names  # `validate`'s, among others


@pytest.mark.parametrize("value", FIXED)
def test_fixed_values_convert_as_typer_converts_them(params, value):
    _check(params[0], value)


def test_real_paths_and_python_values_convert_as_typer_converts_them(params):
    found, folder = params
    for value in [str(folder / "tep.xlsx"), str(folder / "thu-muc"), str(folder / "khong-co.xlsx"),
                  folder / "tep.xlsx", folder / "thu-muc", 5, 0, -3, 2.5, 1, True, False, None, [], (), float("nan"),
                  float("inf"), -float("inf"), 10 ** 400, 2 ** 53, 1.5e308,
                  [str(folder / "tep.xlsx"), str(folder / "thu-muc")], ("a", "b"), ["1", "x"], [None]]:
        _check(found, value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(_ALPHABET, max_size=12), st.sampled_from(FIXED), st.integers(), st.floats(),
                 st.lists(st.one_of(st.text(_ALPHABET, max_size=8), st.sampled_from(FIXED)), max_size=3)))
def test_random_values_convert_as_typer_converts_them(params, value):
    _check(params[0], value)


def test_a_command_run_converts_its_values_without_pydantic(tmp_path):
    """The ribbon's commands run without importing pydantic; a value typer refuses is still said in Vietnamese."""
    probe = ("import sys; from thidua_xl.cli import main; code = main(sys.argv[1:]); "
             "print(code, 'pydantic' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}

    def run(*args):
        proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120,
                              env=env, cwd=tmp_path)
        return proc.stdout.strip().splitlines()[-1], proc.stderr

    assert run("validate", str(tmp_path / "khong-co.xlsx"), "--year", "2024")[0].endswith(" False")
    assert run("rules", "--help")[0] == "0 False"
    out, err = run("validate", "x.xlsx", "--year", "abc")
    assert out == "2 True" and "phải là số nguyên" in err  # typer's own refusal, then told in Vietnamese
