"""Intake: workbooks in, one nominations frame out (Polars, with a pandas view for the writers).

Reads a master workbook, unit files or folders of them, each file once, finds the nomination
table wherever it sits and whatever its headers look like, and keeps for every nominee the file,
sheet and Excel row it came from. By job:

    files.py    which files, opened behind the safety pre-check, parsed ahead in worker threads
    headers.py  header specs and the header row finder (sheet names too)
    cells.py    cells to text, each distinct value once; the memos of one reading
    rows.py     which rows are nominees (headings, totals, signature blocks)
    units.py    which unit a table belongs to
    arrow.py    unit files read with fastexcel into text columns (no Python object per cell)
    frames.py   the nominations/initiatives frames (Polars), finished with whole-column steps
    result.py   the Intake: Polars frames for the core, pandas views for the writers
    read.py     masters and unit files into one Intake (read_paths; read_sheets for the Excel adapter)
    lists.py    the small lists users give (units, history, rules): one tolerant .csv/.xlsx reader

The names below are imported from their module on first use, so a command that only needs the
file list (`expand_paths`) or a header spec does not import pandas.
"""
from __future__ import annotations

import importlib

_WHERE = {
    "PREFETCH_AHEAD": "files",
    "WORKBOOK_SUFFIXES": "files",
    "Loaded": "files",
    "expand_paths": "files",
    "load_file": "files",
    "open_checked": "files",
    "open_workbook": "files",
    "sheet_rows": "files",
    "build_initiatives": "frames",
    "build_nominations": "frames",
    "finish_nominations": "frames",
    "CONFIG_SHEET": "headers",
    "HEADER_SCAN_ROWS": "headers",
    "INITIATIVE_HEADERS": "headers",
    "INITIATIVE_REQUIRED": "headers",
    "INITIATIVES_SHEET": "headers",
    "META_SHEET": "headers",
    "NARRATIVE_SHEET": "headers",
    "NOMINATION_HEADERS": "headers",
    "NOMINATION_REQUIRED": "headers",
    "OPTIONAL_COLUMNS": "headers",
    "UNIT_LIST_HEADERS": "headers",
    "UNIT_LIST_REQUIRED": "headers",
    "UNITS_SHEET": "headers",
    "Table": "headers",
    "find_table": "headers",
    "locate_table": "rows",
    "match_header": "headers",
    "Intake": "result",
    "header_drift": "read",
    "read_file": "read",
    "read_paths": "read",
    "read_sheets": "read",
    "RAW_NOMINATION_COLUMNS": "rows",
    "initiative_columns": "rows",
    "nomination_columns": "rows",
    "UnitRegistry": "units",
    "read_units_sheet": "units",
    "units_records": "units",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
