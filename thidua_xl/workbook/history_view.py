"""The master's `Lịch sử` sheet: a read-only view of the awards register (SQLite).

Validation reads the register itself; the sheet is there so the officer can look a
person up in Excel. It is rewritten whole from the register, like the units' sheets
by `collect`: backup first, only that sheet's rows change.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..catalog import SUBJECT_LABEL, load_catalog
from ..errors import UserError
from ..fileio import backup
from .layout import HISTORY_SHEET
from .master import HISTORY_HEADERS
from .patch import SheetData, replace_sheet_rows, sheet_parts

HISTORY_HEADER_ROW = 3


def history_rows(db: str | os.PathLike, people: set[str] | None = None) -> list[list]:
    """Register records, newest year first, as rows of the `Lịch sử` sheet (people: only these name keys)."""
    from .. import store
    from ..history import records as register_records

    if not store.exists(db):
        raise UserError(f"Không tìm thấy sổ lịch sử “{db}”.")
    names = {a.code: a.name for a in load_catalog()}
    records = register_records(db, people)
    rows = []
    for ho_ten, ngay_sinh, nam_sinh, don_vi, nam, award, hinh_thuc, so_qd, subject in records:
        born: object = ngay_sinh or (str(nam_sinh) if nam_sinh else None)
        if isinstance(born, str) and len(born) == 10 and born[4] == "-":
            try:
                born = dt.date.fromisoformat(born)
            except ValueError:
                pass
        rows.append([ho_ten, born, don_vi or None, int(nam), names.get(award, hinh_thuc or award), so_qd or None,
                     SUBJECT_LABEL.get(subject)])
    return rows


def write_history_sheet(master: str | os.PathLike, db: str | os.PathLike, *,
                        backup_dir: str | os.PathLike | None = None, people: set[str] | None = None) -> int:
    """Rewrite the master's `Lịch sử` rows from the register (people: only these name keys, the master's
    nominees); returns the number of rows written."""
    import zipfile

    master = Path(master)
    with zipfile.ZipFile(master) as z:
        if HISTORY_SHEET not in sheet_parts(z):
            raise UserError(f"“{master.name}” không có trang “{HISTORY_SHEET}”.")
    rows = history_rows(db, people)
    backup(master, backup_dir)
    replace_sheet_rows(master, {HISTORY_SHEET: SheetData(HISTORY_HEADER_ROW, HISTORY_HEADERS, rows,
                                                         text_headers=("Ngày sinh",))})
    return len(rows)
