"""The Excel adapter: the "Thi đua" ribbon's buttons land here through xlwings.

Every button calls the VBA `RibbonRun`, which runs `thidua_xl.xl.run('<tag>')` in a
fresh Python process. Each action reads the sheets it needs in one call each,
calls the same core functions as the CLI, and writes results back as one 2-D block
per sheet (colours grouped by range), so a 30,000-row master costs a handful of
round trips to Excel, not one per cell. The tables to write are computed by plain
functions (`check_table`, `summary_table`, `award_tables`) testable without Excel; the buttons
that work on the saved file (documents, unit files, email, history) are in xl_files.
Errors reach the user as a Vietnamese alert naming the button; details go to a log beside
the workbook (or, when that folder cannot be known or written, `%LOCALAPPDATA%\\ThiDua\\logs`).
Nothing raised inside `run` escapes it: a Python error would reach the user as xlwings'
English popup. Imports stay lazy: every click pays for the process start.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Callable

from .errors import UserError
from .xl_files import (can_chinh_mau_in, gui_email, huong_dan, in_giay_khen, luu_lich_su, mo_thu_muc,  # noqa: F401
                       phan_hoi, tach_file, xuat_van_ban)
from .xlboundary import (BUTTON_LABELS, HISTORY_NAME, LOG_NAME, RESULTS_DIR, TITLE, NotReady,  # noqa: F401
                         alert, book_folder, book_fullname, button_label, fallback_log_dir, os_alert,
                         require as _require, saved_path as _saved_path, status as _status, write_log)

from .schema import (CATALOG_SHEET, CHART_SHEET, CHECK_SHEET, CONF_SHEET, GUIDE_SHEET, HISTORY_SHEET,  # noqa: F401
                     STATUS_SHEET, SUMMARY_SHEET, VBA_TEXT_SHEET, VOTES_SHEET)
# the Kiểm tra sheet's model, shared with `thidua validate` (same columns, order, colours)
from .tables import (CHECK_HEADERS, COLOR_HEADER, COLOR_SEVERITY, COLOR_TOTAL, DATE_COLUMN,  # noqa: E402,F401
                     SEVERITY_LABEL, SEVERITY_ORDER)
from .text import EXCEL_DATE_FORMAT as DATE_FORMAT  # noqa: E402  (the cell holds a real date, not text the PC's locale re-reads)
# A sheet whose used range is larger than this is refused with a way out, rather than read for minutes
# (formatting dragged to row 1,048,576 makes Excel report a million-row used range).
MAX_SHEET_CELLS = 3_000_000

# --- small helpers -------------------------------------------------------------------
def vn_number(n: int) -> str:
    """2569 -> '2.569' (Vietnamese thousands separator)."""
    return f"{int(n):,}".replace(",", ".")


def _cell(value):
    """xlwings value -> what calamine would give intake: '' for blanks, whole floats as int."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return int(value)
    return value


from .tables import col_letter  # noqa: E402  (0 -> 'A', 27 -> 'AB')


def _pad(rows: list[list]) -> list[list]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [None] * (width - len(r)) for r in rows]


# --- reading the caller book --------------------------------------------------------
def sheet_rows(sheet) -> list[list]:
    """All cells from A1 to the used range's last cell, in one read, as calamine-like values."""
    last = sheet.used_range.last_cell
    rows, cols = max(last.row, 1), max(last.column, 1)
    if rows * cols > MAX_SHEET_CELLS:
        end = f"{col_letter(cols - 1)}{rows}"
        raise UserError(
            f"Trang “{sheet.name}” có vùng dữ liệu tới ô {end} ({vn_number(rows)} dòng × {vn_number(cols)} cột), "
            "quá lớn để đọc. Thường do định dạng hoặc ô trống kéo xuống tận cuối trang: chọn các dòng (cột) thừa "
            "dưới (bên phải) bảng, bấm chuột phải → Delete, lưu tệp (Ctrl+S) rồi bấm lại.")
    values = sheet.range((1, 1), (rows, cols)).options(ndim=2).value
    return [[_cell(v) for v in row] for row in (values or [])]


