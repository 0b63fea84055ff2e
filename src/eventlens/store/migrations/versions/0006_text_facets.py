"""Filter facets in the SQLite text index; index orders for the review queue and actor timelines.

Free text with another filter (``q=Gao&country=Iraq``): when the text is common the events
of the other filter were walked one by one, 166,000 of them when the two never meet. The
FTS5 table ``mentions_fts`` is rebuilt with six facet columns beside ``evidence_text``: the
country, admin1, event type, sub-event type, actor1 and actor2 of the mention's event, each
as one trigram token of three private-use characters that no text contains, so FTS5
intersects "this text" with "these countries" in its doclists (``store.text``).

``text_facets`` (id, field, value) numbers each distinct value of a facet field; the token is
``char(0xE000 + field, 0xE010 + id % 4096, 0xE010 + id / 4096)`` (fields: 0 country, 1 admin1,
2 event type, 3 sub-event type, 4 actor). Values are never removed, so the token of a
value an event held earlier can still be computed to delete its index entries.
``mentions_fts_source`` is the external content: mentions joined with their event's tokens.
Triggers keep the index equal to that view: on mentions (insert, delete, new evidence or
event id) and on events (insert, delete, a change of a facet column — review edits, merges,
re-coding). After a VACUUM run ``INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')``.
The PostgreSQL text path (pg_trgm) is unchanged.

Both dialects: ``ix_events_review`` (review_status, confidence) becomes
``ix_events_review_order`` (review_status, confidence, id), the review queue's exact order, so
the queue reads 50 index entries instead of sorting every event tied at the lowest confidence
(16,000 at 1M events); the actor indexes of ``rollup_actor_day`` carry ``n`` and
``fatalities`` (and actor1 on the actor2 index), so actor timelines by day and week read
them alone.

Revision ID: 0006_text_facets
Revises: 0005_rollup_actor
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_text_facets"
down_revision: str | None = "0005_rollup_actor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: FTS column -> (facet field number, events column)
FACETS = {
    "f_country": (0, "country"),
    "f_admin1": (1, "admin1"),
    "f_event_type": (2, "event_type"),
    "f_sub_event_type": (3, "sub_event_type"),
    "f_actor1": (4, "actor1"),
    "f_actor2": (4, "actor2"),
}
_COLS = ", ".join(["evidence_text", *FACETS])


def _token(field: int, value: str) -> str:
    """SQL: the facet token of ``value`` (NULL when the value is NULL or not numbered)."""
    return (f"(SELECT char(57344 + t.field, 57360 + t.id % 4096, 57360 + t.id / 4096) FROM text_facets t "
            f"WHERE t.field = {field} AND t.value = {value})")


def _tokens(e: str | None) -> str:
    """SQL: the six facet tokens of event row ``e`` (all NULL for None)."""
    if e is None:
        return ", ".join("NULL" for _ in FACETS)
    return ", ".join(_token(field, f"{e}.{column}") for field, column in FACETS.values())


def _number(r: str) -> str:
    """SQL: number the facet values of event row ``r`` that have no number yet."""
    values = " UNION ALL ".join(f"SELECT {field} AS field, {r}.{column} AS value"
                                for field, column in FACETS.values())
    return (f"INSERT OR IGNORE INTO text_facets (field, value) SELECT field, value FROM ({values}) "
            "WHERE value IS NOT NULL;")


def _insert(delete: bool) -> str:
    """SQL: the start of an INSERT that adds (or, FTS5's 'delete' command, removes) index entries."""
    if delete:
        return f"INSERT INTO mentions_fts (mentions_fts, rowid, {_COLS}) SELECT 'delete', "
    return f"INSERT INTO mentions_fts (rowid, {_COLS}) SELECT "


def _index_mentions(event_id: str, e: str | None, delete: bool) -> str:
    """SQL: add (or delete) the index entries of the mentions of ``event_id``, with the facets of
    event row ``e``."""
    return (f"{_insert(delete)}m.rowid, m.evidence_text, {_tokens(e)} FROM mentions m "
            f"WHERE m.event_id = {event_id};")


def _index_mention(m: str, delete: bool) -> str:
    """SQL: add (or delete) the index entry of mention row ``m``, with its event's facets."""
    return (f"{_insert(delete)}{m}.rowid, {m}.evidence_text, {_tokens('e')} "
            f"FROM (SELECT {m}.event_id AS id) AS k LEFT JOIN events e ON e.id = k.id;")


_WATCHED = list(dict.fromkeys(column for _, column in FACETS.values()))
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
_SQLITE_UP = (
    "DROP TRIGGER IF EXISTS mentions_fts_ai",
    "DROP TRIGGER IF EXISTS mentions_fts_ad",
    "DROP TRIGGER IF EXISTS mentions_fts_au",
    "DROP TABLE IF EXISTS mentions_fts",
    "CREATE TABLE text_facets (id INTEGER PRIMARY KEY, field INTEGER NOT NULL, value TEXT NOT NULL)",
    "CREATE UNIQUE INDEX ux_text_facets ON text_facets (field, value)",
    *(f"INSERT OR IGNORE INTO text_facets (field, value) SELECT DISTINCT {field}, {column} FROM events "
      f"WHERE {column} IS NOT NULL ORDER BY {column}" for field, column in FACETS.values()),
    "CREATE VIEW mentions_fts_source AS SELECT m.rowid AS mention_rowid, m.evidence_text AS evidence_text, "
    + ", ".join(_token(field, "e." + column) + " AS " + name for name, (field, column) in FACETS.items())
    + " FROM mentions m LEFT JOIN events e ON e.id = m.event_id",
    f"CREATE VIRTUAL TABLE mentions_fts USING fts5({_COLS}, content='mentions_fts_source', "
    "content_rowid='mention_rowid', tokenize='trigram')",
    "INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')",
    f"CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN {_index_mention('new', False)} END",
    f"CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN {_index_mention('old', True)} END",
    "CREATE TRIGGER mentions_fts_au AFTER UPDATE OF evidence_text, event_id ON mentions "
    f"BEGIN {_index_mention('old', True)} {_index_mention('new', False)} END",
    f"CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN {_number('new')} "
    f"{_index_mentions('new.id', None, True)} {_index_mentions('new.id', 'new', False)} END",
    f"CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN "
    f"{_index_mentions('old.id', 'old', True)} {_index_mentions('old.id', None, False)} END",
    f"CREATE TRIGGER events_fts_au AFTER UPDATE OF {', '.join(_WATCHED)} ON events WHEN {_CHANGED} "
    f"BEGIN {_number('new')} {_index_mentions('old.id', 'old', True)} "
    f"{_index_mentions('new.id', 'new', False)} END",
)

# revision 0002's text index, restored by the downgrade
_FTS2_DELETE = ("INSERT INTO mentions_fts(mentions_fts, rowid, evidence_text) "
                "VALUES ('delete', old.rowid, old.evidence_text);")
_FTS2_INSERT = "INSERT INTO mentions_fts(rowid, evidence_text) VALUES (new.rowid, new.evidence_text);"
_SQLITE_DOWN = (
    *(f"DROP TRIGGER IF EXISTS {t}" for t in ("mentions_fts_ai", "mentions_fts_ad", "mentions_fts_au",
                                               "events_fts_ai", "events_fts_ad", "events_fts_au")),
    "DROP TABLE IF EXISTS mentions_fts",
    "DROP VIEW IF EXISTS mentions_fts_source",
    "DROP TABLE IF EXISTS text_facets",
    "CREATE VIRTUAL TABLE mentions_fts USING fts5(evidence_text, content='mentions', "
    "content_rowid='rowid', tokenize='trigram')",
    f"CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN {_FTS2_INSERT} END",
    f"CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN {_FTS2_DELETE} END",
    f"CREATE TRIGGER mentions_fts_au AFTER UPDATE OF evidence_text ON mentions "
    f"BEGIN {_FTS2_DELETE} {_FTS2_INSERT} END",
    "INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')",
)

_INDEXES_UP = (
    "CREATE INDEX ix_events_review_order ON events (review_status, confidence, id)",
    "DROP INDEX ix_events_review",
    "CREATE INDEX ix_rollup_actor_day_actor1_sums ON rollup_actor_day (actor1, date_key, n, fatalities)",
    "CREATE INDEX ix_rollup_actor_day_actor2_sums ON rollup_actor_day "
    "(actor2, date_key, actor1, n, fatalities)",
    "DROP INDEX ix_rollup_actor_day_actor1",
    "DROP INDEX ix_rollup_actor_day_actor2",
)
_INDEXES_DOWN = (
    "CREATE INDEX ix_events_review ON events (review_status, confidence)",
    "DROP INDEX ix_events_review_order",
    "CREATE INDEX ix_rollup_actor_day_actor1 ON rollup_actor_day (actor1, date_key)",
    "CREATE INDEX ix_rollup_actor_day_actor2 ON rollup_actor_day (actor2, date_key)",
    "DROP INDEX ix_rollup_actor_day_actor1_sums",
    "DROP INDEX ix_rollup_actor_day_actor2_sums",
)


def upgrade() -> None:
    for statement in _INDEXES_UP:
        op.execute(statement)
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
    for statement in _INDEXES_DOWN:
        op.execute(statement)
