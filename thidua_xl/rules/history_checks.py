"""Checks against the awards already known: this year's nominations and the history register
(streaks, counts in a window, a prior award, the award presupposed the same year)."""
from __future__ import annotations

from dataclasses import replace

import polars as pl

from ..model import Finding
from .context import COL_AWARD, Context, take
from .discipline_checks import restart_from
from .emit import emit, not_checked, where, year_list
from .initiative import rated_with_initiatives
from .records import Rule


def same_year_award(ctx: Context, rule: Rule) -> list[Finding]:
    """The award presupposes another one in the same year (CSTĐCS ⇒ LĐTT, TTLĐXS ⇒ TTLĐTT)."""
    rows = ctx.rows_for(rule)
    if rows.is_empty():
        return []
    hits = _hit_ids(ctx.matched_frame(rows, rule.params.get("needs", []), [ctx.year], "year"), ctx.year)
    return emit(ctx, rule, rows.filter(~pl.col("_i").is_in(pl.lit(hits).implode())), COL_AWARD)


def _hit_ids(got: pl.DataFrame | None, label) -> pl.Series:
    """The positions `Context.matched_frame` gives `label` (None: the one value of a call without a label), as a
    Series: read by Polars, not made a Python set and a list again (~0.5 ms over the bench's seven such rules)."""
    if got is not None and not got.is_empty():
        labels = got.get_column("_lab").to_list()  # one per year at most
        if label in labels:
            return got.get_column("_i")[labels.index(label)]
    return pl.Series("_i", [], dtype=pl.Int64)



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
    """The award in every one of the `years` consecutive years ending this year (history + this year);
    after a discipline the streak starts again (`discipline_checks.restart_from`)."""
    rows = ctx.rows_for(rule)
    if rows.is_empty():
        return []
    n = int(rule.params.get("years", 3))
    needs = rule.params.get("needs", [])
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    gap = set(_history_gap(ctx, years))
    restart = restart_from(ctx, rule, rows)
    needs_name = ", ".join(ctx.award_name(c) for c in needs)
    if not restart and rows.height >= MANY_ROWS:  # no period restarted: the years each row lacks by Polars
        fail, unsure = _lacking(ctx, rows, needs, years, gap, needs_name)
    else:
        fail, unsure = _lacking_restarted(ctx, rows, needs, years, gap, needs_name, restart)
    out: list[Finding] = []
    alt = rule.params.get("or_rated")  # another path the law accepts (Bằng khen Bộ, tỉnh: HTXSNV years + initiatives)
    if alt and not fail.is_empty():
        possible, why = rated_with_initiatives(ctx, fail, alt)
        fail = fail.with_columns(detail=pl.col("detail") + "; " + pl.Series(why, dtype=pl.String))
        out += not_checked(ctx, rule, where(fail, possible), "{detail}")
        fail = where(fail, [not p for p in possible])
    out += _emit_restarted(ctx, rule, fail, restart, first_year=years[0])
    return out + not_checked(ctx, rule, unsure, _no_history_reason(ctx, sorted(gap)))


MANY_ROWS = 1000
"""From this many rows a streak without restarts finds the years lacking by Polars (`_lacking`); fewer cost less in
Python (the master's few hundred rows: ~0.4 ms less) than the queries' own cost."""


def _lacking(ctx: Context, rows: pl.DataFrame, needs, years: list[int], gap: set,
             needs_name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows lacking `needs` in some year of `years` the register covers, with their `detail`; rows lacking it
    only in years it does not cover) of a streak no discipline restarted: each row's years as the bits of one
    number (bit k: years[k]), the hits read from `matched_frame` without a Python set per year."""
    got = ctx.matched_frame(rows, needs, years, "year")
    full = (1 << len(years)) - 1
    counted = sum(1 << k for k, y in enumerate(years) if y not in gap)  # the years the register covers
    at = pl.int_range(pl.len(), dtype=pl.get_index_type()).alias("_p")
    if got is None or got.is_empty():
        lack = rows.lazy().select(at, pl.lit(full, dtype=pl.Int64).alias("_lack"))
    else:
        held = got.lazy().explode("_i").drop_nulls("_i").unique().group_by("_i").agg(
            pl.col("_lab").replace_strict(years, [1 << k for k in range(len(years))], default=0,
                                          return_dtype=pl.Int64).sum().alias("_held"))
        lack = rows.lazy().select("_i", at).join(held, on="_i", how="left", maintain_order="left") \
            .select("_p", (full - pl.col("_held").fill_null(0)).alias("_lack"))
    lack = lack.with_columns(_missing=pl.col("_lack") & counted).collect()
    # the rest by Series operations, which run no query
    p, lacking, missing = (lack.get_column(c) for c in ("_p", "_lack", "_missing"))
    caught = missing != 0
    codes = missing.filter(caught)
    distinct = sorted(set(codes.to_list()))
    texts = [f"không có {needs_name} năm {year_list(y for k, y in enumerate(years) if c >> k & 1)}" for c in distinct]
    detail = codes.replace_strict(distinct, texts, return_dtype=pl.String) if distinct \
        else pl.Series([], dtype=pl.String)
    fail = take(rows, p.filter(caught))
    fail = fail.hstack([detail.alias("detail")]) if "detail" not in fail.columns else fail.with_columns(detail=detail)
    unsure = take(rows, p.filter(~caught & (lacking != 0)))
    return fail, unsure


def _lacking_restarted(ctx: Context, rows: pl.DataFrame, needs, years: list[int], gap: set, needs_name: str,
                       restart: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`_lacking` where some row's period restarted after a discipline (its years before it are cut)."""
    ids = rows.get_column("_i").to_list()
    # per row, the years it lacks (kept only for rows that lack some)
    missing: dict[int, list[int]] = {}
    unknown: dict[int, list[int]] = {}
    cut: dict[int, list[int]] = {}  # years before a discipline ended
    by_year = ctx.matched_years(rows, needs, years)
    for y in years:
        hits = by_year.get(y, set())
        for i in ids:
            if i in restart and y < restart[i][0]:
                cut.setdefault(i, []).append(y)
            elif i not in hits:
                (unknown if y in gap else missing).setdefault(i, []).append(y)
    fail = where(rows, [i in missing or i in cut for i in ids])
    fail_ids = fail.get_column("_i").to_list()
    texts: dict[tuple, str] = {}  # a row's detail follows from its missing and cut years: each written once
    detail = []
    for i in fail_ids:
        key = (tuple(missing[i]) if i in missing else None, tuple(cut[i]) if i in cut else None)
        text = texts.get(key)
        if text is None:
            text = texts[key] = "; ".join(([f"không có {needs_name} năm {year_list(missing[i])}"] if i in missing else [])
                                          + ([f"năm {year_list(cut[i])} không được tính"] if i in cut else []))
        detail.append(text)
    fail = fail.with_columns(detail=pl.Series(detail, dtype=pl.String))
    unsure = where(rows, [i not in missing and i not in cut and i in unknown for i in ids])
    return fail, unsure


