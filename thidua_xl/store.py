"""Where the awards register lives: a SQLite file (default) or a PostgreSQL server shared by the office.

`--history` takes a file path or a `postgresql://user@host/db` URL; both go through
SQLAlchemy with the same tables, so history.py holds the register's rules once.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import UserError

_ENGINES: dict[str, object] = {}


def is_url(db: object) -> bool:
    return isinstance(db, str) and "://" in db


def as_db(value: object):
    """A --history value: a URL stays text, anything else is a path."""
    if value is None:
        return None
    text = str(value)
    return text if is_url(text) else Path(text)


def label(db) -> str:
    """How to name the register in a message (a URL without its password)."""
    if is_url(db):
        from sqlalchemy.engine import make_url

        return make_url(_sqlalchemy_url(db)).render_as_string(hide_password=True)
    return str(db)


def exists(db) -> bool:
    return is_url(db) or Path(db).is_file()


def _sqlalchemy_url(db) -> str:
    if is_url(db):
        url = str(db)
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+psycopg://" + url[len(plain):]
        return url
    return f"sqlite:///{Path(db).resolve()}"


def _person_columns() -> list:
    """Who a record is about: the same columns, in the same order, in every table of people."""
    from sqlalchemy import Column, Integer, Text

    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("ho_ten", Text, nullable=False), Column("name_key", Text, nullable=False),
        Column("ngay_sinh", Text, nullable=False, server_default=""), Column("nam_sinh", Integer),
        Column("birth_key", Text, nullable=False, server_default=""),
        Column("don_vi", Text, nullable=False, server_default=""),
        Column("unit_key", Text, nullable=False, server_default=""),
    ]


def _record_table(name: str, md):
    """An award record: who, born when, which unit, which year, which award, under which decision."""
    from sqlalchemy import Column, Index, Integer, Table, Text, UniqueConstraint

    return Table(
        name, md,
        *_person_columns(),
        Column("scope_key", Text, nullable=False, server_default=""),
        Column("nam", Integer, nullable=False), Column("award", Text, nullable=False),
        Column("hinh_thuc", Text, nullable=False, server_default=""), Column("subject", Text, nullable=False),
        Column("so_quyet_dinh", Text, nullable=False, server_default=""),
        Column("ngay_quyet_dinh", Text, nullable=False, server_default=""),
        Column("source", Text, nullable=False, server_default=""), Column("added_at", Text, nullable=False),
        UniqueConstraint("name_key", "birth_key", "scope_key", "nam", "award"),
        Index(f"{name}_person", "name_key", "nam_sinh"), Index(f"{name}_year", "nam", "award"),
    )


def _tables():
    """award: what was granted (the history rules read only this); proposal: rows archived from units' lists
    that await their decision (kept apart so they never count as granted); discipline: who was disciplined
    from when to when (thidua history discipline); import_log: every run."""
    from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, UniqueConstraint

    md = MetaData()
    award = _record_table("award", md)  # indexes award_person, award_year: the names registers on disk have
    Table(  # periods of awards restart after a discipline ends
        "discipline", md,
        *_person_columns(),
        Column("hinh_thuc", Text, nullable=False), Column("tu_ngay", Text, nullable=False),
        Column("den_ngay", Text, nullable=False, server_default=""),
        Column("so_quyet_dinh", Text, nullable=False, server_default=""),
        Column("source", Text, nullable=False, server_default=""), Column("added_at", Text, nullable=False),
        UniqueConstraint("name_key", "birth_key", "hinh_thuc", "tu_ngay"),
        Index("discipline_person", "name_key", "nam_sinh"),
    )
    log = Table("import_log", md, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("source", Text, nullable=False), Column("kind", Text, nullable=False),
                Column("rows", Integer, nullable=False), Column("added", Integer, nullable=False),
                Column("at", Text, nullable=False))
    proposal = _record_table("proposal", md)
    return md, award, log, proposal


def engine(db):
    """The register's engine, its tables created on first use (and columns added to an older file)."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    url = _sqlalchemy_url(db)
    eng = _ENGINES.get(url)
    if eng is not None:
        return eng
    if not is_url(db):
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        if is_url(db):
            eng = create_engine(url, pool_pre_ping=True)
        else:  # the path as it is: a URL string would read "%20" as a space and "?" as options
            from sqlalchemy.engine import URL

            eng = create_engine(URL.create("sqlite", database=str(Path(db).resolve())), poolclass=NullPool)
        md, *_tables_made = _tables()
        md.create_all(eng)
        have = {c["name"] for c in inspect(eng).get_columns("award")}
        with eng.begin() as con:
            for col in ("ngay_quyet_dinh",):  # registers written before the column existed
                if col not in have:
                    con.execute(text(f"ALTER TABLE award ADD COLUMN {col} TEXT NOT NULL DEFAULT ''"))
    except SQLAlchemyError as exc:
        if is_url(db):
            raise UserError(f"Không mở được máy chủ sổ lịch sử “{label(db)}”: {str(exc).splitlines()[0]}.") from None
        raise UserError(f"Tệp “{db}” không phải là sổ lịch sử hợp lệ (SQLite): {str(exc).splitlines()[0]}.") from None
    _ENGINES[url] = eng
    return eng


