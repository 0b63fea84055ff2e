"""The analyst's review queue and actions: confirm, edit fields, merge, split — all audited.

Field edits are kept twice on purpose. ``event_overrides`` holds the analyst's value and is
applied on every read (so it wins whatever the pipeline writes later); the same value is also
written into the ``events`` row and its name added to ``locked_fields``, which the store's
write path leaves alone, so filters and counts see the edited value too. Merge and split call
the store's own functions; every action adds a ``review_audit`` row (who, when, before, after).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ReviewError
from eventlens.model import ACLED_TYPES, event_type_of
from eventlens.store.codec import date_key
from eventlens.store.queries import (
    OVERRIDABLE,
    EventSummary,
    event_overrides,
    overrides_for,
    review_audit,
    summaries_of,
)
from eventlens.store.review import merge_events, split_event
from eventlens.store.schema import events, mentions

__all__ = ["AuditEntry", "QueueItem", "audit_log", "confirm", "edit", "merge", "review_queue", "split"]

REVIEWED = ("confirmed", "edited")
#: At most this many multi-mention events are checked for conflicts per queue request.
CONFLICT_SCAN = 20_000
_CONFLICT_FIELDS = ("sub_event_type", "fatalities", "location")


@dataclass(frozen=True, slots=True)
class QueueItem:
    event: EventSummary
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    event_id: str
    before: Any
    after: Any
    note: str | None


def _now() -> datetime:
    return datetime.now(UTC)


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
    low = conn.execute(sa.select(events.c.id).where(events.c.review_status == "auto",
                                                    events.c.confidence < low_confidence)
                       .order_by(events.c.confidence, events.c.id).limit(limit)).scalars().all()
    ordered = list(dict.fromkeys([*conflicts, *low]))[:limit]
    summaries = {s.id: s for s in summaries_of(conn, ordered)}
    items = []
    for eid in ordered:
        s = summaries.get(eid)
        if s is None or s.review_status in REVIEWED:
            continue
        reasons = list(conflicts.get(eid, []))
        if s.confidence < low_confidence:
            reasons.append(f"low confidence ({s.confidence:.2f})")
        items.append(QueueItem(event=s, reasons=tuple(reasons)))
    return items


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _audit(conn: Connection, who: str, action: str, event_id: str, before: Any, after: Any,
           note: str | None) -> None:
    conn.execute(review_audit.insert().values(at=_now(), who=who, action=action, event_id=event_id,
                                              before=before, after=after, note=note))


def _event_row(conn: Connection, event_id: str) -> Mapping[str, Any]:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        raise ReviewError(f"no event {event_id}")
    return dict(row)


def _set_override(conn: Connection, event_id: str, name: str, value: Any, who: str) -> None:
    eo = event_overrides.c
    conn.execute(event_overrides.delete().where(eo.event_id == event_id, eo.field == name))
    conn.execute(event_overrides.insert().values(event_id=event_id, field=name, value=_jsonable(value),
                                                 who=who, at=_now()))


def confirm(conn: Connection, event_id: str, who: str, note: str | None = None) -> None:
    """Mark an event as checked by an analyst (kept as-is by later runs)."""
    row = _event_row(conn, event_id)
    _set_override(conn, event_id, "review_status", "confirmed", who)
    stmt = events.update().where(events.c.id == event_id)
    conn.execute(stmt.values(review_status="confirmed", reviewed=True))
    _audit(conn, who, "confirm", event_id, {"review_status": row["review_status"]},
           {"review_status": "confirmed"}, note)


def _coerce(name: str, raw: Any) -> Any:
    kind = OVERRIDABLE.get(name)
    if kind is None:
        raise ReviewError(f"field {name!r} cannot be edited; editable: {', '.join(sorted(OVERRIDABLE))}")
    if raw is None or raw == "":
        return None
    try:
        if kind is date:
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ReviewError(f"field {name!r}: {raw!r} is not a valid {kind.__name__}") from exc


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    sub = values.get("sub_event_type")
    if sub is not None:
        try:
            expected = event_type_of(sub)
        except KeyError as exc:
            raise ReviewError(f"unknown sub_event_type {sub!r}") from exc
        if values.setdefault("event_type", expected) != expected:
            raise ReviewError(f"sub_event_type {sub!r} belongs to event_type {expected!r}")
    elif values.get("event_type") is not None and values["event_type"] not in ACLED_TYPES:
        raise ReviewError(f"unknown event_type {values['event_type']!r}")
    for name in ("inter1", "inter2"):
        if values.get(name) is not None and not 1 <= values[name] <= 8:
            raise ReviewError(f"{name} must be an ACLED inter code 1-8")
    return values


def edit(conn: Connection, event_id: str, changes: Mapping[str, Any], who: str,
         note: str | None = None) -> dict[str, Any]:
    """Override fields of an event; returns the new values. Overrides survive re-processing."""
    if not changes:
        raise ReviewError("nothing to change")
    values = _validate({k: _coerce(k, v) for k, v in changes.items()})
    row = _event_row(conn, event_id)
    current = overrides_for(conn, [event_id]).get(event_id, {})
    before = {k: _jsonable(current.get(k, row[k])) for k in values}
    for name, value in values.items():
        _set_override(conn, event_id, name, value, who)
    _set_override(conn, event_id, "review_status", "edited", who)
    locked = sorted({*(row["locked_fields"] or ()), *values})
    update: dict[str, Any] = {**values, "locked_fields": locked, "review_status": "edited"}
    if "event_date" in values:
        update["date_key"] = date_key(values["event_date"])
    conn.execute(events.update().where(events.c.id == event_id).values(**update))
    after = {k: _jsonable(v) for k, v in values.items()}
    _audit(conn, who, "edit", event_id, before, after, note)
    return after


def merge(conn: Connection, event_ids: Sequence[str], who: str, note: str | None = None) -> str:
    """Merge events into the first (the store's merge); returns the surviving id."""
    kept = merge_events(conn, event_ids, who, note, _now())
    _audit(conn, who, "merge", kept, {"event_ids": list(event_ids)}, {"event_id": kept}, note)
    return kept


def split(conn: Connection, event_id: str, mention_ids: Sequence[str], who: str,
          note: str | None = None) -> str:
    """Move mentions off an event into a new one (the store's split); returns the new id."""
    new_id = split_event(conn, event_id, mention_ids, who, note, _now())
    _audit(conn, who, "split", event_id, {"event_id": event_id, "mention_ids": list(mention_ids)},
           {"event_ids": [event_id, new_id]}, note)
    return new_id


def audit_log(conn: Connection, event_id: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """Newest review actions first (for one event, or all)."""
    stmt = sa.select(review_audit).order_by(review_audit.c.id.desc()).limit(limit)
    if event_id:
        stmt = stmt.where(review_audit.c.event_id == event_id)
    return [AuditEntry(id=r.id, at=r.at, who=r.who, action=r.action, event_id=r.event_id, before=r.before,
                       after=r.after, note=r.note) for r in conn.execute(stmt)]
