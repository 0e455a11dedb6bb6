"""The tool's output sheets as plain data, written alike by the command line and the ribbon.

`thidua validate --out/--into` (XlsxWriter) and the ribbon's *Kiểm tra* (xlwings) used to build
their own `Kiểm tra` sheet, with other columns, colours and order. Here the sheet is built once
— title lines, headers, rows, each row's colour, links as `Link` values — and each adapter only
writes it: a `Link` becomes a hyperlink cell in a file and a HYPERLINK formula in Excel.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from .text import time_text

from .schema import CHECK_HEADERS, CHECK_SHEET, SEVERITY_LABEL, SEVERITY_ORDER  # noqa: F401
CHECK_WIDTHS = [5, 9, 18, 28, 16, 16, 7, 16, 80, 40, 24, 16]
LINK_COLUMN = CHECK_HEADERS.index("Dòng")
COLOR_HEADER = "#DDEBF7"
COLOR_SEVERITY = {"error": "#F8CBAD", "warning": "#FFF2CC", "info": "#E2EFDA"}


@dataclass(frozen=True)
class Link:
    """A cell that takes the reader to `target` (`'Sheet'!B12`) when clicked."""

    target: str
    text: str


@dataclass
class SheetModel:
    """One output sheet: title lines, a header row, data rows and the colour of each data row."""

    name: str
    titles: list[str]
    headers: list[str]
    rows: list[list]
    colors: list[str | None] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        """1-based row of the header, right below the titles."""
        return len(self.titles) + 1

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


def ordered_findings(findings) -> list:
    """Errors, then warnings, then notes; within each, by unit, sheet and row."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.unit or "", f.file or "",
                                           f.sheet or "", f.row or 0))


def check_sheet(findings, year: int, locate: Callable[[object], str | None],
                now: dt.datetime | None = None) -> SheetModel:
    """The `Kiểm tra` sheet. `locate(finding)` gives the cell a finding's row links to (or None)."""
    from .validate import UNVERIFIED_COLUMN_NOTE, UNVERIFIED_MARK

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


def write_sheet_xlsxwriter(wb, model: SheetModel, ws=None):
    """Write a model with XlsxWriter: bold titles, coloured header and rows, links, print setup."""
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1, "valign": "top", "text_wrap": True}
    f_title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14})
    f_note = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "italic": True})
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
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(h)
    ws.set_footer("&CTrang &P/&N")
    return ws


class Formula(str):
    """A formula the tool itself writes (a link to a finding's cell): the one text xl.as_text leaves be."""


def excel_block(model: SheetModel) -> list[list]:
    """The model as one 2-D block for a single xlwings write (links as HYPERLINK formulas)."""
    width = len(model.headers)
    block = [[t] + [None] * (width - 1) for t in model.titles] + [list(model.headers)]
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
