"""Cell contents no output may carry as they came: error values and over-long text.

Both are invisible in the values a reader returns (an error cell reads as a blank, a
million-character name reads as a name), so they are found from what the raw pre-check
saw (`safety.Scan`) and turned into findings pointing at the file, sheet and cell.
"""
from __future__ import annotations

import re
from pathlib import Path

from .model import ERROR, WARNING, Finding
from .scan import EXCEL_TEXT_MAX
from .schema import COLUMN_HEADER

_REF = re.compile(r"([A-Z]+)(\d+)")

# what the nomination frame's columns are called on the sheet, for the messages
_HEADERS = COLUMN_HEADER


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def error_cell_findings(path: Path, scan, header_rows: dict[str, int], unit: str = "") -> list[Finding]:
    """An error value (#REF!, #VALUE!, #N/A…) below the header of a table that was read: it would count as blank."""
    out = []
    for s in (scan.sheets.values() if scan else ()):
        header = header_rows.get(s.name)
        if not header or not s.error_cells:
            continue
        hits = [(ref, v) for ref, v in s.error_cells if (m := _REF.fullmatch(ref)) and int(m.group(2)) > header]
        if not hits:
            continue
        cells = ", ".join(f"{ref} ({v})" for ref, v in hits[:10]) + (" …" if len(hits) > 10 else "")
        out.append(Finding(
            "CELL_ERROR", ERROR,
            f"Trang tính “{s.name}” của tệp “{path.name}” có {len(hits)} ô báo lỗi công thức: {cells}. Các ô này "
            "không có giá trị (đọc ra là ô trống), nên dòng đề nghị có thể thiếu thông tin. Hãy sửa công thức hoặc "
            "gõ giá trị rồi gửi lại.", file=path.name, sheet=s.name, row=int(_REF.fullmatch(hits[0][0]).group(2)),
            unit=unit or None))
    return out


def truncate_long_text(path: Path, parts: list[dict[str, list]], unit: str = "") -> list[Finding]:
    """Cut text longer than a cell holds (Excel's 32,767 characters) in the frames read, one finding per cell."""
    out = []
    for data in parts:
        rows = data.get("row") or []
        sheet = (data.get("sheet") or [""])[0]
        for key, values in data.items():
            if key in ("row", "sheet", "file", "path") or not isinstance(values, list):
                continue
            for i, v in enumerate(values):
                if v.__class__ is str and len(v) > EXCEL_TEXT_MAX:
                    values[i] = v[:EXCEL_TEXT_MAX]
                    out.append(Finding(
                        "TEXT_TOO_LONG", WARNING,
                        f"Ô “{_HEADERS.get(key, key)}” ở dòng {rows[i] if i < len(rows) else '?'} của tệp “{path.name}” "
                        f"dài {_n(len(v))} ký tự, quá giới hạn một ô Excel ({_n(EXCEL_TEXT_MAX)}): đã cắt còn "
                        f"{_n(EXCEL_TEXT_MAX)} ký tự đầu. Hãy kiểm tra lại ô này.",
                        file=path.name, sheet=sheet or None, row=rows[i] if i < len(rows) else None,
                        column=_HEADERS.get(key, key), unit=unit or None))
    return out
