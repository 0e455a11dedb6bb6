"""A streak's years worked out by Polars (no period restarted after a discipline) are those the general way,
row by row in Python, finds: the same rows lacking a covered year with the same words, the same rows lacking only
years the register does not cover.

The context is built from random frames mixing namesakes, birth years or none, units, collectives, awards other
than the one needed and years outside the streak; the register's gaps are any subset of the streak's past years.
"""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.catalog import load_catalog
from thidua_xl.rules import Context
from thidua_xl.rules.history_checks import _lacking, _lacking_restarted

YEAR = 2024
NAMES = ["an", "binh", "khoa noi"]
BIRTHS = [1980.0, 1992.0, None]
UNITS = ["BV_A", "BV_B"]
SUBJECTS = ["ca_nhan", "ca_nhan", "tap_the"]

person = st.tuples(st.sampled_from(NAMES), st.sampled_from(BIRTHS), st.sampled_from(UNITS),
                   st.sampled_from(SUBJECTS))


def _frame(people: list[tuple], awards: list[str], years: list[int]) -> pl.DataFrame:
    return pl.DataFrame({
        "name_key": [p[0] for p in people], "birth_year": [p[1] for p in people],
        "birth_date": [""] * len(people), "unit_key": [p[2] for p in people], "subject": [p[3] for p in people],
        "award": awards, "year": years, "ho_ten": [p[0].title() for p in people],
    }, schema={"name_key": pl.String, "birth_year": pl.Float64, "birth_date": pl.String, "unit_key": pl.String,
               "subject": pl.String, "award": pl.String, "year": pl.Int64, "ho_ten": pl.String})


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(person, min_size=0, max_size=12),
       past=st.lists(st.tuples(person, st.sampled_from(["CSTDCS", "LDTT"]), st.integers(YEAR - 4, YEAR)),
                     max_size=25),
       n=st.integers(1, 3), gap_bits=st.integers(0, 7), proposed_for=st.sampled_from([None, frozenset({"BK_TINH"})]))
def test_a_streak_without_restarts_lacks_the_years_the_general_way_finds(rows, past, n, gap_bits, proposed_for):
    df = _frame(rows, ["BK_TINH"] * len(rows), [YEAR] * len(rows)).with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64))
    known = _frame([p for p, _a, _y in past], [a for _p, a, _y in past], [y for _p, _a, y in past]) \
        .with_columns(source=pl.lit("history"))
    ctx = Context(df=df, year=YEAR, catalog=load_catalog(), initiatives=pl.DataFrame(), known=known,
                  history_awards=proposed_for)
    years = list(range(YEAR - n + 1, YEAR + 1))
    gap = {y for k, y in enumerate(years[:-1]) if gap_bits >> k & 1}
    fast = _lacking(ctx, df, ["CSTDCS"], years, gap, "Chiến sĩ thi đua cơ sở")
    general = _lacking_restarted(ctx, df, ["CSTDCS"], years, gap, "Chiến sĩ thi đua cơ sở", {})
    assert fast[0].to_dicts() == general[0].to_dicts()
    assert fast[1].to_dicts() == general[1].to_dicts()
    assert fast[0].columns == general[0].columns and fast[1].columns == general[1].columns
