"""Many small sheets' kept rows stacked at once (a master's sixty unit sheets) are the rows taken sheet by sheet:
the same columns, texts and dates of birth in the same order; sheets classified column by column are taken
one by one as before."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from thidua_xl.catalog import load_catalog
from thidua_xl.intake import rows as rows_mod
from thidua_xl.intake.arrow import ArrowSheet
from thidua_xl.intake.cells import reading_memos
from thidua_xl.intake.frames import _bulk_by_sheet, _stacked_bulk, build_nominations
from thidua_xl.intake.rows import locate_table, nomination_columns

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Chức vụ", "Ghi chú"]
ROW = st.tuples(
    st.sampled_from(["Nguyễn Văn An", "Trần  Thị Bích", "Lò Văn Sáng", "", "Tổng cộng", "Khoa Nội", "Nguyễn Văn A"]),
    st.sampled_from(["1980-02-13 00:00:00", "13/02/1985", "1979", "", None, "abc"]),
    st.sampled_from(["LĐTT", "CSTĐCS", "Giấy khen", "Tập thể lao động tiên tiến", "", None]),
    st.sampled_from(["Bác  sĩ", "Điều dưỡng", None, "true"]),
    st.sampled_from([None, "ghi chú", "  "]))


def _sheet(rows: list[tuple], columnar: bool, k: int, header: list[str] = HEADER) -> dict:
    """A unit's sheet of `header` and `rows` (each numbered, cut to the header's width), read by either path."""
    table = [header] + [[str(i + 1), *r][:len(header)] for i, r in enumerate(rows)]
    sheet = ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in table] for j in range(len(header))},
                                    schema={f"c{j}": pl.String for j in range(len(header))}))
    was = rows_mod.COLUMNAR_FROM
    rows_mod.COLUMNAR_FROM = 0 if columnar else 10 ** 9  # either path on a sheet of any size
    try:
        return nomination_columns(sheet, locate_table(sheet), file=f"DV{k}.xlsx", path=f"/DV{k}.xlsx",
                                  sheet=f"Đơn vị {k}", unit_code=f"DV{k}", unit=f"Đơn vị {k}")
    finally:
        rows_mod.COLUMNAR_FROM = was


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(ROW, min_size=1, max_size=8), st.booleans()), min_size=2, max_size=6))
def test_sheets_stacked_at_once_are_the_sheets_taken_one_by_one(sheets):
    with reading_memos():
        noms = [d for d in (_sheet(rows, columnar, k) for k, (rows, columnar) in enumerate(sheets))
                if d["frame"].height]
        if len(noms) < 2:
            return
        sheet_of = pl.Series([k for k, d in enumerate(noms) for _ in range(d["frame"].height)], dtype=pl.UInt32)
        stacked = _stacked_bulk(noms, sheet_of)
        one_by_one = _bulk_by_sheet(noms)
        row_by_row = all(d["texts"] for d in noms)
        assert (stacked is not None) == row_by_row  # large sheets, or sheets of both paths: one by one
        if stacked is not None:
            assert_frame_equal(stacked, one_by_one)
        built = build_nominations(noms, load_catalog())
    assert built.height >= sum(d["frame"].height for d in noms)


def test_a_masters_unit_sheets_are_stacked_in_their_order():
    rows = [("Nguyễn Văn An", "13/02/1985", "LĐTT", "Bác sĩ", None), ("Lò Văn Sáng", "1979", "CSTĐCS", None, "x")]
    with reading_memos():
        noms = [_sheet(rows[k % 2:], False, k) for k in range(3)]
        built = build_nominations(noms, load_catalog())
    assert built.get_column("unit").to_list() == ["Đơn vị 0", "Đơn vị 0", "Đơn vị 1", "Đơn vị 2", "Đơn vị 2"]
    assert built.get_column("ho_ten").to_list() == ["Nguyễn Văn An", "Lò Văn Sáng", "Lò Văn Sáng",
                                                    "Nguyễn Văn An", "Lò Văn Sáng"]
    assert built.get_column("ghi_chu").to_list() == ["", "x", "x", "", "x"]


WIDE = ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Chức vụ", "Ghi chú", "Xếp loại", "Kỷ luật", "Số CCCD"]
SPARSE = st.sampled_from([None, None, None, "x", "  "])
NAME = st.sampled_from(["Nguyễn Văn An", "Trần  Thị Bích", "", "Tổng cộng", "Khoa Nội"])
BORN = st.sampled_from(["1980-02-13 00:00:00", "13/02/1985", "", None])
AWARD = st.sampled_from(["LĐTT", "CSTĐCS", "Tập thể lao động tiên tiến", None])


def _wide_sheet(rows: list[tuple], columnar: bool, k: int, width: int) -> dict:
    return _sheet(rows, columnar, k, WIDE[:width])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(NAME, BORN, AWARD, st.sampled_from(["Bác  sĩ", None]), SPARSE, SPARSE,
                                                 SPARSE, SPARSE), min_size=1, max_size=8),
                          st.booleans(), st.integers(4, len(WIDE))), min_size=1, max_size=6))
def test_a_column_no_sheet_fills_is_the_nulls_the_sheets_taken_one_by_one_give(sheets):
    """Optional columns absent from some sheets, present but empty in others, filled in a few: the stacked
    bulk equals every sheet's bulk taken at its kept rows and stacked (the former way), the dates too."""
    from thidua_xl.intake.frames import _sheet_bulk

    with reading_memos():
        noms = [d for d in (_wide_sheet(rows, columnar, k, width) for k, (rows, columnar, width) in enumerate(sheets))
                if d["frame"].height]
        if not noms:
            return
        former = pl.concat([_sheet_bulk(d) for d in noms])
        assert_frame_equal(_bulk_by_sheet(noms), former)
