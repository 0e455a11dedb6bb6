"""SUBJECT.MATCH read row by row: a collective award on a row with a person's cells (pointing at the birth date,
else the gender), a collective award stated "Cá nhân", an individual award stated "Tập thể", an individual award on
a row stating nothing whose name is a collective's or that sits under a collective heading.

The check tells the four kinds apart in one query over whole columns; the reference below reads each row alone.
"""
from __future__ import annotations

import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.catalog import CA_NHAN, TAP_THE, load_catalog
from thidua_xl.rules import Context, load_builtin
from thidua_xl.rules.row_checks import _COLLECTIVE_NAME, duplicate, subject
from thidua_xl.text import clean

CATALOG = load_catalog()
RULE = next(r for r in load_builtin().rules if r.id == "SUBJECT.MATCH")

row = st.fixed_dictionaries({
    "award": st.sampled_from(["TTLDTT", "LDTT", "GK", None]),
    "doi_tuong": st.sampled_from([CA_NHAN, TAP_THE, "", None]),
    "has_person": st.booleans(),
    "ho_ten": st.sampled_from(["Khoa Nội", "khoa nhi", "Nguyễn Văn An", "Tổ Dược", "", None]),
    "group_subject": st.sampled_from([CA_NHAN, TAP_THE, "", None]),
    "ngay_sinh_raw": st.sampled_from(["13/02/1980", "", None]),
    "nam_sinh": st.sampled_from([1980, None]),
})


def _expected(r: dict) -> tuple[str, str] | None:
    """(column, what the message says) of one row, or None."""
    award = CATALOG.by_code.get(r["award"]) if r["award"] else None
    kind, name = (award.subject, award.name) if award else (None, "")
    if kind == TAP_THE and r["has_person"]:
        column = "Giới tính" if (r["ngay_sinh_raw"] or "") == "" and r["nam_sinh"] is None else "Ngày sinh"
        return column, f"“{name}” chỉ xét tặng tập thể, nhưng dòng này có ngày sinh hoặc giới tính của một cá nhân."
    if kind == TAP_THE and r["doi_tuong"] == CA_NHAN:
        return "Đối tượng", f"“{name}” chỉ xét tặng tập thể, nhưng cột “Đối tượng” ghi “Cá nhân”."
    if kind == CA_NHAN and r["doi_tuong"] == TAP_THE:
        return "Đối tượng", f"“{name}” chỉ xét tặng cá nhân, nhưng cột “Đối tượng” ghi “Tập thể”."
    if kind == CA_NHAN and r["doi_tuong"] == "" and not r["has_person"] and (
            re.match(_COLLECTIVE_NAME, clean(r["ho_ten"]).lower()) or r["group_subject"] == TAP_THE):
        return "Họ và tên", f"“{name}” chỉ xét tặng cá nhân, nhưng đây là tên một tập thể."
    return None


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(row, max_size=14))
def test_subject_match_finds_the_rows_and_cells_a_row_by_row_reading_finds(rows):
    n = len(rows)
    df = pl.DataFrame(rows, schema={"award": pl.String, "doi_tuong": pl.String, "has_person": pl.Boolean,
                                    "ho_ten": pl.String, "group_subject": pl.String, "ngay_sinh_raw": pl.String,
                                    "nam_sinh": pl.Int64}).with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64), file=pl.lit("BV.xlsx"), sheet=pl.lit("Đề nghị"),
        row=pl.int_range(pl.len(), dtype=pl.Int64) + 5, unit=pl.lit("Bệnh viện A"),
        award_name=pl.col("award").replace_strict({a.code: a.name for a in CATALOG}, default="",
                                                  return_dtype=pl.String))
    ctx = Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=None)
    found = [(f.row, f.column, f.message) for f in subject(ctx, RULE)]
    expected = [(k + 5, *_expected(r)) for k, r in enumerate(rows) if _expected(r)]
    assert [(r, c) for r, c, _m in found] == [(r, c) for r, c, _d in expected]
    assert all(d in m for (_r, _c, m), (_r2, _c2, d) in zip(found, expected))
    assert n >= len(found)


# --- DUP.PERSON_AWARD ---------------------------------------------------------------------------------------
DUP = next(r for r in load_builtin().rules if r.id == "DUP.PERSON_AWARD")

nominee = st.fixed_dictionaries({
    "name_key": st.sampled_from(["nguyen van an", "khoa nhi", None]),
    "birth_year": st.sampled_from([1980.0, float("nan"), None]),
    "birth_date": st.sampled_from(["1980-02-13", "1980-05-01", ""]),
    "award": st.sampled_from(["LDTT", "GK", None]),
    "subject": st.sampled_from([CA_NHAN, TAP_THE, None]),
    "khoa_phong": st.sampled_from(["Khoa Nội", "KHOA NỘI", "", None]),
    "unit": st.sampled_from(["Bệnh viện A", "Bệnh viện B"]),
    "sheet": st.sampled_from(["Đề nghị", "Tập thể"]),
    "ho_ten": st.sampled_from(["An", ""]),
})


def _duplicates(rows: list[dict]) -> dict[int, str]:
    """Row → its detail, read pair by pair: a person with a person of the same name key, birth year (none as none)
    and award, birth dates not differing; a collective with a collective of the same unit, parent (folded), name
    key and award; a missing key matches nothing; up to five others named, in row order."""
    from thidua_xl.rules.emit import where_text
    from thidua_xl.text import fold

    def key(r: dict) -> tuple | None:
        by = -1.0 if r["birth_year"] is None or r["birth_year"] != r["birth_year"] else r["birth_year"]
        if r["subject"] == TAP_THE:
            k = ("c", r["unit"], fold(r["khoa_phong"] or ""), r["name_key"], r["award"])
        else:
            k = ("p", r["name_key"], by, r["award"])
        return None if None in k else k

    shown = [r for r in rows if r["award"] is not None and r["ho_ten"]]
    out = {}
    for r in shown:
        others = [o for o in shown if o is not r and key(r) is not None and key(o) == key(r)
                  and (r["subject"] == TAP_THE or r["birth_date"] == "" or o["birth_date"] == ""
                       or r["birth_date"] == o["birth_date"])]
        if others:
            out[r["row"]] = "; ".join(where_text(o, r) for o in others[:5])
    return out


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(nominee, max_size=14))
def test_duplicates_are_the_pairs_a_row_by_row_reading_finds(rows):
    rows = [{**r, "row": k + 5, "file": "BV.xlsx", "unit_key": r["unit"]} for k, r in enumerate(rows)]
    df = pl.DataFrame(rows, schema={
        "name_key": pl.String, "birth_year": pl.Float64, "birth_date": pl.String, "award": pl.String,
        "subject": pl.String, "khoa_phong": pl.String, "unit": pl.String, "sheet": pl.String, "ho_ten": pl.String,
        "row": pl.Int64, "file": pl.String, "unit_key": pl.String}).with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64), award_name=pl.lit("Lao động tiên tiến"))
    ctx = Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=None, rules=(DUP,))
    found = {f.row: f.message for f in duplicate(ctx, DUP)}
    expected = _duplicates(rows)
    assert sorted(found) == sorted(expected)
    assert all(expected[r] in m for r, m in found.items())
