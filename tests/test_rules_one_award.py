"""One State-level award a year: a person proposed for one of the group and known (this year's lists or the
register) for another the same year is reported on each such row. When the run's matching already holds every
row's pairs, they are picked in one query; the findings must be those of matching award by award."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.catalog import CA_NHAN, TAP_THE, load_catalog
from thidua_xl.rules import load_rules
from thidua_xl.rules.context import Context
from thidua_xl.rules.person_checks import one_award_a_year

CATALOG = load_catalog()
RULE = next(r for r in load_rules(None).for_year(2024) if r.kind == "one_award_a_year")
GROUP = list(RULE.awards)
NAMES = ["nguyen van an", "le van binh", "tran thi hoa"]

who = st.tuples(st.sampled_from(NAMES), st.sampled_from([1980.0, 1981.0, None]), st.sampled_from(["", "1980-02-13"]),
                st.sampled_from(["BV_A", "BV_B"]), st.sampled_from([CA_NHAN, CA_NHAN, TAP_THE]))
person = st.tuples(who, st.sampled_from(GROUP[:3] + ["GK", None])).map(lambda t: (*t[0], t[1]))
record = st.tuples(who, st.sampled_from(GROUP + ["LDTT"]), st.sampled_from([2023, 2024])).map(
    lambda t: (*t[0], t[1], t[2]))


def _frames(rows, register):
    n = len(rows)
    df = pl.DataFrame({
        "_i": list(range(n)), "file": ["BV.xlsx"] * n, "sheet": ["Danh sách"] * n, "row": list(range(7, 7 + n)),
        "unit": ["Bệnh viện"] * n, "ho_ten": [r[0].title() for r in rows], "award_name": [""] * n,
        "name_key": [r[0] for r in rows], "birth_year": [r[1] for r in rows], "birth_date": [r[2] for r in rows],
        "unit_key": [r[3] for r in rows], "subject": [r[4] for r in rows], "award": [r[5] for r in rows]},
        schema_overrides={"birth_year": pl.Float64, "award": pl.String})
    this_year = df.filter(pl.col("award").is_not_null()).select(
        "name_key", "birth_year", "birth_date", "unit_key", "subject", "award",
        year=pl.lit(2024, dtype=pl.Int64), source=pl.lit("nomination"))
    hist = pl.DataFrame({"name_key": [r[0] for r in register], "birth_year": [r[1] for r in register],
                         "birth_date": [r[2] for r in register], "unit_key": [r[3] for r in register],
                         "subject": [r[4] for r in register], "award": [r[5] for r in register],
                         "year": [r[6] for r in register], "source": ["history"] * len(register)},
                        schema=this_year.schema)
    return df, pl.concat([this_year, hist], how="vertical_relaxed")


def _found(df, known, history_awards):
    ctx = Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=known,
                  rules=(RULE,), history_awards=history_awards)
    return [(f.row, f.message) for f in one_award_a_year(ctx, RULE)]


@settings(max_examples=120, deadline=None)
@given(st.lists(person, min_size=1, max_size=8), st.lists(record, max_size=6))
def test_pairs_picked_at_once_are_the_award_by_award_matching(rows, register):
    df, known = _frames(rows, register)
    at_once = _found(df, known, None)  # every row in the run's matching
    by_award = _found(df, known, frozenset())  # no row in it: each award matched on its own
    assert at_once == by_award


def test_two_state_awards_the_same_year_are_reported_on_both_rows():
    rows = [("nguyen van an", 1980.0, "", "BV_A", CA_NHAN, GROUP[0]), ("nguyen van an", 1980.0, "", "BV_A", CA_NHAN,
                                                                       GROUP[1]),
            ("le van binh", 1981.0, "", "BV_A", CA_NHAN, GROUP[0])]
    df, known = _frames(rows, [("le van binh", 1981.0, "", "BV_B", CA_NHAN, GROUP[2], 2024),
                               ("le van binh", 1981.0, "", "BV_B", CA_NHAN, GROUP[1], 2023)])
    found = _found(df, known, None)
    assert [row for row, _m in found] == [7, 8, 9]
    assert CATALOG.by_code[GROUP[1]].name in found[0][1] and CATALOG.by_code[GROUP[2]].name in found[2][1]
