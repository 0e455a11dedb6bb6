"""Cells to text: each distinct value cleaned once, dates parsed once, what calamine gives made uniform.

The memos of one reading (`reading_memos`) belong to that reading (a ContextVar): units' files
repeat the same award names, titles and departments, and two readings never share them.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import zip_longest
from typing import TYPE_CHECKING

from ..text import ParsedDate, clean, clean_strings, date_text, parse_date

if TYPE_CHECKING:
    import polars as pl


def _as_text(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return date_text(value)
    return clean(value)


class ListBody:
    """The rows below a header, column by column, from rows of Python values (python-calamine, Excel)."""

    def __init__(self, rows: list[list], start: int):
        self.rows = rows[start:]
        self.n = len(self.rows)
        self.columns = _transpose(self.rows)
        self._memo, self._numbers, self._dates = memos()

    def row(self, i: int) -> list:
        return self.rows[i]

    def raw(self, j: int | None) -> list:
        return list(self.columns[j]) if j is not None and j < len(self.columns) else [None] * self.n

    def texts(self, j: int | None) -> list[str]:
        return _column_texts(self.columns, j, self.n, self._memo, self._numbers)

    def dates(self, values: list) -> "Dates":
        return Dates.of(_dates(values, self._memo, self._dates))

    def date_column(self, j: int | None) -> "Dates":
        return self.dates(self.raw(j))

    def lead(self, i: int) -> str:
        return first_text(self.rows[i], self._memo)

    raw_texts = False  # the texts below are cleaned already

    def any_text(self, columns: list[int], rows: list[int]) -> list[bool]:
        """Whether each of the rows has a text in any of the columns (as `texts` cleans it)."""
        texts = [self.texts(j) for j in columns]
        return [any(t[i] for t in texts) for i in rows]

    def text_columns(self, cols: dict[str, int | None]) -> list["pl.Series"]:
        """The columns named (name -> column) below the header as cleaned text (`texts`)."""
        import polars as pl

        return [pl.Series(name, self.texts(j), pl.String) for name, j in cols.items()]


def first_text(row: list, memo: dict[str, str] | None = None) -> str:
    """The first non-blank text of a row, cleaned (through the reading's memo of cleaned cells)."""
    for c in row:
        if c.__class__ is str and c.strip():
            return (memo.get(c) if memo else None) or clean(c)
        if isinstance(c, str) and c.strip():
            return clean(c)
    return ""


class Below:
    """The columns named below a sheet's header (name -> column, None for none), as `body.text_columns`
    gives them, made when first asked for: `frames.build_nominations` takes the columns of sheets of one
    layout (a master's unit sheets, one template) from their frames stacked, one Series a column, not one a
    column and sheet."""

    __slots__ = ("body", "cols", "_made")

    def __init__(self, body, cols: dict[str, int | None]):
        self.body, self.cols, self._made = body, cols, None

    def made(self) -> list["pl.Series"]:
        if self._made is None:
            self._made = self.body.text_columns(self.cols)
        return self._made

    def __iter__(self):
        return iter(self.made())

    def __getitem__(self, k):
        return self.made()[k]

    def __len__(self) -> int:
        return len(self.cols)


def body_of(rows, start: int):
    """The body below a header for either reader (an ArrowSheet knows how to give its own)."""
    own = getattr(rows, "body", None)
    return own(start) if own is not None else ListBody(rows, start)


def _transpose(body: list[list]) -> list[tuple]:
    """The columns of a block of rows (short rows padded with None)."""
    return list(zip_longest(*body)) if body else []


def _column_texts(columns: list[tuple], j: int | None, n: int, memo: dict, numbers: dict[float, str]) -> list[str]:
    """Column j (of n rows) as cleaned text. The strings not met before are cleaned together
    (text.clean_strings); `memo` and `numbers` carry them across columns and files, which repeat most values."""
    if j is None:
        return [""] * n
    values = columns[j] if j < len(columns) else [None] * n
    distinct = dict.fromkeys(values)
    new = [v for v in distinct if v.__class__ is str and v not in memo]
    if new:
        memo.update(zip(new, clean_strings(new)))
    # numbers: floats only; NaN is never stored, so gets ""
    floats = {v for v in values if v.__class__ is float} if _has_bool_key(distinct) else distinct
    numbers.update((v, _scalar_text(v)) for v in floats if v.__class__ is float and v == v and v not in numbers)
    return [memo[v] if v.__class__ is str else "" if v is None else numbers.get(v, "") if v.__class__ is float
            else _scalar_text(v) for v in values]


_NO_DATE = ("", parse_date(None))


def _has_bool_key(distinct: dict) -> bool:
    """True == 1 == 1.0 as dict keys: a column holding both keeps only the first (then go cell by cell)."""
    return True in distinct or False in distinct


def _dates(values: list, memo: dict[str, str], seen: dict | None = None) -> list[tuple[str, object]]:
    """(cell text, text.parse_date) of each date-of-birth cell, each distinct value parsed once.

    `seen` carries dates and texts across sheets (numbers stay per sheet: True == 1 == 1.0 as keys).
    """
    distinct = dict.fromkeys(values)
    if _has_bool_key(distinct):
        got = [_date_of(v, memo) for v in values]
    else:
        seen = {} if seen is None else seen
        table = {}
        for v in distinct:
            c = v.__class__
            if c is dt.date or c is dt.datetime or c is str:
                hit = seen.get(v)
                if hit is None:
                    hit = seen[v] = _date_of(v, memo)
                table[v] = hit
            else:
                table[v] = _date_of(v, memo)
        got = [table[v] for v in values]
    return got


class Dates:
    """Dates of birth of a column, as parallel lists: the cell's text, and text.parse_date's date, year,
    raw text (else the cell's text) and error."""

    __slots__ = ("text", "date", "year", "raw", "error")

    def __init__(self, text: list, date: list, year: list, raw: list, error: list):
        self.text, self.date, self.year, self.raw, self.error = text, date, year, raw, error

    @classmethod
    def empty(cls, n: int) -> "Dates":
        return cls([""] * n, [None] * n, [None] * n, [""] * n, [None] * n)

    @classmethod
    def of(cls, got: list[tuple[str, object]]) -> "Dates":
        """From (text, ParsedDate) pairs, one per row."""
        return cls([g[0] for g in got], [g[1].date for g in got], [g[1].year for g in got],
                   [g[1].raw or g[0] for g in got], [g[1].error for g in got])

    def set(self, i: int, hit: tuple[str, object]) -> None:
        text, d = hit
        self.text[i], self.date[i], self.year[i], self.raw[i], self.error[i] = text, d.date, d.year, d.raw or text, d.error


def _date_of(v: object, memo: dict[str, str]) -> tuple[str, object]:
    if v is None or v == "":
        return _NO_DATE
    if (v.__class__ is dt.date or v.__class__ is dt.datetime) and v.year >= 1000:  # an Excel date
        d = v if v.__class__ is dt.date else v.date()
        iso = d.isoformat()
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}", ParsedDate(date=d, year=v.year, raw=iso)
    text = (memo.get(v) or clean(v)) if v.__class__ is str else _scalar_text(v)
    return text, parse_date(v)


