"""Dates of birth read as a column (`datecols.dates_frame`) are what `_arrow_date` reads from each cell, for the
dates typed year first as text ("1980-02-13") that the expressions now read, and their near misses."""
from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.intake.arrow import _arrow_date
from thidua_xl.intake.datecols import dates_of_cells
from thidua_xl.intake.cells import Dates, reading_memos

YEAR_FIRST = st.tuples(st.integers(0, 9999), st.integers(0, 14), st.integers(0, 33), st.sampled_from("-/."),
                       st.booleans()).map(
    lambda t: f"{t[0]:04d}{t[3]}{t[1]:02d}{t[3]}{t[2]:02d}" if t[4] else f"{t[0]}{t[3]}{t[1]}{t[3]}{t[2]}")
NEAR = st.sampled_from(["1980-02-13", "1980-02-30", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01",
                        "0999-01-01", "1980-2-13", "1980-02-13 ", " 1980-02-13", "1980-02-13T10:00",
                        "1980-02-13 10:30", "1980-02-13 00:00:00", "١٩٨٠-٠٢-١٣", "1980-02-1a", "13/02/1980", "1980",
                        "", "2000-02-29", "1900-02-29"])


def _python(values):
    return Dates.of([_arrow_date(v, {}) for v in values])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), YEAR_FIRST, NEAR, st.dates(dt.date(1850, 1, 1), dt.date(2150, 1, 1))
                          .map(dt.date.isoformat)), max_size=30))
@example(["1980-02-13", "1980-02-30", "0999-01-01", "2101-01-01", "1980-02-13 10:30", None, ""])
def test_dates_typed_year_first_are_read_as_the_python_parser_reads_them(values):
    with reading_memos():
        got = dates_of_cells(values)
    want = _python(values)
    for f in Dates.__slots__:
        assert getattr(got, f) == getattr(want, f), f
        assert [type(x) for x in getattr(got, f)] == [type(x) for x in getattr(want, f)], f
