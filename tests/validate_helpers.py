"""Small real unit workbooks for the validation, rules and history tests.

A unit file has the layout units really send: a `Đơn vị:` title row, a title,
a blank row, the header on row 4, nominees from Excel row 5 on. Rows are dicts
keyed by header, so a test only writes the cells it cares about.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị",
           "Sáng kiến", "Ghi chú"]
FIRST_ROW = 5  # Excel row of the first nominee
INIT_HEADERS = ["Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm"]


def person(name, award, dob="13/02/1980", gender="Nam", **extra) -> dict:
    row = {"Họ và tên": name, "Hình thức đề nghị": award, "Ngày sinh": dob, "Giới tính": gender}
    row.update({k.replace("_", " "): v for k, v in extra.items()})
    return row


def collective(name, award, **extra) -> dict:
    row = {"Họ và tên": name, "Hình thức đề nghị": award}
    row.update(extra)
    return row


def write_unit(path, unit: str, rows: list[dict], *, year: int = 2020, headers=HEADERS,
               initiatives: list[list] | None = None, font: str | None = None) -> Path:
    """A unit workbook: title rows, header row 4, one nominee per row from row 5, optional Sáng kiến sheet."""
    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề nghị"
    ws.append([f"Đơn vị: {unit}"])
    ws.append([f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}"])
    ws.append([])
    ws.append(list(headers))
    for i, r in enumerate(rows, start=1):
        ws.append([r.get(h, i if h == "STT" else None) for h in headers])
    if font:
        for row in ws.iter_rows(min_row=FIRST_ROW):
            for cell in row:
                cell.font = Font(name=font)
    if initiatives is not None:
        s = wb.create_sheet("Sáng kiến")
        s.append(INIT_HEADERS)
        for r in initiatives:
            s.append(r)
    wb.save(path)
    return path


def write_table(path, headers: list[str], rows: list[list], sheet: str = "Lịch sử") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return Path(path)


def where(findings, code=None, severity=None) -> set[tuple]:
    """{(file, row)} of the findings with that code (and severity)."""
    return {(f.file, f.row) for f in findings
            if (code is None or f.code == code) and (severity is None or f.severity == severity)}


def codes_at(findings, file, row) -> set[str]:
    return {f.code for f in findings if f.file == file and f.row == row}


def errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


def ldtt_rows(n: int, prefix: str = "Cán bộ") -> list[dict]:
    """n distinct LĐTT nominees, enough to keep a CSTĐCS within its 15% quota."""
    names = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam",
             "Phong", "Quang", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến", "Đạt", "Thảo"]
    return [person(f"{prefix} {names[i]}", "Lao động tiên tiến", dob=f"0{1 + i % 9}/03/198{i % 10}") for i in range(n)]
