"""The pre-check's scans of a large sheet, run by Polars outside the GIL (safety_marks), say exactly what
Python's scans say (safety._plain_cells and the tests for hidden rows, formulas and error cells): for
sheets as Excel writes them, and for every odd spelling a hostile or foreign file may carry."""
from __future__ import annotations

import random

import pytest

from thidua_xl import safety, safety_marks
from thidua_xl.safety_marks import sheet_marks


def python_marks(data: bytes):
    return (safety._plain_cells(data), b"hidden=" in data,
            b"<f" in data and (b"<f>" in data or b"<f " in data), b'"e"' in data or b"'e'" in data)


def polars_marks(data: bytes):
    m = sheet_marks(data)
    assert m is not None
    return (safety._marked_cells(m), m.hidden, m.formulas, m.errors)


def sheet(rows: int, cols: int = 12, first: int = 1, extra: bytes = b"", cell=None, row_tag=None) -> bytes:
    """A sheet part spelled as Excel writes it (shared strings, styles, a dyDescent on each row)."""
    letters = [safety_col(j) for j in range(1, cols + 1)]
    body = []
    for r in range(first, first + rows):
        tag = row_tag(r) if row_tag else b'<row r="%d" spans="1:%d" x14ac:dyDescent="0.25">' % (r, cols)
        cells = b"".join((cell(r, c) if cell else b'<c r="%s%d" s="3" t="s"><v>%d</v></c>' % (c.encode(), r, r))
                         for c in letters)
        body.append(tag + cells + b"</row>")
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="http://schemas.microsoft.com/office/'
            b'spreadsheetml/2009/9/ac"><dimension ref="A1:L9"/><sheetData>' + b"".join(body) + extra
            + b"</sheetData></worksheet>")


def safety_col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def test_a_sheet_as_excel_writes_it_is_plain_the_same_way():
    data = sheet(400)
    assert len(data) > safety_marks.MIN_BYTES
    assert polars_marks(data) == python_marks(data)
    assert polars_marks(data)[0] == (list(range(1, 401)), 26)


@pytest.mark.parametrize("extra, why", [
    (b'<c r="A9999"/>', "a cell below the last row tag"),
    (b'<c r="A401"/>', "a cell one row below the last"),
    (b'<c r="A400"/>', "a cell on the last row"),
    (b'<c r="A0400"/>', "a row with a leading zero"),
    (b'<c r="XFD5"/>', "a cell at the last column"),
    (b'<c r="AB5"/><c r="ZZ7"/>', "wide columns"),
    (b"<c>", "a cell without r"), (b"<c/>", "an empty cell tag"), (b'<c\tr="A1">', "a tab after <c"),
    (b'<c\x0br="A1">', "a vertical tab after <c (no tag to the look-ahead)"), (b"<c r='A1'>", "single quotes"),
    (b'<c r="a1">', "lower-case column"), (b'<c  r="A1">', "two spaces"), (b'<c r="$A$1">', "an absolute ref"),
    (b'<c s="1" r="A1">', "r not first"), (b'<c r="AAAA1">', "four letters"), (b'<c r="A99999999">', "eight digits"),
    (b'<x:c r="A1"/>', "a namespace prefix"), (b'<x:row r="401"/>', "a prefixed row"),
    (b"<row>", "a row without r"), (b'<row r="0012"/>', "a row with leading zeros"), (b'<row r="9999999"/>', "a far row"),
    (b'<row r="500" hidden="1"/>', "a hidden row"), (b'<c r="A2"><f>SUM(A1)</f></c>', "a formula"),
    (b'<c r="A2"><f t="shared" si="0"/></c>', "a shared formula"), (b'<c r="A3" t="e"><v>#REF!</v></c>', "an error"),
    (b"<c r='A3' t='e'/>", "an error in single quotes"), (b'<c r="A\xd9\xa3"/>', "an Arabic-Indic digit"),
    (b"<cols><col min='1' max='1' hidden='1'/></cols>", "a hidden column"), (b"<c r=\"B5\">\xc3\xa1</c>", "text"),
])
def test_every_odd_spelling_gets_the_same_answer(extra, why):
    for where in ("end", "middle", "start"):
        data = sheet(400)
        at = {"end": data.rindex(b"</sheetData>"), "start": data.index(b"<sheetData>") + 11,
              "middle": data.index(b'<row r="200"')}[where]
        data = data[:at] + extra + data[at:]
        assert polars_marks(data) == python_marks(data), (why, where)


