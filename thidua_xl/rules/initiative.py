"""The initiative a title requires: a recognised sáng kiến or đề tài of the right level in
the right years, from the initiatives table and the row's own `Sáng kiến` cell."""
from __future__ import annotations

import polars as pl

from ..model import Finding
from ..text import fold
from .context import COL_INITIATIVE, LEVEL_LABEL, LEVEL_ORDER, Context
from .emit import cell_texts, emit, not_checked, where
from .records import Rule


def _authored(rows: pl.DataFrame, init: pl.DataFrame) -> pl.LazyFrame:
    """rows' (_i, level, ten_key) for each initiative of the table their person wrote (same unit when the
    table names one), as a plan its caller finishes and runs (one query)."""
    m = rows.lazy().select("_i", "name_key", "unit_key").join(
        init.lazy().select("author_key", pl.col("unit_key").alias("unit_key_init"), "level", "ten_key"),
        left_on="name_key", right_on="author_key", how="inner", maintain_order="left")
    return m.filter((pl.col("unit_key_init") == "") | (pl.col("unit_key_init") == pl.col("unit_key")))


def initiative(ctx: Context, rule: Rule) -> list[Finding]:
    """A recognised initiative of at least `min_level` in the last `window_years` years.

    Sources: the initiatives table (authors matched on their name key, in the same
    unit when the table names one) and the row's own `Sáng kiến` cell.
    """
    rows = ctx.rows_for(rule)
    alt = rule.params.get("or_column")  # an alternative the law accepts instead (e.g. Xếp loại = HTXSNV)
    if alt:
        rows = where(rows, [not s for s in column_says(ctx, rows, alt)])
    if rows.is_empty():
        return []
    min_level = rule.params.get("min_level", "co_so")
    need = LEVEL_ORDER.get(min_level, 1)
    window = int(rule.params.get("window_years", 1))
    first = ctx.year - window + 1
    init = in_window(ctx, first)
    m = _authored(rows, init).select("_i", "level").collect()
    ok = set(m.filter(pl.col("level") >= need).get_column("_i").to_list())
    some = set(m.get_column("_i").to_list())
    min_count = int(rule.params.get("min_count", 1))
    found: dict = {}
    if min_count > 1:  # several initiatives (Bằng khen Thủ tướng: 5 in 5 years); the row's own cell counts one
        found = count_initiatives(rows, init, need)
        ok = {i for i, n in found.items() if n >= min_count}
        some = {i for i, n in found.items() if n > 0}
    # The row's own Sáng kiến cell: its level comes from the table when the title matches.
    cell = rows.filter(pl.col("sang_kien").fill_null("").ne("") & ~pl.col("_i").is_in(list(ok)))
    unknown_level: set = set()
    if not cell.is_empty() and min_count <= 1:
        titles = cell.get_column("sang_kien").to_list()
        keys = {v: fold(v) for v in dict.fromkeys(titles)}
        levels = ctx.initiatives.select("ten_key", pl.col("level").cast(pl.Float64)).unique()
        titled = cell.select("_i").with_columns(ten_key=pl.Series([keys[t] for t in titles], dtype=pl.String)) \
            .join(levels, on="ten_key", how="left")
        best = titled.group_by("_i").agg(pl.col("level").max())
        ok.update(best.filter(pl.col("level") >= need).get_column("_i").to_list())
        unlevelled = best.filter(pl.col("level").is_null()).get_column("_i").to_list()
        if need <= 1:
            ok.update(unlevelled)  # the unit states a recognised cơ sở initiative
        else:
            unknown_level.update(unlevelled)
            some.update(best.filter(pl.col("level") < need).get_column("_i").to_list())
    missing = rows.filter(~pl.col("_i").is_in(list(ok)))
    if missing.is_empty():
        return []
    data = has_initiative_data(ctx, missing)
    no_data = where(missing, [not d for d in data])
    out = not_checked(ctx, rule, no_data,
                      "tệp không có cột “Sáng kiến” và không có bảng “Sáng kiến” để đối chiếu")
    no_data_ids = no_data.get_column("_i").to_list()
    level_unknown = missing.filter(pl.col("_i").is_in(list(unknown_level)) & ~pl.col("_i").is_in(no_data_ids))
    out += not_checked(ctx, rule, level_unknown,
                       "cột “Sáng kiến” có ghi nhưng bảng “Sáng kiến” không cho biết cấp công nhận")
    fail = missing.filter(~pl.col("_i").is_in(no_data_ids)
                          & ~pl.col("_i").is_in(level_unknown.get_column("_i").to_list()))
    if alt:  # without the alternative's cell the row may still qualify by it: not checked, never passed
        col = alt.get("column", "")
        blank = [t.strip() == "" for t in cell_texts(fail, col)]
        out += not_checked(ctx, rule, where(fail, blank), alt.get("unknown", f"không có “{alt.get('label', col)}”"))
        fail = where(fail, [not b for b in blank])
        fail = fail.with_columns(value=pl.col(col) if col in fail.columns else pl.lit(""))
    span = str(ctx.year) if window <= 1 else f"{first}–{ctx.year}"
    ids = fail.get_column("_i").to_list()
    if min_count > 1:
        detail = [f"(chỉ thấy {found.get(i, 0)} sáng kiến, đề tài từ {LEVEL_LABEL.get(min_level, min_level)} trở lên "
                  f"trong {span}, cần {min_count})" for i in ids]
        fail = fail.with_columns(found=pl.Series([found.get(i, 0) for i in ids], dtype=pl.Int64))
    else:
        detail = [
            (f"(chỉ có sáng kiến cấp thấp hơn {LEVEL_LABEL.get(min_level, min_level)} trong {span})" if i in some
             else f"(cột “Sáng kiến” để trống và bảng “Sáng kiến” không ghi tác giả này trong {span})")
            for i in ids
        ]
    fail = fail.with_columns(detail=pl.Series(detail, dtype=pl.String))
    return out + emit(ctx, rule, fail, COL_INITIATIVE)


