"""Fixtures shared by the workbook tests: a small Sở, filled unit files, an .xlsm with a ribbon."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.split import UNIT_FILE_SHEET

UNITS = pd.DataFrame({
    "unit_code": ["BVDK", "TTYT-BT", "TTYT-SP", "CDC"],
    "unit": ["Bệnh viện Đa khoa tỉnh Lào Cai", "Trung tâm Y tế huyện Bảo Thắng, tỉnh Lào Cai",
             "Trung tâm Y tế thị xã Sa Pa", "Trung tâm Kiểm soát bệnh tật tỉnh"],
    "email": ["bvdk@example.vn", "bt@example.vn", "sp@example.vn", "cdc@example.vn"],
})

# what each unit types: (Họ và tên, Ngày sinh, Giới tính, CCCD, Chức vụ, Khoa phòng, Hình thức, Đối tượng)
FILLED = {
    "BVDK": [
        ("Nguyễn Văn An", dt.datetime(1980, 2, 13), "Nam", "001080000123", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến", ""),
        ("Trần Thị Bình", "05/06/1985", "Nữ", "", "Điều dưỡng", "Khoa Ngoại", "LĐTT", ""),
        ("Lê Văn Cường", 1975, "Nam", "", "Trưởng khoa", "Khoa Nhi", "CSTĐCS", ""),
        ("Khoa Hồi sức & Cấp cứu", None, "", "", "", "", "Tập thể lao động tiên tiến", "Tập thể"),
        ("Khoa Dược", None, "", "", "", "", "Giấy khen", "Tập thể"),
    ],
    "TTYT-BT": [
        ("Phạm Thị Dung", dt.datetime(1990, 12, 1), "Nữ", "", "Y sĩ", "Trạm Y tế xã", "Lao động tiên tiến", ""),
        ("Hoàng Văn Em", dt.datetime(1970, 1, 5), "Nam", "", "Giám đốc", "Ban Giám đốc", "Bằng khen UBND tỉnh", "Cá nhân"),
    ],
}


def make_master(path: Path, year: int = 2025, **kw) -> Path:
    return create_master(path, year, UNITS, **kw)


def fill_unit_file(path: Path, rows, extra_header: str | None = None) -> None:
    """Type rows into a split file below its header, as a unit would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[UNIT_FILE_SHEET]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Họ và tên")
    if extra_header:
        ws.cell(header, 12, extra_header)
    for i, (name, dob, gender, cccd, cv, kp, award, subject) in enumerate(rows):
        r = header + 1 + i
        values = [i + 1, name, dob, gender, cccd, cv, kp, award, subject, None, None]
        for j, v in enumerate(values):
            if v not in (None, ""):
                ws.cell(r, j + 1, v)
        if extra_header:
            ws.cell(r, 12, f"ghi thêm {i + 1}")
    wb.save(path)


LIST_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị"]


def numbered_unit_file(path: Path, unit: str, rows: list[tuple], *, year: int, extra: tuple[str, ...] = ()) -> Path:
    """A unit's list on sheet `Đề nghị`: `Đơn vị:` line, title with the year, header, rows numbered from 1.

    `extra` headers follow `Hình thức đề nghị` (a master's `Kết quả xét`, …); each row gives their values.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề nghị"
    ws.append([f"Đơn vị: {unit}"])
    ws.append([f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}"])
    ws.append([*LIST_HEADER, *extra])
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    wb.save(path)
    return path


def external_unit_file(path: Path, unit_title: str | None, rows) -> Path:
    """A unit's own file (not from split): title rows, its own column order, a totals row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS de nghi"
    ws.append(["SỞ Y TẾ LÀO CAI"])
    if unit_title:
        ws.append([f"ĐƠN VỊ: {unit_title}"])
    ws.append(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025"])
    ws.append([])
    ws.append(["TT", "Hình thức khen thưởng", "Họ và tên / Tên tập thể", "Năm sinh", "Nam/Nữ", "Chức vụ, chức danh"])
    ws.append(["I", None, "CÁ NHÂN"])
    for i, (name, dob, gender, _cccd, cv, _kp, award, _subject) in enumerate(rows):
        ws.append([i + 1, award, name, dob, gender, cv])
    ws.append([None, None, f"Tổng cộng: {len(rows)}"])
    wb.save(path)
    return path


CUSTOM_UI = (b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
             b'<tab id="thidua" label="Thi \xc4\x91ua"><group id="g" label="Nh\xe1\xba\xadp">'
             b'<button id="b" label="Collect" onAction="OnCollect"/></group></tab></tabs></ribbon></customUI>')
VBA_BIN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # placeholder, bytes must survive


def make_xlsm_with_ribbon(path: Path, year: int = 2025) -> Path:
    """A master .xlsm carrying a vbaProject.bin and a customUI14.xml ribbon, as the add-in build makes."""
    src = path.with_suffix(".plain.xlsm")
    make_master(src, year)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'))
            elif info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/relationships/'
                    b'ui/extensibility" Target="customUI/customUI14.xml"/></Relationships>'))
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>'))
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", VBA_BIN)
        zout.writestr("customUI/customUI14.xml", CUSTOM_UI)
    src.unlink()
    return path


def to_cp1258(text: str) -> bytes:
    """Encode as Excel on a Vietnamese Windows does: base letter + combining tone where needed."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + "".join(c for c in d if c in tones).encode("cp1258")
    return out


def write_sheets(path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None):
    """A workbook of the given sheets' rows from A1 (merged ranges per sheet), as a unit or system might send it."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path
