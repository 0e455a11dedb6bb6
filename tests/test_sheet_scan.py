"""The pre-check's fast path for sheets spelled as Excel writes them (thidua_xl.sheet_scan): it reads a sheet
without the careful parse only when the careful parse would place every cell where its plain `r` says, and it
decides so exactly as the patterns it replaced did."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl import safety
from thidua_xl.sheet_scan import NEAR_ROWS_MAX, _near_bound, col_number, plain_cells

_CELL_TAGS = [b'<c r="A5"/>', b'<c r="AB12" s="1">', b'<c r="XFD7" t="s"><v>1</v></c>', b"<c>", b"<c/>", b'<c\tr="A1">',
              b'<c\nr="A1">', b'<c\rr="A1">', b'<c\fr="A1">', b'<c\x0br="A1">', b"<col ", b"<cols>", b"<cfRule ",
              b"<c r='A1'>", b'<c r="a1">', b'<c r="A0012">', b'<c r="A00012">', b'<c r="AAAA1">', b'<c r="A99999999">',
              b'<c  r="A1">', b'<c r="A1"x', b'<c r="A1">', b'<c r="A1"\t', b'<c r="$A$1">', b'<c s="1" r="A1">',
              b'<c r="A">', b'<c r="1">', b'<c r="B500"/>', b'<c r="B501"/>', b'<c r="B0501"/>', b'<c r="C1000"/>',
              b'<c r="C9999"/>', b'<c r="C10000"/>', b'<c r="D1048576"/>', b'<c r="D1234567"/>', b"<c ", b"<c",
              b"<x:c ", b'<row r="3">', b"</c>", b"text <c and more"]


def _greater(n: int) -> bytes:
    """A pattern for the decimal numbers greater than n (any length): how the check was first spelled."""
    digits = str(n)
    branches = [rb"\d{%d,}" % (len(digits) + 1)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            branches.append(digits[:i].encode() + b"[" + str(int(d) + 1).encode() + b"-9]" + (rb"\d{%d}" % rest))
    return b"(?:" + b"|".join(branches) + b")"


def _odd_cell_slow(last_row: int, letters: int = 3):
    """The plain-cell check as three cases: a cell tag without a space after `<c`, one whose first attribute is
    not a plain `r`, one whose row is beyond `last_row`."""
    import re

    return re.compile(rb'<c(?:[>/\t\n\r]| (?!r="[A-Z]{1,%d}\d{1,7}"[\s/>])| r="[A-Z]{1,%d}' % (letters, letters)
                      + _greater(last_row) + rb'")')


def test_the_plain_cell_check_finds_what_the_three_case_pattern_finds():
    """A sheet is read without the careful parse only when every cell tag is `<c r="A1"` with a row up to the
    last row tag: one look-ahead per tag decides it exactly as the three cases it replaces (no tag, no plain
    `r`, a row beyond the last), for every last row and every spelling."""
    import random
    import re

    from thidua_xl.sheet_scan import _cells_beyond as _odd_cell
    from thidua_xl.sheet_scan import _not_greater

    rnd = random.Random(18)
    lasts = [1, 5, 9, 10, 99, 100, 500, 501, 999, 1000, 1048, 9999, 10000, 123456, 1048576]
    for _ in range(20_000):
        last = rnd.choice(lasts + [rnd.randint(1, 2_000_000)])
        data = b"".join(rnd.choice(_CELL_TAGS) for _ in range(rnd.randint(0, 6)))
        for letters in (1, 3):
            fast, slow = _odd_cell(last, letters).search(data), _odd_cell_slow(last, letters).search(data)
            assert (fast is None) == (slow is None), (last, letters, data)
            if fast is not None:
                assert fast.start() == slow.start()
    for last in list(range(1, 2100)) + [9999, 10000, 99999, 300000, 1048576, 9999999]:  # the number patterns
        up_to, above = re.compile(_not_greater(last) + b"$"), re.compile(_greater(last) + b"$")
        for k in [*range(0, 30), last - 1, last, last + 1, last * 10, 10 ** len(str(last)) - 1]:
            for spelled in {str(k), str(k).zfill(len(str(last))), "0" + str(k)}:
                if len(spelled) <= 7:  # longer is refused by the spelling itself
                    assert bool(up_to.match(spelled.encode())) != bool(above.match(spelled.encode())), (last, k)
    for last in lasts:  # every cell number against every last row
        for row in (1, 9, 10, 99, 100, 499, 500, 501, 999, 1000, 1001, 9999, 10000, 1048576, 9999999):
            for spelled in (str(row), "0" + str(row), str(row).zfill(7)):
                data = b'<row r="1"><c r="B' + spelled.encode() + b'" s="2"><v>1</v></c></row>'
                assert (_odd_cell(last).search(data) is None) == (_odd_cell_slow(last).search(data) is None)


def test_a_sheet_shares_its_cell_check_with_sheets_of_about_as_many_rows():
    """The plain-cell check is compiled once per rounded bound, not per sheet: a cell that far below the last
    row tag (under 1,000 rows, in a sheet of up to NEAR_ROWS_MAX rows) is read where it is, as the careful parse
    keeps it too (only a gap of over 1,000 rows makes a stray); one further down, or any in a bigger sheet, still
    sends the sheet to the careful parse."""
    from thidua_xl.sheet_scan import NEAR_ROWS_MAX, _near_bound, plain_cells as _plain_cells

    for last in [*range(1, 1200), 9_999, 10_000, 12_345, 19_000, 19_999, 20_000, 250_000]:
        near = _near_bound(last)
        assert last <= near < last + 1000 and len(str(near)) == len(str(last))
    assert len({_near_bound(n) for n in range(400, 20_000)}) < 200

    def sheet(last: int, cell_row: int, col: str = "B") -> bytes:
        return (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="%d"><c r="A%d"/></row>'
                b'<row r="%d"><c r="%s%d"><v>1</v></c></row></sheetData>' % (last - 1, last - 1, last, col.encode(), cell_row))

    for last in (7, 519, 4_321, 18_000):
        near = _near_bound(last)
        assert _plain_cells(sheet(last, last)) == ([1, last - 1, last], 26)
        assert _plain_cells(sheet(last, near)) == ([1, last - 1, last], 26)  # read where it is
        assert _plain_cells(sheet(last, near, "AB")) == ([1, last - 1, last], 28)
        assert _plain_cells(sheet(last, near + 1)) is None
    big = NEAR_ROWS_MAX + 5_000
    assert _plain_cells(sheet(big, big)) is not None and _plain_cells(sheet(big, big + 1)) is None


def test_every_row_tag_is_counted_by_one_pattern():
    """`plain_cells` sends a sheet to the careful parse when any `<row` is not spelled `<row r="N"`: one pattern
    (every `<row`, its number only when plain) decides as the plain-row pattern against a count of `<row` did."""
    import random
    import re

    from thidua_xl.sheet_scan import _ROW_TAG

    plain = re.compile(rb'<row r="(\d{1,7})"[\s/>]')
    from_lt = re.compile(rb'<row(?: r="(\d{1,7})"[\s/>])?')  # the pattern before it was found from its `w`
    pieces = [b'<row r="1">', b'<row r="12"/>', b"<row r='3'>", b'<row  r="4">', b"<rowBreaks>", b'<row r="12345678">',
              b"<row>", b'<row r="7"', b"<ro", b"w", b"<", b'"', b'<c r="A1"/>', b"</row>", b"<row\n", b'<row r="9"\t',
              b"ro", b"row", b"<w", b'<row r="1"w', b"ww"]
    rnd = random.Random(29)
    for _ in range(20_000):
        data = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        rows = _ROW_TAG.findall(data)
        assert rows == from_lt.findall(data), data
        assert (b"" not in rows) == (len(plain.findall(data)) == data.count(b"<row")), data
        if b"" not in rows:
            assert rows == plain.findall(data)


def _plain_cells_as_first_written(data: bytes):
    """plain_cells as the fifth session wrote it: a plain-row pattern against a count of `<row`, the prefix
    pattern searched everywhere, the three-case cell patterns."""
    if re.search(rb":(?:c|row|dimension)[\s/>]", data):
        return None
    rows = re.findall(rb'<row r="(\d{1,7})"[\s/>]', data)
    if len(rows) != data.count(b"<row"):
        return None
    if not rows:
        return None if b"<c" in data else ([], 0)
    numbers = sorted(set(map(int, rows)))
    near = _near_bound(numbers[-1])
    bound = near if near <= NEAR_ROWS_MAX else numbers[-1]
    if _odd_cell_slow(bound, 1).search(data) is None:
        return numbers, 26
    if _odd_cell_slow(bound).search(data):
        return None
    return numbers, max([26, *map(col_number, re.findall(rb'<c r="([A-Z]{2,3})\d', data))])


_ROWS = [b'<row r="%d">', b'<row r="%d" spans="1:9" x14ac:dyDescent="0.25">', b"<row r='%d'>", b'<row  r="%d">',
         b'<x:row r="%d">', b'<row r="%d" hidden="1">', b"<row>", b'<row r="0%d">']
_CELLS = [b'<c r="A%d" t="s"><v>1</v></c>', b'<c r="B%d"/>', b'<c r="AB%d" s="1"><v>2</v></c>', b'<c r="XFD%d"/>',
          b'<c r="C%d" t="inlineStr"><is><t xml:space="preserve"> a:c </t></is></c>', b"<c r='D%d'/>",
          b'<c r="a%d"/>', b'<c  r="E%d"/>', b'<c\tr="F%d"/>', b'<c s="1" r="G%d"/>', b'<c r="$H$%d"/>',
          b'<x:c r="I%d"/>', b'<c r="J0%d"/>', b"<c><v>%d</v></c>", b'<c r="K%d"><f>A1</f><v>3</v></c>',
          b'<c r="L%d"/><!-- <c -->', b'<cfRule priority="%d"/>']


@st.composite
def sheets(draw):
    """Sheet XML as Excel writes it, with now and then a spelling, a prefix or a far row it would not write."""
    parts, row = [b'<worksheet><dimension ref="A1:C9"/><cols><col min="1" max="2"/></cols><sheetData>'], 0
    for _ in range(draw(st.integers(0, 6))):
        row += draw(st.sampled_from([1, 1, 2, 999, 1000, 1001, 25_000]))
        parts.append(draw(st.sampled_from(_ROWS[:2] * 6 + _ROWS)).replace(b"%d", str(row).encode()))
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.sampled_from([row] * 8 + [row + 1, row + 999, row + 1000, row + 30_000, 1]))
            parts.append(draw(st.sampled_from(_CELLS[:3] * 4 + _CELLS)).replace(b"%d", str(at).encode()))
        parts.append(b"</row>")
    return b"".join(parts) + b"</sheetData></worksheet>"


@settings(max_examples=1500, deadline=None)
@given(sheets())
def test_the_fast_path_decides_as_first_written_and_as_the_careful_parse_reads(data):
    """Whatever the spelling, the fast path answers as its first version did; when it answers, every cell the
    careful parse places lies within the extent it gives (rows up to the rounded last row, columns up to its
    widest, which one of them reaches when wider than Z)."""
    got = plain_cells(data)
    assert got == _plain_cells_as_first_written(data)
    if got is not None:
        rows, widest = got
        placed = safety._parsed_cells(data)
        bound = _near_bound(rows[-1]) if rows and _near_bound(rows[-1]) <= NEAR_ROWS_MAX else (rows or [0])[-1]
        assert all(r <= bound and c <= widest for r, c in placed)
        assert widest == max([26] + [c for _r, c in placed]) or not placed
