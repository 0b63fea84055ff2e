"""Within-article coreference: an event told twice in one article is one Event.

A later mention joins an earlier event when it
  * names the same victim ("Yacoub and Oussama were killed ..." after "gunmen shot dead ...
    Reham Yacoub"),
  * only points back to it ("Her killing", "Hashemi's killing", "the attack"), or
  * repeats its type, date and place.
A pure back-reference with nothing to point back to is no event of its own and is dropped.
The Event's coding is the most informative mention's (highest confidence, then most known
fields), with fields it lacks filled from the other mentions.

The linking tests are in :mod:`eventlens.coref.antecedent`, the merged coding in
:mod:`eventlens.coref.merged_event`, the back-reference test in :mod:`eventlens.coref.backrefs`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from eventlens.coref.antecedent import antecedent
from eventlens.coref.backrefs import is_back_reference, possessive
from eventlens.coref.merged_event import as_told, merged_coding
from eventlens.model import Event, EventMention, content_id

__all__ = ["is_back_reference", "merge_within_article"]

log = logging.getLogger(__name__)


def merge_within_article(mentions: Sequence[EventMention]) -> list[Event]:
    """One Event per real-world event told in the article, in order of first telling."""
    clusters: list[list[EventMention]] = []
    for m in sorted(mentions, key=lambda x: (x.evidence.start, x.id)):
        target = antecedent(m, clusters)
        if target is not None:
            target.append(m)
        elif is_back_reference(m) and (clusters or possessive(m)):
            # it points at an event told earlier in words we could not match, or at one outside
            # the text ("Her killing"); a definite description with nothing told before it ("The
            # air strike left seven dead.") is the telling itself
            log.debug("dropping back-reference with no antecedent: %r", m.evidence.text[:80])
        else:
            clusters.append([m])
    events = []
    for c in clusters:
        coding = merged_coding(c)
        events.append(Event(content_id("e", c[0].id), coding, tuple(as_told(m, coding) for m in c)))
    return events
