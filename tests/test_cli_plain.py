"""A plain run of `validate` or `consolidate` reads its command line as typer reads it, and runs the same.

`cli.plain` reads the command lines the ribbon and scripts give (root flags, the command, paths, options that
take one value) without typer; anything else is left to typer. Whatever it accepts, typer must read alike:
the same flags, the same command, the same values (a list of paths, a whole number, paths). And a run
it takes prints, writes and exits exactly as typer's run of the same command.
"""
from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings, strategies as st

from thidua_xl.cli import plain

_DEFAULTS = {"consolidate": ("year", "json_out", "out", "into"),
             "validate": ("year", "history", "json_out", "rules", "out", "into")}


def typer_reads(args: list[str]):
    """(debug, verbose, command, parameters) as typer's command tree parses `args` (Click's own parse and
    typer's conversion, as `cli.main` runs them), or None when it refuses them or runs something else."""
    from thidua_xl.cli import _click_command, params

    root = _click_command(args)
    params.install(root)
    try:
        with root.make_context("thidua", list(args)) as ctx:
            rest = list(getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", None) or []) + ctx.args
            name, command, sub_args = root.resolve_command(ctx, rest)
            if name not in _DEFAULTS:
                return None
            with command.make_context(name, sub_args, parent=ctx) as sub:
                return ctx.params["debug"], ctx.params["verbose"], name, dict(sub.params)
    except BaseException:  # noqa: BLE001 - a usage error, help, --version: typer's to handle
        return None


def plain_reads(args: list[str]):
    got = plain.parse(args)
    if got is None:
        return None
    values = dict.fromkeys(_DEFAULTS[got.command])
    values.update(got.params)
    return got.debug, got.verbose, got.command, values


_PATHS = st.sampled_from(["ThiDua-2024.xlsx", "don vi/Bệnh viện Phổi.xlsx", "a=b.xlsx", "thư mục", "-", "--", "",
                          "-x.xlsx", "validate", "C:\\Sở\\tệp.xlsm", " ", "./x"])
_VALUES = st.sampled_from(["2024", "0123", "", "-5", "+2024", "２０２４", "٢٠٢٤", "2024 ", " 2024", "1e3", "1_000",
                           "12345678901", "kiem-tra.json", "so lich su.sqlite", "a=b", "--json", "-x", "x\x00y"])
_OPTIONS = st.sampled_from(["--year", "--json", "--history", "--rules", "--out", "--into", "--jsn", "--help", "-h",
                            "--version", "--debug", "--verbose", "--kind"])


_GOOD_PATHS = st.sampled_from(["ThiDua-2024.xlsx", "don vi/Bệnh viện Phổi.xlsx", "a=b.xlsx", "thư mục", "validate",
                               "C:\\Sở\\tệp.xlsm", " ", "./x", "~/t.xlsx"])
_GOOD_VALUES = st.sampled_from(["2024", "0123", "2020", "kiem-tra.json", "so lich su.sqlite", "a=b", "out/"])


@st.composite
def command_lines(draw, unusual: bool = True) -> list[str]:
    """Command lines of validate and consolidate, plain ones (options of the command, values that look right)
    or, with `unusual`, anything the vocabulary above can say."""
    flags = ["--debug", "--verbose"] + (["--version", "--help"] if unusual else [])
    root = draw(st.lists(st.sampled_from(flags), max_size=3))
    command = draw(st.sampled_from(["validate", "consolidate"] + (["report", "Validate"] if unusual else [])))
    names = st.sampled_from(sorted(plain.OPTIONS[command] if command in plain.OPTIONS else plain.OPTIONS["validate"]))
    items: list[list[str]] = [[p] for p in draw(st.lists(_PATHS if unusual else _GOOD_PATHS, min_size=int(not unusual),
                                                         max_size=3))]
    forms = st.sampled_from(["two", "eq", "bare"] if unusual else ["two", "eq"])
    for name, value, form in draw(st.lists(st.tuples(_OPTIONS if unusual else names, _VALUES if unusual else _GOOD_VALUES,
                                                     forms), max_size=4, unique_by=None if unusual else lambda t: t[0])):
        items.append([name, value] if form == "two" else [f"{name}={value}"] if form == "eq" else [name])
    order = draw(st.permutations(items))
    return root + [command] + [w for item in order for w in item]


@settings(max_examples=400, deadline=None)
@given(st.one_of(command_lines(unusual=False), command_lines()))
def test_whatever_the_plain_reading_takes_typer_reads_alike(args):
    got = plain_reads(args)
    if got is not None:
        assert typer_reads(args) == got


def test_the_ribbons_and_the_benchs_command_lines_are_plain():
    for args in (["validate", "ThiDua-2024.xlsx", "--year", "2024"],
                 ["--verbose", "validate", "a.xlsx", "b", "--history=h.sqlite", "--json", "k.json"],
                 ["consolidate", "don-vi", "--year", "2024", "--json", "t.json", "--out", "t.xlsx"],
                 ["--debug", "consolidate", "--into", "ThiDua.xlsx", "ThiDua.xlsx"]):
        assert plain_reads(args) is not None
        assert typer_reads(args) == plain_reads(args)


def test_anything_unusual_is_left_to_typer():
    for args in (["validate", "--help"], ["validate", "-h", "a.xlsx"], ["validate"], ["validate", "--year", "2024"],
                 ["validate", "a.xlsx", "--year", "2024", "--year", "2025"], ["validate", "a.xlsx", "--jsn", "x"],
                 ["validate", "a.xlsx", "--year", "+2024"], ["validate", "a.xlsx", "--year", "２０２４"],
                 ["validate", "--", "a.xlsx"], ["validate", "a.xlsx", "--json"], ["validate", "a.xlsx", "--json", "-x"],
                 ["validate", "a.xlsx", "--json="], ["--version", "validate", "a.xlsx"], ["report", "a.xlsx"],
                 ["validate", "a.xlsx", "--debug"], ["consolidate", "a.xlsx", "--history", "h.sqlite"]):
        assert plain.parse(args) is None, args


def _run(args: list[str], cwd) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "thidua_xl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_plain_run_prints_writes_and_exits_as_typers(seed_folder, tmp_path):
    """The same command, once plainly said and once with its year given twice (typer reads that one, the
    last year counting): the same exit code, the same bytes printed, the same JSON written."""
    for command in ("validate", "consolidate"):
        out = tmp_path / f"{command}.json"
        said = [command, str(seed_folder), "--json", str(out)]
        assert plain.parse(said + ["--year", "2020"]) is not None
        assert plain.parse(said + ["--year", "1999", "--year", "2020"]) is None
        plain_run = _run(said + ["--year", "2020"], tmp_path)
        plain_json = out.read_bytes()
        typer_run = _run(said + ["--year", "1999", "--year", "2020"], tmp_path)
        assert plain_run == typer_run
        assert out.read_bytes() == plain_json
        assert plain_run[0] in (0, 1) and plain_run[1].count("\n") > 10


def test_a_plain_run_of_a_missing_file_says_so_as_typers(tmp_path):
    missing = str(tmp_path / "không-có.xlsx")
    said = _run(["validate", missing, "--year", "2020"], tmp_path)
    assert said == _run(["validate", missing, "--year", "1999", "--year", "2020"], tmp_path)
    assert said[0] == 2 and "không-có.xlsx" in said[2]


def test_a_plain_run_imports_no_typer(seed_folder, tmp_path):
    code = ("import sys; from thidua_xl.cli import main; code = main(sys.argv[1:]); "
            "print(sorted(m for m in ('typer', 'click', 'pydantic') if m in sys.modules), code)")
    proc = subprocess.run([sys.executable, "-c", code, "consolidate", str(seed_folder), "--year", "2020"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.stdout.strip().splitlines()[-1] in ("[] 0", "[] 1")
