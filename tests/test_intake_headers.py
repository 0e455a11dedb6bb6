"""Finding the tables: one answer whichever reader gave the rows.

A master is read from its file with fastexcel, and from an open book (the Excel adapter) as the rows
python-calamine gives: both must read the same units, configuration, nominations and initiatives. The
header finder answers the same on fastexcel's text columns as on typed rows, and the shortcut that
types fastexcel's texts is the rule it stands for.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.intake import read_paths, read_sheets
from thidua_xl.intake.arrow import ArrowSheet, typed
from thidua_xl.intake.headers import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS,
                                      NOMINATION_REQUIRED, find_table)
from thidua_xl.intake.rows import locate_table
from thidua_xl.reading import read_sheets as calamine_sheets


def _master(path: Path) -> Path:
    """A master as the office keeps it: instructions, configuration, units list, one sheet per unit
    (a title above the header, a second table, a numbered header row), the initiatives of all units."""
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["TỆP TỔNG HỢP THI ĐUA, KHEN THƯỞNG NĂM 2024"])
    cfg = wb.create_sheet("Cấu hình")
    for k, v in [("Năm", "2024"), ("Tỉnh", "Lào Cai"), ("Số văn bản", 15), ("Ngày ký", dt.date(2024, 12, 2)),
                 ("Người ký", "Nguyễn Văn Giám"), ("Tỷ lệ", 0.5)]:
        cfg.append([k, v])
    units = wb.create_sheet("Đơn vị")
    units.append(["Mã đơn vị", "Tên đơn vị", "Email", "Tên sheet"])
    units.append(["BVSN", "Bệnh viện Sản Nhi", "sn@x.vn", "BV Sản Nhi"])
    units.append(["15", "Trung tâm Y tế huyện Bát Xát", None, "TTYT Bát Xát"])
    units.append(["CDC", "Trung tâm Kiểm soát bệnh tật", "", None])
    s1 = wb.create_sheet("BV Sản Nhi")
    s1.append(["DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024"])
    s1.append(["Đơn vị: Bệnh viện Sản Nhi"])
    s1.append([])
    s1.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Ghi chú"])
    s1.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    s1.append([1, "Nguyễn Thị Hoa", dt.date(1980, 2, 13), "Nữ", "Điều dưỡng", "Khoa Sản", None])
    s1.append([2, "Trần Văn Bình", "13/02/1985", "Nam", "Bác sĩ", "Khoa Nhi", "1975"])
    s1.append([None, "Tổng cộng: 2 cá nhân"])
    s2 = wb.create_sheet("TTYT Bát Xát")
    s2.append(["STT", "Tên tập thể", "Hình thức đề nghị"])
    s2.append(["I", "TẬP THỂ"])
    s2.append([1, "Khoa Xét nghiệm", "TTLĐTT"])
    s2.append([])
    s2.append(["STT", "Họ và tên", "Năm sinh", "Nam/Nữ", "Hình thức đề nghị"])
    s2.append([1, "Lò Văn Sáng", 1979, "Nam", "CSTĐCS"])
    s2.append([2, "Hoàng Thị Mai", "1988", "Nữ", "LĐTT"])
    s3 = wb.create_sheet("CDC")
    s3.append(["STT", "HỌ VÀ TÊN", "NGÀY SINH", "HÌNH THỨC ĐỀ NGHỊ", "Đối tượng"])
    s3.append([1, "Phạm Văn Cường", dt.datetime(1990, 1, 1, 10, 30), "Giấy khen", "Cá nhân"])
    s3.append([2, "Nguyễn Văn An", True, "LĐTT", None])
    ini = wb.create_sheet("Sáng kiến")
    ini.append(["SÁNG KIẾN, ĐỀ TÀI ĐƯỢC CÔNG NHẬN (NĂM 2024)"])
    ini.append(["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm", "Đơn vị"])
    ini.append([1, "Cải tiến quy trình tiếp đón", "Sáng kiến", "Cơ sở", "Nguyễn Thị Hoa", 2024, "Bệnh viện Sản Nhi"])
    ini.append([2, "Đề tài: sàng lọc sơ sinh", "Đề tài", "Tỉnh", "Lò Văn Sáng", "2024", "TTYT Bát Xát"])
    wb.create_sheet("Lịch sử").append(["Năm", "Họ và tên", "Hình thức"])
    wb.save(path)
    return path


def _same_intake(a, b) -> None:
    assert a.frame.equals(b.frame, null_equal=True)
    assert a.units_frame.equals(b.units_frame, null_equal=True)
    assert (a.initiatives_frame is None) == (b.initiatives_frame is None)
    if a.initiatives_frame is not None:
        assert a.initiatives_frame.equals(b.initiatives_frame, null_equal=True)
    assert a.config == b.config and a.year == b.year
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
    fa, fb = a.files[0], b.files[0]
    assert (fa.kind, fa.header_row, fa.mapped, fa.missing, fa.extra, fa.rows) == \
        (fb.kind, fb.header_row, fb.mapped, fb.missing, fb.extra, fb.rows)


def test_a_master_read_from_its_file_is_what_its_open_books_rows_give(tmp_path):
    """The CLI reads the master's file with fastexcel; the ribbon reads an open book's cells, given as
    the typed rows python-calamine gives: the same units, configuration, nominations and initiatives."""
    f = _master(tmp_path / "ThiDua.xlsx")
    from_file = read_paths([f])
    from_rows = read_sheets(f.name, calamine_sheets(f), f)
    assert from_file.files[0].kind == "master"
    assert from_file.frame.height == 7
    assert sorted(set(from_file.frame["unit_code"].to_list())) == ["15", "BVSN", "CDC"]
    assert from_file.config["so van ban"] == "15" and from_file.config["ngay ky"] == "2024-12-02"
    assert from_file.initiatives_frame["unit_code"].to_list() == ["BVSN", "15"]
    _same_intake(from_file, from_rows)


def test_a_master_read_with_fastexcel_lets_go_of_its_file(tmp_path):
    """Windows cannot replace a file held open: the master's file is released once read (Linux only)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc")
    f = _master(tmp_path / "ThiDua.xlsx")
    assert read_paths([f]).frame.height == 7
    assert not any(os.path.realpath(fds / fd) == os.path.realpath(f) for fd in os.listdir(fds))


