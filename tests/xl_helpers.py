"""xlwings' own objects for the ribbon tests: its remote engine (`xw.Book(json=payload)`) serves the
desktop API in memory and records every write. The payload is built from a real workbook read back
with calamine, as Excel would send it. The remote engine is PolyForm-Noncommercial xlwings PRO code:
the licence key is set for the tests only; the product's runtime path is the BSD desktop engine.
"""
from __future__ import annotations

import datetime as dt
import os

import pandas as pd

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw  # noqa: E402

UNITS = pd.DataFrame({
    "unit_code": ["BVDK", "TTYT-BT", "CDC"],
    "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế huyện Bảo Thắng", "Trung tâm Kiểm soát bệnh tật tỉnh"],
    "email": ["bvdk@example.vn", "bt@example.vn", "cdc@example.vn"],
})
AWARDS = ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giấy khen", "Bằng khen UBND tỉnh"]


def nominations(n: int) -> pd.DataFrame:
    """n nominees spread over the units and four awards, plus two broken rows (no name, unknown award)."""
    rows = []
    for i in range(n):
        rows.append({"unit_code": UNITS["unit_code"][i % 3], "ho_ten": f"Nguyễn Văn Người {i}",
                     "ngay_sinh": dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "gioi_tinh": "Nam" if i % 2 else "Nữ",
                     "hinh_thuc": AWARDS[i % 4]})
    rows.append({"unit_code": "BVDK", "ho_ten": "", "ngay_sinh": dt.date(1980, 1, 1), "gioi_tinh": "Nam",
                 "hinh_thuc": "Lao động tiên tiến"})
    rows.append({"unit_code": "CDC", "ho_ten": "Trần Thị Lạ", "ngay_sinh": dt.date(1981, 1, 1), "gioi_tinh": "Nữ",
                 "hinh_thuc": "Huy hiệu không có"})
    return pd.DataFrame(rows)


def _json_value(v):
    if v == "" or v is None:
        return None
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return v


def payload_of(path, name: str = "ThiDua.xlsm") -> dict:
    """What the VBA client of xlwings would send for this workbook (every sheet's used cells)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    sheets = []
    for sheet_name in wb.sheet_names:
        rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False) or [[None]]
        width = max(len(r) for r in rows) or 1
        values = [[_json_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        sheets.append({"name": sheet_name, "values": values, "pictures": [], "tables": []})
    return {"client": "VBA", "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def actions(book, func=None):
    acts = book.json()["actions"]
    return [a for a in acts if func is None or a["func"] == func]


def sheet_index(book, name):
    return [s.name for s in book.sheets].index(name)


def written(book, name):
    """The blocks written to sheet `name`, as (start_row, start_col, values)."""
    i = sheet_index(book, name)
    return [(a["start_row"], a["start_column"], a["values"]) for a in actions(book, "setValues")
            if a["sheet_position"] == i]


def alert(book):
    (a,) = actions(book, "alert")
    return a["args"][0], a["args"][3]


def payload_of_small():
    return {"client": "VBA", "version": xw.__version__,
            "book": {"name": "Khac.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
            "sheets": [{"name": "Sheet1", "values": [["a", 1]], "pictures": [], "tables": []}]}
