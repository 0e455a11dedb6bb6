"""Optional columns of a unit's file (xếp loại, kỷ luật, ngày tuyển dụng): checked only
when intake carries the column; otherwise there is nothing to check and nothing to report."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..model import Finding
from ..text import fold
from .context import Context
from .emit import emit
from .records import Rule


def _optional(ctx: Context, rule: Rule) -> tuple[pd.DataFrame, str] | None:
    col = rule.params.get("column", "")
    if col not in ctx.df.columns:
        return None
    rows = ctx.rows_for(rule)
    texts = rows[col].fillna("").astype(str)
    stripped = {v: v.strip() for v in texts.unique().tolist()}  # each distinct cell once
    return rows[texts.map(stripped) != ""], col


def column_in(ctx: Context, rule: Rule) -> list[Finding]:
    """A filled optional column must hold one of `allowed` (compared folded: HTTNV = httnv)."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    return _emit_folded(ctx, rule, rows, col, rule.params.get("allowed", []))


def column_empty(ctx: Context, rule: Rule) -> list[Finding]:
    """A filled optional column (e.g. Kỷ luật) disqualifies unless it says one of `ignore` ("không")."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    return _emit_folded(ctx, rule, rows, col, rule.params.get("ignore", []))


def _emit_folded(ctx: Context, rule: Rule, rows: pd.DataFrame, col: str, listed) -> list[Finding]:
    """A finding for each row whose cell, compared folded (HTTNV = httnv, Không = khong), is not one of `listed`."""
    texts = rows[col].astype(str)
    keys = {v: fold(v) for v in texts.unique()}  # each distinct text folded once
    inside = texts.map(keys).isin({fold(a) for a in listed})
    bad = rows[~inside].copy()
    bad["value"] = bad[col]
    return emit(ctx, rule, bad, rule.params.get("label", col))


def months_before_year_end(ctx: Context, rule: Rule) -> list[Finding]:
    """A date column (ngày tuyển dụng) at least `min_months` before 31/12 of the award year."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    from ..text import parse_date

    end = dt.date(ctx.year + 1, 1, 1)  # the year's work ends with 31/12
    need = int(rule.params.get("min_months", 10))

    def months(v) -> float:
        """Whole months from the date to the end of the award year (01/07 → 6, 02/07 → 5)."""
        d = parse_date(v).date
        if d is None:
            return math.nan
        return (end.year - d.year) * 12 + (end.month - d.month) - (1 if d.day > end.day else 0)

    m = rows[col].map(months)
    bad = rows[m.notna() & (m < need)].copy()
    bad["value"] = bad[col].astype(str)
    bad["months"] = m[bad.index].astype(int)
    return emit(ctx, rule, bad, rule.params.get("label", col))
