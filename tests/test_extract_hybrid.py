"""hybrid.v1: the rule coder plus classifier-only detections and measured relabelling."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

import pytest

from eventlens.config import Settings
from eventlens.extract.classify.classifier import load_classifier
from eventlens.extract.classify.hybrid import V1_POLICY, HybridExtractor, HybridPolicy, merge_label
from eventlens.extract.registry import Prediction, get_extractor
from eventlens.extract.rules.coder import RuleExtractor
from eventlens.model import Article, EventMention, Span, content_id
from eventlens.nlp.parser import ParsedArticle, load_pipeline, parse
from tests.shared_data import seed_path

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.geo import Geocoder

#: a handover no rule cue catches, which the classifier reads as a non-violent transfer
HANDOVER = "The rebels handed the town of Kitchanga over to regional peacekeepers on Friday under the deal."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(Settings().spacy_model)


@pytest.fixture(scope="module")
def hybrid() -> HybridExtractor:
    return HybridExtractor(load_classifier())


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def _parsed(nlp: Language, text: str, published: date | None = None) -> ParsedArticle:
    doc_id = content_id("d", text)
    article = Article(id=f"{doc_id}-a0", doc_id=doc_id, index=0, title=None, text=text, published=published)
    return next(parse(nlp, [article]))


def _spans(m: EventMention) -> list[Span]:
    return [s for s in (m.evidence, m.trigger, m.location_span, m.date_span) if s is not None]


@pytest.mark.slow
def test_registered_factory_builds_the_hybrid() -> None:
    assert isinstance(get_extractor("hybrid.v2", Settings()), HybridExtractor)


@pytest.mark.slow
def test_offsets_point_into_the_article_text(nlp: Language, hybrid: HybridExtractor) -> None:
    text = seed_path().read_text(encoding="utf-8") + "\n\n" + HANDOVER
    parsed = _parsed(nlp, text)
    mentions = hybrid.extract(parsed)
    assert mentions
    for m in mentions:
        for span in _spans(m):
            assert text[span.start : span.end] == span.text
    assert [m.id for m in mentions] == [f"{parsed.article.id}-m{n}" for n in range(len(mentions))]


@pytest.mark.slow
def test_classifier_finds_an_event_the_rules_miss(
    nlp: Language, hybrid: HybridExtractor, rules: RuleExtractor
) -> None:
    parsed = _parsed(nlp, HANDOVER)
    assert rules.extract(parsed) == []
    (mention,) = hybrid.extract(parsed)
    assert mention.coding.sub_event_type == "Non-violent transfer of territory"
    assert mention.coding.event_type == "Strategic developments"
    assert mention.evidence.text == HANDOVER
    assert mention.coding.confidence < 0.8  # classifier-only events rank below rule-backed ones


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The striker scored twice as United beat City 3-1 on Saturday.",
        "The home side attacked relentlessly in the second half but could not find an equaliser.",
        "Shares of the carmaker fell 4 percent after it cut its profit forecast.",
        "Heavy rain flooded several roads in the capital on Tuesday.",
        "The veteran actor died of a heart attack at his home on Monday, his family said.",
        "Four people died in a fire that broke out in a flat; investigators blamed faulty wiring.",
        "Police in the port city arrested eleven people for drug trafficking on Tuesday.",
        "A 45-year-old man was arrested after police found 3 kg of cocaine in his car in Rotterdam.",
        "Real Madrid beat Barcelona 3-1 in a fiery clash at the Bernabeu on Sunday.",
        "A teenager stabbed two classmates at a school in Ohio, police said.",
        "Police arrested a suspect in the murder of a shopkeeper in Leeds.",
        "A tourist is allegedly raped by two men in a hotel in Goa.",
        # the act is only the time or the reason of other news
        "The embassy reopens two weeks after an attack on its guards by gunmen.",
        # ordinary crime: nobody political arrested, no political reason (invented text)
        "Police in Lyon arrest a nurse on suspicion of poisoning four patients at a clinic.",
        # a killing among partners; an industrial blast; a toll right after a disaster (invented texts)
        "A man shoots dead his ex-wife and her new partner in Graz before turning the gun on himself.",
        "A boiler explodes at a textile mill in Gazipur, killing seven workers.",
        "Nine people die in floods in central Vietnam. Four people have been killed in Ha Tinh Province.",
    ],
)
def test_no_event_from_non_political_sentences(nlp: Language, hybrid: HybridExtractor, text: str) -> None:
    assert hybrid.extract(_parsed(nlp, text)) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Police in Harare arrest an opposition lawmaker and six activists ahead of a planned rally.",
        "Security forces detain 14 suspected members of an armed group in raids in Mopti.",
        "Police arrest 40 people after a mob lynched two men accused of witchcraft in Blantyre.",
    ],
)
def test_a_political_arrest_is_an_event(nlp: Language, hybrid: HybridExtractor, text: str) -> None:
    assert "Arrests" in [m.coding.sub_event_type for m in hybrid.extract(_parsed(nlp, text))]


@pytest.mark.slow
def test_a_fire_set_on_purpose_is_no_accident(nlp: Language, hybrid: HybridExtractor) -> None:
    text = "The office of a rights group in Lagos catches fire after a crowd loots it and sets it ablaze."
    assert hybrid.extract(_parsed(nlp, text)) != []


@pytest.mark.slow
def test_the_outbreak_of_a_war_is_no_disease(nlp: Language, hybrid: HybridExtractor) -> None:
    text = ("Over 182,000 demonstrators march in cities across France, protesting the surge in antisemitic "
            "incidents since the outbreak of the war.")
    assert {m.coding.sub_event_type for m in hybrid.extract(_parsed(nlp, text))} == {"Peaceful protest"}
    assert hybrid.extract(_parsed(nlp, "A cholera outbreak killed 20 people in Kano.")) == []


@pytest.mark.slow
def test_a_death_sentence_is_no_attack(nlp: Language, hybrid: HybridExtractor) -> None:
    text = ("A military tribunal in North Kivu, Democratic Republic of Congo, sentences 13 soldiers to death "
            "for charges including murder and looting.")
    assert hybrid.extract(_parsed(nlp, text)) == []


@pytest.mark.slow
def test_an_arrest_after_ordinary_crime_is_no_event(nlp: Language, hybrid: HybridExtractor) -> None:
    text = "A cyclist is run over by a drunk driver in Porto. A 30-year-old man has been arrested."
    assert "Arrests" not in [m.coding.sub_event_type for m in hybrid.extract(_parsed(nlp, text))]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The rebels will hand the town of Kitchanga over to regional peacekeepers next week.",
        "If talks succeed, the rebels could hand the town of Kitchanga over to peacekeepers.",
        '"We handed the town of Kitchanga over to the peacekeepers," the rebel spokesman said.',
    ],
)
def test_no_classifier_only_event_from_plans_conditions_or_quotes(
    nlp: Language, hybrid: HybridExtractor, text: str
) -> None:
    assert hybrid.extract(_parsed(nlp, text)) == []


@pytest.mark.slow
def test_seed_events_unchanged(nlp: Language, hybrid: HybridExtractor) -> None:
    parsed = _parsed(nlp, seed_path().read_text(encoding="utf-8"))
    base = RuleExtractor(hybrid.classifier).extract(parsed)
    got = hybrid.extract(parsed)
    assert Counter((m.coding.sub_event_type, m.evidence.start) for m in got) == Counter(
        (m.coding.sub_event_type, m.evidence.start) for m in base
    )


def test_v1_merge_label_keeps_sharp_rules_and_relabels_weak_ones() -> None:
    policy = V1_POLICY
    sure_protest = Prediction("Protest with intervention", 0.9)
    assert merge_label("Peaceful protest", 0.95, sure_protest, policy) == "Peaceful protest"
    assert merge_label("Peaceful protest", 0.6, sure_protest, policy) == "Protest with intervention"
    assert merge_label("Peaceful protest", 0.6, Prediction("Protest with intervention", 0.4), policy) == (
        "Peaceful protest"
    )


def test_v1_merge_label_needs_more_to_cross_event_types_and_to_veto() -> None:
    policy = V1_POLICY
    assert (
        merge_label("Attack", 0.7, Prediction("Excessive force against protesters", 0.9), policy) == "Attack"
    )
    assert merge_label("Attack", 0.7, Prediction("Armed clash", 0.99), policy) == "Armed clash"
    assert merge_label("Attack", 0.7, Prediction("none", 0.95), policy) is None
    assert merge_label("Attack", 0.7, Prediction("none", 0.6), policy) == "Attack"


def test_v2_merge_label_lets_a_fairly_sure_classifier_name_the_type() -> None:
    policy = HybridPolicy()
    # "explosives planted on a bridge blew up": the rule's Attack cue gives way to the classifier
    assert merge_label("Attack", 0.95, Prediction("Remote explosive/landmine/IED", 0.6), policy) == (
        "Remote explosive/landmine/IED"
    )
    assert merge_label("Attack", 0.7, Prediction("Armed clash", 0.3), policy) == "Attack"
    # a sharp cue naming a well-marked type keeps it
    shelling = Prediction("Shelling/artillery/missile attack", 0.9)
    assert merge_label("Air/drone strike", 0.95, shelling, policy) == "Air/drone strike"
    assert merge_label("Attack", 0.7, Prediction("none", 0.85), policy) is None
    assert merge_label("Attack", 0.7, Prediction("none", 0.5), policy) == "Attack"


@pytest.mark.slow
def test_registry_keeps_the_v1_policy_under_its_name() -> None:
    v1 = get_extractor("hybrid.v1", Settings())
    assert isinstance(v1, HybridExtractor) and v1.policy == V1_POLICY and v1.name == "hybrid.v1"


def test_classifier_threads_share_the_cores_among_workers() -> None:
    import os

    from eventlens.extract.classify.hybrid import classifier_threads

    cores = len(os.sched_getaffinity(0))
    assert classifier_threads(Settings(workers=1)) == min(4, cores)
    assert classifier_threads(Settings(workers=cores)) == 1
    assert classifier_threads(Settings(workers=4 * cores)) == 1


@pytest.mark.slow
def test_an_in_process_pipeline_gives_its_classifier_every_core(
    stub_nlp: Language, stub_geocoder: Geocoder
) -> None:
    """``workers`` counts the coding processes a run starts; a pipeline used in the calling process
    (the Python API, benchmarks) is the only coder, whatever that setting says. Only supervised
    workers and Ray actors, which pass ``coders``, share the cores."""
    from eventlens.config import usable_cores
    from eventlens.pipeline import Pipeline

    cores = usable_cores()
    settings = Settings(workers=4 * cores)

    def threads(pipe: Pipeline) -> int:
        session = pipe.extractor.classifier.classifier._session  # type: ignore[attr-defined]
        return int(session.get_session_options().intra_op_num_threads)

    assert threads(Pipeline(settings, nlp=stub_nlp, geocoder=stub_geocoder)) == min(4, cores)
    assert threads(Pipeline(settings, nlp=stub_nlp, geocoder=stub_geocoder, coders=4 * cores)) == 1


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Officials said that more than 100,000 people were killed as a result of political violence.",
    "About 13,000 people have been killed in Peru since 1980, the committee said.",
    "NEARLY 1,500 PEOPLE WERE KILLED IN CLASHES BETWEEN THE ARMY AND GUERRILLAS IN 1988.",
    "The general said the air force murdered 70,000 Salvadorans.",
])
def test_a_toll_summed_over_a_period_or_a_war_is_no_event(
    nlp: Language, hybrid: HybridExtractor, text: str
) -> None:
    """ACLED codes the events, not a year's or a war's total: such a sentence adds no event (and
    no 100,000 deaths to an analyst's sums)."""
    assert hybrid.extract(_parsed(nlp, text)) == []


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Gunmen killed 12 people in Basra on Monday, police said.",
    "Some 10,000 people marched through Baghdad on Friday and one protester died when police fired.",
    "The government and the rebels signed a peace agreement on Sunday ending a war that killed 300,000.",
    "Gunmen killed 12 people in Basra on 14 May 2024, the deadliest attack in 2024.",
])
def test_a_single_event_with_a_large_crowd_or_a_toll_is_kept(
    nlp: Language, hybrid: HybridExtractor, text: str
) -> None:
    assert hybrid.extract(_parsed(nlp, text, published=date(2024, 5, 15)))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sub"),
    [
        # unorganised sides: mob violence even when the text says "clash" (invented texts)
        ("Clashes erupt between two communities in a village near Jos over land, leaving three dead.",
         "Mob violence"),
        ("Supporters of two rival parties clash in Kisumu, leaving twelve people injured.", "Mob violence"),
        # the news is a release: the abduction is what had happened to them
        ("Two aid workers who were kidnapped in March are freed in Kidal.", "Other"),
        # ground taken with no fight
        ("Rebels take control of the town of Kalehe after government troops withdraw from it.",
         "Non-violent transfer of territory"),
        # the side that gains ground decides the type
        ("The Sudanese Army says it has taken control of the town of Bara from the Rapid Support Forces.",
         "Government regains territory"),
    ],
)
def test_the_codebook_decides_the_type(nlp: Language, hybrid: HybridExtractor, text: str, sub: str) -> None:
    subs = [m.coding.sub_event_type for m in hybrid.extract(_parsed(nlp, text))]
    assert subs[0] == sub and not set(subs) & (CONTESTED_READINGS - {sub})
    if sub in ("Non-violent transfer of territory", "Government regains territory"):
        assert "Non-state actor overtakes territory" not in subs


#: the readings the codebook overrules in those sentences
CONTESTED_READINGS = {"Armed clash", "Abduction/forced disappearance"}


@pytest.mark.slow
def test_a_toll_after_an_act_still_tells_the_act(nlp: Language, hybrid: HybridExtractor) -> None:
    text = "Two people are confirmed dead and 40 injured after a grenade explosion at a rally in Bamako."
    assert [m.coding.sub_event_type for m in hybrid.extract(_parsed(nlp, text))] == ["Grenade"]
