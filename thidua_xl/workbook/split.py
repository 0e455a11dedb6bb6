"""`thidua split`: one workbook per unit, ready to email, that comes back readable.

Each file carries its unit's code twice (a hidden `_thidua` sheet that intake reads,
and the workbook name MA_DON_VI for macros), the unit's current rows, the same
dropdowns and header notes as the master, and the catalogue on a protected sheet.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import UserError
from ..names import MAX_CODE_LENGTH, unit_file_name  # noqa: F401  (split's names, re-exported)
from ..fileio import atomic_path
from ..intake import META_SHEET, read_paths
from .layout import (UNIT_CODE_NAME, UNIT_FILE_INSTRUCTIONS, Formats, write_catalog_sheet, write_initiative_sheet,
                     write_nomination_sheet)
from .ledger import SOURCE_HEADERS
from .layout import NOMINATION_LAYOUT
from .rows import UnitTable, initiative_rows_from_frame, unit_tables

from ..schema import UNIT_FILE_SHEET  # noqa: E402,F401


def unit_file_names(codes: list[str]) -> dict[str, str]:
    """{code: file name} for every unit, refusing two units that would share one file."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for code in codes:
        name = unit_file_name(code)
        if name.lower() in seen:
            raise UserError(f"Hai đơn vị “{seen[name.lower()]}” và “{code}” cho cùng một tên tệp “{name}”: hãy sửa "
                            "mã đơn vị trong trang “Đơn vị”. Chưa ghi gì.")
        seen[name.lower()] = code
        out[code] = name
    return out


def write_unit_file(path: str | os.PathLike, *, code: str, unit: str, year: int, table: UnitTable | None = None,
                    initiatives: list[list] | None = None) -> Path:
    """One unit's workbook (atomic)."""
    import xlsxwriter

    path = Path(path)
    table = table or UnitTable()
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"title": f"Đề nghị khen thưởng năm {year} – {unit}", "comments": "thidua_xl"})
        fmt = Formats(wb)
        write_nomination_sheet(wb, fmt, UNIT_FILE_SHEET, unit=unit, year=year, rows=table.rows,
                               extra_headers=table.extra_headers, instructions=UNIT_FILE_INSTRUCTIONS,
                               text_dates=True)
        ws = wb.get_worksheet_by_name(UNIT_FILE_SHEET)
        ws.activate()
        write_initiative_sheet(wb, fmt, initiatives or [], title=f"SÁNG KIẾN, ĐỀ TÀI ĐƯỢC CÔNG NHẬN – {unit}")
        write_catalog_sheet(wb, fmt, protect=True)
        meta = wb.add_worksheet(META_SHEET)
        meta.write_row(0, 0, ["ma_don_vi", code])
        meta.write_row(1, 0, ["ten_don_vi", unit])
        meta.write_row(2, 0, ["nam", str(year)])
        meta.hide()
        meta.protect("")
        wb.define_name(UNIT_CODE_NAME, f"='{META_SHEET}'!$B$1")
        wb.close()
    return path


def without_source(table: UnitTable | None) -> UnitTable | None:
    """A master table without the hidden source columns the master keeps for itself."""
    if table is None or not set(SOURCE_HEADERS) & set(table.extra_headers):
        return table
    n = len(NOMINATION_LAYOUT)
    keep = [i for i, h in enumerate(table.extra_headers) if h not in SOURCE_HEADERS]
    return UnitTable([table.extra_headers[i] for i in keep],
                     [row[:n] + [row[n + i] if n + i < len(row) else None for i in keep] for row in table.rows])


def split_master(master: str | os.PathLike, out_dir: str | os.PathLike, *, year: int | None = None) -> list[Path]:
    """Write `<Mã đơn vị>.xlsx` for every unit of the master into out_dir; returns the files written."""
    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    intake = read_paths([master], keep_rows=True)
    bad = [f.message for f in intake.findings if f.code == "BAD_FILE"]
    report = intake.files[0] if intake.files else None
    if report is not None and "Đơn vị" in report.sheets and (report.kind != "master" or intake.units.empty):
        raise UserError(f"Trang “Đơn vị” của “{master.name}” chưa có đơn vị nào: hãy điền mã, tên, email "
                        "của các đơn vị rồi chạy lại.")
    if report is None or report.kind != "master":
        raise UserError(f"“{master.name}” không phải tệp tổng hợp: " + (" ".join(bad) if bad else
                        "không có trang “Đơn vị” với các cột “Mã đơn vị”, “Tên đơn vị”."))
    y = year or intake.year
    if not y:
        raise UserError(f"Trang “Cấu hình” của “{master.name}” chưa ghi năm (dòng “Năm”).")
    tables = unit_tables(intake.nominations, intake.raw_rows)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    inits = intake.initiatives
    written: list[Path] = []
    names = unit_file_names(list(intake.units["unit_code"]))
    for name in names.values():
        if (out_dir / name).exists() and os.path.samefile(out_dir / name, master):
            raise UserError(f"Tệp đơn vị “{name}” sẽ ghi đè lên chính tệp tổng hợp “{master.name}”: hãy tách ra "
                            "một thư mục khác. Chưa ghi gì.")
    for code, unit in zip(intake.units["unit_code"], intake.units["unit"]):
        name = names[code]
        mine = inits[inits["unit_code"] == code] if not inits.empty else pd.DataFrame()
        rows = initiative_rows_from_frame(mine, {code: unit}) if len(mine) else []
        table = without_source(tables.get(code))
        written.append(write_unit_file(out_dir / name, code=code, unit=unit, year=int(y),
                                       table=table.without_master_columns() if table else None, initiatives=rows))
    return written
