"""Where the awards register lives: a SQLite file (default) or a PostgreSQL server shared by the office.

`--history` takes a file path or a `postgresql://user@host/db` URL; both go through
SQLAlchemy with the same tables, so history.py holds the register's rules once.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

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


def _tables():
    from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, UniqueConstraint

    md = MetaData()
    award = Table(
        "award", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("ho_ten", Text, nullable=False), Column("name_key", Text, nullable=False),
        Column("ngay_sinh", Text, nullable=False, server_default=""), Column("nam_sinh", Integer),
        Column("birth_key", Text, nullable=False, server_default=""),
        Column("don_vi", Text, nullable=False, server_default=""),
        Column("unit_key", Text, nullable=False, server_default=""),
        Column("scope_key", Text, nullable=False, server_default=""),
        Column("nam", Integer, nullable=False), Column("award", Text, nullable=False),
        Column("hinh_thuc", Text, nullable=False, server_default=""), Column("subject", Text, nullable=False),
        Column("so_quyet_dinh", Text, nullable=False, server_default=""),
        Column("ngay_quyet_dinh", Text, nullable=False, server_default=""),
        Column("source", Text, nullable=False, server_default=""), Column("added_at", Text, nullable=False),
        UniqueConstraint("name_key", "birth_key", "scope_key", "nam", "award"),
        Index("award_person", "name_key", "nam_sinh"), Index("award_year", "nam", "award"),
    )
    log = Table("import_log", md, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("source", Text, nullable=False), Column("kind", Text, nullable=False),
                Column("rows", Integer, nullable=False), Column("added", Integer, nullable=False),
                Column("at", Text, nullable=False))
    return md, award, log


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
        eng = create_engine(url, poolclass=NullPool) if not is_url(db) else create_engine(url, pool_pre_ping=True)
        md, _award, _log = _tables()
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
    return engine(db).dialect.name


def read(db, sql: str, params: dict | None = None) -> pd.DataFrame:
    from sqlalchemy import text

    with engine(db).connect() as con:
        return pd.read_sql_query(text(sql), con, params=params or {})


def scalar(db, sql: str, params: dict | None = None):
    from sqlalchemy import text

    with engine(db).connect() as con:
        return con.execute(text(sql), params or {}).scalar()


def rows(db, sql: str, params: dict | None = None) -> list[tuple]:
    from sqlalchemy import text

    with engine(db).connect() as con:
        return [tuple(r) for r in con.execute(text(sql), params or {})]


def insert_new(db, records: list[dict], log: dict) -> int:
    """Insert the award records the unique key does not already hold, and a log line; returns how many."""
    from sqlalchemy import func, select

    eng = engine(db)
    _md, award, import_log = _tables()
    if eng.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with eng.begin() as con:
        before = con.execute(select(func.count()).select_from(award)).scalar()
        if records:
            con.execute(insert(award).on_conflict_do_nothing(), records)
        added = con.execute(select(func.count()).select_from(award)).scalar() - before
        con.execute(import_log.insert(), [{**log, "added": added}])
    return int(added)


def dispose(db) -> None:
    """Close the engine's connections (tests, and before a register file is moved)."""
    eng = _ENGINES.pop(_sqlalchemy_url(db), None)
    if eng is not None:
        eng.dispose()


__all__ = ["as_db", "dialect", "engine", "exists", "insert_new", "is_url", "label", "read", "rows", "scalar",
           "dispose"]
