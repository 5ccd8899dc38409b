"""Opening a knowledge base: a database URL or file path in, a migrated SQLAlchemy engine out.

SQLite is the default (a file, WAL journal so readers never wait for the ingest's writer);
PostgreSQL goes through the same code with a ``postgresql://`` URL (driver: psycopg 3).

Several processes may open and write one knowledge base at once: migrations and write batches
take the database's write lock (``write_transaction``), so writers take turns batch by batch
while their extraction runs in parallel.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from biodeals.errors import ConfigError, StoreError

# The newest migration; a database already there is opened without loading Alembic at all
# (a test checks this equals Alembic's head).
SCHEMA_REVISION = "0008"
DEFAULT_DB = "biodeals.db"
DB_ENV = "BIODEALS_DB"
# PostgreSQL advisory lock keys (arbitrary constants): one for migrations, one for write batches.
_MIGRATION_LOCK = 7_151_301
_WRITE_LOCK = 7_151_302
# The execution option that makes a SQLite transaction begin IMMEDIATE (taking the write lock).
_WRITER = "biodeals_writer"
_WAL_ATTEMPTS = 500  # 10 s of tries


def database_url(target: str | Path | None = None) -> str:
    """The SQLAlchemy URL for ``target``: a URL as given (``postgresql://`` gets the psycopg
    driver), a path as a SQLite file; None means ``$BIODEALS_DB`` or ``./biodeals.db``."""
    text = str(target or os.environ.get(DB_ENV) or DEFAULT_DB)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser()}"
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            return "postgresql+psycopg://" + text[len(plain) :]
    return text


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the sqlite3 module, emits BEGIN (``_sqlite_begin``): the module's legacy
    # mode leaves SELECTs and SAVEPOINTs outside the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable against a crashed process
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """WAL journal mode (persistent: set once per file). Two processes opening a new file at
    once race to switch it, and the loser gets "database is locked" at once, busy_timeout or
    not: it tries again until the winner is done."""
    for attempt in range(_WAL_ATTEMPTS):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.02)


def _sqlite_begin(connection: Connection) -> None:
    """A reader's transaction begins deferred; a writer's IMMEDIATE, so a second writer waits
    for the write lock (busy_timeout) instead of failing when it tries to write."""
    immediate = connection.get_execution_options().get(_WRITER)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine, *, lock: int = _WRITE_LOCK) -> Iterator[Connection]:
    """A transaction holding the knowledge base's write lock until it ends: SQLite's (BEGIN
    IMMEDIATE), or a PostgreSQL transaction-level advisory lock. Concurrent writers wait."""
    with engine.connect() as connection:
        connection.execution_options(**{_WRITER: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
            yield connection


def alembic_config() -> Any:
    """Alembic's configuration for biodeals' migrations (imported on demand: it is slow to load)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("biodeals.store") / "migrations"))
    return config


def connect(target: str | Path | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """An engine on the knowledge base at ``target``, its schema brought up to date.

    ``create=False`` (what reading needs) refuses a SQLite file that does not exist rather than
    making an empty one. Raises ConfigError for an unusable URL or a missing file, and
    StoreError when the database cannot be reached.
    """
    url = database_url(target)
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigError(f"--db {target}: not a database URL or path ({error})") from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not Path(database).parent.is_dir():
            raise ConfigError(f"--db {database}: folder {Path(database).parent} does not exist")
        if not create and database and database != ":memory:" and not Path(database).is_file():
            raise ConfigError(
                f"--db {database}: no knowledge base there (`biodeals ingest FILES --db {database}` makes one)"
            )
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ModuleNotFoundError) as error:
            raise ConfigError(f"--db {parsed.render_as_string()}: unsupported database ({error})") from error
    if migrate:
        upgrade(engine)
    return engine


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (a no-op on an up-to-date database). The upgrade runs under
    the write lock and re-checks the revision once it holds it: of two processes opening a fresh
    database at once, one migrates and the other waits, then finds the schema in place."""
    try:
        with engine.connect() as connection:
            if _current_revision(connection) == SCHEMA_REVISION:
                return
        with write_transaction(engine, lock=_MIGRATION_LOCK) as connection:
            if _current_revision(connection) == SCHEMA_REVISION:
                return
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"{where}: cannot open the database ({error.orig})") from error
