"""The consolidated workbook: a printable `Tổng hợp` sheet and one list per award."""
from __future__ import annotations

import datetime as dt

import os
from pathlib import Path


from .catalog import CA_NHAN, TAP_THE, Catalog, load_catalog
from .consolidate import Consolidation
from .fileio import atomic_path
from .perf import gc_paused
from .schema import (AWARD_LIST_HEADERS, INITIATIVE_KIND_LABEL, INITIATIVE_LEVEL_LABEL, SUBJECT_LABEL,
                     SUMMARY_SHEET)
from .text import date_text, time_text

LIST_HEADERS = AWARD_LIST_HEADERS
MAX_SHEET_NAME = 31


def sheet_name_for(award_name: str, used: set[str]) -> str:
    """An Excel-legal, unique sheet name (≤ 31 chars, none of []:*?/\\)."""
    bad = '[]:*?/\\'
    base = "".join("-" if ch in bad else ch for ch in award_name).strip("' ")[:MAX_SHEET_NAME].rstrip("' ") or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        tail = f" ({i})"
        name = base[: MAX_SHEET_NAME - len(tail)].rstrip() + tail
        i += 1
    used.add(name.lower())
    return name


# Tổng hợp sheet on A4 landscape: column widths (Excel characters) and how they print.
STT_WIDTH, UNIT_WIDTH, COUNT_WIDTH = 5, 32, 7.5
MARGIN_IN = 0.4
_A4_LANDSCAPE_PT = 842
_MIN_SCALE = 70  # below this 11-pt numbers are too small to read on paper


