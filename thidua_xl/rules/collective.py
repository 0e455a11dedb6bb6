"""Criteria of collective titles that count the collective's members.

Tập thể lao động tiên tiến needs more than half of its members LĐTT, Tập thể lao động
xuất sắc at least 70% LĐTT, one CSTĐCS and every member completing their tasks. The
counts come from optional columns on the collective's row (`Tổng số thành viên`,
`Số LĐTT`, `Số CSTĐCS`, `Số hoàn thành nhiệm vụ`); when the collective is the unit
itself, LĐTT and CSTĐCS are counted from the unit's own individual nominations. A count
the data cannot give is `NOT_CHECKED`, never a silent pass.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from ..catalog import CA_NHAN, TAP_THE
from ..model import Finding
from ..schema import COLUMN_HEADER
from ..text import fold
from .context import COL_AWARD, COL_NAME, Context
from .emit import emit, not_checked
from .records import Rule

COUNT_LABEL = {c: COLUMN_HEADER[c] for c in ("tong_so_thanh_vien", "so_ldtt", "so_cstdcs", "so_hoan_thanh")}


def _number(v) -> float:
    """A count typed in a cell ("12", 12.0, "12 người"); NaN when there is none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return math.nan
    if isinstance(v, (int, float)):
        return float(v)
    digits = "".join(ch for ch in str(v).split("/")[0] if ch.isdigit())
    return float(digits) if digits else math.nan


def column_numbers(rows: pd.DataFrame, col: str) -> pd.Series:
    """The column as numbers (NaN where empty or absent); each distinct cell parsed once."""
    if col not in rows.columns:
        return pd.Series(math.nan, index=rows.index, dtype=float)
    values = rows[col]
    table = {v: _number(v) for v in values.dropna().unique()}
    return values.map(table).astype(float)


def whole_unit(rows: pd.DataFrame) -> pd.Series:
    """Collective rows that name the unit itself ("Bệnh viện A", "Tập thể Bệnh viện A")."""
    names = rows["ho_ten"].fillna("").astype(str).map(fold)
    units = rows["unit"].fillna("").astype(str).map(fold)
    return pd.Series([bool(u) and (n == u or n.endswith(" " + u)) for n, u in zip(names, units)], index=rows.index)


def counted_from_individuals(ctx: Context, award: str) -> pd.Series:
    """unit_key → number of distinct individuals of the unit proposed for `award` this year."""
    df = ctx.df
    sel = df[(df["award"] == award) & (df["subject"] == CA_NHAN) & (df["ho_ten"] != "")]
    return sel.drop_duplicates(["unit_key", "name_key", "birth_date"]).groupby("unit_key").size()


def member_count(ctx: Context, rows: pd.DataFrame, col: str, award: str | None) -> pd.Series:
    """The count of the column, else (a collective that is the whole unit) the unit's own nominees."""
    got = column_numbers(rows, col)
    if award:
        own = counted_from_individuals(ctx, award)
        fill = whole_unit(rows) & got.isna()
        got[fill] = rows.loc[fill, "unit_key"].map(own).fillna(0).astype(float)
    return got


def _collectives(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The rule's collective rows; a row that is a person (SUBJECT_MISMATCH already) is left out."""
    rows = ctx.rows_for(rule)
    return rows[(rows["subject"] == TAP_THE) & ~rows["has_person"]]


def collective_count(ctx: Context, rule: Rule) -> list[Finding]:
    """A collective's members: `count` of them ≥ `min_count`, and/or count / total ≥ (or >) `min_share`."""
    rows = _collectives(ctx, rule)
    if rows.empty:
        return []
    p = rule.params
    col, total_col = p.get("count_column", "so_ldtt"), p.get("total_column", "tong_so_thanh_vien")
    count = member_count(ctx, rows, col, p.get("count_award"))
    share = p.get("min_share")
    total = column_numbers(rows, total_col) if share is not None else pd.Series(1.0, index=rows.index)
    missing = count.isna() | total.isna() | (total <= 0)
    wanted = ", ".join(COUNT_LABEL.get(c, c) for c in ([col] + ([total_col] if share is not None else [])))
    out = not_checked(ctx, rule, rows[missing],
                      f"thiếu số liệu “{wanted}” trên dòng của tập thể (thêm các cột này vào bảng đề nghị)")
    ok_rows = rows[~missing]
    c, t = count[~missing], total[~missing]
    bad = pd.Series(False, index=ok_rows.index)
    if p.get("min_count") is not None:
        bad |= c < float(p["min_count"])
    if share is not None:
        ratio = c / t
        bad |= (ratio <= float(share) + 1e-12) if p.get("strict") else (ratio < float(share) - 1e-12)
    fail = ok_rows[bad].copy()
    if fail.empty:
        return out
    fail["count"] = c[bad].astype(int)
    fail["total"] = t[bad].astype(int)
    fail["share_pct"] = [f"{x * 100:.0f}%" for x in (c[bad] / t[bad])]
    return out + emit(ctx, rule, fail, COL_AWARD)


def collective_discipline(ctx: Context, rule: Rule) -> list[Finding]:
    """No member disciplined (from cảnh cáo up): the collective row's `Kỷ luật` cell says none.

    A number > 0 or any text naming more than the `ignore` words is a hit ("01 khiển trách"
    names only khiển trách, "01 cảnh cáo" more); an empty or absent cell is `NOT_CHECKED`.
    """
    rows = _collectives(ctx, rule)
    if rows.empty:
        return []
    col = rule.params.get("column", "ky_luat")
    label = rule.params.get("label", "Kỷ luật")
    texts = rows[col].fillna("").astype(str).str.strip() if col in rows.columns else \
        pd.Series("", index=rows.index)
    blank = texts == ""
    out = not_checked(ctx, rule, rows[blank], f"ô “{label}” của tập thể để trống hoặc bảng không có cột này "
                                              f"(ghi “0” hoặc “Không” khi không có ai bị kỷ luật)")
    ignore = {fold(w) for w in rule.params.get("ignore", [])}
    named = {v: _only_ignored(v, ignore) for v in texts[~blank].unique()}
    numbers = column_numbers(rows[~blank], col)
    hit = ~texts[~blank].map(named).astype(bool) & ~(numbers == 0)
    bad = rows[~blank][hit].copy()
    bad["value"] = texts[bad.index]
    return out + emit(ctx, rule, bad, label)


_PARTS = re.compile(r"[,;+\n/]| va ")
_FILLER = re.compile(r"\b(\d+|nguoi|ca nhan|truong hop|bi|ky luat|hinh thuc)\b")


def _only_ignored(text: str, ignore: set[str]) -> bool:
    """The cell names only what does not count ("Không", "01 khiển trách", "2 người khiển trách")."""
    parts = [" ".join(_FILLER.sub(" ", p).split()) for p in _PARTS.split(fold(text))]
    parts = [p for p in parts if p]
    return fold(text) in ignore or (bool(parts) and all(p in ignore for p in parts))


__all__ = ["COL_NAME", "collective_count", "collective_discipline", "column_numbers", "whole_unit"]
