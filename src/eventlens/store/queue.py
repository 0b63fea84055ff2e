"""The analyst's review queue: conflicting events first, then unreviewed low-confidence ones
(events told only as background among them)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.store.queries import EventSummary, summaries_of
from eventlens.store.schema import BACKGROUND, events, mentions

__all__ = ["REVIEWED", "QueueItem", "review_queue"]

REVIEWED = ("confirmed", "edited")
#: At most this many multi-mention events are checked for conflicts per queue request.
CONFLICT_SCAN = 20_000
#: ... read this many at a time, most told first, until the queue is full
CONFLICT_CHUNK = 200
_CONFLICT_FIELDS = ("sub_event_type", "fatalities", "location")


@dataclass(frozen=True, slots=True)
class QueueItem:
    event: EventSummary
    reasons: tuple[str, ...]


def _disagreements(conn: Connection, event_ids: list[str]) -> dict[str, list[str]]:
    """event id -> the fields its mentions disagree on (events whose mentions agree left out)."""
    m = mentions.c
    distinct = {f: sa.func.count(sa.distinct(m[f])) for f in _CONFLICT_FIELDS}
    stmt = (sa.select(m.event_id, *(v.label(k) for k, v in distinct.items()))
            .where(m.event_id.in_(event_ids))
            .group_by(m.event_id).having(sa.or_(*(v > 1 for v in distinct.values()))))
    return {row.event_id: [f"mentions disagree on {k}" for k in _CONFLICT_FIELDS if row._mapping[k] > 1]
            for row in conn.execute(stmt)}


def _conflicts(conn: Connection, limit: int) -> dict[str, list[str]]:
    """Up to ``limit`` unreviewed events whose mentions disagree, the most told first (then by
    id, descending). Only events told more than once can disagree: they are read in that order
    from ``ix_events_told`` (n_mentions, id, review_status; migration 0010) a chunk at a time,
    and the reading stops once ``limit`` are found (at most ``CONFLICT_SCAN`` events). Before,
    all ``CONFLICT_SCAN`` were read and looked up in the table first: ~1 s at 150,000 events,
    30,000 of them told twice, on a loaded machine."""
    e = events.c
    told = (sa.select(e.id).where(e.n_mentions > 1, e.review_status.notin_(REVIEWED))
            .order_by(e.n_mentions.desc(), e.id.desc()).limit(CONFLICT_SCAN))
    found: dict[str, list[str]] = {}
    rows = conn.execution_options(yield_per=CONFLICT_CHUNK).execute(told)
    for chunk in rows.partitions():
        ids = [row.id for row in chunk]
        disagree = _disagreements(conn, ids)
        found.update((i, disagree[i]) for i in ids if i in disagree)
        if len(found) >= limit:
            break
    rows.close()
    return dict(list(found.items())[:limit])


def review_queue(conn: Connection, limit: int = 50, low_confidence: float = 0.6) -> list[QueueItem]:
    """Conflicting events first, then unreviewed events by rising confidence (below the threshold)."""
    conflicts = _conflicts(conn, limit)
    # read in the order of ix_events_review_order (status, confidence, id; migration 0006): 50
    # index entries, no sort of the thousands of events tied at the lowest confidence
    low = [
        eid
        for status in ("auto", BACKGROUND)
        for eid in conn.execute(sa.select(events.c.id).where(events.c.review_status == status,
                                                             events.c.confidence < low_confidence)
                                .order_by(events.c.confidence, events.c.id).limit(limit)).scalars()
    ]
    ordered = list(dict.fromkeys([*conflicts, *low]))[:limit]
    summaries = {s.id: s for s in summaries_of(conn, ordered)}
    items = []
    for eid in ordered:
        s = summaries.get(eid)
        if s is None or s.review_status in REVIEWED:
            continue
        reasons = list(conflicts.get(eid, []))
        if s.review_status == BACKGROUND:
            reasons.append("told only as background to other reports (no stored incident matched)")
        if s.confidence < low_confidence:
            reasons.append(f"low confidence ({s.confidence:.2f})")
        items.append(QueueItem(event=s, reasons=tuple(reasons)))
    return items
