"""The nominations and initiatives frames of every sheet read, finished with whole-column steps.

Polars frames: each distinct award text is split and matched once and mapped back with a join-like
`replace_strict`, each distinct name keyed once; no step goes row by row in Python.
"""
from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from ..catalog import BOTH, TAP_THE, Catalog
from ..model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS
from ..subjects import infer_columns as infer_subject
from ..subjects import strip_titles
from ..text import name_keys
from .arrow import dates_of_cells
from .headers import OPTIONAL_COLUMNS
from .result import frame_of_lists, to_pandas
from .rows import RAW_NOMINATION_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl


def finish(data: dict[str, list], catalog: Catalog) -> "pl.DataFrame":
    """Whole-column steps on the rows read: one row per award a cell names, award codes, the subject
    each row is counted under, person keys."""
    import polars as pl

    n = len(data["row"])
    for c in OPTIONAL_COLUMNS:
        if c not in data:
            data[c] = [""] * n
    df = frame_of_lists(data, RAW_NOMINATION_COLUMNS)
    df = split_award_cells(df, catalog)
    texts = df.get_column("hinh_thuc").unique(maintain_order=True).to_list()
    matched = [catalog.match(t) for t in texts]
    award_subject = {a.code: a.subject for a in catalog}
    codes = sorted({m for m in matched if m})
    df = df.with_columns(pl.col("hinh_thuc").replace_strict(texts, matched, default=None, return_dtype=pl.String)
                         .alias("award"))
    df = df.with_columns(pl.col("award").replace_strict(codes, [award_subject.get(c) for c in codes], default=None,
                                                        return_dtype=pl.String).alias("_subj"))
    subject = df.get_column("_subj")
    either = df.select(pl.arg_where(pl.col("_subj") == BOTH)).to_series()
    if len(either):  # only awards open to both need the row's signals weighed (subjects.infer)
        rows = df[either]
        has_person = rows.select(pl.col("nam_sinh").is_not_null() | (pl.col("ngay_sinh_raw") != "")
                                 | (pl.col("gioi_tinh") != "")).to_series().to_list()
        inferred = infer_subject(rows.get_column("doi_tuong").to_list(), rows.get_column("group_subject").to_list(),
                                 rows.get_column("ho_ten").to_list(), has_person, rows.get_column("chuc_vu").to_list())
        subject = subject.scatter(either, inferred[0])
    df = df.with_columns(subject.alias("subject")).drop("_subj")
    keys = pl.Series("person_key", name_keys(strip_titles(df.get_column("ho_ten").to_list())), pl.String)
    df = df.with_columns(pl.when(pl.col("subject").ne_missing(TAP_THE) & pl.col("nam_sinh").is_not_null())
                         .then(pl.concat_str(keys, pl.lit("|"), pl.col("nam_sinh").cast(pl.String)))
                         .otherwise(keys).alias("person_key"))
    return df.select(NOMINATION_COLUMNS)


def split_award_cells(df: "pl.DataFrame", catalog: Catalog) -> "pl.DataFrame":
    """A cell naming several awards ("LĐTT, CSTĐCS") becomes one row per award, same source row.

    Decided once per distinct award text (catalog.split); rows are repeated only when some cell names two.
    """
    import polars as pl

    parts = {t: catalog.split(t) for t in df.get_column("hinh_thuc").unique(maintain_order=True).to_list()}
    parts = {t: [p for p, _code in got] for t, got in parts.items() if got}
    if not parts:
        return df
    keys = list(parts)
    return df.with_columns(
        pl.col("hinh_thuc").replace_strict(keys, [parts[k] for k in keys], default=None,
                                           return_dtype=pl.List(pl.String))
        .fill_null(pl.concat_list(pl.col("hinh_thuc")))
    ).explode("hinh_thuc")


def finish_nominations(df: "pd.DataFrame", catalog: Catalog) -> "pd.DataFrame":
    """`finish` for a pandas frame of raw rows (a converted copy, a test's rows): the finished pandas frame,
    on the same index unless a cell named several awards."""
    import pandas as pd

    if df.empty:
        return pd.DataFrame(columns=NOMINATION_COLUMNS)
    data = {c: df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns
            if c in RAW_NOMINATION_COLUMNS}
    data["nam_sinh"] = [None if v is None else int(v) for v in data["nam_sinh"]]
    done = to_pandas(finish(data, catalog), NOMINATION_COLUMNS)
    if len(done) == len(df):
        done.index = df.index
    return done


def build_initiatives(parts: list[dict[str, list]]) -> "pl.DataFrame | None":
    """One initiatives frame for every sheet read (None when no sheet had any)."""
    parts = [d for d in parts if d["row"]]
    if not parts:
        return None
    return frame_of_lists({c: list(chain.from_iterable(d[c] for d in parts)) for c in INITIATIVE_COLUMNS},
                          INITIATIVE_COLUMNS)


def _read_dates(noms: list[dict]) -> None:
    """The dates of birth every sheet read with fastexcel left for later, read as one column."""
    later = [d for d in noms if d.get("_dob_cells") is not None]
    if not later:
        return
    got = dates_of_cells(list(chain.from_iterable(d["_dob_cells"] for d in later)))
    pos = 0
    for d in later:
        end = pos + len(d["_dob_cells"])
        d["ngay_sinh"], d["nam_sinh"] = got.date[pos:end], got.year[pos:end]
        d["ngay_sinh_raw"], d["ngay_sinh_error"] = got.raw[pos:end], got.error[pos:end]
        d["_dob_cells"] = None
        pos = end


def build_nominations(noms: list[dict[str, list]], catalog: Catalog) -> "pl.DataFrame":
    """The nominations frame of every sheet read (NOMINATION_COLUMNS), finished in one go."""
    from .result import empty_frame

    if not noms:
        return empty_frame(NOMINATION_COLUMNS)
    _read_dates(noms)
    return finish({c: list(chain.from_iterable(d[c] for d in noms)) for c in RAW_NOMINATION_COLUMNS}, catalog)
