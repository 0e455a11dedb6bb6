"""Findings from a check: one per row caught, its message filled from the row and naming
the rule and its legal basis; a rule the data cannot decide says so (`NOT_CHECKED`)."""
from __future__ import annotations

import dataclasses
import functools
import math
import string
from dataclasses import replace

import polars as pl

from ..model import WARNING, Finding
from .context import COL_AWARD, NOT_CHECKED, Context, take
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
    """The rows whose flag in `keep` (one per row, in order) is true: taken by position, which costs a
    fraction of a query (`filter` plans and runs one, ~0.2 ms or more each on a busy machine)."""
    return take(rows, [k for k, flag in enumerate(keep) if flag])


def cell_texts(rows: pl.DataFrame, col: str) -> list[str]:
    """The column's cells as text ('' when empty, or when rows have no such column)."""
    if col not in rows.columns:
        return [""] * rows.height
    return [v if v.__class__ is str else ("" if v is None else str(v)) for v in rows.get_column(col).to_list()]


def by_text(rows: pl.DataFrame, col: str, fn, dtype) -> pl.Series:
    """fn of each cell's text (as `cell_texts` gives it) along rows, worked out once per distinct text and spread
    back by Polars: optional columns (xếp loại, kỷ luật) hold a few distinct texts over most rows."""
    if col not in rows.columns or rows.is_empty():
        return pl.Series([fn("")] * rows.height, dtype=dtype)
    cells = rows.get_column(col)
    if cells.dtype != pl.String:  # numbers, dates: their text as the cell's
        texts = cell_texts(rows, col)
        done = {t: fn(t) for t in dict.fromkeys(texts)}
        return pl.Series([done[t] for t in texts], dtype=dtype)
    if cells.null_count():
        cells = cells.fill_null("")
    distinct = cells.unique()
    return cells.replace_strict(distinct, pl.Series([fn(t) for t in distinct.to_list()], dtype=dtype),
                                return_dtype=dtype)


# --- emitting findings ----------------------------------------------------------------
def row_records(frame: pl.DataFrame) -> list[dict]:
    """The rows as dicts, column by column (`to_list` per column, then zipped)."""
    cols = frame.columns
    if not cols:
        return [{} for _ in range(frame.height)]
    return [dict(zip(cols, vals)) for vals in zip(*(frame.get_column(c).to_list() for c in cols))]


def emit(ctx: Context, rule: Rule, rows: pl.DataFrame, column: str | None, *, code: str | None = None,
         severity: str | None = None, verified: bool | None = None, rules: tuple[str, ...] = (),
         **values) -> list[Finding]:
    """One finding per row of `rows`; a `detail` (or any) column of rows fills the template.

    rules: the ids a finding standing for several rules names (the first is its `rule`)."""
    if rows.is_empty():
        return []
    base = {"year": ctx.year, **rule.params, **values}
    # the row fields the finding itself names, and those the template reads (when it parses: else all)
    read = template_fields(rule.message)
    known = set(ctx.df.columns)
    keep = [c for c in rows.columns if (c in MESSAGE_FIELDS or c not in known)
            and (read is None or c in read or c in FINDING_FIELDS)]
    if read is None:
        messages = [render(rule, _values(ctx, base, rec)) for rec in row_records(rows.select(keep))]
    else:
        messages = _messages(ctx, rule, base, read, rows, keep)
    n = rows.height
    col = {c: rows.get_column(c).to_list() if c in keep else [None] * n for c in ("file", "sheet", "unit", "_column")}
    at = rows.get_column("row") if "row" in keep else None
    if at is None:
        at = [None] * n
    elif at.dtype.is_integer():  # Python ints already (or None)
        at = at.to_list()
    else:
        at = [int(r) if r is not None else None for r in at.to_list()]
    code, severity = code or rule.code, severity or rule.effective_severity
    verified = rule.verified if verified is None else verified
    rule_id, legal = (rules[0] if rules else rule.id), rule.legal_ref
    return findings(code, severity, messages, col["file"], col["sheet"], at,
                    [c or column for c in col["_column"]], col["unit"], rule_id, legal, verified, rules)


_FINDING_FIELDS = ("code", "severity", "message", "file", "sheet", "row", "column", "unit", "rule", "legal_basis",
                   "verified", "rules")
