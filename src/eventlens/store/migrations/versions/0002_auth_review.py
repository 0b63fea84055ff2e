"""Users, API tokens, dashboard sessions, analyst overrides and the review audit log.

Also adds composite indexes on ``events`` so that filtered, date-ordered keyset pages
(country / admin1 / sub-event type + date_key + id) and the day/week/month and admin1
aggregates are read from an index instead of the table.

Free text over evidence (the API's ``q``) gets an index: on SQLite an FTS5 trigram table
``mentions_fts`` (external content = ``mentions``, kept in sync by triggers) that answers
``LIKE '%words%'``; on PostgreSQL a pg_trgm GIN index on ``mentions.evidence_text`` for
ILIKE (skipped with a warning when the pg_trgm extension cannot be created). The FTS table
points at ``mentions.rowid``: after a VACUUM run ``INSERT INTO mentions_fts(mentions_fts)
VALUES ('rebuild')`` (queries re-check the text, so a stale index can only miss, never lie).

Revision ID: 0002_auth_review
Revises: 0001_initial
Create Date: 2026-11-25
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

log = logging.getLogger(__name__)

revision: str = "0002_auth_review"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    # keyset pages filtered by one column, and per-period aggregates read from the index alone
    "ix_events_country_date": ["country", "date_key", "id", "fatalities", "event_type", "geo_precision"],
    "ix_events_admin1_date": ["admin1", "date_key", "id"],
    "ix_events_sub_type_date": ["sub_event_type", "date_key", "id"],
    "ix_events_date_fatalities": ["date_key", "fatalities", "latitude", "longitude"],
    "ix_events_region_totals": ["country", "admin1", "fatalities", "latitude", "longitude"],
    "ix_events_review": ["review_status", "confidence"],
    "ix_events_n_mentions": ["n_mentions"],
}


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_table(
        "event_overrides",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "field"),
    )
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_audit_event_id", "review_audit", ["event_id"], unique=False)
    op.create_index("ix_review_audit_at", "review_audit", ["at"], unique=False)
    for name, cols in _INDEXES.items():
        op.create_index(name, "events", cols, unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        _pg_trigram_index()


_FTS_DELETE = ("INSERT INTO mentions_fts(mentions_fts, rowid, evidence_text) "
               "VALUES ('delete', old.rowid, old.evidence_text);")
_FTS_INSERT = "INSERT INTO mentions_fts(rowid, evidence_text) VALUES (new.rowid, new.evidence_text);"
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE mentions_fts USING fts5(evidence_text, content='mentions', "
    "content_rowid='rowid', tokenize='trigram')",
    f"CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN {_FTS_INSERT} END",
    f"CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN {_FTS_DELETE} END",
    f"CREATE TRIGGER mentions_fts_au AFTER UPDATE OF evidence_text ON mentions "
    f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
    "INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')",
)


def _pg_trigram_index() -> None:
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm is not available (%s); free-text search will scan evidence", exc.orig)
        return
    op.execute("CREATE INDEX ix_mentions_evidence_trgm ON mentions USING gin (evidence_text gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("mentions_fts_ai", "mentions_fts_ad", "mentions_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS mentions_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_mentions_evidence_trgm")
    for name in _INDEXES:
        op.drop_index(name, table_name="events")
    for table in ("review_audit", "event_overrides", "web_sessions", "api_tokens", "users"):
        op.drop_table(table)
