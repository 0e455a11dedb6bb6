"""Consolidation: totals by award × tập thể/cá nhân × unit, and the per-award lists.

Every row with a recognised award and subject is counted once, whatever other
findings touch it: the totals say what the units proposed, the findings say what
is wrong with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .catalog import CA_NHAN, TAP_THE, Catalog, load_catalog
from .text import clean, date_text, name_sort_key, sort_key

SUBJECTS = (TAP_THE, CA_NHAN)
INITIATIVE_KINDS = ("sang_kien", "de_tai")
INITIATIVE_LEVELS = ("co_so", "tinh", "bo", "toan_quoc")


@dataclass
class Consolidation:
    year: int
    counts: pd.DataFrame  # unit_code, unit, award, subject, n
    lists: dict[str, pd.DataFrame]  # award code -> nominees sorted the Vietnamese way
    initiatives: dict[str, dict[str, int]]
    rows: int
    files: int
    units: list[tuple[str, str]] = field(default_factory=list)  # (code, name) in display order

    def total(self, award: str, subject: str | None = None) -> int:
        c = self.counts
        sel = c["award"] == award
        if subject:
            sel &= c["subject"] == subject
        return int(c.loc[sel, "n"].sum())

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        per = _award_subject_counts(self.counts, ())
        return {code: per[code] for code in _ordered_codes(per)}

    @property
    def by_unit(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per unit (named as the master lists it), its awards in catalogue order: one pass over the counts."""
        by_code = _award_subject_counts(self.counts, ("unit_code",))
        by_name = _award_subject_counts(self.counts, ("unit",))
        out: dict[str, dict[str, dict[str, int]]] = {}
        for code, name in self.units:
            per = by_code.get(code) if code else by_name.get(name)
            if per:
                out[name] = {award: per[award] for award in _ordered_codes(per)}
        return out

    def to_json(self) -> dict:
        return {"year": self.year, "totals": self.totals, "by_unit": self.by_unit,
                "initiatives": self.initiatives, "rows": self.rows, "files": self.files}


def _award_subject_counts(counts: pd.DataFrame, keys: tuple[str, ...]) -> dict:
    """{award: {subject: n}} summed over the counts, nested under each value of `keys` when given."""
    columns = [counts[k].tolist() for k in (*keys, "award", "subject", "n")]
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


def _nominee_order(df: pd.DataFrame, first: np.ndarray | None = None) -> list[int]:
    """Positions of df's rows in list order (ties: unit, then the order read); with `first`
    (one integer per row), rows are grouped by it before that order.

    Each distinct name is keyed and ranked once; the rows are then ordered by
    (rank, unit, position) with numpy's stable lexsort instead of comparing tuples.
    """
    pairs = list(zip(df["ho_ten"].tolist(), df["subject"].tolist()))
    keys = {p: (0, sort_key(p[0])) if p[1] == TAP_THE else (1, name_sort_key(p[0])) for p in dict.fromkeys(pairs)}
    rank: dict = {}
    previous, r = None, -1
    for p in sorted(keys, key=keys.__getitem__):
        if keys[p] != previous:
            previous, r = keys[p], r + 1
        rank[p] = r
    name_rank = np.fromiter(map(rank.__getitem__, pairs), dtype=np.int64, count=len(pairs))
    _units, unit_rank = np.unique(np.array(df["unit"].fillna("").tolist(), dtype=object), return_inverse=True)
    keys = (np.arange(len(pairs)), unit_rank.reshape(-1), name_rank) + ((first,) if first is not None else ())
    return np.lexsort(keys).tolist()


def unit_order(nominations: pd.DataFrame, units: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """Units as the master lists them, then any others by name (Vietnamese order).

    Sorting the others makes the output independent of the order files were named in.
    """
    seen: list[tuple[str, str]] = []
    if units is not None and not units.empty:
        seen += [(c, n) for c, n in zip(units["unit_code"], units["unit"])]
    keys = {c or n for c, n in seen}
    others: dict[str, tuple[str, str]] = {}
    for c, n in dict.fromkeys(zip(nominations["unit_code"].tolist(), nominations["unit"].tolist())):
        if (c or n) not in keys:
            others.setdefault(c or n, (c, n))
    return seen + sorted(others.values(), key=lambda cn: (sort_key(cn[1]), cn[0]))


def count_initiatives(initiatives: pd.DataFrame, year: int | None) -> dict[str, dict[str, int]]:
    """Initiatives of the year (or with no year given) by loại × cấp công nhận."""
    out: dict[str, dict[str, int]] = {}
    if initiatives is None or initiatives.empty:
        return out
    df = initiatives
    if year is not None and "nam" in df:
        df = df[df["nam"].isna() | (df["nam"] == year)]
    grouped = df.groupby(["loai", "cap"]).size()
    for kind in INITIATIVE_KINDS:
        levels = {lvl: int(grouped.get((kind, lvl), 0)) for lvl in INITIATIVE_LEVELS if grouped.get((kind, lvl), 0)}
        if levels:
            out[kind] = levels
    return out


def consolidate(nominations: pd.DataFrame, initiatives: pd.DataFrame | None, year: int, *,
                files: int = 0, units: pd.DataFrame | None = None,
                catalog: Catalog | None = None) -> Consolidation:
    catalog = catalog or load_catalog()
    counted = nominations[nominations["award"].notna() & nominations["subject"].notna()]
    counts = (counted.groupby(["unit_code", "unit", "award", "subject"], dropna=False).size()
              .rename("n").reset_index())
    # one sort for every list, awards in catalogue order first (keys computed once per name), then
    # each award's list is a slice of the sorted rows instead of a filter of them all
    codes = _ordered_codes(counted["award"].unique())
    lists = {}
    if len(counted):
        rank = {c: i for i, c in enumerate(codes)}
        award_rank = counted["award"].map(rank).fillna(len(codes)).to_numpy(dtype=np.int64)
        order = _nominee_order(counted, award_rank)
        ordered = counted.iloc[order]
        bounds = np.searchsorted(award_rank[order], np.arange(len(codes) + 1))
        lists = {code: ordered.iloc[bounds[i]:bounds[i + 1]].reset_index(drop=True) for i, code in enumerate(codes)}
    return Consolidation(year=year, counts=counts, lists=lists,
                         initiatives=count_initiatives(initiatives, year),
                         rows=len(counted), files=files, units=unit_order(counted, units))


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
    if row.get("ngay_sinh") is not None and not pd.isna(row.get("ngay_sinh")):
        return date_text(row["ngay_sinh"])
    return clean(row.get("ngay_sinh_raw") or "")