def read_book(book, names: Callable[[list[str]], list[str]] | None = None) -> dict[str, list[list]]:
    """Sheet name -> rows, for the sheets `names` picks (default: every sheet but our outputs)."""
    all_names = [s.name for s in book.sheets]
    wanted = names(all_names) if names else [n for n in all_names if n not in (CONF_SHEET, VBA_TEXT_SHEET)]
    return {n: sheet_rows(book.sheets[n]) for n in wanted}


def intake_from_sheets(book_name: str, sheets: dict[str, list[list]], path: str | None = None):
    """An Intake for an open master, read from its cells (unsaved edits included), not from disk."""
    from .intake import read_sheets

    return read_sheets(book_name, sheets, path)


def _needed_sheets(all_names: list[str]) -> list[str]:
    """The master's input sheets: everything except what the tool writes."""
    from .catalog import load_catalog
    from .schema import sheet_name_for

    used: set[str] = set()
    outputs = {CONF_SHEET, VBA_TEXT_SHEET, CHECK_SHEET, SUMMARY_SHEET, CHART_SHEET, GUIDE_SHEET, CATALOG_SHEET,
               HISTORY_SHEET, VOTES_SHEET}
    outputs |= {sheet_name_for(a.name, used) for a in load_catalog()}
    return [n for n in all_names if n not in outputs]


def load_book(book):
    """(intake, year, rows by sheet) of the caller book."""
    from .pipeline import resolve_year

    sheets = read_book(book, _needed_sheets)
    try:
        path = book_fullname(book) or None
    except Exception:  # noqa: BLE001 - reading the open book's cells needs no folder
        path = None
    intake = intake_from_sheets(Path(book.name).name, sheets, path)
    return intake, resolve_year(None, intake), sheets


def header_rows(intake, sheets: dict[str, list[list]]) -> dict[str, tuple[int, list]]:
    """Sheet -> (Excel row of the nomination header, its cells), for links to the offending column."""
    out = {}
    for f in intake.files:
        for name, row in f.header_row.items():
            if name in sheets and row and row <= len(sheets[name]):
                out[name] = (row, sheets[name][row - 1])
    return out


def _history_file(book) -> Path | None:
    """The register beside the workbook, if there is one; an unknown folder just means no history."""
    try:
        path = book_folder(book) / HISTORY_NAME
    except UserError:
        return None
    return path if path.is_file() else None


# --- the tables (plain data, no Excel) -----------------------------------------------
def check_table(findings, book_name: str, year: int, header_rows: dict[str, tuple[int, list]] | None = None
                ) -> tuple[list[list], dict[str, tuple[int, int]]]:
    """The `Kiểm tra` sheet (tables.check_sheet, the model `thidua validate` writes too) as one 2-D
    block, and the row span (first, last; 1-based) of each severity.

    A finding in this workbook links (HYPERLINK formula in its `Dòng` cell) to its own cell.
    """
    from .tables import book_locator, check_sheet, excel_block, header_columns

    columns = header_columns({s: cells for s, (_row, cells) in (header_rows or {}).items()})
    model = check_sheet(findings, year, book_locator(book_name, columns))
    by_color = model.spans()
    spans = {sev: by_color[c] for sev, c in COLOR_SEVERITY.items() if c in by_color}
    return excel_block(model), spans


def summary_table(result, catalog=None) -> tuple[list[list], int, int]:
    """The `Tổng hợp` sheet (tables.summary_sheet, as `thidua consolidate` writes it): (block, first
    header row, total row), 1-based rows, every total as its number."""
    from .catalog import load_catalog
    from .tables import summary_sheet

    model = summary_sheet(result, catalog or load_catalog())
    return model.values(), model.heads[0] + 1, model.total + 1


def award_tables(result, catalog=None) -> dict[str, list[list]]:
    """Sheet name -> block: one list of nominees per award (tables.award_sheets), in Vietnamese order."""
    from .catalog import load_catalog
    from .tables import award_sheets, excel_block

    return {name: excel_block(m) for name, m in award_sheets(result, catalog or load_catalog()).items()}


def _as_date(value) -> dt.date | None:
    from .tables import _as_date as as_date

    return as_date(value)


# --- writing through xlwings --------------------------------------------------------
def quiet(app):
    """No repainting and no recalculation while we write (restored after); engines that cannot, skip it."""
    import contextlib

    stack = contextlib.ExitStack()
    try:
        stack.enter_context(app.properties(screen_updating=False, calculation="manual"))
    except NotImplementedError:  # the remote engine cannot read these settings back
        pass
    return stack


