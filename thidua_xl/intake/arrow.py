"""Workbooks read with fastexcel: each sheet one Polars frame of text, no Python object per cell.

fastexcel hands every cell over as text in Arrow columns (a number as `1`, `2.5`; a date as
`1980-02-13 00:00:00`; an empty cell as null). The common path never turns a cell into a Python
object: each column's distinct values are cleaned once and mapped back (`ArrowBody.texts`), dates of
birth parsed once per distinct value. The few rows the row classifier has to look at whole (headers,
titles, totals lines, headings) are rebuilt as the typed rows python-calamine gives (`ArrowSheet[i]`),
so header finding and row classification are one code for both readers.

Only .xlsx/.xlsm files that passed the safety pre-check come here; anything else (an old .xls, .ods,
a file fastexcel cannot open) is read by python-calamine as before.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..scan import EXCEL_TEXT_MAX, LIMITS
from ..text import _POLARS_DROP, clean, clean_known_columns, clean_strings
from .cells import _NO_DATE, _ROWS, Dates, _date_of, arrow_memos, constant, memos

if TYPE_CHECKING:
    import polars as pl

ARROW_SUFFIXES = {".xlsx", ".xlsm"}

# how fastexcel writes a date cell as text (a date alone gets 00:00:00)
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")
# a number cell as fastexcel writes it: no leading zero, no trailing zero after the point
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
_BOOLS = {"true": True, "false": False}
_TYPED_START = frozenset("-0123456789tf")  # how a number, a date cell or a bool begins


def typed(value: str | None) -> object:
    """A cell as python-calamine gives it: '' for empty, float for a number, date/datetime, bool, text."""
    if value is None:
        return ""
    first = value[:1]
    if first not in _TYPED_START and not first.isdigit():  # most cells: text, no number, date or bool
        return value
    if _NUMBER.fullmatch(value):
        return float(value)
    if len(value) >= 19 and _DATETIME.fullmatch(value):
        try:
            d = dt.datetime.fromisoformat(value)
        except ValueError:  # typed as text ("1980-02-30 00:00:00"): fastexcel writes a date cell as a real date
            return value
        return d.date() if d.time() == dt.time() else d
    if value in _BOOLS:
        return _BOOLS[value]
    return value


class ArrowSheet:
    """A sheet as rows from A1 (the sequence the header finder and classifier read) backed by one
    frame of text columns; `body(first)` gives the columns below the header without rows."""

    def __init__(self, frame: "pl.DataFrame", offset: int = 0):
        self.frame = frame
        self.offset = offset  # empty columns left of the first one fastexcel returned (A = 0)
        self.height = frame.height
        self._rows: dict[int, list] = {}
        self._raw: dict[int, tuple] = {}  # rows fetched as fastexcel wrote them (raw_row), typed or not
        self.header_memo: dict[tuple[int, int], tuple] = {}  # (row, spec) -> headers.header_of_row

    def __len__(self) -> int:
        return self.height

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.height))]
        if i < 0:
            i += self.height
        if not 0 <= i < self.height:
            raise IndexError(i)
        row = self._rows.get(i)
        if row is None:
            cells = list(map(typed, self.raw_row(i)))
            row = self._rows[i] = [""] * self.offset + cells if self.offset else cells
        return row

    def __iter__(self):
        return (self[i] for i in range(self.height))

    def raw_row(self, i: int) -> tuple:
        """Row i as fastexcel wrote it (None for an empty cell), not typed; fetched once (typing it reads it)."""
        got = self._raw.get(i)
        if got is None:
            got = self._raw[i] = self.frame.row(i)
        return got

    def distinct_texts(self, start: int, stop: int) -> list[str]:
        """The distinct text cells of rows start..stop-1 (no number, date or bool cell), rows not typed."""
        values: set = set()
        for s in self.frame.get_columns():  # (a frame's slice lets go of the GIL, a Series' keeps it)
            s = s.slice(start, stop - start)
            values.update(s.to_list())  # (Series.unique goes through a lazy query: slower at this size)
        values.discard(None)
        return [v for v in values if v.__class__ is str and v and typed(v) is v]

    def column(self, j: int | None, start: int) -> "pl.Series | None":
        """Column j (0 = A) from row `start` (0-based), None when the sheet has no such column."""
        if j is None or j < self.offset or j - self.offset >= self.frame.width:
            return None
        return self.frame.to_series(j - self.offset).slice(start)

    def body(self, start: int) -> "ArrowBody":
        return ArrowBody(self, start)


class ArrowBody:
    """The rows below a header, column by column (the Arrow counterpart of cells.ListBody)."""

    def __init__(self, sheet: ArrowSheet, start: int):
        self.sheet = sheet
        self.start = start
        self.n = max(0, sheet.height - start)
        # the rows `rows_to_test` fetched, each row's place in them, their cells as columns (no tuple per row)
        self._at, self._pos, self._columns = [], {}, []  # frame column k's cells in _columns[_fetched[k]]
        self._fetched: dict[int, int] = {}
        self._leading = 0  # the first frame columns fetched, in order (`lead` reads a fetched row's from them)

    def row(self, i: int) -> list:
        return self.sheet[self.start + i]

    def raw(self, j: int | None) -> list:
        """Column j as fastexcel's texts (None for empty), for the few steps that go row by row."""
        s = self.sheet.column(j, self.start)
        return [None] * self.n if s is None else s.to_list()

    def texts(self, j: int | None) -> list[str]:
        """Column j as cleaned text, each distinct value cleaned once (the same text the list reader gives)."""
        s = self.sheet.column(j, self.start)
        if s is None:
            return [""] * self.n
        return _arrow_texts(s.to_list())  # Arrow to Python strings in one call, then a C-level map

    # the rows below a header as fastexcel wrote them (cleaned with every other sheet's: frames.clean_texts)
    raw_texts = True

    def text_columns(self, cols: dict[str, int | None]) -> list["pl.Series"]:
        """The columns named (name -> column, None for none) below the header, as fastexcel wrote them
        (null for an empty cell or no column): slices of the sheet's Arrow columns, no Python string per
        cell (`clean_texts` cleans every sheet's kept rows at once, the texts `texts` would give)."""
        import polars as pl

        frame, offset = self.sheet.frame, self.sheet.offset
        out = []
        nulls = None
        for name, j in cols.items():
            if j is not None and 0 <= j - offset < frame.width:
                s = frame.to_series(j - offset).slice(self.start).alias(name)
                out.append(s if s.dtype == pl.String else s.cast(pl.String))
            else:
                if nulls is None:  # one column of nulls, renamed for each missing column
                    nulls = constant(None, self.n)
                out.append(nulls.alias(name))
        return out

    def any_text(self, columns: list[int], rows: list[int]) -> list[bool]:
        """Whether each of the rows has a text in any of the columns (as `texts` cleans it)."""
        frame, offset = self.sheet.frame, self.sheet.offset
        js = [j - offset for j in columns if 0 <= j - offset < frame.width]
        if not js:
            return [False] * len(rows)
        texts = _arrow_texts
        if len(rows) > 64:  # many rows: the columns taken at them rather than a row at a time
            import polars as pl

            at = pl.Series([self.start + i for i in rows], dtype=pl.UInt32)
            got = [texts(frame.to_series(j)[at].to_list()) for j in js]  # (Series[...] lets go of the GIL)
            return [any(cells) for cells in zip(*got)]
        return [any(texts([cells[j] for j in js])) for cells in map(frame.row, (self.start + i for i in rows))]

    @staticmethod
    def clean_texts(frame: "pl.DataFrame", rows: "pl.Series | None" = None) -> "pl.DataFrame":
        """fastexcel's texts (of `rows` only, when given) as `texts` cleans them, by whole-column expressions
        (text.clean_known_columns); a date or bool cell's text, and any text that may not be its own clean
        text, through `_arrow_texts`."""
        return clean_known_columns(frame, also=_SPECIAL_PATTERN, slow=_arrow_texts, rows=rows)

    def lead(self, i: int) -> str:
        """The first non-blank text cell of row i, cleaned (cells.first_text of the typed row), no cell typed."""
        p = self._pos.get(i)
        done = self._leading if p is not None else 0  # the first columns, fetched by `rows_to_test`
        for part in ([c[p] for c in self._columns[:done]] if done else (), None):  # the rest read when they hold none
            for v in self.sheet.frame.row(self.start + i)[done:] if part is None else part:
                if not passed_by_lead(v):
                    return arrow_memos()[0].get(v) or clean(v)
        return ""

    def dates(self, values: list) -> "Dates":
        """The date-of-birth cells (a list of fastexcel's texts), each distinct value parsed once."""
        seen = arrow_memos()[1]
        memo = memos()[0]
        table = {}
        for v in dict.fromkeys(values):
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = _arrow_date(v, memo)
            table[v] = hit
        return Dates.of([table[v] for v in values])

    def column(self, j: int | None) -> "pl.Series | None":
        """Column j below the header as fastexcel wrote it (None when the sheet has no such column)."""
        import polars as pl

        s = self.sheet.column(j, self.start)
        return s if s is None or s.dtype == pl.String else s.cast(pl.String)

    def text_at(self, j: int | None, i: int) -> str:
        """Row i's cell of column j, cleaned as `texts` cleans it."""
        s = self.column(j)
        return "" if s is None else _arrow_texts([s[i]])[0]

    @staticmethod
    def texts_of(values: list) -> list[str]:
        """fastexcel's texts cleaned as `texts` cleans them."""
        return _arrow_texts(values)

    def empty_rows(self, j: int | None) -> list[int]:
        """The rows whose cell in column j is empty once cleaned (each distinct text cleaned once)."""
        s = self.column(j)
        if s is None:
            return list(range(self.n))
        # in Python (the texts are met before: memo hits), keeping the GIL (see rows_to_test)
        return [i for i, t in enumerate(_arrow_texts(s.to_list())) if not t]

    def rows_to_test(self, dob: int | None, sieved: list[int | None], sieve: str, fetch: list[int | None] | None = None,
                     through: int | None = None) -> tuple[list[int], int, list[bool]]:
        """In one query: the rows whose date cell (column `dob`) is blank once cleaned (every other one has a
        date of birth: `dates_filled`) or whose cell in a `sieved` column matches `sieve`, whether it did for
        each, the longest date cell's length. Those rows' cells are fetched at once (`cells_at`, `lead`): in
        the columns `fetch` names (every one when None) and every column from the first through `through`."""
        import polars as pl

        frame, offset = self.sheet.frame, self.sheet.offset
        names = frame.columns

        def name(j):
            return names[j - offset] if j is not None and 0 <= j - offset < len(names) else None

        d = name(dob)
        # the query lets go of the GIL, and with Polars 2.1 the Series' `filter` and `|` too (slice, to_list keep
        # it): fewer hand-overs cost more CPU and were no faster (docs/performance-log.md, thirteenth session)
        whole, start = frame.get_columns(), self.start
        width = len(whole)
        lead = width if fetch is None else 0 if through is None else min(max(through - offset + 1, 0), width)
        kept = list(range(lead)) + sorted({j - offset for j in fetch or () if j is not None} & set(range(lead, width)))
        if d is None or not self.n:  # no date column: every row is looked at
            at, longest = _ROWS(self.n).to_list(), 0
            columns = [whole[k].slice(start).to_list() for k in kept]
            matched = [True] * len(at)
        else:
            query = _test_query(d, tuple(n for n in map(name, sieved) if n is not None), sieve)
            # an eager select (a lazy collect plans more: ~0.4 ms a sheet) on this thread, not on Polars' busy pool
            body = {k: whole[k].slice(start) for k in kept}
            read = [body[k] if k in body else whole[k].slice(start)
                    for k in {names.index(n) for n in (d, *map(name, sieved)) if n}]
            got = pl.DataFrame(read).select_seq(query)
            matched, longest = got.to_series(2), got.to_series(1)[0]
            mask = got.to_series(0) | matched  # (in the query it would be a second sieve)
            if longest > EXCEL_TEXT_MAX:  # long in bytes (never fewer than characters): its length in characters
                longest = max(map(len, filter(None, self.raw(dob))), default=0)
            at = _ROWS(self.n).filter(mask).to_list()
            columns = [body[k].filter(mask).to_list() for k in kept] if at else []
            matched = matched.filter(mask).to_list() if at else []
        self._at, self._pos, self._columns = at, dict(zip(at, range(len(at)))), columns if at else [[] for _k in kept]
        self._fetched, self._leading = {k: p for p, k in enumerate(kept)}, lead
        return at, longest, matched

    def cells_at(self, j: int | None, rows: list[int]) -> list:
        """Column j's cells as fastexcel wrote them at rows `rows_to_test` found (a column it fetched)."""
        k = -1 if j is None else j - self.sheet.offset
        if not 0 <= k < self.sheet.frame.width:
            return [None] * len(rows)
        column, pos = self._columns[self._fetched[k]], self._pos
        return list(column) if rows is self._at else [column[pos[i]] for i in rows]  # (all: the rows it returned)

    @staticmethod
    def dates_filled(values: list) -> list[bool]:
        """Whether each date cell holds a date of birth (`date_column`'s `filled`)."""
        seen = arrow_memos()[1]
        memo = memos()[0]
        simple = _SIMPLE_DATE_RE.match
        filled = {None: False, "": False}
        for v in dict.fromkeys(values):
            if v in filled:
                continue
            if simple(v):
                filled[v] = True
                continue
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = _arrow_date(v, memo)
            filled[v] = bool(hit[0])
        return [filled[v] for v in values]

    def date_column(self, j: int | None) -> "LaterDates":
        """Column j as dates of birth: whether each row has one now (all the row classifier asks), the
        dates read later for every sheet at once (`dates_of_cells`). A text that is not shaped as a date
        cell, a date typed day first or a year goes through `_arrow_date` now, so that a cell it refuses
        fails with this sheet."""
        raw = self.raw(j)
        seen = arrow_memos()[1]
        memo = memos()[0]
        simple = _SIMPLE_DATE_RE.match
        empty = {None, ""}
        long = False
        for v in dict.fromkeys(raw):
            if v in empty or simple(v):  # (a date's shape is short)
                continue
            long = long or len(v) > EXCEL_TEXT_MAX
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = _arrow_date(v, memo)
            if not hit[0]:  # blank once cleaned
                empty.add(v)
        return LaterDates(raw, [v not in empty for v in raw], long)


