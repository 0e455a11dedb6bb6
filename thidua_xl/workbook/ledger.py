"""What the master remembers of the units' files: the `Nhận tệp` sheet and each row's source.

`collect` appends one line per unit file it takes in (when, which file, how many rows, whether
the file replaced the unit's list or added to it), so `status` can say who has sent and who has
not. Each row a unit file brings keeps, in two hidden columns of the unit's sheet, the file and
the Excel row it came from, so `feedback` can point a unit at a row of its own file.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..text import DATE_TEXT, clean, fold, time_text

from ..schema import LEDGER_HEADERS, LEDGER_SHEET, SOURCE_FILE, SOURCE_HEADERS, SOURCE_ROW  # noqa: E402,F401
LEDGER_WIDTHS = (19, 14, 40, 30, 12, 12, 12, 60)
REPLACE = "Thay thế"
SUPPLEMENT = "Bổ sung"
TIME_FORMAT = DATE_TEXT + " %H:%M:%S"  # read back by strptime


@dataclass(frozen=True)
class Receipt:
    """One unit file taken into the master."""

    at: dt.datetime
    unit_code: str
    unit: str
    file: str
    rows_in_file: int
    rows_after: int
    mode: str = REPLACE
    path: str = ""  # where the file was when it was taken in (feedback copies it from there)

    def row(self) -> list:
        return [time_text(self.at, seconds=True), self.unit_code, self.unit, self.file, self.rows_in_file,
                self.rows_after, self.mode, self.path]


def _int(value) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _time(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.strptime(clean(value), TIME_FORMAT)
    except ValueError:
        return None


def receipts_from_rows(rows: list[list]) -> list[Receipt]:
    """The ledger's lines from its raw cells (header found by its names, anywhere in the first rows)."""
    want = [fold(h) for h in LEDGER_HEADERS]
    for i, row in enumerate(rows[:10]):
        names = [fold(clean(c)) for c in row]
        if all(w in names for w in want[:4]):
            pos = {w: names.index(w) for w in want if w in names}
            out = []
            for r in rows[i + 1:]:
                get = (lambda w: r[pos[w]] if w in pos and pos[w] < len(r) else None)
                at = _time(get(want[0]))
                code = clean(get(want[1]))
                if at is None or not code:
                    continue
                out.append(Receipt(at, code, clean(get(want[2])), clean(get(want[3])), _int(get(want[4])),
                                   _int(get(want[5])), clean(get(want[6])) or REPLACE, clean(get(want[7]))))
            return out
    return []


def read_receipts(master: str | os.PathLike) -> list[Receipt]:
    """Every line of the master's `Nhận tệp` sheet (none when the master has no such sheet)."""
    import python_calamine as pc

    try:  # the master was read (and checked) by intake already: open just this one small sheet
        wb = pc.CalamineWorkbook.from_path(str(master))
    except Exception:  # noqa: BLE001 - an unreadable master: intake says why, here nothing was received
        return []
    try:
        if LEDGER_SHEET not in wb.sheet_names:
            return []
        rows = wb.get_sheet_by_name(LEDGER_SHEET).to_python(skip_empty_area=False)
    finally:
        wb.close()
    return receipts_from_rows(rows or [])


def last_receipts(receipts: list[Receipt]) -> dict[str, Receipt]:
    """unit_code -> its latest receipt."""
    out: dict[str, Receipt] = {}
    for r in sorted(receipts, key=lambda r: r.at):
        out[r.unit_code] = r
    return out


def write_ledger_sheet(wb, fmt, receipts: list[Receipt]) -> None:
    """The `Nhận tệp` sheet, header on row 1 (XlsxWriter)."""
    ws = wb.add_worksheet(LEDGER_SHEET)
    ws.write_row(0, 0, LEDGER_HEADERS, fmt.head)
    for i, rec in enumerate(receipts):
        ws.write_row(i + 1, 0, rec.row(), fmt.text)
    for j, w in enumerate(LEDGER_WIDTHS):
        ws.set_column(j, j, w, fmt.text)
    ws.freeze_panes(1, 0)


def add_ledger_sheet(master: Path, receipts: list[Receipt]) -> None:
    """Give a master made before the ledger existed its `Nhận tệp` sheet (no backup: the caller made one)."""
    import tempfile

    import xlsxwriter

    from .layout import Formats
    from .transplant import write_sheets_into

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "nhan-tep.xlsx"
        wb = xlsxwriter.Workbook(str(src))
        write_ledger_sheet(wb, Formats(wb), receipts)
        wb.close()
        write_sheets_into(master, src, [LEDGER_SHEET], make_backup=False)
