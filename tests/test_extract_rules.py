"""rules.v1 end to end on the real spaCy model: the seed acceptance target, offsets, ids, registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.config import Settings
from eventlens.coref.within_article import merge_within_article
from eventlens.extract.registry import Prediction, get_extractor
from eventlens.extract.rules.coder import RuleExtractor, combine_with_classifier
from eventlens.extract.rules.decide import GroupDecision
from eventlens.model import ACLED_TYPES, PLOVER_TYPES, Article, Event, EventMention, Modality
from eventlens.nlp.parser import ParsedArticle, parse
from tests.seed_articles import seed_articles
from tests.shared_data import seed_path

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.slow

#: (phrase in the evidence, event_type, sub_event_type, fatalities or None for "not checked")
SEED_EXPECTED = [
    ("Reham Yacoub", "Violence against civilians", "Attack", 1),
    ("Tahseen Oussama", "Violence against civilians", "Attack", 1),
    ("four others were shot at", "Violence against civilians", "Attack", 0),
    ("anti-government protests in Basra", "Protests", "Peaceful protest", 0),
    ("Husham al-Hashemi", "Violence against civilians", "Attack", 1),
    ("arrested 14 fighters", "Strategic developments", "Arrests", 0),
    ("joint statement", "Strategic developments", "Agreement", None),
]


@pytest.fixture(scope="module")
def seed_parsed(nlp: Language) -> list[ParsedArticle]:
    return list(parse(nlp, seed_articles()))


@pytest.fixture(scope="module")
def seed_mentions(seed_parsed: list[ParsedArticle]) -> list[list[EventMention]]:
    extractor = RuleExtractor()
    return [extractor.extract(p) for p in seed_parsed]


@pytest.fixture(scope="module")
def seed_events(seed_mentions: list[list[EventMention]]) -> list[Event]:
    return [e for ms in seed_mentions for e in merge_within_article(ms)]


def _evidence(event: Event) -> str:
    return " | ".join(m.evidence.text for m in event.mentions)


@pytest.mark.parametrize(("phrase", "event_type", "sub", "fatalities"), SEED_EXPECTED)
def test_seed_event_found(
    seed_events: list[Event], phrase: str, event_type: str, sub: str, fatalities: int | None
) -> None:
    found = [e for e in seed_events if phrase in e.mentions[0].evidence.text]
    assert len(found) == 1, [(e.coding.sub_event_type, _evidence(e)) for e in seed_events]
    coding = found[0].coding
    assert (coding.event_type, coding.sub_event_type) == (event_type, sub)
    assert coding.modality in (Modality.ASSERTED, Modality.CLAIMED)
    if fatalities is not None:
        assert coding.fatalities == fatalities


def test_seed_through_clean_segment(nlp: Language, seed_events: list[Event]) -> None:
    """The same events when the seed is cut by clean.segment instead of by hand."""
    from eventlens.clean.articles import segment
    from eventlens.ingest import document_from_text

    seed = seed_path()
    doc = document_from_text(seed.read_text(encoding="utf-8"), source=seed.name, fmt="txt")
    extractor = RuleExtractor()
    events = [e for p in parse(nlp, segment(doc)) for e in merge_within_article(extractor.extract(p))]
    got = sorted((e.coding.sub_event_type, e.coding.fatalities) for e in events)
    assert got == sorted((e.coding.sub_event_type, e.coding.fatalities) for e in seed_events)


def test_seed_has_no_extra_or_duplicate_events(seed_events: list[Event]) -> None:
    matched = {
        id(e) for phrase, *_ in SEED_EXPECTED for e in seed_events if phrase in e.mentions[0].evidence.text
    }
    extras = [e for e in seed_events if id(e) not in matched]
    assert len(extras) <= 2, [(e.coding.sub_event_type, _evidence(e)) for e in extras]
    assert all(e.coding.confidence < 0.5 for e in extras)


def test_seed_remention_joins_the_first_telling(seed_events: list[Event]) -> None:
    yacoub = next(e for e in seed_events if "Reham Yacoub" in e.mentions[0].evidence.text)
    texts = [m.evidence.text for m in yacoub.mentions]
    assert any("Yacoub and Oussama were killed" in t for t in texts)
    hashemi = next(e for e in seed_events if "Husham al-Hashemi" in e.mentions[0].evidence.text)
    assert any("Hashemi's killing" in m.evidence.text for m in hashemi.mentions)


def test_seed_planned_withdrawal_is_not_violence(seed_events: list[Event]) -> None:
    second = [e for e in seed_events if e.mentions[0].article_id.endswith("a1")]
    assert [e.coding.sub_event_type for e in second] == ["Agreement"]


def test_seed_places_and_dates(seed_events: list[Event]) -> None:
    by_phrase = {
        p: next(e for e in seed_events if p in e.mentions[0].evidence.text) for p, *_ in SEED_EXPECTED
    }
    assert by_phrase["Reham Yacoub"].coding.location_text == "Basra"
    assert by_phrase["Reham Yacoub"].coding.date_text == "Wednesday"
    assert by_phrase["Tahseen Oussama"].coding.date_text == "Aug. 14"
    assert by_phrase["Husham al-Hashemi"].coding.location_text == "Baghdad"
    assert by_phrase["Husham al-Hashemi"].coding.date_text == "July"
    assert by_phrase["arrested 14 fighters"].coding.actor1 is not None
    assert by_phrase["arrested 14 fighters"].coding.actor1.name.startswith("Military Forces of Iraq")


def test_mentions_are_well_formed(
    seed_parsed: list[ParsedArticle], seed_mentions: list[list[EventMention]]
) -> None:
    for parsed, mentions in zip(seed_parsed, seed_mentions, strict=True):
        text = parsed.article.text
        assert [m.id for m in mentions] == [f"{parsed.article.id}-m{n}" for n in range(len(mentions))]
        for m in mentions:
            for span in (m.evidence, m.trigger, m.location_span, m.date_span):
                if span is not None:
                    assert text[span.start : span.end] == span.text
            sentence = parsed.sentences[m.sentence_index]
            assert m.trigger is not None
            assert sentence.start <= m.trigger.start < sentence.end
            assert m.coding.sub_event_type in ACLED_TYPES[m.coding.event_type]
            assert m.coding.plover_event in PLOVER_TYPES
            assert 0.0 <= m.coding.confidence <= 1.0


def test_registry_builds_rules_v1() -> None:
    extractor = get_extractor("rules.v1", Settings())
    assert extractor.name == "rules.v1"
    assert isinstance(extractor, RuleExtractor)
    assert extractor.classifier is None


def _one(
    nlp: Language, extractor: RuleExtractor, text: str, published: date | None = None
) -> list[EventMention]:
    article = Article(id="dx-a0", doc_id="dx", index=0, title=None, text=text, published=published)
    return extractor.extract(next(parse(nlp, [article])))


@pytest.mark.parametrize(
    ("published", "period"),
    [(date(2024, 11, 30), "2000-2024"), (date(2024, 12, 20), "2024-"), (None, "2024-")],
)
def test_state_forces_are_named_for_the_era_of_the_publication_date(
    nlp: Language, published: date | None, period: str
) -> None:
    """Syria's government changed on 8 December 2024: a year alone would name the wrong era."""
    text = "Syrian government forces shelled the town of Sarmin in Idlib province, killing four civilians."
    (event,) = merge_within_article(_one(nlp, RuleExtractor(), text, published))
    assert event.coding.actor1 is not None
    assert event.coding.actor1.name == f"Military Forces of Syria ({period})"