# Finding's fields are these, in this order, and its __init__ only sets them: then `findings` may set them itself
_PLAIN_FINDING = (tuple(f.name for f in dataclasses.fields(Finding)) == _FINDING_FIELDS
                  and not hasattr(Finding, "__post_init__") and not hasattr(Finding, "__slots__"))


def findings(code: str, severity: str, messages: list[str], files: list, sheets: list, rows: list, columns: list,
             units: list, rule: str | None, legal_basis: str | None, verified: bool, rules: tuple) -> list[Finding]:
    """One Finding per message (the lists run along them; the rest is the same for all), equal to
    `Finding(code, severity, message, file=…, …)`: its fields set into a new record directly, as a
    frozen dataclass's __init__ sets each through object.__setattr__ (a third of the time, for thousands)."""
    if not _PLAIN_FINDING:  # pragma: no cover - the record changed shape: build it the ordinary way
        return [Finding(code, severity, m, file=f, sheet=s, row=r, column=c, unit=u, rule=rule, legal_basis=legal_basis,
                        verified=verified, rules=rules) for m, f, s, r, c, u in zip(messages, files, sheets, rows,
                                                                                     columns, units)]
    new = object.__new__
    out = []
    add = out.append
    for m, f, s, r, c, u in zip(messages, files, sheets, rows, columns, units):
        record = new(Finding)
        d = record.__dict__
        (d["code"], d["severity"], d["message"], d["file"], d["sheet"], d["row"], d["column"], d["unit"], d["rule"],
         d["legal_basis"], d["verified"], d["rules"]) = (code, severity, m, f, s, r, c, u, rule, legal_basis, verified,
                                                         rules)
        add(record)
    return out


def _values(ctx: Context, base: dict, rec: dict) -> dict:
    vals = {**base, **rec}
    if not vals.get("award_name"):
        vals["award_name"] = ctx.award_name(rec.get("award"))
    return vals


def _messages(ctx: Context, rule: Rule, base: dict, read: frozenset[str], rows: pl.DataFrame,
              kept: list[str]) -> list[str]:
    """`render` of every row, column by column: the values the template reads (of rows' `kept` columns), each
    row's over `base`."""
    from_rows = [c for c in kept if c in read]
    fixed = {k: _fmt(v) for k, v in base.items() if k in read and k not in from_rows}
    if rows.height >= MANY_MESSAGES:
        got = _messages_by_polars(ctx, rule, base, read, rows, kept, from_rows, fixed)
        if got is not None:
            return got
    columns = [_formatted(rows.get_column(c)) for c in from_rows]
    if "award_name" in read:  # an empty award name is the catalogue's name of the row's award
        awards = rows.get_column("award").to_list() if "award" in kept else [None] * rows.height
        if "award_name" in from_rows:
            k = from_rows.index("award_name")
            columns[k] = [a if a else ctx.award_name(c) for a, c in zip(columns[k], awards)]
        elif not base.get("award_name"):
            from_rows.append("award_name")
            columns.append([ctx.award_name(c) for c in awards])
    tail = f"Quy định {rule.id}"
    if rule.legal_ref:
        tail += f"; căn cứ: {rule.legal_ref}"
    tail = f" [{tail}]"
    template = rule.message
    if not from_rows:
        text = template.format_map(_SafeDict(fixed)) + tail
        return [text] * rows.height
    positional = _positional(template, tail, fixed, from_rows)
    if positional is not None:  # each row's values straight into a template of numbered fields, in a C loop
        return list(map(positional.format, *columns))
    out = []
    for vals in zip(*columns):
        got = _SafeDict(fixed)
        got.update(zip(from_rows, vals))
        out.append(template.format_map(got) + tail)
    return out


MANY_MESSAGES = 500
"""From this many rows, `_messages` writes them by one Polars query where it can (`_messages_by_polars`); fewer
cost less in Python than the query's own cost."""


