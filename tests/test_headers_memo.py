"""What a header row says is kept by the row's own cells: the next file of the same template pays a dict
lookup, and gets exactly what a first reading gives — whatever was read before it, whatever its own
sub-header rows, titles and split birth columns make of the table afterwards."""
from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake import headers
from thidua_xl.intake.arrow import ArrowSheet, typed
from thidua_xl.intake.headers import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS,
                                      NOMINATION_REQUIRED, find_table)
from thidua_xl.intake.rows import locate_table
from thidua_xl.intake.units import _title_info, _title_lines

ROWS = [
    ["SỞ Y TẾ TỈNH LÀO CAI", None, None, None, None],
    ["Đơn vị: Bệnh viện Sản Nhi", None, None, None, None],
    ["Đơn vị: Trung tâm Y tế huyện Bát Xát", None, None, None, None],
    ["DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024", None, None, None, None],
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Ghi chú"],
    ["TT", "Họ tên / Tên tập thể", "Năm sinh", None, "Danh hiệu thi đua"],
    ["STT", "Họ và tên", "Năm sinh", "Năm sinh", "Hình thức đề nghị"],
    ["STT", "Họ và tên (Nam)", "Năm sinh (Nam)", "Năm sinh (Nữ)", "Hình thức đề nghị"],
    [None, None, "Nam", "Nữ", None],
    [None, None, None, "Thi đua", "Khen thưởng"],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
    ["1", "Nguyễn Thị Hoa", "1980", "LĐTT", None],
    ["2", "Trần Văn Bình", "13/02/1985", "CSTĐCS", "Khen thưởng"],
    ["I", "TẬP THỂ", None, None, None],
    ["STT", "Tên sáng kiến, đề tài", "Loại", "Tác giả", "Năm"],
    ["1", "Cải tiến quy trình tiếp đón", "Sáng kiến", "Lê Văn Tên", "2024"],
    [None, None, None, None, None],
    ["Tổng cộng: 2 cá nhân", None, None, None, None],
    ["1", "1.0", "true", "Họ và tên", "Danh hiệu"],
]
SHEET = st.lists(st.sampled_from(range(len(ROWS))), max_size=14)


def _sheets(picks: list[list[int]]) -> list[list[list]]:
    return [[list(ROWS[k]) for k in pick] for pick in picks]


def _answers(cells: list[list], arrow: bool):
    def sheet():
        if arrow:
            return ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(5)},
                                           schema={f"c{j}": pl.String for j in range(5)}))
        return [[typed(v) for v in r] for r in cells]
    found = [find_table(sheet(), NOMINATION_HEADERS, NOMINATION_REQUIRED),
             find_table(sheet(), INITIATIVE_HEADERS, INITIATIVE_REQUIRED), locate_table(sheet())]
    s = sheet()
    t = locate_table(s)
    return found + [_title_info(s, t.header_idx) if t else None]


@settings(max_examples=250, deadline=None)
@given(st.lists(SHEET, min_size=1, max_size=5), st.booleans())
def test_a_file_read_after_others_gets_what_a_first_reading_gives(picks, arrow):
    sheets = _sheets(picks)
    first = []
    for cells in sheets:  # each read as if it were the first file of the run
        headers._SAID.clear()
        first.append(_answers(cells, arrow))
    headers._SAID.clear()
    assert [_answers(cells, arrow) for cells in sheets] == first  # one after the other, the rows kept
    assert [_answers(cells, arrow) for cells in sheets[::-1]] == first[::-1]  # all of them kept already


def test_a_tables_own_sub_header_does_not_leak_into_the_next_file_with_the_same_header_row():
    """File 1 splits the birth date by sex under its header (Nam | Nữ), file 2 has the same header row and no
    such row: file 2 still lacks the sex column, file 1 still has it, however often they are read."""
    header = ["STT", "Họ và tên", "Ngày sinh", "", "Hình thức đề nghị"]
    one = [header, ["", "", "Nam", "Nữ", ""], ["1", "Nguyễn Thị Hoa", "", "1980", "LĐTT"]]
    two = [header, ["1", "Trần Văn Bình", "1985", "Nam", "LĐTT"]]
    for _ in range(2):
        a = find_table(one, NOMINATION_HEADERS, NOMINATION_REQUIRED)
        b = find_table(two, NOMINATION_HEADERS, NOMINATION_REQUIRED)
        assert a.birth_by_gender == (2, 3) and a.sub_header_rows == 1 and "Giới tính" not in a.missing
        assert b.birth_by_gender is None and b.sub_header_rows == 0 and "Giới tính" in b.missing
        a.missing.append("changed by a caller")
        a.headers_typed["x"] = "y"
        a.extra.append("z")
        b = find_table(two, NOMINATION_HEADERS, NOMINATION_REQUIRED)
        assert "changed by a caller" not in b.missing and "x" not in b.headers_typed and "z" not in b.extra


def test_title_lines_kept_per_cell_say_what_they_said():
    rows = [["Đơn vị:", "Đơn vị: Bệnh viện Sản Nhi"], ["Đơn vị: TTYT Bát Xát", "NĂM 2023"], ["Năm 2024", 2024],
            [dt.date(2024, 1, 1), "  "], ["STT", "Họ và tên"]]
    for _ in range(2):
        assert _title_lines(rows, 4) == ("Bệnh viện Sản Nhi", 2023)
        assert _title_lines(rows[1:], 3) == ("TTYT Bát Xát", 2023)
        assert _title_lines(rows[2:], 2) == ("", 2024)
