"""The store's tables (SQLAlchemy Core), one source of truth for queries and migrations.

    documents ─< articles ─< mentions >─ events ─< event_overrides (analyst field edits)
                  │            │
                  │            └── event_links (why a mention belongs to its event, who decided)
                  └── canonical_article_id (near-duplicate reprints point at the first copy)
    review_audit (every analyst action: confirm, edit, merge, split; CLI and API alike)
    rejections (inputs that could not be used)   runs
    feeds ─< feed_items (what `eventlens watch` follows, and every item it found: migration 0009)
    users ─< api_tokens, web_sessions (who may read and review)
    rollup_* (trigger-maintained aggregates of ``events``: migrations 0003-0007)

This is the store's one ``MetaData``: every table eventlens reads or writes is declared here.

Mentions and events share the flattened coding columns of :class:`eventlens.model.EventCoding`
(:func:`coding_columns`), so a filter written for one works on the other. The migration
``0001_initial`` creates exactly these tables; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

__all__ = [
    "BACKGROUND",
    "CODING_COLUMNS",
    "UTCDateTime",
    "api_tokens",
    "articles",
    "coding_columns",
    "documents",
    "event_links",
    "event_overrides",
    "events",
    "feed_items",
    "feeds",
    "mentions",
    "metadata",
    "rejections",
    "review_audit",
    "rollup_actor_day",
    "rollup_actor_month",
    "rollup_date",
    "rollup_day",
    "rollup_fatal_day",
    "rollup_month",
    "runs",
    "users",
    "web_sessions",
]

metadata = sa.MetaData()

#: ``events.review_status`` of an event only told as background to other reports' incidents ("a
#: bombing last month" that matched no stored incident): left out of lists and exports by
#: default, shown in the review queue; a report of its own makes it "auto"
BACKGROUND = "background"


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores it without the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

#: Names of the flattened EventCoding columns (mentions and events both carry them).
CODING_COLUMNS: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "plover_event",
    "actor1",
    "inter1",
    "actor1_surface",
    "assoc_actor_1",
    "actor2",
    "inter2",
    "actor2_surface",
    "assoc_actor_2",
    "fatalities",
    "injuries",
    "modality",
    "confidence",
    "location_text",
    "date_text",
    "event_date",
    "time_precision",
    "location",
    "country",
    "iso3",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "geo_precision",
    "feature",
    "gazetteer_id",
    "geo_reason",
)


def coding_columns() -> list[sa.Column[object]]:
    """Fresh Column objects for the coding fields (a Column belongs to one table)."""
    text, integer, real = sa.Text, sa.Integer, sa.Float
    types: dict[str, Any] = {
        "inter1": integer,
        "inter2": integer,
        "fatalities": integer,
        "injuries": integer,
        "time_precision": integer,
        "geo_precision": integer,
        "confidence": real,
        "latitude": real,
        "longitude": real,
        "event_date": sa.Date,
    }
    cols: list[sa.Column[object]] = []
    for name in CODING_COLUMNS:
        nullable = name not in ("event_type", "sub_event_type", "modality", "confidence")
        cols.append(sa.Column(name, types.get(name, text)(), nullable=nullable))
    return cols


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("external_id", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", UTCDateTime(), nullable=False),
    sa.Index("ix_documents_source", "source"),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(48), primary_key=True),
    sa.Column("doc_id", sa.String(40), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("captions", sa.JSON, nullable=False),
    sa.Column("published", sa.Date),
    sa.Column("published_how", sa.String(16)),
    sa.Column("url", sa.Text),
    sa.Column("canonical_article_id", sa.String(48), sa.ForeignKey("articles.id")),
    sa.Column("dedup_score", sa.Float),
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Index("ix_articles_doc_id", "doc_id"),
    sa.Index("ix_articles_canonical", "canonical_article_id"),
    sa.Index("ix_articles_seq", "seq", unique=True),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    *coding_columns(),
    sa.Column("date_key", sa.Integer, nullable=False),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("reviewed", sa.Boolean, nullable=False),
    sa.Column("review_status", sa.String(16), nullable=False),
    sa.Column("locked_fields", sa.JSON, nullable=False),
    sa.Index("ix_events_date_key_id", "date_key", "id"),
    sa.Index("ix_events_event_date", "event_date"),
    sa.Index("ix_events_country_admin1", "country", "admin1"),
    sa.Index("ix_events_event_type", "event_type", "date_key"),
    sa.Index("ix_events_sub_event_type", "sub_event_type"),
    sa.Index("ix_events_lat_lon", "latitude", "longitude"),
    sa.Index("ix_events_fatalities", "fatalities"),
    sa.Index("ix_events_actor1", "actor1"),
    sa.Index("ix_events_actor2", "actor2"),
    sa.Index("ix_events_inter", "inter1", "inter2"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id"), nullable=False),
    sa.Column("local_event_id", sa.String(40), nullable=False),
    sa.Column("doc_id", sa.String(40), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("article_id", sa.String(48), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sentence_index", sa.Integer, nullable=False),
    sa.Column("evidence_text", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    *[
        sa.Column(f"{k}_{p}", sa.Integer if p != "text" else sa.Text)
        for k in ("trigger", "location_span", "date_span")
        for p in ("text", "start", "end")
    ],
    *coding_columns(),
    sa.Index("ix_mentions_event_id", "event_id"),
    sa.Index("ix_mentions_doc_id", "doc_id"),
    sa.Index("ix_mentions_article_id", "article_id"),
)

event_links = sa.Table(
    "event_links",
    metadata,
    sa.Column(
        "mention_id", sa.String(64), sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id"), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("decided_at", UTCDateTime(), nullable=False),
    sa.Index("ix_event_links_event_id", "event_id"),
)

rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime(), nullable=False),
    sa.Column("last_seen", UTCDateTime(), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started", UTCDateTime(), nullable=False),
    sa.Column("finished", UTCDateTime()),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("documents", sa.Integer, nullable=False, server_default="0"),
    sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("articles", sa.Integer, nullable=False, server_default="0"),
    sa.Column("mentions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("events", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rejections", sa.Integer, nullable=False, server_default="0"),
)

# -- what `eventlens watch` follows (migration 0009_feeds) ----------------------------------------

#: An RSS/Atom feed (``kind`` "feed", ``url`` its address) or a watched folder ("folder", its
#: absolute path). Removing one keeps it (``active`` false) so its items are never fetched again.
feeds = sa.Table(
    "feeds", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("added_at", UTCDateTime(), nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_polled", UTCDateTime()),
    sa.Column("last_success", UTCDateTime()),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", UTCDateTime()),
)

#: One item a feed listed (``key`` its normalised URL) or one version of a dropped file (``key``
#: path, size and mtime). ``status``: new -> fetched (``body`` held until coded) -> stored; or
#: duplicate (its content is stored already), failed (could not be fetched), rejected (quarantined).
feed_items = sa.Table(
    "feed_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id"), nullable=False),
    sa.Column("key", sa.Text, nullable=False, unique=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("guid", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", UTCDateTime()),
    sa.Column("published_day", sa.Date),
    sa.Column("found_at", UTCDateTime(), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("doc_id", sa.String(40)),
    sa.Column("body", sa.Text),
    sa.Index("ix_feed_items_status", "status", "id"),
    sa.Index("ix_feed_items_feed_guid", "feed_id", "guid"),
    sa.Index("ix_feed_items_doc_id", "doc_id"),
)

# -- users, API tokens, dashboard sessions (migration 0002_auth_review) --------------------------

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

web_sessions = sa.Table(
    "web_sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

# -- analyst edits and the audit trail (migration 0002_auth_review) -------------------------------

event_overrides = sa.Table(
    "event_overrides",
    metadata,
    sa.Column("event_id", sa.String(40), primary_key=True),
    sa.Column("field", sa.String(32), primary_key=True),
    sa.Column("value", sa.JSON),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

#: One row per analyst action, from the CLI or the API: ``event_id`` is the event acted on (a
#: merge's survivor, a split's source), ``event_ids`` every event touched (a merge's events, a
#: split's source and new event). Migration 0008 folded the old ``merge_audit`` into it.
review_audit = sa.Table(
    "review_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("event_id", sa.String(40), nullable=False),
    sa.Column("event_ids", sa.JSON, nullable=False),
    sa.Column("before", sa.JSON, nullable=False),
    sa.Column("after", sa.JSON, nullable=False),
    sa.Column("note", sa.Text),
    sa.Index("ix_review_audit_event_id", "event_id"),
    sa.Index("ix_review_audit_at", "at"),
)

# -- rollups: GROUP BYs over events kept by triggers (migrations 0003-0007; read by store.rollup) --


def _keys(*names: str) -> list[sa.Column[object]]:
    ints = ("date_key", "month_key", "geo_precision")
    return [sa.Column(n, sa.Integer() if n in ints else sa.Text()) for n in names]


def _measures(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(n, sa.BigInteger()) for n in names]


rollup_date = sa.Table("rollup_date", metadata, *_keys("date_key"), *_measures("n", "fatalities"))

rollup_day = sa.Table(
    "rollup_day", metadata,
    *_keys("date_key", "country", "admin1", "event_type"),
    *_measures("n", "fatalities"),
)

rollup_month = sa.Table(
    "rollup_month", metadata,
    *_keys("month_key", "country", "admin1", "event_type", "sub_event_type", "geo_precision"),
    *_measures("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
)

rollup_actor_month = sa.Table(
    "rollup_actor_month", metadata,
    *_keys("month_key", "actor1", "actor2", "country", "admin1", "event_type"),
    *_measures("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
)

rollup_actor_day = sa.Table(
    "rollup_actor_day", metadata, *_keys("date_key", "actor1", "actor2", "country"),
    *_measures("n", "fatalities"),
)

#: events per (day, death toll): the fatality total of a row is n * fatalities (migration 0007)
rollup_fatal_day = sa.Table(
    "rollup_fatal_day", metadata,
    sa.Column("date_key", sa.Integer()), sa.Column("fatalities", sa.Integer()),
    sa.Column("n", sa.BigInteger()),
)