def output_sheet(book, name: str, after=None):
    """The sheet `name`, emptied (created at the end if missing)."""
    names = [s.name for s in book.sheets]
    if name in names:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=after or book.sheets[len(names) - 1])


_FORMULA_START = ("=", "+", "-", "@", "{", "\t", "\r")


from .tables import Formula  # noqa: E402  (the tool's own links, left as formulas by as_text)


def as_text(rows: list[list]) -> list[list]:
    """Rows whose text Excel would take for a formula (=, +, -, @, {=) get the text prefix (').

    A range's `.value` runs a string that looks like a formula, so a nominee named
    `=WEBSERVICE(…)` would call out from the Sở's Excel; with the prefix it is the text typed.
    """
    return [[("'" + v) if v.__class__ is str and v.startswith(_FORMULA_START) else v for v in row] for row in rows]


def write_block(sheet, block: list[list], top_left: str = "A1") -> None:
    if block:
        sheet.range(top_left).value = as_text(block)


def _autofit(sheet) -> None:
    try:
        sheet.autofit("columns")
    except Exception:  # noqa: BLE001 - not every engine autofits
        pass


# --- writing the output tables (the models of tables.py, as `thidua validate/consolidate` write them) --
def write_check_sheet(book, findings, year: int, headers: dict[str, tuple[int, list]]):
    """`Kiểm tra`: one block, the header and each severity coloured as one range each."""
    block, spans = check_table(findings, Path(book.name).name, year, headers)
    sheet = output_sheet(book, CHECK_SHEET)
    write_block(sheet, block)
    sheet.range((3, 1), (3, len(CHECK_HEADERS))).color = COLOR_HEADER
    for severity, (lo, hi) in spans.items():
        sheet.range((lo, 1), (hi, len(CHECK_HEADERS))).color = COLOR_SEVERITY.get(severity, "#FFFFFF")
    _autofit(sheet)
    return sheet


def write_summary(book, result, catalog, history=None, progress: Callable[[str], None] = lambda _t: None):
    """`Tổng hợp`, one list per award after it and `Biểu đồ` after the lists; (Tổng hợp sheet, list names).

    Award sheets of an earlier run whose award has no nominee now would mislead: they are removed."""
    from .chart import chart_data
    from .tables import award_sheet_names, award_sheets, excel_block, summary_sheet

    model = summary_sheet(result, catalog)
    sheet = output_sheet(book, SUMMARY_SHEET)
    write_block(sheet, model.values())
    h1, h2 = model.heads
    sheet.range((h1 + 1, 1), (h2 + 1, model.width)).color = COLOR_HEADER
    sheet.range((model.total + 1, 1), (model.total + 1, model.width)).color = COLOR_TOTAL
    _autofit(sheet)
    lists = award_sheets(result, catalog)
    stale = award_sheet_names(catalog) - set(lists)
    for s in list(book.sheets):
        if s.name in stale:
            s.delete()
    last = sheet
    for i, (name, ls_model) in enumerate(lists.items()):
        progress(f"Thi đua: danh sách {i + 1}/{len(lists)}: {name}")
        ls = output_sheet(book, name, after=last)
        write_block(ls, excel_block(ls_model))
        h = ls_model.header_row
        ls.range((h, 1), (h, len(ls_model.headers))).color = COLOR_HEADER
        if ls_model.rows:  # the birth dates are dates: formatted, never re-read by the PC's regional settings
            col = DATE_COLUMN + 1
            ls.range((h + 1, col), (h + len(ls_model.rows), col)).number_format = DATE_FORMAT
        _autofit(ls)
        last = ls
    write_chart(book, chart_data(result, catalog, history), after=last)
    return sheet, list(lists)


