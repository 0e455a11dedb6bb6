"""A row with fewer texts than the required columns (a title, "Đơn vị: …" above a master's unit sheet) is
passed over by the header search without being matched: it cannot name every required column. The table
found is the one found when every row is matched, whatever the rows, the columns required and the reader."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake import headers
from thidua_xl.intake.arrow import ArrowSheet, typed
from thidua_xl.intake.headers import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS,
                                      NOMINATION_REQUIRED, find_table)
from thidua_xl.intake.rows import locate_table

ROWS = [
    ["DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024", None, None, None, None],
    ["Đơn vị: Bệnh viện Sản Nhi", None, None, None, None],
    ["Họ và tên", None, None, None, None],  # one text naming a required column
    [None, "Hình thức đề nghị", None, None, None],
    ["Họ và tên", "Họ và tên", None, None, None],  # two texts, one column
    [None, "Họ và tên", None, "Hình thức đề nghị", None],  # two texts, the two required columns
    ["Họ và tên", 1980, "true", None, None],  # one text beside a number and a bool
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Ghi chú"],
    ["TT", "Họ tên / Tên tập thể", "Năm sinh", None, "Danh hiệu thi đua"],
    [None, "Họ và tên", None, None, None],
    [None, None, "Nam", "Nữ", None],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
    ["1", "Nguyễn Thị Hoa", "1980", "LĐTT", None],
    ["2", "Trần Văn Bình", "13/02/1985", "CSTĐCS", "Khen thưởng"],
    ["I", "TẬP THỂ", None, None, None],
    ["STT", "Tên sáng kiến, đề tài", "Loại", "Tác giả", "Năm"],
    ["Tên sáng kiến", None, None, None, None],
    [None, None, None, None, None],
    ["Tổng cộng: 2 cá nhân", None, None, None, None],
]


def _sheet(cells: list[list], arrow: bool):
    if arrow:
        return ArrowSheet(pl.DataFrame({f"c{j}": [None if r[j] is None else str(r[j]) for r in cells]
                                        for j in range(5)}, schema={f"c{j}": pl.String for j in range(5)}))
    return [[typed(None if v is None else str(v)) for v in r] for r in cells]


def _answers(cells: list[list], arrow: bool) -> list:
    return [find_table(_sheet(cells, arrow), NOMINATION_HEADERS, NOMINATION_REQUIRED),
            find_table(_sheet(cells, arrow), NOMINATION_HEADERS, ("Họ và tên",)),
            find_table(_sheet(cells, arrow), INITIATIVE_HEADERS, INITIATIVE_REQUIRED),
            locate_table(_sheet(cells, arrow))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(range(len(ROWS))), max_size=16), st.booleans())
def test_passing_over_rows_with_too_few_texts_finds_the_table_matching_every_row_finds(picks, arrow):
    cells = [list(ROWS[k]) for k in picks]
    quick = _answers(cells, arrow)
    original = headers._too_few_texts
    headers._too_few_texts = lambda row, need: False  # every row matched, as before the rule
    try:
        headers._SAID.clear()
        every_row = _answers(cells, arrow)
    finally:
        headers._too_few_texts = original
    assert quick == every_row


def test_a_title_and_a_units_name_above_the_header_are_passed_over_the_header_found():
    cells = [ROWS[0], ["Đơn vị: Bệnh viện Sản Nhi", None, None, None, None], [None] * 5,
             ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Ghi chú"], ["1", "Nguyễn Thị Hoa", "1980", "", None]]
    table = find_table(_sheet(cells, True), NOMINATION_HEADERS, NOMINATION_REQUIRED)
    assert table.header_idx == 3 and table.default_award == ""
    assert locate_table(_sheet(cells, True)).default_award == "Lao động tiên tiến"
    assert headers._too_few_texts(["Đơn vị: Bệnh viện Sản Nhi", None, "", 3.0, True], 2)
    assert not headers._too_few_texts(["Họ và tên", "Hình thức đề nghị"], 2)
    assert not headers._too_few_texts(["Họ và tên"], 1)  # one required column: a lone text may be its header
