"""Free text over evidence (the API's ``q``): which events have a mention containing some text.

The match is a case-insensitive substring of ``mentions.evidence_text`` (SQL ``lower() LIKE``
with escaping on SQLite, ``ILIKE`` on PostgreSQL), so quotes, ``%``, ``_`` and FTS operators in
the text are ordinary characters. Two plans give the same rows:

* rare text (at most :data:`RARE_TEXT` candidate mentions): the text index (SQLite FTS5 trigram
  table ``mentions_fts``, PostgreSQL pg_trgm) finds the candidates, the LIKE re-checks them, and
  the exact set of event ids is passed to the list, count and aggregate queries;
* common text: events are walked in the requested order and each one's evidence is tested, so
  a page fills after a few hundred rows instead of materialising every match.

:func:`resolve_text` runs the probe once per request; the result is handed to every query of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.store.schema import events, mentions

__all__ = ["RARE_TEXT", "TextHits", "resolve_text", "text_condition"]

#: A text with at most this many candidate mentions is answered from the index. Measured at 1M
#: events: 3,800 hits cost ~60-90 ms through the index and 120 ms walking (680 ms with a country
#: the text never occurs in); above ~10,000 hits a walk fills a page sooner than the index.
RARE_TEXT = 10_000

_FTS = sa.table("mentions_fts", sa.column("rowid", sa.Integer))


@dataclass(frozen=True, slots=True)
class TextHits:
    """A resolved free-text filter: the matching event ids when the text is rare, else None."""

    text: str
    event_ids: tuple[str, ...] | None


def _fts_usable(text: str) -> bool:
    """The trigram index finds substrings of three or more characters (shorter: scan)."""
    return len(text) >= 3


def _fts_query(text: str) -> str:
    """An FTS5 query every mention containing ``text`` matches: its trigrams at every third
    position (and the last one), each a quoted string, joined with AND. Quotes, operators
    (AND, NEAR, *, ^, :) and LIKE wildcards in ``text`` are plain characters. A superset of the
    phrase query (the LIKE re-check makes it exact) that skips its position checks: at 1M
    events 12 ms instead of 37 ms for a 17-character phrase with 3,800 hits."""
    starts = list(range(0, len(text) - 2, 3))
    if starts[-1] != len(text) - 3:
        starts.append(len(text) - 3)
    grams = dict.fromkeys(text[i:i + 3] for i in starts)
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _fts_hits(text: str) -> sa.Select[tuple[int]]:
    """Rowids of mentions whose evidence may contain ``text`` (``_fts_query``). The trigram index
    folds case like (and beyond) SQL lower(), so it never misses a LIKE match."""
    return sa.select(_FTS.c.rowid).where(sa.literal_column("mentions_fts").op("MATCH")(_fts_query(text)))


def _match(text: str, dialect: str) -> sa.ColumnElement[bool]:
    """Mentions whose evidence contains ``text``, case-insensitively (the exact semantics)."""
    ev = mentions.c.evidence_text
    if dialect == "postgresql":
        esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return ev.ilike(f"%{esc}%", escape="\\")
    return ev.icontains(text, autoescape=True)


def resolve_text(conn: Connection, text: str | None) -> TextHits | None:
    """Probe the text index once: the matching event ids if ``text`` is rare (None: no text).

    On SQLite the probe reads at most ``RARE_TEXT + 1`` rowids from the index alone (cheap for
    common words too); only for a rare text are those mentions read and re-checked.
    """
    if not text:
        return None
    dialect = conn.dialect.name
    m = mentions.c
    if dialect == "sqlite":
        if not _fts_usable(text):
            return TextHits(text, None)
        # the candidate rowids come back as one JSON array: no row-by-row fetch for common words
        first = _fts_hits(text).limit(RARE_TEXT + 1).subquery()
        rowids = str(conn.execute(sa.select(sa.func.json_group_array(first.c.rowid))).scalar_one())
        if rowids.count(",") >= RARE_TEXT:
            return TextHits(text, None)
        rowid: sa.ColumnElement[int] = sa.literal_column("mentions.rowid")
        exact = sa.select(m.event_id).where(rowid.in_(_json_each(rowids)), _match(text, dialect))
        return TextHits(text, tuple(sorted(set(conn.execute(exact).scalars()))))
    # PostgreSQL: pg_trgm serves ILIKE directly (a sequential scan where the extension is missing)
    probe = sa.select(m.event_id).where(_match(text, dialect)).limit(RARE_TEXT + 1)
    found = list(conn.execute(probe).scalars())
    if len(found) > RARE_TEXT:
        return TextHits(text, None)
    return TextHits(text, tuple(sorted(set(found))))


def _json_each(array: str) -> sa.Select[Any]:
    """SQLite: a long list of values as one bound parameter (a JSON array read by json_each)."""
    return sa.select(sa.column("value")).select_from(sa.func.json_each(array))


def text_condition(hits: TextHits, dialect: str) -> sa.ColumnElement[bool]:
    """The WHERE condition on ``events`` for a resolved free-text filter."""
    if hits.event_ids is None:
        return sa.exists().where(mentions.c.event_id == events.c.id, _match(hits.text, dialect))
    if dialect == "sqlite":
        return events.c.id.in_(_json_each(json.dumps(hits.event_ids)))
    ids = sa.bindparam("text_event_ids", list(hits.event_ids), type_=sa.ARRAY(sa.Text))
    return events.c.id == sa.any_(ids)
