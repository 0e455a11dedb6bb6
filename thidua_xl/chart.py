"""The year at a glance: the `Biểu đồ` sheet written with `Tổng hợp`.

Two small tables and their charts: this year's nominations of each unit by level of the
authority that grants them (Sở, tỉnh, Bộ, Chính phủ, Nhà nước), and each level this year
against last year as the awards register records it. Plain data first (`chart_data`), then
one XlsxWriter writer; the tables stay beside the charts so the numbers can be read too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from .schema import CHART_SHEET  # noqa: E402
LEVELS = [("so", "Cấp Sở"), ("tinh", "Cấp tỉnh"), ("bo", "Cấp Bộ"), ("cp", "Chính phủ"), ("nha_nuoc", "Nhà nước")]


@dataclass
class ChartData:
    year: int
    by_unit: list[list]  # [unit, n per level...]
    levels: list[str]  # labels of the levels present in either table
    this_year: list[int] = field(default_factory=list)
    last_year: list[int] | None = None  # None: no register to compare with


def _level_counts(codes: pd.Series, catalog) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, n in codes.value_counts().items():
        try:
            level = catalog[code].authority
        except KeyError:
            continue
        out[level] = out.get(level, 0) + int(n)
    return out


def chart_data(result, catalog, history: str | os.PathLike | None = None) -> ChartData:
    """Counts by unit × level this year, and by level this year and last year (from the register)."""
    counts = result.counts
    keys = [k for k, _label in LEVELS]
    level_of = {}
    for code in counts["award"].unique() if len(counts) else []:
        try:
            level_of[code] = catalog[code].authority
        except KeyError:
            pass
    by_unit = []
    names = [n for _c, n in result.units] or list(dict.fromkeys(counts["unit"]))
    for name in names:
        mine = counts[counts["unit"] == name]
        per = {k: 0 for k in keys}
        for code, n in zip(mine["award"], mine["n"]):
            if level_of.get(code) in per:
                per[level_of[code]] += int(n)
        if sum(per.values()):
            by_unit.append([name] + [per[k] for k in keys])
    this = {k: sum(r[1 + i] for r in by_unit) for i, k in enumerate(keys)}
    last = None
    if history is not None and os.path.isfile(history):
        from .history import load_frame

        frame = load_frame(history, years=(result.year - 1, result.year - 1), columns=("award", "year", "birth_year"))
        last = _level_counts(frame["award"], catalog) if len(frame) else {}
    used = [i for i, k in enumerate(keys) if this.get(k) or (last or {}).get(k)] or list(range(len(keys)))
    return ChartData(result.year, [[r[0]] + [r[1 + i] for i in used] for r in by_unit],
                     [LEVELS[i][1] for i in used], [this[keys[i]] for i in used],
                     None if last is None else [last.get(keys[i], 0) for i in used])


@dataclass
class ChartSheet:
    """The `Biểu đồ` sheet as a grid from A1 (0-based rows/columns) and where its two tables and charts are."""

    block: list[list]
    units: tuple[int, int]  # header row and number of unit rows of the unit × level table
    compare: tuple[int, int]  # header row and number of level rows of the this year / last year table
    width: int  # columns of the unit × level table (Đơn vị + levels)
    has_last: bool
    note: int | None  # row of the "no register" note

    @property
    def unit_chart_at(self) -> tuple[int, int]:
        return self.units[0], self.width + 1

    @property
    def compare_chart_at(self) -> tuple[int, int]:
        return self.compare[0], 4

    @property
    def unit_chart_height(self) -> int:
        return max(300, 28 * self.units[1] + 120)


def chart_sheet(data: ChartData) -> ChartSheet:
    """The cells of the sheet, laid out once for the file writer and the ribbon."""
    n, m = len(data.by_unit), len(data.levels)
    top = 5 + n + max(0, (28 * n + 120) // 20 - n)  # the second table starts below the first chart
    rows: dict[int, list] = {0: [f"ĐỀ NGHỊ KHEN THƯỞNG NĂM {data.year} THEO ĐƠN VỊ VÀ CẤP KHEN THƯỞNG"],
                             2: ["Đơn vị"] + list(data.levels)}
    for i, row in enumerate(data.by_unit):
        rows[3 + i] = list(row)
    rows[top] = [f"SO SÁNH VỚI NĂM {data.year - 1} (SỔ LỊCH SỬ KHEN THƯỞNG)"]
    rows[top + 2] = ["Cấp khen thưởng", f"Năm {data.year - 1}", f"Năm {data.year}"]
    for i, label in enumerate(data.levels):
        rows[top + 3 + i] = [label, "" if data.last_year is None else data.last_year[i], data.this_year[i]]
    note = None
    if data.last_year is None:
        note = top + 4 + m
        rows[note] = ["Chưa có sổ lịch sử khen thưởng để so sánh với năm trước."]
    width = max(len(r) for r in rows.values())
    block = [(rows.get(r, []) + [None] * width)[:width] for r in range(max(rows) + 1)]
    return ChartSheet(block, (2, n), (top + 2, m), 1 + m, data.last_year is not None, note)


def write_chart_sheet(wb, data: ChartData, name: str = CHART_SHEET) -> None:
    """The sheet: unit × level table with a stacked bar chart, level × year table with a column chart."""
    sheet = chart_sheet(data)
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1}
    head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True})
    cell = wb.add_format(base)
    title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14})
    ws = wb.add_worksheet(name)
    (uh, n), (ch, m) = sheet.units, sheet.compare
    for r, row in enumerate(sheet.block):
        if r in (uh, ch):
            ws.write_row(r, 0, row[:sheet.width if r == uh else 3], head)
        elif uh < r <= uh + n:
            ws.write_row(r, 0, row[:sheet.width], cell)
        elif ch < r <= ch + m:
            ws.write_row(r, 0, row[:3], cell)
        elif row[0] is not None:
            ws.write(r, 0, row[0], None if r == sheet.note else title)
    ws.set_column(0, 0, 38)
    ws.set_column(1, m, 11)
    if n:
        chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
        for j in range(m):
            chart.add_series({"name": [name, uh, 1 + j], "categories": [name, uh + 1, 0, uh + n, 0],
                              "values": [name, uh + 1, 1 + j, uh + n, 1 + j]})
        chart.set_title({"name": f"Số đề nghị năm {data.year} theo đơn vị"})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 720, "height": sheet.unit_chart_height})
        ws.insert_chart(*sheet.unit_chart_at, chart)
    chart = wb.add_chart({"type": "column"})
    for j in (1, 2):
        if j == 1 and not sheet.has_last:
            continue
        chart.add_series({"name": [name, ch, j], "categories": [name, ch + 1, 0, ch + m, 0],
                          "values": [name, ch + 1, j, ch + m, j]})
    chart.set_title({"name": f"Năm {data.year} so với năm {data.year - 1}"})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(*sheet.compare_chart_at, chart)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
