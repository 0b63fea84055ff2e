"""rules.v1 on whole short articles: one real event is one Event, non-events are nothing.

Texts are invented for these tests (real places, fictional incidents)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from eventlens.config import Settings
from eventlens.coref.within_article import merge_within_article
from eventlens.extract.rules.coder import make_rules_v1
from eventlens.model import Article, Event
from eventlens.nlp.parser import parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.extract.registry import Extractor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return make_rules_v1(Settings())


def _events(nlp: Language, extractor: Extractor, text: str) -> list[Event]:
    article = Article(id="dart-a0", doc_id="dart", index=0, title=None, text=text)
    return merge_within_article(extractor.extract(next(parse(nlp, [article]))))


def _subs(events: list[Event]) -> list[str]:
    return [e.coding.sub_event_type for e in events]


def test_a_football_report_codes_nothing(nlp: Language, extractor: Extractor) -> None:
    text = (
        "ACCRA, Ghana — Hearts of Oak beat their city rivals 3-1 on Saturday to reach the cup final. "
        "The winger cut inside, beat three defenders and fired a shot past the goalkeeper in stoppage time. "
        "The coach said his side had attacked from the first whistle while the fans sang in the stadium."
    )
    assert _events(nlp, extractor, text) == []


def test_conditional_threats_plans_and_habits_are_no_events(nlp: Language, extractor: Extractor) -> None:
    text = (
        "LIMA, Peru — The miners' union said it would block the highways next week if the mining law "
        "was not repealed. Strikes have broken out in the southern mines almost every winter for more than "
        "a decade. The Shining Path, which has been fighting the state for over 40 years, is much weakened."
    )
    assert _events(nlp, extractor, text) == []


def test_denied_reports_are_no_event(nlp: Language, extractor: Extractor) -> None:
    text = "Police in Dakar denied reports that officers had fired on students at the university on Friday."
    assert _events(nlp, extractor, text) == []


def test_live_fire_on_a_crowd_that_threw_stones_is_one_riot(nlp: Language, extractor: Extractor) -> None:
    # one protest, one event at its most severe: demonstrators' stones make it a riot whatever force
    # met it (the codebook's excessive force is force against protesters who were not violent)
    text = (
        "BASRA, Iraq, June 3, 2024 — Security forces opened fire on hundreds of people protesting "
        "water shortages in the city of Basra on Monday, killing four people and wounding at least 30, "
        "doctors said. The governor said 9 policemen had been injured by stones."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Violent demonstration"]
    riot = events[0].coding
    assert riot.fatalities == 4
    assert riot.actor1 is not None and riot.actor1.name.startswith("Rioters")
    assert riot.actor2 is not None and riot.actor2.inter == 1


def test_stun_grenades_on_a_march_are_intervention(nlp: Language, extractor: Extractor) -> None:
    text = (
        "QUITO, Ecuador — Police fired tear gas and stun grenades on Tuesday to break up a march by "
        "thousands of nurses in central Quito. Police said 11 people were detained."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Protest with intervention"]
    assert events[0].coding.assoc_actor_1 != events[0].coding.actor1.name  # type: ignore[union-attr]


def test_an_ambush_told_by_both_sides_is_one_armed_clash(nlp: Language, extractor: Extractor) -> None:
    text = (
        "NIAMEY, Niger — Militants ambushed an army patrol near the town of Tillaberi on Sunday, killing "
        "at least six soldiers, security sources said. The patrol hit a roadside bomb and then came under "
        "fire. Two vehicles were set on fire. The group later said its fighters had seized weapons. The army "
        "said its troops had killed about 15 assailants."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Armed clash"]
    clash = events[0].coding
    assert clash.fatalities == 6
    assert {a.inter for a in (clash.actor1, clash.actor2) if a is not None} == {1, 3}


def test_upper_case_wire_clash_with_both_sides_and_toll(nlp: Language, extractor: Extractor) -> None:
    text = (
        "MARIB, YEMEN, 2 JUNE 2024 -- NINE FIGHTERS WERE KILLED TODAY IN CLASHES BETWEEN GOVERNMENT "
        "FORCES AND HOUTHI REBELS WEST OF MARIB, A MILITARY OFFICIAL SAID. FIVE SOLDIERS AND FOUR HOUTHI "
        "FIGHTERS WERE KILLED, HE SAID."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Armed clash"]
    clash = events[0].coding
    assert clash.fatalities == 9
    names = {a.name for a in (clash.actor1, clash.actor2) if a is not None}
    assert "Ansar Allah (Houthis)" in names
    assert any(n.startswith("Military Forces of Yemen") for n in names)


def test_a_sub_count_after_including_never_replaces_the_total(nlp: Language, extractor: Extractor) -> None:
    text = (
        "Government jets bombed a market in Myanmar's Chin state on Friday, killing at least 12 people, "
        "including five children, residents and a local rescue group said on Saturday."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Air/drone strike"]
    assert events[0].coding.fatalities == 12


def test_named_firers_and_capitalised_militants_are_actors(nlp: Language, extractor: Extractor) -> None:
    shells = _events(
        nlp,
        extractor,
        "Rockets fired by Syrian government forces hit a school in the town of Ariha on Tuesday, "
        "killing two.",
    )
    assert shells[0].coding.actor1 is not None
    assert shells[0].coding.actor1.name.startswith("Military Forces of Syria")
    ambush = _events(
        nlp,
        extractor,
        "BAMAKO, Mali — Militants ambushed a Malian army convoy near Gao on Monday, killing five soldiers.",
    )
    assert ambush[0].coding.actor1 is not None
    assert ambush[0].coding.actor1.name == "Unidentified Armed Group (Mali)"


def test_a_raid_retold_is_one_event(nlp: Language, extractor: Extractor) -> None:
    text = (
        "Gunmen killed at least eight people and abducted 30 others in a raid on a village in Nigeria's "
        "Katsina state, police said on Tuesday. The attackers arrived at night, firing at residents and "
        "setting fire to homes. Police could not confirm the number of people abducted."
    )
    events = _events(nlp, extractor, text)
    assert _subs(events) == ["Abduction/forced disappearance"]
    assert events[0].coding.fatalities == 8


def test_a_revised_toll_is_the_count(nlp: Language, extractor: Extractor) -> None:
    text = (
        "The death toll from Friday's bombing of a bus station in Quetta, Pakistan, has risen to 17, "
        "officials said."
    )
    events = _events(nlp, extractor, text)
    assert [e.coding.fatalities for e in events] == [17]


def test_a_death_told_with_a_riot_is_its_toll(nlp: Language, extractor: Extractor) -> None:
    text = "Protesters threw stones at police in Dhaka on Saturday; one police officer was killed."
    (event,) = _events(nlp, extractor, text)
    assert (event.coding.event_type, event.coding.fatalities) == ("Riots", 1)
