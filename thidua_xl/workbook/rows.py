"""Nomination and initiative rows as the tool writes them: lists in layout order.

Intake gives parsed nominees; writing them back needs the values as typed (the date
a unit typed, the award text it chose) plus any extra columns the unit added. These
helpers turn DataFrames and raw sheet rows into rows of `layout.NOMINATION_LAYOUT`.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..catalog import SUBJECT_LABEL
from ..intake import INITIATIVE_HEADERS, NOMINATION_HEADERS, match_header
from ..schema import INITIATIVE_KIND_LABEL, INITIATIVE_LEVEL_LABEL
from ..text import clean, fold, nfc
from .layout import INITIATIVE_LAYOUT, MASTER_COLUMNS, MASTER_HEADERS, NOMINATION_LAYOUT

_SUBJECT_TEXT = {**SUBJECT_LABEL, "Tập thể": "Tập thể", "Cá nhân": "Cá nhân"}
_LEVEL_TEXT = INITIATIVE_LEVEL_LABEL
_KIND_TEXT = INITIATIVE_KIND_LABEL


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def _plain(value):
    """NFC strings, ints for whole floats, None for blanks, dates kept."""
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return nfc(value)


def _column_lookup(columns, spec, layout) -> dict[str, list[str]]:
    """layout header -> DataFrame columns, accepting intake ids or any accepted header variant."""
    by_field = {c.field: c.header for c in layout if c.field}
    headers = {c.header for c in layout}
    out: dict[str, list[str]] = {}
    for col in columns:
        if not isinstance(col, str):
            continue
        canon = by_field.get(col) or match_header(col, spec)
        if canon is None and clean(col) in headers:
            canon = clean(col)
        if canon in headers:
            out.setdefault(canon, []).append(col)
    return out


def _first(rec: dict, cols: list[str] | None):
    """The first non-blank value among the columns that mean the same thing."""
    for c in cols or ():
        v = rec.get(c)
        if not is_blank(v):
            return v
    return None


def nomination_rows_from_frame(df: pd.DataFrame) -> dict[str, list[list]]:
    """unit_code -> rows, from a DataFrame of intake ids (ho_ten, hinh_thuc, …) or Vietnamese headers.

    `unit_code` (or `Mã đơn vị`) says whose row it is; `ngay_sinh` may be a date, a year or text
    (`ngay_sinh_raw` is used when the date is empty); `doi_tuong` may be tap_the/ca_nhan or the labels;
    `so_cccd` / `Số CCCD` is kept as text.
    """
    lookup = _column_lookup(df.columns, NOMINATION_HEADERS, NOMINATION_LAYOUT)
    code_col = next((c for c in ("unit_code", "Mã đơn vị", "ma_don_vi") if c in df.columns), None)
    if code_col is None:
        raise ValueError("nominations need a unit_code column")
    id_col = next((c for c in ("so_cccd", "Số CCCD", "cccd") if c in df.columns), None)
    out: dict[str, list[list]] = {}
    records = df.to_dict("records")
    for rec in records:
        row = []
        for col in NOMINATION_LAYOUT:
            if col.header == "Số CCCD":
                v = rec.get(id_col) if id_col else None
                row.append(None if is_blank(v) else clean(v))
                continue
            v = _first(rec, lookup.get(col.header))
            if col.field == "ngay_sinh" and is_blank(v) and "ngay_sinh_raw" in rec:
                v = rec.get("ngay_sinh_raw")
            if col.field == "doi_tuong" and not is_blank(v):
                v = _SUBJECT_TEXT.get(str(v), v)
            row.append(_plain(v))
        if row[1] is None and row[7] is None:
            continue
        row += [_plain(_first(rec, [c.field, c.header])) for c in MASTER_COLUMNS]  # the Sở's own columns
        out.setdefault(clean(rec[code_col]), []).append(row)
    for rows in out.values():
        for i, row in enumerate(rows):
            row[0] = i + 1
    return out


def initiative_rows_from_frame(df: pd.DataFrame, unit_names: dict[str, str] | None = None) -> list[list]:
    """Rows of the `Sáng kiến` table from intake ids (ten, loai, cap, tac_gia, nam, unit) or headers."""
    lookup = _column_lookup(df.columns, INITIATIVE_HEADERS, INITIATIVE_LAYOUT)
    lookup.setdefault("Đơn vị", []).extend(c for c in ("unit", "don_vi") if c in df.columns)
    rows = []
    for rec in df.to_dict("records"):
        row = []
        for col in INITIATIVE_LAYOUT:
            v = _plain(_first(rec, lookup.get(col.header)))
            if col.field == "loai" and v is not None:
                v = _KIND_TEXT.get(str(v), v)
            elif col.field == "cap" and v is not None:
                v = _LEVEL_TEXT.get(str(v), v)
            elif col.field == "don_vi" and v is None and unit_names and rec.get("unit_code") in unit_names:
                v = unit_names[rec["unit_code"]]
            row.append(v)
        if row[1] is None:
            continue
        rows.append(row)
    for i, row in enumerate(rows):
        row[0] = i + 1
    return rows


# --- tables as typed, from the files intake read -----------------------------------
ID_HEADERS = {"so cccd", "cccd", "so cccd cmnd", "cccd cmnd", "so cmnd", "cmnd", "so dinh danh",
              "so dinh danh ca nhan", "so can cuoc", "so can cuoc cong dan"}


@dataclass
class UnitTable:
    """One unit's nomination table: layout headers first, then the extra columns it had."""

    extra_headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # texts above the header ("DANH SÁCH … BỔ SUNG")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in NOMINATION_LAYOUT] + self.extra_headers

    def without_master_columns(self) -> "UnitTable":
        """The table as a unit may see it: the Sở's own columns (Kết quả xét, …) left out."""
        keep = [i for i, h in enumerate(self.extra_headers) if h not in MASTER_HEADERS]
        n = len(NOMINATION_LAYOUT)
        return UnitTable([self.extra_headers[i] for i in keep],
                         [list(r[:n]) + [r[n + i] if n + i < len(r) else None for i in keep] for r in self.rows])

    def with_master_values(self, values: list[list]) -> "UnitTable":
        """The Sở's own columns placed right after the layout's, one list of values per row."""
        n = len(NOMINATION_LAYOUT)
        return UnitTable(list(MASTER_HEADERS) + self.extra_headers,
                         [list(r[:n]) + list(v) + list(r[n:]) for r, v in zip(self.rows, values)])