class _FakeClassifier:
    def __init__(self, label: str, probability: float) -> None:
        self.answer = Prediction(label, probability)
        self.seen: list[str] = []

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        self.seen.extend(texts)
        return [self.answer for _ in texts]


def test_classifier_consulted_only_for_weak_cues(nlp: Language) -> None:
    fake = _FakeClassifier("none", 0.95)
    extractor = RuleExtractor(classifier=fake)
    sharp = _one(nlp, extractor, "A roadside bomb killed two soldiers near Mosul on Monday.")
    assert [m.coding.sub_event_type for m in sharp] == ["Remote explosive/landmine/IED"]
    weak = _one(nlp, extractor, "Gunmen killed a shopkeeper in Mosul on Monday.")
    assert weak == []
    assert fake.seen == ["Gunmen killed a shopkeeper in Mosul on Monday."]


def test_classifier_can_relabel_weak_cues(nlp: Language) -> None:
    extractor = RuleExtractor(classifier=_FakeClassifier("Armed clash", 0.9))
    got = _one(nlp, extractor, "Gunmen killed three men in Mosul on Monday.")
    assert [m.coding.sub_event_type for m in got] == ["Armed clash"]


def test_modalities_and_confidence_order(nlp: Language) -> None:
    extractor = RuleExtractor(emit_planned=True)
    planned = _one(nlp, extractor, "Iraqi troops will withdraw from Mosul by September.")
    assert [m.coding.modality for m in planned] == [Modality.PLANNED]
    asserted = _one(nlp, extractor, "Iraqi troops withdrew from Mosul on Monday.")
    assert [m.coding.modality for m in asserted] == [Modality.ASSERTED]
    assert planned[0].coding.confidence < asserted[0].coding.confidence
    assert _one(nlp, RuleExtractor(), "Iraqi troops will withdraw from Mosul by September.") == []
    assert _one(nlp, extractor, "Iraqi troops could withdraw from Mosul if talks fail.") == []


