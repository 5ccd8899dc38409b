"""Opening a knowledge base: a database URL or file path in, a migrated SQLAlchemy engine out.

SQLite is the default (a file, WAL journal so readers never wait for the ingest's writer);
PostgreSQL goes through the same code with a ``postgresql://`` URL (driver: psycopg 3).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from biodeals.errors import ConfigError, StoreError

# The newest migration; a database already there is opened without loading Alembic at all
# (a test checks this equals Alembic's head).
SCHEMA_REVISION = "0001"
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


def alembic_config() -> Any:
    """Alembic's configuration for biodeals' migrations (imported on demand: it is slow to load)."""
    from alembic.config import Config

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


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (a no-op on an up-to-date database)."""
    try:
        with engine.begin() as connection:
            if _current_revision(connection) == SCHEMA_REVISION:
                return
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"{where}: cannot open the database ({error.orig})") from error
