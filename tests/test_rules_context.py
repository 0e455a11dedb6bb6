"""The rows of every rule of a run, found in one query with each award looked up once as a number
(`Context.positions_for`), are the rows the rule's own selection finds: a name proposed for one of its awards (any
award for "*"), of its subject when it names one."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.rules import Context
from thidua_xl.rules.context import _selection
from thidua_xl.rules.records import Rule

AWARDS = ["LDTT", "CSTDCS", "TTLDTT", "GK", "BK_TINH"]

rows = st.lists(st.tuples(st.sampled_from([*AWARDS, "KNC", None]), st.sampled_from(["An", "", None]),
                          st.sampled_from(["ca_nhan", "tap_the", None])), max_size=20)
keys = st.lists(st.tuples(st.lists(st.sampled_from([*AWARDS, "CSTD_TQ", "*"]), min_size=1, max_size=3),
                          st.sampled_from([None, "ca_nhan", "tap_the"])), min_size=1, max_size=6)


def _rule(k: int, awards: list[str], subject: str | None) -> Rule:
    return Rule(id=f"R{k}", title="", awards=tuple(awards), regime="B", kind="required", code="X", message="",
                params={"subject": subject} if subject else {})


@settings(max_examples=80, deadline=None)
@given(rows=rows, keys=keys)
def test_every_rules_rows_found_at_once_are_its_own_selection(rows, keys):
    df = pl.DataFrame(rows, schema={"award": pl.String, "ho_ten": pl.String, "subject": pl.String}, orient="row")
    rules = tuple(_rule(k, awards, subject) for k, (awards, subject) in enumerate(keys))
    ctx = Context(df=df, year=2024, catalog=None, initiatives=pl.DataFrame(), known=None, rules=rules)
    for rule in rules:
        expected = df.with_row_index("_p").filter(_selection(tuple(rule.awards), rule.params.get("subject")))
        assert ctx.positions_for(rule).to_list() == expected.get_column("_p").to_list()