# --- fastexcel's texts typed as python-calamine types the cells ---------------------------------

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")


def _rule(value):
    """The rule `typed` stands for, every test tried on every text."""
    if value is None:
        return ""
    if _NUMBER.fullmatch(value):
        return float(value)
    if len(value) >= 19 and _DATETIME.fullmatch(value):
        try:
            d = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return d.date() if d.time() == dt.time() else d
    return {"true": True, "false": False}.get(value, value)


TEXTS = st.one_of(
    st.none(), st.text(max_size=12), st.text(alphabet="0123456789-.: tfrueals١٢٣", max_size=22),
    st.sampled_from(["", "1", "-3", "0.5", "01", "1.50", "true", "false", "True", "tập thể", "Đỗ Văn Phúc",
                     "1980-02-13 00:00:00", "1980-02-30 00:00:00", "1980-02-13 10:30:00.5", "١٩٨٠-٠٢-١٣ 00:00:00",
                     "١٢", "1١", "٣.5", "\u00a01", "-", "tf", "fa", "2024", "Nguyễn Văn A", "Ho\u0300a"]),
)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
@example("١٢")
@example("1١")
def test_a_text_is_typed_by_the_rule_whatever_it_begins_with(value):
    got, want = typed(value), _rule(value)
    assert got == want and type(got) is type(want)


# --- the header finder on fastexcel's columns and on typed rows ---------------------------------

HEADER_WORDS = ["STT", "Họ và tên", "Họ tên / Tên tập thể", "Ngày sinh", "Ngày, tháng,\nnăm sinh", "Nam/Nữ",
                "Hình thức đề nghị", "Danh hiệu, hình thức\nkhen thưởng", "Chức vụ", "Khoa, phòng", "Ghi chú",
                "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm", "Đơn vị", "(1)", "(2)", "(3)"]
