"""What a small sheet (read row by row) hands on: its kept rows as a Series, a slice of one kept run when they run
on by one, else made from the list, either way the Series a list would make (values, type, name), a later run
leaving an earlier one as it was; whether a date-of-birth cell is longer than Excel allows, told while the column's
distinct cells are looked at, as measuring every cell tells it."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake.arrow import ArrowSheet
from thidua_xl.intake.cells import positions
from thidua_xl.scan import EXCEL_TEXT_MAX

RUNS = st.one_of(
    st.tuples(st.integers(0, 70_000), st.integers(0, 600)).map(lambda a: list(range(a[0], a[0] + a[1]))),
    st.lists(st.integers(0, 200), max_size=40),  # gaps, repeats, out of order
    st.lists(st.integers(0, 200), max_size=40).map(sorted))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(RUNS, st.sampled_from([pl.UInt32, pl.Int64]), st.sampled_from(["", "row"])), max_size=6))
def test_positions_are_the_series_the_list_makes(asked):
    made = [(positions(values, dtype, name), pl.Series(name, values, dtype)) for values, dtype, name in asked]
    for got, want in made:  # checked after every one is made: a kept run grown for one leaves the others as they were
        assert got.name == want.name and got.dtype == want.dtype and got.to_list() == want.to_list()


DOB = st.sampled_from([None, "", " ", "1980-02-13 00:00:00", "13/02/1980", "1980", "x" * EXCEL_TEXT_MAX,
                       "x" * (EXCEL_TEXT_MAX + 1), "ữ" * (EXCEL_TEXT_MAX // 2 + 1), " " * (EXCEL_TEXT_MAX + 5),
                       "1980" + " " * EXCEL_TEXT_MAX, "không rõ"])


@settings(max_examples=150, deadline=None)
@given(st.lists(DOB, max_size=12))
def test_a_date_cell_longer_than_excel_allows_is_told_as_measuring_every_cell_tells_it(cells):
    sheet = ArrowSheet(pl.DataFrame({"c0": cells}, schema={"c0": pl.String}))
    got = sheet.body(0).date_column(0)
    assert got.long == (max((len(v) for v in cells if v), default=0) > EXCEL_TEXT_MAX)
