"""Dates of birth read as whole columns: Polars expressions for the common shapes of fastexcel's texts, the other
texts read once each by `arrow._arrow_date` (every sheet's at once: `dates_of_cells`, `frames.build_nominations`)."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..text import DATE_YEARS
from .arrow import _DATE_CELL, _arrow_date
from .cells import Dates, arrow_memos, memos

if TYPE_CHECKING:
    import polars as pl

# a date typed as text, day first (13/02/1980, 1.2.1980, 13-02-1980), or a year (a number cell or text)
_DMY_TEXT = r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$"
_YEAR_TEXT = r"^[1-9][0-9]{3}$"
_YMD_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # a date typed year first, as the ISO form


def dates_of_cells(values: list) -> Dates:
    """Dates of birth of fastexcel's texts (every sheet's at once): `_arrow_date` of each, the same
    texts and dates (`dates_frame` as lists)."""
    import polars as pl

    got = dates_frame(pl.Series("v", values, dtype=pl.String))
    return Dates(*(got.get_column(c).to_list() for c in ("text", "date", "year", "raw", "error")))


def dates_frame(values: "pl.Series") -> "pl.DataFrame":
    """Dates of birth of fastexcel's texts as columns text, date, year, raw, error: `_arrow_date` of each.
    The common shapes are read by whole-column expressions (`dates_plan`), the other texts go through
    `_arrow_date`, once per distinct value (`dates_left`)."""
    import polars as pl

    steps, read = dates_plan("v")
    got = pl.DataFrame({"v": values.cast(pl.String)}).lazy().with_columns(**steps).select(**read) \
        .collect(engine="in-memory")
    left = dates_left(got.drop_in_place("other"))
    if left is None:
        return got
    idx, fixed = left
    return got.with_columns(
        got.get_column(c).scatter(idx, pl.Series(getattr(fixed, c), dtype=got.schema[c])).alias(c)
        for c in ("text", "date", "year", "raw", "error"))


@lru_cache(maxsize=8)
def dates_plan(column: str, prefix: str = "") -> "tuple[dict[str, pl.Expr], dict[str, pl.Expr]]":
    """`dates_frame`'s expressions on the column `column` as text: the steps (columns prefix + cell, typed, ymd,
    year, to add first) and, over them, the columns text, date, year, raw, error and other (the text where no expression
    read it, for `dates_left`). The common shapes: a date cell (`1980-02-13 00:00:00`), a date typed day first
    (`13/02/1980`) or year first (`1980-02-13`), a year in range (`1980`). A caller's own query may take them in
    (a small reading's rows read where they are gathered). Built once (~0.3 ms): the caller does not change them."""
    import polars as pl

    v = pl.col(column).cast(pl.String)
    lo, hi = DATE_YEARS
    iso = v.str.slice(0, 10)
    dmy = v.str.extract_groups(_DMY_TEXT)
    dmy_iso = pl.concat_str(dmy.struct[2], pl.lit("-"), dmy.struct[1].str.zfill(2), pl.lit("-"),
                            dmy.struct[0].str.zfill(2))
    cell_day = pl.when(v.str.contains(_DATE_CELL)).then(iso.str.to_date("%Y-%m-%d", strict=False))
    typed_day = dmy_iso.str.to_date("%Y-%m-%d", strict=False)
    typed_day = pl.when(typed_day.dt.year().is_between(lo, hi)).then(typed_day)
    year = pl.when(v.str.contains(_YEAR_TEXT)).then(v.cast(pl.Int32, strict=False))
    year = pl.when(year.is_between(lo, hi)).then(year)
    # a date typed year first as text (1980-02-13): parse_date's _YMD, its own text and raw
    ymd_day = pl.when(v.str.contains(_YMD_TEXT)).then(v.str.to_date("%Y-%m-%d", strict=False))
    ymd_day = pl.when(ymd_day.dt.year().is_between(lo, hi)).then(ymd_day)
    cell, typed, ymd = pl.col(prefix + "cell"), pl.col(prefix + "typed"), pl.col(prefix + "ymd")
    as_typed = typed.is_not_null() | ymd.is_not_null() | pl.col(prefix + "year").is_not_null()
    steps = {prefix + "cell": cell_day, prefix + "typed": typed_day, prefix + "ymd": ymd_day, prefix + "year": year}
    read = dict(
        text=pl.when(cell.is_not_null())
        .then(pl.concat_str(v.str.slice(8, 2), pl.lit("/"), v.str.slice(5, 2), pl.lit("/"), v.str.slice(0, 4)))
        .when(as_typed).then(v).otherwise(pl.lit("")),
        date=pl.coalesce(cell, typed, ymd),
        year=pl.coalesce(cell.dt.year(), typed.dt.year(), ymd.dt.year(), pl.col(prefix + "year")).cast(pl.Int64),
        raw=pl.when(cell.is_not_null()).then(iso).when(as_typed).then(v).otherwise(pl.lit("")),
        error=pl.lit(None, pl.String),
        other=pl.when(cell.is_null() & ~as_typed & (v != "")).then(v),
    )
    return steps, read


def dates_left(other: "pl.Series") -> "tuple[pl.Series, Dates] | None":
    """The texts `dates_plan`'s expressions did not read (`other`'s cells that are not null) read by
    `_arrow_date`, once per distinct text: their rows and dates (None when there are none)."""
    if other.null_count() == len(other):
        return None
    seen = arrow_memos()[1]
    memo = memos()[0]
    idx = other.is_not_null().arg_true()
    hits = []
    for value in other.gather(idx).to_list():
        hit = seen.get(value)
        if hit is None:
            hit = seen[value] = _arrow_date(value, memo)
        hits.append(hit)
    return idx, Dates.of(hits)
