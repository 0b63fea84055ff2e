"""Cross-article deduplication: one real event, one record.

Two layers, both incremental:

* near-duplicate articles (:class:`ArticleDeduper`, MinHash LSH over word shingles): reprints
  link to one canonical article, and their events always join the canonical copy's events;
* event clustering (:func:`choose_link`): an incoming within-article event joins the best
  compatible canonical event found by blocking (date window, type family, country), or starts a
  new one. Every link carries its per-criterion :class:`MatchScores`.

There is one clusterer: the store runs it inside its write transaction
(:func:`eventlens.store.linking.link_events`), and tests exercise it through a store (an
in-memory SQLite one is enough).
"""

from __future__ import annotations

from eventlens.dedup.articles import ArticleDeduper, DuplicateMatch, Signature
from eventlens.dedup.canonical import DatedMention, canonical_coding, conservative_figure
from eventlens.dedup.same_event import (
    MERGE_THRESHOLD,
    Candidate,
    LinkDecision,
    MatchScores,
    SearchWindow,
    can_bridge,
    candidate_from,
    choose_link,
    could_link,
    event_names,
    event_tokens,
    in_window,
    score_match,
    search_window,
)

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
    "can_bridge",
    "candidate_from",
    "canonical_coding",
    "choose_link",
    "conservative_figure",
    "could_link",
    "event_names",
    "event_tokens",
    "in_window",
    "score_match",
    "search_window",
]