@pytest.mark.parametrize(("text", "agent"), [
    ("Police said a bomb exploded at a crowded market in Quetta, killing five people.", None),
    ("A bomb claimed by al-Shabaab exploded at a market in Mogadishu, killing five people.", "al-Shabaab"),
])
def test_the_source_of_a_report_is_not_its_agent(nlp: Language, text: str, agent: str | None) -> None:
    (got,) = _one(nlp, RuleExtractor(), text)
    actor1 = got.coding.actor1
    assert (actor1 is None or "Police" not in actor1.name) and (agent is None or agent in str(actor1))


@pytest.mark.parametrize(("text", "sub", "actor2"), [
    ("Assailants opened fire on a checkpoint in Baqubah, Diyala, Iraq.", "Armed clash", "Military Forces"),
    ("Gunmen opened fire on a police checkpoint in Baqubah.", "Armed clash", "Police Forces"),
    ("Soldiers opened fire at a checkpoint in Hebron, killing two civilians.", "Attack", "Civilians"),
])
def test_an_assault_on_security_forces_is_a_battle(nlp: Language, text: str, sub: str, actor2: str) -> None:
    (got,) = _one(nlp, RuleExtractor(), text)
    assert got.coding.sub_event_type == sub
    assert got.coding.actor2 is not None and got.coding.actor2.name.startswith(actor2)


@pytest.mark.parametrize(("text", "sides"), [
    ("Taliban fighters and Afghan soldiers clashed in Helmand.", ("Taliban", "Military Forces")),
    ("Government troops and rebels fought in Ndele.", ("Military Forces", "Unidentified Armed Group")),
])
def test_both_sides_of_a_clash_told_as_one_subject(nlp: Language, text: str, sides: tuple[str, str]) -> None:
    (got,) = _one(nlp, RuleExtractor(), text)
    a1, a2 = got.coding.actor1, got.coding.actor2
    assert a1 is not None and a2 is not None
    assert (a1.name.startswith(sides[0]), a2.name.startswith(sides[1])) == (True, True)


def test_real_world_actor_dictionary(nlp: Language) -> None:
    extractor = RuleExtractor()
    got = _one(
        nlp, extractor, "Boko Haram fighters abducted 20 students from a school in Borno, Nigeria, on Friday."
    )
    assert len(got) == 1
    coding = got[0].coding
    assert coding.sub_event_type == "Abduction/forced disappearance"
    assert coding.actor1 is not None
    assert coding.actor1.name.startswith("Boko Haram")
    assert coding.assoc_actor_2 == "Students (Nigeria)"


def test_combine_with_classifier_rules() -> None:
    assert combine_with_classifier(None, None) is None
    assert combine_with_classifier(None, Prediction("Attack", 0.5)) is None
    decided = combine_with_classifier(None, Prediction("Attack", 0.9))
    assert decided is not None
    assert decided.sub_event_type == "Attack"



