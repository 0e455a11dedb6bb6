"""A check's test of an optional cell (xếp loại, kỷ luật) is worked out once per distinct text and spread back by
Polars (`emit.by_text`); it must say, row by row, what the test of each cell's own text says."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.rules.emit import by_text, cell_texts
from thidua_xl.text import fold

NASTY = ["Không", "khong", " KHÔNG ", "Kho\u0302ng", "Đang xem xét", "đang  xem\u00a0xét", "HTXSNV", "htxsnv", "",
         "   ", "\u2003", "\x1c", "\u00b8\u00d5ng", "Khiển trách", "0", "01 cảnh cáo", None]
cells = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.none()), max_size=40)

TESTS = [
    (lambda t: t.strip() != "", pl.Boolean),
    (lambda t: fold(t) not in {fold("Không"), fold("HTXSNV")}, pl.Boolean),
    (lambda t: any(w in fold(t) for w in ("dang xem xet",)) if t else False, pl.Boolean),
    (lambda t: fold(t), pl.String),
]


@settings(max_examples=150, deadline=None)
@given(cells)
def test_each_row_gets_the_test_of_its_own_text(values):
    rows = pl.DataFrame({"ky_luat": pl.Series(values, dtype=pl.String), "_i": list(range(len(values)))})
    texts = cell_texts(rows, "ky_luat")
    for fn, dtype in TESTS:
        got = by_text(rows, "ky_luat", fn, dtype)
        assert got.dtype == dtype and got.len() == rows.height
        assert got.to_list() == [fn(t) for t in texts]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=False)), max_size=20))
def test_cells_that_are_not_text_are_tested_as_their_text(values):
    rows = pl.DataFrame({"so": pl.Series(values, dtype=pl.Float64)})
    fn = lambda t: t.strip() != ""  # noqa: E731
    assert by_text(rows, "so", fn, pl.Boolean).to_list() == [fn(t) for t in cell_texts(rows, "so")]


def test_a_missing_column_or_no_rows():
    rows = pl.DataFrame({"ho_ten": ["Nguyễn Văn A", "Trần Thị B"]})
    assert by_text(rows, "xep_loai", lambda t: t == "", pl.Boolean).to_list() == [True, True]
    empty = pl.DataFrame({"xep_loai": pl.Series([], dtype=pl.String)})
    got = by_text(empty, "xep_loai", lambda t: t.strip() != "", pl.Boolean)
    assert got.dtype == pl.Boolean and got.len() == 0
    assert empty.filter(got).is_empty()
