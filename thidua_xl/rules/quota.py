"""Quotas: a title limited to a share of another in each unit (CSTĐCS ≤ 15% of LĐTT)."""
from __future__ import annotations

import math
from dataclasses import replace

import polars as pl

from ..model import INFO, Finding
from .context import QUOTA_REMAINING, Context
from .emit import render
from .records import Rule


def quota_ratio(ctx: Context, rule: Rule) -> list[Finding]:
    """Per unit: count(award) ≤ ratio × count(`of`), once per unit; else how many more it may propose.

    The ratio is the master's `Cấu hình` value (config_key), else the rule's `ratio`; a rule
    with neither (regime B: no national ratio) checks nothing. `max_ratio` is a legal cap no
    setting may exceed; with `basis_from_config`, a configured ratio cites the configured source.
    """
    df = ctx.df
    award = rule.awards[0]
    of = rule.params.get("of", "LDTT")
    ratio = ctx.config_number(rule.params.get("config_key"))
    configured = ratio is not None
    if ratio is None and rule.params.get("ratio") not in (None, ""):
        ratio = float(rule.params["ratio"])
    if ratio is None:
        return []
    if rule.params.get("max_ratio") is not None:  # a province may lower the legal cap, not raise it
        ratio = min(ratio, float(rule.params["max_ratio"]))
    if configured and rule.params.get("basis_from_config"):
        stated = ctx.config_values.get(rule.params.get("basis_key", ""), "")
        rule = replace(rule, legal_ref=stated or (
            "Tỷ lệ do Sở ghi tại trang “Cấu hình” của tệp tổng hợp (chưa ghi căn cứ)"), verified=bool(stated))
    sel = df.filter(pl.col("award").is_in([award, of]).fill_null(False) & pl.col("ho_ten").ne_missing("")).select(
        "file", "sheet", "unit", "unit_key", "award", "name_key", "birth_date", "birth_year")
    if sel.is_empty():
        return []
    # a person counts once (a duplicate row is reported elsewhere); namesakes born the same year but on
    # different known dates are two people, as in `duplicate` (Context.df's birth_date is never missing)
    people: dict[tuple, set] = {}  # (unit, award) → {(name key, birth date, else birth year or -1)}
    for u, a, name, date, year in zip(*(sel.get_column(c).to_list() for c in ("unit_key", "award", "name_key",
                                                                              "birth_date")),
                                      sel.get_column("birth_year").fill_nan(None).fill_null(-1).cast(pl.Int64).to_list()):
        people.setdefault((u, a), set()).add((name, date or year))
    first = _first_per_unit(sel, ["file", "sheet", "unit"])
    out = []
    rounding = rule.params.get("rounding", "floor")
    for unit_key in sorted({u for u, _a in people}):
        proposed, base = len(people.get((unit_key, award), ())), len(people.get((unit_key, of), ()))
        if proposed == 0 and base == 0:
            continue
        raw = ratio * base
        allowed = math.floor(raw + 1e-9) if rounding == "floor" else (
            math.ceil(raw - 1e-9) if rounding == "ceil" else int(round(raw)))
        where = first[unit_key]
        vals = {"proposed": proposed, "base": base, "allowed": allowed, "excess": max(0, proposed - allowed),
                "remaining": max(0, allowed - proposed), "ratio": ratio, "ratio_pct": f"{ratio * 100:g}%",
                "year": ctx.year, "award_name": ctx.award_name(award), "of_name": ctx.award_name(of)}
        if proposed > allowed:
            out.append(Finding(rule.code, rule.effective_severity, render(rule, vals), file=where["file"],
                               sheet=where["sheet"], row=None, column=None, unit=where["unit"], rule=rule.id,
                               legal_basis=rule.legal_ref, verified=rule.verified))
        else:
            info = replace(rule, message=(
                "Đơn vị đề nghị {proposed} {award_name} trên {base} {of_name}: tối đa {allowed} "
                "({ratio_pct}), còn có thể đề nghị thêm {remaining}."))
            out.append(Finding(QUOTA_REMAINING, INFO, render(info, vals), file=where["file"], sheet=where["sheet"],
                               row=None, column=None, unit=where["unit"], rule=rule.id, legal_basis=rule.legal_ref,
                               verified=rule.verified))
    return out


def _first_per_unit(sel: pl.DataFrame, cols: list[str]) -> dict[str, dict]:
    """unit_key → the first non-missing value of each of cols, rows in `_i` order (Context.df's order)."""
    firsts = sel.group_by("unit_key", maintain_order=True).agg(pl.col(c).drop_nulls().first() for c in cols)
    return {r["unit_key"]: {c: r[c] for c in cols} for r in firsts.to_dicts()}
