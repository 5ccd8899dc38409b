"""Alembic environment: migrations run on the connection biodeals.store hands over
(``config.attributes["connection"]``), or on ``sqlalchemy.url`` when run from the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from biodeals.store.schema import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
