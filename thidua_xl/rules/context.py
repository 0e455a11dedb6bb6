"""The validation context: the year's nominations with their helper columns, the awards
already known (this year's and the register's, handed in as plain Polars frames by the caller)
and the person matching every history check shares.

Nothing here reads storage: the caller builds the frames (see `validate.build_context`).
Every frame is Polars: a check selects rows with filters and joins, never through pandas.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from ..catalog import TAP_THE, Catalog
from ..schema import INITIATIVE_LEVEL_PHRASE
from .records import Rule

COL_NAME = "Họ và tên"
COL_DOB = "Ngày sinh"
COL_AWARD = "Hình thức đề nghị"
COL_SUBJECT = "Đối tượng"
COL_INITIATIVE = "Sáng kiến"
NOT_CHECKED = "NOT_CHECKED"
QUOTA_REMAINING = "QUOTA_REMAINING"
LEVEL_ORDER = {"co_so": 1, "tinh": 2, "bo": 2, "toan_quoc": 3}
LEVEL_LABEL = INITIATIVE_LEVEL_PHRASE



@dataclass
class Context:
    """Everything a check may look at, prepared once per validation run.

    `df` is the nominations frame (Polars) plus helper columns: `_i` (position), `name_key`,
    `birth_year` (float, null when unknown), `birth_date` (ISO text or ''),
    `unit_key` (unit code, else folded unit name), `has_person`, `award_name` and `award_subject` (the
    catalogue's subject of the row's award: ca_nhan, tap_the, both; null for none).
    `known` stacks this year's nominations and the history register (columns
    name_key, birth_year, birth_date, unit_key, subject, award, year, source).
    """

    df: pl.DataFrame
    year: int
    catalog: Catalog
    # one row per (initiative, author): author_key, unit_key, cap, nam, ten_key; None while validation still works
    # them out (see validate._partial_context)
    initiatives: pl.DataFrame
    known: pl.DataFrame  # None while validation still reads the register (see validate._partial_context)
    history: pl.DataFrame | None = None
    history_label: str = ""
    history_years: set[int] = field(default_factory=set)
    initiative_sheets: set[tuple[str, str]] = field(default_factory=set)  # (file, sheet) with a Sáng kiến column
    config_values: dict[str, str] = field(default_factory=dict)
    # disciplines of the run's people (name_key, birth_year, birth_date, unit_key, hinh_thuc, tu_ngay,
    # den_ngay: ISO dates, den_ngay '' when not stated), None when the register has none
    discipline: pl.DataFrame | None = None
    rules: tuple = ()  # the rules of the run (a rule may shape another: discipline_restart)
    history_awards: frozenset | None = None  # the awards of the run's history rules (None: any row may be matched)
    _rows: dict = field(default_factory=dict, repr=False)  # rows_for's selections
    _at: dict = field(default_factory=dict, repr=False)  # positions_for's
    memo: dict = field(default_factory=dict, repr=False)  # what checks derive from the run's data once (see `once`)

    def once(self, key, make):
        """make() the first time `key` is asked for in this run, then the same object: for what several rules
        derive from the same rows (callers never modify it)."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def award_name(self, code) -> str:
        if code is None or (isinstance(code, float) and math.isnan(code)):
            return ""
        a = self.catalog.by_code.get(code)
        return a.name if a else str(code)

    def rows_for(self, rule: Rule) -> pl.DataFrame:
        """The rule's rows (see `proposed`), selected once per awards list and subject (param
        `subject`, for awards open to both: Bằng khen of an individual): callers never modify it.
        Taken (every column) from `positions_for` the first time they are asked for."""
        key = _rows_key(rule)
        if key not in self._rows:
            self._rows[key] = take(self.df, self.positions_for(rule))
        return self._rows[key]

    def positions_for(self, rule: Rule) -> pl.Series:
        """The positions in `df` of the rule's rows (`rows_for`), increasing.

        The first call finds the rows of every rule of the run at once: one query groups the positions by
        (award, subject, name given), and a rule's rows are the groups its selection (`_selection`) takes, told
        apart in Python over the few groups (the 2,500-row master: 18 selections; a filter each in one query cost
        ~2.9 ms of CPU, this ~1.4). A check that reads a few columns of many rows takes those
        (`take(df.select(...), positions)`): taking every column of most rows costs more than its work."""
        key = _rows_key(rule)
        if key not in self._at:
            keys = list(dict.fromkeys([key, *(_rows_key(r) for r in self.rules)]))
            keys = [k for k in keys if k not in self._at]
            groups = self.df.lazy().select("award", "subject", _named=pl.col("ho_ten").ne_missing("")) \
                .with_row_index("_p").group_by("award", "subject", "_named", maintain_order=True).agg("_p").collect()
            at = groups.get_column("_p")
            named = [(k, a, s) for k, (a, s, n) in enumerate(zip(*(groups.get_column(c).to_list()
                                                                   for c in ("award", "subject", "_named"))))
                     if n and a is not None]
            for awards, subject in keys:
                taken = [at[k] for k, a, s in named if ("*" in awards or a in awards) and (not subject or s == subject)]
                self._at[(awards, subject)] = pl.Series("_p", [], dtype=pl.get_index_type()) if not taken \
                    else taken[0] if len(taken) == 1 else pl.concat(taken).sort()
        return self._at[key]

    # --- person matching ------------------------------------------------------------
    def matched(self, left: pl.DataFrame, right: pl.DataFrame) -> set:
        """Positions (`_i`) of left rows whose person or collective appears in right.

        Individuals: same name key and birth year, and full dates equal when both
        are known (a year alone matches a full date of that year); a row without
        any birth year matches the same name in the same unit. Collectives: same
        unit and same name key.
        """
        return _matches(left, right, None).get(None, set())

    def matched_years(self, left: pl.DataFrame, awards, years) -> dict[int, set]:
        """For each of `years` (absent when none), the positions of left rows (rows of `df`) matched by one of
        `awards` that year in `known`: `matched` of each year's `known_awards`."""
        return self.matched_known(left, awards, years, "year")

    def matched_known(self, left: pl.DataFrame, awards, years=None, label: str | None = None,
                      where: pl.Expr | None = None) -> dict:
        """For each value of `known`'s `label` column (None: all under None), the positions of left rows (rows
        of `df`) `matched` by known's rows of one of `awards`, of one of `years` (None: any) and, when given,
        `where` (an expression over known's award, year, source and subject).

        Every row of `df` is matched against every row of `known` once per run (`known_pairs`); a call
        then only picks its pairs, in one query, instead of a matching of its own (~12 small queries)."""
        got = self.matched_frame(left, awards, years, label, where)
        if got is None:
            return {}
        return {lab: set(ids) for lab, ids in zip(got.get_column("_lab").to_list(), got.get_column("_i").to_list())}

    def matched_frame(self, left: pl.DataFrame, awards, years=None, label: str | None = None,
                      where: pl.Expr | None = None) -> pl.DataFrame | None:
        """`matched_known` as a frame: each value of `label` (`_lab`) with the list of positions (`_i`) it matches;
        None when nothing can match. For a check that reads them by Polars (no Python set per value)."""
        if left.is_empty():
            return None
        pairs, covered = self.known_pairs()
        if covered is not None and not covered.issuperset(left.get_column("_i").to_list()):
            right = self.known.filter(pl.col("award").is_in(list(awards)))  # rows no history rule asked for
            if years is not None:
                right = right.filter(pl.col("year").is_in(list(years)))
            hits = _hits(left, right.filter(where) if where is not None else right, label)
            return None if hits is None else hits.group_by("_lab", maintain_order=True).agg(pl.col("_i").unique())
        if pairs.is_empty():
            return None
        # the positions imploded inside the query: `Series.implode` runs a query of its own (~0.1 ms a call)
        sel = pl.col("_i").is_in(pl.lit(left.get_column("_i")).implode()) & pl.col("award").is_in(list(awards))
        if years is not None:
            sel &= pl.col("year").is_in(list(years))
        if where is not None:
            sel &= where
        return pairs.lazy().filter(sel).group_by((pl.col(label) if label else pl.lit(None)).alias("_lab")) \
            .agg(pl.col("_i").unique()).collect()

    def known_pairs(self) -> tuple[pl.DataFrame, set | None]:
        """Every (row of `df`, row of `known`) pair `matched` joins, `_i` and known's award, year, source and
        subject, for the rows proposed for `history_awards` (once per run; `known_pairs_of`), and the positions of
        those rows (None: every row). Validation may work them out beside the checks and hand them in `memo`."""
        return self.once("known_pairs", lambda: known_pairs_of(self.df, self.known, self.history_awards))

    def matched_by(self, left: pl.DataFrame, right: pl.DataFrame, label: str) -> dict:
        """For each value of right's `label` column, the positions of left rows `matched` by right's rows of
        that value: one matching for all of them."""
        return _matches(left, right, label)

    @staticmethod
    def people(left: pl.DataFrame) -> dict[str, frozenset]:
        """The register records `matched` can meet for left rows (or any subset of them).

        Mirrors its joins without the units (the register's units are mapped to this
        year's codes only after loading): an individual with a birth year meets that
        name and year; any individual meets records of its name without a birth year;
        an individual without a birth year, or a collective, meets every record of its name.
        """
        ind = pl.col("subject").ne_missing(TAP_THE)
        born = ind & pl.col("birth_year").is_not_null() & pl.col("birth_year").is_not_nan()
        pairs = left.filter(born)
        return {"pairs": frozenset(zip(pairs.get_column("name_key").to_list(),
                                       pairs.get_column("birth_year").cast(pl.Int64).to_list())),
                "names": frozenset(left.filter(ind).get_column("name_key").to_list()),
                "any_birth": frozenset(left.filter(~born).get_column("name_key").to_list())}

    @staticmethod
    def people_lists(left: pl.DataFrame) -> dict[str, str]:
        """`people` as the JSON lists `history.PeopleLists` binds (each text once, sorted), made in one query."""
        return Context.people_query(left.lazy()).collect().row(0, named=True)

    @staticmethod
    def people_query(left: pl.LazyFrame) -> pl.LazyFrame:
        """The query `people_lists` runs (one row of three texts), for a caller that runs it with others."""
        ind = pl.col("subject").ne_missing(TAP_THE)
        born = ind & pl.col("birth_year").is_not_null() & pl.col("birth_year").is_not_nan()
        # a name key as a JSON string: the one field of an encoded record, its key and braces cut off
        key = pl.struct(k=pl.col("name_key")).struct.json_encode().str.slice(5).str.strip_suffix("}")
        pairs = pl.concat_str(pl.lit("["), key.filter(born), pl.lit(","),
                              pl.col("birth_year").filter(born).cast(pl.Int64).cast(pl.String), pl.lit("]"))

        def listed(texts: pl.Expr) -> pl.Expr:
            # sorted: SQLite then looks the people up in its index's order, each probe near the last one (the
            # 30,000-row bench's 4,827 pairs in the 100,000-row register: the ids' query ~32 -> ~25 ms)
            return pl.concat_str(pl.lit("["), texts.unique().sort().str.join(","), pl.lit("]"))

        return left.select(pairs=listed(pairs), names=listed(key.filter(ind)), any_birth=listed(key.filter(~born)))

    def known_awards(self, awards, years) -> pl.DataFrame:
        return self.known.filter(pl.col("award").is_in(list(awards)) & pl.col("year").is_in(list(years)))

    def config_number(self, key: str | None) -> float | None:
        """A number the master's `Cấu hình` sheet states explicitly (e.g. ty_le_cstdcs)."""
        if not key or key not in self.config_values:
            return None
        text = str(self.config_values[key]).strip().replace(",", ".")
        try:
            value = float(text.rstrip("%").strip())
        except ValueError:
            return None
        return value / 100 if (text.endswith("%") or value > 1) else value


