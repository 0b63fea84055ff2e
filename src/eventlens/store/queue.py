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
_CONFLICT_FIELDS = ("sub_event_type", "fatalities", "location")


@dataclass(frozen=True, slots=True)
class QueueItem:
    event: EventSummary
    reasons: tuple[str, ...]


def _conflicts(conn: Connection, limit: int) -> dict[str, list[str]]:
    m = mentions.c
    distinct = {f: sa.func.count(sa.distinct(m[f])) for f in _CONFLICT_FIELDS}
    # Only events told more than once can disagree: find those through the n_mentions index first.
    multi = (sa.select(events.c.id)
             .where(events.c.n_mentions > 1, events.c.review_status.notin_(REVIEWED))
             .order_by(events.c.n_mentions.desc()).limit(CONFLICT_SCAN))
    stmt = (sa.select(m.event_id, *(v.label(k) for k, v in distinct.items()))
            .where(m.event_id.in_(multi.scalar_subquery()))
            .group_by(m.event_id).having(sa.or_(*(v > 1 for v in distinct.values()))).limit(limit))
    found: dict[str, list[str]] = {}
    for row in conn.execute(stmt):
        found[row.event_id] = [f"mentions disagree on {k}" for k in _CONFLICT_FIELDS if row._mapping[k] > 1]
    return found


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
