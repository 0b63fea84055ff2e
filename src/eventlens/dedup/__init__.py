"""Cross-article deduplication: one real event, one record.

Two layers, both incremental:

* near-duplicate articles (:class:`ArticleDeduper`, MinHash LSH over word shingles): reprints
  link to one canonical article, and their events always join the canonical copy's events;
* event clustering (:func:`choose_link`): an incoming within-article event joins the best
  compatible canonical event found by blocking (date window, type family, country), or starts a
  new one. Every link carries its per-criterion :class:`MatchScores`.

The store runs this inside its write transaction; :func:`cluster_events` runs the same logic
in memory (for ``extract`` output without a database, and for tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from eventlens.dedup.articles import ArticleDeduper, DuplicateMatch, Signature
from eventlens.dedup.canonical import DatedMention, canonical_coding, conservative_figure
from eventlens.dedup.same_event import (
    MERGE_THRESHOLD,
    Candidate,
    LinkDecision,
    MatchScores,
    SearchWindow,
    candidate_from,
    choose_link,
    could_link,
    event_tokens,
    in_window,
    score_match,
    search_window,
)
from eventlens.model import Event, EventMention

__all__ = [
    "MERGE_THRESHOLD",
    "ArticleDeduper",
    "Candidate",
    "DatedMention",
    "DuplicateMatch",
    "LinkDecision",
    "MatchScores",
    "SearchWindow",
    "Signature",
    "candidate_from",
    "canonical_coding",
    "choose_link",
    "cluster_events",
    "conservative_figure",
    "could_link",
    "event_tokens",
    "in_window",
    "score_match",
    "search_window",
]


@dataclass(slots=True)
class _Cluster:
    event_id: str
    mentions: list[DatedMention] = field(default_factory=list)
    event: Event | None = None

    def articles(self) -> set[str]:
        return {dm.mention.article_id for dm in self.mentions}

    def candidate(self) -> Candidate:
        assert self.event is not None
        ms = self.event.mentions
        return candidate_from(
            self.event_id, self.event.coding, [m.evidence.text for m in ms], [m.article_id for m in ms]
        )


def cluster_events(
    events: Sequence[Event],
    published: Mapping[str, date] | None = None,
    canonical_articles: Mapping[str, str] | None = None,
) -> list[Event]:
    """Cluster within-article events into canonical events, in input order.

    ``published`` maps article ids to publication dates (for fatality revisions);
    ``canonical_articles`` maps near-duplicate article ids to their canonical article id.
    """
    published = published or {}
    canon = canonical_articles or {}
    clusters: list[_Cluster] = []
    order = 0
    for ev in events:
        cands = [
            c.candidate() for c in clusters if c.event and in_window(search_window(ev.coding), c.event.coding)
        ]
        arts = {m.article_id for m in ev.mentions}
        group = {canon.get(a, a) for a in arts}
        reprints = {a for c in clusters for a in c.articles() if canon.get(a, a) in group}
        decision = choose_link(ev, cands, near_duplicate_articles=reprints)
        target = next((c for c in clusters if c.event_id == decision.event_id), None)
        if target is None:
            target = _Cluster(ev.id)
            clusters.append(target)
        for m in ev.mentions:
            target.mentions.append(DatedMention(m, published.get(m.article_id), order))
            order += 1
        target.event = _rebuild(target)
    return [c.event for c in clusters if c.event is not None]


def _rebuild(cluster: _Cluster) -> Event:
    ms: tuple[EventMention, ...] = tuple(dm.mention for dm in cluster.mentions)
    return Event(cluster.event_id, canonical_coding(cluster.mentions), ms)
