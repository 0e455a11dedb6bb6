"""A large fastexcel sheet is classified column by column: the rows without a date of birth that are plain
nominees (a name, a known award, nothing the row tests object to) are kept with the dated rows instead of
being looked at one by one. Whatever a unit's list holds, that must keep the rows, groups, awards, totals
lines, sample rows and second tables the row-by-row classifier keeps."""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from thidua_xl.catalog import load_catalog
from thidua_xl.intake import rows as intake_rows
from thidua_xl.intake.arrow import _NUMBER, ArrowSheet, _special
from thidua_xl.intake.cells import reading_memos
from thidua_xl.intake.frames import build_nominations
from thidua_xl.rowkinds import example_sieve
from thidua_xl.schema import INITIATIVE_REQUIRED

NAMES = st.sampled_from([
    "Khoa Nội", "Khoa  Ngoại\u00a0tổng hợp", "PHÒNG TỔ CHỨC", "Trạm Y tế xã A", "Đội Y tế dự phòng", "Nguyễn Văn An",
    "Nguyễn Văn A", "Đỗ Thị Ẩ", "Ví dụ", "Tổng cộng", "Cộng", "Tổng số 12", "Họ và tên", "Tên tập thể", "STT",
    "Ghi chú: đã họp xét", "* bổ sung sau", "Lưu ý", "Người lập biểu", "GIÁM ĐỐC", "Hà Nội, ngày 5 tháng 6 năm 2024",
    "I. Tập thể", "1. Tập thể lao động tiên tiến", "Tập thể", "Cá nhân", "Lao động tiên tiến", "123", "2.5",
    "1980-01-01 00:00:00", "true", " ", "\u200b", "Công đoàn"])
STTS = st.sampled_from([None, "1", "2", "17", "I", "II", "A", "a", "1.", "VD", "Tổng cộng", "Cộng", "STT", "TT",
                        "Ghi chú", "x", " ", "2.5", "-1"])
AWARDS = st.sampled_from([None, "Lao động tiên tiến", "Tập thể lao động tiên tiến", "TTLĐTT", "Giấy khen",
                          "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến, Giấy khen", "xyz", "Hình thức đề nghị",
                          "Danh hiệu thi đua", "Tổng cộng", "Người lập biểu", "Ghi chú", " "])
DATES = st.sampled_from([None, None, None, "01/02/1980", "1975-05-05 00:00:00", "1982", " ", "\u00a0", "không rõ"])
GENDERS = st.sampled_from([None, None, "Nam", "Nữ", "x"])
OTHER = st.sampled_from([None, None, "", " ", "5", "Bác sĩ", "Tổng cộng", "Ghi chú: x", "Người lập biểu",
                         "2020-01-01 00:00:00", "1980-02-30 00:00:00", "true", "* x", "Họ và tên"])
KNOWN = st.sampled_from(["Tập thể lao động tiên tiến", "TTLĐTT", "Giấy khen", "Lao động tiên tiến, Giấy khen"])
NUMBERS = st.integers(1, 40).map(str)
# a row of the body: (stt, name, date of birth, gender, award, the extra column's cell); most are collectives
# (numbered, a known award, no date) with one cell the classifier may object to
ROWS = st.one_of(
    st.tuples(NUMBERS, NAMES, st.none(), st.none(), KNOWN, st.none()),
    st.tuples(STTS, NAMES, st.none(), st.none(), KNOWN, st.none()),
    st.tuples(NUMBERS, NAMES, st.none(), GENDERS, AWARDS, st.none()),
    st.tuples(NUMBERS, NAMES, st.none(), st.none(), KNOWN, OTHER),
    st.tuples(STTS, st.one_of(st.none(), NAMES), DATES, GENDERS, AWARDS, OTHER))
# where STT, the name, the date, the gender and the award are: the extra column (a code, a phone) before
# every other, between STT and the name, or last; STT after the name
LAYOUTS = st.sampled_from([(0, 1, 2, 3, 4), (1, 2, 3, 4, 5), (0, 2, 3, 4, 5), (0, 1, 2, 3, 5), (3, 0, 1, 2, 4),
                           (4, 1, 2, 3, 5)])
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị"]


