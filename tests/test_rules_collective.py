"""A collective that names its unit itself ("Bệnh viện A", "Tập thể Bệnh viện A") is counted by the unit's own
nominees; on many rows the names are compared by Polars, each distinct text folded once, and must say what the
comparison row by row says: accents, case, spacing, punctuation and missing cells alike."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.rules import collective

WORDS = ["Bệnh viện", "BỆNH VIỆN", "benh vien", "Tập thể", "A", "Đa khoa", "  ", "-", "Khoa Nội", ""]
text = st.one_of(st.none(), st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(text, text), max_size=12))
def test_whole_units_found_by_polars_are_those_found_row_by_row(rows):
    frame = pl.DataFrame(rows, schema={"ho_ten": pl.String, "unit": pl.String}, orient="row")
    saved = collective.MANY_COLLECTIVES
    collective.MANY_COLLECTIVES = 0
    try:
        assert collective.whole_unit(frame) == collective._whole_unit_rows(frame)
    finally:
        collective.MANY_COLLECTIVES = saved


def test_rules_of_awards_in_common_or_of_any_award_are_not_apart():
    """`_gap_findings` leaves out a rule apart from the one reporting (no row can be the rows of both): only rules
    naming no award in common, neither of them any award ("*")."""
    from thidua_xl.rules.records import Rule

    def rule(*awards):
        return Rule(id="R." + "_".join(awards), kind="collective_count", code="X", message="", awards=awards)

    assert collective._apart(rule("TTLDTT"), rule("TTLDXS"))
    assert not collective._apart(rule("TTLDTT", "TTLDXS"), rule("TTLDXS"))
    assert not collective._apart(rule("*"), rule("TTLDXS")) and not collective._apart(rule("TTLDXS"), rule("*"))
