"""Opening a knowledge base: a database URL or file path in, a migrated SQLAlchemy engine out.

SQLite is the default (a file, WAL journal so readers never wait for the ingest's writer);
PostgreSQL goes through the same code with a ``postgresql://`` URL (driver: psycopg 3).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from biodeals.errors import ConfigError, StoreError

DEFAULT_DB = "biodeals.db"
DB_ENV = "BIODEALS_DB"


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
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable against a crashed process
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("biodeals.store") / "migrations"))
    return config


def connect(target: str | Path | None = None, *, migrate: bool = True) -> Engine:
    """An engine on the knowledge base at ``target``, its schema brought up to date.

    Raises ConfigError for an unusable URL and StoreError when the database cannot be reached.
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
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ModuleNotFoundError) as error:
            raise ConfigError(f"--db {parsed.render_as_string()}: unsupported database ({error})") from error
    if migrate:
        upgrade(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (a no-op on an up-to-date database)."""
    config = _alembic_config()
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == ScriptDirectory.from_config(config).get_current_head():
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"{where}: cannot open the database ({error.orig})") from error
