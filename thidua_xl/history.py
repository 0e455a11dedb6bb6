"""The awards register: who received what, in which year (SQLite).

History rules (three consecutive CSTĐCS, a Bằng khen five years before …) need
the past. The register is one SQLite file, by default `thidua-history.sqlite`
beside the master. It is filled by importing an old list (`history import`,
docs/interface.md §6) and by archiving each year's granted awards (`history archive`), each
with its decision. Rows of units' lists archived before their decision is known are
kept apart (table `proposal`) and never read as awards. Both are idempotent: the same
person, award and year is stored once, a year alone matching a full date of birth of
that year.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .catalog import BOTH, CA_NHAN, TAP_THE, Catalog, load_catalog
from .errors import UserError
from . import store
from .model import ERROR, HISTORY_FILE, Finding
from .schema import HISTORY_IMPORT_HEADERS, HISTORY_IMPORT_REQUIRED
from .text import clean, fold, name_key, parse_date

if TYPE_CHECKING:  # pandas loads for import, archive and display; validation reads Polars (load_polars)
    import pandas as pd
    import polars as pl

DEFAULT_NAME = HISTORY_FILE

HISTORY_HEADERS = HISTORY_IMPORT_HEADERS
HISTORY_REQUIRED = HISTORY_IMPORT_REQUIRED

_KEY = ["name_key", "nam_sinh_k", "scope_key", "nam", "award"]


@dataclass
class ImportResult:
    """What an import or archive did: rows read, records added, rows already there, rows refused."""

    db: Path
    rows: int = 0
    added: int = 0
    already: int = 0
    findings: list[Finding] = field(default_factory=list)
    pending: int = 0  # rows of units' lists kept apart, awaiting their decision (never counted as granted)

    @property
    def refused(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)


def default_path(paths: Iterable[str | os.PathLike]) -> Path:
    """`thidua-history.sqlite` beside the master (an .xlsm, or the first file named), else in the folder named."""
    paths = [Path(p) for p in paths]
    files = [p for p in paths if p.is_file()]
    masters = [p for p in files if p.suffix.lower() == ".xlsm"] or files
    if masters:
        return masters[0].resolve().parent / DEFAULT_NAME
    folders = [p for p in paths if p.is_dir()]
    return (folders[0] if folders else Path.cwd()).resolve() / DEFAULT_NAME


# --- reading an import file ---------------------------------------------------------------
def _read_rows(path: Path) -> list[list]:
    from .intake.lists import read_list_rows

    return read_list_rows(path, HISTORY_HEADERS, HISTORY_REQUIRED)[0]


def read_history_file(path: str | os.PathLike, catalog: Catalog | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """Records of an import file (docs/interface.md §6) and findings for the rows it refuses."""
    import pandas as pd

    from . import legacy
    from .intake import find_table

    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise UserError(f"Tệp lịch sử “{path.name}” phải là .xlsx hoặc .csv.")
    catalog = catalog or load_catalog()
    rows = _read_rows(path)
    table = find_table(rows, HISTORY_HEADERS, HISTORY_REQUIRED)
    if table is None:
        raise UserError(f"Tệp “{path.name}” không có dòng tiêu đề với các cột “Họ và tên”, “Năm”, “Hình thức”.")
    col = {HISTORY_HEADERS[c][0]: j for j, c in table.columns.items()}
    findings: list[Finding] = []
    recs = []
    for i in range(table.header_idx + 1, len(rows)):
        raw = rows[i]
        get = lambda k: raw[col[k]] if k in col and col[k] < len(raw) else None  # noqa: E731
        name = legacy.convert(clean(get("ho_ten")))[0]
        award_text = legacy.convert(clean(get("hinh_thuc")))[0]
        year_raw = get("nam")
        if not name and not award_text:
            continue
        where = dict(file=path.name, sheet=None, row=i + 1, rule="HISTORY.IMPORT")
        code = catalog.match(award_text)
        year = parse_date(year_raw).year
        if not name:
            findings.append(Finding("MISSING_FIELD", ERROR, "Dòng lịch sử thiếu “Họ và tên”: bỏ qua.",
                                    column="Họ và tên", **where))
            continue
        if code is None:
            hint = catalog.hint(award_text)
            findings.append(Finding("UNKNOWN_AWARD", ERROR,
                                    f"“{name}”: không nhận ra hình thức “{award_text}”: bỏ qua dòng này.{hint}",
                                    column="Hình thức", **where))
            continue
        if year is None or not 1945 <= year <= dt.date.today().year + 1:
            findings.append(Finding("BAD_DATE", ERROR, f"“{name}”: năm “{clean(year_raw)}” không hợp lệ: bỏ qua.",
                                    column="Năm", **where))
            continue
        dob = parse_date(get("ngay_sinh"))
        stated = fold(get("doi_tuong"))
        subject = catalog[code].subject
        if subject == BOTH:
            subject = TAP_THE if stated.startswith("tap the") else CA_NHAN if stated.startswith("ca nhan") else (
                CA_NHAN if dob.year else TAP_THE)
        recs.append({
            "ho_ten": name, "ngay_sinh": dob.date.isoformat() if dob.date else "", "nam_sinh": dob.year,
            "don_vi": legacy.convert(clean(get("don_vi")))[0], "nam": int(year), "award": code,
            "hinh_thuc": award_text, "subject": subject, "so_quyet_dinh": clean(get("so_quyet_dinh")),
        })
    return pd.DataFrame.from_records(recs, columns=["ho_ten", "ngay_sinh", "nam_sinh", "don_vi", "nam", "award",
                                                    "hinh_thuc", "subject", "so_quyet_dinh"]), findings


# --- writing --------------------------------------------------------------------------------
def _prepare(records: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    df = records.copy()
    df["ho_ten"] = df["ho_ten"].map(clean)
    df["name_key"] = df["ho_ten"].map(name_key)
    df["ngay_sinh"] = df["ngay_sinh"].fillna("").astype(str)
    df["nam_sinh"] = pd.array([None if pd.isna(v) else int(v) for v in df["nam_sinh"]], dtype="Int64")
    df["birth_key"] = [d if d else ("" if pd.isna(y) else str(int(y))) for d, y in zip(df["ngay_sinh"], df["nam_sinh"])]
    df["don_vi"] = df["don_vi"].fillna("").map(clean)
    df["unit_key"] = df["don_vi"].map(fold)
    df["scope_key"] = df["unit_key"].where(df["subject"] == TAP_THE, "")
    df["nam_sinh_k"] = df["nam_sinh"].fillna(-1).astype(int)
    if "ngay_quyet_dinh" not in df:
        df["ngay_quyet_dinh"] = ""
    for c in ("hinh_thuc", "so_quyet_dinh", "ngay_quyet_dinh"):
        df[c] = df[c].fillna("").astype(str)
    return df.drop_duplicates(["name_key", "birth_key", "scope_key", "nam", "award"])


def add_records(db: str | os.PathLike, records: pd.DataFrame, source: str, kind: str = "import",
                table: str = "award") -> tuple[int, int]:
    """Store records not already in the register (table 'award', granted; 'proposal', awaiting a decision);
    returns (added, already there).

    A record is already there when the same name key, award, year (and unit, for a
    collective) is stored with a compatible birth: equal dates, or a year alone
    matching a date of that year, or no birth on either side.
    """
    import pandas as pd

    if records.empty:
        store.engine(db)  # the register exists from the first run, even with nothing to store yet
        return 0, 0
    new = _prepare(records)
    years = sorted(int(y) for y in new["nam"].unique())
    marks = ", ".join(f":y{i}" for i in range(len(years)))
    old = store.read(db, f"SELECT name_key, nam_sinh, ngay_sinh, scope_key, nam, award FROM {table} "
                         f"WHERE nam IN ({marks})", {f"y{i}": y for i, y in enumerate(years)})
    old["nam_sinh_k"] = old["nam_sinh"].fillna(-1).astype(int)
    m = new.reset_index().merge(old.rename(columns={"ngay_sinh": "ngay_sinh_old"})[_KEY + ["ngay_sinh_old"]],
                                on=_KEY, how="inner")
    same = m[(m["ngay_sinh"] == "") | (m["ngay_sinh_old"] == "") | (m["ngay_sinh"] == m["ngay_sinh_old"])]
    fresh = new[~new.index.isin(same["index"])]
    now = dt.datetime.now().isoformat(timespec="seconds")
    cols = ["ho_ten", "name_key", "ngay_sinh", "nam_sinh", "birth_key", "don_vi", "unit_key", "scope_key",
            "nam", "award", "hinh_thuc", "subject", "so_quyet_dinh", "ngay_quyet_dinh"]
    values = [dict(zip(cols, (None if pd.isna(v) else (int(v) if c in ("nam", "nam_sinh") else v)
                              for c, v in zip(cols, rec))), source=source, added_at=now)
              for rec in fresh[cols].itertuples(index=False, name=None)]
    added = store.insert_new(db, values, {"source": source, "kind": kind, "rows": len(records), "at": now}, table)
    return added, len(records) - added


def import_file(db: str | os.PathLike, path: str | os.PathLike, catalog: Catalog | None = None) -> ImportResult:
    """`thidua history import FILE`: read an .xlsx/.csv list of past awards into the register."""
    records, findings = read_history_file(path, catalog)
    added, already = add_records(db, records, source=Path(path).name, kind="import")
    return ImportResult(store.as_db(db), rows=len(records) + sum(f.severity == ERROR for f in findings),
                        added=added, already=already, findings=findings)


def nominations_to_records(nominations: pd.DataFrame) -> pd.DataFrame:
    """This year's nominations as register records (rows with a name, a known award and a subject)."""
    import pandas as pd

    df = nominations[(nominations["ho_ten"] != "") & nominations["award"].notna() & nominations["subject"].notna()]
    return pd.DataFrame({
        "ho_ten": df["ho_ten"],
        "ngay_sinh": [d.isoformat() if d is not None and not pd.isna(d) else "" for d in df["ngay_sinh"]],
        "nam_sinh": df["nam_sinh"],
        "don_vi": [c or u for c, u in zip(df["unit_code"], df["unit"])],
        "award": df["award"], "hinh_thuc": df["hinh_thuc"], "subject": df["subject"],
        "so_quyet_dinh": df["so_quyet_dinh"].fillna("") if "so_quyet_dinh" in df else "",
        "ngay_quyet_dinh": df["ngay_quyet_dinh"].fillna("") if "ngay_quyet_dinh" in df else "",
    })


