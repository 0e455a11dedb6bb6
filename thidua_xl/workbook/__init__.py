"""Writing Excel files: the master workbook, the unit files, and collecting them back.

Import the functions from their modules (the CLI does, lazily):
    from thidua_xl.workbook.master import create_master
    from thidua_xl.workbook.split import split_master
    from thidua_xl.workbook.collect import collect, CollectReport
    from thidua_xl.workbook.transplant import write_sheets_into
(`collect` is both a module and a function, so the package does not re-export it.)
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "create_master": "master", "split_master": "split", "CollectReport": "collect", "read_units": "units",
    "write_sheets_into": "transplant", "replace_sheet_rows": "patch",
}
__all__ = list(_EXPORTS)


def __getattr__(name):  # lazy: importing the package costs nothing
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)
