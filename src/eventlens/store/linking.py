"""Cross-article event clustering inside the store's write transaction.

Candidates come from indexed blocking queries (date window, type family, country) plus the
events of near-duplicate articles, never from a scan of the whole table. Auto-clustering only
ever *adds* new mentions to events, with one exception: a report that links to two stored events
no gate keeps apart bridges them (:func:`eventlens.dedup.can_bridge`), so that the result does not
depend on the order reports arrive in; the bridged event's mentions move to the event the report
joined, with an audit row (``review_audit``, by ``auto``). Events an analyst reviewed, merged or
split are never bridged, so their decisions stay as they are. Canonical codings of reviewed events
are not recomputed, and ``locked_fields`` of other events keep their values.

Each link records why: the cross-article decision, and for a mention that joined its article's
event, the within-article reason (``Event.joined``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.dedup import (
    Candidate,
    DatedMention,
    can_bridge,
    candidate_from,
    canonical_coding,
    choose_link,
    could_link,
    event_names,
    event_tokens,
    search_window,
)
from eventlens.model import Event, EventCoding
from eventlens.store.audit import add_audit, snapshot_events
from eventlens.store.codec import coding_from_row, coding_row, date_key, mention_from_row, mention_row
from eventlens.store.schema import BACKGROUND, CODING_COLUMNS, articles, event_links, events, mentions

__all__ = ["LinkOutcome", "link_events", "recompute_event", "relink_mentions"]

MAX_CANDIDATES = 200
#: events of the other kind (dated / undated) an event is also matched with, most recently joined first
RECENT_CANDIDATES = 50
AUTO = "auto"


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    new_events: int
    linked_events: int
    event_ids: tuple[str, ...]
    bridged_events: int = 0


# The statements below run for every event written. Built once, with bound parameters, they are
# compiled once per engine instead of rebuilt and re-coerced (each id of an IN list) per event.
_CODING = [events.c.id, events.c.review_status, *(events.c[name] for name in CODING_COLUMNS)]
_IN_WINDOW = events.c.date_key.between(sa.bindparam("date_from"), sa.bindparam("date_to"))
_OF_TYPES = events.c.event_type.in_(sa.bindparam("event_types", expanding=True))
# the date range is repeated inside each branch of the country OR so that SQLite searches the
# (country, date_key) index for both: with it outside, each branch read every event of the
# country (1M-event store: 120-180 ms a query, now 6-7 ms, same rows)
_IN_COUNTRY = sa.or_(
    sa.and_(events.c.country == sa.bindparam("country"), _IN_WINDOW),
    sa.and_(events.c.country.is_(None), _IN_WINDOW),
)
# nearest in date first; among equals (all undated events are equals) the most recently updated,
# i.e. joined by a report (reports of one event arrive close together); the id keeps it total
_NEAREST = (sa.func.abs(events.c.date_key - sa.bindparam("target")), events.c.updated_at.desc(), events.c.id)
_WINDOW_ANY_COUNTRY = (
    sa.select(*_CODING).where(_OF_TYPES, _IN_WINDOW).order_by(*_NEAREST).limit(MAX_CANDIDATES)
)
_WINDOW_IN_COUNTRY = (
    sa.select(*_CODING).where(_OF_TYPES, _IN_COUNTRY).order_by(*_NEAREST).limit(MAX_CANDIDATES)
)
# an undated report may tell any stored incident, and a dated one an incident stored undated: the
# events of the other kind in its type family and country last joined by a report (reports of one
# incident arrive close together). Separate statements, so that each searches its own index range.
def _recent(kind: sa.ColumnElement[bool], in_country: bool) -> sa.Select[Any]:
    where = [_OF_TYPES, kind]
    if in_country:
        where.append(sa.or_(events.c.country == sa.bindparam("country"), events.c.country.is_(None)))
    newest = (events.c.updated_at.desc(), events.c.id)
    return sa.select(*_CODING).where(*where).order_by(*newest).limit(RECENT_CANDIDATES)


#: (the incoming event is dated, it has a country) -> the statement
_RECENT = {
    (dated, in_country): _recent(events.c.date_key == 0 if dated else events.c.date_key > 0, in_country)
    for dated in (True, False)
    for in_country in (True, False)
}
_OF_REPRINTS = (
    sa.select(*_CODING)
    .where(
        events.c.id.in_(
            sa.select(mentions.c.event_id).where(
                mentions.c.article_id.in_(sa.bindparam("articles", expanding=True))
            )
        ),
        events.c.id.not_in(sa.bindparam("seen", expanding=True)),
    )
    .order_by(events.c.id)
)
_OF_EVENTS = mentions.c.event_id.in_(sa.bindparam("ids", expanding=True))
_ARTICLES_OF = sa.select(mentions.c.event_id, mentions.c.article_id).where(_OF_EVENTS)
_TEXTS_OF = sa.select(
    mentions.c.event_id, mentions.c.article_id, mentions.c.evidence_text, mentions.c.location_text
).where(_OF_EVENTS)


def _window_query(ev: Event) -> tuple[sa.Select[Any], dict[str, Any]]:
    """The stored events inside ``ev``'s blocking window, the nearest in date first (then the
    most recently updated), as a statement and its parameters."""
    w = search_window(ev.coding)
    params: dict[str, Any] = {
        "event_types": sorted(w.event_types),
        "date_from": w.date_from,
        "date_to": w.date_to,
        "target": date_key(ev.coding.event_date),
    }
    if w.country is None:
        return _WINDOW_ANY_COUNTRY, params
    return _WINDOW_IN_COUNTRY, dict(params, country=w.country)


def _candidate_rows(conn: Connection, ev: Event, reprint_articles: Collection[str]) -> list[Any]:
    """Stored events ``ev`` may join: the nearest in date inside its blocking window, the events of
    the other kind (dated for an undated event, undated for a dated one) in its type family and
    country most recently joined by a report, and the events of the articles it reprints."""
    rows = list(conn.execute(*_window_query(ev)))
    w = search_window(ev.coding)
    recent = _RECENT[(ev.coding.event_date is not None, w.country is not None)]
    rows.extend(conn.execute(recent, {"event_types": sorted(w.event_types), "country": w.country}))
    if reprint_articles:
        seen = [r.id for r in rows]
        rows.extend(conn.execute(_OF_REPRINTS, {"articles": sorted(reprint_articles), "seen": seen}))
    return rows


def _candidates(conn: Connection, ev: Event, reprint_articles: Set[str]) -> tuple[list[Candidate], set[str]]:
    """The candidates of ``ev`` that could link to it, with their evidence tokens and articles.

    Evidence texts (the costly part: every mention of every candidate) are read only for the
    candidates :func:`could_link` keeps; the others could not pass the threshold anyway. Without
    reprinted articles, no candidate is a reprint, so even their articles are read only then.
    Also returns the ids of the candidates auto-clustering may still bridge (not reviewed).
    """
    rows = _candidate_rows(conn, ev, reprint_articles)
    if not rows:
        return [], set()
    auto = {r.id for r in rows if r.review_status in (AUTO, BACKGROUND)}
    codings = {r.id: coding_from_row(r._mapping) for r in rows}
    tokens, names = event_tokens(ev), event_names(ev)
    arts: dict[str, set[str]] = defaultdict(set)
    if reprint_articles:
        for r in conn.execute(_ARTICLES_OF, {"ids": list(codings)}):
            arts[r.event_id].add(r.article_id)
    viable = [
        i for i, c in codings.items()
        if could_link(ev.coding, tokens, c, bool(arts[i] & reprint_articles), names)
    ]
    if not viable:
        return [], set()
    texts: dict[str, list[str | None]] = defaultdict(list)
    for t in conn.execute(_TEXTS_OF, {"ids": viable}):
        texts[t.event_id] += [t.evidence_text, t.location_text]
        arts[t.event_id].add(t.article_id)
    return [candidate_from(i, codings[i], texts[i], arts[i]) for i in viable], auto


def _insert_event(conn: Connection, event_id: str, coding: EventCoding, now: datetime, status: str) -> None:
    row = coding_row(coding)
    row.update(
        id=event_id,
        date_key=date_key(coding.event_date),
        n_mentions=0,
        n_sources=0,
        created_at=now,
        updated_at=now,
        reviewed=False,
        review_status=status,
        locked_fields=[],
    )
    conn.execute(sa.insert(events), [row])


def _insert_mentions(conn: Connection, ev: Event, event_id: str, links: dict[str, Any]) -> None:
    conn.execute(sa.insert(mentions), [mention_row(m, event_id, ev.id) for m in ev.mentions])
    joined = dict(ev.joined)
    reason = links["reason"]
    rows = [
        dict(links, mention_id=m.id, event_id=event_id,
             reason=f"{reason}; in its article: {joined[m.id]}" if m.id in joined else reason)
        for m in ev.mentions
    ]
    conn.execute(sa.insert(event_links), rows)


def relink_mentions(
    conn: Connection, mention_ids: Sequence[str], event_id: str, who: str, reason: str, now: datetime
) -> None:
    """Move mentions to ``event_id``, recording who decided it and why."""
    conn.execute(sa.update(mentions).where(mentions.c.id.in_(mention_ids)).values(event_id=event_id))
    conn.execute(
        sa.update(event_links)
        .where(event_links.c.mention_id.in_(mention_ids))
        .values(event_id=event_id, score=None, scores={}, reason=reason, decided_by=who, decided_at=now)
    )


def _bridge(
    conn: Connection, into: str, others: Sequence[str], cands: Sequence[Candidate], auto: Set[str],
    ev: Event, now: datetime,
) -> list[str]:
    """Merge into ``into`` the other stored events ``ev`` links to that :func:`can_bridge` allows
    (auto-clustered ones only); returns the ids merged away."""
    if into not in auto:
        return []
    by_id = {c.event_id: c for c in cands}
    merged: list[str] = []
    for other in others:
        if other not in auto or not can_bridge(by_id[into], by_id[other]):
            continue
        if any(can_bridge(by_id[m], by_id[other]) is False for m in merged):
            continue  # every event bridged into one must fit the others too
        ids = [into, other]
        before = snapshot_events(conn, ids)
        moved = list(conn.execute(sa.select(mentions.c.id).where(mentions.c.event_id == other)).scalars())
        why = f"bridged by report {ev.mentions[0].doc_id}: it tells both events"
        relink_mentions(conn, moved, into, AUTO, why, now)
        conn.execute(sa.delete(events).where(events.c.id == other))
        recompute_event(conn, into, now)
        add_audit(conn, now, AUTO, "merge", ids, before, snapshot_events(conn, ids), why)
        merged.append(other)
    return merged


def link_events(
    conn: Connection, evs: Sequence[Event], reprints: dict[str, Set[str]], now: datetime
) -> LinkOutcome:
    """Store ``evs`` (one document's within-article events), each joined to its canonical event.

    ``reprints`` maps an article id to the stored articles it is a near-duplicate of.
    """
    taken: dict[str, set[str]] = defaultdict(set)  # article id -> canonical events it already feeds
    new = linked = bridged = 0
    touched: list[str] = []
    for ev in evs:
        arts = {m.article_id for m in ev.mentions}
        group: set[str] = set().union(*(reprints.get(a, set()) for a in arts))
        cands, auto = _candidates(conn, ev, group)
        used: set[str] = set().union(*(taken[a] for a in arts))
        decision = choose_link(ev, cands, taken=used, near_duplicate_articles=group)
        link: dict[str, Any] = {
            "score": None,
            "scores": {},
            "reason": decision.reason,
            "decided_by": AUTO,
            "decided_at": now,
        }
        if decision.event_id is None:
            event_id = ev.id
            _insert_event(conn, event_id, ev.coding, now, BACKGROUND if ev.background else AUTO)
            new += 1
        else:
            event_id = decision.event_id
            assert decision.scores is not None
            link.update(score=round(decision.scores.total, 4), scores=decision.scores.as_json())
            linked += 1
            if not ev.background:  # a report of its own: the incident is no longer background only
                told = sa.update(events).where(events.c.id == event_id, events.c.review_status == BACKGROUND)
                conn.execute(told.values(review_status=AUTO))
        _insert_mentions(conn, ev, event_id, link)
        recompute_event(conn, event_id, now)
        if decision.event_id is not None and decision.also and not ev.background:
            gone = _bridge(conn, event_id, decision.also, cands, auto, ev, now)
            bridged += len(gone)
            for ids in taken.values():
                if ids & set(gone):
                    ids.difference_update(gone)
                    ids.add(event_id)
            touched = [event_id if t in gone else t for t in touched]
        for a in arts:
            taken[a].add(event_id)
        touched.append(event_id)
    return LinkOutcome(new, linked, tuple(dict.fromkeys(touched)), bridged)


def dated_mentions(conn: Connection, event_id: str) -> list[DatedMention]:
    """The event's mentions with their article's publication date, in arrival order."""
    q = (
        sa.select(mentions, articles.c.published.label("article_published"), articles.c.seq)
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(mentions.c.event_id == event_id)
        .order_by(articles.c.seq, mentions.c.evidence_start, mentions.c.id)
    )
    rows = conn.execute(q).mappings().all()
    return [DatedMention(mention_from_row(r), r["article_published"], i) for i, r in enumerate(rows)]


def recompute_event(conn: Connection, event_id: str, now: datetime) -> bool:
    """Refresh an event's canonical coding and counts from its mentions; delete it if it has none.

    Returns False when the event was deleted.
    """
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().one()
    dms = dated_mentions(conn, event_id)
    if not dms:
        conn.execute(sa.delete(events).where(events.c.id == event_id))
        return False
    values: dict[str, Any] = {
        "n_mentions": len(dms),
        "n_sources": len({dm.mention.doc_id for dm in dms}),
        "updated_at": now,
    }
    if not row["reviewed"]:
        coding = canonical_coding(dms, coding_from_row(row), frozenset(row["locked_fields"] or ()))
        values.update(coding_row(coding), date_key=date_key(coding.event_date))
    # parameters (not .values()) so the compiled UPDATE is cached: this runs once per event written
    conn.execute(
        sa.update(events).where(events.c.id == sa.bindparam("b_event_id")), {**values, "b_event_id": event_id}
    )
    return True
