"""The tool's output sheets as plain data, written alike by the command line and the ribbon.

`Kiểm tra`, `Tổng hợp` and the per-award lists are each built once here — title lines, headers,
rows, each row's colour, merged cells, links as `Link` values — and the adapters only write
them: `export.py` with XlsxWriter for `thidua validate/consolidate --out/--into`, `xl.py`
through xlwings for the ribbon. A `Link` becomes a hyperlink cell in a file and a HYPERLINK
formula in Excel; a `Sum` becomes a formula in a file and its value in Excel. So the two can
never show different columns, order, sort or numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from .schema import (AWARD_LIST_HEADERS, CA_NHAN, CHECK_HEADERS, CHECK_SHEET, INITIATIVE_KIND_LABEL,  # noqa: F401
                     INITIATIVE_LEVEL_LABEL, SEVERITY_LABEL, SEVERITY_ORDER, SUBJECT_LABEL, SUM_LABEL, SUMMARY_SHEET,
                     TAP_THE, TOTAL_LABEL, UNVERIFIED_COLUMN_NOTE, UNVERIFIED_MARK, sheet_name_for)
from .text import time_text

CHECK_WIDTHS = [5, 9, 18, 28, 16, 16, 7, 16, 80, 40, 24, 16]
LINK_COLUMN = CHECK_HEADERS.index("Dòng")
COLOR_HEADER = "#DDEBF7"
COLOR_TOTAL = "#F2F2F2"
COLOR_SEVERITY = {"error": "#F8CBAD", "warning": "#FFF2CC", "info": "#E2EFDA"}
LIST_WIDTHS = [5, 30, 28, 11, 11, 11, 20, 20, 46]  # “<tệp>, <trang>, dòng N” stays inside its border
DATE_COLUMN = AWARD_LIST_HEADERS.index("Ngày sinh")


@dataclass(frozen=True)
class Link:
    """A cell that takes the reader to `target` (`'Sheet'!B12`) when clicked."""

    target: str
    text: str


@dataclass(frozen=True)
class Sum:
    """A total: `formula` (without '=') where the writer keeps sums live, `value` where it cannot."""

    formula: str
    value: int


class Formula(str):
    """A formula the tool itself writes (a link to a finding's cell): the one text xl.as_text leaves be."""


@dataclass
class SheetModel:
    """One output sheet: title lines, blank lines, a header row, data rows and the colour of each data row."""

    name: str
    titles: list[str]
    headers: list[str]
    rows: list[list]
    colors: list[str | None] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    gap: int = 0  # blank rows between the titles and the header

    @property
    def header_row(self) -> int:
        """1-based row of the header, below the titles and the gap."""
        return len(self.titles) + self.gap + 1

    def spans(self) -> dict[str, tuple[int, int]]:
        """Colour -> (first, last) 1-based rows; rows are ordered so that each colour is one block."""
        out: dict[str, tuple[int, int]] = {}
        first = self.header_row + 1
        for i, c in enumerate(self.colors):
            if c:
                lo, _ = out.get(c, (first + i, first + i))
                out[c] = (lo, first + i)
        return out


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def col_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    out = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        out = chr(65 + r) + out
    return out


# --- Kiểm tra -------------------------------------------------------------------------------
def ordered_findings(findings) -> list:
    """Errors, then warnings, then notes; within each, by unit, sheet and row."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.unit or "", f.file or "",
                                           f.sheet or "", f.row or 0))


def check_sheet(findings, year: int, locate: Callable[[object], str | None],
                now: dt.datetime | None = None) -> SheetModel:
    """The `Kiểm tra` sheet. `locate(finding)` gives the cell a finding's row links to (or None)."""
    ordered = ordered_findings(findings)
    counts = {s: sum(f.severity == s for f in ordered) for s in SEVERITY_LABEL}
    titles = [f"KẾT QUẢ KIỂM TRA HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}: {counts['error']} lỗi, "
              f"{counts['warning']} cảnh báo" + (f", {counts['info']} ghi chú" if counts["info"] else ""),
              f"Cập nhật {time_text(now or dt.datetime.now())}. Bấm số ở cột “Dòng” để đến ô cần sửa."
              + (f" {UNVERIFIED_COLUMN_NOTE}" if any(not f.verified for f in ordered) else "")]
    rows, colors = [], []
    for i, f in enumerate(ordered):
        target = locate(f) if f.row is not None else None
        row_cell = Link(target, str(f.row)) if target else ("" if f.row is None else f.row)
        rows.append([i + 1, SEVERITY_LABEL.get(f.severity, f.severity), f.code, f.unit or "", f.file or "",
                     f.sheet or "", row_cell, f.column or "", f.message, f.legal_basis or "", f.rule or "",
                     "" if f.verified else UNVERIFIED_MARK])
        colors.append(COLOR_SEVERITY.get(f.severity))
    return SheetModel(CHECK_SHEET, titles, list(CHECK_HEADERS), rows, colors, list(CHECK_WIDTHS))


# a finding names the column as its message does; the sheet's header may be the canonical one
_COLUMN_ALIAS = {"Hình thức": "Hình thức đề nghị", "Tên tập thể": "Họ và tên"}


def header_columns(headers: dict[str, list]) -> dict[tuple[str, str], str]:
    """(sheet, canonical header) -> column letter, from each unit sheet's header row cells; and (sheet, header
    as typed) for the columns a finding names by the file's own header ("Năm sinh (Nữ)")."""
    from .intake import NOMINATION_HEADERS, match_header
    from .text import clean

    out: dict[tuple[str, str], str] = {}
    for sheet, cells in headers.items():
        for j, cell in enumerate(cells):
            canon = match_header(cell, NOMINATION_HEADERS)
            if canon:
                out.setdefault((sheet, canon), col_letter(j))
                out.setdefault((sheet, clean(cell)), col_letter(j))
    return out


def book_locator(book_name: str, columns: dict[tuple[str, str], str]) -> Callable[[object], str | None]:
    """`locate` for findings in the workbook `book_name` itself (or naming no file): the finding's own cell."""
    def locate(f) -> str | None:
        if not (f.sheet and f.row and f.file in (None, book_name)):
            return None
        canon = _COLUMN_ALIAS.get(f.column or "", f.column or "Họ và tên")
        letter = columns.get((f.sheet, canon)) or columns.get((f.sheet, _canonical(canon) or "")) \
            or columns.get((f.sheet, "Họ và tên"), "B")
        return f"{quote_sheet(f.sheet)}!{letter}{int(f.row)}"

    return locate


def _canonical(header: str) -> str | None:
    from .intake import NOMINATION_HEADERS, match_header

    return match_header(header, NOMINATION_HEADERS)


# --- per-award lists ------------------------------------------------------------------------
def _as_date(value) -> dt.date | None:
    """A real date (a cell keeps it as a date, shown dd/mm/yyyy), or None for a missing/unparsed one."""
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    to_py = getattr(value, "to_pydatetime", None)
    return to_py().date() if to_py else None


def award_sheets(result, catalog, used: set[str] | None = None) -> dict[str, SheetModel]:
    """Sheet name -> one list of nominees per award, in Vietnamese order; birth dates as real dates
    (a year alone or an unreadable date as typed). `used`: sheet names (lower-cased) already taken."""
    used = {SUMMARY_SHEET.lower(), CHECK_SHEET.lower()} if used is None else used
    out: dict[str, SheetModel] = {}
    for code, df in result.lists.items():
        name = sheet_name_for(catalog[code].name, used)
        rows = [[i + 1, u, n, SUBJECT_LABEL.get(s, ""), _as_date(d) or (raw or ""), g, cv, kp, f"{fi}, {sh}, dòng {ro}"]
                for i, (u, n, s, d, raw, g, cv, kp, fi, sh, ro) in enumerate(zip(*(df[c].tolist() for c in (
                    "unit", "ho_ten", "subject", "ngay_sinh", "ngay_sinh_raw", "gioi_tinh",
                    "chuc_vu", "khoa_phong", "file", "sheet", "row"))))]
        out[name] = SheetModel(name, [f"DANH SÁCH ĐỀ NGHỊ {catalog[code].name.upper()} NĂM {result.year}"],
                               list(AWARD_LIST_HEADERS), rows, widths=list(LIST_WIDTHS), gap=1)
    return out


def award_sheet_names(catalog) -> set[str]:
    """Every name an award list can take: the sheets a fresh Tổng hợp replaces."""
    used = {SUMMARY_SHEET.lower(), CHECK_SHEET.lower()}
    return {sheet_name_for(a.name, used) for a in catalog}


# --- Tổng hợp -------------------------------------------------------------------------------
# Column widths (Excel characters) and how the sheet prints on A4 landscape.
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


@dataclass
class SummaryModel:
    """The `Tổng hợp` sheet as a grid from A1 (0-based rows and columns below), with where its parts are."""

    name: str
    block: list[list]  # every cell: text, int, Sum or None
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col)
    heads: tuple[int, int]  # the two header rows: award names, then Tập thể / Cá nhân
    first: int  # first unit row
    total: int  # the Tổng cộng row
    initiatives: int | None  # the head row of the Sáng kiến, đề tài table, if any
    width: int
    scale: int  # print scale (%)
    breaks: list[int]  # columns a printed page starts at

    def values(self) -> list[list]:
        """The grid with every total as its number (what a spreadsheet shows)."""
        return [[v.value if isinstance(v, Sum) else v for v in row] for row in self.block]


