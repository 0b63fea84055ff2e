"""The ``store`` fixture for store tests: SQLite in a temp folder, and PostgreSQL when
EVENTLENS_TEST_PG_URL is set (marked ``postgres``; the schema is dropped before each test)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventlens.store import Store, open_store

PG_URL = os.environ.get("EVENTLENS_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = sa.inspect(conn).get_table_names()
        for name in names:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    engine.dispose()


def store_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not PG_URL:
        pytest.skip("EVENTLENS_TEST_PG_URL is not set")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = open_store(store_url(request.param, tmp_path))
    yield s
    s.close()