def _sheet(layout: tuple[int, ...], body: list[tuple], title: str | None) -> ArrowSheet:
    """A unit's list as fastexcel gives it (every cell as text): a title, the header, then the rows."""
    width = 6
    extra = next(j for j in range(width) if j not in layout)
    lines = [[title] + [None] * (width - 1), [None] * width]
    header = [None] * width
    for j, h in zip(layout, HEADER):
        header[j] = h
    header[extra] = "Mã số"
    lines.append(header)
    for r in body:
        line = [None] * width
        for j, v in zip(layout, r[:5]):
            line[j] = v
        line[extra] = r[5]
        lines.append(line)
    return ArrowSheet(pl.DataFrame({f"c{j}": [line[j] for line in lines] for j in range(width)},
                                   schema={f"c{j}": pl.String for j in range(width)}))


def _classified(sheet: ArrowSheet, columnar: bool, monkeypatch) -> tuple:
    monkeypatch.setattr(intake_rows, "COLUMNAR_FROM", 0 if columnar else 10**9)
    table = intake_rows.locate_table(sheet)
    if table is None:
        return None
    with reading_memos():
        data = intake_rows.nomination_columns(sheet, table, file="DV.xlsx", path="DV.xlsx", sheet="DS", unit_code="DV",
                                              unit="Đơn vị", default_award=table.default_award)
        frame = build_nominations([data], load_catalog()) if data["frame"].height else None
    return frame, data["_stated"], data["_examples"], data["_next_header"]


@settings(max_examples=400, deadline=None)
@example((3, 0, 1, 2, 4), [("STT", "Khoa Nội", None, None, "Giấy khen", "Họ và tên")], None)  # a second header
@example((0, 1, 2, 3, 4), [("1", "Họ và tên", None, None, "Giấy khen", "STT")], None)
@example((3, 0, 1, 2, 4), [("Tổng cộng", "Khoa Nội", None, None, "Giấy khen", None)], None)  # a totals line
@given(LAYOUTS, st.lists(ROWS, max_size=40), st.sampled_from([None, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024",
                                                               "ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN"]))
def test_a_large_sheet_keeps_the_rows_the_row_by_row_classifier_keeps(layout, body, title):
    with pytest.MonkeyPatch.context() as mp:
        sheet = _sheet(layout, body, title)
        row_by_row = _classified(sheet, False, mp)
        column_by_column = _classified(_sheet(layout, body, title), True, mp)
    if row_by_row is None:
        assert column_by_column is None
        return
    (a, *said_a), (b, *said_b) = row_by_row, column_by_column
    assert said_a == said_b
    if a is None or b is None:
        assert a is b
    else:
        assert_frame_equal(a, b)


def test_collectives_without_a_date_are_kept_without_being_looked_at_one_by_one(monkeypatch):
    """A list's collectives (no date of birth) with a name and a known award are kept in runs with the dated
    rows; the row loop looks only at the heading, the totals line, the notes and the signature."""
    body = [("I", "Tập thể", None, None, None, None)]
    body += [(str(k), f"Khoa số {k}", None, None, "Tập thể lao động tiên tiến", None) for k in range(1, 30)]
    body += [("II", "Cá nhân", None, None, None, None)]
    body += [(str(k), f"Nguyễn Văn Bình {k}", "01/02/1980", "Nam", "Lao động tiên tiến", None) for k in range(1, 30)]
    body += [(None, "Tổng cộng", None, None, None, "58 lượt"), ("Ghi chú: x", None, None, None, None, None),
             (None, "Người lập biểu", None, None, None, None)]
    sheet = _sheet((0, 1, 2, 3, 4), body, None)
    table = intake_rows.locate_table(sheet)
    first = table.header_idx + 1
    with reading_memos():
        looked = intake_rows._rows_to_look_at(sheet.body(first), {"stt": 0, "ho_ten": 1, "ngay_sinh": 2,
                                                                   "gioi_tinh": 3, "hinh_thuc": 4})[3]
    assert looked == [0, 30, 60, 61, 62]
    monkeypatch.setattr(intake_rows, "COLUMNAR_FROM", 0)
    frame, stated, _examples, _next = _classified(sheet, True, monkeypatch)
    assert frame.height == 58 and stated == [(first + 60 + 1, {"all": 58})]
    assert frame.get_column("group_subject").unique().sort().to_list() == ["ca_nhan", "tap_the"]