def archive(db: str | os.PathLike, intake, year: int, findings=None, votes: dict | None = None, *,
            decision_no: str = "", decision_date: str = "") -> ImportResult:
    """`thidua history archive PATH... --year Y`: record the year's granted awards (once).

    From a master (it holds the Hội đồng's results): only what was decided (decide.py, a vote
    required) and granted — the Sở's own awards under its decision's number and date (Cấu hình),
    a higher award only once its decision is recorded on the row (until then it waits apart, as a
    proposal). Rows with errors or unreadable
    legacy text are refused and listed. Units' lists are proposals, not awards: a row is granted
    only with a decision — its own `Số quyết định`, or `decision_no` (the officer says these lists
    are a signed decision's annex); the others are kept apart as proposals awaiting their
    decision, which the history rules never read, and a warning says how to record the decision.
    """
    import pandas as pd

    from .decide import decide_year

    findings = list(findings or [])
    is_master = any(f.kind == "master" for f in intake.files)
    decision = decide_year(intake, year, findings, votes, require_vote=is_master)
    refused: list[Finding] = []
    for e in decision.excluded:
        if e.reason in ("loi", "trung") or is_master:
            severity = ERROR if e.reason == "loi" else "warning"
            refused.append(Finding("NOT_ARCHIVED", severity, f"“{e.ho_ten}” ({e.unit}): không lưu vào sổ lịch sử – "
                                   f"{e.label}: {e.detail}", file=e.file, sheet=e.sheet, row=e.row, unit=e.unit,
                                   rule="HISTORY.ARCHIVE"))
    frames = [df for df in decision.decided.lists.values() if len(df)]
    rows = pd.concat(frames, ignore_index=True) if frames else intake.nominations.iloc[0:0]
    records = nominations_to_records(rows)
    records["nam"] = int(year)
    pending = records.iloc[0:0]
    if is_master and len(records):
        records, pending, waiting = _with_decisions(records, rows, decision, intake)
        refused += waiting
    elif len(records):
        records, pending = _granted_by(records, decision_no, decision_date)
        if len(pending):
            refused.append(_pending_warning(len(pending), year))
    source = ", ".join(f.file for f in intake.files if f.ok) or "?"
    added, already = add_records(db, records, source=f"lưu năm {year}: {source}", kind="archive")
    if len(pending):
        add_records(db, pending, source=f"đề nghị năm {year} (chờ quyết định): {source}", kind="proposal",
                    table="proposal")
    return ImportResult(store.as_db(db), rows=len(records), added=added, already=already, findings=refused,
                        pending=len(pending))


