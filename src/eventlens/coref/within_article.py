"""Within-article coreference: an event told twice in one article is one Event.

A later mention joins an earlier event when it
  * names the same victim ("Yacoub and Oussama were killed ..." after "gunmen shot dead ...
    Reham Yacoub"),
  * only points back to it ("Her killing", "Hashemi's killing", "the attack"), or
  * repeats its type, date and place.
A pure back-reference with nothing to point back to is no event of its own and is dropped.
A mention told after the report's lead incident as background ("after a bombing last month
killed 12", "the third attack this week") is an Event of its own flagged ``background``, with
low confidence: it links to a stored incident, never to the report's own.
The Event's coding is the most informative mention's (highest confidence, then most known
fields), with fields it lacks filled from the other mentions.

The linking tests are in :mod:`eventlens.coref.antecedent`, the merged coding in
:mod:`eventlens.coref.merged_event`, the back-reference test in :mod:`eventlens.coref.backrefs`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from eventlens.coref.antecedent import antecedent
from eventlens.coref.backrefs import is_back_reference, is_background, possessive
from eventlens.coref.merged_event import as_told, merged_coding
from eventlens.model import Event, EventCoding, EventMention, content_id

__all__ = ["BACKGROUND_CONFIDENCE", "is_back_reference", "merge_within_article"]

#: the confidence of an event told only as background to a report's own incident
BACKGROUND_CONFIDENCE = 0.2

log = logging.getLogger(__name__)


def merge_within_article(mentions: Sequence[EventMention]) -> list[Event]:
    """One Event per real-world event told in the article, in order of first telling; each
    later mention's reason for joining is kept (``Event.joined``)."""
    clusters: list[list[EventMention]] = []
    background: list[list[EventMention]] = []
    reasons: dict[str, str] = {}
    for m in sorted(mentions, key=lambda x: (x.evidence.start, x.id)):
        told = background if _background(m, clusters) else clusters
        join = antecedent(m, told)
        if join is not None:
            join.cluster.append(m)
            reasons[m.id] = join.reason
        elif is_back_reference(m) and (clusters or possessive(m)):
            # it points at an event told earlier in words we could not match, or at one outside
            # the text ("Her killing"); a definite description with nothing told before it ("The
            # air strike left seven dead.") is the telling itself
            log.debug("dropping back-reference with no antecedent: %r", m.evidence.text[:80])
        else:
            told.append([m])
    events = [_event(c, reasons, background=False) for c in clusters]
    events += [_event(c, reasons, background=True) for c in background]
    return sorted(events, key=lambda e: (e.mentions[0].evidence.start, e.mentions[0].id))


def _background(m: EventMention, clusters: list[list[EventMention]]) -> bool:
    """Told as background after the report's lead incident, and not on that incident's day."""
    if not clusters or not is_background(m):
        return False
    c = m.coding
    return not any(
        (c.event_date is not None and c.event_date == x.coding.event_date)
        or (c.date_text and (x.coding.date_text or "").lower() == c.date_text.lower())
        for x in clusters[0]
    )


def _event(cluster: list[EventMention], reasons: dict[str, str], *, background: bool) -> Event:
    coding = merged_coding(cluster)
    mentions = tuple(as_told(m, coding) for m in cluster)
    if background:
        coding = _doubtful(coding)
        mentions = tuple(replace(m, coding=_doubtful(m.coding)) for m in mentions)
    joined = tuple((m.id, reasons[m.id]) for m in cluster if m.id in reasons)
    return Event(content_id("e", cluster[0].id), coding, mentions, joined, background)


def _doubtful(coding: EventCoding) -> EventCoding:
    return replace(coding, confidence=min(coding.confidence, BACKGROUND_CONFIDENCE))
