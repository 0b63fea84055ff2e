"""The canonical coding of an event from all its mentions.

* fatalities/injuries (ACLED practice): the most conservative well-sourced figure, revised as
  reports come in. Figures from asserted, reasonably confident mentions are preferred; among
  them the reports of the latest reporting day (a day's slack) count, and the lowest of those
  wins. Every source's own figure stays on its mention.
* event_date: from the mentions with the finest time_precision (the most common such date).
* place: from the mentions with the finest geo_precision (the most common such location).
* type: the codebook's choice when the reports tell one incident with confusable sub-types
  (:func:`eventlens.model.codebook_choice`: a protest's most severe form, a bombing's one type),
  else a confidence-weighted vote; the mentions keep their own sub-types, so the disagreement
  stays listed (the review queue shows it);
* actors, PLOVER: a confidence-weighted vote; ties go to the earliest report.
* modality: asserted if any report asserts it; confidence: the highest.

Fields an analyst locked (``locked`` names EventCoding fields) keep their current value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence, Set
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import TypeVar

from eventlens.model import EventCoding, EventMention, Modality, codebook_choice, event_type_of

__all__ = ["DatedMention", "canonical_coding", "conservative_figure"]

T = TypeVar("T")
_WELL_SOURCED_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class DatedMention:
    """A mention with its article's publication date (None when unknown) and arrival order."""

    mention: EventMention
    published: date | None = None
    order: int = 0


def _vote(ms: Sequence[DatedMention], key: Callable[[EventCoding], T | None]) -> T | None:
    """Confidence-weighted most common non-None value; ties go to the earliest mention."""
    weight: dict[Hashable, float] = {}
    first: dict[Hashable, int] = {}
    values: dict[Hashable, T] = {}
    for dm in ms:
        v = key(dm.mention.coding)
        if v is None:
            continue
        k: Hashable = v if isinstance(v, Hashable) else repr(v)
        weight[k] = weight.get(k, 0.0) + max(dm.mention.coding.confidence, 0.01)
        first.setdefault(k, dm.order)
        values[k] = v
    if not weight:
        return None
    best = max(weight, key=lambda k: (weight[k], -first[k]))
    return values[best]


def conservative_figure(ms: Sequence[DatedMention], key: Callable[[EventCoding], int | None]) -> int | None:
    """The ACLED figure: the lowest well-sourced figure of the latest reporting day."""
    figures = [(dm, v) for dm in ms if (v := key(dm.mention.coding)) is not None]
    well = [
        (dm, v)
        for dm, v in figures
        if dm.mention.coding.modality is Modality.ASSERTED
        and dm.mention.coding.confidence >= _WELL_SOURCED_CONFIDENCE
    ]
    pool = well or figures
    if not pool:
        return None
    dated = [dm.published for dm, _ in pool if dm.published is not None]
    if dated:
        cutoff = max(dated) - timedelta(days=1)
        pool = [(dm, v) for dm, v in pool if dm.published is None or dm.published >= cutoff] or pool
    return min(v for _, v in pool)


def _finest(ms: Sequence[DatedMention], precision: Callable[[EventCoding], int | None]) -> list[DatedMention]:
    known = [dm for dm in ms if precision(dm.mention.coding) is not None]
    if not known:
        return list(ms)
    best = min(precision(dm.mention.coding) or 9 for dm in known)
    return [dm for dm in known if precision(dm.mention.coding) == best]


def canonical_coding(
    mentions: Sequence[DatedMention],
    current: EventCoding | None = None,
    locked: Set[str] = frozenset(),
) -> EventCoding:
    """The canonical EventCoding of an event told by ``mentions`` (at least one)."""
    if not mentions:
        raise ValueError("canonical_coding needs at least one mention")
    ms = sorted(mentions, key=lambda dm: (dm.order, dm.mention.id))
    sub = _vote(ms, lambda c: (c.event_type, c.sub_event_type))
    assert sub is not None
    chosen = codebook_choice(dm.mention.coding.sub_event_type for dm in ms)
    if chosen is not None:
        sub = (event_type_of(chosen), chosen)
    typed = [dm for dm in ms if dm.mention.coding.sub_event_type == sub[1]]
    dated = _finest(ms, lambda c: c.time_precision if c.event_date else None)
    event_date = _vote(dated, lambda c: c.event_date)
    date_src = next(dm.mention.coding for dm in dated if dm.mention.coding.event_date == event_date)
    placed = _finest(ms, lambda c: c.place.geo_precision if c.place else None)
    place = _vote(placed, lambda c: c.place)
    place_src = next((dm.mention.coding for dm in placed if dm.mention.coding.place == place), date_src)
    actor1 = _vote(typed, lambda c: c.actor1) or _vote(ms, lambda c: c.actor1)
    actor2 = _vote(typed, lambda c: c.actor2) or _vote(ms, lambda c: c.actor2)
    asserted = any(dm.mention.coding.modality is Modality.ASSERTED for dm in ms)
    fresh = EventCoding(
        event_type=sub[0],
        sub_event_type=sub[1],
        plover_event=_vote(typed, lambda c: c.plover_event),
        actor1=actor1,
        assoc_actor_1=_vote(ms, lambda c: c.assoc_actor_1 if c.actor1 == actor1 else None),
        actor2=actor2,
        assoc_actor_2=_vote(ms, lambda c: c.assoc_actor_2 if c.actor2 == actor2 else None),
        fatalities=conservative_figure(ms, lambda c: c.fatalities),
        injuries=conservative_figure(ms, lambda c: c.injuries),
        modality=Modality.ASSERTED if asserted else ms[0].mention.coding.modality,
        confidence=max(dm.mention.coding.confidence for dm in ms),
        location_text=place_src.location_text,
        date_text=date_src.date_text,
        event_date=event_date,
        time_precision=date_src.time_precision,
        place=place,
    )
    if current is None or not locked:
        return fresh
    keep = {f.name: getattr(current, f.name) for f in fields(EventCoding) if f.name in locked}
    return replace(fresh, **keep)