def write_chart(book, data, after=None):
    """`Biểu đồ` from the same cells as the file's (chart.chart_sheet): the two tables and their charts."""
    from .chart import chart_sheet

    model = chart_sheet(data)
    if CHART_SHEET in [s.name for s in book.sheets]:  # a sheet's charts outlive clearing its cells
        book.sheets[CHART_SHEET].delete()
    sheet = book.sheets.add(CHART_SHEET, after=after or book.sheets[len(book.sheets) - 1])
    write_block(sheet, [[None if v == "" else v for v in row] for row in model.block])
    (uh, n), (ch, m) = model.units, model.compare
    sheet.range((uh + 1, 1), (uh + 1, model.width)).color = COLOR_HEADER
    sheet.range((ch + 1, 1), (ch + 1, 3)).color = COLOR_HEADER
    if n:
        r, c = model.unit_chart_at
        sheet.charts.add(width=540, height=model.unit_chart_height * 0.75, chart_type="bar_stacked",
                         source=sheet.range((uh + 1, 1), (uh + 1 + n, model.width)),
                         anchor=sheet.range((r + 1, c + 1)), name="Theo đơn vị")
    r, c = model.compare_chart_at
    sheet.charts.add(width=540, height=240, chart_type="column_clustered",
                     source=sheet.range((ch + 1, 1), (ch + 1 + m, 3)),
                     anchor=sheet.range((r + 1, c + 1)), name="So với năm trước")
    return sheet


# --- the actions ----------------------------------------------------------------------
def kiem_tra(book) -> str:
    from .pipeline import check

    app = book.app
    _status(app, "Thi đua: đang đọc các trang tính…")
    intake, year, sheets = load_book(book)
    _status(app, f"Thi đua: đang kiểm tra {vn_number(len(intake.nominations))} dòng…")
    findings = check(intake, year, history=_history_file(book))
    _status(app, "Thi đua: đang ghi trang Kiểm tra…")
    write_check_sheet(book, findings, year, header_rows(intake, sheets)).activate()
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    units = intake.nominations["unit"].nunique() if len(intake.nominations) else 0
    return (f"Đã kiểm tra {vn_number(len(intake.nominations))} dòng của {units} đơn vị: "
            f"{errors} lỗi, {warnings} cảnh báo. Xem trang “{CHECK_SHEET}”.")


def tong_hop(book) -> str:
    from .catalog import load_catalog
    from .pipeline import totals

    app = book.app
    _status(app, "Thi đua: đang đọc các trang tính…")
    intake, year, _sheets = load_book(book)
    _status(app, "Thi đua: đang tổng hợp…")
    result = totals(intake, year)
    _status(app, "Thi đua: đang ghi trang Tổng hợp…")
    sheet, lists = write_summary(book, result, load_catalog(), _history_file(book), lambda t: _status(app, t))
    sheet.activate()
    return (f"Đã tổng hợp {vn_number(result.rows)} lượt đề nghị của {len(result.by_unit)} đơn vị "
            f"vào trang “{SUMMARY_SHEET}”, {len(lists)} trang danh sách theo hình thức và trang “{CHART_SHEET}”.")


def tinh_hinh_nop(book) -> str:
    """Who has sent and who has not, on a sheet `Tình hình nộp` (same rows as `thidua status`)."""
    status = _require("thidua_xl.status", "Tình hình nộp")
    path = _saved_path(book)
    _status(book.app, "Thi đua: đang xem tình hình nộp…")
    report = status.unit_status(path)
    rows = report.table_rows()
    done = len(report.units) - len(report.missing)
    title = (f"TÌNH HÌNH NỘP DANH SÁCH ĐỀ NGHỊ NĂM {report.year or ''}: {done}/{len(report.units)} đơn vị đã nộp"
             + (f" (hạn nộp {report.deadline})" if report.deadline else ""))
    block = _pad([[title], [], list(status.STATUS_HEADERS)] + [[_cell(v) for v in r] for r in rows])
    sheet = output_sheet(book, STATUS_SHEET)
    write_block(sheet, block)
    sheet.range((3, 1), (3, len(status.STATUS_HEADERS))).color = COLOR_HEADER
    if report.missing:  # not received first: one block of colour
        sheet.range((4, 1), (3 + len(report.missing), len(status.STATUS_HEADERS))).color = COLOR_SEVERITY["error"]
    _autofit(sheet)
    sheet.activate()
    missing = ", ".join(u.unit for u in report.missing[:10]) + ("…" if len(report.missing) > 10 else "")
    return (f"{done}/{len(report.units)} đơn vị đã nộp." + (f" Chưa nộp: {missing}." if missing else "")
            + f" Xem trang “{STATUS_SHEET}”.")