def known_pairs_of(df: pl.DataFrame, known: pl.DataFrame,
                   history_awards: frozenset | None) -> tuple[pl.DataFrame, set | None]:
    """`Context.known_pairs` of a context with these `df`, `known` and `history_awards`."""
    left, covered = df, None
    if history_awards is not None:
        # only the columns the matching reads are filtered (most rows are kept)
        left = df.select("_i", *_MATCHED_COLUMNS, "subject", "award", "ho_ten").filter(proposed(history_awards))
        covered = set(left.get_column("_i").to_list())
    carry = tuple(c for c in ("award", "year", "source", "subject") if c in known.columns)
    # in no order: every reader of the pairs picks sets of positions from them (`matched_frame`, `one_award_a_year`),
    # and sorting ~22,000 pairs was a fifth of the matching's CPU (30,000-row bench: ~20 -> ~16 ms)
    hits = _hits(left, known.select(*_MATCHED_COLUMNS, *carry), None, carry, ordered=False)
    if hits is None:
        return pl.DataFrame(schema={"_i": pl.Int64, **{c: known.schema[c] for c in carry}}), covered
    return hits.select("_i", *carry), covered


def _matches(left: pl.DataFrame, right: pl.DataFrame, label: str | None) -> dict:
    """`Context.matched` for each value of right's `label` column (None: all right rows under None).

    Three joins: individuals on name key and birth year (dates compatible), individuals on name
    key and unit when either side has no birth year, collectives on unit and name key. The labels
    come in the order the rows of left first meet them (left row, then the birth-year join before
    the unit join, then right's order), as the disciplines' messages list them.
    """
    hits = _hits(left, right, label)
    if hits is None:
        return {}
    got = hits.group_by("_lab", maintain_order=True).agg(pl.col("_i").unique())
    return {lab: set(ids) for lab, ids in zip(got.get_column("_lab").to_list(), got.get_column("_i").to_list())}


