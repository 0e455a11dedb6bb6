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
from dataclasses import replace

import pandas as pd

from ..catalog import CA_NHAN, TAP_THE
from ..model import WARNING, Finding
from ..schema import COLUMN_HEADER
from ..text import fold
from .context import COL_AWARD, COL_NAME, NOT_CHECKED, Context
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
    """unit_key → number of distinct individuals of the unit proposed for `award` this year (once per run)."""
    def count() -> pd.Series:
        df = ctx.df
        keys = ["unit_key", "name_key", "birth_date"]
        sel = df.loc[(df["award"] == award) & (df["subject"] == CA_NHAN) & (df["ho_ten"] != ""), keys]
        return sel.drop_duplicates(keys).groupby("unit_key").size()

    return ctx.once(("counted_from_individuals", award), count)


def member_count(ctx: Context, rows: pd.DataFrame, col: str, award: str | None) -> pd.Series:
    """The count of the column, else (a collective that is the whole unit) the unit's own nominees."""
    got = column_numbers(rows, col)
    if award:
        own = counted_from_individuals(ctx, award)
        fill = whole_unit(rows) & got.isna()
        got[fill] = rows.loc[fill, "unit_key"].map(own).fillna(0).astype(float)
    return got


def _collectives(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The rule's collective rows; a row that is a person (SUBJECT_MISMATCH already) is left out (selected once
    per awards list and subject: the collective rules look at each other's rows)."""
    def select() -> pd.DataFrame:
        rows = ctx.rows_for(rule)
        return rows[(rows["subject"] == TAP_THE) & ~rows["has_person"]]

    return ctx.once(("collectives", tuple(rule.awards), rule.params.get("subject")), select)


def _count_gaps(ctx: Context, rule: Rule, rows: pd.DataFrame):
    """(count, total, gaps): the counts of the rule's columns and, per row, the labels of the
    counts the data lacks ('' when the row can be judged)."""
    p = rule.params
    col, total_col = p.get("count_column", "so_ldtt"), p.get("total_column", "tong_so_thanh_vien")
    count = member_count(ctx, rows, col, p.get("count_award"))
    share = p.get("min_share")
    total = column_numbers(rows, total_col) if share is not None else pd.Series(1.0, index=rows.index)
    no_count, no_total = count.isna(), total.isna() | (total <= 0)
    label, total_label = COUNT_LABEL.get(col, col), COUNT_LABEL.get(total_col, total_col)
    gaps = pd.Series([", ".join(([label] if a else []) + ([total_label] if b else []))
                      for a, b in zip(no_count.tolist(), no_total.tolist())], index=rows.index, dtype=object)
    return count, total, gaps


def collective_count(ctx: Context, rule: Rule) -> list[Finding]:
    """A collective's members: `count` of them ≥ `min_count`, and/or count / total ≥ (or >) `min_share`."""
    rows = _collectives(ctx, rule)
    if rows.empty:
        return []
    p = rule.params
    col, total_col = p.get("count_column", "so_ldtt"), p.get("total_column", "tong_so_thanh_vien")
    share = p.get("min_share")
    count, total, gaps = _judged(ctx, rule)  # rows are all the rule's collectives
    missing = gaps != ""
    wanted = ", ".join(COUNT_LABEL.get(c, c) for c in ([col] + ([total_col] if share is not None else [])))
    out = _gap_findings(ctx, rule, rows[missing],
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


def _discipline_texts(rule: Rule, rows: pd.DataFrame) -> pd.Series:
    col = rule.params.get("column", "ky_luat")
    if col not in rows.columns:
        return pd.Series("", index=rows.index)
    return rows[col].fillna("").astype(str).str.strip()


def _discipline_gaps(ctx: Context, rule: Rule, rows: pd.DataFrame) -> pd.Series:
    label = rule.params.get("label", "Kỷ luật")
    return _discipline_texts(rule, rows).map(lambda t: "" if t else label).astype(object)


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
    texts = _discipline_texts(rule, rows)
    blank = texts == ""
    out = _gap_findings(ctx, rule, rows[blank], f"ô “{label}” của tập thể để trống hoặc bảng không có cột này "
                                                f"(ghi “0” hoặc “Không” khi không có ai bị kỷ luật)")
    ignore = {fold(w) for w in rule.params.get("ignore", [])}
    named = {v: _only_ignored(v, ignore) for v in texts[~blank].unique()}
    numbers = column_numbers(rows[~blank], col)
    hit = ~texts[~blank].map(named).astype(bool) & ~(numbers == 0)
    bad = rows[~blank][hit].copy()
    bad["value"] = texts[bad.index]
    return out + emit(ctx, rule, bad, label)


# --- one NOT_CHECKED per collective row ------------------------------------------------------
def _judged(ctx: Context, rule: Rule):
    """`_count_gaps` (collective_count) or (None, None, `_discipline_gaps`) over all the rule's collective
    rows, once per run: each row's values depend on that row alone, and the collective rules look at
    each other's rows."""
    def judge():
        rows = _collectives(ctx, rule)
        if rule.kind == "collective_count":
            return _count_gaps(ctx, rule, rows)
        return None, None, _discipline_gaps(ctx, rule, rows)

    return ctx.once(("judged", rule.id, rule.kind, tuple(rule.awards), repr(rule.params)), judge)


def _gaps(ctx: Context, rule: Rule, rows: pd.DataFrame) -> pd.Series:
    """Per row of `rows` (some of the rule's collective rows), what the rule lacks ('' when it can judge the row)."""
    return _judged(ctx, rule)[2].loc[rows.index]


def _short_title(rule: Rule) -> str:
    """'TTLĐXS: ít nhất 70% …' → 'ít nhất 70% …' (the award is named once in the message)."""
    title = rule.title or rule.id
    return title.split(": ", 1)[1] if ": " in title else title


def _gap_findings(ctx: Context, rule: Rule, rows: pd.DataFrame, reason: str) -> list[Finding]:
    """The rows `rule` cannot judge, reported once per row for all the collective rules that lack data there.

    The first such rule of the run (in rule order) reports the row, naming every rule in the
    message and in the finding's `rules`; the others leave it. A row only this rule cannot
    judge gets the plain `NOT_CHECKED` of `emit.not_checked`.
    """
    if rows.empty:
        return []
    order = [r for r in ctx.rules if r.kind in GAP_KINDS]
    if rule.id not in {r.id for r in order}:
        order = [rule] + order
    lacking: dict[str, pd.Series] = {}  # rule id → the rows' gap text ('' or NaN: judged or not its row)
    for other in order:
        if other.id == rule.id:
            lacking[rule.id] = _gaps(ctx, rule, rows)
            continue
        theirs = _collectives(ctx, other)
        common = rows.index.intersection(theirs.index)
        gap = pd.Series("", index=rows.index, dtype=object)
        if len(common):
            gap[common] = _gaps(ctx, other, theirs.loc[common])
        lacking[other.id] = gap
    by_id = {r.id: r for r in order}
    # the gap texts as lists in the order of rows (each Series is indexed by rows' own index)
    texts = {i: (s.tolist() if s.index.equals(rows.index) else [s[idx] for idx in rows.index])
             for i, s in lacking.items()}
    labels = rows.index.tolist()
    out: list[Finding] = []
    groups: dict[tuple, list] = {}  # the rules lacking data → positions of the rows
    for k in range(len(labels)):
        ids = tuple(i for i in lacking if texts[i][k])
        if ids[0] == rule.id:  # a row an earlier rule of the run already reported is left to it
            groups.setdefault(ids, []).append(k)
    for ids, ks in groups.items():
        idxs = [labels[k] for k in ks]
        if len(ids) == 1:
            out += not_checked(ctx, rule, rows.loc[idxs], reason)
            continue
        sel = rows.loc[idxs].copy()
        sel["detail"] = ["; ".join(f"{_short_title(by_id[i])} (thiếu “{texts[i][k]}”, quy định {i})"
                                   for i in ids) for k in ks]
        out += _merged(ctx, [by_id[i] for i in ids], sel)
    return out


def _merged(ctx: Context, rules: list[Rule], rows: pd.DataFrame) -> list[Finding]:
    refs = list(dict.fromkeys(r.legal_ref for r in rules if r.legal_ref))
    msg = (f"Không kiểm tra được {len(rules)} tiêu chuẩn của {{award_name}} năm {{year}} cho “{{ho_ten}}”: "
           f"{{detail}}. Hãy ghi các số liệu này trên dòng của tập thể (ô “Kỷ luật”: “0” hoặc “Không” khi "
           f"không có ai bị kỷ luật), hoặc kiểm tra thủ công.")
    stand_in = replace(rules[0], id=", ".join(r.id for r in rules), legal_ref="; ".join(refs) or None,
                       message=msg, verified=all(r.verified for r in rules))
    ids = tuple(r.id for r in rules)
    return [replace(f, rule=ids[0], rules=ids)
            for f in emit(ctx, stand_in, rows, COL_AWARD, code=NOT_CHECKED, severity=WARNING)]


GAP_KINDS = ("collective_count", "collective_discipline")


_PARTS = re.compile(r"[,;+\n/]| va ")
_FILLER = re.compile(r"\b(\d+|nguoi|ca nhan|truong hop|bi|ky luat|hinh thuc)\b")


def _only_ignored(text: str, ignore: set[str]) -> bool:
    """The cell names only what does not count ("Không", "01 khiển trách", "2 người khiển trách")."""
    parts = [" ".join(_FILLER.sub(" ", p).split()) for p in _PARTS.split(fold(text))]
    parts = [p for p in parts if p]
    return fold(text) in ignore or (bool(parts) and all(p in ignore for p in parts))


__all__ = ["COL_NAME", "collective_count", "collective_discipline", "column_numbers", "whole_unit"]
