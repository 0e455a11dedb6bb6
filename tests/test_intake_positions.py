"""A sheet's kept rows as a Series: a slice of one kept run when they run on by one, else made from the list;
either way the Series a list would make (values, type, name), and a later run does not change an earlier one."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake.cells import positions

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