def dialect(db) -> str:
    return "sqlite" if not is_url(db) else engine(db).dialect.name


def _read_only(db):
    """A read-only sqlite3 connection to an existing register file, or None (a URL, no file yet, not SQLite).

    Reading needs neither SQLAlchemy (~0.2 s to import) nor the schema step of `engine`: a query
    that meets an older or empty file fails here and is run again through `engine`, which
    creates or completes the tables or says in Vietnamese what is wrong.
    """
    if is_url(db):
        return None
    path = Path(db)
    if not path.is_file():
        return None
    import sqlite3

    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None


def _direct(db, run):
    """run(sqlite3 connection) on a read-only connection; None when the engine path must answer."""
    con = _read_only(db)
    if con is None:
        return None
    import sqlite3

    errors: tuple = (sqlite3.Error,)
    if "pandas" in sys.modules:  # pandas wraps sqlite3's errors in its own type
        errors += (sys.modules["pandas"].errors.DatabaseError,)
    try:
        return (run(con),)
    except errors:
        return None
    finally:
        con.close()


def read(db, sql: str, params: dict | None = None):
    """The query's result as a pandas frame."""
    import pandas as pd

    got = _direct(db, lambda con: pd.read_sql_query(sql, con, params=params or {}))
    if got is not None:
        return got[0]
    from sqlalchemy import text

    with engine(db).connect() as con:
        return pd.read_sql_query(text(sql), con, params=params or {})


def columns(db, sql: str, params: dict | None = None) -> dict[str, list]:
    """The query's result column by column (name → values), read without pandas: a Polars frame is built
    from it directly."""
    def run(cursor) -> dict[str, list]:
        names = [d[0] for d in cursor.description]
        got = cursor.fetchall()
        values = list(zip(*got)) if got else [()] * len(names)
        return {n: list(v) for n, v in zip(names, values)}

    got = _direct(db, lambda con: run(con.execute(sql, params or {})))
    if got is not None:
        return got[0]
    from sqlalchemy import text

    with engine(db).connect() as con:
        result = con.execute(text(sql), params or {})
        names = list(result.keys())
        rows = [tuple(r) for r in result]
    values = list(zip(*rows)) if rows else [()] * len(names)
    return {n: list(v) for n, v in zip(names, values)}