OTHER_CELLS = ["Nguyễn Thị Hoa", "Khoa Nội", "LĐTT", "Lao động tiên tiến", "Tổng cộng", "I", "TẬP THỂ", "1", "2024",
               "1980-02-13 00:00:00", "13/02/1980", "true", "Đơn vị: Bệnh viện Sản Nhi",
               "DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024", "Ho\u0323 va\u0300 te\u0302n"]
CELL = st.one_of(st.none(), st.sampled_from(HEADER_WORDS), st.sampled_from(OTHER_CELLS), st.text(max_size=6))
SHEETS = st.integers(1, 7).flatmap(lambda w: st.lists(st.lists(CELL, min_size=w, max_size=w), max_size=30))


@settings(max_examples=300, deadline=None)
@given(SHEETS, st.integers(0, 2))
def test_the_header_finder_answers_the_same_on_fastexcel_columns_and_on_typed_rows(cells, offset):
    """...and the same as searching every row one by one (a sheet with no header yet after its first rows has
    the rest looked at at once: a row of them can be the header only if one of its cells names a required column)."""
    from thidua_xl.intake import headers

    width = len(cells[0]) if cells else 0
    frame = pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(width)}, schema={f"c{j}": pl.String
                                                                                        for j in range(width)})
    rows = [[""] * offset + [typed(v) for v in r] for r in cells]
    cases = ((NOMINATION_HEADERS, NOMINATION_REQUIRED), (NOMINATION_HEADERS, ("Họ và tên",)),
             (INITIATIVE_HEADERS, INITIATIVE_REQUIRED))
    skip, headers.SKIP_AFTER = headers.SKIP_AFTER, 10_000
    try:
        one_by_one = [find_table(rows, spec, required) for spec, required in cases] + [locate_table(rows)]
    finally:
        headers.SKIP_AFTER = skip
    for (spec, required), want in zip(cases, one_by_one):
        sheet = ArrowSheet(frame, offset)
        assert find_table(sheet, spec, required) == find_table(rows, spec, required) == want
        assert find_table(sheet, spec, required) == want  # again, from its memo
    assert locate_table(ArrowSheet(frame, offset)) == locate_table(rows) == one_by_one[-1]


NASTY = st.one_of(st.text(max_size=16), st.sampled_from([
    "Ho\u0323 va\u0300 te\u0302n", "HỌ VÀ TÊN", "Đơn vị", "đ\u0110", "  Ngày\nsinh ", "(1)", "Ghi chú 1", "x\x00y",
    "Họ và tên (ghi rõ)", "\u00a0STT\u200b", "Hä va× tªn", "İstanbul", "ß", "½²", "١٢٣", "ǅ", "Tên\ttập thể"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(NASTY, max_size=12))
def test_header_cells_folded_together_are_each_cells_fold(cells):
    from thidua_xl.intake.headers import _folded
    from thidua_xl.text import fold

    assert _folded(cells) == [fold(c) for c in cells]
    assert _folded(cells[::-1]) == [fold(c) for c in cells[::-1]]  # again, partly from the memo


def test_a_header_far_down_is_still_found_and_an_initiatives_list_has_none():
    """Twenty lines of notes above the header: the header on row 21 is found. An initiatives list of thirty
    rows holds no nomination header, and its own header is found."""
    notes = [[f"Ghi chú {k}: danh sách gửi Sở trước ngày 15/12"] + [None] * 3 for k in range(20)]
    header = [["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"], ["1", "Nguyễn Thị Hoa", "13/02/1980", "LĐTT"]]
    initiatives = [["STT", "Tên sáng kiến, đề tài", "Loại", "Tác giả"]] + [
        [str(k), f"Cải tiến quy trình số {k} tại Khoa Nội", "Sáng kiến", f"Lê Văn {k}"] for k in range(1, 30)]
    for cells, nomination_row in ((notes + header, 20), (initiatives, None)):
        frame = pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(4)})
        rows = [[typed(v) for v in r] for r in cells]
        for sheet in (ArrowSheet(frame), rows):
            found = locate_table(sheet)
            assert (found.header_idx if found else None) == nomination_row
        if nomination_row is None:
            assert find_table(ArrowSheet(frame), INITIATIVE_HEADERS, INITIATIVE_REQUIRED).header_idx == 0
