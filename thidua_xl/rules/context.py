"""The validation context: the year's nominations with their helper columns, the awards
already known (this year's and the register's, handed in as plain frames by the caller) and
the person matching every history check shares.

Nothing here reads storage: the caller builds the frames (see `validate.build_context`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

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

    `df` is the nominations frame plus helper columns: `_i` (position), `name_key`,
    `birth_year` (float, NaN when unknown), `birth_date` (ISO text or ''),
    `unit_key` (unit code, else folded unit name) and `has_person`.
    `known` stacks this year's nominations and the history register (columns
    name_key, birth_year, birth_date, unit_key, subject, award, year, source).
    """

    df: pd.DataFrame
    year: int
    catalog: Catalog
    initiatives: pd.DataFrame  # one row per (initiative, author): author_key, unit_key, cap, nam, ten_key
    known: pd.DataFrame
    history: pd.DataFrame | None = None
    history_label: str = ""
    history_years: set[int] = field(default_factory=set)
    initiative_sheets: set[tuple[str, str]] = field(default_factory=set)  # (file, sheet) with a Sáng kiến column
    config_values: dict[str, str] = field(default_factory=dict)
    # disciplines of the run's people (name_key, birth_year, birth_date, unit_key, hinh_thuc, tu_ngay,
    # den_ngay: ISO dates, den_ngay '' when not stated), None when the register has none
    discipline: pd.DataFrame | None = None
    rules: tuple = ()  # the rules of the run (a rule may shape another: discipline_restart)
    _rows: dict = field(default_factory=dict, repr=False)  # rows_for's selections
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

    def rows_for(self, rule: Rule) -> pd.DataFrame:
        """The rule's rows (see `proposed`), selected once per awards list and subject (param
        `subject`, for awards open to both: Bằng khen of an individual): callers never modify it."""
        subject = rule.params.get("subject")
        key = (tuple(rule.awards), subject)
        if key not in self._rows:
            sel = proposed(self.df, rule.awards, named=self.once("named", lambda: self.df["ho_ten"] != ""))
            if subject:
                sel &= self.df["subject"] == subject
            self._rows[key] = self.df[sel]
        return self._rows[key]

    # --- person matching ------------------------------------------------------------
    def matched(self, left: pd.DataFrame, right: pd.DataFrame) -> set:
        """Positions (`_i`) of left rows whose person or collective appears in right.

        Individuals: same name key and birth year, and full dates equal when both
        are known (a year alone matches a full date of that year); a row without
        any birth year matches the same name in the same unit. Collectives: same
        unit and same name key.
        """
        return _matches(left, right, None).get(None, set())

    def matched_years(self, left: pd.DataFrame, awards, years) -> dict[int, set]:
        """For each of `years` (absent when none), the positions of left rows matched by one of `awards`
        that year in `known`: one pass over all the years instead of one `matched` per year."""
        return _matches(left, self.known_awards(awards, years), "year")

    @staticmethod
    def people(left: pd.DataFrame) -> dict[str, frozenset]:
        """The register records `matched` can meet for left rows (or any subset of them).

        Mirrors its joins without the units (the register's units are mapped to this
        year's codes only after loading): an individual with a birth year meets that
        name and year; any individual meets records of its name without a birth year;
        an individual without a birth year, or a collective, meets every record of its name.
        """
        ind = (left["subject"] != TAP_THE).to_numpy()
        born = left["birth_year"].notna().to_numpy()
        keys = left["name_key"].to_numpy()
        years = left["birth_year"].to_numpy()
        return {"pairs": frozenset(zip(keys[ind & born].tolist(), years[ind & born].astype(int).tolist())),
                "names": frozenset(keys[ind].tolist()), "any_birth": frozenset(keys[~(ind & born)].tolist())}

    def known_awards(self, awards, years) -> pd.DataFrame:
        k = self.known
        return k[k["award"].isin(list(awards)) & k["year"].isin(list(years))]

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


def _matches(left: pd.DataFrame, right: pd.DataFrame, label: str | None) -> dict:
    """`Context.matched` for each value of right's `label` column (None: all right rows under None).

    Every join is on the name key, so right is first narrowed to left's names; the
    joins then run as dict look-ups over the few records left (left rows come from
    `Context.df`, whose keys and dates are never missing).
    """
    if left.empty or right.empty:
        return {}
    right = right[right["name_key"].isin(set(left["name_key"].tolist()))]
    labels = right[label].tolist() if label else [None] * len(right)
    born: dict[tuple, list] = {}     # (name, birth year) → [(birth date, label)]
    by_unit: dict[tuple, list] = {}  # (name, unit) → [(no birth year, label)]
    groups: dict[tuple, list] = {}   # collectives: (unit, name) → [label]
    for name, year, date, unit, subj, lab in zip(
            right["name_key"].tolist(), right["birth_year"].astype(float).tolist(), right["birth_date"].tolist(),
            right["unit_key"].tolist(), right["subject"].tolist(), labels):
        if subj == TAP_THE:
            groups.setdefault((unit, name), []).append(lab)
            continue
        if year == year:  # not NaN
            born.setdefault((name, year), []).append((date, lab))
        by_unit.setdefault((name, unit), []).append((year != year, lab))
    hits: dict = {}
    for i, name, year, date, unit, subj in zip(
            left["_i"].tolist(), left["name_key"].tolist(), left["birth_year"].tolist(), left["birth_date"].tolist(),
            left["unit_key"].tolist(), left["subject"].tolist()):
        if subj == TAP_THE:
            for lab in groups.get((unit, name), ()):
                hits.setdefault(lab, set()).add(i)
            continue
        has_year = year == year
        if has_year:
            for d, lab in born.get((name, year), ()):
                if date == "" or d == "" or date == d:
                    hits.setdefault(lab, set()).add(i)
        for unborn, lab in by_unit.get((name, unit), ()):
            if unborn or not has_year:
                hits.setdefault(lab, set()).add(i)
    return hits


def proposed(df: pd.DataFrame, awards, named: pd.Series | None = None) -> pd.Series:
    """Rows with a name proposed for one of `awards` (for any known award when they include "*");
    named: `df["ho_ten"] != ""` when the caller has it already."""
    award = df["award"].notna() if "*" in awards else df["award"].isin(list(awards))
    return award & (df["ho_ten"] != "" if named is None else named)

