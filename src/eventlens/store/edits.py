"""Analyst field edits and confirmations: overrides that win over whatever the pipeline writes.

Field edits are kept twice on purpose. ``event_overrides`` holds the analyst's value and is
applied on every read (so it wins whatever the pipeline writes later); the same value is also
written into the ``events`` row and its name added to ``locked_fields``, which the store's
write path leaves alone, so filters and counts see the edited value too. Every action adds an
audit row (``store.audit``: who, when, before, after).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ReviewError
from eventlens.model import ACLED_TYPES, event_type_of
from eventlens.store.audit import add_audit
from eventlens.store.codec import date_key
from eventlens.store.queries import OVERRIDABLE, overrides_for
from eventlens.store.schema import event_overrides, events

__all__ = ["confirm", "edit"]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _event_row(conn: Connection, event_id: str) -> Mapping[str, Any]:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        raise ReviewError(f"no event {event_id}")
    return dict(row)


def _set_override(conn: Connection, event_id: str, name: str, value: Any, who: str, now: datetime) -> None:
    eo = event_overrides.c
    conn.execute(event_overrides.delete().where(eo.event_id == event_id, eo.field == name))
    conn.execute(event_overrides.insert().values(event_id=event_id, field=name, value=_jsonable(value),
                                                 who=who, at=now))


def confirm(conn: Connection, event_id: str, who: str, note: str | None, now: datetime) -> None:
    """Mark an event as checked by an analyst (kept as-is by later runs)."""
    row = _event_row(conn, event_id)
    _set_override(conn, event_id, "review_status", "confirmed", who, now)
    stmt = events.update().where(events.c.id == event_id)
    conn.execute(stmt.values(review_status="confirmed", reviewed=True))
    add_audit(conn, now, who, "confirm", [event_id], {"review_status": row["review_status"]},
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


def edit(conn: Connection, event_id: str, changes: Mapping[str, Any], who: str, note: str | None,
         now: datetime) -> dict[str, Any]:
    """Override fields of an event; returns the new values. Overrides survive re-processing."""
    if not changes:
        raise ReviewError("nothing to change")
    values = _validate({k: _coerce(k, v) for k, v in changes.items()})
    row = _event_row(conn, event_id)
    current = overrides_for(conn, [event_id]).get(event_id, {})
    before = {k: _jsonable(current.get(k, row[k])) for k in values}
    for name, value in values.items():
        _set_override(conn, event_id, name, value, who, now)
    _set_override(conn, event_id, "review_status", "edited", who, now)
    locked = sorted({*(row["locked_fields"] or ()), *values})
    update: dict[str, Any] = {**values, "locked_fields": locked, "review_status": "edited"}
    if "event_date" in values:
        update["date_key"] = date_key(values["event_date"])
    conn.execute(events.update().where(events.c.id == event_id).values(**update))
    after = {k: _jsonable(v) for k, v in values.items()}
    add_audit(conn, now, who, "edit", [event_id], before, after, note)
    return after
