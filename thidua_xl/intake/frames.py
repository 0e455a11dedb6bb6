"""The nominations and initiatives frames of every sheet read, finished with whole-column steps.

Polars frames: each distinct award text is split and matched once and mapped back with a join-like
`replace_strict`, each distinct name keyed once; no step goes row by row in Python.
"""
from __future__ import annotations

from itertools import accumulate, chain
from typing import TYPE_CHECKING

from ..catalog import BOTH, TAP_THE, Catalog
from ..model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS
from ..subjects import infer_frame
from ..subjects import strip_titles_series
from ..text import name_keys_series
from .arrow import ArrowBody
from .datecols import dates_frame, dates_left, dates_plan
from .cells import Below, constant
from .headers import OPTIONAL_COLUMNS
from .result import frame_of_lists, to_pandas
from .rows import BULK_COLUMNS, RAW_NOMINATION_COLUMNS, SHEET_COLUMNS, _doi_tuong
from ..threads import Beside

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl


def finish(data: "dict[str, list] | pl.DataFrame", catalog: Catalog) -> "pl.DataFrame":
    """Whole-column steps on the rows read (a frame of RAW_NOMINATION_COLUMNS, or their lists): one row per
    award a cell names, award codes, the subject each row is counted under, person keys (the last three by
    one query)."""
    import polars as pl

    if isinstance(data, pl.DataFrame):
        df = data
    else:
        n = len(data["row"])
        for c in OPTIONAL_COLUMNS:
            if c not in data:
                data[c] = [""] * n
        df = frame_of_lists(data, RAW_NOMINATION_COLUMNS)
    # each distinct name stripped of its title and keyed once, on the idle core while the awards are matched
    keyed = Beside(_name_keys, df.get_column("ho_ten"), inline=df.height < _BESIDE_ROWS)
    texts = df.get_column("hinh_thuc").unique(maintain_order=True).to_list()
    split = split_award_cells(df, catalog, texts)
    if split is not df:
        df, texts = split, split.get_column("hinh_thuc").unique(maintain_order=True).to_list()
    matched = [catalog.match(t) for t in texts]  # each distinct award text matched once, mapped back
    award_subject = {a.code: a.subject for a in catalog}
    subjects = [award_subject.get(m) if m else None for m in matched]
    awards = pl.col("hinh_thuc")
    subject = df.get_column("hinh_thuc").replace_strict(texts, subjects, return_dtype=pl.String)
    if BOTH in subjects:  # only awards open to both need the row's signals weighed (subjects.infer)
        either = (subject == BOTH).arg_true()
        rows = df.select(  # the five columns asked, then their rows
            name=pl.col("ho_ten").fill_null(""), stated=pl.col("doi_tuong"), group=pl.col("group_subject"),
            has_person=pl.col("nam_sinh").is_not_null() | (pl.col("ngay_sinh_raw") != "") | (pl.col("gioi_tinh") != ""),
            has_cv=pl.col("chuc_vu").fill_null("") != "")[either]
        subject = subject.scatter(either, infer_frame(rows).get_column("subject"))
    distinct, name_keys = keyed.result()
    key_of = pl.col("ho_ten").replace_strict(distinct, name_keys, default=None, return_dtype=pl.String).fill_null("")
    subject_is, key = pl.col("\x00subject"), pl.col("\x00key")
    person_key = pl.when(subject_is.ne_missing(TAP_THE) & pl.col("nam_sinh").is_not_null()) \
        .then(pl.concat_str(key, pl.lit("|"), pl.col("nam_sinh").cast(pl.String))).otherwise(key)
    made = {"award": awards.replace_strict(texts, matched, return_dtype=pl.String), "subject": subject_is,
            "person_key": person_key}
    return df.lazy().with_columns(**{"\x00subject": pl.lit(subject), "\x00key": key_of}) \
        .select(made[c].alias(c) if c in made else pl.col(c) for c in NOMINATION_COLUMNS).collect(engine="in-memory")


def _name_keys(names: "pl.Series") -> "tuple[pl.Series, pl.Series]":
    """The distinct names (a cell split into several awards repeats its name: the same ones) and their keys."""
    import polars as pl

    distinct = names.to_frame().lazy().select(pl.first().drop_nulls().unique()).collect(engine="in-memory").to_series()
    return distinct, name_keys_series(strip_titles_series(distinct))


_BESIDE_ROWS = 10_000  # below this a step runs in the caller's thread (a master's sheet, a few redone rows)


def split_award_cells(df: "pl.DataFrame", catalog: Catalog, texts: list | None = None) -> "pl.DataFrame":
    """A cell naming several awards ("LĐTT, CSTĐCS") becomes one row per award, same source row (`df` itself
    when no cell names two; `texts`: its distinct award texts, when known).

    Decided once per distinct award text (catalog.split); rows are repeated only when some cell names two.
    """
    import polars as pl

    if texts is None:
        texts = df.get_column("hinh_thuc").unique(maintain_order=True).to_list()
    parts = {t: catalog.split(t) for t in texts}
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


