"""`Context.matched` (Polars joins), alone and over all years at once, gives the pandas merges of the
first version, and meets the labels in the order the dict look-ups of the second did.

The references below are plain pandas and Python; the context's frames are Polars, built from the same
random frames, which mix namesakes, birth dates, years alone or none, units and collectives.
"""
from __future__ import annotations

import math
import random

import pandas as pd
import polars as pl
import pytest

from thidua_xl.catalog import TAP_THE
from thidua_xl.rules import Context

NAMES = ["an", "binh", "cuong", "khoa noi"]
DATES = [(1980.0, "1980-02-13"), (1980.0, "1980-05-01"), (1980.0, ""), (1992.0, ""), (math.nan, "")]
UNITS = ["BV_A", "BV_B"]
SUBJECTS = ["ca_nhan", "ca_nhan", TAP_THE]


def _reference(left: pd.DataFrame, right: pd.DataFrame) -> set:
    if left.empty or right.empty:
        return set()
    hits: set = set()
    li, ri = left[left["subject"] != TAP_THE], right[right["subject"] != TAP_THE]
    if not li.empty and not ri.empty:
        a = li[li["birth_year"].notna()][["_i", "name_key", "birth_year", "birth_date"]]
        b = ri[ri["birth_year"].notna()][["name_key", "birth_year", "birth_date"]].drop_duplicates()
        m = a.merge(b, on=["name_key", "birth_year"], suffixes=("", "_r"))
        ok = (m["birth_date"] == "") | (m["birth_date_r"] == "") | (m["birth_date"] == m["birth_date_r"])
        hits.update(m.loc[ok, "_i"])
        m2 = li[["_i", "name_key", "unit_key", "birth_year"]].merge(
            ri[["name_key", "unit_key", "birth_year"]].drop_duplicates(), on=["name_key", "unit_key"],
            suffixes=("", "_r"))
        hits.update(m2.loc[m2["birth_year"].isna() | m2["birth_year_r"].isna(), "_i"])
    lc, rc = left[left["subject"] == TAP_THE], right[right["subject"] == TAP_THE]
    if not lc.empty and not rc.empty:
        m3 = lc[["_i", "unit_key", "name_key"]].merge(rc[["unit_key", "name_key"]].drop_duplicates(),
                                                      on=["unit_key", "name_key"])
        hits.update(m3["_i"])
    return hits


def _frame(rng: random.Random, n: int, years: list[int]) -> pd.DataFrame:
    rows = []
    for _ in range(n):
        by, date = rng.choice(DATES)
        rows.append({"name_key": rng.choice(NAMES), "birth_year": by, "birth_date": date,
                     "unit_key": rng.choice(UNITS), "subject": rng.choice(SUBJECTS), "award": rng.choice(["X", "Y"]),
                     "year": rng.choice(years)})
    df = pd.DataFrame(rows, columns=["name_key", "birth_year", "birth_date", "unit_key", "subject", "award", "year"])
    for col in ("name_key", "birth_date", "unit_key", "subject", "award"):
        df[col] = df[col].astype("str")
    df.insert(0, "_i", range(len(df)))
    return df


def _polars(df: pd.DataFrame) -> pl.DataFrame:
    """The pandas frame as the context holds it: Polars, missing values (NaN) as null."""
    from thidua_xl.history import as_polars

    return as_polars(df).with_columns(pl.col("_i").cast(pl.Int64)) if "_i" in df.columns else as_polars(df)


def _context(df, known, catalog=None) -> Context:
    return Context(df=df, year=2024, catalog=catalog, initiatives=pl.DataFrame(), known=known)


@pytest.mark.parametrize("seed", range(20))
def test_matched_gives_the_merges_it_replaced(seed):
    rng = random.Random(seed)
    left, right = _frame(rng, rng.randint(0, 30), [2024]), _frame(rng, rng.randint(0, 40), [2024])
    if seed % 4 == 0:  # a register frame passed in may lack dates
        right.loc[right.index[::3], "birth_date"] = math.nan
    ctx = _context(_polars(left), _polars(right))
    assert ctx.matched(_polars(left), _polars(right)) == _reference(left, right)


@pytest.mark.parametrize("seed", range(20))
def test_matched_over_all_years_is_matched_year_by_year(seed):
    rng = random.Random(seed)
    years = [2021, 2022, 2023, 2024]
    left, known = _frame(rng, 25, [2024]), _frame(rng, 60, years)
    ctx = _context(_polars(left), _polars(known))
    by_year = ctx.matched_years(_polars(left), ["X"], years)
    for y in years:
        assert by_year.get(y, set()) == _reference(left, known[known["award"].isin(["X"]) & (known["year"] == y)])
    assert set(by_year) <= set(years)


