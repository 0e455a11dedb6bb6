"""The list of units given to `thidua init --units FILE` (.xlsx or .csv).

Columns `Mã đơn vị`, `Tên đơn vị`, `Email` (same header tolerance as the nomination
table). CSV files saved by Excel on a Vietnamese Windows are often Windows-1258,
not UTF-8: they are decoded with a warning instead of failing or garbling names.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError
from ..intake import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, find_table, open_workbook, sheet_rows
from ..text import clean, fold

UNIT_COLUMNS = ["unit_code", "unit", "email"]


@dataclass
class UnitList:
    units: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def decode_csv(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else Windows-1258, else Windows-1252, with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for enc, label in (("cp1258", "Windows-1258 (tiếng Việt)"), ("cp1252", "Windows-1252")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, [f"Tệp “{name}” không phải UTF-8; đã đọc theo bảng mã {label}. Hãy kiểm tra dấu tiếng Việt "
                      "của tên đơn vị, hoặc lưu lại tệp bằng Excel dạng “CSV UTF-8”."]
    raise UserError(f"Không đọc được tệp “{name}”: không phải văn bản UTF-8 hay Windows-1258. "
                    "Hãy mở tệp bằng Excel và lưu lại dạng “CSV UTF-8 (Comma delimited)”.")


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path) -> list[list]:
    wb, reason = open_workbook(path)
    if wb is None:
        raise UserError(f"Không đọc được danh sách đơn vị “{path.name}”: {reason}.")
    try:
        for name in wb.sheet_names:
            rows = sheet_rows(wb, name)[0]
            if find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED) is not None:
                return rows
        return sheet_rows(wb, wb.sheet_names[0])[0] if wb.sheet_names else []
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001
            pass


def units_from_rows(rows: list[list], name: str) -> pd.DataFrame:
    table = find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)
    if table is None:
        raise UserError(f"Tệp “{name}” không có bảng đơn vị: cần dòng tiêu đề có các cột “Mã đơn vị”, "
                        "“Tên đơn vị” (và “Email”).")
    col = {UNIT_LIST_HEADERS[c][0]: j for j, c in table.columns.items()}
    recs = []
    for r in rows[table.header_idx + 1:]:
        get = lambda k: clean(r[col[k]]) if k in col and col[k] < len(r) else ""  # noqa: E731
        code, unit, email = get("unit_code"), get("unit"), get("email")
        if not code and not unit:
            continue
        if not code or not unit:
            raise UserError(f"Tệp “{name}”: đơn vị “{unit or code}” thiếu "
                            f"{'mã đơn vị' if not code else 'tên đơn vị'}.")
        recs.append({"unit_code": code, "unit": unit, "email": email})
    df = pd.DataFrame.from_records(recs, columns=UNIT_COLUMNS)
    check_units(df, name)
    return df


def check_units(df: pd.DataFrame, name: str = "danh sách đơn vị") -> None:
    """Codes are the units' identity (file names, attribution): unique and non-empty."""
    folded = [fold(c) for c in df["unit_code"]]
    dup = sorted({c for c, f in zip(df["unit_code"], folded) if folded.count(f) > 1})
    if dup:
        raise UserError(f"{name}: mã đơn vị bị trùng: {', '.join(dup)}. Mỗi đơn vị cần một mã riêng.")
    if any(not clean(c) for c in df["unit_code"]):
        raise UserError(f"{name}: có đơn vị không có mã đơn vị.")


def read_units(path: str | os.PathLike) -> UnitList:
    """Read the units file; raises UserError with a Vietnamese message when it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp danh sách đơn vị “{path}”.")
    if path.suffix.lower() in (".csv", ".txt"):
        text, warnings = decode_csv(path.read_bytes(), path.name)
        df = units_from_rows(_csv_rows(text), path.name)
        return UnitList(df, warnings)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return UnitList(units_from_rows(_xlsx_rows(path), path.name))
    raise UserError(f"Tệp danh sách đơn vị “{path.name}” phải là .xlsx hoặc .csv.")
