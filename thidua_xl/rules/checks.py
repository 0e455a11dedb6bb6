"""The kinds of check, one function each, over whole columns.

A check receives the validation context and one rule record and returns the
findings for the rows the rule catches. Selections and joins are pandas
operations; Python loops only run over the rows that are already known to be
hits (to word their messages).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..catalog import BOTH, CA_NHAN, TAP_THE, Catalog
from ..history import People
from ..model import INFO, WARNING, Finding
from ..text import clean, fold
from .engine import Rule, check, render

COL_NAME = "Họ và tên"
COL_DOB = "Ngày sinh"
COL_AWARD = "Hình thức đề nghị"
COL_SUBJECT = "Đối tượng"
COL_INITIATIVE = "Sáng kiến"
NOT_CHECKED = "NOT_CHECKED"
QUOTA_REMAINING = "QUOTA_REMAINING"
LEVEL_ORDER = {"co_so": 1, "tinh": 2, "bo": 2, "toan_quoc": 3}
LEVEL_LABEL = {"co_so": "cơ sở", "tinh": "cấp tỉnh", "bo": "cấp bộ", "toan_quoc": "toàn quốc"}


@dataclass
class Context:
    """Everything a check may look at, prepared once per validation run.

    `df` is the nominations frame plus helper columns: `_i` (position), `name_key`,
    `birth_year` (float, NaN when unknown), `birth_date` (ISO text or ''),
    `unit_key` (unit code, else folded unit name) and `has_person`.
    `known` stacks this year's nominations and the history register (columns
    name_key, birth_year, birth_date, unit_key, subject, award, year, source).
    """

    df: pd.DataFrame
    year: int
    catalog: Catalog
    initiatives: pd.DataFrame  # one row per (initiative, author): author_key, unit_key, cap, nam, ten_key
    known: pd.DataFrame
    history: pd.DataFrame | None = None
    history_label: str = ""
    history_years: set[int] = field(default_factory=set)
    initiative_sheets: set[tuple[str, str]] = field(default_factory=set)  # (file, sheet) with a Sáng kiến column
    config_values: dict[str, str] = field(default_factory=dict)
    _rows: dict = field(default_factory=dict, repr=False)  # rows_for's selections

    def award_name(self, code) -> str:
        if code is None or (isinstance(code, float) and math.isnan(code)):
            return ""
        a = self.catalog.by_code.get(code)
        return a.name if a else str(code)

    def rows_for(self, rule: Rule) -> pd.DataFrame:
        """The rule's rows (see `proposed`), selected once per awards list and subject (param
        `subject`, for awards open to both: Bằng khen of an individual): callers never modify it."""
        subject = rule.params.get("subject")
        key = (tuple(rule.awards), subject)
        if key not in self._rows:
            sel = proposed(self.df, rule.awards)
            if subject:
                sel &= self.df["subject"] == subject
            self._rows[key] = self.df[sel]
        return self._rows[key]

    # --- person matching ------------------------------------------------------------
    def matched(self, left: pd.DataFrame, right: pd.DataFrame) -> set:
        """Positions (`_i`) of left rows whose person or collective appears in right.

        Individuals: same name key and birth year, and full dates equal when both
        are known (a year alone matches a full date of that year); a row without
        any birth year matches the same name in the same unit. Collectives: same
        unit and same name key.
        """
        return _matches(left, right, None).get(None, set())

    def matched_years(self, left: pd.DataFrame, awards, years) -> dict[int, set]:
        """For each of `years` (absent when none), the positions of left rows matched by one of `awards`
        that year in `known`: one pass over all the years instead of one `matched` per year."""
        return _matches(left, self.known_awards(awards, years), "year")

    @staticmethod
    def people(left: pd.DataFrame) -> People:
        """The register records `matched` can meet for left rows (or any subset of them).

        Mirrors its joins without the units (the register's units are mapped to this
        year's codes only after loading): an individual with a birth year meets that
        name and year; any individual meets records of its name without a birth year;
        an individual without a birth year, or a collective, meets every record of its name.
        """
        ind = (left["subject"] != TAP_THE).to_numpy()
        born = left["birth_year"].notna().to_numpy()
        keys = left["name_key"].to_numpy()
        years = left["birth_year"].to_numpy()
        return People(pairs=frozenset(zip(keys[ind & born].tolist(), years[ind & born].astype(int).tolist())),
                      names=frozenset(keys[ind].tolist()), any_birth=frozenset(keys[~(ind & born)].tolist()))

    def known_awards(self, awards, years) -> pd.DataFrame:
        k = self.known
        return k[k["award"].isin(list(awards)) & k["year"].isin(list(years))]

    def config_number(self, key: str | None) -> float | None:
        """A number the master's `Cấu hình` sheet states explicitly (e.g. ty_le_cstdcs)."""
        if not key or key not in self.config_values:
            return None
        text = str(self.config_values[key]).strip().replace(",", ".")
        try:
            value = float(text.rstrip("%").strip())
        except ValueError:
            return None
        return value / 100 if (text.endswith("%") or value > 1) else value


def _matches(left: pd.DataFrame, right: pd.DataFrame, label: str | None) -> dict:
    """`Context.matched` for each value of right's `label` column (None: all right rows under None).

    Every join is on the name key, so right is first narrowed to left's names; the
    joins then run as dict look-ups over the few records left (left rows come from
    `Context.df`, whose keys and dates are never missing).
    """
    if left.empty or right.empty:
        return {}
    right = right[right["name_key"].isin(set(left["name_key"].tolist()))]
    labels = right[label].tolist() if label else [None] * len(right)
    born: dict[tuple, list] = {}     # (name, birth year) → [(birth date, label)]
    by_unit: dict[tuple, list] = {}  # (name, unit) → [(no birth year, label)]
    groups: dict[tuple, list] = {}   # collectives: (unit, name) → [label]
    for name, year, date, unit, subj, lab in zip(
            right["name_key"].tolist(), right["birth_year"].astype(float).tolist(), right["birth_date"].tolist(),
            right["unit_key"].tolist(), right["subject"].tolist(), labels):
        if subj == TAP_THE:
            groups.setdefault((unit, name), []).append(lab)
            continue
        if year == year:  # not NaN
            born.setdefault((name, year), []).append((date, lab))
        by_unit.setdefault((name, unit), []).append((year != year, lab))
    hits: dict = {}
    for i, name, year, date, unit, subj in zip(
            left["_i"].tolist(), left["name_key"].tolist(), left["birth_year"].tolist(), left["birth_date"].tolist(),
            left["unit_key"].tolist(), left["subject"].tolist()):
        if subj == TAP_THE:
            for lab in groups.get((unit, name), ()):
                hits.setdefault(lab, set()).add(i)
            continue
        has_year = year == year
        if has_year:
            for d, lab in born.get((name, year), ()):
                if date == "" or d == "" or date == d:
                    hits.setdefault(lab, set()).add(i)
        for unborn, lab in by_unit.get((name, unit), ()):
            if unborn or not has_year:
                hits.setdefault(lab, set()).add(i)
    return hits


def proposed(df: pd.DataFrame, awards) -> pd.Series:
    """Rows with a name proposed for one of `awards` (for any known award when they include "*")."""
    award = df["award"].notna() if "*" in awards else df["award"].isin(list(awards))
    return award & (df["ho_ten"] != "")


# Row fields a message template may use (the rest of the frame stays out of the loop).
MESSAGE_FIELDS = {"_i", "file", "sheet", "row", "unit", "unit_code", "ho_ten", "hinh_thuc", "award", "award_name",
                  "ngay_sinh_raw", "gioi_tinh", "chuc_vu", "khoa_phong", "sang_kien", "ghi_chu", "doi_tuong_raw",
                  "birth_date", "birth_year"}


# --- emitting findings ----------------------------------------------------------------
def _records(frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")`, column by column: for NumPy number and text columns `tolist()` gives
    the same Python values that pandas otherwise boxes cell by cell (other dtypes go the long way)."""
    plain = all((isinstance(d, np.dtype) and d.kind in "biuf") or isinstance(d, pd.StringDtype) for d in frame.dtypes)
    if not plain or not len(frame.columns) or not frame.columns.is_unique:
        return frame.to_dict("records")
    cols = list(frame.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(frame[c].tolist() for c in cols))]


def emit(ctx: Context, rule: Rule, rows: pd.DataFrame, column: str | None, *, code: str | None = None,
         severity: str | None = None, verified: bool | None = None, **values) -> list[Finding]:
    """One finding per row of `rows`; a `detail` (or any) column of rows fills the template."""
    if rows.empty:
        return []  # selecting and converting no rows still costs ~0.5 ms a rule
    out = []
    base = {"year": ctx.year, **rule.params, **values}
    keep = [c for c in rows.columns if c in MESSAGE_FIELDS or c not in ctx.df.columns]
    for rec in _records(rows[keep]):
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


def not_checked(ctx: Context, rule: Rule, rows: pd.DataFrame, reason: str) -> list[Finding]:
    """A rule that needed data the inputs lack: a warning naming the rule, never a silent pass."""
    if rows.empty:
        return []
    title = rule.title or rule.id
    msg = (f"Không kiểm tra được quy định “{title}” cho “{{ho_ten}}” ({{award_name}} năm {{year}}): "
           f"{reason}. Hãy kiểm tra thủ công.")
    stand_in = replace(rule, message=msg)
    return emit(ctx, stand_in, rows, COL_AWARD, code=NOT_CHECKED, severity=WARNING)


def _where(rec: dict, here: dict) -> str:
    if rec["file"] == here["file"] and rec["sheet"] == here["sheet"]:
        return f"dòng {rec['row']}"
    unit = f", đơn vị {rec['unit']}" if rec.get("unit") and rec.get("unit") != here.get("unit") else ""
    return f"dòng {rec['row']} trang “{rec['sheet']}” tệp {rec['file']}{unit}"


def _years(ys) -> str:
    return ", ".join(str(int(y)) for y in sorted(ys))


# --- row checks ----------------------------------------------------------------------
@check("required")
def required(ctx: Context, rule: Rule) -> list[Finding]:
    col = rule.params.get("column", "ho_ten")
    rows = ctx.df[ctx.df[col].fillna("") == ""]
    return emit(ctx, rule, rows, rule.params.get("label", col))


@check("date_of_birth")
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


@check("known_award")
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


@check("subject")
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


@check("subject_signals")
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
    for rec, is_conflict in zip(_records(rows[["ho_ten", "doi_tuong", "group_subject", "has_person", "subject"]]),
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


@check("duplicate")
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
                out_rows.append({**r, "detail": "; ".join(_where(o, r) for o in others[:5])})
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
            out_rows.append({**r, "detail": "; ".join(_where(o, r) for o in others[:5])})
    if not out_rows:
        return []
    rows = pd.DataFrame(out_rows).sort_values("_i")
    return emit(ctx, rule, rows, COL_NAME)


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[list[dict]]:
    """Records grouped as `groupby(keys, sort=False)` would (first-seen order, NaN keys dropped),
    with one `to_dict` for the whole frame instead of one per group."""
    groups: dict[tuple, list[dict]] = {}
    for rec in _records(frame.dropna(subset=keys)):
        groups.setdefault(tuple(rec[k] for k in keys), []).append(rec)
    return list(groups.values())


# --- cross-row and history checks ----------------------------------------------------------
@check("same_year_award", history=True)
def same_year_award(ctx: Context, rule: Rule) -> list[Finding]:
    """The award presupposes another one in the same year (CSTĐCS ⇒ LĐTT, TTLĐXS ⇒ TTLĐTT)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    hits = ctx.matched_years(rows, rule.params.get("needs", []), [ctx.year]).get(ctx.year, set())
    return emit(ctx, rule, rows[~rows["_i"].isin(hits)], COL_AWARD)


@check("initiative")
def initiative(ctx: Context, rule: Rule) -> list[Finding]:
    """A recognised initiative of at least `min_level` in the last `window_years` years.

    Sources: the initiatives table (authors matched on their name key, in the same
    unit when the table names one) and the row's own `Sáng kiến` cell.
    """
    rows = ctx.rows_for(rule)
    alt = rule.params.get("or_column")  # an alternative the law accepts instead (e.g. Xếp loại = HTXSNV)
    if alt:
        rows = rows[~_column_says(ctx, rows, alt)]
    if rows.empty:
        return []
    min_level = rule.params.get("min_level", "co_so")
    need = LEVEL_ORDER.get(min_level, 1)
    window = int(rule.params.get("window_years", 1))
    first = ctx.year - window + 1
    init = ctx.initiatives
    init = init[init["nam"].isna() | ((init["nam"] >= first) & (init["nam"] <= ctx.year))]
    m = rows[["_i", "name_key", "unit_key"]].merge(
        init[["author_key", "unit_key", "level"]], left_on="name_key", right_on="author_key", suffixes=("", "_init"))
    m = m[(m["unit_key_init"] == "") | (m["unit_key_init"] == m["unit_key"])]
    ok = set(m.loc[m["level"] >= need, "_i"])
    some = set(m["_i"])
    min_count = int(rule.params.get("min_count", 1))
    if min_count > 1:  # several initiatives (Bằng khen Thủ tướng: 5 in 5 years); the row's own cell counts one
        titles = init[["author_key", "unit_key", "level", "ten_key"]]
        mc = rows[["_i", "name_key", "unit_key", "sang_kien"]].merge(
            titles, left_on="name_key", right_on="author_key", suffixes=("", "_init"))
        mc = mc[((mc["unit_key_init"] == "") | (mc["unit_key_init"] == mc["unit_key"])) & (mc["level"] >= need)]
        counts = mc.groupby("_i")["ten_key"].nunique()
        own = rows.set_index("_i")["sang_kien"].map(lambda v: bool(v)).astype(int)
        counts = counts.reindex(own.index, fill_value=0) + own.where(~own.index.isin(counts.index), 0)
        ok = set(counts[counts >= min_count].index)
        some = set(counts[counts > 0].index)
        rows = rows.assign(found=rows["_i"].map(counts).fillna(0).astype(int))
    # The row's own Sáng kiến cell: its level comes from the table when the title matches.
    cell = rows[(rows["sang_kien"] != "") & ~rows["_i"].isin(ok)]
    unknown_level: set = set()
    if not cell.empty and min_count <= 1:
        keys = {v: fold(v) for v in cell["sang_kien"].unique()}
        titled = cell[["_i", "sang_kien"]].assign(ten_key=cell["sang_kien"].map(keys)).merge(
            ctx.initiatives[["ten_key", "level"]].drop_duplicates(), on="ten_key", how="left")
        best = titled.assign(level=titled["level"].astype(float)).groupby("_i")["level"].max()
        ok.update(best[best >= need].index)
        if need <= 1:
            ok.update(best[best.isna()].index)  # the unit states a recognised cơ sở initiative
        else:
            unknown_level.update(best[best.isna()].index)
            some.update(best[best.notna() & (best < need)].index)
    missing = rows[~rows["_i"].isin(ok)]
    if missing.empty:
        return []
    if len(ctx.initiatives):
        no_data = missing.iloc[0:0]
    else:
        with_column = [(f, s) in ctx.initiative_sheets for f, s in zip(missing["file"], missing["sheet"])]
        no_data = missing[[not w for w in with_column]]
    out = not_checked(ctx, rule, no_data,
                      "tệp không có cột “Sáng kiến” và không có bảng “Sáng kiến” để đối chiếu")
    level_unknown = missing[missing["_i"].isin(unknown_level) & ~missing["_i"].isin(no_data["_i"])]
    out += not_checked(ctx, rule, level_unknown,
                       "cột “Sáng kiến” có ghi nhưng bảng “Sáng kiến” không cho biết cấp công nhận")
    fail = missing[~missing["_i"].isin(no_data["_i"]) & ~missing["_i"].isin(level_unknown["_i"])].copy()
    if alt:  # without the alternative's cell the row may still qualify by it: not checked, never passed
        col = alt.get("column", "")
        blank = (fail[col].fillna("").astype(str).str.strip() == "") if col in fail.columns else \
            pd.Series(True, index=fail.index)
        out += not_checked(ctx, rule, fail[blank], alt.get("unknown", f"không có “{alt.get('label', col)}”"))
        fail = fail[~blank].copy()
        fail["value"] = fail[col] if col in fail.columns else ""
    span = str(ctx.year) if window <= 1 else f"{first}–{ctx.year}"
    if min_count > 1:
        fail["detail"] = [f"(chỉ thấy {n} sáng kiến, đề tài từ {LEVEL_LABEL.get(min_level, min_level)} trở lên "
                          f"trong {span}, cần {min_count})" for n in fail["found"]]
    else:
        fail["detail"] = [
            (f"(chỉ có sáng kiến cấp thấp hơn {LEVEL_LABEL.get(min_level, min_level)} trong {span})" if i in some
             else f"(cột “Sáng kiến” để trống và bảng “Sáng kiến” không ghi tác giả này trong {span})")
            for i in fail["_i"]
        ]
    return out + emit(ctx, rule, fail, COL_INITIATIVE)


def _column_says(ctx: Context, rows: pd.DataFrame, spec: dict) -> pd.Series:
    """Rows whose optional column `spec["column"]` holds one of `spec["values"]` (compared folded)."""
    col = spec.get("column", "")
    if col not in rows.columns:
        return pd.Series(False, index=rows.index)
    texts = rows[col].fillna("").astype(str)
    keys = {v: fold(v) for v in texts.unique()}
    return texts.map(keys).isin({fold(v) for v in spec.get("values", [])})


def _history_gap(ctx: Context, years) -> list[int]:
    """Years before this one the history register does not cover."""
    if ctx.history is None:
        return [y for y in years if y != ctx.year]
    return [y for y in years if y != ctx.year and y not in ctx.history_years]


def _no_history_reason(ctx: Context, gap) -> str:
    if ctx.history is None:
        return "chưa có sổ lịch sử khen thưởng (dùng “thidua history import” hoặc --history)"
    return f"sổ lịch sử {ctx.history_label} chưa có dữ liệu năm {_years(gap)}"


@check("streak", history=True)
def streak(ctx: Context, rule: Rule) -> list[Finding]:
    """The award in every one of the `years` consecutive years ending this year (history + this year)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    n = int(rule.params.get("years", 3))
    needs = rule.params.get("needs", [])
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    gap = set(_history_gap(ctx, years))
    missing: dict[int, list[int]] = {i: [] for i in rows["_i"]}
    unknown: dict[int, list[int]] = {i: [] for i in rows["_i"]}
    by_year = ctx.matched_years(rows, needs, years)
    for y in years:
        hits = by_year.get(y, set())
        for i in rows["_i"]:
            if i not in hits:
                (unknown if y in gap else missing)[i].append(y)
    fail = rows[rows["_i"].map(lambda i: bool(missing[i]))].copy()
    needs_name = ", ".join(ctx.award_name(c) for c in needs)
    fail["detail"] = [f"không có {needs_name} năm {_years(missing[i])}" for i in fail["_i"]]
    out = emit(ctx, rule, fail, COL_AWARD, first_year=years[0])
    unsure = rows[rows["_i"].map(lambda i: not missing[i] and bool(unknown[i]))]
    return out + not_checked(ctx, rule, unsure, _no_history_reason(ctx, sorted(gap)))


@check("count_in_window", history=True)
def count_in_window(ctx: Context, rule: Rule) -> list[Finding]:
    """At least `count` years with one of `needs` among the last `window_years` years."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    window = int(rule.params.get("window_years", 6))
    need = int(rule.params.get("count", 2))
    years = list(range(ctx.year - window + 1, ctx.year + 1))
    gap = _history_gap(ctx, years)
    found = {i: 0 for i in rows["_i"]}
    for hits in ctx.matched_years(rows, rule.params.get("needs", []), years).values():
        for i in hits:
            found[i] += 1
    short = rows[rows["_i"].map(lambda i: found[i] < need)].copy()
    if gap:
        return not_checked(ctx, rule, short, _no_history_reason(ctx, gap))
    short["found"] = short["_i"].map(found)
    return emit(ctx, rule, short, COL_AWARD, first_year=years[0])


@check("prior_award", history=True)
def prior_award(ctx: Context, rule: Rule) -> list[Finding]:
    """One of `needs` at least `min_years_since` years before this one (history register)."""
    rows = ctx.rows_for(rule)
    if rows.empty:
        return []
    if ctx.history is None:
        return not_checked(ctx, rule, rows, _no_history_reason(ctx, []))
    last = ctx.year - int(rule.params.get("min_years_since", 5))
    k = ctx.history
    right = k[k["award"].isin(rule.params.get("needs", [])) & (k["year"] <= last)]
    hits = ctx.matched(rows, right)
    fail = rows[~rows["_i"].isin(hits)].copy()
    span = f"{min(ctx.history_years)}–{max(ctx.history_years)}" if ctx.history_years else "không có năm nào"
    fail["detail"] = f"(sổ lịch sử có dữ liệu các năm {span})"
    return emit(ctx, rule, fail, COL_AWARD, last_year=last)


@check("quota_ratio")
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
    sel = df.loc[df["award"].isin([award, of]) & (df["ho_ten"] != ""),
                 ["file", "sheet", "unit", "unit_key", "award", "name_key", "birth_date", "birth_year"]]
    if sel.empty:
        return []
    # a person counts once (a duplicate row is reported elsewhere); namesakes born the same year but on
    # different known dates are two people, as in `duplicate` (Context.df's birth_date is never missing)
    people: dict[tuple, set] = {}  # (unit, award) → {(name key, birth date, else birth year or -1)}
    for u, a, name, date, year in zip(sel["unit_key"].tolist(), sel["award"].tolist(), sel["name_key"].tolist(),
                                      sel["birth_date"].tolist(), sel["birth_year"].fillna(-1).astype(int).tolist()):
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


def _first_per_unit(sel: pd.DataFrame, cols: list[str]) -> dict[str, dict]:
    """unit_key → the first non-missing value of each of cols, rows in `_i` order (Context.df's order)."""
    firsts = sel.drop_duplicates("unit_key")
    if firsts[cols].isna().any(axis=None):  # a missing cell: take the next row's, as groupby.first does
        return sel.groupby("unit_key")[cols].first().to_dict("index")
    return firsts.set_index("unit_key")[cols].to_dict("index")


# --- optional columns (xếp loại, kỷ luật, ngày tuyển dụng) ------------------------------------
# These run only when intake carries the column (a unit file that has it); otherwise there is
# nothing to check and nothing to report.
def _optional(ctx: Context, rule: Rule) -> tuple[pd.DataFrame, str] | None:
    col = rule.params.get("column", "")
    if col not in ctx.df.columns:
        return None
    rows = ctx.rows_for(rule)
    values = rows[col].fillna("").astype(str).map(lambda v: v.strip())
    return rows[values != ""], col


@check("column_in")
def column_in(ctx: Context, rule: Rule) -> list[Finding]:
    """A filled optional column must hold one of `allowed` (compared folded: HTTNV = httnv)."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    return _emit_folded(ctx, rule, rows, col, rule.params.get("allowed", []))


@check("column_empty")
def column_empty(ctx: Context, rule: Rule) -> list[Finding]:
    """A filled optional column (e.g. Kỷ luật) disqualifies unless it says one of `ignore` ("không")."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    return _emit_folded(ctx, rule, rows, col, rule.params.get("ignore", []))


def _emit_folded(ctx: Context, rule: Rule, rows: pd.DataFrame, col: str, listed) -> list[Finding]:
    """A finding for each row whose cell, compared folded (HTTNV = httnv, Không = khong), is not one of `listed`."""
    texts = rows[col].astype(str)
    keys = {v: fold(v) for v in texts.unique()}  # each distinct text folded once
    inside = texts.map(keys).isin({fold(a) for a in listed})
    bad = rows[~inside].copy()
    bad["value"] = bad[col]
    return emit(ctx, rule, bad, rule.params.get("label", col))


@check("months_before_year_end")
def months_before_year_end(ctx: Context, rule: Rule) -> list[Finding]:
    """A date column (ngày tuyển dụng) at least `min_months` before 31/12 of the award year."""
    got = _optional(ctx, rule)
    if got is None:
        return []
    rows, col = got
    from ..text import parse_date

    end = dt.date(ctx.year + 1, 1, 1)  # the year's work ends with 31/12
    need = int(rule.params.get("min_months", 10))

    def months(v) -> float:
        """Whole months from the date to the end of the award year (01/07 → 6, 02/07 → 5)."""
        d = parse_date(v).date
        if d is None:
            return math.nan
        return (end.year - d.year) * 12 + (end.month - d.month) - (1 if d.day > end.day else 0)

    m = rows[col].map(months)
    bad = rows[m.notna() & (m < need)].copy()
    bad["value"] = bad[col].astype(str)
    bad["months"] = m[bad.index].astype(int)
    return emit(ctx, rule, bad, rule.params.get("label", col))
