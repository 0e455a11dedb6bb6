"""An award open to individuals and collectives (Giấy khen, Bằng khen) on a row whose signals disagree, or give
none, is reported saying which way the row was counted. The signals are weighed in the query that picks the
rows; the rows themselves are read only when one of them has a finding. The same findings come out whatever
types the columns arrive in (text, or all empty)."""
from __future__ import annotations

import polars as pl

from thidua_xl.catalog import CA_NHAN, TAP_THE, load_catalog
from thidua_xl.rules import load_rules
from thidua_xl.rules.context import Context
from thidua_xl.rules.row_checks import subject_signals

CATALOG = load_catalog()
RULE = next(r for r in load_rules(None).for_year(2024) if r.kind == "subject_signals")


def _frame(rows: list[dict]) -> pl.DataFrame:
    n = len(rows)
    base = {"_i": list(range(n)), "file": ["BV.xlsx"] * n, "sheet": ["Danh sách"] * n, "row": list(range(7, 7 + n)),
            "unit": ["Bệnh viện A"] * n, "award_name": [""] * n}
    cols = {k: [r.get(k) for r in rows] for k in ("ho_ten", "award", "doi_tuong", "group_subject", "chuc_vu",
                                                    "has_person", "subject")}
    return pl.DataFrame({**base, **cols}, schema_overrides={
        "ho_ten": pl.String, "award": pl.String, "doi_tuong": pl.String, "group_subject": pl.String,
        "chuc_vu": pl.String, "has_person": pl.Boolean, "subject": pl.String, "award_name": pl.String})


def _found(df: pl.DataFrame):
    ctx = Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=pl.DataFrame())
    return [(f.row, f.message) for f in subject_signals(ctx, RULE)]


ROWS = [
    # a person stated, but named like a collective: the signals disagree
    {"ho_ten": "Khoa Nội", "award": "GK", "doi_tuong": CA_NHAN, "group_subject": "", "chuc_vu": "",
     "has_person": False, "subject": CA_NHAN},
    # nothing tells: no stated subject, no birth date, no title, no position, not shaped like a name
    {"ho_ten": "Dự án ABC 123", "award": "BK_TINH", "doi_tuong": None, "group_subject": None, "chuc_vu": None,
     "has_person": False, "subject": TAP_THE},
    # a person with a birth date and a position: nothing to say
    {"ho_ten": "Nguyễn Văn An", "award": "GK", "doi_tuong": CA_NHAN, "group_subject": "", "chuc_vu": "Bác sĩ",
     "has_person": True, "subject": CA_NHAN},
    # an award for individuals only is not looked at
    {"ho_ten": "Khoa Ngoại", "award": "LDTT", "doi_tuong": CA_NHAN, "group_subject": "", "chuc_vu": "",
     "has_person": False, "subject": CA_NHAN},
]


def test_rows_whose_signals_disagree_or_are_silent_are_reported():
    found = _found(_frame(ROWS))
    assert [row for row, _m in found] == [7, 8]
    assert "các dấu hiệu trái nhau" in found[0][1] and "đã tính là cá nhân" in found[0][1]
    assert "không có dấu hiệu nào" in found[1][1] and "đã tính là tập thể" in found[1][1]


def test_nothing_to_report_and_no_rows_open_to_both():
    assert _found(_frame([ROWS[2]])) == []
    assert _found(_frame([ROWS[3]])) == []


def test_columns_of_other_types_give_the_same_findings():
    """All-empty columns arrive typed as nothing (Null) from some sources: they are read as the text columns are."""
    df = _frame(ROWS)
    assert _found(df.with_columns(pl.lit(None).alias("chuc_vu"))) == _found(df.with_columns(pl.lit(None, pl.String)
                                                                                                .alias("chuc_vu")))
    assert _found(df.with_columns(pl.col("doi_tuong").cast(pl.Categorical))) == _found(df)
