"""merge_within_article on hand-built mentions: one event told twice is one Event."""

from __future__ import annotations

from eventlens.coref.within_article import is_back_reference, merge_within_article
from eventlens.model import Actor, EventCoding, EventMention, Span, content_id

TEXT = (
    "Gunmen shot dead activist Reham Yacoub in Basra on Wednesday. "
    "Tahseen Oussama was gunned down on Aug. 14. "
    "Her killing cast a pall. "
    "Yacoub and Oussama were killed two weeks after the party was formed. "
    "Police arrested 14 men in June. "
    "The air strike left seven dead. "
    "Six died after Friday's bombing in Diyala."
)


def _span(phrase: str, within: str | None = None) -> Span:
    base = TEXT.index(within) if within else 0
    start = TEXT.index(phrase, base)
    return Span(phrase, start, start + len(phrase))


def _mention(
    n: int,
    evidence: str,
    trigger: str,
    sub: str = "Attack",
    *,
    victim: str | None = None,
    confidence: float = 0.8,
    date_text: str | None = None,
    location_text: str | None = None,
    fatalities: int | None = 1,
) -> EventMention:
    event_type = "Strategic developments" if sub == "Arrests" else "Violence against civilians"
    coding = EventCoding(
        event_type=event_type,
        sub_event_type=sub,
        confidence=confidence,
        date_text=date_text,
        location_text=location_text,
        fatalities=fatalities,
        actor2=Actor("Civilians (Iraq)", 7, victim) if victim else None,
    )
    return EventMention(
        f"d-a0-m{n}", "d", "d-a0", n, _span(evidence), coding, trigger=_span(trigger, evidence)
    )


YACOUB = _mention(
    0,
    "Gunmen shot dead activist Reham Yacoub in Basra on Wednesday",
    "shot dead",
    victim="activist Reham Yacoub",
    date_text="Wednesday",
    location_text="Basra",
    confidence=0.87,
)
OUSSAMA = _mention(
    1,
    "Tahseen Oussama was gunned down on Aug. 14",
    "gunned down",
    victim="Tahseen Oussama",
    date_text="Aug. 14",
    confidence=0.83,
)
HER_KILLING = _mention(2, "Her killing cast a pall", "killing", confidence=0.25, fatalities=3)
BOTH = _mention(
    3,
    "Yacoub and Oussama were killed two weeks after the party was formed",
    "killed",
    victim="Yacoub and Oussama",
    fatalities=2,
    confidence=0.79,
)
ARREST = _mention(4, "Police arrested 14 men in June", "arrested", "Arrests", fatalities=0, date_text="June")


def test_back_reference_detection() -> None:
    assert is_back_reference(HER_KILLING)
    assert not is_back_reference(YACOUB)
    assert not is_back_reference(BOTH)


def test_rementions_join_earlier_events() -> None:
    events = merge_within_article([ARREST, BOTH, HER_KILLING, OUSSAMA, YACOUB])
    assert [len(e.mentions) for e in events] == [3, 1, 1]
    first = events[0]
    assert [m.id for m in first.mentions] == ["d-a0-m0", "d-a0-m2", "d-a0-m3"]
    assert first.id == content_id("e", "d-a0-m0")
    assert first.coding.date_text == "Wednesday"
    assert first.coding.fatalities == 1
    assert events[2].coding.sub_event_type == "Arrests"


def test_back_reference_without_antecedent_is_dropped() -> None:
    assert merge_within_article([HER_KILLING]) == []
    assert len(merge_within_article([HER_KILLING, ARREST])) == 1


def test_definite_description_told_first_is_the_event_itself() -> None:
    strike = _mention(5, "The air strike left seven dead", "strike", confidence=0.25, fatalities=7)
    friday = _mention(6, "Six died after Friday's bombing in Diyala", "bombing", confidence=0.25)
    assert [e.coding.fatalities for e in merge_within_article([strike])] == [7]
    assert len(merge_within_article([friday])) == 1
    # after another event it points back at something told in words we could not match
    assert len(merge_within_article([ARREST, strike])) == 1


def test_best_mention_codes_the_event_and_gaps_are_filled() -> None:
    vague = _mention(
        0,
        "Gunmen shot dead activist Reham Yacoub in Basra on Wednesday",
        "shot dead",
        victim="Reham Yacoub",
        confidence=0.6,
        location_text=None,
        fatalities=None,
    )
    precise = _mention(
        3,
        "Yacoub and Oussama were killed two weeks after the party was formed",
        "killed",
        victim="Yacoub",
        confidence=0.9,
        location_text="Basra",
        date_text=None,
        fatalities=None,
    )
    (event,) = merge_within_article([vague, precise])
    assert event.coding.confidence == 0.9
    assert event.coding.location_text == "Basra"
    assert event.id == content_id("e", vague.id)


def test_same_type_date_and_place_merge_but_different_dates_do_not() -> None:
    a = _mention(
        0,
        "Gunmen shot dead activist Reham Yacoub in Basra on Wednesday",
        "shot dead",
        date_text="Wednesday",
        location_text="Basra",
    )
    b = _mention(
        3,
        "Yacoub and Oussama were killed two weeks after the party was formed",
        "killed",
        date_text="Wednesday",
        location_text="Basra",
    )
    c = _mention(
        1,
        "Tahseen Oussama was gunned down on Aug. 14",
        "gunned down",
        date_text="Aug. 14",
        location_text="Basra",
    )
    assert len(merge_within_article([a, b])) == 1
    assert len(merge_within_article([a, c])) == 2


def test_empty_input() -> None:
    assert merge_within_article([]) == []


def test_resolved_dates_decide_when_the_stages_ran() -> None:
    from dataclasses import replace
    from datetime import date

    a = _mention(
        0,
        "Gunmen shot dead activist Reham Yacoub in Basra on Wednesday",
        "shot dead",
        date_text="Wednesday",
        location_text="Basra",
    )
    b = _mention(
        3,
        "Yacoub and Oussama were killed two weeks after the party was formed",
        "killed",
        date_text="Aug. 19",
        location_text="Basra",
    )
    assert len(merge_within_article([a, b])) == 2  # surface strings differ
    day = date(2020, 8, 19)
    a2 = replace(a, coding=replace(a.coding, event_date=day, time_precision=1))
    b2 = replace(b, coding=replace(b.coding, event_date=day, time_precision=1))
    assert len(merge_within_article([a2, b2])) == 1
    b3 = replace(b, coding=replace(b.coding, event_date=date(2020, 8, 14), time_precision=1))
    assert len(merge_within_article([a2, b3])) == 2
