"""Add a unit to a master: a line in `Đơn vị` and the unit's own nomination sheet.

The same result as the ribbon's *Thêm đơn vị*: the new sheet has the layout every unit sheet
has (columns, notes, dropdowns); the master is backed up first and written atomically, every
other part of it (macros, ribbon, other sheets) copied as it was.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..text import clean, fold, nfc

_EMAIL = re.compile(r"^[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+$")


@dataclass
class AddedUnit:
    unit_code: str
    unit: str
    email: str
    sheet: str
    backup: Path | None


def add_unit(master: str | os.PathLike, code: str, name: str, email: str = "") -> AddedUnit:
    import xlsxwriter

    from ..fileio import backup
    from ..intake import UNITS_SHEET, read_paths
    from .layout import Formats, unit_sheet_names, write_nomination_sheet
    from .master import UNITS_HEADERS
    from .patch import SheetData, replace_sheet_rows
    from .transplant import write_sheets_into

    master = Path(master)
    code, name, email = clean(nfc(code)), clean(nfc(name)), clean(email)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if (master.parent / f"~${master.name}").exists():
        raise UserError(f"Tệp “{master.name}” đang mở trong Excel: hãy đóng tệp rồi chạy lại. Chưa ghi gì.")
    if not code or not name:
        raise UserError("Cần cả mã đơn vị và tên đơn vị.")
    for addr in [a for a in re.split(r"[;,\s]+", email) if a]:
        if not _EMAIL.match(addr):
            raise UserError(f"Email không hợp lệ: “{addr}”.")
    intake = read_paths([master])
    rep = intake.files[0] if intake.files else None
    if rep is None or UNITS_SHEET not in rep.sheets and rep.kind != "master":
        raise UserError(f"“{master.name}” không phải tệp tổng hợp (không có trang “{UNITS_SHEET}”).")
    units = intake.units
    if fold(code) in {fold(c) for c in units["unit_code"]}:
        raise UserError(f"Mã đơn vị “{code}” đã có trong trang “{UNITS_SHEET}”.")
    if fold(name) in {fold(n) for n in units["unit"]}:
        raise UserError(f"Đơn vị “{name}” đã có trong trang “{UNITS_SHEET}”.")
    sheet = unit_sheet_names([name], {s.lower() for s in rep.sheets} |
                             {s.lower() for s in units["sheet"] if s})[0]
    rows = [[c, n, e, s] for c, n, e, s in zip(units["unit_code"], units["unit"], units["email"], units["sheet"])]
    rows.append([code, name, email, sheet])
    year = intake.year or 0
    with tempfile.TemporaryDirectory(prefix="thidua-don-vi-") as tmp:
        src = Path(tmp) / "don-vi.xlsx"
        wb = xlsxwriter.Workbook(str(src), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        write_nomination_sheet(wb, Formats(wb), sheet, unit=name, year=year, rows=[])
        wb.close()
        saved = backup(master)
        replace_sheet_rows(master, {UNITS_SHEET: SheetData(1, UNITS_HEADERS, rows)})
        write_sheets_into(master, src, [sheet], make_backup=False)
    return AddedUnit(code, name, email, sheet, saved)
