"""Optional columns of a unit's file (xếp loại, kỷ luật, ngày tuyển dụng): checked only
when intake carries the column; otherwise there is nothing to check and nothing to report."""
from __future__ import annotations

import datetime as dt
import math

import polars as pl

from ..model import Finding
from ..text import fold
from .context import Context, take
from .emit import by_text, emit
from .records import Rule


def _optional(ctx: Context, rule: Rule) -> tuple[pl.DataFrame, str] | None:
    col = rule.params.get("column", "")
    if col not in ctx.df.columns:
        return None
    # the column of the rule's rows tested (each distinct cell once), then only the rows filled taken whole
    at = ctx.positions_for(rule)
    filled = by_text(take(ctx.df.select(col), at), col, lambda t: t.strip() != "", pl.Boolean)
    return take(ctx.df, at.filter(filled)), col


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


def _emit_folded(ctx: Context, rule: Rule, rows: pl.DataFrame, col: str, listed) -> list[Finding]:
    """A finding for each row whose cell, compared folded (HTTNV = httnv, Không = khong), is not one of `listed`."""
    allowed = {fold(a) for a in listed}
    bad = rows.filter(by_text(rows, col, lambda t: fold(t) not in allowed, pl.Boolean))  # each distinct text once
    return emit(ctx, rule, bad.with_columns(value=pl.col(col)), rule.params.get("label", col))


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

    values = rows.get_column(col).to_list()
    table = {v: months(v) for v in dict.fromkeys(values)}
    got_months = [table[v] for v in values]
    keep = [m == m and m < need for m in got_months]
    bad = rows.filter(pl.Series(keep, dtype=pl.Boolean)).with_columns(
        value=pl.col(col).cast(pl.String),
        months=pl.Series([int(m) for m, k in zip(got_months, keep) if k], dtype=pl.Int64))
    return emit(ctx, rule, bad, rule.params.get("label", col))
