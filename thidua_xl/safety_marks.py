"""What a sheet part's bytes show, scanned by Polars' regex engine outside the GIL.

The pre-check runs in the reader threads while the main thread classifies rows. Python's `re` and
`bytes` scans hold the GIL: over the 17 MB of sheet XML of a 30,000-row province they kept the main
thread waiting ~0.3 s. Polars runs the same tests in Rust without the GIL. Each mark here is one
test of safety.py spelled for Rust's regex syntax: its `\\s` and `\\d` are Unicode, so the ASCII
classes of Python's bytes patterns are written out. tests/test_safety_marks.py checks that both
spellings agree; a part that is not UTF-8 (or a small one, where a Polars call costs more than the
scans) goes to the Python scans.
"""
from __future__ import annotations

from dataclasses import dataclass

MIN_BYTES = 1 << 16  # below this, Python's scans are cheaper than one Polars query

_WS = r"[ \t\n\r\x0b\x0c/>]"  # Python's bytes [\s/>]
_ROW_TAG = r'<row r="[0-9]{1,7}"' + _WS  # safety._ROW_TAG
_CELL_TAG = r"<c[ >/\t\n\r]"  # safety._odd_cell: every tag it looks at
_WIDE_CELL = r'<c r="[A-Z]{2,3}[0-9]'  # safety._WIDE_CELL
_PREFIXED = r":(?:c|row|dimension)" + _WS  # safety._PREFIXED


def not_greater(n: int, digit: bytes = rb"\d") -> bytes:
    """A pattern for the digit strings up to n with no more digits than n (leading zeros allowed)."""
    d = str(n)
    branches = [digit + b"{1,%d}" % (len(d) - 1)] if len(d) > 1 else []
    branches += [d[:i].encode() + b"[0-%d]" % (int(c) - 1) + digit * (len(d) - i - 1) for i, c in enumerate(d) if c != "0"]
    return b"(?:" + b"|".join(branches + [d.encode()]) + b")"


@dataclass(frozen=True)
class Marks:
    """What safety._plain_cells learns, and whether the rarer walks have anything to find."""

    plain: tuple[list[int], list[str]] | None  # row numbers and the letters of columns past Z, when plain
    hidden: bool  # `hidden=` occurs: safety._may_hide_rows decides
    formulas: bool  # `<f>` or `<f ` occurs
    errors: bool  # a `"e"` or `'e'` occurs


def sheet_marks(data: bytes) -> Marks | None:
    """The marks of one sheet part, or None when Python's scans must decide (not UTF-8, too small)."""
    if len(data) < MIN_BYTES:
        return None
    import polars as pl

    try:
        frame = pl.Series("x", [data], dtype=pl.Binary).cast(pl.String).to_frame()
    except Exception:  # noqa: BLE001 - not UTF-8: the bytes patterns read it as it is
        return None
    x = pl.col("x")
    rows = x.str.extract_all(_ROW_TAG)
    (prefixed, row_count, numbers, row_tags, has_cell, cell_tags, wide, hidden, formulas, errors), = frame.select(
        x.str.contains(_PREFIXED).alias("prefixed"),
        rows.list.len().alias("row_count"),
        rows.list.eval(pl.element().str.slice(8).str.extract(r"^([0-9]+)").cast(pl.Int64)).list.unique().list.sort()
        .alias("numbers"),
        x.str.count_matches("<row", literal=True).alias("row_tags"),
        x.str.contains("<c", literal=True).alias("has_cell"),
        x.str.count_matches(_CELL_TAG).alias("cell_tags"),
        x.str.extract_all(_WIDE_CELL).list.eval(pl.element().str.slice(6).str.head(-1)).list.unique().alias("wide"),
        x.str.contains("hidden=", literal=True).alias("hidden"),
        x.str.contains("<f[> ]").alias("formulas"),
        x.str.contains("\"e\"|'e'").alias("errors"),
    ).rows()
    plain: tuple[list[int], list[str]] | None
    if prefixed or row_count != row_tags:
        plain = None
    elif not row_count:
        plain = None if has_cell else ([], [])
    else:
        # every cell tag must be `<c r="A1"` with a row up to the last row tag (safety._odd_cell)
        spelled = rb'<c r="[A-Z]{1,3}' + not_greater(numbers[-1], digit=rb"[0-9]") + rb'"'
        plain_tags = frame.select(x.str.count_matches(spelled.decode("ascii") + _WS)).item()
        plain = (numbers, wide) if plain_tags == cell_tags else None
    return Marks(plain, bool(hidden), bool(formulas), bool(errors))
