"""After the last file, the dates of birth are read and the names keyed in a thread beside the cleaning and the
award matching (one core is idle then): the nominations frame is the one worked out in the caller's thread
alone, the reading's memos are the thread's too, and a thread's error reaches the caller. Below the threads'
threshold the dates are read in the gathering's own query instead: the same frame."""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from thidua_xl.catalog import load_catalog
from thidua_xl.intake import frames
from thidua_xl.intake.arrow import ArrowSheet
from thidua_xl.intake.cells import arrow_memos, reading_memos
from thidua_xl.intake.frames import build_nominations
from thidua_xl.threads import Beside
from thidua_xl.intake.rows import locate_table, nomination_columns

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Chức vụ"]
ROW = st.tuples(
    st.sampled_from(["Nguyễn Văn An", "Trần  Thị Bích", "ThS.BS. Lò Văn Sáng", "Nguyễn Văn An", "", "Khoa Nội",
                     "Ông Lương Văn Tám"]),
    st.sampled_from(["1980-02-13 00:00:00", "13/02/1985", "1979", "1980-02-13", "", None, "abc", "31/02/1990"]),
    st.sampled_from(["LĐTT", "CSTĐCS, LĐTT", "Giấy khen", "Tập thể lao động tiên tiến", "", None]),
    st.sampled_from(["Bác  sĩ", "Điều dưỡng", None]))


def _sheet(rows: list[tuple], k: int) -> dict:
    table = [HEADER] + [[str(i + 1), *r] for i, r in enumerate(rows)]
    sheet = ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in table] for j in range(len(HEADER))},
                                    schema={f"c{j}": pl.String for j in range(len(HEADER))}))
    return nomination_columns(sheet, locate_table(sheet), file=f"DV{k}.xlsx", path=f"/DV{k}.xlsx",
                              sheet=f"Đơn vị {k}", unit_code=f"DV{k}", unit=f"Đơn vị {k}")


def _built(sheets: list[list[tuple]], beside_from: int) -> pl.DataFrame:
    was = frames._BESIDE_ROWS
    frames._BESIDE_ROWS = beside_from
    try:
        with reading_memos():
            return build_nominations([_sheet(rows, k) for k, rows in enumerate(sheets)], load_catalog())
    finally:
        frames._BESIDE_ROWS = was


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(ROW, min_size=1, max_size=8), min_size=1, max_size=4))
def test_the_frame_built_with_threads_beside_is_the_frame_built_in_one_thread(sheets):
    assert_frame_equal(_built(sheets, 0), _built(sheets, 10 ** 9))


def test_a_step_beside_sees_the_readings_memos():
    with reading_memos():
        memo = arrow_memos()[0]
        assert Beside(lambda: arrow_memos()[0]).result() is memo


def test_a_step_besides_error_is_raised_in_the_caller():
    def fails():
        raise ValueError("ngày sinh")

    step = Beside(fails)
    with pytest.raises(ValueError, match="ngày sinh"):
        step.result()
