"""Intake: workbooks in, one nominations DataFrame out.

Reads a master workbook, unit files or folders of them, each file once, finds the nomination
table wherever it sits and whatever its headers look like, and keeps for every nominee the file,
sheet and Excel row it came from. By job:

    files.py    which files, opened behind the safety pre-check, parsed ahead in worker threads
    headers.py  header specs and the header row finder (sheet names too)
    cells.py    cells to text, each distinct value once; the memos of one reading
    rows.py     which rows are nominees (headings, totals, signature blocks)
    units.py    which unit a table belongs to
    frames.py   the nominations/initiatives frames, finished with whole-column steps
    read.py     masters and unit files into one Intake (read_paths; read_sheets for the Excel adapter)
    lists.py    the small lists users give (units, history, rules): one tolerant .csv/.xlsx reader
"""
from .files import (PREFETCH_AHEAD, WORKBOOK_SUFFIXES, Loaded, expand_paths, load_file, open_checked,
                    open_workbook, sheet_rows)
from .frames import build_initiatives, build_nominations, finish_nominations
from .headers import (CONFIG_SHEET, HEADER_SCAN_ROWS, INITIATIVE_HEADERS, INITIATIVE_REQUIRED, INITIATIVES_SHEET,
                      META_SHEET, NARRATIVE_SHEET, NOMINATION_HEADERS, NOMINATION_REQUIRED, OPTIONAL_COLUMNS,
                      UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, UNITS_SHEET, Table, find_table, match_header)
from .read import Intake, header_drift, read_file, read_paths, read_sheets
from .rows import RAW_NOMINATION_COLUMNS, initiative_columns, nomination_columns
from .units import UnitRegistry, read_units_sheet

__all__ = [
    "CONFIG_SHEET", "HEADER_SCAN_ROWS", "INITIATIVES_SHEET", "INITIATIVE_HEADERS", "INITIATIVE_REQUIRED",
    "Intake", "Loaded", "META_SHEET", "NARRATIVE_SHEET", "NOMINATION_HEADERS", "NOMINATION_REQUIRED",
    "OPTIONAL_COLUMNS", "PREFETCH_AHEAD", "RAW_NOMINATION_COLUMNS", "Table", "UNITS_SHEET", "UNIT_LIST_HEADERS",
    "UNIT_LIST_REQUIRED", "UnitRegistry", "WORKBOOK_SUFFIXES", "build_initiatives", "build_nominations",
    "expand_paths", "find_table", "finish_nominations", "header_drift", "initiative_columns", "load_file",
    "match_header", "nomination_columns", "open_checked", "open_workbook", "read_file", "read_paths",
    "read_sheets", "read_units_sheet", "sheet_rows",
]
