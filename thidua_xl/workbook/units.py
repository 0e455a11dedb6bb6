"""The list of units given to `thidua init --units FILE` (.xlsx or .csv).

Columns `Mã đơn vị`, `Tên đơn vị`, `Email` (same header tolerance as the nomination
table). CSV files saved by Excel on a Vietnamese Windows are often Windows-1258,
not UTF-8: they are decoded with a warning instead of failing or garbling names.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError
from ..intake import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, find_table
from ..intake.lists import CSV_SUFFIXES, WORKBOOK_LIST_SUFFIXES, read_list_rows
from ..text import clean, fold

UNIT_COLUMNS = ["unit_code", "unit", "email"]


@dataclass
class UnitList:
    units: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


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
    from ..text import printable
    from ..names import MAX_CODE_LENGTH

    for c in df["unit_code"]:
        c = str(c)
        if len(c) > MAX_CODE_LENGTH:
            raise UserError(f"{name}: mã đơn vị “{printable(c[:40])}…” dài {len(c)} ký tự (tối đa {MAX_CODE_LENGTH}): "
                            "mã đơn vị là tên tệp của đơn vị, hãy dùng mã ngắn.")
        if printable(c) != c:
            raise UserError(f"{name}: mã đơn vị “{printable(c)}” có ký tự điều khiển (không nhìn thấy): hãy gõ lại mã.")


def read_units(path: str | os.PathLike) -> UnitList:
    """Read the units file; raises UserError with a Vietnamese message when it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp danh sách đơn vị “{path}”.")
    if path.suffix.lower() in CSV_SUFFIXES + WORKBOOK_LIST_SUFFIXES:
        rows, warnings = read_list_rows(path, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, label="danh sách đơn vị")
        return UnitList(units_from_rows(rows, path.name), warnings)
    raise UserError(f"Tệp danh sách đơn vị “{path.name}” phải là .xlsx hoặc .csv.")
