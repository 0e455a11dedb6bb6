"""What the safety pre-check answers, and the limits it holds every workbook to.

Apart from `safety` (the scanning itself), so that a process whose files a child process checked
(intake.checker) reads the answers, and the limits, without importing the scan's patterns and the XML
parser it never runs (~9 ms of the interpreter lock at start, on every command that reads 16 files or more).
Plain classes, not dataclasses: `dataclasses` imports `inspect` (~5 ms), which the child, whose first answer
the readers wait for, would import for these three alone.
"""
from __future__ import annotations

from collections import namedtuple

EXCEL_TEXT_MAX = 32_767  # characters one cell holds; longer text is cut by Excel, and by every writer here

_LIMITS = {  # field: default
    "max_file_bytes": 200 * 1024 * 1024,
    "max_uncompressed": 400 * 1024 * 1024,  # all parts together, actually inflated
    "max_ratio": 200,  # inflated / compressed, for parts over ratio_floor
    "ratio_floor": 20 * 1024 * 1024,
    "max_rows": 300_000,  # per sheet, after trimming stray cells
    "max_cols": 500,  # columns beyond are dropped (stray cells at XFD…)
    "max_cells": 10_000_000,  # rows x columns of one sheet's used range
    "empty_run": 1_000,  # a gap this long ends the data: what follows is a stray
}


class Limits(namedtuple("Limits", _LIMITS, defaults=_LIMITS.values())):
    """What one input workbook may contain; beyond these it is refused or trimmed (`Limits(max_rows=2000)`)."""

    __slots__ = ()


LIMITS = Limits()


class _Record:
    """Fields set by keyword or position, compared and shown by their values (what `dataclass` gave)."""

    __slots__ = ()

    def __eq__(self, other):
        return type(other) is type(self) and all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    __hash__ = None  # mutable, as a dataclass without frozen=True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self.__slots__)})"


class SheetScan(_Record):
    """One sheet part as the pre-check read it."""

    __slots__ = ("name", "part", "state", "max_row", "max_col", "hidden_rows", "formulas_without_value",
                 "error_cells", "stray_cells", "trimmed_at")

    def __init__(self, name: str, part: str, state: str = "visible", max_row: int = 0, max_col: int = 0,
                 hidden_rows: list[int] | None = None, formulas_without_value: list[str] | None = None,
                 error_cells: list[tuple[str, str]] | None = None, stray_cells: list[str] | None = None,
                 trimmed_at: int | None = None):
        self.name = name
        self.part = part
        self.state = state  # visible | hidden | veryHidden
        self.max_row = max_row
        self.max_col = max_col
        self.hidden_rows = [] if hidden_rows is None else hidden_rows  # Excel row numbers
        self.formulas_without_value = [] if formulas_without_value is None else formulas_without_value  # "B7"
        self.error_cells = [] if error_cells is None else error_cells  # (ref, "#REF!"): read as blanks
        self.stray_cells = [] if stray_cells is None else stray_cells  # cells dropped from the reader's copy
        self.trimmed_at = trimmed_at  # last row kept when a stray far below was dropped


class Scan(_Record):
    """What the pre-check learned; `data` is a trimmed copy to read instead of the file."""

    __slots__ = ("kind", "sheets", "data", "long_text")

    def __init__(self, kind: str = "", sheets: dict[str, SheetScan] | None = None, data: bytes | None = None,
                 long_text: bool = False):
        self.kind = kind  # xlsx | xls | ods | xlsb
        self.sheets = {} if sheets is None else sheets
        self.data = data
        self.long_text = long_text  # some text is longer than a cell may hold (EXCEL_TEXT_MAX): check the values


class Refused(Exception):
    """The file must not be given to a parser; the message says why, in Vietnamese."""
