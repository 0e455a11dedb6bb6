"""Two routes for the VBA project of ThiDua.xlsm: written from source, or saved once by Excel.

A project saved by Excel is used only while its modules decompress to exactly
`macros/*.bas` + xlwings' module. The checker is tried on a project Excel really saved
(xlwings ships its add-in, `xlwings.xlam`, with the .bas files it was made from).
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from thidua_xl.errors import UserError
from thidua_xl.devtools.vba import saved
from thidua_xl.devtools.vba.project import read_bas
from thidua_xl.devtools import build_workbook as build

ROOT = Path(__file__).resolve().parents[1]
XLWINGS = Path(build.xlwings_bas_path()).parent


def test_the_checker_reads_a_project_excel_saved_and_finds_what_excel_changed():
    xlam = XLWINGS / "addin" / "xlwings.xlam"
    blob = saved.read_project(xlam)
    modules = saved.modules_of(blob)
    assert {"ThisWorkbook", "Sheet1"} <= {n for n, m in modules.items() if m.document}
    sources = [read_bas(p) for p in sorted((XLWINGS / "addin").glob("*.bas"))]
    problems = saved.check(blob, sources)
    # the version stamped into Main at release, and the editor's own spelling: "Dim i as" saved as "Dim i As"
    assert [p.split(" khác nguồn")[0] for p in problems if "khác nguồn" in p] == ["mô-đun Main", "mô-đun Remote"]
    remote = next(p for p in problems if p.startswith("mô-đun Remote"))
    assert "-            Dim i as Integer | +            Dim i As Integer" in remote
    same = [m for m in sources if m.name not in ("Main", "Remote")]
    assert len(same) >= 5 and not [p for p in saved.check(blob, same) if "khác nguồn" in p or "thiếu" in p]


@pytest.fixture(scope="module")
def from_source(tmp_path_factory):
    return build.build_workbook(tmp_path_factory.mktemp("route") / "ThiDua.xlsm", year=2024)


def _property(path: Path, name: str) -> str:
    import re

    xml = zipfile.ZipFile(path).read("docProps/custom.xml").decode()
    return re.search(rf'name="{name}"[^>]*>\s*<vt:lpwstr>([^<]*)<', xml).group(1)


def test_source_route_is_recorded(from_source):
    assert _property(from_source.path, build.ROUTE_PROPERTY) == "source"


def test_a_saved_project_that_matches_is_kept_and_built_with(from_source, tmp_path):
    """`--save-vba` on a saved workbook, then `--vba excel`: the workbook carries that very binary."""
    bin_path = tmp_path / "vbaProject.bin"
    names = build.save_vba(from_source.path, out=bin_path)
    assert {"ThiDua", "xlwings", "ThisWorkbook"} <= set(names)
    blob = bin_path.read_bytes()
    assert blob == zipfile.ZipFile(from_source.path).read(saved.PART)
    info = build.build_workbook(tmp_path / "ThiDua.xlsm", year=2024, vba="excel", vba_bin=bin_path)
    assert zipfile.ZipFile(info.path).read(saved.PART) == blob
    assert _property(info.path, build.ROUTE_PROPERTY).startswith("excel:")
    # and its modules are the sources, as the check says
    mods = saved.modules_of(zipfile.ZipFile(info.path).read(saved.PART))
    for mod in build.standard_modules():
        assert saved._lines(mods[mod.name].source) == saved._lines(mod.source)


def test_a_stale_saved_project_is_refused_naming_the_module(from_source, tmp_path):
    bin_path = tmp_path / "vbaProject.bin"
    build.save_vba(from_source.path, out=bin_path)
    macros = tmp_path / "macros"
    shutil.copytree(ROOT / "macros", macros)
    bas = macros / "ThiDua.bas"
    bas.write_text(bas.read_text("ascii").replace("Public Sub ThiDua_TongHop()", "Public Sub ThiDua_TongHop2()"),
                   "ascii")
    with pytest.raises(UserError) as err:
        build.build_workbook(tmp_path / "x.xlsm", year=2024, vba="excel", vba_bin=bin_path, macros=macros)
    assert "mô-đun ThiDua khác nguồn" in str(err.value) and "ThiDua_TongHop2" in str(err.value)
    assert not (tmp_path / "x.xlsm").exists()
    with pytest.raises(UserError):
        build.save_vba(from_source.path, out=tmp_path / "y.bin", macros=macros)


def test_a_saved_project_for_other_sheets_is_refused(from_source, tmp_path):
    blob = zipfile.ZipFile(from_source.path).read(saved.PART)
    sheets = len(from_source.sheets)
    problems = saved.check(blob, build.standard_modules(), [f"Sheet{i + 1}" for i in range(sheets + 1)])
    assert problems and "trang tính" in problems[0]
    assert saved.check(blob, build.standard_modules(), [f"Sheet{i + 1}" for i in range(sheets)]) == []


def test_excel_route_without_a_saved_project_says_how_to_make_one(tmp_path):
    with pytest.raises(UserError) as err:
        build.build_workbook(tmp_path / "x.xlsm", vba="excel", vba_bin=tmp_path / "khong-co.bin")
    assert "--save-vba" in str(err.value)
    with pytest.raises(UserError):
        build.build_workbook(tmp_path / "x.xlsm", vba="khac")


def test_cli_save_vba_and_build_with_it(from_source, tmp_path, monkeypatch):
    from thidua_xl.cli import main

    target = tmp_path / "vbaProject.bin"
    monkeypatch.setattr(build, "VBA_BIN", target)
    assert main(["build-workbook", "--save-vba", str(from_source.path)]) == 0
    assert target.is_file()
    assert main(["build-workbook", "--out", str(tmp_path / "e.xlsm"), "--vba", "excel", "--year", "2024"]) == 0
    assert _property(tmp_path / "e.xlsm", build.ROUTE_PROPERTY).startswith("excel:")
    assert main(["build-workbook", "--save-vba", str(tmp_path / "khong-co.xlsm")]) == 2


def test_a_committed_saved_project_equals_the_sources():
    """When macros/vbaProject.bin is committed, it must be macros/*.bas + xlwings' module, nothing else."""
    if not build.VBA_BIN.is_file():
        pytest.skip("chưa có macros/vbaProject.bin do Excel lưu (tuyến “source” đang dùng)")
    problems = saved.check(saved.read_project(build.VBA_BIN), build.standard_modules())
    assert problems == [], problems
