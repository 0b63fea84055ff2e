"""Rollup tables: event counts, fatalities and positions pre-aggregated for the timeline and regions.

``rollup_day``   one row per (date_key, country, admin1, event_type)
``rollup_month`` one row per (month_key, country, admin1, event_type, sub_event_type, geo_precision)
                 with the counts and micro-degree sums of latitude and longitude (for mean positions)

``month_key`` is the ``date_key`` (proleptic ordinal) of the first day of the event's month, 0 for
undated events. Database triggers on ``events`` keep both tables equal to a GROUP BY over
``events`` on every write (pipeline inserts, canonical-coding updates, analyst edits, merges,
splits, deletes), whichever code path writes; rows whose count drops to zero are deleted. The
upgrade fills both tables from the events already stored. Analyst edits are written into the
``events`` row (and kept by later runs through ``locked_fields``), so the rollups see them too.

PostgreSQL needs version 15 or newer (``UNIQUE NULLS NOT DISTINCT`` makes the upsert exact for
NULL countries and regions).

Revision ID: 0003_rollups
Revises: 0002_auth_review
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from eventlens.store.rollup_triggers import Rollups

revision: str = "0003_rollups"
down_revision: str | None = "0002_auth_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, type, nullable) of each rollup's key
_KEYS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "rollup_day": (
        ("date_key", "INTEGER", False), ("country", "TEXT", True), ("admin1", "TEXT", True),
        ("event_type", "TEXT", False),
    ),
    "rollup_month": (
        ("month_key", "INTEGER", False), ("country", "TEXT", True), ("admin1", "TEXT", True),
        ("event_type", "TEXT", False), ("sub_event_type", "TEXT", False), ("geo_precision", "INTEGER", True),
    ),
}
_MEASURES: dict[str, tuple[str, ...]] = {
    "rollup_day": ("n", "fatalities"),
    "rollup_month": ("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
}
_EXTRA_INDEXES = {
    "ix_rollup_day_date": ("rollup_day", "date_key, n, fatalities"),
    "ix_rollup_day_country": ("rollup_day", "country, admin1, date_key, event_type, n, fatalities"),
    "ix_rollup_day_admin1": ("rollup_day", "admin1, date_key, n, fatalities"),
    "ix_rollup_month_region": ("rollup_month", "country, admin1, month_key"),
}
#: event columns the rollups read: an UPDATE touching none of them leaves the rollups alone
_WATCHED = ("date_key", "country", "admin1", "event_type", "sub_event_type", "geo_precision",
            "fatalities", "latitude", "longitude")
_ROLLUPS = Rollups(_KEYS, _MEASURES, _WATCHED, trigger="events_rollup", function="eventlens_rollup_events")


def _check_postgres_version() -> None:
    version = int(op.get_bind().exec_driver_sql("SHOW server_version_num").scalar_one())
    if version < 150000:
        raise RuntimeError(f"eventlens needs PostgreSQL 15 or newer (this server is {version // 10000}); "
                           "upgrade the server, or use SQLite")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _check_postgres_version()
        # no write slips in between the backfill and the triggers
        op.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    _ROLLUPS.create_and_fill(dialect)
    for table in _KEYS:
        op.execute(f"CREATE INDEX ix_{table}_empty ON {table} (n) WHERE n = 0")
    for name, (table, columns) in _EXTRA_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    _ROLLUPS.create_triggers(dialect)


def downgrade() -> None:
    _ROLLUPS.drop(op.get_bind().dialect.name)
