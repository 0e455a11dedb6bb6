"""The fastexcel reader gives the classifier what python-calamine gives: the same typed rows, the same
cleaned column texts, the same dates of birth, the same first text of a row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake.arrow import open_book
from thidua_xl.intake.datecols import dates_of_cells
from thidua_xl.intake.cells import ListBody, reading_memos
from thidua_xl.reading import checked_scan, open_scanned, sheet_rows

CELLS = [
    ["STT", "Họ và tên", "Ngày sinh", "Số", "Ghi chú", "Đúng/sai"],
    [1, "  Nguyễn  Văn An ", dt.date(1980, 2, 13), 2.5, "01", True],
    [2, "Trần Thị\u00a0Bình", "13/02/1985", 0, None, False],
    [3, "Lê Văn C", dt.datetime(1990, 1, 1, 10, 30), -3, "x\ny", None],
    [None, "Tổng cộng", None, 1234567890123, "Nguyễn Văn An", None],
    [4, "Phạm D", 1975, 1e-3, "ok", None],
    [5, "Nguyễn Văn E", "1975", 0.1 + 0.2, "1.50", None],
]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[list[list], object]:
    """One sheet whose table starts at B4 (a title in C2), read by python-calamine and by fastexcel."""
    path = tmp_path_factory.mktemp("arrow") / "don-vi.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề nghị"
    ws["C2"] = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    for i, row in enumerate(CELLS):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=4 + i, column=2 + j, value=value)
    wb.save(path)
    scan = checked_scan(Path(path))
    calamine = sheet_rows(open_scanned(path, scan)[0], "Đề nghị")
    arrow = open_book(path, scan).sheet("Đề nghị")
    return calamine, arrow


def test_rows_are_the_typed_rows_python_calamine_gives_from_a1(both):
    calamine, arrow = both
    assert len(arrow) == len(calamine) == 3 + len(CELLS)
    rows = [arrow[i] for i in range(len(arrow))]
    # the one thing fastexcel's text cannot tell: a number typed as text ("1975" in a text cell) comes back
    # a number in a row read whole (its column text is the same "1975"); `collect`, which writes cells
    # back as typed, therefore reads with python-calamine
    assert calamine[9][3] == "1975" and rows[9][3] == 1975.0
    rows[9][3] = "1975"
    assert rows == calamine
    assert arrow[3][1:4] == ["STT", "Họ và tên", "Ngày sinh"]  # column B is index 1: the empty A is kept
    assert arrow[4][3] == dt.date(1980, 2, 13) and arrow[6][3] == dt.datetime(1990, 1, 1, 10, 30)


def test_column_texts_dates_and_first_texts_are_the_list_readers(both):
    calamine, arrow = both
    with reading_memos():
        lists, columns = ListBody(calamine, 4), arrow.body(4)
        for j in range(len(calamine[3])):
            assert columns.texts(j) == lists.texts(j), j
        assert columns.texts(2)[:2] == ["Nguyễn Văn An", "Trần Thị Bình"]  # cleaned: spaces, NBSP
        a, b, later = lists.dates(lists.raw(3)), columns.dates(columns.raw(3)), columns.date_column(3)
        c = dates_of_cells(later.cells)  # the dates of every sheet read at once, after the rows are classified
        assert a.text == b.text == c.text == later.text == ["13/02/1980", "13/02/1985", "01/01/1990", "", "1975", "1975"]
        for d in (b, c):
            assert (d.date, d.year, d.raw, d.error) == (a.date, a.year, a.raw, a.error)
        assert [columns.lead(i) for i in range(columns.n)] == [lists.lead(i) for i in range(lists.n)]


def test_no_unit_file_is_left_open_after_reading(seed_folder):
    """On Windows a file held open cannot be replaced when the unit sends it again: once read, fastexcel
    lets go of every file (the process's open files are looked at, Linux only)."""
    import os

    from thidua_xl.intake import read_paths

    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc")
    intake = read_paths([seed_folder])
    assert len(intake.frame) > 0
    open_files = {os.path.realpath(fds / fd) for fd in os.listdir(fds)}
    assert not any(p.startswith(os.path.realpath(seed_folder)) for p in open_files)


def _passed_by_lead_as_written(v):
    """`passed_by_lead` before its fast path for texts (every cell through the regexes)."""
    from thidua_xl.intake.arrow import _NUMBER, _special

    return v is None or not v.strip() or _NUMBER.fullmatch(v) is not None or _special(v)


_LEAD_CELLS = ["", " ", "\u3000", "\xa0x", "1", "-1", "01", "1.50", "2.5", "٣", "١٩٨٠-٠١-٠١ ٠٠:٠٠:٠٠", "²",
               "true", "false", "True", "tên", "Tổng cộng", "1980-02-13 00:00:00", "1980-02-30 00:00:00", "  Nguyễn",
               "-", "t", "f", "\t1", "Đ", "x"]


@given(st.one_of(st.none(), st.sampled_from(_LEAD_CELLS),
                 st.text(alphabet=st.sampled_from("0123456789-.: tfrueals٣²\u3000\xa0\tĐxT"), max_size=22),
                 st.text(max_size=8)))
@settings(max_examples=1500, deadline=None)
def test_passed_by_lead_fast_path_answers_as_the_regexes(v):
    """A text that cannot begin a number, date or bool is passed over without the regexes: the same answer."""
    from thidua_xl.intake.arrow import passed_by_lead

    assert passed_by_lead(v) == _passed_by_lead_as_written(v)
