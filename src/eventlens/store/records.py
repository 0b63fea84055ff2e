"""Small store queries returning result records: rejections, runs, stats, links."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.model import Rejection
from eventlens.store.schema import (
    articles,
    documents,
    event_links,
    events,
    mentions,
    rejections,
    runs,
)
from eventlens.store.types import (
    STORED_RUN_COUNTS,
    LinkRecord,
    RejectionRecord,
    RunCounts,
    RunRecord,
    StoreStats,
)

__all__ = ["link_records", "rejection_rows", "run_record", "stats", "upsert_rejection"]


def upsert_rejection(conn: Connection, rej: Rejection, now: datetime) -> None:
    """Record a rejection; a source rejected again keeps first_seen and counts the attempt."""
    res = conn.execute(
        sa.update(rejections)
        .where(rejections.c.source == rej.source)
        .values(reason=rej.reason, last_seen=now, attempts=rejections.c.attempts + 1)
    )
    if not res.rowcount:
        row = {"source": rej.source, "reason": rej.reason, "first_seen": now, "last_seen": now, "attempts": 1}
        conn.execute(sa.insert(rejections), [row])


def rejection_rows(conn: Connection) -> list[RejectionRecord]:
    q = sa.select(rejections).order_by(rejections.c.last_seen.desc(), rejections.c.source)
    return [
        RejectionRecord(r.source, r.reason, r.first_seen, r.last_seen, r.attempts) for r in conn.execute(q)
    ]


def run_record(conn: Connection, run_id: int) -> RunRecord | None:
    r = conn.execute(sa.select(runs).where(runs.c.id == run_id)).mappings().first()
    if r is None:
        return None
    counts = RunCounts(**{f: r[f] for f in STORED_RUN_COUNTS})
    return RunRecord(r["id"], r["started"], r["finished"], r["status"], counts)


def _count(conn: Connection, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one())


def stats(conn: Connection) -> StoreStats:
    return StoreStats(
        documents=_count(conn, documents),
        articles=_count(conn, articles),
        near_duplicate_articles=_count(conn, articles, articles.c.canonical_article_id.is_not(None)),
        mentions=_count(conn, mentions),
        events=_count(conn, events),
        rejections=_count(conn, rejections),
        runs=_count(conn, runs),
    )


def link_records(conn: Connection, event_id: str) -> list[LinkRecord]:
    q = sa.select(event_links).where(event_links.c.event_id == event_id).order_by(event_links.c.mention_id)
    return [
        LinkRecord(
            r.mention_id, r.event_id, r.score, dict(r.scores or {}), r.reason, r.decided_by, r.decided_at
        )
        for r in conn.execute(q)
    ]
