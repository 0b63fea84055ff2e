"""Casualty counts over the ways news writes them (eventlens.extract.arguments.counts): negated tolls,
deaths and injuries told side by side (never joined into one figure), tolls of groups, noun deaths,
sides added up, casualty sentences after the incident, running totals. Sentences are written for
these tests; the property tests draw the figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventlens.extract.arguments.counts import Counts, count_casualties

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()


def _first_sentence(nlp: Language, text: str) -> list[Token]:
    return list(next(iter(nlp(text).sents)))


def _counts(nlp: Language, text: str) -> Counts:
    return count_casualties(_first_sentence(nlp, text), violent=True)


def _written(n: int) -> str:
    return f"{n:,}"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Gunmen attacked a police checkpoint in Kandahar. No fatalities were reported.",
    "Militants attacked a market in Mosul, but no one was killed.",
    "A bomb exploded near a bus station in Quetta; neither injuries nor fatalities were reported.",
    "A rocket hit an empty school in Sderot, causing no deaths.",
])
def test_a_negated_toll_is_zero_not_the_default(nlp: Language, text: str) -> None:
    assert _counts(nlp, text).fatalities == 0


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Gunmen attacked a village near Bama. Fatalities unknown.", Counts(None, None)),
    ("Gunmen attacked a village near Bama. The death toll was not immediately known.", Counts(None, None)),
    ("Gunmen attacked a village near Bama. The number of casualties is unclear.", Counts(None, None)),
    # deaths told without a number keep the codebook's no-number default
    ("Gunmen attacked a village near Bama, killing an unknown number of people.", Counts(3, None)),
    ("Gunmen killed several villagers near Bama. The exact death toll was not known.", Counts(3, None)),
])
def test_a_toll_told_as_unknown_is_no_report_of_deaths(nlp: Language, text: str, expected: Counts) -> None:
    assert _counts(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("A car bomb exploded in Baghdad, leaving 67 dead and approximately 1,000 wounded.", Counts(67, 1000)),
    ("Militants shot down an airliner over Sinai, killing all 107 passengers and crew.", Counts(107, None)),
    ("A suicide bomber struck a mosque in Kabul; the bomber and five others were killed.", Counts(6, None)),
    ("An airstrike on a village in Idlib caused six deaths.", Counts(6, None)),
    ("Police fatally shot two protesters in Lagos.", Counts(2, None)),
    ("Three soldiers and ten militants were killed in a clash in Borno.", Counts(13, None)),
    ("Bombers kill at least 16 people and wound more than 91 others aboard two buses.", Counts(16, 91)),
    ("Thirteen inmates are killed and two more injured during a prison riot.", Counts(13, 2)),
])
def test_tolls_as_the_text_writes_them(nlp: Language, text: str, expected: Counts) -> None:
    assert _counts(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("Gunmen attacked a village in Zamfara. Two people were killed and eight injured.", Counts(2, 8)),
    ("A roadside bomb hit an army patrol in Helmand. Three soldiers were wounded.", Counts(0, 3)),
    ("Gunmen attacked a bus in Mandera. Elsewhere, four people were injured in a blast.", Counts(None, None)),
])
def test_a_casualty_sentence_after_the_incident_is_its_toll(
    nlp: Language, text: str, expected: Counts
) -> None:
    assert _counts(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "The fighting has killed over 70,000 people since 2012.",
    "Clashes that have killed more than 100 people in a month continued in Tripoli.",
    "The insurgency has killed 3,000 soldiers so far.",
])
def test_running_totals_are_no_event_toll(nlp: Language, text: str) -> None:
    assert _counts(nlp, text).fatalities is None


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_FIGURES = st.integers(min_value=2, max_value=250_000)


@pytest.mark.slow
@given(dead=_FIGURES, hurt=_FIGURES)
@_SETTINGS
def test_deaths_and_injuries_are_never_joined(nlp: Language, dead: int, hurt: int) -> None:
    text = (f"A car bomb exploded in the market, leaving {_written(dead)} dead and approximately "
            f"{_written(hurt)} wounded.")
    assert _counts(nlp, text) == Counts(dead, hurt)


@pytest.mark.slow
@given(dead=_FIGURES, hurt=_FIGURES)
@_SETTINGS
def test_killing_and_wounding(nlp: Language, dead: int, hurt: int) -> None:
    text = (f"Gunmen opened fire on the crowd, killing {_written(dead)} people and wounding "
            f"{_written(hurt)} others.")
    assert _counts(nlp, text) == Counts(dead, hurt)


@pytest.mark.slow
@given(dead=_FIGURES, hurt=_FIGURES, verbs=st.sampled_from((("killed", "injured"), ("killing", "wounding"))))
@_SETTINGS
def test_a_bare_figure_after_the_wounding_verb(
    nlp: Language, dead: int, hurt: int, verbs: tuple[str, str]
) -> None:
    kill, wound = verbs
    text = f"A rocket hit a market in Mogadishu, {kill} {_written(dead)} people and {wound} {_written(hurt)}."
    assert _counts(nlp, text) == Counts(dead, hurt)


@pytest.mark.slow
@given(state=st.sampled_from(_WORDS), rebels=st.integers(min_value=2, max_value=900))
@_SETTINGS
def test_the_sides_of_a_clash_add_up(nlp: Language, state: str, rebels: int) -> None:
    text = f"{state.capitalize()} soldiers and {rebels} militants were killed in the clash."
    assert _counts(nlp, text).fatalities == _WORDS.index(state) + 2 + rebels


@pytest.mark.slow
@given(word=st.sampled_from(("fatalities", "deaths", "casualties", "injuries")))
@_SETTINGS
def test_no_toll_noun_counts_zero(nlp: Language, word: str) -> None:
    counts = _counts(nlp, f"Gunmen attacked the convoy near the border; no {word} were reported.")
    assert counts.fatalities == 0


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    # the comparison after the toll is no second victim ("the deadliest attack" is not one person)
    ("Gunmen killed 12 people in Maiduguri on Monday, the deadliest attack since January 2011.",
     Counts(12, None)),
])
def test_a_comparison_after_the_toll_does_not_replace_it(nlp: Language, text: str, expected: Counts) -> None:
    assert _counts(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "event"), [
    ("Boko Haram has killed 1200 people since the end of 2009, according to the military.", False),
    ("The insurgents have killed 3,000 soldiers since the start of the insurgency.", False),
    # a superlative compares with the past: the killing itself is an event
    ("Gunmen killed 12 people in Maiduguri on Monday, the deadliest attack since 2011.", True),
    # a march against what happened since the war began is news, not a toll
    ("Demonstrators march across France against incidents since the outbreak of the war.", True),
])
def test_a_running_total_since_a_date_is_no_event(text: str, event: bool) -> None:
    from eventlens.extract.arguments.modality import cumulative_toll

    violent = "march" not in text
    assert (cumulative_toll(text, 2012, violent=violent) is None) == event
