"""One event in full: coding (overrides applied), mentions, evidence, articles, sources, history.

Also cuts an article's text into plain and highlighted segments around evidence spans, so a
template can wrap the evidence in ``<mark>`` while escaping every character of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from eventlens.export import store_source_lookup
from eventlens.model import Event
from eventlens.store import AuditRecord, Store

__all__ = [
    "ArticleOut", "EventDetail", "InputEvidenceOut", "Segment", "SourceOut", "event_detail", "highlight",
]


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
class InputEvidenceOut:
    """A mention's evidence in the document as the user supplied it (``GET /api/documents/{doc_id}``
    ``text[start:end] == text``); the mention's own ``evidence`` points into the clean article text."""

    mention_id: str
    doc_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: Event
    review_status: str
    n_sources: int
    overridden: tuple[str, ...]
    sources: tuple[SourceOut, ...]
    articles: tuple[ArticleOut, ...]
    history: tuple[AuditRecord, ...]
    #: the mentions' evidence found in their input documents (a mention whose span is not found there,
    #: e.g. cut by HTML markup, is left out)
    input_evidence: tuple[InputEvidenceOut, ...] = ()


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


def event_detail(store: Store, event_id: str) -> EventDetail | None:
    """Everything about one event, or None when there is no such event."""
    found = store.event_detail(event_id, history=50)
    if found is None:
        return None
    event = found.event
    arts = []
    for a in found.articles:
        spans = [(m.evidence.start, m.evidence.end, m.id) for m in event.mentions if m.article_id == a.id]
        arts.append(ArticleOut(id=a.id, doc_id=a.doc_id, title=a.title, url=a.url, published=a.published,
                               text=a.text, segments=highlight(a.text, spans)))
    return EventDetail(
        event=event,
        review_status=found.review_status,
        n_sources=found.n_sources,
        overridden=found.overridden,
        sources=tuple(SourceOut(doc_id=d.id, source=d.source, url=d.url, title=d.title, published=d.published)
                      for d in found.documents),
        articles=tuple(arts),
        history=found.history,
        input_evidence=_input_evidence(store, event),
    )


def _input_evidence(store: Store, event: Event) -> tuple[InputEvidenceOut, ...]:
    locate = store_source_lookup(store).evidence
    out = []
    for m in event.mentions:
        span = locate(m)
        if span is not None:
            out.append(InputEvidenceOut(m.id, m.doc_id, span.text, span.start, span.end))
    return tuple(out)
