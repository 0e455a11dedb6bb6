"""The header search of the next sheet of a template: the sheet is not sieved for a name header when its row at
the last header's place is a header row seen naming the name column, and the rows above a header are read as
fastexcel wrote them (a row with too few cells passed over untyped, the title's texts told without typing). Whatever
the sheets read before, the tables found are the ones the search that sieves every sheet and types every row finds."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake import headers, rows as rows_module
from thidua_xl.intake.arrow import ArrowSheet, typed
from thidua_xl.intake.headers import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS,
                                      NOMINATION_REQUIRED, find_table)
from thidua_xl.intake.rows import locate_table

from test_headers_memo import ROWS as TEMPLATE_ROWS

# the rows of test_headers_memo (titles, headers of each kind, sub-headers, data, an initiatives table), and rows
# whose cells typing makes fewer texts or no title text (dates, numbers, bools written as text by fastexcel)
ROWS = TEMPLATE_ROWS + [
    ["Đơn vị: Trung tâm Y tế huyện Bát Xát", "2024-05-01 00:00:00", None, None, None],
    ["Tập thể lao động xuất sắc", "1", "true", None, None],  # an award title beside a number and a bool
    ["2024-05-01 00:00:00", "12345678", "Chiến sĩ thi đua cơ sở năm", None, None],
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", None],
    ["1", "Họ và tên", "2024-05-01 00:00:00", None, None],  # two cells, one text once typed
    ["Họ và tên", "true", None, None, None],
    [None, "Họ và tên", None, "Hình thức đề nghị", None],
]
EMPTY = ROWS.index([None] * 5)
TITLES = [0, 1, 2, 3, EMPTY, len(TEMPLATE_ROWS), len(TEMPLATE_ROWS) + 1, len(TEMPLATE_ROWS) + 2]
# a sheet: a few title rows, then rows of any kind, then empty rows (more than SKIP_AFTER rows: it is sieved)
SHEET = st.tuples(st.lists(st.sampled_from(TITLES), max_size=5), st.lists(st.sampled_from(range(len(ROWS))), max_size=14),
                  st.integers(0, 12))


def _cells(pick) -> list[list]:
    titles, body, pad = pick
    return [list(ROWS[k]) for k in titles + body] + [list(ROWS[EMPTY])] * pad


def _sheet(cells: list[list], arrow: bool):
    if arrow:
        return ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(5)},
                                       schema={f"c{j}": pl.String for j in range(5)}))
    return [[typed(v) for v in r] for r in cells]


def _answers(cells: list[list], arrow: bool) -> list:
    return [find_table(_sheet(cells, arrow), NOMINATION_HEADERS, NOMINATION_REQUIRED),
            find_table(_sheet(cells, arrow), NOMINATION_HEADERS, ("Họ và tên",)),
            find_table(_sheet(cells, arrow), INITIATIVE_HEADERS, INITIATIVE_REQUIRED),
            locate_table(_sheet(cells, arrow)), locate_table(_sheet(cells, arrow), start=2, scan=3)]


def _forget() -> None:
    headers._SAID.clear()
    headers._NAMED_ROWS.clear()
    headers._NAMED_AT.clear()


@settings(max_examples=300, deadline=None)
@given(st.lists(SHEET, min_size=1, max_size=5), st.booleans())
def test_sheets_read_one_after_another_get_what_sieving_and_typing_every_row_gives(picks, arrow):
    sheets = [_cells(p) for p in picks]
    _forget()
    quick = [_answers(cells, arrow) for cells in sheets]
    saved = headers._header_as_before, headers._cells, rows_module._texts_of
    headers._header_as_before = lambda rows, start, stop, spec: False  # every sheet sieved
    headers._cells = lambda rows, i: rows[i]  # every row typed
    rows_module._texts_of = lambda rows, lo, hi: [c for r in rows[lo:hi] for c in r if isinstance(c, str)]
    try:
        _forget()
        slow = [_answers(cells, arrow) for cells in sheets]
    finally:
        headers._header_as_before, headers._cells, rows_module._texts_of = saved
    assert quick == slow


def test_the_next_sheet_of_a_template_is_not_sieved_and_its_titles_are_not_typed():
    title, empty, header, nominee = ROWS[3], [None] * 5, ROWS[4], ROWS[11]
    template = [title, ["Đơn vị: Bệnh viện Sản Nhi", None, None, None, None], empty, header] + [nominee] * 40
    following = [title, ["Đơn vị: Trung tâm Pháp y", None, None, None, None], empty, header] + [ROWS[12]] * 40
    _forget()
    assert locate_table(_sheet(template, True)).header_idx == 3
    sieve, calls = headers._no_name_header, []
    headers._no_name_header = lambda *a: calls.append(a) or sieve(*a)
    try:
        sheet = _sheet(following, True)
        table = locate_table(sheet)
    finally:
        headers._no_name_header = sieve
    assert table.header_idx == 3 and table.default_award == "Lao động tiên tiến" and not calls
    assert sorted(sheet._rows) == [3, 4]  # the header and the first data row typed, the rows above it not
    other = _sheet([title, empty, empty, ROWS[14], ROWS[15]] + [empty] * 40, True)  # an initiatives sheet
    assert locate_table(other) is None and other._rows == {}
