"""Fatality and injury counts (eventlens.extract.arguments.counts) on parsed sentences, one rule a test.

Sentences are written for these tests (real places, fictional incidents). ``clause_from`` gives the
evidence a coder hands over when it is only part of the text (a when-clause, one sentence)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from eventlens.extract.arguments.counts import Counts, count_casualties, number_value

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

#: every test parses with the real spaCy model
pytestmark = pytest.mark.slow


def _doc(nlp: Language, text: str) -> Doc:
    return nlp(text)


def _tokens(doc: Doc, start: str | None = None, end: str | None = None) -> list[Token]:
    """The doc's tokens from the first one reading ``start`` up to (not including) ``end``."""
    toks = list(doc)
    if start is not None:
        toks = toks[next(i for i, t in enumerate(toks) if t.text == start) :]
    if end is not None:
        toks = toks[: next(i for i, t in enumerate(toks) if t.text == end)]
    return toks


def deaths(nlp: Language, text: str, start: str | None = None, end: str | None = None) -> int | None:
    return count_casualties(_tokens(_doc(nlp, text), start, end), violent=True).fatalities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twenty-three villagers were killed when armed men attacked the hamlet overnight.", 23),
        ("Forty-two people were killed when missiles struck a railway station.", 42),
        ("Thirty-one insurgents and four soldiers were reported dead after a gun battle.", 35),
        ("Officials said 1,200 civilians had been massacred in the town.", 1200),
    ],
)
def test_hyphenated_and_grouped_numbers(nlp: Language, text: str, expected: int) -> None:
    assert deaths(nlp, text) == expected


def test_number_value_reads_a_whole_hyphenated_token(nlp: Language) -> None:
    doc = _doc(nlp, "twenty-three")
    assert [number_value(t) for t in doc if t.text != "-"][:1] == [23]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A number of soldiers were killed in an exchange of fire, the army said.", 3),
        ("Many people died as rival mobs clashed with machetes, witnesses said.", 10),
        ("A few villagers were killed in the raid, a local official said.", 3),
        ("Dozens of villagers were killed when armed men raided the settlement.", 12),
        ("A couple of soldiers were killed in a firefight with smugglers.", 2),
        ("Gunmen killed a family of five in their home.", 5),
        ("A total of 12 people were killed in the raids.", 12),
        ("The army said sixteen insurgents were neutralised in an operation near Damboa.", 16),
    ],
)
def test_vague_amounts_follow_the_codebook(nlp: Language, text: str, expected: int) -> None:
    assert deaths(nlp, text) == expected


def test_upper_case_number_words_and_datelines(nlp: Language) -> None:
    wire = (
        "ISLAMABAD, 15 OCT -- A BOMB EXPLODED IN A BAZAAR, KILLING ELEVEN PEOPLE AND "
        "WOUNDING 30, OFFICIALS SAID."
    )
    assert deaths(nlp, wire, start="A") == 11
    mogadishu = (
        "MOGADISHU, 6 JUN -- FIFTEEN PEOPLE WERE KILLED WHEN AL-SHABAAB FIGHTERS ATTACKED AN ARMY BASE "
        "IN HIRAN REGION."
    )
    assert deaths(nlp, mogadishu) == 15
    assert deaths(nlp, "TEGUCIGALPA, 17 JAN -- A TRADE UNION LEADER WAS SHOT DEAD OUTSIDE HIS HOME.") == 1
    rival = "KINSHASA, 10 JUL -- REBELS KILLED FOUR CIVILIANS, WHILE A CIVIL SOCIETY GROUP SAID SIX HAD DIED."
    assert deaths(nlp, rival) == 4


def test_conflicting_reports_keep_the_lowest(nlp: Language) -> None:
    text = (
        "Gunmen killed at least 12 people in an attack on a village, police said; other "
        "sources said 20 had died."
    )
    assert deaths(nlp, text) == 12
    text = (
        "The clashes left at least 17 people dead, a security official said, while an "
        "activist said 25 had been killed."
    )
    assert deaths(nlp, text) == 17


def test_a_rival_figure_outside_the_clause_still_counts(nlp: Language) -> None:
    claimed = (
        "The army said five soldiers died in the ambush; a rebel spokesman claimed 40 "
        "troops had been killed."
    )
    assert deaths(nlp, claimed, start="40") == 5
    toll = (
        "Police killed eight demonstrators, the opposition said, though the interior "
        "ministry put the toll at three."
    )
    assert deaths(nlp, toll, end=",") == 3


def test_a_revised_toll_replaces_the_initial_one(nlp: Language) -> None:
    raised = "Police initially said five people had died in the shooting, but later raised the toll to nine."
    assert deaths(nlp, raised, start="five") == 9
    up_from = (
        "At least 15 people were killed in clashes in Port-au-Prince, up from an initial "
        "toll of eight, police said."
    )
    assert deaths(nlp, up_from) == 15
    risen = "The number of demonstrators killed by security forces has risen to 11, the doctors' union said."
    assert deaths(nlp, risen) == 11


def test_the_dead_of_distinct_sides_add_up(nlp: Language) -> None:
    also = (
        "Soldiers repelled an attack on their post, killing eight assailants; three "
        "soldiers also died, the army said."
    )
    assert deaths(nlp, also, end=";") == 11
    both = (
        "Gunmen killed five villagers before local vigilantes killed two of the "
        "attackers, a village head said."
    )
    assert deaths(nlp, both) == 7
    gunman = (
        "A gunman killed three worshippers at a mosque before he was shot dead by "
        "police, officials said."
    )
    assert deaths(nlp, gunman) == 4
    assert deaths(nlp, "Militants killed two soldiers and three civilians in an attack on a market.") == 5
    assert deaths(nlp, "A missile strike killed a man, his wife and their son in their home.") == 3


