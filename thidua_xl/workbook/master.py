"""The master workbook: where the Sở's TĐKT officer works all year.

Written in one pass with XlsxWriter (fast, and it writes dropdowns, input messages,
print setup and protection natively). Sheet order follows the year's cycle: guide,
settings, units, catalogue, one sheet per unit, initiatives, history, narrative,
votes, then the sheets the tool fills.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Callable

import pandas as pd

from ..catalog import load_catalog
from ..config import CONFIG_FIELDS, NARRATIVE_FIELDS
from ..errors import UserError
from ..fileio import atomic_path
from ..intake import CONFIG_SHEET, NARRATIVE_SHEET, UNITS_SHEET
from ..text import clean, nfc
from .layout import (CHECK_SHEET, GUIDE_SHEET, HISTORY_SHEET, SUMMARY_SHEET, VOTES_SHEET, Formats,
                     unit_sheet_names, write_catalog_sheet, write_initiative_sheet, write_nomination_sheet)
from .rows import initiative_rows_from_frame, nomination_rows_from_frame
from .ledger import write_ledger_sheet
from .print_form import write_print_form_sheet
from .units import check_units

from ..schema import HISTORY_SHEET_HEADERS as HISTORY_HEADERS  # noqa: E402
from ..schema import UNITS_HEADERS, VOTE_HEADERS  # noqa: E402,F401

GUIDE = [
    ("TỆP TỔNG HỢP THI ĐUA, KHEN THƯỞNG NĂM {year}", "title"),
    ("Tệp này là nơi làm việc cả năm của bộ phận thi đua, khen thưởng. Các bước trong năm:", ""),
    ("1. Cấu hình: điền trang “Cấu hình” (tỉnh, cơ quan, người ký, số văn bản, nơi nhận, email). "
     "Không ghi mật khẩu vào tệp.", ""),
    ("2. Đơn vị: kiểm tra trang “Đơn vị” (mã, tên, email). Mỗi đơn vị có một trang tính riêng; "
     "cột “Tên sheet” cho biết tên trang.", ""),
    ("3. Phát động: soạn nội dung ở trang “Văn bản” rồi xuất công văn phát động "
     "(thidua report <tệp này> --out <thư mục> --kind cong-van-phat-dong).", ""),
    ("4. Gửi tệp cho đơn vị: thidua split <tệp này> --out <thư mục> tạo tệp <Mã đơn vị>.xlsx cho từng đơn vị "
     "(có danh sách chọn hình thức khen thưởng); gửi email cho đơn vị.", ""),
    ("5. Nhận tệp về: để các tệp đơn vị gửi lại vào một thư mục, chạy "
     "thidua collect <thư mục> --into <tệp này> --dry-run để xem thay đổi, rồi chạy lại không có --dry-run. "
     "Tệp này được sao lưu (thư mục “sao-luu”) trước mỗi lần ghi.", ""),
    ("6. Kiểm tra: thidua validate <tệp này> — kết quả ở trang “Kiểm tra” và trong bảng in ra.", ""),
    ("7. Tổng hợp: thidua consolidate <tệp này> — trang “Tổng hợp” và một trang cho mỗi hình thức.", ""),
    ("8. Hội đồng: ghi kết quả bỏ phiếu ở trang “Biểu quyết”.", ""),
    ("9. Văn bản: thidua report <tệp này> --out <thư mục> xuất báo cáo tổng kết, tờ trình, biên bản, "
     "quyết định.", ""),
    ("9a. Giấy khen: sau khi quyết định được ký, thidua report <tệp này> --out <thư mục> --kind chung-nhan in "
     "mỗi người, tập thể được khen một trang lên phôi giấy khen; vị trí chữ sửa ở trang “Mẫu in” (in thử bằng "
     "--calibration).", ""),
    ("10. Lưu lịch sử: thidua history archive <tệp này> --year {year} để năm sau kiểm tra điều kiện nhiều năm "
     "(trang “Lịch sử” chỉ để xem).", ""),
    ("Lưu ý", "head"),
    ("• Trên trang của mỗi đơn vị, không ghi gì bên dưới bảng: khi nhập tệp đơn vị gửi về, "
     "các dòng dưới tiêu đề bảng được thay bằng số liệu mới của đơn vị.", ""),
    ("• Các cột “Hình thức đề nghị”, “Đối tượng”, “Giới tính” có danh sách chọn; có thể gõ chữ viết tắt "
     "(LĐTT, CSTĐCS, …) — công cụ vẫn nhận ra.", ""),
    ("• Trang “Tổng hợp”, các trang theo hình thức và trang “Kiểm tra” do công cụ ghi lại mỗi lần chạy.", ""),
]


def _config_rows(year: int, config: dict | None) -> list[list[str]]:
    values = {k: v for k, v in (config or {}).items()}
    labels = {label: name for name, (label, _d) in CONFIG_FIELDS.items()}
    rows = []
    for name, (label, default) in CONFIG_FIELDS.items():
        v = values.get(name, values.get(label, default))
        if name == "nam":
            v = str(year)
        if isinstance(v, (list, tuple)):
            v = ";".join(str(x) for x in v)
        rows.append([label, nfc(v) if v is not None else ""])
    for k, v in values.items():  # settings of later versions: kept, never dropped
        if k not in CONFIG_FIELDS and k not in labels:
            rows.append([nfc(k), nfc(v)])
    return rows


def _narrative_rows(narrative: dict | None) -> list[list[str]]:
    values = narrative or {}
    return [[label, nfc(values.get(name, values.get(label, "")) or "")] for name, label in NARRATIVE_FIELDS.items()]


def normalise_units(units: pd.DataFrame | None) -> pd.DataFrame:
    """units_code/unit/email frame (Vietnamese headers accepted) with derived sheet names."""
    if units is None:
        units = pd.DataFrame(columns=["unit_code", "unit", "email"])
    rename = {"Mã đơn vị": "unit_code", "Tên đơn vị": "unit", "Email": "email", "Tên sheet": "sheet"}
    df = units.rename(columns=rename).copy()
    for c in ("unit_code", "unit", "email"):
        if c not in df.columns:
            df[c] = ""
        df[c] = [clean(v) if not (isinstance(v, float) and v != v) and v is not None else "" for v in df[c]]
    check_units(df)
    df["sheet"] = unit_sheet_names(list(df["unit"]))
    return df[["unit_code", "unit", "email", "sheet"]].reset_index(drop=True)


def _mark_macro_enabled(path: Path) -> None:
    """An .xlsm needs the macro-enabled content type even before a VBA project is added."""
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    old = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    new = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(old, new)
            zout.writestr(info, data)


def create_master(path: str | os.PathLike, year: int, units: pd.DataFrame | None = None, *,
                  nominations: pd.DataFrame | None = None, initiatives: pd.DataFrame | None = None,
                  narrative: dict[str, str] | None = None, config: dict[str, str] | None = None,
                  vba_project: str | os.PathLike | None = None,
                  customize: Callable | None = None) -> Path:
    """Write a new master workbook atomically and return its path.

    units: columns unit_code, unit, email (or the Vietnamese headers); sheet names are derived.
    nominations: one row per nominee, `unit_code` plus intake ids (ho_ten, ngay_sinh, gioi_tinh,
      chuc_vu, khoa_phong, hinh_thuc, doi_tuong, sang_kien, ghi_chu, so_cccd) or the table headers.
    initiatives: ten, loai, cap, tac_gia, nam, unit (or the `Sáng kiến` headers).
    narrative / config: field name (config.NARRATIVE_FIELDS / CONFIG_FIELDS) or label -> text.
    vba_project: a vbaProject.bin to embed (path must end in .xlsm); customize(workbook, info) is
      called with the XlsxWriter workbook before it is closed (the add-in builder adds buttons there).
    """
    import xlsxwriter

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise UserError(f"Tệp tổng hợp phải có đuôi .xlsx hoặc .xlsm (đã cho: “{path.name}”).")
    if vba_project is not None and suffix != ".xlsm":
        raise UserError("Tệp có macro (VBA) phải có đuôi .xlsm.")
    year = int(year)
    unit_df = normalise_units(units)
    code_of = {c: i for i, c in enumerate(unit_df["unit_code"])}
    rows_by_unit = nomination_rows_from_frame(nominations) if nominations is not None and len(nominations) else {}
    stray = sorted(set(rows_by_unit) - set(code_of))
    if stray:
        raise UserError(f"Có đề nghị của đơn vị không có trong danh sách đơn vị: {', '.join(stray)}.")
    unit_names = dict(zip(unit_df["unit_code"], unit_df["unit"]))
    init_rows = initiative_rows_from_frame(initiatives, unit_names) if initiatives is not None and len(initiatives) \
        else []

    with atomic_path(path, suffix=suffix) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"title": f"Tổng hợp thi đua, khen thưởng năm {year}", "comments": "thidua_xl"})
        fmt = Formats(wb)
        # guide
        ws = wb.add_worksheet(GUIDE_SHEET)
        ws.set_column(0, 0, 120, fmt.wrap)
        for i, (text, kind) in enumerate(GUIDE):
            f = fmt.title if kind == "title" else fmt.subtitle if kind == "head" else fmt.wrap
            ws.write_string(i, 0, text.format(year=year), f)
        ws.activate()
        # settings
        ws = wb.add_worksheet(CONFIG_SHEET)
        ws.set_column(0, 0, 46, fmt.label)
        ws.set_column(1, 1, 70, fmt.ident)
        for i, (label, value) in enumerate(_config_rows(year, config)):
            ws.write_string(i, 0, label, fmt.label)
            ws.write_string(i, 1, value, fmt.ident)
        # units
        ws = wb.add_worksheet(UNITS_SHEET)
        ws.write_row(0, 0, UNITS_HEADERS, fmt.head)
        for i, rec in enumerate(unit_df.itertuples(index=False)):
            ws.write_row(i + 1, 0, [rec.unit_code, rec.unit, rec.email, rec.sheet], fmt.ident)
        for j, w in enumerate((14, 44, 32, 32)):
            ws.set_column(j, j, w, fmt.ident)
        ws.freeze_panes(1, 0)
        ws.data_validation(0, 3, 0, 3, {"validate": "any", "input_title": "Tên sheet",
                                        "input_message": "Tên trang tính của đơn vị trong tệp này. "
                                                         "Đổi tên trang thì sửa cả ô này."})
        n_units = len(unit_df)
        wb.define_name("DS_DON_VI", f"='{UNITS_SHEET}'!$B$2:$B${max(n_units, 1) + 1}")
        # catalogue
        write_catalog_sheet(wb, fmt, protect=True)
        # one sheet per unit
        for rec in unit_df.itertuples(index=False):
            write_nomination_sheet(wb, fmt, rec.sheet, unit=rec.unit, year=year,
                                   rows=rows_by_unit.get(rec.unit_code, []), master=True)
        # initiatives
        write_initiative_sheet(wb, fmt, init_rows, title=f"SÁNG KIẾN, ĐỀ TÀI ĐƯỢC CÔNG NHẬN (NĂM {year})",
                               unit_source="=DS_DON_VI")
        # history (read-only view, filled from the register)
        ws = wb.add_worksheet(HISTORY_SHEET)
        ws.write_string(0, 0, "LỊCH SỬ KHEN THƯỞNG (chỉ để xem; cập nhật bằng thidua history)", fmt.title)
        ws.write_row(2, 0, HISTORY_HEADERS, fmt.head)
        for j, w in enumerate((28, 12, 32, 8, 36, 18, 11)):
            ws.set_column(j, j, w, fmt.text)
        ws.freeze_panes(3, 0)
        ws.protect("", {"autofilter": True, "sort": True})
        # narrative
        ws = wb.add_worksheet(NARRATIVE_SHEET)
        ws.set_column(0, 0, 40, fmt.label)
        ws.set_column(1, 1, 110, fmt.wrap)
        for i, (label, text) in enumerate(_narrative_rows(narrative)):
            ws.write_string(i, 0, label, fmt.label)
            ws.write_string(i, 1, text, fmt.wrap)
        # votes of the Hội đồng, one row per award (documents.votes reads `Hình thức`, `Số phiếu đồng ý`)
        ws = wb.add_worksheet(VOTES_SHEET)
        ws.write_string(0, 0, f"KẾT QUẢ BIỂU QUYẾT CỦA HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG NĂM {year}", fmt.title)
        ws.write_string(1, 0, "Ghi số thành viên Hội đồng và số phiếu đồng ý cho từng hình thức được xét.", fmt.note)
        ws.write_row(2, 0, VOTE_HEADERS, fmt.head)
        for j, w in enumerate((5, 44, 14, 14, 16, 30)):
            ws.set_column(j, j, w, fmt.text)
        for i, award in enumerate(load_catalog()):
            r = i + 3
            ws.write_number(r, 0, i + 1, fmt.number)
            ws.write_string(r, 1, award.name, fmt.text)
        n = len(load_catalog().awards)
        ws.data_validation(3, 4, 2 + n, 4, {"validate": "list", "source": ["Thông qua", "Không thông qua"],
                                           "error_type": "warning"})
        ws.freeze_panes(3, 2)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        # where the certificates' text goes on the pre-printed forms
        write_print_form_sheet(wb, fmt)
        # filled by the tool
        # (their print setup outlives the ribbon clearing and rewriting them: landscape A4, one page wide,
        # the header rows of tables.check_sheet / summary_sheet repeated on every page)
        for name, note, heads in ((SUMMARY_SHEET, "Trang này do công cụ ghi (thidua consolidate).", (3, 4)),
                                  (CHECK_SHEET, "Trang này do công cụ ghi (thidua validate).", (2, 2))):
            ws = wb.add_worksheet(name)
            ws.write_string(0, 0, note, fmt.note)
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(*heads)
            ws.set_footer("&CTrang &P/&N")
        # the units' files taken in by `collect` (read by `status`)
        write_ledger_sheet(wb, fmt, [])
        if vba_project is not None:
            wb.add_vba_project(str(vba_project))
        if customize is not None:
            customize(wb, {"year": year, "units": unit_df, "formats": fmt})
        wb.close()
        if suffix == ".xlsm" and vba_project is None:
            _mark_macro_enabled(tmp)
    return path
