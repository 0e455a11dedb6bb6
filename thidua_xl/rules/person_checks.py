"""Conditions on a person that are not titles in a row: one State-level award a year,
discipline under review, years of professional work, a year rated hoàn thành xuất sắc."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..catalog import TAP_THE
from ..model import Finding
from ..text import fold, parse_date
from .context import COL_AWARD, Context
from .emit import emit, not_checked
from .records import Rule


def one_award_a_year(ctx: Context, rule: Rule) -> list[Finding]:
    """At most one award of `awards` a year for one person: this year's nominations and the register.

    Each row is matched against the other awards of the group in the same year, so a
    person proposed for two of them is reported on both rows.
    """
    rows = ctx.rows_for(rule)
    rows = rows[rows["subject"] != TAP_THE]
    if rows.empty:
        return []
    group = list(rule.awards)
    others: dict[int, list[str]] = {}
    for award in group:
        here = rows[rows["award"] == award]
        if here.empty:
            continue
        rest = [a for a in group if a != award]
        k = ctx.known_awards(rest, [ctx.year])
        k = k[k["subject"] != TAP_THE]
        for a in rest:
            for i in ctx.matched(here, k[k["award"] == a]):
                others.setdefault(i, []).append(ctx.award_name(a))
    fail = rows[rows["_i"].isin(list(others))].copy()
    fail["detail"] = ["; ".join(sorted(set(others[i]))) for i in fail["_i"]]
    return emit(ctx, rule, fail, COL_AWARD)


def column_has(ctx: Context, rule: Rule) -> list[Finding]:
    """An optional column whose cell contains one of `words` (compared folded), e.g. Kỷ luật: “đang xem xét”."""
    col = rule.params.get("column", "")
    if col not in ctx.df.columns:
        return []
    rows = ctx.rows_for(rule)
    texts = rows[col].fillna("").astype(str)
    keys = {v: fold(v) for v in texts.unique()}
    words = [fold(w) for w in rule.params.get("words", [])]
    hit = texts.map(keys).map(lambda t: any(w in t for w in words) if t else False).astype(bool)
    bad = rows[hit].copy()
    bad["value"] = texts[hit]
    return emit(ctx, rule, bad, rule.params.get("label", col))


def years_since(ctx: Context, rule: Rule) -> list[Finding]:
    """Whole years from a date column (ngày tuyển dụng, vào ngành) to the end of the award year ≥ `min_years`.

    `only_if = {column, words}` narrows the rule to rows whose column names one of the
    words (managers by their Chức vụ). A row without the date is `NOT_CHECKED`.
    """
    rows = ctx.rows_for(rule)
    rows = rows[rows["subject"] != TAP_THE]
    cond = rule.params.get("only_if")
    if cond:
        c = cond.get("column", "chuc_vu")
        texts = rows[c].fillna("").astype(str) if c in rows.columns else pd.Series("", index=rows.index)
        words = [fold(w) for w in cond.get("words", [])]
        keys = {v: fold(v) for v in texts.unique()}
        rows = rows[texts.map(keys).map(lambda t: any(w in t for w in words)).astype(bool)]
    if rows.empty:
        return []
    col = rule.params.get("column", "ngay_tuyen_dung")
    label = rule.params.get("label", col)
    end = dt.date(ctx.year + 1, 1, 1)  # the award year's work ends with 31/12
    need = int(rule.params.get("min_years", 20))
    values = rows[col] if col in rows.columns else pd.Series("", index=rows.index)

    def years(v) -> float:
        if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v)):
            return math.nan
        p = parse_date(v)
        if p.date is not None:
            return end.year - p.date.year - (1 if (end.month, end.day) < (p.date.month, p.date.day) else 0)
        return end.year - p.year if p.year else math.nan

    got = values.map({v: years(v) for v in values.dropna().unique()}).astype(float)
    out = not_checked(ctx, rule, rows[got.isna()], f"không có “{label}” để tính số năm công tác")
    bad = rows[got.notna() & (got < need)].copy()
    bad["value"] = values[bad.index].astype(str)
    bad["years"] = got[bad.index].astype(int)
    return out + emit(ctx, rule, bad, label)


def rated_in_window(ctx: Context, rule: Rule) -> list[Finding]:
    """At least one of the last `window_years` years rated one of `values` (HCLĐ hạng Ba: a year
    hoàn thành xuất sắc nhiệm vụ).

    Only this year's rating is in the data (the optional `Xếp loại` column; the register keeps
    awards, not ratings): a row rated so this year meets it, any other row is `NOT_CHECKED`
    saying what is known. The rule never fails a row on a year it cannot see.
    """
    from .initiative import column_says

    rows = ctx.rows_for(rule)
    rows = rows[rows["subject"] != TAP_THE]
    rows = rows[~column_says(ctx, rows, rule.params)]
    if rows.empty:
        return []
    col, label = rule.params.get("column", "xep_loai"), rule.params.get("label", "Xếp loại")
    window = int(rule.params.get("window_years", 5))
    first = ctx.year - window + 1
    texts = rows[col].fillna("").astype(str).str.strip() if col in rows.columns else pd.Series("", index=rows.index)
    rows = rows.assign(detail=[f"“{label}” năm {ctx.year} là “{t}”" if t else
                               f"không có “{label}” năm {ctx.year} (ô để trống hoặc tệp không có cột này)" for t in texts])
    what = rule.params.get("what", "01 năm hoàn thành xuất sắc nhiệm vụ")
    return not_checked(ctx, rule, rows, f"cần ít nhất {what} trong các năm {first}–{ctx.year}; {{detail}}, "
                                        f"còn xếp loại các năm trước không có trong dữ liệu (sổ lịch sử chỉ ghi khen thưởng)")

