"""The people validation reads the register for, as the JSON lists Polars makes (`Context.people_lists`): the same
people as `Context.people`'s sets, and the register's query finds the same records with either."""
from __future__ import annotations

import json
import math
import sqlite3

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.catalog import TAP_THE
from thidua_xl.history import _PEOPLE_IDS, People, PeopleLists
from thidua_xl.rules import Context

# name keys as a run may hold them, and what JSON must escape: quotes, backslashes, control characters, astral
names = st.one_of(st.sampled_from(["nguyen van an", "le thi hoa2", "khoa noi", ""]),
                  st.text(st.characters(exclude_categories=("Cs",)), max_size=8))
years = st.one_of(st.none(), st.just(math.nan), st.sampled_from([1980.0, 1992.0, -3.0]))
rows = st.lists(st.tuples(names, years, st.sampled_from(["ca_nhan", TAP_THE, None])), max_size=25)


def _frame(people: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame({"name_key": [p[0] for p in people], "birth_year": [p[1] for p in people],
                         "subject": [p[2] for p in people]},
                        schema={"name_key": pl.String, "birth_year": pl.Float64, "subject": pl.String})


@settings(max_examples=200, deadline=None)
@given(rows)
def test_the_lists_name_the_people_of_the_sets(people):
    left = _frame(people)
    sets = Context.people(left)
    lists = {k: json.loads(v) for k, v in Context.people_lists(left).items()}
    assert {tuple(p) for p in lists["pairs"]} == sets["pairs"]
    assert set(lists["names"]) == sets["names"] and set(lists["any_birth"]) == sets["any_birth"]
    assert all(len(v) == len(set(map(json.dumps, v))) for v in lists.values())  # each once


@settings(max_examples=60, deadline=None)
@given(rows, st.lists(st.tuples(names, st.one_of(st.none(), st.sampled_from([1980, 1992, -3]))), max_size=25))
def test_the_register_finds_the_same_records_with_either(people, records):
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE award (id INTEGER PRIMARY KEY, name_key TEXT, nam_sinh INTEGER)")
    con.executemany("INSERT INTO award (name_key, nam_sinh) VALUES (?, ?)", records)
    left = _frame(people)

    def ids(who) -> list[int]:
        sql, params = who.ids()
        return sorted(r[0] for r in con.execute(sql, params))

    assert ids(PeopleLists(**Context.people_lists(left))) == ids(People(**Context.people(left)))


def test_the_lists_come_sorted():
    """Sorted, so SQLite probes its (name_key, nam_sinh) index in its own order (fewer pages between probes)."""
    left = _frame([("le thi hoa2", 1992.0, "ca_nhan"), ("an", 1980.0, "ca_nhan"), ("khoa noi", None, TAP_THE),
                   ("binh", None, "ca_nhan"), ("an", 1970.0, "ca_nhan")])
    texts = Context.people_lists(left)
    assert texts["pairs"] == '[["an",1970],["an",1980],["le thi hoa2",1992]]'
    assert texts["names"] == '["an","binh","le thi hoa2"]' and texts["any_birth"] == '["binh","khoa noi"]'
