"""Checks against the awards already known: this year's nominations and the history register
(streaks, counts in a window, a prior award, the award presupposed the same year)."""
from __future__ import annotations

from ..model import Finding
from .context import COL_AWARD, Context
from .emit import emit, not_checked, year_list
from .records import Rule


def same_year_award(ctx: Context, rule: Rule) -> list[Finding]:
    """The award presupposes another one in the same year (CSTĐCS ⇒ LĐTT, TTLĐXS ⇒ TTLĐTT)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    hits = ctx.matched_years(rows, rule.params.get("needs", []), [ctx.year]).get(ctx.year, set())
    return emit(ctx, rule, rows[~rows["_i"].isin(hits)], COL_AWARD)



def _history_gap(ctx: Context, years) -> list[int]:
    """Years before this one the history register does not cover."""
    if ctx.history is None:
        return [y for y in years if y != ctx.year]
    return [y for y in years if y != ctx.year and y not in ctx.history_years]


def _no_history_reason(ctx: Context, gap) -> str:
    if ctx.history is None:
        return "chưa có sổ lịch sử khen thưởng (dùng “thidua history import” hoặc --history)"
    return f"sổ lịch sử {ctx.history_label} chưa có dữ liệu năm {year_list(gap)}"


def streak(ctx: Context, rule: Rule) -> list[Finding]:
    """The award in every one of the `years` consecutive years ending this year (history + this year)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    n = int(rule.params.get("years", 3))
    needs = rule.params.get("needs", [])
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    gap = set(_history_gap(ctx, years))
    missing: dict[int, list[int]] = {i: [] for i in rows["_i"]}
    unknown: dict[int, list[int]] = {i: [] for i in rows["_i"]}
    by_year = ctx.matched_years(rows, needs, years)
    for y in years:
        hits = by_year.get(y, set())
        for i in rows["_i"]:
            if i not in hits:
                (unknown if y in gap else missing)[i].append(y)
    fail = rows[rows["_i"].map(lambda i: bool(missing[i]))].copy()
    needs_name = ", ".join(ctx.award_name(c) for c in needs)
    fail["detail"] = [f"không có {needs_name} năm {year_list(missing[i])}" for i in fail["_i"]]
    out = emit(ctx, rule, fail, COL_AWARD, first_year=years[0])
    unsure = rows[rows["_i"].map(lambda i: not missing[i] and bool(unknown[i]))]
    return out + not_checked(ctx, rule, unsure, _no_history_reason(ctx, sorted(gap)))


def count_in_window(ctx: Context, rule: Rule) -> list[Finding]:
    """At least `count` years with one of `needs` among the last `window_years` years."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    window = int(rule.params.get("window_years", 6))
    need = int(rule.params.get("count", 2))
    years = list(range(ctx.year - window + 1, ctx.year + 1))
    gap = _history_gap(ctx, years)
    found = {i: 0 for i in rows["_i"]}
    for hits in ctx.matched_years(rows, rule.params.get("needs", []), years).values():
        for i in hits:
            found[i] += 1
    short = rows[rows["_i"].map(lambda i: found[i] < need)].copy()
    if gap:
        return not_checked(ctx, rule, short, _no_history_reason(ctx, gap))
    short["found"] = short["_i"].map(found)
    return emit(ctx, rule, short, COL_AWARD, first_year=years[0])


def prior_award(ctx: Context, rule: Rule) -> list[Finding]:
    """One of `needs` at least `min_years_since` years before this one (history register)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    if ctx.history is None:
        return not_checked(ctx, rule, rows, _no_history_reason(ctx, []))
    last = ctx.year - int(rule.params.get("min_years_since", 5))
    k = ctx.history
    right = k[k["award"].isin(rule.params.get("needs", [])) & (k["year"] <= last)]
    hits = ctx.matched(rows, right)
    fail = rows[~rows["_i"].isin(hits)].copy()
    span = f"{min(ctx.history_years)}–{max(ctx.history_years)}" if ctx.history_years else "không có năm nào"
    fail["detail"] = f"(sổ lịch sử có dữ liệu các năm {span})"
    return emit(ctx, rule, fail, COL_AWARD, last_year=last)
