"""Checks of one nomination row, or of rows against each other in this year's lists:
filled names, dates of birth, known awards, Cá nhân/Tập thể, duplicates."""
from __future__ import annotations

import datetime as dt
import re

import polars as pl

from ..catalog import BOTH, CA_NHAN, TAP_THE
from ..model import Finding
from ..text import clean, fold
from .context import COL_AWARD, COL_DOB, COL_NAME, COL_SUBJECT, Context, take
from .emit import MESSAGE_FIELDS, emit, row_records, where, where_text
from .records import Rule


def required(ctx: Context, rule: Rule) -> list[Finding]:
    col = rule.params.get("column", "ho_ten")
    rows = ctx.df.filter(pl.col(col).cast(pl.String).fill_null("") == "")
    return emit(ctx, rule, rows, rule.params.get("label", col))


def date_of_birth(ctx: Context, rule: Rule) -> list[Finding]:
    """Unreadable or non-existent dates, dates in the future, ages (in the award year) out of range.

    The three kinds are disjoint masks over the whole frame and only the rows caught are taken, in row
    order: filtering the (nearly all) rows with a date first copied every column of them."""
    df = ctx.df
    min_age, max_age = rule.params.get("min_age", 18), rule.params.get("max_age", 80)
    err = pl.col("ngay_sinh_error").cast(pl.String).fill_null("")
    born = pl.col("birth_year")
    bad = err != ""
    ok = (err == "") & born.is_not_null()
    today = dt.date.today()
    future = ok & ((born > ctx.year) | (pl.col("ngay_sinh") > today).fill_null(False))
    age = ctx.year - born
    odd = ok & ~future & pl.col("subject").ne_missing(TAP_THE) & ((age < min_age) | (age > max_age))
    rows = df.filter(bad | future | odd)
    if rows.is_empty():  # every date read and in range (a clean master): no kinds, details nor findings to make
        return []
    kind = rows.select(pl.when(bad).then(0).when(future).then(1).otherwise(2)).to_series().to_list()
    texts, years = rows.get_column("ngay_sinh_error").cast(pl.String).to_list(), rows.get_column("birth_year").to_list()
    ahead = "nằm trong tương lai (sau năm thi đua " + str(ctx.year) + " hoặc sau ngày hôm nay)"
    details = ["không hợp lệ: " + t if k == 0 else ahead if k == 1 else
               f"cho tuổi {int(ctx.year - b)} vào năm {ctx.year}, ngoài khoảng hợp lý {min_age}–{max_age} tuổi"
               for k, t, b in zip(kind, texts, years)]
    return emit(ctx, rule, rows.with_columns(detail=pl.Series(details, dtype=pl.String)), COL_DOB)


def known_award(ctx: Context, rule: Rule) -> list[Finding]:
    rows = ctx.df.filter(pl.col("hinh_thuc").ne_missing("") & pl.col("award").is_null())
    if rows.is_empty():
        return []
    texts = rows.get_column("hinh_thuc").to_list()
    hint = {text: ctx.catalog.hint(text) for text in dict.fromkeys(texts)}
    rows = rows.with_columns(detail=pl.Series([hint[t] for t in texts], dtype=pl.String))
    return emit(ctx, rule, rows, COL_AWARD)


# Words that open a collective's name, matched with their diacritics so that the surnames
# Tô, Đoàn, Trương are not mistaken for Tổ, Đoàn thể, Trường (compiled at its first use, by `re`'s cache: only rows
# of an award for the other subject are asked, and a ribbon click may have none).
_COLLECTIVE_NAME = (
    r"^(khoa|phòng|tổ|trạm|bệnh viện|trung tâm|ban|đội|đơn vị|chi cục|công đoàn|chi bộ|đảng bộ|văn phòng|"
    r"bộ phận|nhà thuốc|tập thể|phân viện|viện|trường|sở|cục|chi đoàn|đoàn thanh niên|nhóm|kíp|ê kíp|ekip|"
    r"phòng khám|hội đồng|hội)(\s|$)")


def _award_subjects(ctx: Context) -> pl.Expr:
    """Each row's award's subject (the catalogue's): the context's column when it has one (made once a run)."""
    if "award_subject" in ctx.df.columns:
        return pl.col("award_subject")
    table = {a.code: a.subject for a in ctx.catalog}
    return pl.col("award").replace_strict(table, default=None, return_dtype=pl.String)


