"""Criteria of collective titles that count the collective's members.

Tập thể lao động tiên tiến needs more than half of its members LĐTT, Tập thể lao động
xuất sắc at least 70% LĐTT, one CSTĐCS and every member completing their tasks. The
counts come from optional columns on the collective's row (`Tổng số thành viên`,
`Số LĐTT`, `Số CSTĐCS`, `Số hoàn thành nhiệm vụ`); when the collective is the unit
itself, LĐTT and CSTĐCS are counted from the unit's own individual nominations. A count
the data cannot give is `NOT_CHECKED`, never a silent pass.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace

import polars as pl

from ..catalog import CA_NHAN, TAP_THE
from ..model import WARNING, Finding
from ..schema import COLUMN_HEADER
from ..text import fold
from .context import COL_AWARD, COL_NAME, NOT_CHECKED, Context, take
from .emit import cell_texts, emit, not_checked, where
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


def column_numbers(rows: pl.DataFrame, col: str) -> list[float]:
    """The column as numbers (NaN where empty or absent); each distinct cell parsed once."""
    if col not in rows.columns:
        return [math.nan] * rows.height
    values = rows.get_column(col).to_list()
    table = {v: _number(v) for v in dict.fromkeys(values)}
    return [table[v] for v in values]


def _folded(values: list) -> list[str]:
    table = {v: fold("" if v is None else str(v)) for v in dict.fromkeys(values)}
    return [table[v] for v in values]


def whole_unit(rows: pl.DataFrame) -> list[bool]:
    """Collective rows that name the unit itself ("Bệnh viện A", "Tập thể Bệnh viện A")."""
    names, units = rows.get_column("ho_ten"), rows.get_column("unit")
    if names.dtype == pl.String and units.dtype == pl.String and rows.height >= MANY_COLLECTIVES:
        # each distinct text folded once and spread back, compared by Polars: no Python string per row
        n, u = _folded_series(names), _folded_series(units)
        return pl.select((u != "") & ((n == u) | n.str.ends_with(pl.lit(" ") + u))).to_series().to_list()
    return _whole_unit_rows(rows)


MANY_COLLECTIVES = 2000
"""From this many rows `whole_unit` compares by Polars (120,000 rows' 6,714 TTLĐTT rows: ~3.5 -> ~1.4 ms); fewer cost
as little either way."""


def _folded_series(texts: pl.Series) -> pl.Series:
    """fold() of each text (a missing one as ''), each distinct text folded once."""
    texts = texts.fill_null("") if texts.null_count() else texts
    distinct = texts.unique()
    return texts.replace_strict(distinct, pl.Series([fold(v) for v in distinct.to_list()], dtype=pl.String),
                                return_dtype=pl.String)


def _whole_unit_rows(rows: pl.DataFrame) -> list[bool]:
    """`whole_unit` row by row."""
    names = _folded(rows.get_column("ho_ten").to_list())
    units = _folded(rows.get_column("unit").to_list())
    return [bool(u) and (n == u or n.endswith(" " + u)) for n, u in zip(names, units)]


def _whole_unit_at(ctx: Context, rows: pl.DataFrame) -> list[bool]:
    """`whole_unit` of rows of `ctx.df`, each row's answer kept for the run by its position (`_i`): the collective
    rules of one award look at the same rows."""
    seen: dict = ctx.once("whole_unit", dict)
    ids = rows.get_column("_i").to_list()
    new = [k for k, i in enumerate(ids) if i not in seen]
    if new:
        seen.update(zip((ids[k] for k in new), whole_unit(take(rows, new))))
    return [seen[i] for i in ids]


def counted_from_individuals(ctx: Context, award: str) -> dict[str, int]:
    """unit_key → number of distinct individuals of the unit proposed for `award` this year (once per run: every
    award a collective rule of the run counts by, in one query, the first time any is asked for)."""
    def count() -> dict[str, dict[str, int]]:
        awards = sorted({award} | {r.params["count_award"] for r in ctx.rules
                                   if r.kind == "collective_count" and r.params.get("count_award")})
        # one lazy query: only the columns read are filtered (an eager filter took all ~50 of every row)
        got = ctx.df.lazy().filter(pl.col("award").is_in(awards).fill_null(False)
                                   & pl.col("subject").eq_missing(CA_NHAN) & pl.col("ho_ten").ne_missing("")) \
            .select("award", "unit_key", "name_key", "birth_date").unique().drop_nulls("unit_key") \
            .group_by("award", "unit_key").len().collect()
        out: dict[str, dict[str, int]] = {a: {} for a in awards}
        for a, unit, n in zip(*(got.get_column(c).to_list() for c in ("award", "unit_key", "len"))):
            out[a][unit] = n
        return out

    counted = ctx.once("counted_from_individuals", count)
    if award not in counted:  # an award no rule of the run named (a caller's own)
        counted.update(ctx.once(("counted_from_individuals", award), count))
    return counted[award]


def member_count(ctx: Context, rows: pl.DataFrame, col: str, award: str | None) -> list[float]:
    """The count of the column, else (a collective that is the whole unit) the unit's own nominees: the unit's
    nominees are counted, and the rows' names compared with their unit's, only where the column gives none."""
    got = column_numbers(rows, col)
    if award:
        empty = [k for k, n in enumerate(got) if n != n]
        if not empty:
            return got
        whole = [k for k, w in zip(empty, _whole_unit_at(ctx, take(rows.select("_i", "ho_ten", "unit"), empty))) if w]
        if whole:
            own = counted_from_individuals(ctx, award)
            units = rows.get_column("unit_key").to_list()
            for k in whole:
                got[k] = float(own.get(units[k], 0))
    return got


def _collectives(ctx: Context, rule: Rule) -> pl.DataFrame:
    """The rule's collective rows; a row that is a person (SUBJECT_MISMATCH already) is left out (selected once
    per awards list and subject: the collective rules look at each other's rows)."""
    def select() -> pl.DataFrame:
        return ctx.rows_for(rule).filter(pl.col("subject").eq_missing(TAP_THE) & ~pl.col("has_person"))

    return ctx.once(("collectives", tuple(rule.awards), rule.params.get("subject")), select)


def _count_gaps(ctx: Context, rule: Rule, rows: pl.DataFrame):
    """(count, total, gaps) as lists along rows: the counts of the rule's columns and, per row, the labels
    of the counts the data lacks ('' when the row can be judged)."""
    p = rule.params
    col, total_col = p.get("count_column", "so_ldtt"), p.get("total_column", "tong_so_thanh_vien")
    count = member_count(ctx, rows, col, p.get("count_award"))
    share = p.get("min_share")
    total = column_numbers(rows, total_col) if share is not None else [1.0] * rows.height
    label, total_label = COUNT_LABEL.get(col, col), COUNT_LABEL.get(total_col, total_col)
    # a row's gap text follows from two tests: the four texts written once
    texts = {(a, b): ", ".join(([label] if a else []) + ([total_label] if b else []))
             for a in (False, True) for b in (False, True)}
    gaps = [texts[c != c, t != t or t <= 0] for c, t in zip(count, total)]
    return count, total, gaps


def collective_count(ctx: Context, rule: Rule) -> list[Finding]:
    """A collective's members: `count` of them ≥ `min_count`, and/or count / total ≥ (or >) `min_share`."""
    rows = _collectives(ctx, rule)
    if rows.is_empty():
        return []
    p = rule.params
    col, total_col = p.get("count_column", "so_ldtt"), p.get("total_column", "tong_so_thanh_vien")
    share = p.get("min_share")
    count, total, gaps, _by_i = _judged(ctx, rule)  # rows are all the rule's collectives
    missing = [g != "" for g in gaps]
    wanted = ", ".join(COUNT_LABEL.get(c, c) for c in ([col] + ([total_col] if share is not None else [])))
    out = _gap_findings(ctx, rule, where(rows, missing),
                        f"thiếu số liệu “{wanted}” trên dòng của tập thể (thêm các cột này vào bảng đề nghị)")
    # a row judged (count and a total > 0 known) is short of `min_count` or of the share; the params read once
    least = float(p["min_count"]) if p.get("min_count") is not None else None
    top = (float(share) + 1e-12 if p.get("strict") else float(share) - 1e-12) if share is not None else None
    strict = bool(p.get("strict"))
    bad = [not m and ((least is not None and c < least)
                      or (top is not None and ((c / t <= top) if strict else (c / t < top))))
           for c, t, m in zip(count, total, missing)]
    if not any(bad):
        return out
    fail = where(rows, bad).with_columns(
        count=pl.Series([int(c) for c, b in zip(count, bad) if b], dtype=pl.Int64),
        total=pl.Series([int(t) for t, b in zip(total, bad) if b], dtype=pl.Int64),
        share_pct=pl.Series([f"{c / t * 100:.0f}%" for c, t, b in zip(count, total, bad) if b], dtype=pl.String))
    return out + emit(ctx, rule, fail, COL_AWARD)


def _discipline_texts(rule: Rule, rows: pl.DataFrame) -> list[str]:
    return [t.strip() for t in cell_texts(rows, rule.params.get("column", "ky_luat"))]


def _discipline_gaps(ctx: Context, rule: Rule, rows: pl.DataFrame) -> list[str]:
    label = rule.params.get("label", "Kỷ luật")
    return ["" if t else label for t in _discipline_texts(rule, rows)]


def collective_discipline(ctx: Context, rule: Rule) -> list[Finding]:
    """No member disciplined (from cảnh cáo up): the collective row's `Kỷ luật` cell says none.

    A number > 0 or any text naming more than the `ignore` words is a hit ("01 khiển trách"
    names only khiển trách, "01 cảnh cáo" more); an empty or absent cell is `NOT_CHECKED`.
    """
    rows = _collectives(ctx, rule)
    if rows.is_empty():
        return []
    col = rule.params.get("column", "ky_luat")
    label = rule.params.get("label", "Kỷ luật")
    texts = _discipline_texts(rule, rows)
    blank = [t == "" for t in texts]
    out = _gap_findings(ctx, rule, where(rows, blank), f"ô “{label}” của tập thể để trống hoặc bảng không có cột này "
                                                       f"(ghi “0” hoặc “Không” khi không có ai bị kỷ luật)")
    ignore = {fold(w) for w in rule.params.get("ignore", [])}
    filled = where(rows, [not b for b in blank])
    filled_texts = [t for t, b in zip(texts, blank) if not b]
    named = {v: _only_ignored(v, ignore) for v in dict.fromkeys(filled_texts)}
    numbers = column_numbers(filled, col)
    hit = [not named[t] and not (n == 0) for t, n in zip(filled_texts, numbers)]
    bad = where(filled, hit).with_columns(value=pl.Series([t for t, h in zip(filled_texts, hit) if h],
                                                           dtype=pl.String))
    return out + emit(ctx, rule, bad, label)


# --- one NOT_CHECKED per collective row ------------------------------------------------------
def _judged(ctx: Context, rule: Rule):
    """(count, total, gaps, gap by `_i`): `_count_gaps` (collective_count) or (None, None, `_discipline_gaps`)
    over all the rule's collective rows, once per run: each row's values depend on that row alone, and the
    collective rules look at each other's rows."""
    def judge():
        rows = _collectives(ctx, rule)
        if rule.kind == "collective_count":
            count, total, gaps = _count_gaps(ctx, rule, rows)
        else:
            count, total, gaps = None, None, _discipline_gaps(ctx, rule, rows)
        return count, total, gaps, dict(zip(rows.get_column("_i").to_list(), gaps))

    return ctx.once(("judged", rule.id, rule.kind, tuple(rule.awards), repr(rule.params)), judge)


def _gaps(ctx: Context, rule: Rule, rows: pl.DataFrame) -> list[str]:
    """Per row of `rows` (some of the rule's collective rows), what the rule lacks ('' when it can judge the row)."""
    return list(map(_judged(ctx, rule)[3].__getitem__, rows.get_column("_i").to_list()))


def _short_title(rule: Rule) -> str:
    """'TTLĐXS: ít nhất 70% …' → 'ít nhất 70% …' (the award is named once in the message)."""
    title = rule.title or rule.id
    return title.split(": ", 1)[1] if ": " in title else title


def _gap_findings(ctx: Context, rule: Rule, rows: pl.DataFrame, reason: str) -> list[Finding]:
    """The rows `rule` cannot judge, reported once per row for all the collective rules that lack data there.

    The first such rule of the run (in rule order) reports the row, naming every rule in the
    message and in the finding's `rules`; the others leave it. A row only this rule cannot
    judge gets the plain `NOT_CHECKED` of `emit.not_checked`.
    """
    if rows.is_empty():
        return []
    order = [r for r in ctx.rules if r.kind in GAP_KINDS]
    if rule.id not in {r.id for r in order}:
        order = [rule] + order
    ids_here = rows.get_column("_i").to_list()
    texts: dict[str, list[str]] = {}  # rule id → the rows' gap texts ('' when judged or not its row)
    for other in order:
        if other.id == rule.id:
            texts[rule.id] = _gaps(ctx, rule, rows)
            continue
        if _apart(rule, other):  # none of these rows is one of its rows: its texts would all be ''
            continue
        theirs = _judged(ctx, other)[3] if not _collectives(ctx, other).is_empty() else {}
        texts[other.id] = list(map(theirs.get, ids_here, itertools.repeat("")))
    by_id = {r.id: r for r in order}
    short = {i: _short_title(r) for i, r in by_id.items()}
    out: list[Finding] = []
    rule_ids = list(texts)
    lacking = list(zip(*texts.values()))
    # a row's rules and detail follow from its gap texts alone, and few rows differ in them: each worked out once
    seen: dict[tuple, tuple] = {}
    for key in dict.fromkeys(lacking):
        seen[key] = (tuple(i for i, t in zip(rule_ids, key) if t),
                     "; ".join(f"{short[i]} (thiếu “{t}”, quy định {i})" for i, t in zip(rule_ids, key) if t))
    groups: dict[tuple, list] = {}  # the rules lacking data → positions of the rows
    details: dict[tuple, list] = {}  # the same → the rows' details (merged findings)
    if len(seen) == 1:  # every row lacks the same (a file without the count columns): all in one group
        ((ids, detail),) = seen.values()
        if ids[0] == rule.id:
            groups[ids], details[ids] = list(range(len(lacking))), [detail] * len(lacking)
    else:
        for k, key in enumerate(lacking):
            ids, detail = seen[key]
            if ids[0] == rule.id:  # a row an earlier rule of the run already reported is left to it
                groups.setdefault(ids, []).append(k)
                details.setdefault(ids, []).append(detail)
    for ids, ks in groups.items():
        sel = take(rows, ks)
        if len(ids) == 1:
            out += not_checked(ctx, rule, sel, reason)
            continue
        sel = sel.with_columns(detail=pl.Series(details[ids], dtype=pl.String))
        out += _merged(ctx, [by_id[i] for i in ids], sel)
    return out


def _apart(rule: Rule, other: Rule) -> bool:
    """No row can be one of both rules' rows: their awards (a row has one) have none in common, neither names any."""
    return "*" not in rule.awards and "*" not in other.awards and not set(rule.awards) & set(other.awards)


def _merged(ctx: Context, rules: list[Rule], rows: pl.DataFrame) -> list[Finding]:
    refs = list(dict.fromkeys(r.legal_ref for r in rules if r.legal_ref))
    msg = (f"Không kiểm tra được {len(rules)} tiêu chuẩn của {{award_name}} năm {{year}} cho “{{ho_ten}}”: "
           f"{{detail}}. Hãy ghi các số liệu này trên dòng của tập thể (ô “Kỷ luật”: “0” hoặc “Không” khi "
           f"không có ai bị kỷ luật), hoặc kiểm tra thủ công.")
    stand_in = replace(rules[0], id=", ".join(r.id for r in rules), legal_ref="; ".join(refs) or None,
                       message=msg, verified=all(r.verified for r in rules))
    return emit(ctx, stand_in, rows, COL_AWARD, code=NOT_CHECKED, severity=WARNING, rules=tuple(r.id for r in rules))


GAP_KINDS = ("collective_count", "collective_discipline")


_PARTS = re.compile(r"[,;+\n/]| va ")
_FILLER = re.compile(r"\b(\d+|nguoi|ca nhan|truong hop|bi|ky luat|hinh thuc)\b")


def _only_ignored(text: str, ignore: set[str]) -> bool:
    """The cell names only what does not count ("Không", "01 khiển trách", "2 người khiển trách")."""
    parts = [" ".join(_FILLER.sub(" ", p).split()) for p in _PARTS.split(fold(text))]
    parts = [p for p in parts if p]
    return fold(text) in ignore or (bool(parts) and all(p in ignore for p in parts))


__all__ = ["COL_NAME", "collective_count", "collective_discipline", "column_numbers", "whole_unit"]
