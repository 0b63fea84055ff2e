"""Free text over evidence (the API's ``q``): which events have a mention containing some text.

The match is a case-insensitive substring of ``mentions.evidence_text`` (SQL ``lower() LIKE``
with escaping on SQLite, ``ILIKE`` on PostgreSQL), so quotes, ``%``, ``_`` and FTS operators in
the text are ordinary characters. Two plans give the same rows:

* rare text: the text index (SQLite FTS5 trigram table ``mentions_fts``, PostgreSQL pg_trgm)
  finds at most :data:`RARE_TEXT` candidate mentions, the LIKE re-checks them, and the exact
  set of event ids is passed to the list, count and aggregate queries;
* common text: events are walked in the requested order and each one's evidence is tested, so
  a page fills after a few hundred rows instead of materialising every match.

On SQLite the index also holds each mention's event facets (country, admin1, event type,
sub-event type, actors: migration ``0006_text_facets``, kept by triggers). When the filter
sets some of them, the plan is chosen among the events they allow:

* a sample of the newest :data:`SAMPLE` mentions the facets allow is tested first; when more
  than one in :data:`DENSE` contain the text, a walk fills a page after a few hundred events,
  and the text alone decides as above (rare overall: the index; else the walk);
* otherwise the probe ANDs the text with the facets in FTS5, so "rare" means rare among the
  events the filter allows: a common word with a country it never occurs in
  (``q=Gao&country=Iraq``) has no candidates at all instead of a walk over every event of
  that country (166,000 at 1M events: ~590 ms -> a few ms).

The facets only narrow the candidates; the filter itself is applied as before, so other
filters (dates, bbox, fatalities, location, source) and fields left out of the probe still
hold, and the rows are the same in every plan (tests force each one).

:func:`probe_text` runs the probe once per request; the result is handed to every query of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.store.schema import events, mentions

__all__ = [
    "DENSE", "FACET_FIELDS", "RARE_TEXT", "SAMPLE", "TextHits", "event_id_in", "json_values", "probe_text",
    "text_condition",
]

#: A text with at most this many candidate mentions is answered from the index. Measured at 1M
#: events: 3,800 hits cost ~60-90 ms through the index and 120 ms walking (680 ms with a country
#: the text never occurs in); above ~10,000 hits a walk fills a page sooner than the index.
RARE_TEXT = 10_000

#: A common text found in more than one in DENSE of a sample of the mentions the filter's
#: facets allow is walked. At 1M events 'tear gas' with Mali (7,600 of 83,000 mentions) fills a
#: page after ~560 events (~8 ms); the index-side intersection alone takes 15 ms there.
DENSE = 50
#: The sample: the newest (highest rowid) SAMPLE mentions the facets allow (~1-2 ms).
SAMPLE = 1_000

#: Filter fields carried into the SQLite text index -> facet field number (migration 0006;
#: actor1 and actor2 share field 4, so an actor filter matches either).
FACET_FIELDS = {"country": 0, "admin1": 1, "event_type": 2, "sub_event_type": 3, "actor": 4}
#: A field bound to more stored values than this is left out of the probe (it still filters).
_MAX_FACET_VALUES = 64

_FTS = sa.table("mentions_fts", sa.column("rowid", sa.Integer))


@dataclass(frozen=True, slots=True)
class TextHits:
    """A bound free-text filter: the matching event ids when the text is rare, else None."""

    text: str
    event_ids: tuple[str, ...] | None


def _fts_usable(text: str) -> bool:
    """The trigram index finds substrings of three or more characters (shorter: scan)."""
    return len(text) >= 3


#: trigrams an FTS5 probe ANDs at most: each costs a doclist merge, and a few spread over the
#: text already single out its mentions (the LIKE re-check makes the answer exact)
MAX_GRAMS = 4


def _fts_query(text: str) -> str:
    """An FTS5 query every mention containing ``text`` matches: up to :data:`MAX_GRAMS` of its
    trigrams, evenly spread from its first to its last, each a quoted string, joined with AND.
    Trigrams with whitespace (" in", "n K") are skipped while others exist: they occur in
    most mentions, so their long doclists cost the most and filter the least. Quotes, operators
    (AND, NEAR, *, ^, :) and LIKE wildcards in ``text`` are plain characters. A superset of the
    phrase query (the LIKE re-check makes it exact) that skips its position checks: at 1M
    events 'ceasefire in Kano' (3,800 hits) takes 10 ms where all six trigrams at every third
    position took 21 ms and the phrase query 30 ms."""
    every = list(dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2)))
    grams = [g for g in every if not any(ch.isspace() for ch in g)] or every
    if len(grams) > MAX_GRAMS:
        last = len(grams) - 1
        grams = [grams[round(j * last / (MAX_GRAMS - 1))] for j in range(MAX_GRAMS)]
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _fts_hits(query: str) -> sa.Select[tuple[int]]:
    """Rowids of mentions matching the FTS5 ``query``."""
    return sa.select(_FTS.c.rowid).where(sa.literal_column("mentions_fts").op("MATCH")(query))


def _facet_query(conn: Connection, names: Mapping[str, tuple[str, ...]]) -> str | None:
    """The FTS5 query of the filter's facets: per carried field, its values' tokens ORed; the
    fields ANDed (None: no field carried). A field is carried only when every one of its stored
    values has a token, so the probe never drops a mention the filter keeps. The token formula is
    migration 0006's (restated, not imported: a migration's SQL never changes once released)."""
    parts = []
    for name, field in FACET_FIELDS.items():
        values = names.get(name)
        if not values or len(values) > _MAX_FACET_VALUES:
            continue
        rows = conn.execute(sa.text(
            "SELECT char(57344 + field, 57360 + id % 4096, 57360 + id / 4096) FROM text_facets "
            "WHERE field = :field AND value IN (SELECT value FROM json_each(:values))"),
            {"field": field, "values": json.dumps(values)}).scalars().all()
        if len(rows) == len(values):
            parts.append("(" + " OR ".join(f'"{token}"' for token in rows) + ")")
    return " AND ".join(parts) if parts else None


def _probe(conn: Connection, query: str) -> str | None:
    """The rowids matching the FTS5 ``query`` as a JSON array, or None for more than
    ``RARE_TEXT``. They come back as one value: no row-by-row fetch for common words."""
    first = _fts_hits(query).limit(RARE_TEXT + 1).subquery()
    rowids = str(conn.execute(sa.select(sa.func.json_group_array(first.c.rowid))).scalar_one())
    return None if rowids.count(",") >= RARE_TEXT else rowids


def _dense(conn: Connection, text: str, facets: str) -> bool:
    """Whether more than one in :data:`DENSE` of the newest :data:`SAMPLE` mentions the facets
    allow contain ``text`` (a walk then fills a page after a few hundred events)."""
    sample = _fts_hits(facets).order_by(_FTS.c.rowid.desc()).limit(SAMPLE)
    rowid: sa.ColumnElement[int] = sa.literal_column("mentions.rowid")
    hits = sa.func.sum(sa.case((_match(text, "sqlite"), 1), else_=0))
    stmt = sa.select(sa.func.count(), hits).select_from(mentions).where(rowid.in_(sample))
    n, found = conn.execute(stmt).one()
    return bool(n) and int(found or 0) * DENSE > int(n)


def _match(text: str, dialect: str) -> sa.ColumnElement[bool]:
    """Mentions whose evidence contains ``text``, case-insensitively (the exact semantics)."""
    ev = mentions.c.evidence_text
    if dialect == "postgresql":
        esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return ev.ilike(f"%{esc}%", escape="\\")
    return ev.icontains(text, autoescape=True)


def probe_text(
    conn: Connection, text: str | None, names: Mapping[str, tuple[str, ...]] | None = None
) -> TextHits | None:
    """Probe the text index once: the matching event ids if ``text`` is rare (None: no text).

    ``names``: the stored values the filter's other fields bound to (``filters.bind_filter``);
    on SQLite those of :data:`FACET_FIELDS` narrow the probe. The probe reads at most
    ``RARE_TEXT + 1`` rowids from the index alone (cheap for common words too); only for a rare
    text are those mentions read and re-checked.
    """
    if not text:
        return None
    dialect = conn.dialect.name
    m = mentions.c
    if dialect == "sqlite":
        if not _fts_usable(text):
            return TextHits(text, None)
        facets = _facet_query(conn, names or {})
        if facets is not None and not _dense(conn, text, facets):
            # sparse among the events the filter allows: only the candidates among them
            rowids = _probe(conn, f"{_fts_query(text)} AND {facets}")
        else:
            rowids = _probe(conn, _fts_query(text))
        if rowids is None:
            return TextHits(text, None)
        rowid: sa.ColumnElement[int] = sa.literal_column("mentions.rowid")
        ids = sa.func.json_group_array(sa.distinct(m.event_id))  # one value, not a fetch per row
        exact = sa.select(ids).where(rowid.in_(json_values(rowids)), _match(text, dialect))
        return TextHits(text, tuple(sorted(json.loads(conn.execute(exact).scalar_one()))))
    # PostgreSQL: pg_trgm serves ILIKE directly (a sequential scan where the extension is missing)
    probe = sa.select(m.event_id).where(_match(text, dialect)).limit(RARE_TEXT + 1)
    hits = list(conn.execute(probe).scalars())
    if len(hits) > RARE_TEXT:
        return TextHits(text, None)
    return TextHits(text, tuple(sorted(set(hits))))


def json_values(array: str) -> sa.Select[Any]:
    """SQLite: a long list of values as one bound parameter (a JSON array read by json_each)."""
    return sa.select(sa.column("value")).select_from(sa.func.json_each(array))


def text_condition(hits: TextHits, dialect: str) -> sa.ColumnElement[bool]:
    """The WHERE condition on ``events`` for a bound free-text filter."""
    if hits.event_ids is None:
        return sa.exists().where(mentions.c.event_id == events.c.id, _match(hits.text, dialect))
    return event_id_in(hits.event_ids, dialect, "text_event_ids")


def event_id_in(event_ids: Sequence[str], dialect: str, name: str) -> sa.ColumnElement[bool]:
    """``events.id`` is one of ``event_ids``, however many: one bound parameter called ``name``."""
    if not event_ids:
        return sa.false()
    if dialect == "sqlite":
        return events.c.id.in_(json_values(json.dumps(list(event_ids))))
    return events.c.id == sa.any_(sa.bindparam(name, list(event_ids), type_=sa.ARRAY(sa.Text)))