def subject(ctx: Context, rule: Rule) -> list[Finding]:
    """A collective award on a person, an individual award on a collective, a stated Đối tượng the award refuses.

    The four kinds of row (disjoint) told apart by one query over the few columns they read; the names of the
    rows an individual award may have on a collective looked at in Python, each once; only the rows caught are
    taken whole."""
    award_subject = pl.col("_award_subject")
    has_person = pl.col("has_person")
    kind = (pl.when(award_subject.eq_missing(TAP_THE) & has_person).then(1)
            .when(award_subject.eq_missing(TAP_THE) & ~has_person & pl.col("doi_tuong").eq_missing(CA_NHAN)).then(2)
            .when(award_subject.eq_missing(CA_NHAN) & pl.col("doi_tuong").eq_missing(TAP_THE)).then(3)
            # an individual award on a row stating no Đối tượng, without a person's cells: a collective's name?
            .when(award_subject.eq_missing(CA_NHAN) & pl.col("doi_tuong").eq_missing("") & ~has_person).then(4))
    # point at the cell that makes the row a person: the birth date, else the gender
    dob_empty = (pl.col("ngay_sinh_raw").fill_null("") == "") & pl.col("nam_sinh").is_null()
    found = ctx.df.lazy().select(pl.int_range(pl.len(), dtype=pl.get_index_type()).alias("_p"),
                                 "ho_ten", "has_person", "doi_tuong", _award_subject=_award_subjects(ctx),
                                 group=pl.col("group_subject").eq_missing(TAP_THE), dob_empty=dob_empty) \
        .select("_p", "ho_ten", "group", "dob_empty", _k=kind).filter(pl.col("_k").is_not_null()).collect()
    kinds = found.get_column("_k").to_list()
    if 4 in kinds:
        names = found.get_column("ho_ten").to_list()
        groups = found.get_column("group").to_list()
        collective = re.compile(_COLLECTIVE_NAME).match
        looks = {n: bool(collective(clean(n).lower())) for n in dict.fromkeys(
            n for n, k in zip(names, kinds) if k == 4)}
        keep = [k != 4 or looks[n] or g for k, n, g in zip(kinds, names, groups)]
        found = where(found, keep)
    if found.is_empty():
        return []
    named = pl.lit("“") + pl.col("award_name")
    k = pl.col("_k")
    rows = take(ctx.df, found.get_column("_p")).hstack([found.get_column("_k"), found.get_column("dob_empty")]) \
        .with_columns(
            detail=pl.when(k == 1).then(named + pl.lit("” chỉ xét tặng tập thể, nhưng dòng này có ngày sinh hoặc giới "
                                                       "tính của một cá nhân."))
            .when(k == 2).then(named + pl.lit("” chỉ xét tặng tập thể, nhưng cột “Đối tượng” ghi “Cá nhân”."))
            .when(k == 3).then(named + pl.lit("” chỉ xét tặng cá nhân, nhưng cột “Đối tượng” ghi “Tập thể”."))
            .otherwise(named + pl.lit("” chỉ xét tặng cá nhân, nhưng đây là tên một tập thể.")),
            _column=pl.when(k == 1).then(pl.when(pl.col("dob_empty")).then(pl.lit("Giới tính"))
                                         .otherwise(pl.lit(COL_DOB)))
            .when(k == 4).then(pl.lit(COL_NAME)).otherwise(pl.lit(COL_SUBJECT))).drop("_k", "dob_empty")
    return emit(ctx, rule, rows, COL_NAME)


def subject_signals(ctx: Context, rule: Rule) -> list[Finding]:
    """An award open to both on a row whose signals disagree (or are absent): say which way it was counted."""
    from ..subjects import infer_columns, infer_frame, signals

    both = pl.col("award").is_not_null() & _award_subjects(ctx).eq_missing(BOTH)
    schema = ctx.df.schema
    if all(schema.get(c) == pl.String for c in ("doi_tuong", "group_subject", "ho_ten", "chuc_vu")) \
            and schema.get("has_person") == pl.Boolean:
        # the signals weighed in the query that picks the rows (as infer_columns reads the cells); the rows
        # themselves are read only when some row has a finding
        inputs = ctx.df.lazy().filter(both).select(
            name=pl.col("ho_ten").fill_null(""), stated=pl.col("doi_tuong").fill_null(""),
            group=pl.col("group_subject").fill_null(""), has_person="has_person",
            has_cv=pl.col("chuc_vu").fill_null("") != "").collect()
        if inputs.is_empty():
            return []
        out = infer_frame(inputs)
        if not (out.get_column("conflict") | out.get_column("silent")).any():
            return []
        conflict, silent = out.get_column("conflict").to_list(), out.get_column("silent").to_list()
        df = ctx.df.filter(both)
    else:
        df = ctx.df.filter(both)
        if df.is_empty():
            return []
        cols = {c: df.get_column(c).to_list() for c in ("doi_tuong", "group_subject", "ho_ten", "has_person",
                                                        "chuc_vu")}
        _subject, conflict, silent = infer_columns([v if v is not None else "" for v in cols["doi_tuong"]],
                                                   [v if v is not None else "" for v in cols["group_subject"]],
                                                   cols["ho_ten"], cols["has_person"], cols["chuc_vu"])
    keep = [c or s for c, s in zip(conflict, silent)]
    if not any(keep):
        return []
    cols = {c: df.get_column(c).to_list() for c in ("doi_tuong", "group_subject", "ho_ten", "has_person", "subject")}
    rows = df.filter(pl.Series(keep, dtype=pl.Boolean))
    label = {CA_NHAN: "cá nhân", TAP_THE: "tập thể"}
    details = []
    for k in (k for k, kept in enumerate(keep) if kept):
        rec = {c: cols[c][k] for c in ("ho_ten", "doi_tuong", "group_subject", "has_person", "subject")}
        person, collective = signals(rec)
        counted = label.get(rec["subject"], "tập thể")
        if conflict[k]:
            details.append(f"các dấu hiệu trái nhau: {', '.join(person)} (cá nhân) nhưng {', '.join(collective)} "
                           f"(tập thể); đã tính là {counted} theo dấu hiệu mạnh hơn")
        else:
            details.append(f"không có dấu hiệu nào cho biết là cá nhân hay tập thể; đã tính là {counted}")
    rows = rows.with_columns(detail=pl.Series(details, dtype=pl.String))
    return emit(ctx, rule, rows, COL_NAME)