@pytest.mark.parametrize("seed", range(20))
def test_matched_by_award_is_matched_award_by_award(seed):
    rng = random.Random(seed)
    left, known = _frame(rng, 25, [2024]), _frame(rng, rng.randint(0, 60), [2024])
    known.loc[known.index[::5], "award"] = None  # an award the catalogue did not recognise
    ctx = _context(_polars(left), _polars(known))
    by_award = ctx.matched_by(_polars(left), _polars(known), "award")
    for award in ("X", "Y"):
        assert by_award.get(award, set()) == ctx.matched(
            _polars(left), _polars(known).filter(pl.col("award").eq_missing(award)))
        assert by_award.get(award, set()) == _reference(left, known[known["award"] == award])


def test_records_are_the_rows_as_dicts():
    """`row_records` (emit's and duplicate's rows) gives each row as a dict of Python values, types included."""
    import datetime as dt

    from thidua_xl.rules.emit import row_records as _records

    frame = pl.DataFrame({
        "text": ["a", None, ""], "row": [7, 8, 9], "year": [1980.0, None, 1.5], "flag": [True, False, True],
        "when": [dt.date(2020, 1, 2), None, dt.date(2021, 3, 4)]})
    assert _records(frame) == frame.to_dicts() == [
        {"text": "a", "row": 7, "year": 1980.0, "flag": True, "when": dt.date(2020, 1, 2)},
        {"text": None, "row": 8, "year": None, "flag": False, "when": None},
        {"text": "", "row": 9, "year": 1.5, "flag": True, "when": dt.date(2021, 3, 4)}]
    assert _records(frame.head(0)) == [] and _records(frame.select()) == []


@pytest.mark.parametrize("seed", range(10))
def test_quota_counts_are_the_pandas_counts(seed):
    """quota_ratio counts people per unit in a dict of sets: the counts, the unit order and the first
    file/sheet/unit of each unit are those of the groupby it replaced (namesakes, dates, years, no birth)."""
    import re

    from thidua_xl.catalog import load_catalog
    from thidua_xl.rules.quota import quota_ratio
    from thidua_xl.rules import Rule

    rng = random.Random(seed)
    rows = []
    for i in range(rng.randint(1, 80)):
        by, date = rng.choice(DATES)
        rows.append({"_i": i, "file": rng.choice(["a.xlsx", "b.xlsx"]), "sheet": rng.choice(["S1", "S2"]),
                     "unit": rng.choice(["Bệnh viện A", "BV B", math.nan]), "unit_key": rng.choice(["BV_A", "BV_B", "z"]),
                     "award": rng.choice(["CSTDCS", "LDTT", "LDTT", "GK", math.nan]), "name_key": rng.choice(NAMES),
                     "birth_date": date, "birth_year": by, "ho_ten": rng.choice(["X", "X", ""])})
    df = pd.DataFrame(rows)
    for col in ("file", "sheet", "unit", "unit_key", "award", "name_key", "birth_date", "ho_ten"):
        df[col] = df[col].astype("str")
    rule = Rule(id="Q", kind="quota_ratio", code="QUOTA_EXCEEDED", message="{proposed}|{base}", awards=("CSTDCS",),
                params={"of": "LDTT", "ratio": rng.choice([0.0, 0.15, 0.5])}, verified=True)
    frame = _polars(df)
    ctx = _context(frame, frame, load_catalog())

    def counts(f):  # proposed, base: from the rule's message or the QUOTA_REMAINING one
        m = re.search(r"(\d+)\|(\d+)", f.message) or re.search(r"đề nghị (\d+) .* trên (\d+)", f.message)
        return tuple(int(x) for x in m.groups())

    got = [(f.file, f.sheet, f.unit, *counts(f)) for f in quota_ratio(ctx, rule)]
    sel = df[df["award"].isin(["CSTDCS", "LDTT"]) & (df["ho_ten"] != "")]
    born = sel["birth_date"].where(sel["birth_date"] != "", sel["birth_year"].fillna(-1).astype(int).astype(str))
    counts = sel.assign(pid=sel["name_key"] + "|" + born).groupby(["unit_key", "award"])["pid"].nunique().unstack(
        fill_value=0)
    first = sel.sort_values("_i").groupby("unit_key")[["file", "sheet", "unit"]].first().to_dict("index")
    want = [(first[u]["file"], first[u]["sheet"], first[u]["unit"], int(c.get("CSTDCS", 0)), int(c.get("LDTT", 0)))
            for u, c in counts.iterrows()]
    assert repr(got) == repr(want).replace("nan", "None")  # a unit never named: null in Polars, NaN in pandas