def _scalar_text(v: object) -> str:
    """_as_text of a number, date or bool cell (what calamine gives besides strings)."""
    if v.__class__ is float:
        return "" if v != v else str(int(v)) if v.is_integer() else str(v)
    if v.__class__ is int:
        return str(v)
    return _as_text(v)


# Cleaned text of every raw string (and float) met during one read_paths: units' files repeat the
# same award names, titles and departments. One set of dicts per reading (a ContextVar, so two
# readings in two threads never share or empty each other's); a sheet read alone gets its own.
_MEMOS: ContextVar[tuple[dict, dict, dict, dict, dict] | None] = ContextVar("thidua_intake_memos", default=None)


def memos() -> tuple[dict[str, str], dict[float, str], dict]:
    """(clean text by raw string, text by float, (text, parsed date) by date cell) of this reading."""
    return (_MEMOS.get() or ({}, {}, {}))[:3]


def arrow_memos() -> tuple[dict[str, str], dict]:
    """(text by fastexcel's cell text, (text, parsed date) by fastexcel's cell text) of this reading
    (apart from the list reader's: a date cell arrives as `1980-02-13 00:00:00`, not as a date)."""
    got = _MEMOS.get()
    return got[3:] if got else ({None: ""}, {})


@contextmanager
def reading_memos():
    """The memos of one reading: they live as long as it and are dropped with it."""
    token = _MEMOS.set(({}, {}, {}, {None: ""}, {}))
    try:
        yield
    finally:
        _MEMOS.reset(token)


# Columns kept and sliced, not built per sheet (fastexcel's sheets: intake.arrow, rows, frames)
def _ROWS(n: int) -> "pl.Series":
    """Row numbers 0..n-1 (a slice of one Series kept, not built per sheet)."""
    global _ROW_NUMBERS
    if _ROW_NUMBERS is None or len(_ROW_NUMBERS) < n:
        import polars as pl

        _ROW_NUMBERS = pl.Series(range(max(n, 1 << 16)), dtype=pl.UInt32)
    return _ROW_NUMBERS.slice(0, n)


_ROW_NUMBERS = None


def positions(values: list[int], dtype: "pl.DataType", name: str = "") -> "pl.Series":
    """A Series of the row positions or numbers `values`; when they run on by one (a sheet's kept rows without a
    heading, totals line or sample among them: most sheets) a slice of one kept per type, not a Series made
    from a Python list (~15 µs)."""
    import polars as pl

    n = len(values)
    if n and values[-1] - values[0] == n - 1 and values == list(range(values[0], values[0] + n)) and values[0] >= 0:
        end = values[0] + n
        kept = _RUNS.get(dtype)
        if kept is None or len(kept) < end:
            kept = _RUNS[dtype] = pl.Series("", range(max(end, 1 << 16)), dtype)
        return kept.slice(values[0], n).alias(name)
    return pl.Series(name, values, dtype)


_RUNS: dict = {}


def constant(value: str | None, n: int) -> "pl.Series":
    """A text column of n times the same value (a slice of one kept per value: `new_from_index` lets go of
    the GIL, and the main thread may wait a switch interval to take it back from a reader thread)."""
    got = _CONSTANTS.get(value)
    if got is None or len(got) < n:
        import polars as pl

        got = _CONSTANTS[value] = pl.Series("", [value] * max(n, 1 << 12), pl.String)
    return got.slice(0, n)


_CONSTANTS: dict = {}