def _granted_by(records: pd.DataFrame, decision_no: str, decision_date: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(granted, awaiting): a row of a unit's list is granted by its own decision number, else by the one the
    officer gives for the whole list; without either it awaits its decision."""
    own = records["so_quyet_dinh"].fillna("").astype(str).str.strip() != ""
    if clean(decision_no):
        records = records.copy()
        records.loc[~own, "so_quyet_dinh"] = clean(decision_no)
        records.loc[~own, "ngay_quyet_dinh"] = clean(decision_date)
        return records.reset_index(drop=True), records.iloc[0:0]
    return records[own].reset_index(drop=True), records[~own].reset_index(drop=True)


def _pending_warning(n: int, year: int) -> Finding:
    return Finding(
        "NOT_GRANTED", "warning",
        f"{n} dòng của danh sách đề nghị chưa có quyết định khen thưởng nên KHÔNG được lưu là đã khen thưởng "
        f"(chỉ ghi vào danh sách chờ quyết định của sổ, không dùng khi kiểm tra điều kiện nhiều năm). Để lưu: "
        f"nhập các tệp vào tệp tổng hợp, ghi kết quả họp Hội đồng (trang “Biểu quyết”, cột “Kết quả”; từng dòng: "
        f"cột “Kết quả xét”) rồi chạy "
        f"“thidua history archive <tệp tổng hợp> --year {year}”; hoặc, nếu các tệp này là danh sách kèm theo "
        f"quyết định đã ký, thêm “--so-quyet-dinh <số> --ngay-quyet-dinh <ngày>”.",
        rule="HISTORY.ARCHIVE")


def _with_decisions(records: pd.DataFrame, rows: pd.DataFrame, decision,
                    intake) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """(granted, awaiting, findings): each record with its decision (the Sở's from Cấu hình, a higher one from the
    row); the others wait as proposals until their decision is recorded."""
    import pandas as pd

    from .config import Config
    from .documents.outcome import so_decisions

    config = Config.from_kv(intake.config)
    own = so_decisions(decision, config)
    cat = load_catalog()
    so_qd, ngay_qd, keep, waiting = [], [], [], []
    for i, (code, typed_no, typed_date) in enumerate(zip(rows["award"], rows["so_quyet_dinh"].fillna(""),
                                                         rows["ngay_quyet_dinh"].fillna(""))):
        number, date = (own.get(code, ("", "")) if cat[code].decided_by_so else (clean(typed_no), clean(typed_date)))
        ok = bool(number)
        keep.append(ok)
        so_qd.append(number)
        ngay_qd.append(date)
        if not ok:
            why = ("chưa có số quyết định của Sở (trang Cấu hình, dòng “Số quyết định”)" if cat[code].decided_by_so
                   else "chưa có quyết định của cấp trên (cột “Số quyết định”, hoặc thidua decisions import)")
            waiting.append(Finding("NOT_ARCHIVED", "warning", f"“{rows['ho_ten'].iloc[i]}” – {cat[code].name}: "
                                   f"chưa lưu, {why}.", file=rows["file"].iloc[i], sheet=rows["sheet"].iloc[i],
                                   row=int(rows["row"].iloc[i]), unit=rows["unit"].iloc[i], rule="HISTORY.ARCHIVE"))
    out = records.assign(so_quyet_dinh=so_qd, ngay_quyet_dinh=ngay_qd)
    kept = pd.Series(keep, index=out.index, dtype=bool)
    return out[kept].reset_index(drop=True), out[~kept].reset_index(drop=True), waiting


# --- reading ----------------------------------------------------------------------------------
_FRAME_COLUMNS = {"ho_ten": "ho_ten", "name_key": "name_key", "birth_year": "nam_sinh AS birth_year",
                  "birth_date": "ngay_sinh AS birth_date", "don_vi": "don_vi", "unit_key": "unit_key",
                  "subject": "subject", "award": "award", "year": "nam AS year"}
JOIN_COLUMNS = ("name_key", "birth_year", "birth_date", "unit_key", "subject", "award", "year")


def load_frame(db: str | os.PathLike, years: tuple[int, int] | None = None,
               columns: tuple[str, ...] | None = None, people: "People | None" = None) -> pd.DataFrame:
    """Register records for validation joins: name_key, birth_year, birth_date, unit, subject, award, year.

    `columns` (default all) lets validation skip the display texts it never reads
    (ho_ten, don_vi): fetching them is most of the load of a 100,000-row register.
    `people` (default all) keeps only the records a run's joins can meet (see `People`),
    found through the (name_key, nam_sinh) index instead of reading the whole register.
    """
    if not store.exists(db):
        raise UserError(f"Không tìm thấy sổ lịch sử “{db}”.")
    q, params, fallback = _load_query(db, years, columns, people)
    try:
        df = store.read(db, q, params)
    except Exception as exc:  # noqa: BLE001 - pandas/SQLAlchemy wrap sqlite3 errors in their own types
        if fallback is None or "json" not in str(exc).lower():
            raise
        # an SQLite built without JSON functions: read the whole window (a superset, same findings)
        df = store.read(db, fallback, {k: v for k, v in params.items() if k in ("y0", "y1")})
    df["birth_year"] = df["birth_year"].astype(float)
    return df


_POLARS_TYPES = {"birth_year": "Float64", "year": "Int64"}  # the rest is text


def _load_query(db, years, columns, people) -> tuple[str, dict, str | None]:
    """(query, parameters, fallback query): the fallback reads the whole window when SQLite lacks JSON."""
    cols = [_FRAME_COLUMNS[c] for c in (columns or _FRAME_COLUMNS)]
    base = f"SELECT {', '.join(cols)} FROM award"
    params: dict = {}
    if years:
        base += " WHERE nam BETWEEN :y0 AND :y1"
        params = {"y0": int(years[0]), "y1": int(years[1])}
    if people is None or store.dialect(db) != "sqlite":  # a server reads the window; SQLite finds the people
        return base, params, None
    ids, values = people.ids()
    if isinstance(values, (list, tuple)):  # positional "?" parameters: name them for SQLAlchemy
        for i in range(len(values)):
            ids = ids.replace("?", f":p{i}", 1)
        values = {f"p{i}": v for i, v in enumerate(values)}
    q = f"{base} {'AND' if years else 'WHERE'} id IN ({ids}) ORDER BY id"
    return q, {**params, **values}, base + " ORDER BY id"


def load_polars(db: str | os.PathLike, years: tuple[int, int] | None = None,
                columns: tuple[str, ...] | None = None, people: "People | None" = None) -> "pl.DataFrame":
    """`load_frame` as a Polars frame, read from the cursor column by column (no pandas): what validation
    joins. birth_year is a float (null when unknown), year an integer, the rest text."""
    import polars as pl

    if not store.exists(db):
        raise UserError(f"Không tìm thấy sổ lịch sử “{db}”.")
    q, params, fallback = _load_query(db, years, columns, people)
    types = {c: getattr(pl, _POLARS_TYPES.get(c, "String")) for c in (columns or _FRAME_COLUMNS)}
    try:
        return store.frame(db, q, params, types)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy wraps sqlite3 errors in its own types
        if fallback is None or "json" not in str(exc).lower():
            raise
        # an SQLite built without JSON functions: read the whole window (a superset, same findings)
        return store.frame(db, fallback, {k: v for k, v in params.items() if k in ("y0", "y1")}, types)


def as_polars(frame) -> "pl.DataFrame":
    """A register frame handed in (pandas, as `load_frame` returns, or Polars) as `load_polars` gives it."""
    import polars as pl

    if isinstance(frame, pl.DataFrame):
        data = {c: frame.get_column(c).to_list() for c in frame.columns}
    else:  # pandas: missing values (NaN) as null
        data = {c: [None if v is None or v != v else v for v in frame[c].tolist()] for c in frame.columns}
    types = {c: getattr(pl, _POLARS_TYPES.get(c, "String")) for c in data}
    return pl.DataFrame(data, schema=types, strict=False)


@dataclass(frozen=True)
class People:
    """Whom a run can match in the register, so the other records stay on disk.

    pairs: (name key, birth year) met on both; names: name keys met by records
    without a birth year; any_birth: name keys met whatever the record's birth year
    (a nomination without a birth year, or a collective).
    """

    pairs: frozenset[tuple[str, int]]
    names: frozenset[str]
    any_birth: frozenset[str]

    def ids(self) -> tuple[str, dict[str, str]]:
        """The query of their record ids (SQLite) and its parameters (JSON lists: one value to bind each)."""
        lists = {"pairs": list(self.pairs), "names": list(self.names), "any_birth": list(self.any_birth)}
        return _PEOPLE_IDS, {k: json.dumps(v, ensure_ascii=False) for k, v in lists.items()}


_PEOPLE_IDS = ("SELECT a.id FROM json_each(:pairs) w JOIN award a ON a.name_key = json_extract(w.value, '$[0]') "
               "AND a.nam_sinh = json_extract(w.value, '$[1]') "
               "UNION SELECT a.id FROM json_each(:names) w JOIN award a ON a.name_key = w.value "
               "AND a.nam_sinh IS NULL "
               "UNION SELECT a.id FROM json_each(:any_birth) w JOIN award a ON a.name_key = w.value")


@dataclass(frozen=True)
class PeopleLists:
    """`People` as the JSON lists its query binds, made by Polars from the rows (`Context.people_lists`): no Python
    object per person in the register's thread, which holds the GIL while it makes them (~16 ms at 120,000 rows)."""

    pairs: str  # [["name key", birth year], ...]
    names: str  # ["name key", ...]
    any_birth: str

    def ids(self) -> tuple[str, dict[str, str]]:
        return _PEOPLE_IDS, {"pairs": self.pairs, "names": self.names, "any_birth": self.any_birth}


def years_in(db: str | os.PathLike, years: tuple[int, int]) -> set[int]:
    """Years from years[0] to years[1] that have records in the register: one index probe per year of the
    window rather than a walk over every record of the window."""
    return {int(r[0]) for r in store.rows(
        db, "WITH RECURSIVE ys(y) AS (SELECT CAST(:a AS INTEGER) UNION ALL SELECT y + 1 FROM ys WHERE y < :b) "
            "SELECT y FROM ys WHERE y BETWEEN :a AND :b AND EXISTS (SELECT 1 FROM award WHERE nam = ys.y)",
        {"a": int(years[0]), "b": int(years[1])})}


def years_covered(db: str | os.PathLike) -> set[int]:
    return {int(r[0]) for r in store.rows(db, "SELECT DISTINCT nam FROM award")}


def person_awards(db: str | os.PathLike, name: str, birth: object = None) -> pd.DataFrame:
    """A person's (or collective's) awards by year: year, award code and name, unit, decision."""
    import pandas as pd

    catalog = load_catalog()
    key = name_key(name)
    b = parse_date(birth) if birth not in (None, "") else None
    df = store.read(db, "SELECT nam AS year, award, hinh_thuc, don_vi, ngay_sinh, nam_sinh, so_quyet_dinh, "
                        "ngay_quyet_dinh, subject FROM award WHERE name_key = :k ORDER BY nam, award", {"k": key})
    if b is not None and b.year:
        same_year = df["nam_sinh"].isna() | (df["nam_sinh"] == b.year)
        if b.date:
            same_year &= (df["ngay_sinh"] == "") | (df["ngay_sinh"] == b.date.isoformat())
        df = df[same_year]
    df.insert(2, "award_name", df["award"].map(lambda c: catalog.by_code[c].name if c in catalog.by_code else c))
    return df.reset_index(drop=True)


def count(db: str | os.PathLike) -> int:
    """Granted awards in the register (proposals awaiting their decision are not awards)."""
    return int(store.scalar(db, "SELECT COUNT(*) FROM award"))


def pending_count(db: str | os.PathLike) -> int:
    """Rows of units' lists archived without a decision, kept apart from the awards."""
    return int(store.scalar(db, "SELECT COUNT(*) FROM proposal"))


def records(db, people: set[str] | None = None) -> list[tuple]:
    """(ho_ten, ngay_sinh, nam_sinh, don_vi, nam, award, hinh_thuc, so_quyet_dinh, subject) newest year first;
    people: only these name keys (a master's people)."""
    got = store.rows(db, "SELECT ho_ten, ngay_sinh, nam_sinh, don_vi, nam, award, hinh_thuc, so_quyet_dinh, subject, "
                         "name_key FROM award ORDER BY nam DESC, don_vi, ho_ten")
    return [r[:9] for r in got if people is None or r[9] in people]
