"""Checks of one nomination row, or of rows against each other in this year's lists:
filled names, dates of birth, known awards, Cá nhân/Tập thể, duplicates."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from ..catalog import BOTH, CA_NHAN, TAP_THE
from ..model import Finding
from ..text import clean, fold
from .context import COL_AWARD, COL_DOB, COL_NAME, COL_SUBJECT, Context
from .emit import MESSAGE_FIELDS, emit, row_records, where_text
from .records import Rule


def required(ctx: Context, rule: Rule) -> list[Finding]:
    col = rule.params.get("column", "ho_ten")
    rows = ctx.df[ctx.df[col].fillna("") == ""]
    return emit(ctx, rule, rows, rule.params.get("label", col))


def date_of_birth(ctx: Context, rule: Rule) -> list[Finding]:
    """Unreadable or non-existent dates, dates in the future, ages (in the award year) out of range."""
    df = ctx.df
    min_age, max_age = rule.params.get("min_age", 18), rule.params.get("max_age", 80)
    err = df["ngay_sinh_error"].fillna("").astype(str)
    bad = df[err != ""].copy()
    bad["detail"] = "không hợp lệ: " + err[err != ""]
    ok = df[(err == "") & df["birth_year"].notna()]
    today = dt.date.today()
    dates = ok["ngay_sinh"]
    future_date = pd.Series([not na and d > today for d, na in zip(dates.tolist(), dates.isna().tolist())],
                            index=ok.index, dtype=bool)
    future = ok[(ok["birth_year"] > ctx.year) | future_date].copy()
    future["detail"] = "nằm trong tương lai (sau năm thi đua " + str(ctx.year) + " hoặc sau ngày hôm nay)"
    rest = ok[~ok.index.isin(future.index) & (ok["subject"] != TAP_THE)]
    age = ctx.year - rest["birth_year"]
    odd = rest[(age < min_age) | (age > max_age)].copy()
    odd["detail"] = [f"cho tuổi {int(a)} vào năm {ctx.year}, ngoài khoảng hợp lý {min_age}–{max_age} tuổi"
                     for a in (ctx.year - odd["birth_year"])]
    rows = pd.concat([bad, future, odd])
    return emit(ctx, rule, rows.sort_values("_i"), COL_DOB)


def known_award(ctx: Context, rule: Rule) -> list[Finding]:
    df = ctx.df
    rows = df[(df["hinh_thuc"] != "") & df["award"].isna()].copy()
    if rows.empty:
        return []
    hint = {text: ctx.catalog.hint(text) for text in rows["hinh_thuc"].unique()}
    rows["detail"] = rows["hinh_thuc"].map(hint)
    return emit(ctx, rule, rows, COL_AWARD)


# Words that open a collective's name, matched with their diacritics so that the surnames
# Tô, Đoàn, Trương are not mistaken for Tổ, Đoàn thể, Trường.
_COLLECTIVE_NAME = re.compile(
    r"^(khoa|phòng|tổ|trạm|bệnh viện|trung tâm|ban|đội|đơn vị|chi cục|công đoàn|chi bộ|đảng bộ|văn phòng|"
    r"bộ phận|nhà thuốc|tập thể|phân viện|viện|trường|sở|cục|chi đoàn|đoàn thanh niên|nhóm|kíp|ê kíp|ekip|"
    r"phòng khám|hội đồng|hội)(\s|$)")


def subject(ctx: Context, rule: Rule) -> list[Finding]:
    """A collective award on a person, an individual award on a collective, a stated Đối tượng the award refuses."""
    df = ctx.df[ctx.df["award"].notna()]
    award_subject = df["award"].map({a.code: a.subject for a in ctx.catalog})
    parts = []
    a = df[(award_subject == TAP_THE) & df["has_person"]].copy()
    a["detail"] = "“" + a["award_name"] + "” chỉ xét tặng tập thể, nhưng dòng này có ngày sinh hoặc giới tính của một cá nhân."
    # point at the cell that makes the row a person: the birth date, else the gender
    dob_empty = (a["ngay_sinh_raw"].fillna("") == "") & a["nam_sinh"].isna()
    a["_column"] = COL_DOB
    a.loc[dob_empty, "_column"] = "Giới tính"
    parts.append(a)
    b = df[(award_subject == TAP_THE) & ~df["has_person"] & (df["doi_tuong"] == CA_NHAN)].copy()
    b["detail"] = "“" + b["award_name"] + "” chỉ xét tặng tập thể, nhưng cột “Đối tượng” ghi “Cá nhân”."
    b["_column"] = COL_SUBJECT
    parts.append(b)
    c = df[(award_subject == CA_NHAN) & (df["doi_tuong"] == TAP_THE)].copy()
    c["detail"] = "“" + c["award_name"] + "” chỉ xét tặng cá nhân, nhưng cột “Đối tượng” ghi “Tập thể”."
    c["_column"] = COL_SUBJECT
    parts.append(c)
    d = df[(award_subject == CA_NHAN) & (df["doi_tuong"] == "") & ~df["has_person"]].copy()
    if not d.empty:
        looks = d["ho_ten"].map(lambda n: bool(_COLLECTIVE_NAME.match(clean(n).lower())))
        d = d[looks | (d["group_subject"] == TAP_THE)]
        d["detail"] = "“" + d["award_name"] + "” chỉ xét tặng cá nhân, nhưng đây là tên một tập thể."
        d["_column"] = COL_NAME
        parts.append(d)
    rows = pd.concat(parts)
    return emit(ctx, rule, rows.sort_values("_i"), COL_NAME)


def subject_signals(ctx: Context, rule: Rule) -> list[Finding]:
    """An award open to both on a row whose signals disagree (or are absent): say which way it was counted."""
    from ..subjects import infer, signals

    df = ctx.df[ctx.df["award"].notna()]
    both = df["award"].map({a.code: a.subject for a in ctx.catalog}) == BOTH
    df = df[both]
    if df.empty:
        return []
    _subject, conflict, silent = infer(df["doi_tuong"], df["group_subject"], df["ho_ten"], df["has_person"],
                                       df["chuc_vu"])
    rows = df[conflict | silent].copy()
    if rows.empty:
        return []
    label = {CA_NHAN: "cá nhân", TAP_THE: "tập thể"}
    details = []
    for rec, is_conflict in zip(row_records(rows[["ho_ten", "doi_tuong", "group_subject", "has_person", "subject"]]),
                                conflict[rows.index].tolist()):
        person, collective = signals(rec)
        counted = label.get(rec["subject"], "tập thể")
        if is_conflict:
            details.append(f"các dấu hiệu trái nhau: {', '.join(person)} (cá nhân) nhưng {', '.join(collective)} "
                           f"(tập thể); đã tính là {counted} theo dấu hiệu mạnh hơn")
        else:
            details.append(f"không có dấu hiệu nào cho biết là cá nhân hay tập thể; đã tính là {counted}")
    rows["detail"] = details
    return emit(ctx, rule, rows, COL_NAME)


def duplicate(ctx: Context, rule: Rule) -> list[Finding]:
    """The same person (or collective of one unit) proposed for the same award twice, anywhere."""
    df = ctx.rows_for(rule)
    fields = [c for c in df.columns if c in MESSAGE_FIELDS or c in ("name_key", "unit_key", "subject")]
    # duplicates are found on the key columns alone; only the rows found are copied whole
    keys = pd.DataFrame({"name_key": df["name_key"], "by": df["birth_year"].fillna(-1), "award": df["award"],
                         "unit_key": df["unit_key"]})
    collective = df["subject"].to_numpy() == TAP_THE
    out_rows = []
    keys_i = ["name_key", "by", "award"]
    twice = keys[~collective].duplicated(keys_i, keep=False)
    cand = df.loc[twice.index[twice.to_numpy()], fields].assign(by=keys["by"])
    for recs in _groups(cand, keys_i):
        for r in recs:
            others = [o for o in recs if o["_i"] != r["_i"]
                      and (r["birth_date"] == "" or o["birth_date"] == "" or r["birth_date"] == o["birth_date"])]
            if others:
                out_rows.append({**r, "detail": "; ".join(where_text(o, r) for o in others[:5])})
    # a collective is its name under its parent: "Khoa Nhi" of two hospitals are two collectives
    parent = df["khoa_phong"].fillna("").astype(str) if "khoa_phong" in df else pd.Series("", index=df.index)
    folded = {p: fold(p) for p in parent.unique()}
    keys["parent"] = parent.map(folded)
    keys_c = ["unit_key", "parent", "name_key", "award"]
    twice = keys[collective].duplicated(keys_c, keep=False)
    cand = df.loc[twice.index[twice.to_numpy()], fields].assign(parent=keys["parent"])
    for recs in _groups(cand, keys_c):
        for r in recs:
            others = [o for o in recs if o["_i"] != r["_i"]]
            out_rows.append({**r, "detail": "; ".join(where_text(o, r) for o in others[:5])})
    if not out_rows:
        return []
    rows = pd.DataFrame(out_rows).sort_values("_i")
    return emit(ctx, rule, rows, COL_NAME)


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[list[dict]]:
    """Records grouped as `groupby(keys, sort=False)` would (first-seen order, NaN keys dropped),
    with one `to_dict` for the whole frame instead of one per group."""
    groups: dict[tuple, list[dict]] = {}
    for rec in row_records(frame.dropna(subset=keys)):
        groups.setdefault(tuple(rec[k] for k in keys), []).append(rec)
    return list(groups.values())

