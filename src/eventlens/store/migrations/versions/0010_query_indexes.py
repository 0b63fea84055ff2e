"""Indexes for the filters that walked every event when few or no events matched.

``ix_events_location_date``  (location, date_key, id, fatalities): a location substring is bound
                      to the stored location names by a skip scan over it (one index probe per
                      distinct name, as actors are), then matched exactly; a name that matches
                      nothing costs nothing, and timelines of a place read the index alone.
                      Before, ``location=`` was a ``LIKE`` tested on every event in date order
                      (a name nothing has: every one of 1M events).
``ix_events_told``   (n_mentions, id, review_status) replaces ``ix_events_n_mentions``
                      (n_mentions): the review queue reads the most-told unreviewed events in
                      its order from the index alone, a chunk at a time, and stops when the queue
                      is full; before, it read 20,000 of them with a table lookup each for every
                      request (~1 s at 150,000 events with 30,000 told twice, loaded machine).
``ix_events_inter2``  (inter2): ``inter=`` is ``inter1 = x OR inter2 = x``; with an index on
                      each side the events of a code few events have are read from the two
                      indexes (``store.filters``: bound to their ids) instead of walking every
                      event in date order (200,000 events: ~8 s for a code none has, loaded).

Both dialects. Indexes only: nothing is rewritten; the downgrade restores the index it replaced.

Revision ID: 0010_query_indexes
Revises: 0009_feeds
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010_query_indexes"
down_revision: str | None = "0009_feeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_events_location_date": ("events", "location, date_key, id, fatalities"),
    "ix_events_told": ("events", "n_mentions, id, review_status"),
    "ix_events_inter2": ("events", "inter2"),
}
#: indexes of 0002 that the ones above replace
_REPLACED = {
    "ix_events_n_mentions": ("events", "n_mentions"),
}


def upgrade() -> None:
    for name in _REPLACED:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (table, columns) in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def downgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (table, columns) in _REPLACED.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")
