"""The pre-check's fast path for a sheet part spelled as Excel writes it (safety._scan_sheet's first step).

A sheet whose every row tag is `<row r="N"` and every cell tag `<c r="A1"` (no namespace prefix, no cell below
the last row tag) is placed by the reader exactly where those attributes say: its extent is the row tags'
numbers and the widest column, found with a few whole-buffer scans instead of a walk over every tag. Anything
else gives None and goes to the careful parse (safety._parsed_cells), which reads every spelling.
"""
from __future__ import annotations

import functools
import re

from .xml_bytes import search

# every `<row`, its number when spelled plainly: found from its `w` (the engine's scan stops at each `w`, ~0.4 % of a
# sheet's bytes, not at each `<`, ~8 %: 25 % less time), the `<ro` before it checked by a look-behind
_ROW_TAG = re.compile(rb'w(?<=<row)(?: r="(\d{1,7})"[\s/>])?')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')
_PREFIXED = re.compile(rb":(?:c|row|dimension)[\s/>]")  # a namespace prefix (or text that looks like one)


def col_number(letters: str | bytes) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _not_greater(n: int) -> bytes:
    """A pattern for the digit strings up to n with no more digits than n (leading zeros allowed).

    The strings as long as n come first (the usual cell row is about as long as the last row's); n's trailing
    9s add no branch of their own: 599 is `[0-5]\\d\\d|\\d{1,2}`, not five branches tried one after another."""
    d = str(n)
    head = d.rstrip("9")
    shorter = [rb"\d{1,%d}" % (len(d) - 1)] if len(d) > 1 else []
    if not head:
        return rb"\d{1,%d}" % len(d)
    branches = []
    for i, c in enumerate(head):
        top = int(c) if i == len(head) - 1 else int(c) - 1  # the last digit of the head may equal n's
        if top >= 0:
            branches.append(head[:i].encode() + b"[0-%d]" % top + rb"\d" * (len(d) - i - 1))
    return b"(?:" + b"|".join(branches + shorter) + b")"


@functools.lru_cache(maxsize=128)
def _cells_beyond(bound: int, letters: int = 3) -> re.Pattern:
    """The first cell tag (`<c` then a space, tab, line break, `>` or `/`) not spelled `<c r="A1"` with up to
    `letters` column letters and a row up to `bound`: one negative look-ahead per tag, which a plainly written
    cell satisfies (tried first: for such a cell the test of the byte after `<c` is then not made)."""
    return re.compile(rb'<c(?! r="[A-Z]{1,%d}' % letters + _not_greater(bound) + rb'"[\s/>])(?=[ >/\t\n\r])')


NEAR_ROWS_MAX = 19_999  # up to here a bound 999 rows loose changes no limit's verdict (× max_cols < max_cells)


def _near_bound(last_row: int) -> int:
    """`last_row` rounded up, keeping its leading digits: within 999 rows, and shared by many sheets, so that
    its pattern is compiled once (compiling one per sheet cost more than the scan)."""
    unit = 10 ** min(3, len(str(last_row)) - 1)
    return (last_row // unit + 1) * unit - 1


def plain_cells(data: bytes):
    """(sorted row numbers, max column) when the sheet is spelled as Excel writes it, else None.

    Plain means: every row tag is `<row r="N"`, every cell tag `<c r="A1"`, no namespace prefix, and no cell
    below the last row tag (in a sheet of up to NEAR_ROWS_MAX rows: no cell 1,000 rows or more below it; one
    nearer is read where it is, as the careful parse would keep it, and cannot cross a limit). Checked with a
    few whole-buffer scans; anything else goes to the careful parse. Columns A to Z, the usual case, take one
    scan; a wider sheet a second, and a third for its widest column.
    """
    if search(_PREFIXED, data, b":"):
        return None
    rows = _ROW_TAG.findall(data)  # every `<row`, its number when spelled plainly, else b""
    if b"" in rows:
        return None
    if not rows:
        return None if b"<c" in data else ([], 0)
    numbers = sorted(set(map(int, rows)))
    near = _near_bound(numbers[-1])
    bound = near if near <= NEAR_ROWS_MAX else numbers[-1]
    if _cells_beyond(bound, 1).search(data) is None:
        return numbers, 26
    if _cells_beyond(bound).search(data):
        return None
    wide = set(_WIDE_CELL.findall(data))
    return numbers, max([26, *map(col_number, wide)])
