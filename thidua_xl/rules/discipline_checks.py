"""Disciplines from the register: a person disciplined in the award year is not rewarded, and the
years a title counts start again after a discipline has been served.

The disciplines come to the context as a plain frame (`Context.discipline`, read by the caller
from the register's `discipline` table). A discipline without an end date is taken to last
`months_if_no_end` months from its start (the message says so).
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from ..catalog import TAP_THE
from ..model import Finding
from ..text import ngay_vn
from .context import _MATCHED_COLUMNS, COL_AWARD, Context, _matches, take
from .emit import emit
from .records import Rule

MONTHS_IF_NO_END = 12


def _end(start: str, end: str, months: int) -> tuple[dt.date, bool]:
    """The day a discipline ends (stated, or `months` after its start) and whether it was stated."""
    if end:
        return dt.date.fromisoformat(end), True
    s = dt.date.fromisoformat(start)
    m = s.month - 1 + months
    year, month = s.year + m // 12, m % 12 + 1
    day = min(s.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31,
                      30, 31, 30, 31][month - 1])
    return dt.date(year, month, day) - dt.timedelta(days=1), False


def disciplines(ctx: Context, rows: pl.DataFrame, months: int = MONTHS_IF_NO_END) -> list[dict]:
    """The disciplines of rows' people (individuals) that started by the end of the award year:
    one dict per (row, discipline) with `_i`, `hinh_thuc`, `start`, `end`, `stated_end`."""
    d = ctx.discipline
    if d is None or d.is_empty() or rows.is_empty():
        return []
    people = rows.select("_i", "subject", *_MATCHED_COLUMNS).filter(pl.col("subject").ne_missing(TAP_THE))
    right = d.with_columns(subject=pl.lit("ca_nhan"), _d=pl.int_range(pl.len(), dtype=pl.Int64)) \
        .filter(pl.col("tu_ngay") <= f"{ctx.year}-12-31")
    if people.is_empty() or right.is_empty():
        return []
    out = []
    recs = {r["_d"]: r for r in right.to_dicts()}
    for k, hits in _matches(people, right, "_d").items():
        rec = recs[k]
        end, stated = _end(rec["tu_ngay"], rec["den_ngay"], months)
        for i in sorted(hits):
            out.append({"_i": i, "hinh_thuc": rec["hinh_thuc"], "start": dt.date.fromisoformat(rec["tu_ngay"]),
                        "end": end, "stated_end": stated, "so_quyet_dinh": rec.get("so_quyet_dinh", "")})
    return out


def _period(rec: dict) -> str:
    until = ngay_vn(rec["end"]) if rec["stated_end"] else f"{ngay_vn(rec['end'])} (không ghi ngày kết thúc: tính " \
                                                         f"{MONTHS_IF_NO_END} tháng)"
    number = f", quyết định {rec['so_quyet_dinh']}" if rec.get("so_quyet_dinh") else ""
    return f"“{rec['hinh_thuc']}” từ {ngay_vn(rec['start'])} đến {until}{number}"


def under_discipline(ctx: Context, rule: Rule) -> list[Finding]:
    """A person whose discipline (in the register) runs during the award year."""
    # the matching reads a few columns of the rule's rows (most rows); the rows caught are taken whole
    rows = take(ctx.df.select("_i", "subject", *_MATCHED_COLUMNS), ctx.positions_for(rule))
    months = int(rule.params.get("months_if_no_end", MONTHS_IF_NO_END))
    first = dt.date(ctx.year, 1, 1)
    found: dict[int, list[str]] = {}
    for rec in disciplines(ctx, rows, months):
        if rec["end"] >= first:
            found.setdefault(rec["_i"], []).append(_period(rec))
    bad = ctx.df.filter(pl.col("_i").is_in(list(found)))  # `_i` is the position in `df`
    bad = bad.with_columns(detail=pl.Series(["; ".join(found[i]) for i in bad.get_column("_i").to_list()],
                                            dtype=pl.String))
    return emit(ctx, rule, bad, COL_AWARD)


def discipline_restart(ctx: Context, rule: Rule) -> list[Finding]:
    """Shapes the history checks rather than reporting: while this rule applies to an award, the
    streaks and counts of that award start again after a discipline (`restart_from`)."""
    return []


def restart_from(ctx: Context, rule: Rule, rows: pl.DataFrame) -> dict[int, tuple[int, str]]:
    """For rows whose period starts again after a discipline: `_i` → (first year that counts, note).

    The note names the discipline and the rule (with its legal basis) that restarts the period.
    """
    restart = next((r for r in ctx.rules if r.kind == "discipline_restart" and r.enabled
                    and any(r.covers(a) for a in rule.awards)), None)
    if restart is None:
        return {}
    months = int(restart.params.get("months_if_no_end", MONTHS_IF_NO_END))
    out: dict[int, tuple[int, str]] = {}
    for rec in disciplines(ctx, rows, months):
        first = rec["end"].year + 1  # a year counts when it begins after the discipline ended
        if rec["_i"] not in out or first > out[rec["_i"]][0]:
            basis = f"Quy định {restart.id}" + (f"; căn cứ: {restart.legal_ref}" if restart.legal_ref else "")
            out[rec["_i"]] = (first, f"(kỷ luật {_period(rec)}: thành tích chỉ được tính từ năm {first}, sau khi "
                                     f"chấp hành xong kỷ luật – {basis})")
    return out
