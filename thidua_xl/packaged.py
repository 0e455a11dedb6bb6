"""The data files shipped inside the package (the award catalogue, the rules, the legal texts)."""
from __future__ import annotations

from pathlib import Path


def data_folder(package: str, module_file: str):
    """The `data` folder beside a package's modules (`module_file`: one of its modules' __file__): a plain path
    when the package is installed as files, as pip and an editable checkout install it; else (a zipped package)
    importlib.resources' view of it. Both open, read and list alike. importlib.resources and its readers cost
    ~1.8 ms to import, at every start that reads the catalogue or the rules."""
    folder = Path(module_file).with_name("data")
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files(package).joinpath("data")