def collect_blocks(master: Path, folder: Path):
    """Run `collect` on a copy of the saved master; return (report, {sheet: (first row, rows)}) to write.

    Excel keeps the open master locked, so the returned unit files are merged into a
    copy by the same code as `thidua collect`, and the sheets that changed come back
    as blocks (from the first row below the header, padded over the old rows).
    """
    import shutil
    import tempfile

    from .intake import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS, NOMINATION_REQUIRED,
                         find_table)
    from .reading import Unreadable, read_sheets
    from .workbook.collect import collect

    def rows_of(path: Path) -> dict[str, list[list]]:
        try:
            return read_sheets(path)
        except Unreadable as exc:
            raise UserError(f"Không đọc được tệp “{path.name}”: {exc}.") from None

    with tempfile.TemporaryDirectory(prefix="thidua-nhap-") as tmp:
        copy = Path(tmp) / master.name
        shutil.copy2(master, copy)
        report = collect(folder, copy, backup_dir=Path(tmp) / "sao-luu")
        if not report.written:
            return report, {}
        before, after = rows_of(master), rows_of(copy)
    blocks: dict[str, tuple[int, list[list]]] = {}
    for name, new in after.items():
        old = before.get(name, [])
        if [[_cell(v) for v in r] for r in new] == [[_cell(v) for v in r] for r in old]:
            continue
        table = find_table(new, NOMINATION_HEADERS, NOMINATION_REQUIRED) or \
            find_table(new, INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
        first = table.header_idx + 1 if table else 0
        height = max(len(new), len(old)) - first
        width = max((len(r) for r in new[first:] + old[first:]), default=0)
        body = [[None if v == "" else v for v in r] for r in new[first:]]
        body += [[] for _ in range(height - len(body))]
        blocks[name] = (first + 1, [list(r) + [None] * (width - len(r)) for r in body])
    return report, blocks


def nhap_file(book) -> str:
    _require("thidua_xl.workbook.collect", "Nhập file đơn vị")
    from .fileio import backup

    path = _saved_path(book)
    folder = path.parent / RESULTS_DIR / "don-vi-gui-ve"
    if not folder.is_dir() or not any(folder.iterdir()):
        folder.mkdir(parents=True, exist_ok=True)
        return f"Hãy chép các tệp đơn vị gửi về vào thư mục:\n{folder}\nrồi bấm lại “Nhập file đơn vị”."
    _status(book.app, "Thi đua: đang đọc các tệp đơn vị gửi về…")
    report, blocks = collect_blocks(path, folder)
    lines = report.lines()
    if not blocks:
        return "Không có thay đổi nào để nhập.\n" + "\n".join(lines[:15])
    saved = backup(path)
    names = [s.name for s in book.sheets]
    for name, (first_row, rows) in blocks.items():
        _status(book.app, f"Thi đua: đang ghi trang {name}…")
        if name not in names:  # a sheet the tool keeps (the `Nhận tệp` ledger) that an older master lacks
            book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
            names.append(name)
        if rows and rows[0]:
            book.sheets[name].range((first_row, 1)).value = as_text(rows)
    return (f"Đã nhập {len(report.units)} tệp đơn vị vào {len(blocks)} trang tính (bản sao lưu: {saved.name}). "
            "Hãy xem lại rồi lưu tệp (Ctrl+S).\n" + "\n".join(lines[:15]))


def them_don_vi(book) -> str:
    """Add a nomination sheet for every unit of `Đơn vị` that has none, and record its name."""
    from .intake import UNITS_SHEET, read_units_sheet
    from .text import fold

    sheets = read_book(book, lambda names: [n for n in names if fold(n) == fold(UNITS_SHEET)])
    if not sheets:
        raise UserError(f"Không có trang “{UNITS_SHEET}”.")
    units_name, rows = next(iter(sheets.items()))
    units = read_units_sheet(rows)
    existing = {fold(s.name) for s in book.sheets}
    todo = [(c, n, s) for c, n, s in zip(units["unit_code"], units["unit"], units["sheet"])
            if not any(x and fold(x) in existing for x in (s, c, n))]
    if not todo:
        return "Mọi đơn vị trong trang “Đơn vị” đều đã có trang tính."
    plan = new_unit_sheets(todo, [s.name for s in book.sheets], book_year(book))
    anchor = book.sheets[units_name]
    for name, block in plan.items():
        ws = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
        write_block(ws, block)
        ws.range((4, 1), (4, len(block[3]))).color = COLOR_HEADER
    # the sheet names go into the units table's "Tên sheet" column in one write
    table = _units_table(rows)
    col = next((j for j, canon in table.columns.items() if canon == "Tên sheet"), None) if table else None
    code_col = next((j for j, canon in table.columns.items() if canon == "Mã đơn vị"), 0) if table else 0
    if col is not None:
        by_code = {str(c): n for (c, _u, _s), n in zip(todo, plan)}
        values = []
        for r in rows[table.header_idx + 1:]:
            code = str(r[code_col]) if code_col < len(r) else ""
            values.append([by_code.get(code, r[col] if col < len(r) else None)])
        if values:
            anchor.range((table.header_idx + 2, col + 1)).value = as_text(values)
    return f"Đã thêm {len(plan)} trang tính đơn vị: {', '.join(plan)}."


def book_year(book) -> int:
    try:
        return load_book(book)[1]
    except Exception:  # noqa: BLE001
        return dt.date.today().year


def _units_table(rows):
    from .intake import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, find_table

    return find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)