_MATCHED_COLUMNS = ("name_key", "birth_year", "birth_date", "unit_key")


def _hits(left: pl.DataFrame, right: pl.DataFrame, label: str | None, carry: tuple[str, ...] = (),
          ordered: bool = True):
    """The pairs `_matches` joins (left position `_p`, join `_k`, right position `_q`, left `_i`, label `_lab`
    and right's `carry` columns), in that order (`ordered`; else in any order); None when there are none to look
    for. One query: the three joins as one lazy plan (eager, each of its ~12 steps was a query of its own)."""
    if left.is_empty() or right.is_empty():
        return None
    keys = ("name_key", "birth_year", "birth_date", "unit_key")
    year = pl.col("birth_year")
    has_year = year.is_not_null() & ~year.fill_null(0.0).is_nan()
    shaped = [pl.col(c) for c in keys] + [pl.col("subject").eq_missing(TAP_THE).alias("_coll"), has_year.alias("_year")]
    lf = left.lazy().select(pl.col("_i"), *shaped).with_row_index("_p")
    rf = right.lazy().select(*shaped, (pl.col(label) if label else pl.lit(None)).alias("_lab"), *carry) \
        .with_row_index("_q").filter(pl.col("name_key").is_in(pl.lit(left.get_column("name_key")).unique().implode())
                                     .fill_null(False))
    person_l, person_r = lf.filter(~pl.col("_coll")), rf.filter(~pl.col("_coll"))
    born = person_l.filter(pl.col("_year")).join(person_r.filter(pl.col("_year")), on=["name_key", "birth_year"],
                                                  nulls_equal=True, suffix="_r")
    date, date_r = pl.col("birth_date"), pl.col("birth_date_r")
    born = born.filter(((date == "") | (date_r == "") | (date == date_r)).fill_null(False))
    # either side without a birth year: left's rows without one against every right row, those with one against
    # right's without (two disjoint joins; one join then filtered made every same-name pair of the unit first)
    no_year = ~pl.col("_year")
    unit = pl.concat([person_l.filter(no_year).join(person_r, on=["name_key", "unit_key"], nulls_equal=True,
                                                    suffix="_r"),
                      person_l.filter(pl.col("_year")).join(person_r.filter(no_year), on=["name_key", "unit_key"],
                                                            nulls_equal=True, suffix="_r")])
    groups = lf.filter(pl.col("_coll")).join(rf.filter(pl.col("_coll")), on=["unit_key", "name_key"],
                                             nulls_equal=True)
    got = pl.concat([born.select("_p", pl.lit(0, dtype=pl.Int8).alias("_k"), "_q", "_i", "_lab", *carry),
                     unit.select("_p", pl.lit(1, dtype=pl.Int8).alias("_k"), "_q", "_i", "_lab", *carry),
                     groups.select("_p", pl.lit(0, dtype=pl.Int8).alias("_k"), "_q", "_i", "_lab", *carry)],
                    how="vertical_relaxed")
    got = (got.sort("_p", "_k", "_q") if ordered else got).collect()
    return None if got.is_empty() else got


