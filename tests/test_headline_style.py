"""News told in the present tense (headlines, news summaries) is coded as told events; in a
past-tense article a present-tense clause stays a generalisation. Texts invented for the test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from eventlens.config import Settings
from eventlens.coref import merge_within_article
from eventlens.extract import get_extractor
from eventlens.extract.arguments.modality import historical_present
from eventlens.model import Article, Event
from eventlens.nlp import parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.extract.registry import Extractor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hybrid() -> Extractor:
    return get_extractor("hybrid.v2", Settings())


def _events(nlp: Language, extractor: Extractor, text: str) -> list[Event]:
    article = Article(id="hl-a0", doc_id="hl", index=0, title=None, text=text)
    return merge_within_article(extractor.extract(next(parse(nlp, [article]))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A car bomb kills 12 people in Baghdad.", True),
        ("Five soldiers are killed in an ambush near Gao. The government says it will respond.", True),
        ("Rebels killed five soldiers near Gao on Monday. The group attacks convoys in the region.", False),
        ("Police said they arrested two men. The suspects face charges.", False),
        # as many present as past sentences, the lead in the present: a summary's details in the past
        ("The Taliban kill 40 people in three attacks in Ghazni. Twelve others were injured.", True),
        # the small model tags "withdraws" as a plural noun after a long subject
        ("The Malian military withdraws from the town of Anefis towards Kidal Region.", True),
        # a topic before a colon is the parse's root: the clause after it has the tense
        ("Sahel insurgency: Four soldiers are shot dead near Gao after a patrol is ambushed.", True),
        # an infinitive at the end parsed as the root ("... for Netanyahu to step down")
        ("Israeli protesters march and block highways across Israel, calling for a ceasefire and for Prime "
         "Minister Benjamin Netanyahu to step down.", True),
    ],
)
def test_historical_present_is_the_texts_majority_tense(nlp: Language, text: str, expected: bool) -> None:
    assert historical_present(nlp(text)) is expected


def test_a_present_tense_news_summary_is_an_event(nlp: Language, hybrid: Extractor) -> None:
    events = _events(nlp, hybrid, "A car bomb kills 12 people in a market in Baghdad.")
    assert [e.coding.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]
    assert events[0].coding.fatalities == 12


def test_a_present_passive_toll_in_a_summary_is_an_event(nlp: Language, hybrid: Extractor) -> None:
    events = _events(nlp, hybrid, "Seven people are killed in a suicide bombing at a mosque in Peshawar.")
    assert [e.coding.sub_event_type for e in events] == ["Suicide bomb"]


def test_a_generalisation_in_a_past_tense_article_stays_no_event(nlp: Language, hybrid: Extractor) -> None:
    text = (
        "Rebels killed five soldiers near Gao on Monday, the army said. "
        "In the dry season the group often attacks convoys on the desert roads."
    )
    events = _events(nlp, hybrid, text)
    assert len(events) == 1
    assert events[0].coding.fatalities == 5


def test_a_background_phrase_in_a_later_clause_leaves_the_event(nlp: Language, hybrid: Extractor) -> None:
    text = ("Myanmar launches air strikes against rebels in the Kokang area as dozens of soldiers have been "
            "killed in fighting in recent weeks.")
    assert "Air/drone strike" in [e.coding.sub_event_type for e in _events(nlp, hybrid, text)]


def test_a_crowd_storming_a_building_is_not_weather(nlp: Language, hybrid: Extractor) -> None:
    text = "A deputy imam is killed and another is injured when Hindus storm a mosque in Gurgaon, India."
    assert _events(nlp, hybrid, text)
    assert not _events(nlp, hybrid, "A storm killed five people and flattened homes in Dhaka.")


def test_a_present_act_the_tagger_read_as_a_noun_is_still_told(nlp: Language, hybrid: Extractor) -> None:
    text = "The Malian military withdraws from the town of Anefis towards Kidal Region."
    assert nlp(text)[3].tag_ == "NNS"  # the parse this test is about
    events = _events(nlp, hybrid, text)
    assert [e.coding.event_type for e in events] == ["Strategic developments"]


def test_a_topic_before_a_colon_does_not_hide_the_told_act(nlp: Language, hybrid: Extractor) -> None:
    text = "Sahel insurgency: Four soldiers are shot dead near Gao after a patrol is ambushed."
    events = _events(nlp, hybrid, text)
    assert [e.coding.event_type for e in events] == ["Battles"]
    assert events[0].coding.fatalities == 4