def test_random_mixtures_of_cell_tags_and_last_rows_agree():
    """Thousands of sheets mixing plain and odd tags, with last rows of every length."""
    tags = [b'<c r="A5"/>', b'<c r="AB12" s="1">', b'<c r="XFD7" t="s"><v>1</v></c>', b"<c>", b"<c/>",
            b'<c\nr="A1">', b'<c\rr="A1">', b'<c\fr="A1">', b"<col ", b"<cols>", b"<cfRule ", b'<c r="A1"x',
            b'<c r="A1"\t', b'<c r="A">', b'<c r="1">', b'<c r="B500"/>', b'<c r="B501"/>', b'<c r="B0501"/>',
            b'<c r="C1000"/>', b'<c r="C9999"/>', b'<c r="C10000"/>', b'<c r="D1048576"/>', b'<c r="D1234567"/>',
            b"<c ", b"<c", b"</c>", b"text <c and more", b'<row r="3">', b"<row", b'<row r="12345"/>']
    rnd = random.Random(2026)
    pad = b"<!-- -->".replace(b"!", b"x") * 9000  # over MIN_BYTES, no tag of interest
    outcomes = {True: 0, False: 0}
    for _ in range(300):
        last = rnd.choice([1, 9, 10, 99, 100, 500, 501, 999, 1000, 9999, 10000, 123456, 1048576, rnd.randint(1, 9_999_999)])
        parts = [b'<row r="%d">' % last] + [rnd.choice(tags) for _ in range(rnd.randint(0, 8))]
        rnd.shuffle(parts)
        data = pad + b"".join(parts)
        got = polars_marks(data)
        assert got == python_marks(data), (last, parts)
        outcomes[got[0] is None] += 1
    assert min(outcomes.values()) > 30, outcomes  # both answers were put to the test


def test_a_part_that_is_not_utf8_or_small_goes_to_the_python_scans():
    data = sheet(400)
    assert sheet_marks(data[:1000]) is None
    assert sheet_marks(data.replace(b'<row r="3"', b'<row r="3" x="\xff\xfe"', 1)) is None


def test_the_scan_of_a_sheet_is_the_same_with_and_without_polars(monkeypatch):
    """safety._scan_sheet's whole result (extent, hidden rows, formulas without a value, error cells, the
    trimmed copy) on large sheets with each of those, read once with the Polars marks and once without."""
    cases = [
        sheet(400),
        sheet(400, extra=b'<row r="5000"><c r="A5000" t="s"><v>1</v></c></row>'),  # a stray far below: trimmed
        sheet(400, row_tag=lambda r: b'<row r="%d" hidden="1">' % r if r % 50 == 0 else b'<row r="%d">' % r),
        sheet(400, cell=lambda r, c: b'<c r="%s%d"><f>1+1</f></c>' % (c.encode(), r) if r == 7 else
              b'<c r="%s%d" t="e"><v>#N/A</v></c>' % (c.encode(), r) if r == 9 else b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r)),
        sheet(400, cols=40),
        sheet(400, extra=b'<c r="XFD9"/>'),  # too wide: rewritten
    ]
    for data in cases:
        got = []
        for min_bytes in (safety_marks.MIN_BYTES, 1 << 40):
            monkeypatch.setattr(safety_marks, "MIN_BYTES", min_bytes)
            s = safety.SheetScan(name="Cá nhân", part="xl/worksheets/sheet1.xml")
            out = safety._scan_sheet(data, s, safety.LIMITS)
            got.append((out, s))
        assert got[0] == got[1]


def test_a_large_sheet_without_rows_is_empty_unless_it_holds_a_cell():
    blank = b"<worksheet><sheetData>" + b"<x/>" * 20_000 + b"</sheetData></worksheet>"
    assert polars_marks(blank) == python_marks(blank)
    assert polars_marks(blank)[0] == ([], 0)
    stray = blank.replace(b"<x/>", b'<c r="A1"/>', 1)
    assert polars_marks(stray) == python_marks(stray)
    assert polars_marks(stray)[0] is None