def _col_pt(width: float) -> float:
    """Printed width of an Excel column of `width` characters (Calibri/Times 11: 7 px a character + 5 px)."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def print_layout(groups: list[int]) -> tuple[int, list[int]]:
    """Print scale (%) and the columns to break before, so the award columns of the Tổng hợp sheet
    print on as few A4 landscape pages as a readable scale allows, STT and Đơn vị repeated on each, and
    never split the Tập thể | Cá nhân pair of one award across two pages.

    `groups` is the number of count columns of each award in order (the Cộng pair last)."""
    printable = _A4_LANDSCAPE_PT - 2 * MARGIN_IN * 72
    fixed = _col_pt(STT_WIDTH) + _col_pt(UNIT_WIDTH)
    count = _col_pt(COUNT_WIDTH)

    def pages_at(scale: int) -> list[int]:
        room = printable * 0.97 * 100 / scale - fixed  # 3 %: spreadsheet programs round widths differently
        breaks, used, col = [], 0.0, 2
        for n in groups:
            w = n * count
            if used and used + w > room:
                breaks.append(col)
                used = 0.0
            used += w
            col += n
        return breaks

    best = (100, pages_at(100))
    for scale in range(100, _MIN_SCALE - 1, -5):
        breaks = pages_at(scale)
        if len(breaks) < len(best[1]):
            best = (scale, breaks)
    return best


def _date_text(d, raw) -> str:
    return date_text(d) or raw or ""


def _write_list_row(ws, r: int, row: list, fmt) -> None:
    """`ws.write_row(r, 0, row, fmt)` without XlsxWriter's per-cell type dispatch for the plain cells
    (ints, and text that cannot be taken for a formula or a link); anything else goes through write()."""
    for c, v in enumerate(row):
        cls = v.__class__
        if cls is str and v and v[0] not in "={" and ":" not in v:
            ws.write_string(r, c, v, fmt)
        elif cls is int:
            ws.write_number(r, c, v, fmt)
        else:
            ws.write(r, c, v, fmt)


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
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": False, "strings_to_numbers": False,
                                             "strings_to_formulas": False, "strings_to_urls": False,
                                             # column widths are measured in this font's digits
                                             "default_format_properties": {"font_name": "Times New Roman",
                                                                           "font_size": 11}})
        f_title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14, "align": "center"})
        f_sub = wb.add_format({"italic": True, "font_name": "Times New Roman", "font_size": 12, "align": "center"})
        f_head = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 11, "border": 1,
                                "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#DDEBF7"})
        f_head2 = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 10, "border": 1,
                                 "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
        f_cell = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1, "valign": "vcenter"})
        f_num = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1, "align": "center"})
        f_tot = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1, "bold": True,
                               "align": "center", "bg_color": "#F2F2F2"})
        f_totl = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1, "bold": True,
                                "bg_color": "#F2F2F2"})
        used: set[str] = {SUMMARY_SHEET.lower()}
        ws = wb.add_worksheet(SUMMARY_SHEET)
        codes = list(result.totals)
        columns: list[tuple[str, str]] = []  # (award, subject)
        for code in codes:
            for s in catalog[code].subjects:
                columns.append((code, s))
        ncols = 2 + len(columns) + 2
        scale, breaks = print_layout([len(catalog[c].subjects) for c in codes] + [2])
        title_end = (breaks[0] if breaks else ncols) - 1  # the title centred on the first printed page
        ws.merge_range(0, 0, 0, title_end, f"BẢNG TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG NĂM {result.year}", f_title)
        ws.merge_range(1, 0, 1, title_end, f"({title_unit} – {result.rows} lượt đề nghị từ {result.files} tệp; "
                                           f"cập nhật {time_text(dt.datetime.now())})", f_sub)
        h1, h2 = 3, 4
        ws.merge_range(h1, 0, h2, 0, "STT", f_head)
        ws.merge_range(h1, 1, h2, 1, "Đơn vị", f_head)
        col = 2
        for code in codes:
            subs = catalog[code].subjects
            if len(subs) == 1:
                ws.write(h1, col, catalog[code].name, f_head)
                ws.write(h2, col, SUBJECT_LABEL[subs[0]], f_head2)
            else:
                ws.merge_range(h1, col, h1, col + len(subs) - 1, catalog[code].name, f_head)
                for k, s in enumerate(subs):
                    ws.write(h2, col + k, SUBJECT_LABEL[s], f_head2)
            col += len(subs)
        ws.merge_range(h1, col, h1, col + 1, "Cộng", f_head)
        ws.write(h2, col, "Tập thể", f_head2)
        ws.write(h2, col + 1, "Cá nhân", f_head2)
        by_unit = result.by_unit
        units = [(c, n) for c, n in result.units if n in by_unit]
        first = h2 + 1
        from xlsxwriter.utility import xl_rowcol_to_cell as cell
        for i, (_code, name) in enumerate(units):
            r = first + i
            ws.write_number(r, 0, i + 1, f_num)
            ws.write_string(r, 1, name, f_cell)
            per = by_unit[name]
            tt = cn = 0
            tt_cells, cn_cells = [], []
            for k, (code, s) in enumerate(columns):
                v = per.get(code, {}).get(s, 0)
                ws.write_number(r, 2 + k, v, f_num)
                (tt_cells if s == TAP_THE else cn_cells).append(cell(r, 2 + k))
                if s == TAP_THE:
                    tt += v
                else:
                    cn += v
            c0 = 2 + len(columns)
            ws.write_formula(r, c0, "=" + ("+".join(tt_cells) or "0"), f_tot, tt)
            ws.write_formula(r, c0 + 1, "=" + ("+".join(cn_cells) or "0"), f_tot, cn)
        last = first + len(units) - 1
        rt = last + 1
        ws.merge_range(rt, 0, rt, 1, "Tổng cộng", f_totl)
        totals = result.totals
        for k, (code, s) in enumerate(columns):
            v = totals[code][s]
            if units:
                ws.write_formula(rt, 2 + k, f"=SUM({cell(first, 2 + k)}:{cell(last, 2 + k)})", f_tot, v)
            else:
                ws.write_number(rt, 2 + k, v, f_tot)
        c0 = 2 + len(columns)
        sum_tt = sum(totals[c][TAP_THE] for c in codes)
        sum_cn = sum(totals[c][CA_NHAN] for c in codes)
        for k, v in ((0, sum_tt), (1, sum_cn)):
            if units:
                ws.write_formula(rt, c0 + k, f"=SUM({cell(first, c0 + k)}:{cell(last, c0 + k)})", f_tot, v)
            else:
                ws.write_number(rt, c0 + k, v, f_tot)
        # initiatives below the table
        r = rt + 2
        if result.initiatives:
            ws.write(r, 1, "Sáng kiến, đề tài", f_totl)
            labels, kinds = INITIATIVE_LEVEL_LABEL, INITIATIVE_KIND_LABEL
            for k, lvl in enumerate(labels):
                ws.write(r, 2 + k, labels[lvl], f_head2)
            for j, (kind, lbl) in enumerate(kinds.items()):
                ws.write(r + 1 + j, 1, lbl, f_cell)
                for k, lvl in enumerate(labels):
                    ws.write_number(r + 1 + j, 2 + k, result.initiatives.get(kind, {}).get(lvl, 0), f_num)
        ws.set_column(0, 0, STT_WIDTH)
        ws.set_column(1, 1, UNIT_WIDTH)
        ws.set_column(2, ncols - 1, COUNT_WIDTH)
        ws.set_row(h1, 80)
        ws.freeze_panes(first, 2)
        ws.set_landscape()
        ws.set_paper(9)
        ws.repeat_rows(h1, h2)
        ws.repeat_columns(0, 1)
        ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.6)
        ws.set_print_scale(scale)
        ws.set_v_pagebreaks(breaks)
        ws.set_footer("&CTrang &P/&N")

        for code, df in result.lists.items():
            name = sheet_name_for(catalog[code].name, used)
            ls = wb.add_worksheet(name)
            ls.merge_range(0, 0, 0, len(LIST_HEADERS) - 1,
                           f"DANH SÁCH ĐỀ NGHỊ {catalog[code].name.upper()} NĂM {result.year}", f_title)
            ls.write_row(2, 0, LIST_HEADERS, f_head)
            data = [
                [i + 1, u, n, SUBJECT_LABEL.get(s, ""), _date_text(d, raw), g, cv, kp, f"{fi}, {sh}, dòng {ro}"]
                for i, (u, n, s, d, raw, g, cv, kp, fi, sh, ro) in enumerate(zip(*(df[c].tolist() for c in (
                    "unit", "ho_ten", "subject", "ngay_sinh", "ngay_sinh_raw", "gioi_tinh",
                    "chuc_vu", "khoa_phong", "file", "sheet", "row"))))
            ]
            for i, row in enumerate(data):
                _write_list_row(ls, 3 + i, row, f_cell)
            ls.set_column(0, 0, 5)
            ls.set_column(1, 1, 30)
            ls.set_column(2, 2, 28)
            ls.set_column(3, 5, 11)
            ls.set_column(6, 7, 20)
            ls.set_column(8, 8, 46)  # “<tệp>, <trang>, dòng N” stays inside its border
            ls.freeze_panes(3, 0)
            ls.autofilter(2, 0, 2 + len(data), len(LIST_HEADERS) - 1)
            ls.set_landscape()
            ls.set_paper(9)
            ls.fit_to_pages(1, 0)
            ls.repeat_rows(2)
            ls.set_footer("&CTrang &P/&N")
        if chart is not None:
            from .chart import write_chart_sheet

            write_chart_sheet(wb, chart)
        wb.close()
    return out
