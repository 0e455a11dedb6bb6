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


def write_chart_sheet(wb, data: ChartData, name: str = CHART_SHEET) -> None:
    """The sheet: unit × level table with a stacked bar chart, level × year table with a column chart."""
    base = {"font_name": "Times New Roman", "font_size": 11, "border": 1}
    head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True})
    cell = wb.add_format(base)
    title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14})
    ws = wb.add_worksheet(name)
    ws.write(0, 0, f"ĐỀ NGHỊ KHEN THƯỞNG NĂM {data.year} THEO ĐƠN VỊ VÀ CẤP KHEN THƯỞNG", title)
    ws.write_row(2, 0, ["Đơn vị"] + data.levels, head)
    for i, row in enumerate(data.by_unit):
        ws.write_row(3 + i, 0, row, cell)
    n = len(data.by_unit)
    ws.set_column(0, 0, 38)
    ws.set_column(1, len(data.levels), 11)
    if n:
        chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
        for j, label in enumerate(data.levels):
            chart.add_series({"name": [name, 2, 1 + j], "categories": [name, 3, 0, 2 + n, 0],
                              "values": [name, 3, 1 + j, 2 + n, 1 + j]})
        chart.set_title({"name": f"Số đề nghị năm {data.year} theo đơn vị"})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 720, "height": max(300, 28 * n + 120)})
        ws.insert_chart(2, len(data.levels) + 2, chart)
    top = 5 + n + max(0, (28 * n + 120) // 20 - n)
    ws.write(top, 0, f"SO SÁNH VỚI NĂM {data.year - 1} (SỔ LỊCH SỬ KHEN THƯỞNG)", title)
    ws.write_row(top + 2, 0, ["Cấp khen thưởng", f"Năm {data.year - 1}", f"Năm {data.year}"], head)
    for i, label in enumerate(data.levels):
        last = "" if data.last_year is None else data.last_year[i]
        ws.write_row(top + 3 + i, 0, [label, last, data.this_year[i]], cell)
    if data.last_year is None:
        ws.write(top + 4 + len(data.levels), 0, "Chưa có sổ lịch sử khen thưởng để so sánh với năm trước.")
    chart = wb.add_chart({"type": "column"})
    rows = (top + 3, top + 2 + len(data.levels))
    for j in (1, 2):
        if j == 1 and data.last_year is None:
            continue
        chart.add_series({"name": [name, top + 2, j], "categories": [name, rows[0], 0, rows[1], 0],
                          "values": [name, rows[0], j, rows[1], j]})
    chart.set_title({"name": f"Năm {data.year} so với năm {data.year - 1}"})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(top + 2, 4, chart)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