class LaterDates:
    """A date-of-birth column whose dates are read with every other sheet's (`dates_of_cells`): whether
    each row has one (`filled`), whether a cell is longer than Excel allows (`long`: its dates are then read
    with the sheet, so that cellcheck sees its texts), and each row's text when asked (`text`)."""

    __slots__ = ("cells", "filled", "long", "_text")

    def __init__(self, cells: list, filled: list[bool], long: bool = False):
        self.cells, self.filled, self.long, self._text = cells, filled, long, None

    @property
    def text(self) -> list[str]:
        """Each row's date text, as the list reader gives it."""
        if self._text is None:
            seen = arrow_memos()[1]
            memo = memos()[0]
            table = {None: "", "": ""}
            date_cell, typed_date = re.compile(_DATE_CELL).match, re.compile(_TYPED_DATE).match
            for v in dict.fromkeys(self.cells):
                if v in table:
                    continue
                if len(v) == 19 and date_cell(v) and _valid_day(v):
                    table[v] = f"{v[8:10]}/{v[5:7]}/{v[:4]}"
                elif typed_date(v):  # 13/02/1980, 1980: its own text (a number cell's too)
                    table[v] = v
                else:
                    hit = seen.get(v)
                    if hit is None:
                        hit = seen[v] = _arrow_date(v, memo)
                    table[v] = hit[0]
            self._text = [table[v] for v in self.cells]
        return self._text