def test_a_weak_rule_label_moves_within_its_type_or_between_attack_and_clash() -> None:
    weak = GroupDecision("Attack", None, None, 0.6, False)
    relabelled = combine_with_classifier(weak, Prediction("Armed clash", 0.6))
    assert relabelled is not None and relabelled.sub_event_type == "Armed clash"
    kept = combine_with_classifier(weak, Prediction("Peaceful protest", 0.99))
    assert kept is not None and kept.sub_event_type == "Attack" and kept.confidence < 0.6
    assert combine_with_classifier(weak, Prediction("none", 0.85)) is None
    sharp = GroupDecision("Attack", None, None, 0.9, True)
    held = combine_with_classifier(sharp, Prediction("none", 0.99))
    assert held is not None and held.sub_event_type == "Attack"

_FRAGMENTS = [
    "Gunmen shot dead a journalist in Mosul on Monday.",
    "Protesters rallied in Basra on Friday.",
    "The army said it had killed 15 militants near Kirkuk.",
    "Her killing shocked the city.",
    "Police arrested 12 people in Baghdad on Sunday, officials said.",
    "“The attack was cowardly,” the minister said.",
    "The two sides signed a ceasefire agreement in Erbil on Tuesday.",
    "Analysts say militias often kill activists.",
    "A roadside bomb wounded three soldiers outside Fallujah.",
    "Iraqi troops will withdraw from Anbar by September.",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=6), st.sampled_from([" ", "\n\n", "  \n"]))
