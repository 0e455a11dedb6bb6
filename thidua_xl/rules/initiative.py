"""The initiative a title requires: a recognised sáng kiến or đề tài of the right level in
the right years, from the initiatives table and the row's own `Sáng kiến` cell."""
from __future__ import annotations

import pandas as pd

from ..model import Finding
from ..text import fold
from .context import COL_INITIATIVE, LEVEL_LABEL, LEVEL_ORDER, Context
from .emit import emit, not_checked
from .records import Rule


def initiative(ctx: Context, rule: Rule) -> list[Finding]:
    """A recognised initiative of at least `min_level` in the last `window_years` years.

    Sources: the initiatives table (authors matched on their name key, in the same
    unit when the table names one) and the row's own `Sáng kiến` cell.
    """
    rows = ctx.rows_for(rule)
    alt = rule.params.get("or_column")  # an alternative the law accepts instead (e.g. Xếp loại = HTXSNV)
    if alt:
        rows = rows[~column_says(ctx, rows, alt)]
    if rows.empty:
        return []
    min_level = rule.params.get("min_level", "co_so")
    need = LEVEL_ORDER.get(min_level, 1)
    window = int(rule.params.get("window_years", 1))
    first = ctx.year - window + 1
    init = in_window(ctx, first)
    m = rows[["_i", "name_key", "unit_key"]].merge(
        init[["author_key", "unit_key", "level"]], left_on="name_key", right_on="author_key", suffixes=("", "_init"))
    m = m[(m["unit_key_init"] == "") | (m["unit_key_init"] == m["unit_key"])]
    ok = set(m.loc[m["level"] >= need, "_i"])
    some = set(m["_i"])
    min_count = int(rule.params.get("min_count", 1))
    if min_count > 1:  # several initiatives (Bằng khen Thủ tướng: 5 in 5 years); the row's own cell counts one
        counts = count_initiatives(rows, init, need)
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
    no_data = missing[~has_initiative_data(ctx, missing)]
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


def in_window(ctx: Context, first: int) -> pd.DataFrame:
    """The initiatives of the years `first`…award year (and those without a year)."""
    init = ctx.initiatives
    return init[init["nam"].isna() | ((init["nam"] >= first) & (init["nam"] <= ctx.year))]


def count_initiatives(rows: pd.DataFrame, init: pd.DataFrame, need: int) -> pd.Series:
    """`_i` → distinct initiatives of level ≥ `need` the rows' people wrote (same unit when the table
    names one); a row's own `Sáng kiến` cell counts one when the table names none of theirs."""
    titles = init[["author_key", "unit_key", "level", "ten_key"]]
    mc = rows[["_i", "name_key", "unit_key", "sang_kien"]].merge(
        titles, left_on="name_key", right_on="author_key", suffixes=("", "_init"))
    mc = mc[((mc["unit_key_init"] == "") | (mc["unit_key_init"] == mc["unit_key"])) & (mc["level"] >= need)]
    counts = mc.groupby("_i")["ten_key"].nunique()
    own = rows.set_index("_i")["sang_kien"].map(lambda v: bool(v)).astype(int)
    return counts.reindex(own.index, fill_value=0) + own.where(~own.index.isin(counts.index), 0)


def has_initiative_data(ctx: Context, rows: pd.DataFrame) -> pd.Series:
    """Rows whose initiatives can be told: an initiatives table, or a `Sáng kiến` column on their sheet."""
    if len(ctx.initiatives):
        return pd.Series(True, index=rows.index)
    return pd.Series([(f, s) in ctx.initiative_sheets for f, s in zip(rows["file"], rows["sheet"])], index=rows.index)


def column_says(ctx: Context, rows: pd.DataFrame, spec: dict) -> pd.Series:
    """Rows whose optional column `spec["column"]` holds one of `spec["values"]` (compared folded)."""
    col = spec.get("column", "")
    if col not in rows.columns:
        return pd.Series(False, index=rows.index)
    texts = rows[col].fillna("").astype(str)
    keys = {v: fold(v) for v in texts.unique()}
    return texts.map(keys).isin({fold(v) for v in spec.get("values", [])})


def rated_with_initiatives(ctx: Context, rows: pd.DataFrame, spec: dict) -> tuple[pd.Series, pd.Series]:
    """(possible, why) for an alternative path of `years` consecutive years rated one of `values`
    with `initiatives` initiatives of `min_level` in them (Luật 2022 Điều 74 khoản 1 điểm d).

    Only this year's rating is in the data (the `Xếp loại` column), so the path is ruled out
    only by what is known: this year rated otherwise, or too few initiatives where they can
    be told. Otherwise it stays possible, and `why` says what is known and what is missing.
    """
    col, label = spec.get("column", "xep_loai"), spec.get("label", "Xếp loại")
    years, need_n = int(spec.get("years", 2)), int(spec.get("initiatives", 2))
    level = spec.get("min_level", "co_so")
    first = ctx.year - years + 1
    span = f"{first}–{ctx.year}" if years > 1 else str(ctx.year)
    texts = rows[col].fillna("").astype(str).str.strip() if col in rows.columns else pd.Series("", index=rows.index)
    rated = column_says(ctx, rows, spec)
    other_rating = (texts != "") & ~rated
    counts = rows["_i"].map(count_initiatives(rows, in_window(ctx, first), LEVEL_ORDER.get(level, 1))).astype(int)
    data = has_initiative_data(ctx, rows)
    few = data & (counts < need_n)
    possible = ~other_rating & ~few
    path = (f"{years:02d} năm liên tục hoàn thành xuất sắc nhiệm vụ với {need_n:02d} sáng kiến "
            f"{LEVEL_LABEL.get(level, level)}")
    why = []
    for i in rows.index:
        if possible[i]:
            known = [f"năm {ctx.year} hoàn thành xuất sắc nhiệm vụ" if rated[i] else f"không có “{label}” năm {ctx.year}",
                     f"có {counts[i]} sáng kiến trong {span}" if data[i] else "không có dữ liệu sáng kiến"]
            if years > 1:
                known.append(f"xếp loại các năm {first}–{ctx.year - 1} không có trong dữ liệu" if years > 2
                             else f"xếp loại năm {first} không có trong dữ liệu")
            why.append(f"chưa loại trừ được đường {path}: " + ", ".join(known))
        else:
            parts = ([f"“{label}” năm {ctx.year} là “{texts[i]}”"] if other_rating[i] else []) + \
                    ([f"chỉ có {counts[i]} sáng kiến {LEVEL_LABEL.get(level, level)} trở lên trong {span}"] if few[i] else [])
            why.append(f"đường {path} cũng không đạt ({'; '.join(parts)})")
    return possible, pd.Series(why, index=rows.index, dtype=object)