# a date cell as fastexcel writes it (year 1000 or later, no time of day)
_DATE_CELL = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2} 00:00:00$"
_TYPED_DATE = r"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{4}|[1-9][0-9]{3})\Z"  # either (LaterDates: compiled when used)
# a date cell's shape (its day checked when read), a date typed day first, a year: each has a date text
# a cell clean() leaves empty: whitespace (Rust's \s is Python's str.split() set once controls are gone) and
# the characters it drops
_BLANK = rf"^(?:\s|{_POLARS_DROP})*$"
_SIMPLE_DATE_RE = re.compile(r"(?:[1-9][0-9]{3}-[0-9]{2}-[0-9]{2} 00:00:00|[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{4}"
                             r"|[1-9][0-9]{3})\Z")


@lru_cache(maxsize=64)
def _test_query(dob: str, sieved: tuple[str, ...], sieve: str) -> list["pl.Expr"]:
    """`ArrowBody.rows_to_test`'s query on the columns named (the sheets share their column names: built once)."""
    import polars as pl

    d = pl.col(dob).cast(pl.String)
    matched = pl.lit(False)
    for c in sieved:
        matched = matched | pl.col(c).cast(pl.String).str.contains(sieve).fill_null(False)
    return [d.str.contains(_BLANK).fill_null(True).alias("blank"), d.str.len_bytes().max().fill_null(0).alias("longest"),
            matched.alias("matched")]


