"""Analyst overrides: merge events, split mentions off an event, with an audit row each
(``store.audit``: the one trail the CLI and the API share).

Links an analyst decides carry ``decided_by = <user>``; auto-clustering never moves a stored
mention, so these decisions survive every later run; review_status records the action.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ReviewError
from eventlens.model import content_id
from eventlens.store.audit import add_audit, snapshot_events
from eventlens.store.codec import date_key
from eventlens.store.linking import recompute_event, relink_mentions
from eventlens.store.schema import events, mentions

__all__ = ["merge_events", "split_event"]


def _audit(
    conn: Connection, action: str, ids: Sequence[str], user: str, note: str | None, before: Any, now: datetime
) -> None:
    add_audit(conn, now, user, action, ids, before, snapshot_events(conn, ids), note)


def _mark_reviewed(conn: Connection, event_id: str, status: str) -> None:
    conn.execute(sa.update(events).where(events.c.id == event_id).values(review_status=status))


def _check_user(user: str) -> None:
    if not user or not user.strip():
        raise ReviewError("a merge or split needs the analyst's user name")


def merge_events(
    conn: Connection, event_ids: Sequence[str], user: str, note: str | None, now: datetime
) -> str:
    """Fold every event into the first one; returns the surviving event id."""
    _check_user(user)
    ids = list(dict.fromkeys(event_ids))
    if len(ids) < 2:
        raise ReviewError("merge needs at least two different event ids")
    found = set(conn.execute(sa.select(events.c.id).where(events.c.id.in_(ids))).scalars())
    if missing := [i for i in ids if i not in found]:
        raise ReviewError(f"cannot merge: no event {', '.join(missing)}")
    before = snapshot_events(conn, ids)
    target, others = ids[0], ids[1:]
    moved = list(conn.execute(sa.select(mentions.c.id).where(mentions.c.event_id.in_(others))).scalars())
    relink_mentions(conn, moved, target, user, f"merged by {user}" + (f": {note}" if note else ""), now)
    conn.execute(sa.delete(events).where(events.c.id.in_(others)))
    recompute_event(conn, target, now)
    _mark_reviewed(conn, target, "merged")
    _audit(conn, "merge", ids, user, note, before, now)
    return target


def split_event(
    conn: Connection, event_id: str, mention_ids: Sequence[str], user: str, note: str | None, now: datetime
) -> str:
    """Move ``mention_ids`` off ``event_id`` into a new event; returns the new event's id."""
    _check_user(user)
    own = set(conn.execute(sa.select(mentions.c.id).where(mentions.c.event_id == event_id)).scalars())
    if not own:
        raise ReviewError(f"cannot split: no event {event_id} (or it has no mentions)")
    chosen = sorted(set(mention_ids))
    if not chosen or not set(chosen) <= own or set(chosen) == own:
        raise ReviewError(
            f"cannot split {event_id}: give some, but not all, of its mention ids ({', '.join(sorted(own))})"
        )
    before = snapshot_events(conn, [event_id])
    new_id = content_id("e", "split", event_id, *chosen)
    row = dict(conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().one())
    row.update(
        id=new_id,
        created_at=now,
        updated_at=now,
        reviewed=False,
        review_status="split",
        date_key=date_key(row["event_date"]),
    )
    conn.execute(sa.insert(events), [row])
    relink_mentions(conn, chosen, new_id, user, f"split by {user}" + (f": {note}" if note else ""), now)
    for eid in (event_id, new_id):
        recompute_event(conn, eid, now)
        _mark_reviewed(conn, eid, "split")
    _audit(conn, "split", [event_id, new_id], user, note, before, now)
    return new_id
