"""What `eventlens watch` follows: ``feeds`` (RSS/Atom feeds and watched folders, with their HTTP
cache validators and status) and ``feed_items`` (every item found, its state, and the fetched page
until it is coded). ``ix_events_created_at`` serves the dashboard's "new since" filter.

Revision ID: 0009_feeds
Revises: 0008_one_audit_trail
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_feeds"
down_revision: str | None = "0008_one_audit_trail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("added_at", nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        _at("last_polled"),
        _at("last_success"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _at("last_error_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("guid", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        _at("published"),
        sa.Column("published_day", sa.Date(), nullable=True),
        _at("found_at", nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("doc_id", sa.String(length=40), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_feed_items_status", "feed_items", ["status", "id"])
    op.create_index("ix_feed_items_feed_guid", "feed_items", ["feed_id", "guid"])
    op.create_index("ix_feed_items_doc_id", "feed_items", ["doc_id"])
    op.create_index("ix_events_created_at", "events", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_events_created_at", table_name="events")
    op.drop_table("feed_items")
    op.drop_table("feeds")