def _dates_of(later: "pl.Series") -> "tuple[pl.Series, pl.DataFrame] | None":
    """The dates of birth the sheets read with fastexcel left for later (`_dob_cell`), read as one column:
    the rows that have one and their dates (None when no row has one)."""
    import polars as pl

    if later.null_count() == len(later):
        return None
    idx = later.is_not_null().arg_true()
    cells = later.gather(idx)
    distinct = cells.unique()  # a date of birth repeats (a year alone, a common date): each read once
    return idx, pl.DataFrame({"v": cells}).join(dates_frame(distinct).with_columns(v=distinct), on="v", how="left",
                                                maintain_order="left")


def _read_dates(df: "pl.DataFrame", dates: "Beside | None") -> "pl.DataFrame":
    """`df` with the dates of birth read from its `_dob_cell`: by `_dates_of` beside (`dates`, which `_gathered`
    set going), or, when `_gathered` read them in its own query (`dates` None: a small reading), the texts its
    expressions left there, read by `dates_left`."""
    import polars as pl

    cells = df.drop_in_place("_dob_cell")
    if dates is None:
        found = dates_left(cells)
        if found is None:
            return df
        idx, left = found
        got = {g: pl.Series(getattr(left, g), dtype=df.schema[c]) for c, g in _DATE_COLUMNS}
    else:
        found = dates.result()
        if found is None:
            return df
        idx, frame = found
        got = {g: frame.get_column(g) for _c, g in _DATE_COLUMNS}
    return df.with_columns(df.get_column(c).scatter(idx, got[g]).alias(c) for c, g in _DATE_COLUMNS)


_DATE_COLUMNS = (("ngay_sinh", "date"), ("nam_sinh", "year"), ("ngay_sinh_raw", "raw"), ("ngay_sinh_error", "error"))


def build_nominations(noms: list[dict], catalog: Catalog) -> "pl.DataFrame":
    """The nominations frame of every sheet read (NOMINATION_COLUMNS), finished in one go: the columns
    the sheets left whole taken at their kept rows, the texts fastexcel wrote cleaned, all as whole
    columns; the dates of birth read."""
    from .result import empty_frame

    if not noms:
        return empty_frame(NOMINATION_COLUMNS)
    return finish(_read_dates(*_gathered(noms)), catalog)


def _gathered(noms: list[dict]) -> "tuple[pl.DataFrame, Beside | None]":
    """Every sheet's kept rows as one frame of SHEET_COLUMNS: each sheet's constants, its own columns, and
    the `bulk` columns (every row below a header) taken at the kept rows by one gather, cleaned where
    fastexcel wrote them, doi_tuong read from them; and their dates of birth: beside the cleaning (`_dates_of`),
    or, below `_BESIDE_ROWS` rows, by the final query itself (`dates_plan`: ~8 queries fewer, for `_read_dates`
    only the texts its expressions leave)."""
    import polars as pl

    heights = [d["frame"].height for d in noms]
    df = pl.concat([d["frame"] for d in noms], how="diagonal") if len(noms) > 1 else noms[0]["frame"]
    sheet_of = pl.select(pl.int_range(len(noms), dtype=pl.UInt32).repeat_by(pl.Series(heights, dtype=pl.UInt32))
                         .explode()).to_series() if len(noms) > 1 else pl.Series([0] * heights[0], dtype=pl.UInt32)
    consts = pl.DataFrame([pl.Series("_k_" + c, [d[c] for d in noms], pl.String) for c in _CONSTS])[sheet_of]
    bulk = _stacked_bulk(noms, sheet_of) if len(noms) > 1 else None
    if bulk is None:
        bulk = _bulk_by_sheet(noms)
    dob = bulk.get_column("_dob_cell")
    texts = pl.DataFrame([bulk.get_column(c) for c in BULK_COLUMNS])  # (a frame's select would let go of the GIL)
    # a small reading's dates are read in the query below (`dates_plan`), a large one's beside the cleaning
    dates = None if len(dob) < _BESIDE_ROWS else Beside(_dates_of, dob)
    raw = [d["raw"] for d in noms]
    if any(raw):
        rows = None if all(raw) else pl.Series([d["raw"] for d in noms]).gather(sheet_of)
        bulk = ArrowBody.clean_texts(texts, rows).hstack([dob])
    kinds = bulk.get_column("doi_tuong_raw").unique(maintain_order=True).to_list()
    own = df.drop("doi_tuong", strict=False)
    wide = own.hstack(consts.get_columns() + bulk.get_columns())
    no_birth = {"ngay_sinh": pl.lit(None, pl.Date), "nam_sinh": pl.lit(None, pl.Int64), "ngay_sinh_raw": pl.lit(""),
                "ngay_sinh_error": pl.lit(None, pl.String)}  # when no sheet read a date with its rows

    def column(c: str) -> "pl.Expr":
        if c in _CONSTS:  # a sheet's constant, unless its rows name their own (a master's unit per row)
            return pl.coalesce(c, "_k_" + c) if c in own.columns else pl.col("_k_" + c)
        if c == "doi_tuong":
            return pl.col("doi_tuong_raw").replace_strict(kinds, [_doi_tuong(t) for t in kinds], return_dtype=pl.String)
        got = pl.col(c) if c in own.columns or c in bulk.columns else no_birth[c]
        return got.fill_null("") if c == "ngay_sinh_raw" else got

    if dates is not None:
        return wide.select(column(c).alias(c) for c in SHEET_COLUMNS), dates
    steps, read = dates_plan("_dob_cell", "\x00")
    cell = pl.col("_dob_cell").is_not_null()
    made = {c: pl.when(cell).then(read[g]).otherwise(column(c)) for c, g in _DATE_COLUMNS}
    made["_dob_cell"] = read["other"]  # the texts no expression read, for `_read_dates`
    return wide.lazy().with_columns(**steps).select((made[c] if c in made else column(c)).alias(c)
                                                    for c in SHEET_COLUMNS).collect(engine="in-memory"), None