def _rows_key(rule: Rule) -> tuple:
    return tuple(rule.awards), rule.params.get("subject")


def _selection(awards: tuple, subject, number: tuple | None = None) -> pl.Expr:
    """`proposed(awards)` (and of `subject`); number: (an expression giving each row's award as its position in
    a list of codes, that list) to test the award by, with the name's test as the column `_named` (the same rows)."""
    if number is not None:  # the name's test made once too (`_named`)
        expr, codes = number
        award = pl.col("award").is_not_null() if "*" in awards else \
            expr.is_in([codes.index(a) for a in awards]).fill_null(False)
        sel = award & pl.col("_named")
    else:
        sel = proposed(awards)
    if subject:
        sel &= pl.col("subject").eq_missing(subject)
    return sel


def take(rows: pl.DataFrame, positions) -> pl.DataFrame:
    """The rows at `positions` (increasing; a list or a Series), as `rows.filter` of those rows returns them, by
    position: a `filter` plans and runs a query (~0.2 ms, more on a busy machine), a gather does not."""
    if len(positions) == rows.height:
        return rows
    if not isinstance(positions, pl.Series):
        positions = pl.Series(positions, dtype=pl.get_index_type())
    return rows[positions]


def proposed(awards) -> pl.Expr:
    """Rows with a name proposed for one of `awards` (for any known award when they include "*")."""
    award = pl.col("award").is_not_null() if "*" in awards else pl.col("award").is_in(list(awards)).fill_null(False)
    return award & pl.col("ho_ten").ne_missing("")
