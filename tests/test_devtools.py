"""The developer build tools stay out of the runtime path, and an installed package says so in Vietnamese."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from thidua_xl.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "thidua_xl"


def _imports(path: Path) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved against its package)."""
    rel = path.relative_to(ROOT).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            names.add(mod)
            names.update(f"{mod}.{a.name}" for a in node.names)
    return names


def test_runtime_modules_never_import_the_build_tools():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("thidua_xl/devtools/"):
            continue
        hits = sorted(n for n in _imports(path) if n.startswith("thidua_xl.devtools"))
        if hits:
            offenders[rel] = hits
    # the one door: the `build-workbook` command, which imports them lazily and explains their absence
    door = {k for k in offenders if k == "thidua_xl/cli.py" or k.startswith("thidua_xl/cli/")}
    assert len(door) == 1, offenders
    assert {k: v for k, v in offenders.items() if k not in door} == {}


def test_the_wheel_leaves_the_build_tools_out():
    """The packages pyproject's find rules select (setuptools matches dotted names with fnmatch)."""
    from fnmatch import fnmatchcase

    find = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]["find"]
    packages = [".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")]
    shipped = [p for p in packages if any(fnmatchcase(p, pat) for pat in find["include"])
               and not any(fnmatchcase(p, pat) for pat in find.get("exclude", ()))]
    assert {"thidua_xl", "thidua_xl.mail", "thidua_xl.workbook", "thidua_xl.documents"} <= set(shipped)
    assert "thidua_xl.devtools.vba" in packages and not [p for p in shipped if p.startswith("thidua_xl.devtools")]


# `python -m thidua_xl` as an installed package runs it: an editable install of this checkout (whose
# import hook would find devtools/ here) is taken out of the way first.
_installed = [sys.executable, "-c", "import sys, runpy; "
              "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
              "sys.argv[0] = 'thidua'; runpy.run_module('thidua_xl', run_name='__main__')"]


def test_build_workbook_from_an_installed_package_says_it_needs_the_source_tree(tmp_path):
    """An installed package is the package folder alone: no devtools/, no macros/ beside it."""
    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE, site / "thidua_xl", ignore=shutil.ignore_patterns("devtools", "__pycache__"))
    work = tmp_path / "Sở Y tế"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    got = subprocess.run(_installed + ["build-workbook", "--out", str(work / "ThiDua.xlsm")],
                         cwd=work, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    out = " ".join((got.stdout + got.stderr).split())
    assert got.returncode == 2, out
    assert "chỉ chạy được từ bản sao mã nguồn" in out and "pip install -e ." in out
    assert "Traceback" not in out
    assert list(work.iterdir()) == []
    # and the rest of the command works from that copy
    ok = subprocess.run(_installed + ["init", str(work / "TongHop.xlsx"), "--year", "2025"],
                        cwd=work, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert (work / "TongHop.xlsx").is_file()


def test_build_tools_without_macros_folder_refuse_clearly(tmp_path):
    from thidua_xl.devtools import build_workbook as build

    with pytest.raises(UserError, match="bản sao mã nguồn"):
        build.build_workbook(tmp_path / "ThiDua.xlsm", macros=tmp_path / "macros")
    assert not (tmp_path / "ThiDua.xlsm").exists()