def in_window(ctx: Context, first: int) -> pl.DataFrame:
    """The initiatives of the years `first`…award year (and those without a year)."""
    nam = pl.col("nam")
    return ctx.initiatives.filter(nam.is_null() | nam.is_nan() | ((nam >= first) & (nam <= ctx.year)))


def count_initiatives(rows: pl.DataFrame, init: pl.DataFrame, need: int) -> dict:
    """`_i` → distinct initiatives of level ≥ `need` the rows' people wrote (same unit when the table
    names one); a row's own `Sáng kiến` cell counts one when the table names none of theirs."""
    counts = _authored(rows, init).filter(pl.col("level") >= need).group_by("_i") \
        .agg(pl.col("ten_key").drop_nulls().n_unique()).collect()
    counts = dict(zip(counts.get_column("_i").to_list(), counts.get_column("ten_key").to_list()))
    # a missing cell (a frame someone built or edited) states no initiative, as an empty one
    ids, cells = rows.get_column("_i"), rows.get_column("sang_kien")
    if cells.dtype == pl.String:  # a text stated or not, told without making a Python string of it
        own = ((cells.fill_null("") if cells.null_count() else cells) != "").to_list()
    else:
        own = [bool(v) for v in cells.to_list()]
    return {i: counts[i] if i in counts else (1 if o else 0) for i, o in zip(ids.to_list(), own)}


def has_initiative_data(ctx: Context, rows: pl.DataFrame) -> list[bool]:
    """Rows whose initiatives can be told: an initiatives table, or a `Sáng kiến` column on their sheet."""
    if ctx.initiatives.height:
        return [True] * rows.height
    return [(f, s) in ctx.initiative_sheets for f, s in zip(rows.get_column("file").to_list(),
                                                           rows.get_column("sheet").to_list())]


def column_says(ctx: Context, rows: pl.DataFrame, spec: dict) -> list[bool]:
    """Rows whose optional column `spec["column"]` holds one of `spec["values"]` (compared folded)."""
    col = spec.get("column", "")
    if col not in rows.columns:
        return [False] * rows.height
    texts = cell_texts(rows, col)
    values = {fold(v) for v in spec.get("values", [])}
    keys = {v: fold(v) in values for v in dict.fromkeys(texts)}
    return [keys[t] for t in texts]


def rated_with_initiatives(ctx: Context, rows: pl.DataFrame, spec: dict) -> tuple[list[bool], list[str]]:
    """(possible, why) for an alternative path of `years` consecutive years rated one of `values`
    with `initiatives` initiatives of `min_level` in them (Luật 2022 Điều 74 khoản 1 điểm d).

    Only this year's rating is in the data (the `Xếp loại` column), so the path is ruled out
    only by what is known: this year rated otherwise, or too few initiatives where they can
    be told. Otherwise it stays possible, and `why` says what is known and what is missing.
    """
    col, label = spec.get("column", "xep_loai"), spec.get("label", "Xếp loại")
    years, need_n = int(spec.get("years", 2)), int(spec.get("initiatives", 2))
    level = spec.get("min_level", "co_so")
    first = ctx.year - years + 1
    span = f"{first}–{ctx.year}" if years > 1 else str(ctx.year)
    texts = [t.strip() for t in cell_texts(rows, col)]
    rated = column_says(ctx, rows, spec)
    counted = count_initiatives(rows, in_window(ctx, first), LEVEL_ORDER.get(level, 1))
    counts = [counted[i] for i in rows.get_column("_i").to_list()]
    data = has_initiative_data(ctx, rows)
    path = (f"{years:02d} năm liên tục hoàn thành xuất sắc nhiệm vụ với {need_n:02d} sáng kiến "
            f"{LEVEL_LABEL.get(level, level)}")
    possible, why = [], []
    seen: dict[tuple, tuple[bool, str]] = {}  # a row's answer follows from these four values: each worked out once
    for key in zip(texts, rated, counts, data):
        got = seen.get(key)
        if got is None:
            got = seen[key] = _rated_path(ctx, key, label, path, span, first, years, need_n, level)
        possible.append(got[0])
        why.append(got[1])
    return possible, why


def _rated_path(ctx: Context, key: tuple, label: str, path: str, span: str, first: int, years: int, need_n: int,
                level: str) -> tuple[bool, str]:
    """(possible, why) of `rated_with_initiatives` for one row's (rating text, rated, initiatives, data known)."""
    t, r, n, d = key
    other_rating = t != "" and not r
    few = d and n < need_n
    ok = not other_rating and not few
    if ok:
        known = [f"năm {ctx.year} hoàn thành xuất sắc nhiệm vụ" if r else f"không có “{label}” năm {ctx.year}",
                 f"có {n} sáng kiến trong {span}" if d else "không có dữ liệu sáng kiến"]
        if years > 1:
            known.append(f"xếp loại các năm {first}–{ctx.year - 1} không có trong dữ liệu" if years > 2
                         else f"xếp loại năm {first} không có trong dữ liệu")
        return ok, f"chưa loại trừ được đường {path}: " + ", ".join(known)
    parts = ([f"“{label}” năm {ctx.year} là “{t}”"] if other_rating else []) + \
            ([f"chỉ có {n} sáng kiến {LEVEL_LABEL.get(level, level)} trở lên trong {span}"] if few else [])
    return ok, f"đường {path} cũng không đạt ({'; '.join(parts)})"