def summary_sheet(result, catalog, title_unit: str = "SỞ Y TẾ", now: dt.datetime | None = None) -> SummaryModel:
    """Units × (award, subject) counts with a Cộng pair per unit, the Tổng cộng line and the initiatives."""
    codes = list(result.totals)
    columns = [(code, s) for code in codes for s in catalog[code].subjects]
    width = 2 + len(columns) + 2
    scale, breaks = print_layout([len(catalog[c].subjects) for c in codes] + [2])
    title_end = (breaks[0] if breaks else width) - 1  # the title centred on the first printed page
    blank = [None] * width

    def line(*cells) -> list:
        return list(cells) + [None] * (width - len(cells))

    block = [line(f"BẢNG TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG NĂM {result.year}"),
             line(f"({title_unit} – {result.rows} lượt đề nghị từ {result.files} tệp; "
                  f"cập nhật {time_text(now or dt.datetime.now())})"),
             list(blank)]
    merges = [(0, 0, 0, title_end), (1, 0, 1, title_end)]
    h1, h2 = 3, 4
    names, subjects = line("STT", "Đơn vị"), line()
    merges += [(h1, 0, h2, 0), (h1, 1, h2, 1)]
    col = 2
    for code in codes:
        subs = catalog[code].subjects
        names[col] = catalog[code].name
        if len(subs) > 1:
            merges.append((h1, col, h1, col + len(subs) - 1))
        for k, s in enumerate(subs):
            subjects[col + k] = SUBJECT_LABEL[s]
        col += len(subs)
    names[col], subjects[col], subjects[col + 1] = SUM_LABEL, SUBJECT_LABEL[TAP_THE], SUBJECT_LABEL[CA_NHAN]
    merges.append((h1, col, h1, col + 1))
    block += [names, subjects]

    by_unit = result.by_unit
    units = [name for _code, name in result.units if name in by_unit]
    first = h2 + 1
    for i, name in enumerate(units):
        r = first + i
        per = by_unit[name]
        vals = [per.get(code, {}).get(s, 0) for code, s in columns]
        cells = {TAP_THE: [], CA_NHAN: []}
        for k, (_code, s) in enumerate(columns):
            cells[TAP_THE if s == TAP_THE else CA_NHAN].append(f"{col_letter(2 + k)}{r + 1}")
        sums = [Sum("+".join(cells[s]) or "0", sum(v for v, (_c, s2) in zip(vals, columns) if s2 == s))
                for s in (TAP_THE, CA_NHAN)]
        block.append([i + 1, name] + vals + sums)
    total = first + len(units)
    totals = result.totals
    vals = [totals[code][s] for code, s in columns] + [sum(totals[c][TAP_THE] for c in codes),
                                                       sum(totals[c][CA_NHAN] for c in codes)]
    if units:
        vals = [Sum(f"SUM({col_letter(2 + k)}{first + 1}:{col_letter(2 + k)}{total})", v) for k, v in enumerate(vals)]
    block.append([TOTAL_LABEL, None] + vals)
    merges.append((total, 0, total, 1))
    initiatives = None
    if result.initiatives:
        initiatives = total + 2
        block += [list(blank), line(None, "Sáng kiến, đề tài", *INITIATIVE_LEVEL_LABEL.values())]
        for kind, label in INITIATIVE_KIND_LABEL.items():
            block.append(line(None, label, *(result.initiatives.get(kind, {}).get(lv, 0)
                                              for lv in INITIATIVE_LEVEL_LABEL)))
    longest = max(len(r) for r in block)
    block = [r + [None] * (longest - len(r)) for r in block]
    return SummaryModel(SUMMARY_SHEET, block, merges, (h1, h2), first, total, initiatives, width, scale, breaks)


# --- the Excel adapter's view ------------------------------------------------------------------
def excel_block(model: SheetModel) -> list[list]:
    """The model as one 2-D block for a single xlwings write (links as HYPERLINK formulas)."""
    width = len(model.headers)
    block = [[t] + [None] * (width - 1) for t in model.titles] + [[None] * width for _ in range(model.gap)]
    block.append(list(model.headers))
    for row in model.rows:
        out = []
        for v in row:
            if isinstance(v, Link):
                target = v.target.replace('"', '""')
                out.append(Formula(f'=HYPERLINK("#{target}","{v.text}")'))
            else:
                out.append(None if v == "" else v)
        block.append(out)
    return block
