"""How the Sở's decisions are numbered: on from the first number in `Cấu hình`, one per award.

The quyết định, the certificates and the register must print the same number for the
same award, so they all take it from here.
"""
from __future__ import annotations

import pandas as pd

from ..config import Config
from ..text import date_text, parse_date
from .context import SO_AWARDS, so_ky_hieu


def next_number(first: str, i: int) -> str:
    """The i-th number after `first` ('5', 2 → '7'); a number that is not a plain integer is used once."""
    first = (first or "").strip()
    if first.isdigit():
        return str(int(first) + i)
    return first if i == 0 else ""


def so_decisions(lists: dict[str, pd.DataFrame], config: Config) -> list[tuple[str, pd.DataFrame, str]]:
    """(award code, its rows, decision number) of each decision the Giám đốc Sở signs, in order.

    Numbers run on from `Số quyết định (đầu tiên)`; the certificates print the same ones.
    """
    out = []
    for code in SO_AWARDS:
        df = lists.get(code)
        if df is not None and not df.empty:
            out.append((code, df, next_number(config.get("so_quyet_dinh"), len(out))))
    return out


def decision_refs(lists: dict[str, pd.DataFrame], config: Config) -> dict[str, tuple[str, str]]:
    """{award code: (số ký hiệu, ngày dd/mm/yyyy)} of the Sở's own decisions; '' where Cấu hình has none."""
    parsed = parse_date(config.get("ngay_van_ban"))
    date = date_text(parsed.date)
    return {code: (so_ky_hieu(number, "QĐ", config) if number else "", date)
            for code, _df, number in so_decisions(lists, config)}


__all__ = ["next_number", "so_decisions", "decision_refs"]