_CONSTS = ("file", "path", "sheet", "unit_code", "unit")


def _bulk_by_sheet(noms: list[dict]) -> "pl.DataFrame":
    """Every sheet's bulk columns at its kept rows (the classifier's texts where it kept them), stacked. A
    column no sheet has a cell in (most optional columns) is one column of nulls, not taken sheet by sheet."""
    import polars as pl

    names = (*BULK_COLUMNS, "_dob_cell")
    sheets, filled = [], set()
    for d in noms:
        if d.get("texts") or d["bulk"].__class__ is not list:
            at, cols = None, _sheet_bulk(d).get_columns()  # at the kept rows already
        else:
            at, cols = d["idx"], [*d["bulk"], _dob_cells(d, len(d["bulk"][0]))]  # every row below the header
        filled.update(s.name for s in cols if s.name not in filled and s.null_count() < len(s))
        sheets.append((at, cols))
    n = sum(d["idx"].len() for d in noms)
    if not filled:
        return pl.DataFrame([constant(None, n).alias(c) for c in names])
    # each sheet's filled columns taken at its kept rows, then stacked: no copy of the rows left out
    parts = [pl.DataFrame([s for s in cols if s.name in filled]) for _at, cols in sheets]
    parts = [part if at is None else part[at] for part, (at, _cols) in zip(parts, sheets)]
    got = pl.concat(parts) if len(parts) > 1 else parts[0]
    return pl.DataFrame([got.get_column(c) if c in filled else constant(None, n).alias(c) for c in names])


def _dob_cells(d: dict, n: int) -> "pl.Series":
    """A sheet's date-of-birth cells below its header (`_dob_cell`), n nulls when it has no such column."""
    return d["dob"] if d["dob"] is not None else constant(None, n).alias("_dob_cell")


def _sheet_bulk(d: dict) -> "pl.DataFrame":
    """One sheet's bulk columns at its kept rows, the classifier's texts where it kept them."""
    import polars as pl

    part = pl.DataFrame([*d["bulk"], _dob_cells(d, len(d["bulk"][0]))])[d["idx"]]
    if d.get("texts"):  # the classifier's texts, at the kept rows already
        by_name = {s.name: s for s in part.get_columns()}
        by_name.update((c, pl.Series(c, v, pl.String)) for c, v in d["texts"].items())
        part = pl.DataFrame([by_name[c] for c in (*BULK_COLUMNS, "_dob_cell")])
    return part


