"""The package's own data files found beside its modules, or through importlib.resources when they are not files."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from thidua_xl import catalog
from thidua_xl.packaged import data_folder
from thidua_xl.rules import loading


def test_an_installed_package_reads_its_data_folder_as_files():
    for package, module in (("thidua_xl", catalog), ("thidua_xl.rules", loading)):
        folder = data_folder(package, module.__file__)
        assert isinstance(folder, Path) and folder == Path(str(resources.files(package).joinpath("data")))
    assert data_folder("thidua_xl", catalog.__file__).joinpath("awards.csv").read_text(encoding="utf-8") == \
        resources.files("thidua_xl").joinpath("data/awards.csv").read_text(encoding="utf-8")


def test_a_package_whose_modules_are_not_files_reads_it_through_importlib_resources(tmp_path):
    """A zipped package has no folder beside its modules' names: importlib.resources opens its data then."""
    folder = data_folder("thidua_xl.rules", str(tmp_path / "in.zip" / "thidua_xl" / "rules" / "loading.py"))
    assert sorted(e.name for e in folder.iterdir()) == \
        sorted(e.name for e in resources.files("thidua_xl.rules").joinpath("data").iterdir())