def duplicate(ctx: Context, rule: Rule) -> list[Finding]:
    """The same person (or collective of one unit) proposed for the same award twice, anywhere."""
    df = ctx.rows_for(rule)
    fields = [c for c in df.columns if c in MESSAGE_FIELDS or c in ("name_key", "unit_key", "subject")]
    # duplicates are found on the key columns alone (the persons' and the collectives' in one run of two plans,
    # which keep only the rows met twice: a collective's parent, folded below, only splits those further); only
    # the rows found are read whole, taken by position
    keys_i = ["name_key", "by", "award"]
    parent_cell = pl.col("khoa_phong").cast(pl.String).fill_null("") if "khoa_phong" in df.columns else pl.lit("")
    marks = df.lazy().select(pl.int_range(pl.len(), dtype=pl.get_index_type()).alias("_p"),
                             pl.col("subject").eq_missing(TAP_THE).alias("_c"), "name_key", "award", "unit_key",
                             by=pl.col("birth_year").fill_null(-1.0).fill_nan(-1.0), kp=parent_cell)
    persons, groups = pl.collect_all([
        marks.filter(~pl.col("_c")).select("_p", *keys_i).filter(pl.struct(keys_i).is_duplicated()),
        marks.filter(pl.col("_c")).select("_p", "unit_key", "name_key", "award", "kp")
        .filter(pl.struct("unit_key", "name_key", "award").is_duplicated())])
    if persons.is_empty() and groups.is_empty():  # no key met twice (a clean master): nothing to take or group
        return []
    out_rows = []
    cand = take(df[fields], persons.get_column("_p")).hstack([persons.get_column("by")])
    for recs in _groups(cand, keys_i):
        for r in recs:
            others = [o for o in recs if o["_i"] != r["_i"]
                      and (r["birth_date"] == "" or o["birth_date"] == "" or r["birth_date"] == o["birth_date"])]
            if others:
                out_rows.append({**r, "detail": "; ".join(where_text(o, r) for o in others[:5])})
    # a collective is its name under its parent: "Khoa Nhi" of two hospitals are two collectives
    parents = groups.get_column("kp").to_list()
    folded = {p: fold(p) for p in dict.fromkeys(parents)}
    parent = pl.Series("parent", [folded[p] for p in parents], dtype=pl.String)
    keys_c = ["unit_key", "parent", "name_key", "award"]
    twice = groups[["unit_key", "name_key", "award"]].hstack([parent]).is_duplicated()
    cand = take(df[fields], groups.get_column("_p").filter(twice)).hstack([parent.filter(twice)])
    for recs in _groups(cand, keys_c):
        for r in recs:
            others = [o for o in recs if o["_i"] != r["_i"]]
            out_rows.append({**r, "detail": "; ".join(where_text(o, r) for o in others[:5])})
    if not out_rows:
        return []
    out_rows.sort(key=lambda r: r["_i"])
    cols = list(dict.fromkeys(c for r in out_rows for c in r))
    rows = pl.DataFrame({c: [r.get(c) for r in out_rows] for c in cols}, strict=False)
    return emit(ctx, rule, rows, COL_NAME)


def _groups(frame: pl.DataFrame, keys: list[str]) -> list[list[dict]]:
    """Records grouped by keys in first-seen order, rows with a missing key dropped."""
    groups: dict[tuple, list[dict]] = {}
    for rec in row_records(frame.drop_nulls(subset=keys)):
        groups.setdefault(tuple(rec[k] for k in keys), []).append(rec)
    return list(groups.values())