def _labels_in_meeting_order(left: pd.DataFrame, right: pd.DataFrame, label: str) -> list:
    """The labels of right in the order left's rows first meet them (row by row; for one row the
    birth-year matches before the unit matches, each in right's order): the dict look-ups the joins replaced."""
    out: dict = {}
    for l in left.to_dict("records"):
        for r in right.to_dict("records"):
            if l["name_key"] != r["name_key"] or (l["subject"] == TAP_THE) != (r["subject"] == TAP_THE):
                continue
            if l["subject"] == TAP_THE:
                if l["unit_key"] == r["unit_key"]:
                    out.setdefault(r[label])
        if l["subject"] == TAP_THE:
            continue
        ly = l["birth_year"] == l["birth_year"]
        for r in right.to_dict("records"):
            if r["subject"] != TAP_THE and ly and l["name_key"] == r["name_key"] and r["birth_year"] == l["birth_year"] \
                    and (l["birth_date"] == "" or r["birth_date"] == "" or l["birth_date"] == r["birth_date"]):
                out.setdefault(r[label])
        for r in right.to_dict("records"):
            if r["subject"] != TAP_THE and (l["name_key"], l["unit_key"]) == (r["name_key"], r["unit_key"]) \
                    and (not ly or r["birth_year"] != r["birth_year"]):
                out.setdefault(r[label])
    return list(out)


@pytest.mark.parametrize("seed", range(20))
def test_labels_come_in_the_order_left_rows_meet_them(seed):
    """The disciplines' messages list them in this order: the joins keep it."""
    from thidua_xl.rules.context import _matches

    rng = random.Random(seed)
    left, right = _frame(rng, 25, [2024]), _frame(rng, 60, [2021, 2022, 2023, 2024])
    right.insert(0, "_d", range(len(right)))
    got = _matches(_polars(left), _polars(right).with_columns(pl.col("_d").cast(pl.Int64)), "_d")
    assert list(got) == _labels_in_meeting_order(left, right, "_d")


@pytest.mark.parametrize("seed", range(20))
def test_matched_known_is_matched_on_the_known_rows_it_picks(seed):
    """The pairs of every row against every known row, matched once, then picked per call: the same rows as a
    matching of the call's own rows against the known rows it names (awards, years, a condition)."""
    rng = random.Random(seed)
    years = [2022, 2023, 2024]
    df, known = _frame(rng, 30, [2024]), _frame(rng, rng.randint(0, 60), years)
    known["source"] = [rng.choice(["nomination", "history"]) for _ in range(len(known))]
    df["ho_ten"] = [rng.choice(["", "An"]) for _ in range(len(df))]
    ctx = _context(_polars(df), _polars(known))
    # with the awards of the run's history rules, the pairs cover only their rows (X proposed, with a name): a
    # left holding others is matched on its own
    ruled = _context(_polars(df), _polars(known))
    ruled.history_awards = frozenset({"X"})
    left = _polars(df).filter(pl.col("_i") % 3 != seed % 3)
    looked_at = left.filter(pl.col("award").eq("X") & pl.col("ho_ten").ne(""))
    for awards, ys, where in ((["X"], None, None), (["X", "Y"], [2023, 2024], None),
                              (["Y"], None, pl.col("source").eq("history") & (pl.col("year") <= 2023)),
                              (["X"], [2024], pl.col("subject").ne_missing(TAP_THE))):
        picked = _polars(known).filter(pl.col("award").is_in(awards))
        if ys is not None:
            picked = picked.filter(pl.col("year").is_in(ys))
        if where is not None:
            picked = picked.filter(where)
        assert ctx.matched_known(left, awards, ys, where=where).get(None, set()) == ctx.matched(left, picked)
        by_year = ctx.matched_known(left, awards, ys, "year", where)
        for y in years:
            assert by_year.get(y, set()) == ctx.matched(left, picked.filter(pl.col("year") == y))
        assert ruled.matched_known(left, awards, ys, "year", where) == by_year
        assert ruled.matched_known(looked_at, awards, ys, where=where).get(None, set()) == ctx.matched(looked_at, picked)