def test_deaths_told_with_also_come_on_top(nlp: Language) -> None:
    same_side = "Gunmen killed 5 civilians; 3 other civilians also died in the crossfire, police said."
    assert deaths(nlp, same_side) == 8
    next_sentence = "Militants ambushed a convoy, killing 2 soldiers. 3 militants were also killed."
    assert deaths(nlp, next_sentence, end="3") == 5
    elsewhere = "Gunmen killed 4 villagers on Monday. Two soldiers were also killed last week."
    assert deaths(nlp, elsewhere, end="Two") == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The attack left 4 dead near Beni.", 4),  # not the one attack
        ("The raid left at least 6 dead, police said.", 6),  # not the 3 of a toll without figures
        ("The clashes left 12 dead and 30 wounded.", 12),
        ("THE ATTACK LEFT 3 DEAD AND 5 WOUNDED.", 3),
    ],
)
def test_a_figure_on_the_dead_an_event_left(nlp: Language, text: str, expected: int) -> None:
    assert deaths(nlp, text) == expected


def test_a_named_part_is_no_toll(nlp: Language) -> None:
    assert deaths(nlp, "The air strike left seven dead, among them a doctor, hospital staff said.") == 7
    including = (
        "Jets bombed a market on Friday, killing at least 12 people, including five "
        "children, residents said."
    )
    assert deaths(nlp, including) == 12


def test_deaths_told_by_the_clause_governing_the_evidence(nlp: Language) -> None:
    kunar = "Two soldiers were killed and eleven wounded when a roadside bomb hit their convoy in Kunar."
    assert count_casualties(_tokens(_doc(nlp, kunar), start="eleven"), True, 0) == Counts(2, 11)
    assert deaths(nlp, "Many people died as rival mobs clashed with machetes in the area.", start="as") == 10
    wire = "ELEVEN PEOPLE DIED AND 40 WERE WOUNDED WHEN ARTILLERY SHELLS HIT THE MARKET, THE RED CROSS SAID."
    assert deaths(nlp, wire, start="WERE", end=",") == 11
    found = "The body of an activist was found dumped beside a road, two days after he was seized."
    assert deaths(nlp, found, start="two") == 1


def test_a_toll_in_the_next_sentence(nlp: Language) -> None:
    text = (
        "A car bomb exploded outside a busy restaurant on Tuesday. Nine people were "
        "killed and 20 wounded, police said."
    )
    assert deaths(nlp, text, end="Nine") == 9


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen kidnapped five travellers on the highway on Thursday. Kidnappings on the road have killed "
        "dozens of people in the past two years.",
        "Rebels shelled the town of Kiwanja on Monday. The war has killed thousands of people since 2022.",
        "Rebels shelled the town of Kiwanja on Monday. Elsewhere, gunmen killed four farmers.",
        "Rebels shelled the town of Kiwanja on Monday. In Goma, gunmen killed four farmers.",
        "A car bomb destroyed a newspaper office in Bogota. An airliner blew up in midair, killing all 107.",
        "A car bomb destroyed a newspaper office in Bogota. On 27 November, gunmen killed four farmers.",
        "The bombs destroyed 500 houses. Who are you dying for?",
    ],
)
def test_background_or_another_incident_next_is_no_toll(nlp: Language, text: str) -> None:
    assert deaths(nlp, text, end=text.split(". ")[1].split()[0].strip(",")) is None


def test_upper_case_wire_parse_errors(nlp: Language) -> None:
    assert deaths(nlp, "WE KILLED ONE AND WOUNDED FOUR, AND SEIZED A RIFLE AND THREE BACKPACKS.") == 1
    assert deaths(nlp, "WE KILLED THREE AND WOUNDED FIVE, AND TOOK FOUR PRISONERS OF WAR IN THAT AREA.") == 3


def test_victims_named_by_a_pronoun_or_an_idiom(nlp: Language) -> None:
    mob = "An angry crowd set upon two suspected kidnappers in the market and burned them to death."
    assert deaths(nlp, mob) == 2
    assert deaths(nlp, "Thirteen people lost their lives when gunmen attacked a bus carrying pilgrims.") == 13


def test_a_suicide_bomber_who_blew_himself_up_is_a_death(nlp: Language) -> None:
    alone = "A suicide bomber blew himself up prematurely at a checkpoint, wounding two police officers."
    assert count_casualties(list(_doc(nlp, alone)), True, 0) == Counts(1, 2)
    with_toll = "A suicide bomber blew himself up at a checkpoint, killing four soldiers."
    assert deaths(nlp, with_toll) == 4  # the reported toll; the bomber is counted only when the text says so
    assert deaths(nlp, "Two guards and the bomber were killed when a car rammed the hotel gate.") == 3


def test_no_deaths(nlp: Language) -> None:
    arrests = list(_doc(nlp, "Police arrested 25 activists in Harare."))
    assert count_casualties(arrests, False) == Counts(0, None)
    hurt = "Eighteen people were injured when rockets struck a residential area."
    assert count_casualties(list(_doc(nlp, hurt)), True, 0) == Counts(0, 18)