def _stacked_bulk(noms: list[dict], sheet_of: "pl.Series") -> "pl.DataFrame | None":
    """The bulk columns of small sheets, all classified row by row (a master's unit sheets), stacked: each
    column of every sheet concatenated once and taken at every sheet's kept rows by one gather, the
    classifier's texts concatenated (the same frame as sheet by sheet: ~60 small frames and gathers were most
    of `_gathered`). None for other sheets (large ones' whole columns stacked gained nothing at 30,000 rows)."""
    import polars as pl

    kept = set(noms[0].get("texts") or ())
    if not kept or any(set(d.get("texts") or ()) != kept for d in noms):
        return None
    idx = pl.concat([d["idx"] for d in noms])
    lengths = [d["bulk"].body.n if d["bulk"].__class__ is Below else len(d["bulk"][0]) for d in noms]
    starts = pl.Series([0, *accumulate(lengths)][:-1], dtype=pl.UInt32)
    at = idx + starts.gather(sheet_of)
    whole = [c for c in BULK_COLUMNS if c not in kept]
    taken = _from_frames(noms, whole, idx, sheet_of)
    dob = pl.concat([_dob_cells(d, n) for d, n in zip(noms, lengths)])
    if taken is None:
        by_name = [{s.name: s for s in d["bulk"]} for d in noms]
        taken = pl.DataFrame([*(pl.concat([named[c] for named in by_name]) for c in whole), dob])[at]
    else:
        taken = taken.hstack(pl.DataFrame([dob])[at])
    texts = {c: pl.Series(c, list(chain.from_iterable(d["texts"][c] for d in noms)), pl.String) for c in kept}
    return pl.DataFrame([texts[c] if c in kept else taken.get_column(c) for c in (*BULK_COLUMNS, "_dob_cell")])


def _from_frames(noms: list[dict], names: list[str], idx: "pl.Series", sheet_of: "pl.Series") -> "pl.DataFrame | None":
    """The columns `names` of fastexcel's sheets (every `bulk` a `Below`) taken at their kept rows from their
    frames stacked: the sheets of one layout (the same columns read, frames of the same columns) stacked
    whole, a column of each layout named once, every row taken by one gather (the frame each sheet's slices
    concatenated give). None for other sheets, or frames of one layout whose types differ."""
    import polars as pl

    layouts: dict[tuple, list] = {}  # layout -> [its frames, its columns, height so far]
    at_sheet: dict[int, tuple] = {}  # a sheet with two tables: its frame stacked once
    bases = []
    for d in noms:
        below = d["bulk"]
        if below.__class__ is not Below:
            return None
        sheet = below.body.sheet
        got = at_sheet.get(id(sheet))
        if got is None:
            key = (tuple(below.cols.items()), sheet.offset, tuple(sheet.frame.columns))
            layout = layouts.get(key)
            if layout is None:
                layout = layouts[key] = [[], below, 0]
            got = at_sheet[id(sheet)] = (layout, layout[2])
            layout[0].append(sheet.frame)
            layout[2] += sheet.frame.height
        elif got[0][1].cols != below.cols:
            return None
        bases.append(got)
    parts, start = [], 0
    for layout in layouts.values():
        frames, first, height = layout
        try:
            stacked = pl.concat(frames, rechunk=False) if len(frames) > 1 else frames[0]
        except pl.exceptions.PolarsError:  # (a column's type differs)
            return None
        offset = first.body.sheet.offset
        out = []
        for name in names:
            j = first.cols.get(name)
            if j is not None and 0 <= j - offset < stacked.width:
                s = stacked.to_series(j - offset).alias(name)
                out.append(s if s.dtype == pl.String else s.cast(pl.String))
            else:
                out.append(constant(None, height).alias(name))
        parts.append(pl.DataFrame(out))
        layout[2] = start  # where the layout's rows begin in every layout's stacked
        start += height
    where = pl.Series([layout[2] + base + d["bulk"].body.start for (layout, base), d in zip(bases, noms)],
                      dtype=pl.UInt32)
    whole = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    return whole[idx + where.gather(sheet_of)]


def sheet_frame(data: dict) -> "pl.DataFrame":
    """One sheet's kept rows as a frame of SHEET_COLUMNS, texts cleaned and dates read (a step that reads
    them whole before build_nominations)."""
    return _read_dates(*_gathered([data]))


def set_sheet_frame(data: dict, frame: "pl.DataFrame") -> None:
    """A sheet's kept rows replaced by a frame (sheet_frame's, edited)."""
    import polars as pl

    data["frame"], data["raw"], data["dob"], data["texts"] = frame.drop(BULK_COLUMNS), False, None, None
    data["bulk"] = [frame.get_column(c) for c in BULK_COLUMNS]
    data["idx"] = pl.Series(range(frame.height), dtype=pl.UInt32)


def sheet_column(data: dict, name: str) -> "pl.Series":
    """One of a sheet's bulk columns at its kept rows, as written (cleaned unless data["raw"]). Taken in
    Python: a Series gather lets go of the GIL, and the main thread, which reads the sheets while reader
    threads run Python, may then wait a switch interval (5 ms) to take it back."""
    import polars as pl

    kept = (data.get("texts") or {}).get(name)
    if kept is not None:  # the classifier's texts, at the kept rows already
        return pl.Series(name, kept, pl.String)
    whole = next(s for s in data["bulk"] if s.name == name)
    values = whole.to_list()
    return pl.Series(name, [values[i] for i in data["idx"].to_list()], whole.dtype)
