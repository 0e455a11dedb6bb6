"""What intake hands on: the nominations, initiatives and units as Polars frames, with pandas views.

The core (intake, validation, consolidation) works on the Polars frames; the writers and the Excel
adapter read `nominations`, `initiatives` and `units` as pandas frames, built on first use from the
Polars ones (so a command that never asks for them never imports pandas). A pandas frame assigned
to one of them (a test's rows, the Excel adapter's), or a view edited in place, becomes the truth: the
Polars frame is rebuilt from it when next asked for (`current`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS, FileReport, Finding

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

UNIT_COLUMNS = ["unit_code", "unit", "email", "sheet"]
_INTEGER = {"row", "nam_sinh", "nam"}


def schema(columns: list[str]) -> dict:
    """The Polars types of a frame's columns: integers for rows and years, a date of birth, text."""
    import polars as pl

    return {c: pl.Int64 if c in _INTEGER else pl.Date if c == "ngay_sinh" else pl.String for c in columns}


def empty_frame(columns: list[str]) -> "pl.DataFrame":
    import polars as pl

    return pl.DataFrame(schema=schema(columns))


def frame_of_lists(data: dict[str, list], columns: list[str]) -> "pl.DataFrame":
    import polars as pl

    return pl.DataFrame({c: data[c] for c in columns}, schema=schema(columns), strict=False)


def to_pandas(frame: "pl.DataFrame", columns: list[str]) -> "pd.DataFrame":
    """The pandas frame intake built before it was columnar: the same values, dtypes and index."""
    import pandas as pd

    if frame.height == 0:
        return pd.DataFrame(columns=columns)
    data = {c: frame.get_column(c).to_list() for c in columns}
    if columns is UNIT_COLUMNS:  # the units list was always gathered into an object frame
        return pd.DataFrame(data, columns=columns, dtype=object)
    for c in _INTEGER & set(columns):
        data[c] = pd.array(data[c], dtype="int64" if c == "row" else "Int64")
    return pd.DataFrame(data, columns=columns)


def from_pandas(df: "pd.DataFrame", columns: list[str]) -> "pl.DataFrame":
    """A pandas frame (a converted copy, a test's frame) as the Polars frame; missing values as null."""
    data = {c: df[c].astype(object).where(df[c].notna(), None).tolist() if c in df.columns else [None] * len(df)
            for c in columns}
    return frame_of_lists(data, columns)


class Intake:
    """Everything read from the inputs, ready for validation and consolidation."""

    def __init__(self, frame: "pl.DataFrame | None" = None, initiatives_frame: "pl.DataFrame | None" = None,
                 files: list[FileReport] | None = None, findings: list[Finding] | None = None,
                 units_frame: "pl.DataFrame | None" = None, config: dict[str, str] | None = None,
                 narrative: dict[str, str] | None = None, year: int | None = None,
                 stated: list[dict] | None = None, raw_rows: dict | None = None, *,
                 nominations: "pd.DataFrame | None" = None, initiatives: "pd.DataFrame | None" = None,
                 units: "pd.DataFrame | None" = None):
        self._frames: dict[str, object] = {"nominations": frame, "initiatives": initiatives_frame,
                                           "units": units_frame}
        self._views: dict[str, object] = {}
        for name, df in (("nominations", nominations), ("initiatives", initiatives), ("units", units)):
            if df is not None:
                self._set_view(name, df)
        self.files = files if files is not None else []
        self.findings = findings if findings is not None else []
        self.config = config if config is not None else {}  # folded label -> value, sheet `Cấu hình`
        self.narrative = narrative if narrative is not None else {}  # folded label -> text, sheet `Văn bản`
        self.year = year
        self.stated = stated if stated is not None else []  # totals lines under the tables
        # (path, sheet) -> the sheet's rows as read, for the nomination sheets, when read_paths(keep_rows=True):
        # `collect` writes the cells back as typed without opening and scanning every file again.
        self.raw_rows = raw_rows
        # (file, sheet, row) -> the column a birth date split by sex was read from ("Năm sinh (Nữ)"), as the
        # file names it: a finding about that date names that column, not the canonical "Ngày sinh"
        self.birth_columns: dict[tuple[str, str, int], str] = {}

    _COLUMNS = {"nominations": NOMINATION_COLUMNS, "initiatives": INITIATIVE_COLUMNS, "units": UNIT_COLUMNS}

    def _frame(self, name: str) -> "pl.DataFrame":
        got = self._frames.get(name)
        if got is None:
            view = self._views.get(name)
            got = from_pandas(view, self._COLUMNS[name]) if view is not None else empty_frame(self._COLUMNS[name])
            self._frames[name] = got
        return got

    def _view(self, name: str) -> "pd.DataFrame":
        got = self._views.get(name)
        if got is None:
            got = self._views[name] = to_pandas(self._frame(name), self._COLUMNS[name])
        return got

    def _set_view(self, name: str, df: "pd.DataFrame") -> None:
        self._views[name] = df
        self._frames[name] = None

    def _set_frame(self, name: str, frame: "pl.DataFrame") -> None:
        self._frames[name] = frame
        self._views.pop(name, None)

    def __copy__(self) -> "Intake":
        new = Intake.__new__(Intake)
        new.__dict__.update(self.__dict__)
        new._frames = dict(self._frames)
        new._views = dict(self._views)
        return new

    def current(self, name: str) -> "pl.DataFrame":
        """The Polars frame of `name`, rebuilt from its pandas view when one was built (a caller may have
        edited the view in place: it is the truth then, extra columns included)."""
        view = self._views.get(name)
        if view is None:
            return self._frame(name)
        columns = self._COLUMNS[name]
        return from_pandas(view, columns + [c for c in view.columns if c not in columns])

    # the Polars frames (the core's)
    frame = property(lambda self: self._frame("nominations"), lambda self, f: self._set_frame("nominations", f))
    initiatives_frame = property(lambda self: self._frame("initiatives"),
                                 lambda self, f: self._set_frame("initiatives", f))
    units_frame = property(lambda self: self._frame("units"), lambda self, f: self._set_frame("units", f))
    # the pandas views (writers, Excel adapter, checks)
    nominations = property(lambda self: self._view("nominations"), lambda self, df: self._set_view("nominations", df))
    initiatives = property(lambda self: self._view("initiatives"), lambda self, df: self._set_view("initiatives", df))
    units = property(lambda self: self._view("units"), lambda self, df: self._set_view("units", df))

    @property
    def bad_files(self) -> list[str]:
        return [f.file for f in self.files if not f.ok]
