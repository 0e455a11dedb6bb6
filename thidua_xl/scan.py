"""What the safety pre-check answers, and the limits it holds every workbook to.

Apart from `safety` (the scanning itself), so that a process whose files a child process checked
(intake.checker) reads the answers, and the limits, without importing the scan's patterns and the XML
parser it never runs (~9 ms of the interpreter lock at start, on every command that reads 16 files or more).
"""
from __future__ import annotations

from dataclasses import dataclass, field

EXCEL_TEXT_MAX = 32_767  # characters one cell holds; longer text is cut by Excel, and by every writer here


@dataclass(frozen=True)
class Limits:
    """What one input workbook may contain; beyond these it is refused or trimmed."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_uncompressed: int = 400 * 1024 * 1024  # all parts together, actually inflated
    max_ratio: int = 200  # inflated / compressed, for parts over ratio_floor
    ratio_floor: int = 20 * 1024 * 1024
    max_rows: int = 300_000  # per sheet, after trimming stray cells
    max_cols: int = 500  # columns beyond are dropped (stray cells at XFD…)
    max_cells: int = 10_000_000  # rows x columns of one sheet's used range
    empty_run: int = 1_000  # a gap this long ends the data: what follows is a stray


LIMITS = Limits()


@dataclass
class SheetScan:
    name: str
    part: str
    state: str = "visible"  # visible | hidden | veryHidden
    max_row: int = 0
    max_col: int = 0
    hidden_rows: list[int] = field(default_factory=list)  # Excel row numbers
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs, e.g. "B7"
    error_cells: list[tuple[str, str]] = field(default_factory=list)  # (ref, "#REF!"): read as blanks
    stray_cells: list[str] = field(default_factory=list)  # cells dropped from the reader's copy
    trimmed_at: int | None = None  # last row kept when a stray far below was dropped


@dataclass
class Scan:
    """What the pre-check learned; `data` is a trimmed copy to read instead of the file."""

    kind: str = ""  # xlsx | xls | ods | xlsb
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    data: bytes | None = None
    long_text: bool = False  # some text is longer than a cell may hold (EXCEL_TEXT_MAX): check the values


class Refused(Exception):
    """The file must not be given to a parser; the message says why, in Vietnamese."""
