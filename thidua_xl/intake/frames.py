"""The nominations and initiatives frames of every sheet read, finished with whole-column steps."""
from __future__ import annotations

from itertools import chain

import pandas as pd

from ..catalog import BOTH, TAP_THE, Catalog
from ..model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS
from ..subjects import infer as infer_subject
from ..subjects import strip_titles
from ..text import name_keys
from .headers import OPTIONAL_COLUMNS
from .rows import RAW_NOMINATION_COLUMNS

def finish_nominations(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Whole-column steps: one row per award a cell names, award codes, the subject each row is
    counted under, person keys."""
    if df.empty:
        return pd.DataFrame(columns=NOMINATION_COLUMNS)
    df = df.copy()
    for c in OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["nam_sinh"] = pd.array(df["nam_sinh"].tolist(), dtype="Int64")
    df["row"] = df["row"].astype(int)
    df = split_award_cells(df, catalog)
    matched = {t: catalog.match(t) for t in df["hinh_thuc"].unique()}
    df["award"] = df["hinh_thuc"].map(matched)
    award_subject = {a.code: a.subject for a in catalog}
    subj = df["award"].map(award_subject)
    has_person = df["nam_sinh"].notna() | (df["ngay_sinh_raw"] != "") | (df["gioi_tinh"] != "")
    either = subj == BOTH  # only awards open to both need the row's signals weighed (subjects.infer)
    inferred, _conflict, _silent = infer_subject(df["doi_tuong"][either], df["group_subject"][either],
                                                 df["ho_ten"][either], has_person[either], df["chuc_vu"][either])
    df["subject"] = subj.where(~either, inferred.reindex(df.index)).where(subj.notna(), None)
    years = df["nam_sinh"].astype(object).where(df["nam_sinh"].notna(), None)
    df["person_key"] = _person_keys(df["ho_ten"], years, df["subject"])
    return df[NOMINATION_COLUMNS]


def split_award_cells(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """A cell naming several awards ("LĐTT, CSTĐCS") becomes one row per award, same source row.

    Decided once per distinct award text (catalog.split); rows are repeated only when some cell names two.
    """
    parts = {t: catalog.split(t) for t in df["hinh_thuc"].unique()}
    parts = {t: p for t, p in parts.items() if p}
    if not parts:
        return df
    many = df["hinh_thuc"].isin(list(parts))
    counts = df["hinh_thuc"].map(lambda t: len(parts[t]) if t in parts else 1)
    out = df.loc[df.index.repeat(counts)].copy()
    texts = [p for t in df.loc[many, "hinh_thuc"].tolist() for p, _code in parts[t]]
    out.loc[out["hinh_thuc"].isin(list(parts)), "hinh_thuc"] = texts
    return out.reset_index(drop=True)


def _as_list(values) -> list:
    """A Series as a list (tolist: iterating a pandas string column element by element is slow)."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _person_keys(names, years, subjects) -> list[str]:
    """text.person_key for a whole column (the name keys computed together by text.name_keys)."""
    out = []
    bare = strip_titles(_as_list(names))  # "ThS.BS. Nguyễn Văn An" is Nguyễn Văn An
    for key, y, s in zip(name_keys(bare), _as_list(years), _as_list(subjects)):
        if s != TAP_THE and y is not None and not (isinstance(y, float) and y != y):
            try:
                key = f"{key}|{int(y)}"
            except (TypeError, ValueError):
                pass
        out.append(key)
    return out


def _initiatives_frame(parts: list[dict[str, list]]) -> pd.DataFrame:
    data = {c: list(chain.from_iterable(d[c] for d in parts)) for c in INITIATIVE_COLUMNS}
    data["nam"] = pd.array(data["nam"], dtype="Int64")
    return pd.DataFrame(data, columns=INITIATIVE_COLUMNS)


def build_initiatives(parts: list[dict[str, list]]) -> pd.DataFrame | None:
    """One initiatives frame for every sheet read (None when no sheet had any)."""
    parts = [d for d in parts if d["row"]]
    return _initiatives_frame(parts) if parts else None


def build_nominations(noms: list[dict[str, list]], catalog: Catalog) -> pd.DataFrame:
    """The nominations frame of every sheet read (nomination_columns), finished in one go."""
    if not noms:
        return finish_nominations(pd.DataFrame(columns=NOMINATION_COLUMNS), catalog)
    raw = pd.DataFrame({c: list(chain.from_iterable(d[c] for d in noms)) for c in RAW_NOMINATION_COLUMNS},
                       columns=RAW_NOMINATION_COLUMNS)
    return finish_nominations(raw, catalog)
