"""The one audit trail of analyst actions (``review_audit``): confirm, edit, merge and split,
whether they came from the CLI or the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.store.schema import events, mentions, review_audit
from eventlens.store.types import AuditRecord

__all__ = ["add_audit", "audit_records", "snapshot_events"]


def snapshot_events(conn: Connection, event_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The stored rows of ``event_ids`` with their mention ids, as an audit row records them."""
    out = []
    for eid in event_ids:
        row = conn.execute(sa.select(events).where(events.c.id == eid)).mappings().one_or_none()
        if row is None:
            continue
        q = sa.select(mentions.c.id).where(mentions.c.event_id == eid).order_by(mentions.c.id)
        snap = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        snap["mention_ids"] = list(conn.execute(q).scalars())
        out.append(snap)
    return out


def add_audit(conn: Connection, now: datetime, who: str, action: str, event_ids: Sequence[str],
              before: Any, after: Any, note: str | None) -> None:
    """Record an action on ``event_ids`` (the first is the event acted on)."""
    ids = list(event_ids)
    conn.execute(review_audit.insert().values(at=now, who=who, action=action, event_id=ids[0],
                                              event_ids=ids, before=before, after=after, note=note))


def audit_records(
    conn: Connection, event_id: str | None = None, *, newest_first: bool = False, limit: int | None = None
) -> list[AuditRecord]:
    """Actions in time order (newest first if asked), only those touching ``event_id`` if given."""
    ra = review_audit.c
    order = (ra.at.desc(), ra.id.desc()) if newest_first else (ra.at, ra.id)
    stmt = sa.select(review_audit).order_by(*order)
    if event_id:
        listed = sa.cast(ra.event_ids, sa.Text).contains(f'"{event_id}"', autoescape=True)
        stmt = stmt.where(sa.or_(ra.event_id == event_id, listed))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        AuditRecord(id=r.id, at=r.at, who=r.who, action=r.action, event_ids=tuple(r.event_ids), note=r.note,
                    before=r.before, after=r.after, event_id=r.event_id)
        for r in conn.execute(stmt)
        if event_id is None or event_id in r.event_ids
    ]