def _valid_day(v: str) -> bool:
    try:
        dt.date.fromisoformat(v[:10])
    except ValueError:
        return False
    return True


def _arrow_texts(values: list) -> list[str]:
    """fastexcel's texts cleaned, through the reading's memo (a date or bool cell as the list reader gives it)."""
    memo = arrow_memos()[0]
    try:  # the values met before (most of them: award names, departments, numbers repeat)
        return list(map(memo.__getitem__, values))
    except KeyError:
        pass
    new = [v for v in dict.fromkeys(values) if v not in memo]
    special = {v for v in new if (len(v) >= 19 and v[4] == "-" or v in _BOOLS) and _special(v)}
    plain = [v for v in new if v not in special] if special else new
    memo.update(zip(plain, clean_strings(plain)))
    memo.update((v, _special_text(v)) for v in special)
    return list(map(memo.__getitem__, values))


# the texts `_special` may accept (checked by it): a date cell's, a bool cell's
_SPECIAL_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?$|^(?:true|false)$"


def passed_by_lead(v: str | None) -> bool:
    """A cell `ArrowBody.lead` goes past: empty, blank, a number, a date or a bool (a text none begins so: no regex)."""
    first = v[:1] if v else ""
    if first and first not in _TYPED_START and not first.isdigit() and not first.isspace():
        return False
    return v is None or not v.strip() or _NUMBER.fullmatch(v) is not None or _special(v)


