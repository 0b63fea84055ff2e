"""merge_within_article on hand-built mentions: one event told twice is one Event."""

from __future__ import annotations

from dataclasses import replace

from eventlens.coref.within_article import BACKGROUND_CONFIDENCE, is_back_reference, merge_within_article
from eventlens.model import (
    Actor,
    EventCoding,
    EventMention,
    Span,
    codebook_choice,
    content_id,
    event_type_of,
    near_types,
)

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


# -- one incident, one event (issue 20): retellings, codebook types, background mentions ----------

BOMBING = (
    "A suicide bomber drove a truck packed with explosives into a checkpoint in Mogadishu on Tuesday, "
    "killing 22 people. The truck bomb exploded during the morning rush hour. Witnesses said shops burned. "
    "Police said 22 people were killed and 40 were wounded in the explosion. "
    "It was the third attack in the city this week, after a bombing last month killed 12 people at a hotel. "
    "In a separate attack, gunmen killed 22 people in Kismayo."
)


def _told(
    n: int, sentence: int, evidence: str, trigger: str, sub: str, *, text: str = BOMBING, **kw: object
) -> EventMention:
    start = text.index(evidence)
    coding = EventCoding(event_type=event_type_of(sub), sub_event_type=sub, **kw)  # type: ignore[arg-type]
    t = text.index(trigger, start)
    return EventMention(
        f"b-a0-m{n}",
        "b",
        "b-a0",
        sentence,
        Span(evidence, start, start + len(evidence)),
        coding,
        trigger=Span(trigger, t, t + len(trigger)),
    )


BOMBER = Actor("Al Shabaab", 2, "A suicide bomber")
LEAD = _told(
    0,
    0,
    "A suicide bomber drove a truck packed with explosives into a checkpoint in Mogadishu on "
    "Tuesday, killing 22 people",
    "drove",
    "Suicide bomb",
    actor1=BOMBER,
    fatalities=22,
    confidence=0.95,
    date_text="Tuesday",
    location_text="Mogadishu",
)
TRUCK = _told(
    1,
    1,
    "The truck bomb exploded during the morning rush hour",
    "exploded",
    "Suicide bomb",
    confidence=0.8,
)
TOLL = _told(
    2,
    3,
    "Police said 22 people were killed and 40 were wounded in the explosion",
    "killed",
    "Attack",
    fatalities=22,
    injuries=40,
    confidence=0.7,
)
BACKGROUND = _told(
    3,
    4,
    "after a bombing last month killed 12 people at a hotel",
    "bombing",
    "Remote explosive/landmine/IED",
    fatalities=12,
    confidence=0.8,
    date_text="last month",
)
SEPARATE = _told(
    4,
    5,
    "In a separate attack, gunmen killed 22 people in Kismayo",
    "killed",
    "Attack",
    fatalities=22,
    confidence=0.9,
    location_text="Kismayo",
    actor1=Actor("Unidentified Armed Group (Somalia)", 3, "gunmen"),
)


def test_a_bombing_told_with_its_toll_as_an_attack_is_one_suicide_bomb_with_its_reasons() -> None:
    (event,) = merge_within_article([LEAD, TRUCK, TOLL])
    assert event.coding.sub_event_type == "Suicide bomb"  # the codebook's one type per bombing
    assert (event.coding.fatalities, event.coding.injuries) == (22, 40)
    why = dict(event.joined)
    assert set(why) == {TRUCK.id, TOLL.id} and "toll" in why[TOLL.id]
    assert {m.coding.sub_event_type for m in event.mentions} == {"Suicide bomb"}


def test_a_casualty_count_pointing_back_joins_even_with_another_figure() -> None:
    count = replace(TOLL, coding=replace(TOLL.coding, fatalities=21))
    (event,) = merge_within_article([LEAD, count])
    assert "points back" in dict(event.joined)[count.id]


def test_a_separate_incident_with_the_same_toll_stays_apart() -> None:
    events = merge_within_article([LEAD, SEPARATE])
    assert [e.coding.sub_event_type for e in events] == ["Suicide bomb", "Attack"]


def test_an_earlier_incident_told_as_background_is_flagged_not_merged() -> None:
    events = merge_within_article([LEAD, TOLL, BACKGROUND])
    assert [(e.coding.fatalities, e.background) for e in events] == [(22, False), (12, True)]
    assert events[1].coding.confidence <= BACKGROUND_CONFIDENCE
    # told first, the same words are the report's own incident
    (alone,) = merge_within_article([BACKGROUND])
    assert not alone.background


PROTEST = (
    "Thousands of students marched through Dhaka on Sunday. Later, some protesters threw stones at police "
    "and set fire to two buses. Police fired tear gas to disperse the crowd."
)


def test_a_protest_told_on_into_a_riot_is_one_violent_demonstration() -> None:
    march = _told(
        0,
        0,
        "Thousands of students marched through Dhaka on Sunday",
        "marched",
        "Peaceful protest",
        text=PROTEST,
        actor1=Actor("Protesters (Bangladesh)", 6, "students"),
        confidence=0.9,
        date_text="Sunday",
        location_text="Dhaka",
    )
    stones = _told(
        1,
        1,
        "some protesters threw stones at police and set fire to two buses",
        "threw",
        "Violent demonstration",
        text=PROTEST,
        actor1=Actor("Rioters (Bangladesh)", 5, "protesters"),
        confidence=0.8,
    )
    gas = _told(
        2,
        2,
        "Police fired tear gas to disperse the crowd",
        "fired",
        "Protest with intervention",
        text=PROTEST,
        confidence=0.8,
    )
    (event,) = merge_within_article([march, stones, gas])
    assert event.coding.sub_event_type == "Violent demonstration"
    assert event.coding.actor1 is not None and event.coding.actor1.inter == 5


def test_codebook_choice_and_near_types() -> None:
    assert codebook_choice(["Attack", "Remote explosive/landmine/IED", "Suicide bomb"]) == "Suicide bomb"
    assert (
        codebook_choice(["Attack", "Shelling/artillery/missile attack"])
        == "Shelling/artillery/missile attack"
    )
    assert codebook_choice(["Peaceful protest", "Excessive force against protesters"]) == (
        "Excessive force against protesters"
    )
    assert (
        codebook_choice(["Air/drone strike", "Shelling/artillery/missile attack"]) is None
    )  # the vote decides
    assert codebook_choice(["Armed clash", "Attack"]) is None
    # demonstrators throwing stones and police killing three: a riot (its deaths are its toll)
    assert codebook_choice(["Violent demonstration", "Excessive force against protesters"]) == (
        "Violent demonstration"
    )
    assert near_types("Suicide bomb", "Attack") and near_types("Peaceful protest", "Violent demonstration")
    assert not near_types("Armed clash", "Attack") and not near_types("Mob violence", "Peaceful protest")
