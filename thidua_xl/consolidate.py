"""Consolidation: totals by award × tập thể/cá nhân × unit, and the per-award lists.

Every row with a recognised award and subject is counted once, whatever other
findings touch it: the totals say what the units proposed, the findings say what
is wrong with it.

The counting and the one sort of every list run on Polars; pandas is imported only when a
writer asks for `counts` or `lists` (the pandas frames the writers read), so `thidua
consolidate` and `to_json` never load it. A caller still holding pandas frames gets the same
result: its frames are read into Polars at the door, and its lists are its own rows.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable

from .catalog import CA_NHAN, TAP_THE, Catalog, load_catalog
from .text import clean, clean_strings, date_text, sort_key

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

SUBJECTS = (TAP_THE, CA_NHAN)
INITIATIVE_KINDS = ("sang_kien", "de_tai")
INITIATIVE_LEVELS = ("co_so", "tinh", "bo", "toan_quoc")
GROUP = ["unit_code", "unit", "award", "subject"]  # the keys of `counts`, in its column order


class Consolidation:
    """The year's totals and lists.

    `counts` (unit_code, unit, award, subject, n) and `lists` (award code -> nominees sorted the
    Vietnamese way) are pandas frames for the writers, built on first use when consolidate made
    them from Polars data; `totals`, `by_unit`, `total` and `to_json` read the Polars counts and
    never import pandas. Both may be assigned (a decided subset, a test's empty lists).
    """

    def __init__(self, year: int, counts, lists, initiatives: dict[str, dict[str, int]], rows: int, files: int,
                 units: list[tuple[str, str]] | None = None):
        self.year = year
        self.counts = counts
        self.lists = lists
        self.initiatives = initiatives
        self.rows = rows
        self.files = files
        self.units = units if units is not None else []  # (code, name) in display order

    @classmethod
    def _built(cls, year: int, counts: "pl.DataFrame", counts_view: Callable[[], "pd.DataFrame"],
               lists: Callable[[], dict], **fields) -> "Consolidation":
        """consolidate's result: Polars counts, the pandas frames made when first read."""
        new = cls(year, counts, None, **fields)
        new._counts_view, new._lists = counts_view, lists
        return new

    # counts: a Polars frame (the core's) and/or its pandas view (the writers')
    @property
    def counts(self) -> "pd.DataFrame":
        if callable(self._counts_view):
            self._counts_view = self._counts_view()
        return self._counts_view

    @counts.setter
    def counts(self, frame) -> None:
        if _is_polars(frame):
            self._counts_frame = frame
            self._counts_view = lambda: _pandas_view(frame, frame, ("n",))
        else:
            self._counts_frame, self._counts_view = None, frame

    @property
    def lists(self) -> dict[str, "pd.DataFrame"]:
        if callable(self._lists):
            self._lists = self._lists()
        return self._lists

    @lists.setter
    def lists(self, value) -> None:
        self._lists = value

    def _count_columns(self, names) -> list[list]:
        frame = self._counts_frame if self._counts_frame is not None else self.counts
        return [_column(frame, name) for name in names]

    def total(self, award: str, subject: str | None = None) -> int:
        return sum(int(n) for a, s, n in zip(*self._count_columns(("award", "subject", "n")))
                   if a == award and (not subject or s == subject))

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        per = _award_subject_counts(self._count_columns(("award", "subject", "n")))
        return {code: per[code] for code in _ordered_codes(per)}

    @property
    def by_unit(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per unit (named as the master lists it), its awards in catalogue order: one pass over the counts."""
        by_code = _award_subject_counts(self._count_columns(("unit_code", "award", "subject", "n")))
        by_name = _award_subject_counts(self._count_columns(("unit", "award", "subject", "n")))
        out: dict[str, dict[str, dict[str, int]]] = {}
        for code, name in self.units:
            per = by_code.get(code) if code else by_name.get(name)
            if per:
                out[name] = {award: per[award] for award in _ordered_codes(per)}
        return out

    def to_json(self) -> dict:
        return {"year": self.year, "totals": self.totals, "by_unit": self.by_unit,
                "initiatives": self.initiatives, "rows": self.rows, "files": self.files}

    def __repr__(self) -> str:
        return f"Consolidation(year={self.year}, rows={self.rows}, files={self.files}, units={len(self.units)})"


# --- frames of either library ----------------------------------------------------------------------
def _is_polars(frame) -> bool:
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(frame, pl.DataFrame)


def _is_pandas(frame) -> bool:
    """A pandas frame, asked without importing pandas (a process that never loaded it holds none)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(frame, pd.DataFrame)


def _column(frame, name: str) -> list:
    return frame.get_column(name).to_list() if _is_polars(frame) else frame[name].tolist()


def _polars(frame, schema: dict) -> "pl.DataFrame":
    """The columns of `schema` of a pandas or Polars frame as a Polars frame; missing values null.

    A pandas frame is read column by column (no pyarrow): NaN and None both become null.
    """
    import polars as pl

    if _is_polars(frame):
        return frame.select(pl.col(c).cast(t) for c, t in schema.items())
    data = {}
    for c in schema:
        s = frame[c]
        data[c] = s.astype(object).where(s.notna(), None).tolist()
    return pl.DataFrame(data, schema=schema, strict=False)


def _pandas_view(frame: "pl.DataFrame", whole: "pl.DataFrame", plain: tuple[str, ...] = ("row",)) -> "pd.DataFrame":
    """`frame` as the pandas frame intake makes of the nominations: text as `str` (or object when the
    column of `whole`, the frame `frame` was taken from, holds no text at all), the integers of
    `plain` int64, other integers Int64, dates as datetime.date objects; a fresh RangeIndex."""
    import pandas as pd
    import polars as pl

    texts = {c for c, n in zip(whole.columns, whole.null_count().row(0)) if n < whole.height}
    data = {}
    for c, dtype in frame.schema.items():
        values = frame.get_column(c).to_list()
        if dtype == pl.String and c in texts:
            data[c] = pd.array(values, dtype="str")
        elif dtype.is_integer():
            data[c] = pd.array(values, dtype="int64" if c in plain and None not in values else "Int64")
        else:
            data[c] = pd.array(values, dtype=object)
    return pd.DataFrame(data, columns=frame.columns)


def _award_subject_counts(columns: list[list]) -> dict:
    """{award: {subject: n}} summed over the count rows, nested under the value of the first column
    when four columns are given (unit_code or unit)."""
    out: dict = {}
    for *key, award, subject, n in zip(*columns):
        table = out
        for k in key:
            table = table.setdefault(k, {})
        per = table.get(award)
        if per is None:
            per = table[award] = dict.fromkeys(SUBJECTS, 0)
        if subject in per:
            per[subject] += int(n)
    return out


def _ordered_codes(codes) -> list[str]:
    cat = load_catalog()
    order = {a.code: a.order for a in cat}
    return sorted((c for c in codes if c), key=lambda c: order.get(c, 10_000))


def _dense_ranks(texts) -> dict[str, int]:
    """Each text's rank in Vietnamese order (sort_key once per text; texts with equal keys, equal ranks)."""
    keyed = sorted((sort_key(t), t) for t in texts)
    ranks: dict[str, int] = {}
    previous, r = None, -1
    for key, t in keyed:
        if key != previous:
            previous, r = key, r + 1
        ranks[t] = r
    return ranks


def _name_ranks(pairs: "pl.DataFrame") -> "pl.DataFrame":
    """Each distinct (ho_ten, subject) with its place in list order as three ranks: collectives first,
    by their name; then people by tên, then họ đệm (text.name_sort_key). The collation key is made once
    per distinct tên, họ đệm and collective name, and the ranks spread over the rows by Polars."""
    import polars as pl

    name = pl.col("ho_ten").fill_null("")
    people = (pl.col("subject") != TAP_THE).fill_null(True)  # no subject: ranked as a person, as before
    frame = pairs.select(name.alias("_name"), people.alias("_person"))
    persons = frame.filter("_person").get_column("_name").unique(maintain_order=True).to_list()
    # split_name of each cleaned name: its last word is the tên, the words before it the họ đệm
    split = pl.DataFrame({"_name": persons, "_clean": clean_strings(persons)}, schema={"_name": pl.String,
                                                                                   "_clean": pl.String})
    split = split.with_columns(pl.col("_clean").str.split(" ").alias("_w")).select(
        "_name", pl.col("_w").list.last().alias("_ten"),
        pl.col("_w").list.head(pl.col("_w").list.len() - 1).list.join(" ").alias("_ho"))
    ten = _dense_ranks(split.get_column("_ten").unique().to_list())
    ho = _dense_ranks(split.get_column("_ho").unique().to_list())
    collective = _dense_ranks(frame.filter(~pl.col("_person")).get_column("_name").unique().to_list())
    split = split.select("_name", pl.col("_ten").replace_strict(ten, return_dtype=pl.Int64).alias("_t"),
                         pl.col("_ho").replace_strict(ho, return_dtype=pl.Int64).alias("_h"))
    ranked = frame.join(split, on="_name", how="left", maintain_order="left").select(
        pl.col("_person").cast(pl.Int8).alias("_group"),
        pl.when("_person").then("_t").otherwise(
            pl.col("_name").replace_strict(collective, default=None, return_dtype=pl.Int64)).alias("_first"),
        pl.when("_person").then("_h").otherwise(0).cast(pl.Int64).alias("_second"))
    return pairs.hstack(ranked)


def _list_order(counted: "pl.DataFrame", codes: list[str]) -> "pl.DataFrame":
    """counted's `_pos` and `_award` (the award's index in `codes`, len(codes) for the rest) in list
    order: awards in catalogue order, then the Vietnamese name order, ties by unit, then as read."""
    import polars as pl

    ranks = _name_ranks(counted.select("ho_ten", "subject").unique(maintain_order=True))
    return (counted.join(ranks, on=["ho_ten", "subject"], how="left", nulls_equal=True)
            .select("_pos",
                    pl.col("award").replace_strict(codes, list(range(len(codes))), default=len(codes),
                                                   return_dtype=pl.Int64).alias("_award"),
                    "_group", "_first", "_second",
                    pl.col("unit").fill_null("").rank("dense").alias("_unit"))
            .sort("_award", "_group", "_first", "_second", "_unit", "_pos")
            .select("_pos", "_award"))


def _slices(ordered: "pl.DataFrame", codes: list[str]) -> list[tuple[str, int, int]]:
    """(code, start, end) of each award's rows in the sorted rows."""
    import polars as pl

    bounds = ordered.get_column("_award").search_sorted(pl.Series(range(len(codes) + 1), dtype=pl.Int64),
                                                        side="left").to_list()
    return [(code, bounds[i], bounds[i + 1]) for i, code in enumerate(codes)]


def unit_order(nominations, units=None) -> list[tuple[str, str]]:
    """Units as the master lists them, then any others by name (Vietnamese order).

    Sorting the others makes the output independent of the order files were named in.
    `nominations` and `units` are Polars or pandas frames.
    """
    seen: list[tuple[str, str]] = []
    if units is not None and len(units):
        seen += list(zip(_column(units, "unit_code"), _column(units, "unit")))
    keys = {c or n for c, n in seen}
    if _is_polars(nominations):
        pairs = nominations.select("unit_code", "unit").unique(maintain_order=True).rows()
    else:
        pairs = dict.fromkeys(zip(nominations["unit_code"].tolist(), nominations["unit"].tolist()))
    others: dict[str, tuple[str, str]] = {}
    for c, n in pairs:
        if (c or n) not in keys:
            others.setdefault(c or n, (c, n))
    return seen + sorted(others.values(), key=lambda cn: (sort_key(cn[1]), cn[0]))


def count_initiatives(initiatives, year: int | None) -> dict[str, dict[str, int]]:
    """Initiatives of the year (or with no year given) by loại × cấp công nhận (a Polars or pandas frame)."""
    out: dict[str, dict[str, int]] = {}
    if initiatives is None or not len(initiatives):
        return out
    import polars as pl

    has_year = "nam" in initiatives.columns
    df = _polars(initiatives, {"loai": pl.String, "cap": pl.String, **({"nam": pl.Int64} if has_year else {})})
    if year is not None and has_year:
        df = df.filter(pl.col("nam").is_null() | (pl.col("nam") == year))
    grouped = {(k, c): n for k, c, n in df.group_by("loai", "cap").len().rows()}
    for kind in INITIATIVE_KINDS:
        levels = {lvl: grouped[(kind, lvl)] for lvl in INITIATIVE_LEVELS if grouped.get((kind, lvl), 0)}
        if levels:
            out[kind] = levels
    return out


def consolidate(nominations, initiatives, year: int, *, files: int = 0, units=None,
                catalog: Catalog | None = None) -> Consolidation:
    """Counts by unit × award × subject and the per-award lists of the rows with an award and a subject.

    `nominations`: a Polars frame (the columns of model.NOMINATION_COLUMNS) or a pandas one, whose
    lists are then its own rows (any extra column kept); `initiatives`, `units` likewise.
    """
    import polars as pl

    catalog = catalog or load_catalog()
    keys = _polars(nominations, {c: pl.String for c in (*GROUP, "ho_ten")}).with_row_index("_pos")
    counted = keys.filter(pl.col("award").is_not_null() & pl.col("subject").is_not_null())
    counts = (counted.group_by(GROUP).len("n").sort(GROUP, nulls_last=True)
              .with_columns(pl.col("n").cast(pl.Int64)))
    codes = _ordered_codes(counted.get_column("award").unique(maintain_order=True).to_list())

    def list_order():
        """One sort for every list, awards in catalogue order first; each award's list is a slice of it.
        Made when a writer first reads the lists (the Vietnamese collation of every distinct name, ~0.1 s
        at 30,000 rows): totals and the JSON need no order."""
        return _list_order(counted, codes) if counted.height else None

    if _is_polars(nominations):
        def counts_view():
            return _pandas_view(counts, counts, ("n",))

        def lists():
            ordered = list_order()
            if ordered is None:
                return {}
            rows = _pandas_view(nominations[ordered.get_column("_pos")], nominations)
            return {code: rows.iloc[a:b].reset_index(drop=True) for code, a, b in _slices(ordered, codes)}
    else:
        def counts_view():
            kept = nominations[nominations["award"].notna() & nominations["subject"].notna()]
            return kept.groupby(GROUP, dropna=False).size().rename("n").reset_index()

        def lists():
            ordered = list_order()
            if ordered is None:
                return {}
            rows = nominations.iloc[ordered.get_column("_pos").to_list()]
            return {code: rows.iloc[a:b].reset_index(drop=True) for code, a, b in _slices(ordered, codes)}

    return Consolidation._built(year, counts, counts_view, lists,
                                initiatives=count_initiatives(initiatives, year), rows=counted.height,
                                files=files, units=unit_order(counted, units))


def summary_rows(result: Consolidation, catalog: Catalog | None = None) -> list[dict]:
    """One line per award and subject present, in catalogue order, for tables and reports."""
    catalog = catalog or load_catalog()
    out = []
    for code, t in result.totals.items():
        a = catalog[code]
        out.append({"code": code, "name": a.name, "tap_the": t[TAP_THE], "ca_nhan": t[CA_NHAN],
                    "tong": t[TAP_THE] + t[CA_NHAN]})
    return out


def display_date(row) -> str:
    value = row.get("ngay_sinh")
    if value is not None and not _missing(value):
        return date_text(row["ngay_sinh"])
    return clean(row.get("ngay_sinh_raw") or "")


def _missing(value) -> bool:
    pd = sys.modules.get("pandas")  # a pandas row's NaN, NaT or NA; a Polars row has None
    return bool(pd.isna(value)) if pd is not None else value != value