def _messages_by_polars(ctx: Context, rule: Rule, base: dict, read: frozenset[str], rows: pl.DataFrame,
                        kept: list[str], from_rows: list[str], fixed: dict) -> list[str] | None:
    """`_messages` as one Polars concatenation of the template's literal pieces and the rows' values (a query that
    lets go of the GIL, ~half the main thread's time of `str.format` per message for thousands), for a template
    of plain fields (`_plain_pieces`) whose row fields are text or integers (Polars writes an integer as `format`
    does; a float or a date it may not); None otherwise (the caller formats them in Python)."""
    pieces = _plain_pieces(rule.message)
    if pieces is None:
        return None
    schema = rows.schema
    values: dict[str, pl.Expr] = {}
    for c in from_rows:
        if schema[c] == pl.String:
            values[c] = pl.col(c).fill_null("")
        elif schema[c].is_integer():
            values[c] = pl.col(c).cast(pl.String).fill_null("")
        else:
            return None
    if "award_name" in read and ("award_name" in values or not base.get("award_name")):
        # an empty award name is the catalogue's name of the row's award (each distinct code named once)
        if "award" not in kept:
            named = pl.lit("")
        elif schema["award"] != pl.String:
            return None
        else:
            codes = rows.get_column("award").drop_nulls().unique().to_list()
            named = pl.lit("") if not codes else pl.col("award").replace_strict(
                codes, [ctx.award_name(c) for c in codes], default="", return_dtype=pl.String).fill_null("")
        own = values.get("award_name")
        values["award_name"] = named if own is None else pl.when(own != "").then(own).otherwise(named)
    if not values:
        return None
    tail = f"Quy định {rule.id}"
    if rule.legal_ref:
        tail += f"; căn cứ: {rule.legal_ref}"
    parts = []
    for literal, name in pieces:
        if literal:
            parts.append(pl.lit(literal))
        if name is None:
            continue
        if name in values:
            parts.append(values[name])
        elif name in fixed:
            parts.append(pl.lit(format(fixed[name], "")))
        else:  # a field nothing fills stays as written (`_SafeDict`)
            parts.append(pl.lit("{" + name + "}"))
    parts.append(pl.lit(f" [{tail}]"))
    names = rows.get_column("ho_ten") if "ho_ten" in from_rows else None
    return _texts(rows.select(pl.concat_str(parts).alias("message")).get_column("message"), names)


def _texts(messages: pl.Series, names: pl.Series | None = None) -> list[str]:
    """The messages as Python texts, each distinct text made once when many repeat (a collective's NOT_CHECKED
    names a "Khoa Nội" of every unit alike: 2,220 messages, 416 distinct at 30,000 rows): a text made from
    Polars' costs the main thread ~0.7 µs per message of ~500 characters, an index far less. names: the names the
    messages give, if they give one: when most differ, so do the messages (no look for repeats)."""
    if messages.null_count() or (names is not None and 2 * names.n_unique() > messages.len()):
        return messages.to_list()
    distinct = messages.unique()
    if 2 * distinct.len() > messages.len():
        return messages.to_list()
    texts = distinct.sort().to_list()
    return list(map(texts.__getitem__, (messages.rank("dense") - 1).to_list()))


def _formatted(column: pl.Series) -> list:
    """`_fmt` of each value: a text column's missing values become '' in Polars (its texts stay as they are)."""
    if column.dtype == pl.String:  # filled only when it has missing values (each fill is a query, ~30 µs)
        return (column.fill_null("") if column.null_count() else column).to_list()
    return [_fmt(v) for v in column.to_list()]


def _positional(template: str, tail: str, fixed: dict, from_rows: list[str]) -> str | None:
    """The template with its fixed values and `tail` written in and its row fields numbered in `from_rows`' order
    (`{ho_ten}` → `{0}`), for a template of plain fields only (no format spec, conversion, index or attribute,
    where `format_map` writes format(value, '') too); None otherwise. Written-in text has its braces doubled."""
    pieces = _plain_pieces(template)
    if pieces is None:
        return None
    at = {name: k for k, name in enumerate(from_rows)}
    out = []
    for literal, name in pieces:
        out.append(_escaped(literal))
        if name is None:
            continue
        if name in at:
            out.append("{%d}" % at[name])
        elif name in fixed:
            out.append(_escaped(format(fixed[name], "")))
        else:  # a field nothing fills stays as written (`_SafeDict`)
            out.append(_escaped("{" + name + "}"))
    return "".join(out) + _escaped(tail)


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@functools.lru_cache(maxsize=512)
def _plain_pieces(template: str) -> tuple[tuple[str, str | None], ...] | None:
    """(literal text, field name or None) of a template whose every field is a plain name; None otherwise."""
    out = []
    try:
        for literal, field, spec, conversion in string.Formatter().parse(template):
            if field is not None and (not field.isidentifier() or spec or conversion is not None):
                return None
            out.append((literal, field))
    except ValueError:
        return None
    return tuple(out)


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