def frame(db, sql: str, params: dict | None, schema: dict):
    """The query's result as a Polars frame of `schema` (column → Polars type; the query's columns in that order).

    A register file is asked for one row that holds each column as a JSON array (`json_group_array`
    over the query, whose ORDER BY the aggregate keeps): SQLite builds the arrays without the GIL and
    Polars decodes them, instead of one Python object per cell (12,000 records: ~0.1 s less). Anything
    else, or a file whose values do not decode as the schema says, is read row by row as `columns`."""
    import polars as pl

    names = list(schema)
    arrays = ", ".join(f"json_group_array({_quoted(n)})" for n in names)
    got = _direct(db, lambda con: con.execute(f"SELECT {arrays} FROM ({sql})", params or {}).fetchone())
    if got is not None and got[0] is not None:
        try:
            lists = pl.DataFrame([pl.Series(n, [t], dtype=pl.String) for n, t in zip(names, got[0])]).select(
                pl.col(n).str.json_decode(pl.List(schema[n])) for n in names)
            if lists.select(pl.col(names[0]).list.len()).item() == 0:  # exploding [] would give one null row
                return pl.DataFrame(schema=schema)
            return lists.explode(names)
        except (pl.exceptions.PolarsError, ValueError):
            pass  # e.g. a text in a number column: read as the rows are
    return pl.DataFrame(columns(db, sql, params), schema=schema, strict=False)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scalar(db, sql: str, params: dict | None = None):
    got = _direct(db, lambda con: (con.execute(sql, params or {}).fetchone() or (None,))[0])
    if got is not None:
        return got[0]
    from sqlalchemy import text

    with engine(db).connect() as con:
        return con.execute(text(sql), params or {}).scalar()


def rows(db, sql: str, params: dict | None = None) -> list[tuple]:
    got = _direct(db, lambda con: [tuple(r) for r in con.execute(sql, params or {})])
    if got is not None:
        return got[0]
    from sqlalchemy import text

    with engine(db).connect() as con:
        return [tuple(r) for r in con.execute(text(sql), params or {})]


def has_table(db, name: str) -> bool:
    """The register has this table. A SQLite file that has it is asked directly (no SQLAlchemy import);
    otherwise the engine answers, creating the tables of a register file that lacks them, as it always did."""
    got = _direct(db, lambda con: con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                              (name,)).fetchone() is not None)
    if got is not None and got[0]:
        return True
    from sqlalchemy import inspect

    return name in inspect(engine(db)).get_table_names()


_KEY_SQL = ("name_key = :name_key AND birth_key = :birth_key AND scope_key = :scope_key AND nam = :nam "
            "AND award = :award")
_KEY_COLUMNS = ("name_key", "birth_key", "scope_key", "nam", "award")


def insert_new(db, records: list[dict], log: dict, table: str = "award") -> int:
    """Insert the records the unique key does not already hold, and a log line; returns how many.

    table 'award' (granted) or 'proposal' (awaiting a decision). A granted record takes the place
    of the same proposal, which is dropped.
    """
    from sqlalchemy import func, select, text

    eng = engine(db)
    _md, award, import_log, proposal = _tables()
    target = award if table == "award" else proposal
    if eng.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with eng.begin() as con:
        before = con.execute(select(func.count()).select_from(target)).scalar()
        if records:
            con.execute(insert(target).on_conflict_do_nothing(), records)
            if table == "award" and con.execute(select(func.count()).select_from(proposal)).scalar():
                con.execute(text(f"DELETE FROM proposal WHERE {_KEY_SQL}"),
                            [{k: r[k] for k in _KEY_COLUMNS} for r in records])
        added = con.execute(select(func.count()).select_from(target)).scalar() - before
        con.execute(import_log.insert(), [{**log, "added": added}])
    return int(added)


def dispose(db) -> None:
    """Close the engine's connections (tests, and before a register file is moved)."""
    eng = _ENGINES.pop(_sqlalchemy_url(db), None)
    if eng is not None:
        eng.dispose()


__all__ = ["as_db", "dialect", "engine", "exists", "has_table", "insert_new", "is_url", "label", "read", "rows", "scalar",
           "dispose"]
