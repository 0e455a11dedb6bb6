"""Conditions on a person that are not titles in a row: one State-level award a year,
discipline under review, years of professional work, a year rated hoàn thành xuất sắc."""
from __future__ import annotations

import datetime as dt
import math

import polars as pl

from ..catalog import TAP_THE
from ..model import Finding
from ..text import fold, parse_date
from .context import COL_AWARD, Context
from .emit import by_text, cell_texts, emit, not_checked, where
from .records import Rule


def one_award_a_year(ctx: Context, rule: Rule) -> list[Finding]:
    """At most one award of `awards` a year for one person: this year's nominations and the register.

    Each row is matched against the other awards of the group in the same year, so a
    person proposed for two of them is reported on both rows.
    """
    rows = ctx.rows_for(rule).filter(pl.col("subject").ne_missing(TAP_THE))
    if rows.is_empty():
        return []
    group = list(rule.awards)
    others: dict[int, list[str]] = {}
    pairs, covered = ctx.known_pairs()
    if covered is None or covered.issuperset(rows.get_column("_i").to_list()):
        # the run's matching holds every pair: each row's pairs with the group's other awards picked in one query
        if not pairs.is_empty():
            got = pairs.lazy().join(rows.lazy().select("_i", _own=pl.col("award")), on="_i").filter(
                pl.col("award").is_in(group) & pl.col("award").ne(pl.col("_own")) & pl.col("year").eq(ctx.year)
                & pl.col("subject").ne_missing(TAP_THE)).select("_i", "award").unique().collect()
            for i, a in zip(got.get_column("_i").to_list(), got.get_column("award").to_list()):
                others.setdefault(i, []).append(ctx.award_name(a))
        group = []  # nothing left to match award by award
    for award in group:
        here = rows.filter(pl.col("award").eq_missing(award))
        if here.is_empty():
            continue
        rest = [a for a in group if a != award]
        by_award = ctx.matched_known(here, rest, [ctx.year], "award", where=pl.col("subject").ne_missing(TAP_THE))
        for a in rest:
            for i in by_award.get(a, ()):
                others.setdefault(i, []).append(ctx.award_name(a))
    fail = rows.filter(pl.col("_i").is_in(list(others)))
    fail = fail.with_columns(detail=pl.Series(["; ".join(sorted(set(others[i])))
                                               for i in fail.get_column("_i").to_list()], dtype=pl.String))
    return emit(ctx, rule, fail, COL_AWARD)


def column_has(ctx: Context, rule: Rule) -> list[Finding]:
    """An optional column whose cell contains one of `words` (compared folded), e.g. Kỷ luật: “đang xem xét”."""
    col = rule.params.get("column", "")
    if col not in ctx.df.columns:
        return []
    rows = ctx.rows_for(rule)
    words = [fold(w) for w in rule.params.get("words", [])]
    hit = by_text(rows, col, lambda v: (lambda t: any(w in t for w in words) if t else False)(fold(v)), pl.Boolean)
    bad = rows.filter(hit)
    bad = bad.with_columns(value=pl.Series(cell_texts(bad, col), dtype=pl.String))
    return emit(ctx, rule, bad, rule.params.get("label", col))


def years_since(ctx: Context, rule: Rule) -> list[Finding]:
    """Whole years from a date column (ngày tuyển dụng, vào ngành) to the end of the award year ≥ `min_years`.

    `only_if = {column, words}` narrows the rule to rows whose column names one of the
    words (managers by their Chức vụ). A row without the date is `NOT_CHECKED`.
    """
    rows = ctx.rows_for(rule).filter(pl.col("subject").ne_missing(TAP_THE))
    cond = rule.params.get("only_if")
    if cond:
        texts = cell_texts(rows, cond.get("column", "chuc_vu"))
        words = [fold(w) for w in cond.get("words", [])]
        keys = {v: (lambda t: any(w in t for w in words))(fold(v)) for v in dict.fromkeys(texts)}
        rows = where(rows, [keys[t] for t in texts])
    if rows.is_empty():
        return []
    col = rule.params.get("column", "ngay_tuyen_dung")
    label = rule.params.get("label", col)
    end = dt.date(ctx.year + 1, 1, 1)  # the award year's work ends with 31/12
    need = int(rule.params.get("min_years", 20))
    values = rows.get_column(col).to_list() if col in rows.columns else [""] * rows.height

    def years(v) -> float:
        if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v)):
            return math.nan
        p = parse_date(v)
        if p.date is not None:
            return end.year - p.date.year - (1 if (end.month, end.day) < (p.date.month, p.date.day) else 0)
        return end.year - p.year if p.year else math.nan

    table = {v: years(v) for v in dict.fromkeys(values)}
    got = [table[v] for v in values]
    out = not_checked(ctx, rule, where(rows, [g != g for g in got]), f"không có “{label}” để tính số năm công tác")
    keep = [g == g and g < need for g in got]
    bad = where(rows, keep).with_columns(
        value=pl.Series([str(v) for v, k in zip(values, keep) if k], dtype=pl.String),
        years=pl.Series([int(g) for g, k in zip(got, keep) if k], dtype=pl.Int64))
    return out + emit(ctx, rule, bad, label)


def rated_in_window(ctx: Context, rule: Rule) -> list[Finding]:
    """At least one of the last `window_years` years rated one of `values` (HCLĐ hạng Ba: a year
    hoàn thành xuất sắc nhiệm vụ).

    Only this year's rating is in the data (the optional `Xếp loại` column; the register keeps
    awards, not ratings): a row rated so this year meets it, any other row is `NOT_CHECKED`
    saying what is known. The rule never fails a row on a year it cannot see.
    """
    from .initiative import column_says

    rows = ctx.rows_for(rule).filter(pl.col("subject").ne_missing(TAP_THE))
    rows = where(rows, [not s for s in column_says(ctx, rows, rule.params)])
    if rows.is_empty():
        return []
    col, label = rule.params.get("column", "xep_loai"), rule.params.get("label", "Xếp loại")
    window = int(rule.params.get("window_years", 5))
    first = ctx.year - window + 1
    texts = [t.strip() for t in cell_texts(rows, col)]
    rows = rows.with_columns(detail=pl.Series([f"“{label}” năm {ctx.year} là “{t}”" if t else
                                               f"không có “{label}” năm {ctx.year} (ô để trống hoặc tệp không có cột này)"
                                               for t in texts], dtype=pl.String))
    what = rule.params.get("what", "01 năm hoàn thành xuất sắc nhiệm vụ")
    return not_checked(ctx, rule, rows, f"cần ít nhất {what} trong các năm {first}–{ctx.year}; {{detail}}, "
                                        f"còn xếp loại các năm trước không có trong dữ liệu (sổ lịch sử chỉ ghi khen thưởng)")
