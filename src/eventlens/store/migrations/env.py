"""Alembic environment for the eventlens store, run programmatically by ``store.migrate``.

The caller passes an open SQLAlchemy Connection in ``config.attributes["connection"]``; no
alembic.ini and no URL in the user's working directory are needed. Later revisions (for example
``0002_auth_review``) go in ``versions/`` with ``down_revision`` pointing at the previous head.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from eventlens.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "run eventlens migrations through eventlens.store.migrate (it passes a connection)"
        )
    _run(connection)


if context.is_offline_mode():
    raise RuntimeError("eventlens migrations run online only (eventlens.store.migrate)")
run_migrations_online()
