"""Actor rollups: counts and fatalities per actor pair, for timelines and regions filtered by actor.

``rollup_actor_month`` one row per (month_key, actor1, actor2, country, admin1, event_type), with
                       micro-degree position sums like ``rollup_month``
``rollup_actor_day``   one row per (date_key, actor1, actor2, country)

Timelines and the region table filtered by actor read ``events`` (2.5-2.8 s at 1M events). The
API resolves an actor substring to the stored actor names first (``store.filters``), so the
filter becomes ``actor1 IN names OR actor2 IN names``, which these tables answer exactly: each
row is one group of events, so an event whose two actors both match is counted once. Kept equal
to GROUP BYs over ``events`` by triggers, as the 0003 rollups are (same NULL handling, rows at
zero deleted), and filled from the stored events.

Revision ID: 0005_rollup_actor
Revises: 0004_rollup_date
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from eventlens.store.rollup_triggers import Rollups

revision: str = "0005_rollup_actor"
down_revision: str | None = "0004_rollup_date"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, type, nullable) of each table's key, and its measures
_KEYS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "rollup_actor_month": (
        ("month_key", "INTEGER", False), ("actor1", "TEXT", True), ("actor2", "TEXT", True),
        ("country", "TEXT", True), ("admin1", "TEXT", True), ("event_type", "TEXT", False),
    ),
    "rollup_actor_day": (
        ("date_key", "INTEGER", False), ("actor1", "TEXT", True), ("actor2", "TEXT", True),
        ("country", "TEXT", True),
    ),
}
_MEASURES: dict[str, tuple[str, ...]] = {
    "rollup_actor_month": ("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
    "rollup_actor_day": ("n", "fatalities"),
}
#: event columns the tables read: an UPDATE touching none of them leaves them alone
_WATCHED = ("date_key", "actor1", "actor2", "country", "admin1", "event_type", "fatalities",
            "latitude", "longitude")
_ROLLUPS = Rollups(
    _KEYS, _MEASURES, _WATCHED, trigger="events_rollup_actor", function="eventlens_rollup_actor"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    _ROLLUPS.create_and_fill(dialect)
    for table, keys in _KEYS.items():
        op.execute(f"CREATE INDEX ix_{table}_actor1 ON {table} (actor1, {keys[0][0]})")
        op.execute(f"CREATE INDEX ix_{table}_actor2 ON {table} (actor2, {keys[0][0]})")
    _ROLLUPS.create_triggers(dialect)


def downgrade() -> None:
    _ROLLUPS.drop(op.get_bind().dialect.name)