def _emit_restarted(ctx: Context, rule: Rule, fail: pl.DataFrame, restart: dict, **values) -> list[Finding]:
    """The findings of rows, those whose period restarted after a discipline saying so (and citing why)."""
    if not restart:
        return emit(ctx, rule, fail, COL_AWARD, **values)
    again = pl.col("_i").is_in(list(restart))
    out = emit(ctx, rule, fail.filter(~again), COL_AWARD, **values)
    noted = fail.filter(again)
    if not noted.is_empty():
        noted = noted.with_columns(restart=pl.Series([restart[i][1] for i in noted.get_column("_i").to_list()],
                                                     dtype=pl.String))
        out += emit(ctx, replace(rule, message=rule.message + " {restart}"), noted, COL_AWARD, **values)
    return out


def count_in_window(ctx: Context, rule: Rule) -> list[Finding]:
    """At least `count` years with one of `needs` among the last `window_years` years; after a
    discipline only the years that begin after it ended count."""
    rows = ctx.rows_for(rule)
    if rows.is_empty():
        return []
    window = int(rule.params.get("window_years", 6))
    need = int(rule.params.get("count", 2))
    years = list(range(ctx.year - window + 1, ctx.year + 1))
    gap = _history_gap(ctx, years)
    restart = restart_from(ctx, rule, rows)
    ids = rows.get_column("_i").to_list()
    found = {i: 0 for i in ids}
    for y, hits in ctx.matched_years(rows, rule.params.get("needs", []), years).items():
        for i in hits:
            if i not in restart or y >= restart[i][0]:
                found[i] += 1
    short = where(rows, [found[i] < need for i in ids])
    short_ids = short.get_column("_i").to_list()
    if not restart:
        if gap:
            return not_checked(ctx, rule, short, _no_history_reason(ctx, gap))
        short = short.with_columns(found=pl.Series([found[i] for i in short_ids], dtype=pl.Int64))
        return emit(ctx, rule, short, COL_AWARD, first_year=years[0])
    # a year the register lacks matters only when it counts for that row
    open_gap = [bool([g for g in gap if g >= restart.get(i, (0,))[0]]) for i in short_ids]
    out = not_checked(ctx, rule, where(short, open_gap), _no_history_reason(ctx, gap))
    short = where(short, [not o for o in open_gap])
    short = short.with_columns(found=pl.Series([found[i] for i in short.get_column("_i").to_list()], dtype=pl.Int64))
    return out + _emit_restarted(ctx, rule, short, restart, first_year=years[0])


def prior_award(ctx: Context, rule: Rule) -> list[Finding]:
    """One of `needs` at least `min_years_since` years before this one (history register)."""
    rows = ctx.rows_for(rule)
    if rows.is_empty():
        return []
    if ctx.history is None:
        return not_checked(ctx, rule, rows, _no_history_reason(ctx, []))
    last = ctx.year - int(rule.params.get("min_years_since", 5))
    # the register's records (known's of source "history") of `needs` up to `last`
    hits = _hit_ids(ctx.matched_frame(rows, rule.params.get("needs", []),
                                      where=pl.col("source").eq("history") & (pl.col("year") <= last)), None)
    span = f"{min(ctx.history_years)}–{max(ctx.history_years)}" if ctx.history_years else "không có năm nào"
    fail = rows.filter(~pl.col("_i").is_in(pl.lit(hits).implode())).with_columns(
        detail=pl.lit(f"(sổ lịch sử có dữ liệu các năm {span})"))
    return emit(ctx, rule, fail, COL_AWARD, last_year=last)
