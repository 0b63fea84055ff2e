"""Why the geocoder chose each place: ``geo_reason`` on mentions and events.

A short machine-readable code the dashboard and exports can show beside a place
(``event-sentence``, ``town-in-named-region``, ``article-country`` ...; ``+named-admin1`` when an
admin unit the text names decided between namesakes). NULL for rows coded before this revision.

Revision ID: 0011_geo_reason
Revises: 0009_feeds
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_geo_reason"
down_revision: str | None = "0010_query_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("mentions", "events")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("geo_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:  # in place (SQLite 3.35+): a rebuilt table would break the text index's view
        op.execute(f"ALTER TABLE {table} DROP COLUMN geo_reason")