@settings(max_examples=25, deadline=None)
def test_offsets_and_ids_hold_for_any_article(nlp: Language, parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    mentions = _one(nlp, RuleExtractor(), text)
    assert [m.id for m in mentions] == [f"dx-a0-m{n}" for n in range(len(mentions))]
    assert [m.evidence.start for m in mentions] == sorted(m.evidence.start for m in mentions)
    for m in mentions:
        for span in (m.evidence, m.trigger, m.location_span, m.date_span):
            if span is not None:
                assert text[span.start : span.end] == span.text
        assert m.trigger is not None
        assert m.evidence.start <= m.trigger.start and m.trigger.end <= m.evidence.end
    events = merge_within_article(mentions)
    assert sum(len(e.mentions) for e in events) <= len(mentions)
    assert len({e.id for e in events}) == len(events)


def test_seed_with_the_shipped_classifier(seed_parsed: list[ParsedArticle]) -> None:
    """Rules + the trained classifier (when it is installed) still find the seed's events."""
    from eventlens.extract.classify.classifier import DEFAULT_MODEL_DIR, load_classifier

    if not (DEFAULT_MODEL_DIR / "model.onnx").is_file():
        pytest.skip("no shipped sub-event classifier in this checkout")
    extractor = RuleExtractor(classifier=load_classifier())
    events = [e for p in seed_parsed for e in merge_within_article(extractor.extract(p))]
    for phrase, event_type, sub, _ in SEED_EXPECTED:
        found = [e for e in events if phrase in e.mentions[0].evidence.text]
        assert [(e.coding.event_type, e.coding.sub_event_type) for e in found] == [(event_type, sub)]


@pytest.mark.parametrize(
    ("text", "sub", "actor1", "actor2", "country_of_actor2"),
    [
        (
            "An Israeli air strike killed 12 Palestinians in Gaza City on Sunday.",
            "Air/drone strike",
            "Military Forces of Israel",
            "Civilians (Palestine)",
            None,
        ),
        (
            "Al-Shabaab militants stormed a hotel in Mogadishu on Friday, killing at least 20 people.",
            "Attack",
            "Al Shabaab",
            "Civilians (Somalia)",
            None,
        ),
        (
            "Russian forces shelled Kharkiv overnight, wounding 11 civilians, Ukrainian officials said.",
            "Shelling/artillery/missile attack",
            "Military Forces of Russia",
            "Civilians (Ukraine)",
            None,
        ),
    ],
)
def test_real_world_country_context(
    nlp: Language, text: str, sub: str, actor1: str, actor2: str, country_of_actor2: str | None
) -> None:
    """Cities name the country when the text names none (Mogadishu -> Somalia); foreign forces are inter 8."""
    (event,) = merge_within_article(_one(nlp, RuleExtractor(), text))
    coding = event.coding
    assert coding.sub_event_type == sub
    assert coding.actor1 is not None and coding.actor1.name.startswith(actor1)
    assert coding.actor2 is not None and coding.actor2.name == actor2
    if actor1.startswith("Military Forces"):
        assert coding.actor1.inter == 8


@pytest.mark.parametrize(
    ("text", "sub", "actor1"),
    [
        (
            "On 9 July 2020, militants attacked a military post near Djibo, killing four soldiers.",
            "Armed clash",
            "Unidentified Armed Group",
        ),
        (
            "On 14 May 2023, Israeli forces demolished two houses in the village of Beita near Nablus.",
            "Looting/property destruction",
            "Military Forces of Israel",
        ),
        (
            "On 20 August 2022, security forces fired live ammunition at protesters in Khartoum, "
            "killing two.",
            "Excessive force against protesters",
            "Protesters (Sudan)",
        ),
        (
            "On 2 February 2024, police dispersed a demonstration by teachers in Lagos using tear gas.",
            "Protest with intervention",
            "Protesters (Nigeria)",
        ),
        (
            "On 25 October 2023, the Nigerian army arrested 12 suspected members of ISWAP in Borno state.",
            "Arrests",
            "Military Forces of Nigeria",
        ),
        (
            "On 4 April 2024, Sudanese Armed Forces regained control of Omdurman from the RSF.",
            "Government regains territory",
            "Military Forces of Sudan",
        ),
        (
            "On 16 August 2021, the Taliban took control of Kabul.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        (
            "On 21 July 2023, military forces seized a weapons cache in Diffa region.",
            "Disrupted weapons use",
            "Military Forces of Niger",
        ),
        ("On 7 November 2021, a mob beat a suspected thief to death in Goma.", "Mob violence", "Rioters"),
    ],
)
def test_event_description_phrasings(nlp: Language, text: str, sub: str, actor1: str) -> None:
    """Short event descriptions in the style analysts write them (our own wording)."""
    (event,) = merge_within_article(_one(nlp, RuleExtractor(), text))
    assert event.coding.sub_event_type == sub
    assert event.coding.actor1 is not None
    assert event.coding.actor1.name.startswith(actor1)
    assert event.coding.date_text is not None


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # the article's one named group, sentences after the act: the coder reading the story records it
        ("The Baloch Liberation Army said it carried out the attack.", "BLA: Balochistan Liberation Army"),
        # named more often than any other group (the Taliban deny a part)
        ("The Baloch Liberation Army claimed the attack. The Taliban denied any link. "
         "Baloch Liberation Army fighters still hold hostages.", "BLA: Balochistan Liberation Army"),
        # two groups named as often: nobody is guessed
        ("The Baloch Liberation Army and the Pakistani Taliban both claimed it.", None),
        # a group that disowns the attack is not its doer
        ("The Baloch Liberation Army denied responsibility.", None),
        ("The Baloch Liberation Army denied responsibility. A spokesman for the Baloch Liberation Army said "
         "it was not involved.", None),
    ],
)
def test_an_unattributed_attack_takes_the_group_the_article_names(
    nlp: Language, later: str, expected: str | None
) -> None:
    text = "Gunmen attacked a passenger train near Sibi in Balochistan on Tuesday, killing 21 people. "
    text += later
    (event, *_) = merge_within_article(_one(nlp, RuleExtractor(), text, date(2025, 3, 12)))
    actor1 = event.coding.actor1.name if event.coding.actor1 else None
    assert actor1 == expected or (expected is None and (actor1 is None or actor1.startswith("Unidentified")))


def test_an_air_strike_with_no_named_striker_is_not_given_to_the_articles_group(nlp: Language) -> None:
    text = ("An air strike hit a hideout near Hawija on Monday, killing 12 people. "
            "Islamic State fighters had used the hideout for months. "
            "Islamic State claimed a bombing in Kirkuk last week.")
    events = merge_within_article(_one(nlp, RuleExtractor(), text, date(2024, 6, 4)))
    strikes = [e for e in events if e.coding.sub_event_type == "Air/drone strike"]
    assert strikes
    assert all(e.coding.actor1 is None or not e.coding.actor1.name.startswith("Islamic State")
               for e in strikes)


