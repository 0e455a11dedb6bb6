"""Which unit a table belongs to: the master's units list, key/value sheets, title rows."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import clean, fold
from .headers import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, find_table

if TYPE_CHECKING:
    import pandas as pd

_UNIT_LABELS = {"don vi", "ten don vi", "don vi de nghi", "co quan don vi", "don vi bao cao"}
_YEAR_IN_TITLE = re.compile(r"\bnam (20\d{2}|19\d{2})\b")


def _key_values(rows: list[list]) -> dict[str, str]:
    out = {}
    for r in rows:
        if len(r) >= 2 and clean(r[0]):
            out[fold(str(r[0]).replace("_", " "))] = clean(r[1])
    return out


def _title_info(rows: list[list], header_idx: int) -> tuple[str, int | None]:
    """Unit name from a title row "Đơn vị: …" and the year from "… NĂM 2020" above the header."""
    unit, year = "", None
    for r in rows[:header_idx]:
        for cell in r:
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = clean(cell)
            if ":" in text and not unit and fold(text.split(":", 1)[0]) in _UNIT_LABELS:
                unit = clean(text.split(":", 1)[1])
            y = _YEAR_IN_TITLE.search(fold(text))
            if y and year is None:
                year = int(y.group(1))
    return unit, year


class UnitRegistry:
    """Known units (from a master's Đơn vị sheet), looked up by code, name or sheet."""

    def __init__(self, units: pd.DataFrame | None = None):
        self.by_code: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}
        if units is not None:
            for code, name in zip(units["unit_code"], units["unit"]):
                self.add(code, name)

    def add(self, code: str, name: str) -> None:
        self.by_code[fold(code)] = (code, name)
        self.by_name[fold(name)] = (code, name)

    def find(self, text: str) -> tuple[str, str] | None:
        return self.by_code.get(fold(text)) or self.by_name.get(fold(text))


def read_units_sheet(rows: list[list]) -> pd.DataFrame:
    import pandas as pd

    table = find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)
    cols = ["unit_code", "unit", "email", "sheet"]
    if table is None:
        return pd.DataFrame(columns=cols)
    col = {UNIT_LIST_HEADERS[c][0]: j for j, c in table.columns.items()}
    recs = []
    for r in rows[table.header_idx + 1:]:
        get = lambda k: clean(r[col[k]]) if k in col and col[k] < len(r) else ""  # noqa: E731
        if not get("unit_code") and not get("unit"):
            continue
        recs.append({k: get(k) for k in cols})
    return pd.DataFrame.from_records(recs, columns=cols)


