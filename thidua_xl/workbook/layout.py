"""The layout every nomination table made by the tool shares: columns, notes, dropdowns.

The master's unit sheets and the unit files from `split` are written by the same
function, so a unit sees exactly the table the Sở keeps, and `collect` can write a
returned table back without translating anything.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..catalog import AUTHORITY_LABEL, KIND_LABEL, SUBJECT_LABEL, load_catalog
from ..intake import CONFIG_SHEET, INITIATIVES_SHEET, META_SHEET, NARRATIVE_SHEET, UNITS_SHEET
from ..schema import (CATALOG_HEADERS, CATALOG_SHEET, CHECK_SHEET, GUIDE_SHEET, HISTORY_SHEET,  # noqa: F401
                      INITIATIVE_KIND_LABEL, INITIATIVE_LEVEL_LABEL, MAX_SHEET_NAME, SUMMARY_SHEET, VOTES_SHEET,
                      sheet_name_for)
from ..text import EXCEL_DATE_FORMAT
from .print_form import PRINT_SHEET

FIXED_SHEETS = (GUIDE_SHEET, CONFIG_SHEET, UNITS_SHEET, CATALOG_SHEET, INITIATIVES_SHEET, HISTORY_SHEET,
                NARRATIVE_SHEET, VOTES_SHEET, SUMMARY_SHEET, CHECK_SHEET)
RESERVED_SHEET_NAMES = {n.lower() for n in FIXED_SHEETS} | {META_SHEET.lower(), "history", PRINT_SHEET.lower()}

AWARD_LIST_NAME = "DS_HINH_THUC"  # workbook name of the catalogue's award names (dropdown source)
UNIT_CODE_NAME = "MA_DON_VI"  # workbook name of the unit code cell in a unit file
VALIDATION_ROWS = 2000  # rows below the header that carry the dropdowns
SUBJECT_CHOICES = ["Tập thể", "Cá nhân"]
GENDER_CHOICES = ["Nam", "Nữ"]
INITIATIVE_KINDS = list(INITIATIVE_KIND_LABEL.values())
INITIATIVE_LEVELS = list(INITIATIVE_LEVEL_LABEL.values())
DATE_FORMAT = EXCEL_DATE_FORMAT
FONT = "Times New Roman"


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # intake column id, None for a column intake ignores (kept as is)
    width: float
    note: str
    kind: str = "text"  # text | date | id | number


# The nomination table (docs/interface.md §2) plus the citizen ID, kept as text (leading zeros).
NOMINATION_LAYOUT: tuple[Column, ...] = (
    Column("STT", "stt", 5, "Số thứ tự (không bắt buộc)."),
    Column("Họ và tên", "ho_ten", 28, "Họ và tên cá nhân, hoặc tên tập thể (bắt buộc)."),
    Column("Ngày sinh", "ngay_sinh", 12, "Gõ ngày sinh dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 13/02/1980, "
                                          "hoặc chỉ năm sinh. Ô để dạng chữ nên máy cài đặt kiểu Mỹ cũng không "
                                          "đảo ngày và tháng. Để trống với tập thể.", "date"),
    Column("Giới tính", "gioi_tinh", 9, "Chọn Nam hoặc Nữ. Để trống với tập thể."),
    Column("Số CCCD", None, 15, "Số căn cước công dân (12 chữ số, giữ số 0 ở đầu). Không bắt buộc.", "id"),
    Column("Chức vụ", "chuc_vu", 20, "Chức vụ, chức danh (không bắt buộc)."),
    Column("Khoa, phòng", "khoa_phong", 20, "Khoa, phòng, bộ phận công tác (không bắt buộc)."),
    Column("Hình thức đề nghị", "hinh_thuc", 34, "Chọn danh hiệu hoặc hình thức khen thưởng trong danh sách "
                                                 "(bắt buộc). Mỗi dòng một hình thức."),
    Column("Đối tượng", "doi_tuong", 11, "Chọn Tập thể hoặc Cá nhân."),
    Column("Sáng kiến", "sang_kien", 30, "Tên sáng kiến, đề tài đã được công nhận (với CSTĐ)."),
    Column("Ghi chú", "ghi_chu", 20, "Ghi chú (không bắt buộc)."),
)
NOMINATION_HEADERS_ORDER = [c.header for c in NOMINATION_LAYOUT]

# The Sở's own columns, on the master's unit sheets only: the per-row result (decide.py) and a
# higher-level decision recorded on the row. `split` leaves them out, `collect` keeps their values.
ROW_RESULT_CHOICES = ["Đồng ý", "Không đồng ý", "Chuyển cấp trên"]
MASTER_COLUMNS: tuple[Column, ...] = (
    Column("Kết quả xét", "ket_qua_xet", 15, "Kết quả xét của Sở cho dòng này: Đồng ý, Không đồng ý, Chuyển cấp "
                                             "trên. Để trống: theo kết quả biểu quyết của Hội đồng cho hình thức. "
                                             "Đơn vị không thấy cột này."),
    Column("Số quyết định", "so_quyet_dinh", 16, "Số quyết định khen thưởng của cấp trên (tỉnh, Bộ, Nhà nước), "
                                                 "ghi khi đã có quyết định (thidua decisions import)."),
    Column("Ngày quyết định", "ngay_quyet_dinh", 13, "Ngày ký quyết định khen thưởng của cấp trên.", "date"),
)
MASTER_HEADERS = tuple(c.header for c in MASTER_COLUMNS)

INITIATIVE_LAYOUT: tuple[Column, ...] = (
    Column("STT", "stt", 5, "Số thứ tự."),
    Column("Tên sáng kiến, đề tài", "ten", 45, "Tên sáng kiến hoặc đề tài (bắt buộc)."),
    Column("Loại", "loai", 11, "Chọn Sáng kiến hoặc Đề tài."),
    Column("Cấp công nhận", "cap", 13, "Chọn cấp công nhận: Cơ sở, Tỉnh, Bộ, Toàn quốc."),
    Column("Tác giả", "tac_gia", 32, "Tên tác giả, đồng tác giả, cách nhau bởi dấu phẩy (bắt buộc)."),
    Column("Năm", "nam", 8, "Năm công nhận.", "number"),
    Column("Đơn vị", "don_vi", 30, "Đơn vị của tác giả."),
)

UNIT_FILE_INSTRUCTIONS = (
    "Hướng dẫn: nhập mỗi người hoặc tập thể được đề nghị trên một dòng, bắt đầu từ dòng ngay dưới tiêu đề bảng.",
    "Cột “Hình thức đề nghị”, “Đối tượng”, “Giới tính”: chọn trong danh sách (trang “Danh mục” liệt kê "
    "các hình thức). Ngày sinh gõ ngày/tháng/năm (dd/mm/yyyy, ví dụ 13/02/1980); Số CCCD gõ đủ 12 chữ số. "
    "Đề nghị Chiến sĩ thi đua: ghi tên sáng kiến ở cột “Sáng kiến” và kê các sáng kiến, đề tài đã được "
    "công nhận ở trang “Sáng kiến”.",
    "Không đổi tên trang tính, không xóa dòng tiêu đề; có thể thêm cột ghi chú ở bên phải. "
    "Lưu tệp dạng .xlsx và gửi lại cho Sở.",
)


def unit_sheet_names(unit_names: list[str], reserved: set[str] | None = None) -> list[str]:
    """Excel-legal unique sheet names (≤31 chars, none of []:*?/\\) derived from unit names."""
    used = set(RESERVED_SHEET_NAMES if reserved is None else reserved)
    used |= {a.name[:MAX_SHEET_NAME].lower() for a in load_catalog()}  # per-award sheets of `Tổng hợp`
    return [sheet_name_for(_shorten(n) or "Đơn vị", used) for n in unit_names]


def _shorten(name: str) -> str:
    """Cut a long unit name at a word boundary, so "…Bảo Thắng, tỉnh Lào Cai" does not end in ","."""
    name = " ".join(str(name).split())
    if len(name) <= MAX_SHEET_NAME:
        return name
    cut = name[:MAX_SHEET_NAME + 1].rsplit(" ", 1)[0] if " " in name[:MAX_SHEET_NAME + 1] else name
    return cut[:MAX_SHEET_NAME].rstrip(" ,;.-–")


def catalog_rows() -> list[list[str]]:
    return [[a.code, a.name, KIND_LABEL.get(a.kind, a.kind),
             " / ".join(SUBJECT_LABEL[s] for s in a.subjects), AUTHORITY_LABEL.get(a.authority, a.authority),
             ", ".join(a.aliases)] for a in load_catalog()]




class Formats:
    """XlsxWriter formats, made once per workbook."""

    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 12}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({**base, "bold": True})
        self.note = wb.add_format({**base, "italic": True, "font_size": 11, "font_color": "#595959"})
        self.head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                   "text_wrap": True, "bg_color": "#DDEBF7"})
        self.text = wb.add_format({**base, "valign": "top", "text_wrap": True})
        self.date = wb.add_format({**base, "valign": "top", "num_format": DATE_FORMAT, "align": "center"})
        self.ident = wb.add_format({**base, "valign": "top", "num_format": "@"})
        self.number = wb.add_format({**base, "valign": "top", "align": "center"})
        self.border = wb.add_format({"border": 1})
        self.label = wb.add_format({**base, "bold": True, "valign": "top", "text_wrap": True})
        self.wrap = wb.add_format({**base, "valign": "top", "text_wrap": True})
        self.locked_text = wb.add_format({**base, "valign": "top", "text_wrap": True, "locked": True})

    def for_kind(self, kind: str):
        return {"date": self.date, "id": self.ident, "number": self.number}.get(kind, self.text)

    def for_column(self, kind: str):
        """The format of the empty cells a unit types into: a birth date column is text, so no
        locale turns 05/06 into May 6 (dates already in the table keep their date format)."""
        return self.ident if kind == "date" else self.for_kind(kind)


def define_award_list(wb, catalog_sheet: str = CATALOG_SHEET) -> None:
    n = len(load_catalog().awards)
    wb.define_name(AWARD_LIST_NAME, f"='{catalog_sheet}'!$B$2:$B${n + 1}")


def write_catalog_sheet(wb, fmt: Formats, *, protect: bool) -> None:
    ws = wb.add_worksheet(CATALOG_SHEET)
    ws.write_row(0, 0, CATALOG_HEADERS, fmt.head)
    for i, row in enumerate(catalog_rows()):
        ws.write_row(i + 1, 0, row, fmt.wrap)
    for j, width in enumerate((11, 44, 22, 16, 22, 50)):
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    if protect:
        ws.protect("", {"autofilter": True, "sort": False, "select_locked_cells": True})
    define_award_list(wb)


def _cell_value(ws, r: int, c: int, value, col: Column, fmt: Formats):
    if value is None or value == "":
        return
    f = fmt.for_kind(col.kind)
    if isinstance(value, float) and value != value:  # NaN
        return
    if isinstance(value, (dt.datetime, dt.date)):
        if isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, fmt.date)
        else:
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt.date)
    elif col.kind == "date":  # a year alone or text as typed: never a number shown as a 1905 date
        ws.write_string(r, c, str(int(value)) if isinstance(value, float) and value.is_integer() else str(value),
                        fmt.text)
    elif isinstance(value, bool):
        ws.write_string(r, c, str(value), f)
    elif isinstance(value, (int, float)) and col.kind != "id":
        ws.write_number(r, c, int(value) if float(value).is_integer() else value, f)
    else:
        ws.write_string(r, c, str(int(value)) if isinstance(value, float) and value.is_integer() else str(value), f)


def write_table(ws, fmt: Formats, header_row: int, layout: tuple[Column, ...], rows: list[list],
                extra_headers: list[str] = (), text_dates: bool = False) -> None:
    """Header with input messages, column formats and the rows (0-based header_row).

    text_dates: the birth date column is text for what is typed (the unit's own file)."""
    headers = [c.header for c in layout] + list(extra_headers)
    ws.write_row(header_row, 0, headers, fmt.head)
    ws.set_row(header_row, 36)
    for j, col in enumerate(layout):
        ws.set_column(j, j, col.width, fmt.for_column(col.kind) if text_dates else fmt.for_kind(col.kind))
        ws.data_validation(header_row, j, header_row, j, {
            "validate": "any", "input_title": col.header[:32], "input_message": col.note[:255]})
    for j in range(len(layout), len(headers)):
        ws.set_column(j, j, 18, fmt.text)
    extra_col = Column("", None, 18, "")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            col = layout[j] if j < len(layout) else extra_col
            _cell_value(ws, header_row + 1 + i, j, value, col, fmt)
    # borders appear on a row as soon as it has a name: rows added later look like the rest
    last_col = len(headers) - 1
    name_col = 1
    from xlsxwriter.utility import xl_col_to_name
    ws.conditional_format(header_row + 1, 0, header_row + VALIDATION_ROWS, last_col, {
        "type": "formula", "criteria": f"=${xl_col_to_name(name_col)}{header_row + 2}<>\"\"",
        "format": fmt.border})
    ws.freeze_panes(header_row + 1, 2)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")


def _list_validation(ws, first: int, col: int, source, title: str, message: str) -> None:
    ws.data_validation(first, col, first + VALIDATION_ROWS - 1, col, {
        "validate": "list", "source": source, "ignore_blank": True,
        "input_title": title[:32], "input_message": message[:255],
        "error_type": "warning", "error_title": "Giá trị ngoài danh sách",
        "error_message": "Giá trị này không có trong danh sách. Chọn “Có” (Yes) nếu chắc chắn muốn giữ."})


def nomination_dropdowns(ws, header_row: int, master: bool = False) -> None:
    """Dropdowns on the data rows: award (catalogue names), Đối tượng, Giới tính (and Kết quả xét in a master)."""
    pos = {c.header: j for j, c in enumerate(NOMINATION_LAYOUT)}
    first = header_row + 1
    _list_validation(ws, first, pos["Hình thức đề nghị"], f"={AWARD_LIST_NAME}", "Hình thức đề nghị",
                     NOMINATION_LAYOUT[pos["Hình thức đề nghị"]].note)
    _list_validation(ws, first, pos["Đối tượng"], SUBJECT_CHOICES, "Đối tượng", "Tập thể hoặc Cá nhân.")
    _list_validation(ws, first, pos["Giới tính"], GENDER_CHOICES, "Giới tính", "Nam hoặc Nữ; trống với tập thể.")
    if master:
        _list_validation(ws, first, len(NOMINATION_LAYOUT), ROW_RESULT_CHOICES, "Kết quả xét",
                         MASTER_COLUMNS[0].note)


def initiative_dropdowns(ws, header_row: int, unit_source=None) -> None:
    pos = {c.header: j for j, c in enumerate(INITIATIVE_LAYOUT)}
    first = header_row + 1
    _list_validation(ws, first, pos["Loại"], INITIATIVE_KINDS, "Loại", "Sáng kiến hoặc Đề tài.")
    _list_validation(ws, first, pos["Cấp công nhận"], INITIATIVE_LEVELS, "Cấp công nhận",
                     "Cơ sở, Tỉnh, Bộ hoặc Toàn quốc.")
    if unit_source:
        _list_validation(ws, first, pos["Đơn vị"], unit_source, "Đơn vị", "Chọn đơn vị của tác giả.")


def write_nomination_sheet(wb, fmt: Formats, name: str, *, unit: str, year: int, rows: list[list],
                           extra_headers: list[str] = (), instructions: tuple[str, ...] = (),
                           text_dates: bool = False, master: bool = False) -> int:
    """A unit's nomination sheet; returns the 0-based header row.

    master: the sheet of a master workbook, with the Sở's own columns (MASTER_COLUMNS) after the
    unit's; rows then carry their values right after the layout's.
    """
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}", fmt.title)
    ws.write_string(1, 0, f"Đơn vị: {unit}", fmt.subtitle)
    for k, line in enumerate(instructions):
        ws.write_string(2 + k, 0, line, fmt.note)
    header_row = 3 + len(instructions)
    layout = NOMINATION_LAYOUT + MASTER_COLUMNS if master else NOMINATION_LAYOUT
    if master:
        rows = [list(r[:len(NOMINATION_LAYOUT)]) + (list(r[len(NOMINATION_LAYOUT):]) + [None] * len(MASTER_COLUMNS))[
            :len(MASTER_COLUMNS)] + list(r[len(NOMINATION_LAYOUT) + len(MASTER_COLUMNS):]) for r in rows]
    write_table(ws, fmt, header_row, layout, rows, extra_headers, text_dates)
    nomination_dropdowns(ws, header_row, master)
    return header_row


def write_initiative_sheet(wb, fmt: Formats, rows: list[list], *, title: str, unit_source=None,
                           name: str = INITIATIVES_SHEET) -> int:
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, fmt.title)
    header_row = 2
    write_table(ws, fmt, header_row, INITIATIVE_LAYOUT, rows)
    initiative_dropdowns(ws, header_row, unit_source)
    ws.freeze_panes(header_row + 1, 0)
    return header_row