def new_unit_sheets(todo: list[tuple[str, str, str]], existing: list[str], year: int) -> dict[str, list[list]]:
    """Sheet name -> block (title rows + the nomination header) for each new unit."""
    try:
        from .workbook.layout import NOMINATION_LAYOUT, unit_sheet_names

        headers = [c.header for c in NOMINATION_LAYOUT]
        names = unit_sheet_names([n for _c, n, _s in todo], {e.lower() for e in existing})
    except ImportError:
        from .intake import NOMINATION_HEADERS
        from .schema import sheet_name_for

        headers = list(NOMINATION_HEADERS)
        used = {e.lower() for e in existing}
        names = [sheet_name_for(n, used) for _c, n, _s in todo]
    out = {}
    for (code, unit, sheet), name in zip(todo, names):
        name = sheet or name
        out[name] = _pad([[f"Đơn vị: {unit}"], [f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}"], [], headers])
    return out


ACTIONS: dict[str, Callable] = {
    "kiem_tra": kiem_tra,
    "tong_hop": tong_hop,
    "xuat_van_ban": xuat_van_ban,
    "in_giay_khen": in_giay_khen,
    "can_chinh_mau_in": can_chinh_mau_in,
    "gui_email": gui_email,
    "tach_file": tach_file,
    "nhap_file": nhap_file,
    "luu_lich_su": luu_lich_su,
    "them_don_vi": them_don_vi,
    "tinh_hinh_nop": tinh_hinh_nop,
    "phan_hoi": phan_hoi,
    "mo_thu_muc": mo_thu_muc,
    "huong_dan": huong_dan,
}


def run(action: str, book=None) -> str:
    """Entry point of every ribbon button: run one action on the calling workbook, end with an alert.

    Every failure, finding the calling workbook included, ends as a Vietnamese message naming the
    button; nothing is raised (an exception here would show xlwings' English popup instead).
    """
    label = button_label(action)
    app = None
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
        app = book.app
        fn = ACTIONS.get(action)
        if fn is None:
            raise UserError(f"Nút “{label}” chưa được gán chức năng nào (mã “{action}”).")
        with quiet(app):
            message = fn(book)
        if message:
            alert(app, message)
        return message
    except NotReady as exc:
        message = str(exc)
        if app is not None:
            alert(app, message, "info")
        else:
            os_alert(message, critical=False)
        return message
    except UserError as exc:
        message = f"“{label}”: {exc}"
        if app is not None:
            alert(app, message, "critical")
        else:
            os_alert(message)
        return message
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches the user
        log = write_log(book, action, exc)
        where = f"\nChi tiết đã ghi vào {log}." if log else ""
        message = f"Lỗi không mong đợi khi chạy nút “{label}”: {type(exc).__name__}: {exc}{where}"
        if app is not None:
            alert(app, message, "critical")
        else:
            os_alert(message + "\nHãy đóng Excel, mở lại tệp ThiDua.xlsm rồi bấm lại; nếu vẫn lỗi, chạy "
                               "“thidua doctor” (nút “Hướng dẫn” chỉ cách).")
        return message
    finally:
        if app is not None:
            _status(app, False)
