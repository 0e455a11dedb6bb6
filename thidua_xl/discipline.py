"""Disciplines in the awards register: who was disciplined, with what, from when to when.

A person under discipline in the award year is not rewarded, and the periods a title counts
("3 lần liên tục", "5 năm liên tục") start again once a discipline has been served: the
rules need the dates, which the nominations do not carry. `thidua history discipline FILE`
stores a list (Họ và tên, Ngày sinh, Đơn vị, Hình thức kỷ luật, Từ ngày, Đến ngày, Số quyết
định) in the register's `discipline` table; validation reads it back for the run's people as a
plain frame (`load`) and hands it to the rules. A register without the table, or with no
records, changes nothing.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import store
from .errors import UserError
from .history import ImportResult
from .model import ERROR, Finding
from .schema import DISCIPLINE_IMPORT_HEADERS, DISCIPLINE_IMPORT_REQUIRED, DISCIPLINE_SHEET
from .text import clean, fold, name_key, parse_date

if TYPE_CHECKING:  # pandas for the import; validation reads Polars (load_polars)
    import pandas as pd
    import polars as pl

DISCIPLINE_HEADERS = DISCIPLINE_IMPORT_HEADERS
DISCIPLINE_REQUIRED = DISCIPLINE_IMPORT_REQUIRED
# What validation joins on (like history.JOIN_COLUMNS), plus the discipline itself.
FRAME_COLUMNS = ("ho_ten", "name_key", "birth_year", "birth_date", "unit_key", "hinh_thuc", "tu_ngay", "den_ngay",
                 "so_quyet_dinh")


def read_discipline_file(path: str | os.PathLike) -> tuple[pd.DataFrame, list[Finding]]:
    """Records of a discipline list (.xlsx/.csv) and findings naming the rows it refuses."""
    import pandas as pd

    from . import legacy
    from .intake import find_table
    from .intake.lists import read_list_rows

    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise UserError(f"Tệp kỷ luật “{path.name}” phải là .xlsx hoặc .csv.")
    rows = read_list_rows(path, DISCIPLINE_HEADERS, DISCIPLINE_REQUIRED, prefer=DISCIPLINE_SHEET)[0]
    table = find_table(rows, DISCIPLINE_HEADERS, DISCIPLINE_REQUIRED)
    if table is None:
        raise UserError(f"Tệp “{path.name}” không có dòng tiêu đề với các cột “Họ và tên”, “Hình thức kỷ luật”, "
                        f"“Từ ngày”.")
    col = {DISCIPLINE_HEADERS[c][0]: j for j, c in table.columns.items()}
    findings: list[Finding] = []
    recs = []
    for i in range(table.header_idx + 1, len(rows)):
        raw = rows[i]
        get = lambda k: raw[col[k]] if k in col and col[k] < len(raw) else None  # noqa: E731
        name = legacy.convert(clean(get("ho_ten")))[0]
        form = legacy.convert(clean(get("hinh_thuc")))[0]
        if not name and not form:
            continue
        where = dict(file=path.name, sheet=None, row=i + 1, rule="HISTORY.DISCIPLINE")
        start, end = parse_date(get("tu_ngay")), parse_date(get("den_ngay"))
        problem = ("thiếu “Họ và tên”" if not name else "thiếu “Hình thức kỷ luật”" if not form else
                   f"“Từ ngày” “{clean(get('tu_ngay'))}” không phải một ngày" if start.date is None else
                   f"“Đến ngày” “{clean(get('den_ngay'))}” không phải một ngày"
                   if clean(get("den_ngay")) and end.date is None else
                   "“Đến ngày” trước “Từ ngày”" if end.date is not None and end.date < start.date else "")
        if problem:
            findings.append(Finding("BAD_DATE" if "ngày" in problem.lower() else "MISSING_FIELD", ERROR,
                                    f"Dòng kỷ luật{f' của “{name}”' if name else ''}: {problem}, bỏ qua.", **where))
            continue
        dob = parse_date(get("ngay_sinh"))
        recs.append({"ho_ten": name, "ngay_sinh": dob.date.isoformat() if dob.date else "", "nam_sinh": dob.year,
                     "don_vi": legacy.convert(clean(get("don_vi")))[0], "hinh_thuc": form,
                     "tu_ngay": start.date.isoformat(), "den_ngay": end.date.isoformat() if end.date else "",
                     "so_quyet_dinh": clean(get("so_quyet_dinh"))})
    return pd.DataFrame.from_records(recs, columns=["ho_ten", "ngay_sinh", "nam_sinh", "don_vi", "hinh_thuc",
                                                    "tu_ngay", "den_ngay", "so_quyet_dinh"]), findings


def add_records(db, records: pd.DataFrame, source: str) -> tuple[int, int]:
    """Store the records the register does not hold yet (same person, form and start date); (added, already)."""
    import pandas as pd

    from sqlalchemy import func, select

    eng = store.engine(db)
    table = store._tables()[0].tables["discipline"]
    if eng.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = dt.datetime.now().isoformat(timespec="seconds")
    values = []
    for rec in records.to_dict("records"):
        year = None if pd.isna(rec["nam_sinh"]) else int(rec["nam_sinh"])
        values.append({**rec, "nam_sinh": year, "name_key": name_key(rec["ho_ten"]),
                       "birth_key": rec["ngay_sinh"] or ("" if year is None else str(year)),
                       "unit_key": fold(rec["don_vi"]), "source": source, "added_at": now})
    with eng.begin() as con:
        before = con.execute(select(func.count()).select_from(table)).scalar()
        if values:
            con.execute(insert(table).on_conflict_do_nothing(), values)
        added = con.execute(select(func.count()).select_from(table)).scalar() - before
    return int(added), len(values) - int(added)


def import_file(db, path: str | os.PathLike) -> ImportResult:
    """`thidua history discipline FILE`: a list of disciplines into the register (again: nothing twice)."""
    records, findings = read_discipline_file(path)
    added, already = add_records(db, records, source=Path(path).name)
    return ImportResult(store.as_db(db), rows=len(records) + sum(f.severity == ERROR for f in findings),
                            added=added, already=already, findings=findings)


def load(db, names: set[str] | None = None) -> pd.DataFrame:
    """The register's disciplines (of these name keys), as validation joins them: FRAME_COLUMNS."""
    import pandas as pd

    empty = pd.DataFrame(columns=list(FRAME_COLUMNS))
    if not store.exists(db):
        return empty
    if not store.has_table(db, "discipline"):  # a register older than the table
        return empty
    df = store.read(db, "SELECT ho_ten, name_key, nam_sinh AS birth_year, ngay_sinh AS birth_date, unit_key, "
                        "hinh_thuc, tu_ngay, den_ngay, so_quyet_dinh FROM discipline ORDER BY id")
    if names is not None:
        df = df[df["name_key"].isin(names)]
    df["birth_year"] = df["birth_year"].astype(float)
    return df.reset_index(drop=True)[list(FRAME_COLUMNS)]


_QUERY = ("SELECT ho_ten, name_key, nam_sinh AS birth_year, ngay_sinh AS birth_date, unit_key, hinh_thuc, tu_ngay, "
          "den_ngay, so_quyet_dinh FROM discipline ORDER BY id")


def load_polars(db, names: "set[str] | pl.Series | None" = None) -> "pl.DataFrame":
    """`load` as a Polars frame read from the cursor (no pandas): birth_year a float, the rest text.
    names: a set, or a Polars Series (validation's name keys, repeats and all: no Python set made of them)."""
    import polars as pl

    schema = {c: pl.Float64 if c == "birth_year" else pl.String for c in FRAME_COLUMNS}
    if not store.exists(db) or not store.has_table(db, "discipline"):  # a register older than the table
        return pl.DataFrame(schema=schema)
    df = pl.DataFrame(store.columns(db, _QUERY), schema=schema, strict=False)
    if names is not None and not df.is_empty():
        df = df.filter(pl.col("name_key").is_in(names.implode() if isinstance(names, pl.Series) else list(names)))
    return df.select(list(FRAME_COLUMNS))
