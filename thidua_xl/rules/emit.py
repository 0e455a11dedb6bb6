"""Findings from a check: one per row caught, its message filled from the row and naming
the rule and its legal basis; a rule the data cannot decide says so (`NOT_CHECKED`)."""
from __future__ import annotations

import functools
import math
import string
from dataclasses import replace

import polars as pl

from ..model import WARNING, Finding
from .context import COL_AWARD, NOT_CHECKED, Context
from .records import Rule


class _SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render(rule: Rule, values: dict) -> str:
    """The rule's template filled in, naming the rule and its legal basis."""
    names = template_fields(rule.message)
    if names is None:  # a template Python cannot parse: fail (or not) exactly as formatting it does
        names = values.keys()
    text = rule.message.format_map(_SafeDict({k: _fmt(values[k]) for k in names if k in values}))
    tail = f"Quy định {rule.id}"
    if rule.legal_ref:
        tail += f"; căn cứ: {rule.legal_ref}"
    return f"{text} [{tail}]"


@functools.lru_cache(maxsize=512)
def template_fields(message: str) -> frozenset[str] | None:
    """The names a template reads (`{ho_ten}`, `{count:d}`, `{a[0]}` → a; fields inside format specs too), so
    only those values are formatted for each finding; None when the template does not parse."""
    import _string

    out: set[str] = set()
    todo = [message]
    try:
        while todo:
            for _text, field, spec, _conv in string.Formatter().parse(todo.pop()):
                if field is not None:
                    out.add(_string.formatter_field_name_split(field)[0])
                if spec:
                    todo.append(spec)
    except ValueError:
        return None
    return frozenset(k for k in out if isinstance(k, str))


def _fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v


# Row fields a message template may use (the rest of the frame stays out of the loop).
MESSAGE_FIELDS = {"_i", "file", "sheet", "row", "unit", "unit_code", "ho_ten", "hinh_thuc", "award", "award_name",
                  "ngay_sinh_raw", "gioi_tinh", "chuc_vu", "khoa_phong", "sang_kien", "ghi_chu", "doi_tuong_raw",
                  "birth_date", "birth_year"}

# Row fields every finding reads whatever its template says.
FINDING_FIELDS = {"file", "sheet", "row", "unit", "award", "award_name", "_column"}

# --- rows picked by Python lists (per distinct value work done in Python) -------------------
def where(rows: pl.DataFrame, keep: list) -> pl.DataFrame:
    """The rows whose flag in `keep` (one per row, in order) is true."""
    return rows.filter(pl.Series(keep, dtype=pl.Boolean))


def cell_texts(rows: pl.DataFrame, col: str) -> list[str]:
    """The column's cells as text ('' when empty, or when rows have no such column)."""
    if col not in rows.columns:
        return [""] * rows.height
    return [v if v.__class__ is str else ("" if v is None else str(v)) for v in rows.get_column(col).to_list()]


# --- emitting findings ----------------------------------------------------------------
def row_records(frame: pl.DataFrame) -> list[dict]:
    """The rows as dicts, column by column (`to_list` per column, then zipped)."""
    cols = frame.columns
    if not cols:
        return [{} for _ in range(frame.height)]
    return [dict(zip(cols, vals)) for vals in zip(*(frame.get_column(c).to_list() for c in cols))]


def emit(ctx: Context, rule: Rule, rows: pl.DataFrame, column: str | None, *, code: str | None = None,
         severity: str | None = None, verified: bool | None = None, **values) -> list[Finding]:
    """One finding per row of `rows`; a `detail` (or any) column of rows fills the template."""
    if rows.is_empty():
        return []
    out = []
    base = {"year": ctx.year, **rule.params, **values}
    # the row fields the finding itself names, and those the template reads (when it parses: else all)
    read = template_fields(rule.message)
    known = set(ctx.df.columns)
    keep = [c for c in rows.columns if (c in MESSAGE_FIELDS or c not in known)
            and (read is None or c in read or c in FINDING_FIELDS)]
    for rec in row_records(rows.select(keep)):
        vals = {**base, **rec}
        if not vals.get("award_name"):
            vals["award_name"] = ctx.award_name(rec.get("award"))
        out.append(Finding(
            code or rule.code, severity or rule.effective_severity, render(rule, vals),
            file=rec.get("file"), sheet=rec.get("sheet"), row=int(rec["row"]) if rec.get("row") is not None else None,
            column=rec.get("_column") or column, unit=rec.get("unit"), rule=rule.id, legal_basis=rule.legal_ref,
            verified=rule.verified if verified is None else verified,
        ))
    return out


def not_checked(ctx: Context, rule: Rule, rows: pl.DataFrame, reason: str) -> list[Finding]:
    """A rule that needed data the inputs lack: a warning naming the rule, never a silent pass."""
    if rows.is_empty():
        return []
    title = rule.title or rule.id
    msg = (f"Không kiểm tra được quy định “{title}” cho “{{ho_ten}}” ({{award_name}} năm {{year}}): "
           f"{reason}. Hãy kiểm tra thủ công.")
    stand_in = replace(rule, message=msg)
    return emit(ctx, stand_in, rows, COL_AWARD, code=NOT_CHECKED, severity=WARNING)


def where_text(rec: dict, here: dict) -> str:
    if rec["file"] == here["file"] and rec["sheet"] == here["sheet"]:
        return f"dòng {rec['row']}"
    unit = f", đơn vị {rec['unit']}" if rec.get("unit") and rec.get("unit") != here.get("unit") else ""
    return f"dòng {rec['row']} trang “{rec['sheet']}” tệp {rec['file']}{unit}"


def year_list(ys) -> str:
    return ", ".join(str(int(y)) for y in sorted(ys))