@pytest.mark.parametrize(
    ("text", "actor1", "actor2"),
    [
        # who detonates decides: armed men did it; a vehicle or a patrol ran onto it
        ("Assailants detonated an explosive device near a bus in Quetta, killing 14 people.",
         "Unidentified Armed Group", "Civilians"),
        ("An army vehicle triggered a landmine near Quetta, killing two soldiers.", None, "Military Forces"),
    ],
)
def test_the_subject_of_a_detonation_is_the_bomber_only_when_armed(
    nlp: Language, text: str, actor1: str | None, actor2: str
) -> None:
    (mention,) = _one(nlp, RuleExtractor(), text, date(2013, 6, 22))
    assert mention.coding.sub_event_type == "Remote explosive/landmine/IED"
    found = mention.coding.actor1.name if mention.coding.actor1 else None
    assert found == actor1 or (actor1 is not None and found is not None and found.startswith(actor1))
    assert mention.coding.actor2 is not None and mention.coding.actor2.name.startswith(actor2)


def test_a_leading_date_is_no_side_of_a_clash(nlp: Language) -> None:
    # "On 3 January 2020" is a prepositional phrase on the verb, like "clashed with X": not the enemy
    text = "On 3 January 2020, security forces clashed with JNIM militants near Djibo."
    (mention,) = _one(nlp, RuleExtractor(), text, date(2020, 1, 4))
    assert mention.coding.actor2 is not None and mention.coding.actor2.name.startswith("JNIM")


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # a protest banned, cancelled or called off did not take place
        ("Sri Lankan authorities banned all public gatherings and protests on Monday.", 0),
        ("Organisers called off the march after police warnings.", 0),
        ("The opposition cancelled Friday's protest in Dakar.", 0),
        ("Police banned the rally, but thousands protested anyway in Colombo.", 1),
        # "in protest" as the motive of another act is no protest; as the motive of a crowd's act it is
        ("Two advisers announced their resignations in protest of the failure to prevent looting.", 0),
        ("Hundreds of people massed in front of the consulate in Istanbul in protest of police actions.", 1),
    ],
)
def test_a_stopped_protest_is_no_event(nlp: Language, text: str, events: int) -> None:
    mentions = _one(nlp, RuleExtractor(), text, date(2021, 7, 7))
    found = [m for m in mentions if m.coding.modality == Modality.ASSERTED]
    assert len(found) == events


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Al-Qaida in the Islamic Maghreb", "AQIM: Al Qaeda in the Islamic Maghreb"),
        ("al-Qa'ida in the Arabian Peninsula", "Al Qaeda in the Arabian Peninsula"),
        ("Al-Shabab", "Al Shabaab"),
        ("al Shabaab", "Al Shabaab"),
        ("Kataib Hezbollah", "Kata'ib Hizballah"),
    ],
)
def test_a_named_group_is_found_however_its_name_is_spelled(spelling: str, name: str) -> None:
    from eventlens.extract.arguments.actors import ActorResolver
    from eventlens.extract.arguments.countries import CountryContext
    from eventlens.geo.countries import load_country_table

    resolver = ActorResolver(load_country_table())
    text = f"The attack was claimed by {spelling} on Monday."
    found = resolver.named_group(text, CountryContext("Mali", None))
    assert found is not None and found.name == name
    ((actor, weight),) = resolver.named_groups(text, CountryContext("Mali", None))
    assert (actor.surface, weight) == (spelling, 2)  # the words as written, in an attributing sentence


def test_a_post_taken_is_no_civilian_side(nlp: Language) -> None:
    text = "Taliban fighters overran an ANA outpost in Ghazni."
    (mention,) = _one(nlp, RuleExtractor(), text, date(2019, 5, 2))
    assert mention.coding.sub_event_type == "Non-state actor overtakes territory"
    assert mention.coding.actor2 is not None and mention.coding.actor2.name.startswith("Military Forces")


def test_hacked_to_death_with_words_between_is_a_killing(nlp: Language) -> None:
    text = "ADF militants armed with machetes hacked at least 16 civilians to death near Beni."
    (mention,) = _one(nlp, RuleExtractor(), text, date(2020, 3, 2))
    assert (mention.coding.sub_event_type, mention.coding.fatalities) == ("Attack", 16)
