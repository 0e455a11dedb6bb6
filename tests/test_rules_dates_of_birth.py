"""Dates of birth: unreadable, in the future, or an age out of range in the award year, each row said once in
row order. The checks run as one query; an age is said as the whole years between the birth year and the award
year, however the year was read (a whole number, a decimal from a formula, a number no 64-bit integer holds)."""
from __future__ import annotations

import datetime as dt

import polars as pl

from thidua_xl.catalog import CA_NHAN, TAP_THE, load_catalog
from thidua_xl.rules import load_rules
from thidua_xl.rules.context import Context
from thidua_xl.rules.row_checks import date_of_birth

CATALOG = load_catalog()
RULE = next(r for r in load_rules(None).for_year(2024) if r.kind == "date_of_birth")


def _found(rows: list[tuple]):
    n = len(rows)
    df = pl.DataFrame({
        "_i": list(range(n)), "file": ["BV.xlsx"] * n, "sheet": ["Danh sách"] * n, "row": list(range(7, 7 + n)),
        "unit": ["Bệnh viện A"] * n, "ho_ten": [f"Người {k}" for k in range(n)], "award": ["LDTT"] * n,
        "award_name": [""] * n, "birth_year": [r[0] for r in rows], "ngay_sinh": [r[1] for r in rows],
        "ngay_sinh_error": [r[2] for r in rows], "subject": [r[3] for r in rows]},
        schema_overrides={"birth_year": pl.Float64, "ngay_sinh": pl.Date, "ngay_sinh_error": pl.String})
    ctx = Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=pl.DataFrame())
    return [(f.row, f.message.split(" [")[0]) for f in date_of_birth(ctx, RULE)]


def test_each_kind_of_bad_date_is_said_in_row_order():
    future = dt.date.today() + dt.timedelta(days=400)
    found = _found([
        (1980.0, dt.date(1980, 2, 13), None, CA_NHAN),    # fine
        (None, None, "ngày 30/02 không có", CA_NHAN),      # unreadable
        (float(future.year), future, None, CA_NHAN),       # in the future
        (2009.0, None, None, CA_NHAN),                     # 15 in 2024
        (1939.5, None, None, CA_NHAN),                     # 84.5: said as 84
        (2010.0, None, None, TAP_THE),                     # a collective has no age
        (-1e20, None, None, CA_NHAN),                      # an absurd year: said as Python says it
    ])
    assert [row for row, _m in found] == [8, 9, 10, 11, 13]
    messages = dict(found)
    assert "không hợp lệ: ngày 30/02 không có" in messages[8]
    assert "tương lai" in messages[9]
    assert "cho tuổi 15 vào năm 2024" in messages[10]
    assert "cho tuổi 84 vào năm 2024" in messages[11]
    assert f"cho tuổi {int(2024 - -1e20)} vào năm 2024" in messages[13]


def test_no_bad_dates_no_findings():
    assert _found([(1980.0, dt.date(1980, 2, 13), None, CA_NHAN), (None, None, None, TAP_THE)]) == []