CELLS = st.sampled_from([None, "", " ", "\t", "\u00a0", "1", "-2", "2.5", "007", "1e3", "x", "Khoa Nội", " Tổng",
                         "2020-01-01 00:00:00", "1980-02-30 00:00:00", "2020-01-01 10:30:00", "true", "false", "True"])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda w: st.tuples(st.just(w), st.lists(st.lists(CELLS, min_size=w, max_size=w),
                                                                           min_size=1, max_size=12),
                                                     st.integers(0, w - 1), st.integers(0, w - 1))))
def test_a_rows_first_text_read_from_its_first_cells_is_the_whole_rows(case):
    """`lead` of a row whose first columns were fetched is the first text of the whole row; `_lead_is` says
    a row's first text is its cell in a column only when it is."""
    width, lines, through, j = case
    frame = pl.DataFrame({f"c{k}": [line[k] for line in lines] for k in range(width)},
                         schema={f"c{k}": pl.String for k in range(width)})
    with reading_memos():
        whole = ArrowSheet(frame).body(0)
        fetched = ArrowSheet(frame).body(0)
        rows, _longest, _matched = fetched.rows_to_test(None, [], example_sieve(), fetch=[j], through=through)
        assert rows == list(range(len(lines)))
        assert [fetched.lead(i) for i in rows] == [whole.lead(i) for i in rows]
        if j > through:  # `_lead_is` reads the columns fetched through j
            return
        texts = fetched.texts_of(fetched.cells_at(j, rows))
        told = intake_rows._lead_is(fetched, j, rows)
        for i, lead_is_j in zip(rows, told):
            if lead_is_j:
                assert whole.lead(i) == texts[i] != ""
        firsts = [next((k for k, v in enumerate(line) if v is not None and v.strip() and not _NUMBER.fullmatch(v)
                        and not _special(v)), None) for line in lines]
        assert told == [f == j for f in firsts]


INITIATIVE_HEADER = ["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm", "Đơn vị"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "1", "2", "Tổng cộng", "Cộng", "x"]),
                          st.sampled_from([None, "", " ", "Quy trình A", "Đề tài B", "Tổng cộng", "Tổng số 3", "Cộng:"])),
                max_size=12))
def test_an_initiatives_list_ends_at_its_first_totals_line(lines):
    """The initiatives are the titled rows above the first titled row whose title or number is a totals line."""
    sheet = ArrowSheet(pl.DataFrame({f"c{j}": [h] + [(line[0] if j == 0 else line[1] if j == 1 else None)
                                                    for line in lines] for j, h in enumerate(INITIATIVE_HEADER)},
                                    schema={f"c{j}": pl.String for j in range(len(INITIATIVE_HEADER))}))
    table = intake_rows.find_table(sheet, intake_rows.INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
    with reading_memos():
        got = intake_rows.initiative_columns(sheet, table, file="DV.xlsx", sheet="SK", unit_code="DV", unit="Đơn vị")
    expected = []
    for k, (stt, ten) in enumerate(lines):
        ten, stt = (" ".join(ten.split()) if ten else ""), (stt or "")
        if not ten:
            continue
        if intake_rows._is_total(ten) or intake_rows._is_total(stt):
            break
        expected.append(k + 2)
    assert got["row"] == expected and got["ten"] == [" ".join(lines[r - 2][1].split()) for r in expected]


TOTALISH = st.sampled_from(["Tổng cộng", "tổng số 12", "CỘNG:", "Cộng", "To\u0302\u0309ng co\u0323\u0302ng", "Công đoàn",
                            "Trần Văn Tổng", "cộng", "\u200bTổng", "\u00a0Cộng", " \tTổng cộng", "\x01Cộng", "Tỏng"])


@given(st.lists(st.one_of(TOTALISH, st.text(max_size=6), st.sampled_from([" ", "\u200b", "\u00a0", "\x01", "\t"])),
                max_size=4).map("".join))
@settings(max_examples=600, deadline=None)
@example("   tổng cộng:")
@example("  Nguyễn")
@example("\u0301Tổng")
def test_a_text_skipped_by_its_first_letter_is_no_totals_line(text):
    """The cheap test before the memo (first non-space letter not t or c) answers as the full one."""
    assert intake_rows._is_total_cached(text) == intake_rows._is_total(text)


def test_no_letter_but_t_and_c_can_begin_a_totals_line_over_the_whole_of_unicode():
    import sys

    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if ch.isprintable() and ch not in "tTcC ":
            assert not intake_rows._is_total(ch + "ổng") and not intake_rows._is_total(ch + "ộng"), hex(cp)
