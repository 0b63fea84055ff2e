"""One event in full: coding (overrides applied), mentions, evidence, articles, sources, history.

Also cuts an article's text into plain and highlighted segments around evidence spans, so a
template can wrap the evidence in ``<mark>`` while escaping every character of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.api.review import AuditEntry, audit_log
from eventlens.model import Event
from eventlens.store.queries import load_events, overrides_for
from eventlens.store.schema import articles, documents, events

__all__ = ["ArticleOut", "EventDetail", "Segment", "SourceOut", "event_detail", "highlight"]


@dataclass(frozen=True, slots=True)
class SourceOut:
    doc_id: str
    source: str
    url: str | None
    title: str | None
    published: date | None


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    mark: bool
    mention_id: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleOut:
    id: str
    doc_id: str
    title: str | None
    url: str | None
    published: date | None
    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: Event
    review_status: str
    n_sources: int
    overridden: tuple[str, ...]
    sources: tuple[SourceOut, ...]
    articles: tuple[ArticleOut, ...]
    history: tuple[AuditEntry, ...]


def highlight(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """Cut ``text`` into segments; the (start, end, mention id) spans become marked segments.

    Overlapping spans are merged into one mark; spans outside the text are clipped.
    """
    out: list[Segment] = []
    pos = 0
    for start, end, mid in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append(Segment(text[pos:start], False))
        out.append(Segment(text[start:end], True, mid))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:], False))
    return tuple(out)


def _sources(conn: Connection, doc_ids: Sequence[str]) -> tuple[SourceOut, ...]:
    if not doc_ids:
        return ()
    d = documents.c
    rows = {r.id: r for r in conn.execute(sa.select(d.id, d.source, d.url, d.title, d.published)
                                          .where(d.id.in_(list(doc_ids))))}
    return tuple(SourceOut(doc_id=r.id, source=r.source, url=r.url, title=r.title, published=r.published)
                 for i in doc_ids if (r := rows.get(i)) is not None)


def _articles(conn: Connection, event: Event) -> tuple[ArticleOut, ...]:
    ids = list(dict.fromkeys(m.article_id for m in event.mentions))
    if not ids:
        return ()
    a = articles.c
    rows = {r.id: r for r in conn.execute(sa.select(a.id, a.doc_id, a.title, a.url, a.published, a.text)
                                          .where(a.id.in_(ids)))}
    out = []
    for aid in ids:
        r = rows.get(aid)
        if r is None:
            continue
        spans = [(m.evidence.start, m.evidence.end, m.id) for m in event.mentions if m.article_id == aid]
        out.append(ArticleOut(id=r.id, doc_id=r.doc_id, title=r.title, url=r.url, published=r.published,
                              text=r.text, segments=highlight(r.text, spans)))
    return tuple(out)


def event_detail(conn: Connection, event_id: str) -> EventDetail | None:
    """Everything about one event, or None when there is no such event."""
    found = load_events(conn, [event_id])
    if not found:
        return None
    event = found[0]
    row = conn.execute(sa.select(events.c.review_status, events.c.n_sources)
                       .where(events.c.id == event_id)).one()
    over = overrides_for(conn, [event_id]).get(event_id, {})
    return EventDetail(
        event=event,
        review_status=over.get("review_status", row.review_status),
        n_sources=row.n_sources,
        overridden=tuple(sorted(over)),
        sources=_sources(conn, event.doc_ids),
        articles=_articles(conn, event),
        history=tuple(audit_log(conn, event_id, limit=50)),
    )
