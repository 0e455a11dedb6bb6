"""File writers for the output tables of `tables.py`: `Kiểm tra` (kiem-tra.xlsx, `validate --out/--into`)
and the consolidated workbook (`Tổng hợp`, one list per award, `Biểu đồ`), with XlsxWriter.

The cells come from the models; only formats, widths and print setup are decided here.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .catalog import Catalog, load_catalog
from .consolidate import Consolidation
from .fileio import atomic_path
from .perf import gc_paused
from .schema import AWARD_LIST_HEADERS, COLUMN_HEADER, MARKED_COPY_SHEET, MAX_SHEET_NAME, sheet_name_for  # noqa: F401
from .tables import (COLOR_HEADER, COLOR_SEVERITY, COLOR_TOTAL, COUNT_WIDTH, DATE_COLUMN, MARGIN_IN,  # noqa: F401
                     STT_WIDTH, UNIT_WIDTH, Link, SheetModel, Sum, SummaryModel, award_sheets, check_sheet,
                     print_layout, summary_sheet)
from .text import EXCEL_DATE_FORMAT

LIST_HEADERS = AWARD_LIST_HEADERS
FONT = {"font_name": "Times New Roman", "font_size": 11}
BOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


# --- Kiểm tra ---------------------------------------------------------------------------------
def write_sheet_xlsxwriter(wb, model: SheetModel, ws=None):
    """Write a model with XlsxWriter: bold titles, coloured header and rows, links, print setup."""
    base = {**FONT, "border": 1, "valign": "top", "text_wrap": True}
    f_title = wb.add_format({**FONT, "bold": True, "font_size": 14})
    f_note = wb.add_format({**FONT, "italic": True})
    f_head = wb.add_format({**base, "bold": True, "bg_color": COLOR_HEADER, "align": "center"})
    fmts: dict[str | None, tuple] = {}

    def formats(color):
        if color not in fmts:
            extra = {"bg_color": color} if color else {}
            fmts[color] = (wb.add_format({**base, **extra}),
                           wb.add_format({**base, **extra, "font_color": "#0563C1", "underline": 1}))
        return fmts[color]

    ws = ws or wb.add_worksheet(model.name)
    for i, t in enumerate(model.titles):
        ws.write_string(i, 0, t, f_title if i == 0 else f_note)
    h = model.header_row - 1
    for j, name in enumerate(model.headers):
        ws.write_string(h, j, name, f_head)
        if j < len(model.widths):
            ws.set_column(j, j, model.widths[j])
    for i, (row, color) in enumerate(zip(model.rows, model.colors or [None] * len(model.rows))):
        cell, link = formats(color)
        for j, v in enumerate(row):
            if isinstance(v, Link):
                ws.write_url(h + 1 + i, j, f"internal:{v.target}", link, string=v.text)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(h + 1 + i, j, v, cell)
            else:
                ws.write_string(h + 1 + i, j, "" if v is None else str(v), cell)
    ws.autofilter(h, 0, h + max(1, len(model.rows)), len(model.headers) - 1)
    ws.freeze_panes(h + 1, 0)
    return _print_setup(ws, h)


COPY_COLUMNS = [  # the marked copy of the nominations: (nominations column, header)
    ("unit", "Đơn vị"), ("file", "Tệp"), ("sheet", "Trang tính"), ("row", "Dòng"),
    *((c, COLUMN_HEADER[c.removesuffix("_raw")]) for c in ("stt", "ho_ten", "ngay_sinh_raw", "gioi_tinh", "chuc_vu",
                                                            "khoa_phong", "hinh_thuc", "doi_tuong_raw", "sang_kien",
                                                            "ghi_chu")),
]


def master_cells(intake, master_name: str) -> dict[tuple[str, str], str]:
    """(unit sheet, canonical header) -> column letter in the master file, so a link lands on the cell."""
    from .tables import header_columns
    from .workbook.rows import read_sheet_rows

    rep = next((f for f in intake.files if f.file == master_name and f.kind == "master"), None)
    if rep is None:
        return {}
    rows = read_sheet_rows(rep.path, list(rep.header_row))
    return header_columns({sheet: r[rep.header_row[sheet] - 1] if rep.header_row[sheet] - 1 < len(r) else []
                           for sheet, r in rows.items()})


def write_check_workbook(intake, findings, out: str | os.PathLike, year: int, *,
                         master_name: str | None = None) -> Path:
    """`validate --out FILE.xlsx`: the `Kiểm tra` sheet (the model the ribbon writes too, one line per
    finding, each linked to its cell) and a copy of the nominations with the offending cells coloured.

    With `master_name` (the sheet goes into that master, `--into`), a finding in the master links
    to its own cell there, not to the copy, which the master does not have."""
    import pandas as pd
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    from .tables import book_locator

    out = Path(out)
    df = intake.nominations.reset_index(drop=True)
    line_of = {(f, s, int(r)): i + 2 for i, (f, s, r) in enumerate(zip(df["file"], df["sheet"], df["row"]))}
    col_of = {header: j for j, (_c, header) in enumerate(COPY_COLUMNS)}
    col_of.update({"Hình thức": col_of["Hình thức đề nghị"], "Tên tập thể": col_of["Họ và tên"]})
    in_master = book_locator(master_name, master_cells(intake, master_name)) if master_name else None
    rank = {"error": 0, "warning": 1, "info": 2}
    marks: dict[tuple[int, int], str] = {}

    def locate(f) -> str | None:
        if in_master is not None and f.file == master_name and f.sheet:
            return in_master(f)
        line = line_of.get((f.file, f.sheet, int(f.row)))
        if line is None:
            return None
        cj = col_of.get(f.column or "")
        if cj is None:  # a header as the file names it ("Năm sinh (Nữ)"): the copy's column of its canonical one
            from .intake import NOMINATION_HEADERS, match_header

            cj = col_of.get(match_header(f.column, NOMINATION_HEADERS) or "", col_of["Họ và tên"])
        prev = marks.get((line - 1, cj))
        if prev is None or rank.get(f.severity, 3) < rank.get(prev, 3):
            marks[(line - 1, cj)] = f.severity
        return f"'{MARKED_COPY_SHEET}'!{xl_rowcol_to_cell(line - 1, cj)}"

    model = check_sheet(findings, year, locate)
    with atomic_path(out, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), dict(BOOK_OPTIONS))
        base = {**FONT, "border": 1, "valign": "top", "text_wrap": True}
        f_head = wb.add_format({**base, "bold": True, "bg_color": COLOR_HEADER, "align": "center"})
        f_cell = wb.add_format(base)
        f_sev = {s: wb.add_format({**base, "bg_color": c}) for s, c in COLOR_SEVERITY.items()}
        write_sheet_xlsxwriter(wb, model)
        copy = wb.add_worksheet(MARKED_COPY_SHEET)
        for j, (c, h) in enumerate(COPY_COLUMNS):
            copy.write(0, j, h, f_head)
            copy.set_column(j, j, 8 if c in ("row", "stt") else 22)
        for i, rec in enumerate(df[[c for c, _h in COPY_COLUMNS]].itertuples(index=False, name=None)):
            for j, v in enumerate(rec):
                fmt = f_sev[marks[(i + 1, j)]] if (i + 1, j) in marks else f_cell
                if j == 3:
                    copy.write_number(i + 1, j, int(v), fmt)
                else:
                    copy.write_string(i + 1, j, "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v), fmt)
        copy.freeze_panes(1, 0)
        copy.autofilter(0, 0, max(1, len(df)), len(COPY_COLUMNS) - 1)
        wb.close()
    return out


# --- Tổng hợp and the lists -------------------------------------------------------------------
def write_consolidation(result: Consolidation, out: str | os.PathLike, catalog: Catalog | None = None,
                        title_unit: str = "SỞ Y TẾ", chart=None) -> Path:
    """Write the Tổng hợp workbook atomically with XlsxWriter (a few big writes, no cell-by-cell reads);
    `chart` (chart.ChartData) adds the `Biểu đồ` sheet."""
    with gc_paused():
        return _write_consolidation(result, out, catalog, title_unit, chart)


def _write_consolidation(result: Consolidation, out: str | os.PathLike, catalog: Catalog | None,
                         title_unit: str, chart=None) -> Path:
    import xlsxwriter

    catalog = catalog or load_catalog()
    out = Path(out)
    with atomic_path(out, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": False, **BOOK_OPTIONS,
                                             # column widths are measured in this font's digits
                                             "default_format_properties": dict(FONT)})
        write_summary_sheet(wb, summary_sheet(result, catalog, title_unit))
        f_title = wb.add_format({**FONT, "bold": True, "font_size": 14, "align": "center"})
        f_head = wb.add_format({**FONT, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                "text_wrap": True, "bg_color": COLOR_HEADER})
        f_cell = wb.add_format({**FONT, "border": 1, "valign": "vcenter"})
        f_date = wb.add_format({**FONT, "border": 1, "valign": "vcenter", "num_format": EXCEL_DATE_FORMAT,
                                "align": "left"})
        for model in award_sheets(result, catalog).values():
            write_list_sheet(wb, model, (f_title, f_head, f_cell, f_date))
        if chart is not None:
            from .chart import write_chart_sheet

            write_chart_sheet(wb, chart)
        wb.close()
    return out


def write_summary_sheet(wb, model: SummaryModel):
    """The Tổng hợp sheet: merged two-line header, live sums, printed on as few A4 pages as readable."""
    f_title = wb.add_format({**FONT, "bold": True, "font_size": 14, "align": "center"})
    f_sub = wb.add_format({**FONT, "italic": True, "font_size": 12, "align": "center"})
    f_head = wb.add_format({**FONT, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True, "bg_color": COLOR_HEADER})
    f_head2 = wb.add_format({**FONT, "bold": True, "font_size": 10, "border": 1, "align": "center",
                             "valign": "vcenter", "bg_color": COLOR_HEADER})
    f_cell = wb.add_format({**FONT, "border": 1, "valign": "vcenter"})
    f_num = wb.add_format({**FONT, "border": 1, "align": "center"})
    f_tot = wb.add_format({**FONT, "border": 1, "bold": True, "align": "center", "bg_color": COLOR_TOTAL})
    f_totl = wb.add_format({**FONT, "border": 1, "bold": True, "bg_color": COLOR_TOTAL})
    h1, h2 = model.heads

    def fmt(r: int, c: int):
        if r == 0:
            return f_title
        if r == 1:
            return f_sub
        if r == h1 or (r == h2 and c < 2):
            return f_head
        if r == h2:
            return f_head2
        if model.first <= r < model.total:
            return f_cell if c == 1 else (f_tot if c >= model.width - 2 else f_num)
        if r == model.total:
            return f_totl if c < 2 else f_tot
        if model.initiatives is not None and r >= model.initiatives:
            if c == 1:
                return f_totl if r == model.initiatives else f_cell
            return f_head2 if r == model.initiatives else f_num
        return None

    ws = wb.add_worksheet(model.name)
    merged = set()
    for r0, c0, r1, c1 in model.merges:
        ws.merge_range(r0, c0, r1, c1, model.block[r0][c0], fmt(r0, c0))
        merged |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(model.block):
        for c, v in enumerate(row):
            if v is None or (r, c) in merged:
                continue
            if isinstance(v, Sum):
                ws.write_formula(r, c, "=" + v.formula, fmt(r, c), v.value)
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt(r, c))
            else:
                ws.write_number(r, c, v, fmt(r, c))
    ws.set_column(0, 0, STT_WIDTH)
    ws.set_column(1, 1, UNIT_WIDTH)
    ws.set_column(2, model.width - 1, COUNT_WIDTH)
    ws.set_row(h1, 80)
    ws.freeze_panes(model.first, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(h1, h2)
    ws.repeat_columns(0, 1)
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.6)
    ws.set_print_scale(model.scale)
    ws.set_v_pagebreaks(model.breaks)
    ws.set_footer("&CTrang &P/&N")
    return ws


def write_list_sheet(wb, model: SheetModel, formats):
    """One award's list: the title across the table, the header, one row per nominee, dates as dates."""
    f_title, f_head, f_cell, f_date = formats
    ws = wb.add_worksheet(model.name)
    width = len(model.headers)
    ws.merge_range(0, 0, 0, width - 1, model.titles[0], f_title)
    h = model.header_row - 1
    ws.write_row(h, 0, model.headers, f_head)
    for i, row in enumerate(model.rows):
        _write_list_row(ws, h + 1 + i, row, f_cell, f_date)
    for j, w in enumerate(model.widths):
        ws.set_column(j, j, w)
    ws.freeze_panes(h + 1, 0)
    ws.autofilter(h, 0, h + len(model.rows), width - 1)
    return _print_setup(ws, h)


def _write_list_row(ws, r: int, row: list, fmt, f_date) -> None:
    """`ws.write_row(r, 0, row, fmt)` without XlsxWriter's per-cell type dispatch for the plain cells
    (ints, and text that cannot be taken for a formula or a link); anything else goes through write()."""
    for c, v in enumerate(row):
        cls = v.__class__
        if cls is str and v and v[0] not in "={" and ":" not in v:
            ws.write_string(r, c, v, fmt)
        elif cls is int:
            ws.write_number(r, c, v, fmt)
        elif cls is dt.date:
            ws.write_datetime(r, c, v, f_date)
        else:
            ws.write(r, c, v, fmt)


def _print_setup(ws, header_row: int):
    """Landscape A4, one page wide, the header row on every page, page numbers below."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer("&CTrang &P/&N")
    return ws