def _raw_for_date(value):
    """A birth date cell as the tool writes it back: dates stay dates, a year alone becomes text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def _id_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if is_blank(value) else nfc(value)


def read_sheet_rows(path: str, sheets: list[str]) -> dict[str, list[list]]:
    """The raw rows of some sheets of one workbook (calamine, one open)."""
    from ..intake import open_workbook, sheet_rows

    wb, _reason = open_workbook(Path(path))
    if wb is None:
        return {}
    try:
        return {s: sheet_rows(wb, s)[0] for s in sheets}
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001
            pass


def _birth_cell(v, rec):
    """A date-of-birth cell as the master keeps it: "13/02/1980" typed as text becomes the date it says."""
    parsed = rec.ngay_sinh
    if isinstance(v, str) and isinstance(parsed, dt.date) and not rec.ngay_sinh_error:
        return parsed
    return _raw_for_date(_plain(v))


def unit_tables(nominations: pd.DataFrame, raw_rows: dict[tuple[str, str], list[list]] | None = None
                ) -> dict[str, UnitTable]:
    """unit_code -> the unit's nominees as typed (every column, extra ones too), in file order.

    Intake decides which rows are nominees and whose they are; the values come from the
    cells themselves, so nothing a unit typed is normalised away or lost on the way.
    `raw_rows` (Intake.raw_rows) are the sheets intake already read; a file not in it is read again.
    """
    from ..intake import NOMINATION_REQUIRED, find_table

    out: dict[str, UnitTable] = {}
    if nominations.empty:
        return out
    pos = {c.header: j for j, c in enumerate(NOMINATION_LAYOUT)}
    id_pos = pos["Số CCCD"]
    for (path, sheet), part in nominations.groupby(["path", "sheet"], sort=False):
        if raw_rows is None or (path, sheet) not in raw_rows:
            raw_rows = dict(raw_rows or {})
            wanted = list(dict.fromkeys(nominations.loc[nominations["path"] == path, "sheet"]))
            raw_rows.update(((path, s), r) for s, r in read_sheet_rows(path, wanted).items())
        rows = raw_rows.get((path, sheet))
        if rows is None:
            continue
        table = find_table(rows, NOMINATION_HEADERS, NOMINATION_REQUIRED)
        header = rows[table.header_idx] if table else []
        target: dict[int, int | str] = {}
        for j, cell in enumerate(header):
            if j in table.columns:  # a known column outside the layout (Xếp loại, Kết quả xét…) stays extra
                target[j] = pos.get(table.columns[j], table.columns[j])
            elif fold(cell) in ID_HEADERS and id_pos not in target.values():
                target[j] = id_pos
            elif clean(cell):
                target[j] = clean(cell)
        # a birth date split by sex ("Năm sinh" over "Nam" | "Nữ", or "Năm sinh (Nam)" | "Năm sinh (Nữ)"):
        # the filled one of the two goes to "Ngày sinh", and the sex its column gave to "Giới tính"
        split = table.birth_by_gender if table else None
        for j in split or ():
            target.pop(j, None)
        titles = [clean(c) for row in rows[:table.header_idx if table else 0] for c in row
                  if isinstance(c, str) and clean(c)]
        for rec in part.itertuples(index=False):
            unit = out.setdefault(rec.unit_code, UnitTable())
            if titles and not unit.titles:
                unit.titles = titles
            for name in target.values():
                if isinstance(name, str) and name not in unit.extra_headers:
                    unit.extra_headers.append(name)
            values = rows[rec.row - 1] if rec.row - 1 < len(rows) else []
            row: list = [None] * len(NOMINATION_LAYOUT)
            extras: dict[str, object] = {}
            for j, dest in target.items():
                v = values[j] if j < len(values) else None
                if is_blank(v):
                    continue
                if isinstance(dest, str):
                    extras[dest] = _plain(v)
                elif dest == pos["Ngày sinh"]:
                    row[dest] = _birth_cell(v, rec)
                elif dest == id_pos:
                    row[dest] = _id_text(v)
                else:
                    row[dest] = _plain(v)
            if split:
                v = next((values[j] for j in split if j < len(values) and not is_blank(values[j])), None)
                if v is not None:  # both filled: the Nam one, as intake reads it
                    row[pos["Ngày sinh"]] = _birth_cell(v, rec)
                if row[pos["Giới tính"]] is None and rec.gioi_tinh:
                    row[pos["Giới tính"]] = rec.gioi_tinh
            if row[pos["Đối tượng"]] is None and rec.group_subject:
                row[pos["Đối tượng"]] = SUBJECT_LABEL.get(rec.group_subject)  # keep what the heading said
            row.append(extras)
            unit.rows.append(row)
    for unit in out.values():
        for i, row in enumerate(unit.rows):
            extras = row.pop()
            row.extend(extras.get(h) for h in unit.extra_headers)
            row[0] = i + 1
    return out