def _special(v: str) -> bool:
    """A value fastexcel wrote from a date or bool cell, whose text is not the cleaned value."""
    return (len(v) >= 19 and v[4] == "-" and _DATETIME.fullmatch(v) is not None and typed(v) is not v) or v in _BOOLS


def _special_text(v: str) -> str:
    t = typed(v)
    if isinstance(t, bool):
        return str(t)
    return f"{v[8:10]}/{v[5:7]}/{v[:4]}"


def _arrow_date(v: str | None, memo: dict[str, str]) -> tuple[str, object]:
    """cells._date_of of the value fastexcel's text stands for (a date cell, a number, a text)."""
    if v is None or v == "":
        return _NO_DATE
    if len(v) == 19 and v[4] == "-" and v[10] == " " and v.endswith("00:00:00") and _DATETIME.fullmatch(v):
        d = typed(v)  # a date cell, the common case (a text shaped like one but no date stays text)
        return _date_of(d, memo)
    return _date_of(typed(v), memo)


class ArrowBook:
    """A workbook read with fastexcel: its sheet names, which are visible worksheets (from the safety
    scan's reading of workbook.xml), and each sheet as an ArrowSheet, loaded once."""

    def __init__(self, reader, scan, path=None):
        self.reader = reader
        self.scan = scan
        self.path = path
        self.sheet_names = list(reader.sheet_names)
        self._sheets: dict[str, ArrowSheet] = {}
        self.ahead: dict[str, object] = {}  # sheets parsed ahead (files.parse_ahead), not yet handed to Polars
        self._calamine = None

    def visible(self) -> list[str]:
        states = {s.name: s for s in (self.scan.sheets.values() if self.scan else ())}
        out = []
        for n in self.sheet_names:
            s = states.get(n)
            if s is None or (s.state == "visible" and "chartsheets/" not in s.part):
                out.append(n)
        return out

    def sheet(self, name: str) -> ArrowSheet:
        got = self._sheets.get(name)
        if got is None:
            if self.reader is None:
                raise ValueError("workbook closed")
            parsed = self.ahead.pop(name, None)
            got = self._sheets[name] = load_sheet(self.reader, name) if parsed is None else to_sheet(parsed)
        return got

    def calamine(self):
        """The same bytes opened with python-calamine, for a sheet fastexcel failed to load (its error,
        if it has one, is the one the user is told)."""
        if self._calamine is None:
            from ..reading import Unreadable, open_scanned

            wb, reason = open_scanned(self.path, self.scan)
            if wb is None:
                raise Unreadable(reason)
            self._calamine = wb
        return self._calamine

    def close(self) -> None:
        """Let go of the reader (and so of the file: Windows cannot replace a file held open)."""
        self.reader = None
        self._sheets.clear()
        self.ahead.clear()
        if self._calamine is not None:
            try:
                self._calamine.close()
            finally:
                self._calamine = None


def load_sheet(reader, name: str) -> ArrowSheet:
    """One sheet as text columns from row 1 (empty leading rows kept: list index + 1 is the Excel row)."""
    return to_sheet(parse_sheet(reader, name))


def parse_sheet(reader, name: str):
    """fastexcel's parse of one sheet, every cell as text (no Polars yet)."""
    return reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", n_rows=LIMITS.max_rows)


def to_sheet(sheet) -> ArrowSheet:
    """fastexcel's sheet (or one parsed ahead) handed to Polars."""
    import polars as pl

    columns = sheet.available_columns()
    offset = columns[0].absolute_index if columns else 0
    frame = pl.DataFrame(sheet) if columns else pl.DataFrame()
    if frame.width and offset + frame.width > LIMITS.max_cols:
        frame = frame[:, :max(0, LIMITS.max_cols - offset)]
    return ArrowSheet(frame, offset)


def open_book(path, scan) -> ArrowBook:
    """fastexcel on the bytes the pre-check kept (a trimmed copy) or on the file."""
    import fastexcel

    source = scan.data if scan is not None and scan.data is not None else str(path)
    return ArrowBook(fastexcel.read_excel(source), scan, path)
