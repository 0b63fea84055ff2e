"""Dedup units: near-duplicate articles, match gates and scores, canonical figures, B-cubed."""

from __future__ import annotations

import functools
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.dedup import (
    ArticleDeduper,
    DatedMention,
    candidate_from,
    canonical_coding,
    score_match,
)
from eventlens.dedup.articles import signature_from_bytes, signature_to_bytes
from eventlens.dedup.same_event import MERGE_THRESHOLD, evidence_tokens
from eventlens.evaluation.bcubed import bcubed
from eventlens.model import Actor, Article, Document, Event, EventCoding, Modality, Place
from eventlens.store import open_store
from tests.store_testkit import load_corpus, make_coding, make_doc, make_event

WIRE = (
    "Heavy rain flooded the low-lying districts of the capital overnight, forcing hundreds of families "
    "from their homes, officials said on Thursday. Rescue teams used boats to reach people trapped on "
    "rooftops, and the city council opened three schools as temporary shelters for the displaced."
)
GOMA = Place("Goma", "Democratic Republic of Congo", "COD", "North Kivu", None, -1.68, 29.22, 1)


def test_reprint_is_found_and_distinct_text_is_not() -> None:
    dd = ArticleDeduper()
    assert dd.check("a", WIRE)[1] is None
    _, match = dd.check(
        "b", "PARIS (Wire) - " + WIRE.replace("three schools", "four schools") + " More follows."
    )
    assert match is not None and match.canonical_id == "a" and match.similarity >= 0.6
    _, again = dd.check("c", WIRE + " Copyright reserved.")
    assert again is not None and again.canonical_id == "a"  # reprint of a reprint: same canonical
    assert (
        dd.check("d", "Parliament passed the budget after a long debate about taxes on fuel and food.")[1]
        is None
    )
    assert dd.signature("too short to judge") is None


def test_signature_survives_bytes() -> None:
    sig = ArticleDeduper().signature(WIRE)
    assert sig is not None
    assert (signature_from_bytes(signature_to_bytes(sig)) == sig).all()


def _coding(**kw: object) -> EventCoding:
    base: dict[str, object] = dict(
        event_date=date(2024, 2, 1),
        place=GOMA,
        time_precision=1,
        actor1=Actor("M23", 2),
        actor2=Actor("Civilians (Democratic Republic of Congo)", 7),
    )
    base.update(kw)
    return make_coding("Attack", **base)  # type: ignore[arg-type]


def _score(
    a: EventCoding, b: EventCoding, text: str = "rebels killed villagers", other: str = ""
) -> float | None:
    s = score_match(a, evidence_tokens([text]), candidate_from("e", b, [other or text], ["x"]))
    return None if s is None else s.total


def test_gates_and_scores() -> None:
    same = _score(_coding(), _coding())
    assert same is not None and same > 0.9
    kinshasa = Place("Kinshasa", "Democratic Republic of Congo", "COD", "Kinshasa", None, -4.32, 15.31, 1)
    assert _score(_coding(), _coding(place=kinshasa)) is None  # 1,600 km apart
    rwanda = Place("Gisenyi", "Rwanda", "RWA", "Western", None, -1.70, 29.26, 1)
    assert _score(_coding(), _coding(place=rwanda)) is None  # another country, however close
    next_day = _coding(event_date=date(2024, 2, 2))
    assert _score(_coding(), next_day, other="gunmen burned a market") is None  # day-precise, next day
    assert _score(_coding(), next_day) is not None  # ... unless the wording is near-identical
    week = _score(_coding(), _coding(event_date=date(2024, 2, 4), time_precision=2))
    assert week is not None  # "last week" covers the day
    assert (
        _score(_coding(), make_coding("Peaceful protest", date(2024, 2, 1), GOMA)) is None
    )  # unrelated types


def test_undated_reports_must_share_their_words() -> None:
    """With no date, type, place and generic actors would join every attack in a city."""
    gunmen = Actor("Unidentified Armed Group (Democratic Republic of Congo)", 3)
    a, b = _coding(event_date=None, actor1=gunmen), _coding(event_date=None, actor1=gunmen)
    shot = "a shopkeeper was shot dead in the market"
    assert _score(a, b, shot, "two soldiers were killed at a checkpoint") is None
    same = _score(a, b, shot, "the shopkeeper shot dead in the market")
    assert same is not None and same >= MERGE_THRESHOLD


def test_canonical_fatalities_are_the_latest_conservative_well_sourced_figure() -> None:
    _doc, art = make_doc("Early: 10 dead. Others: 8 dead. Later: 14 dead. Claim: 300 dead.")

    def dm(text: str, n: int, day: int, modality: Modality = Modality.ASSERTED) -> DatedMention:
        ev = make_event(art, [text], _coding(fatalities=n, modality=modality, confidence=0.8))
        return DatedMention(ev.mentions[0], date(2024, 2, day), day)

    early, other, later = (
        dm("Early: 10 dead.", 10, 1),
        dm("Others: 8 dead.", 8, 1),
        dm("Later: 14 dead.", 14, 4),
    )
    claim = dm("Claim: 300 dead.", 300, 5, Modality.CLAIMED)
    assert canonical_coding([early, other]).fatalities == 8  # same day: most conservative
    assert canonical_coding([early, other, later]).fatalities == 14  # revised as reports come in
    assert canonical_coding([early, later, claim]).fatalities == 14  # a claim is not well sourced
    assert canonical_coding([claim]).fatalities == 300  # ... unless it is all there is
    with pytest.raises(ValueError):
        canonical_coding([])


def test_bcubed_known_values() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    perfect = bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, gold)
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.records_per_event) == (1, 1, 1, 1)
    lumped = bcubed({k: "x" for k in gold}, gold)
    assert (lumped.precision, lumped.recall) == (0.5, 1.0)
    split = bcubed({k: k for k in gold}, gold)
    assert (split.precision, split.recall, split.records_per_event) == (1.0, 0.5, 2.0)
    with pytest.raises(ValueError):
        bcubed({"a": 1}, gold)


def test_incremental_runs_in_new_processes_match_one_run(tmp_path: Path) -> None:
    corpus = load_corpus()
    half = len(corpus) // 2
    with open_store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        for r in corpus:
            one.write_document(r.doc, [r.article], r.events)
        expected = {m.id: e.id for e in one.iter_events() for m in e.mentions}
    for part in (corpus[:half], corpus[half:]):  # two "processes": the LSH index reloads from the db
        with open_store(f"sqlite:///{tmp_path / 'two.db'}") as two:
            for r in part:
                two.write_document(r.doc, [r.article], r.events)
    with open_store(f"sqlite:///{tmp_path / 'two.db'}") as two:
        assert {m.id: e.id for e in two.iter_events() for m in e.mentions} == expected
        reprint = next(r for r in corpus if r.doc.source == "daily-horn")
        assert two.canonical_article_id(reprint.article.id) is not None


@functools.cache
def _empty_store_file() -> Path:
    """A migrated empty store, made once: copying it is much faster than migrating each time."""
    path = Path(tempfile.mkdtemp(prefix="eventlens-dedup-")) / "empty.db"
    open_store(f"sqlite:///{path}").close()
    return path


def _clustered_by_a_store(reports: list[tuple[Document, Article, Event]]) -> list[Event]:
    """The store's clusterer (the only one), run over ``reports`` in a fresh database."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(shutil.copy(_empty_store_file(), Path(tmp) / "s.db"))
        with open_store(f"sqlite:///{path}") as s:
            for doc, art, ev in reports:
                s.write_document(doc, [art], [ev])
            return sorted(s.iter_events(), key=lambda e: e.id)


@pytest.mark.slow  # two fresh databases per example
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(1, 20)), min_size=1, max_size=12))
def test_store_clustering_is_deterministic_and_loses_nothing(spec: list[tuple[int, int, int]]) -> None:
    reports = []
    for i, (town, day, deaths) in enumerate(spec):
        place = Place(f"Town {town}", "Kenya", "KEN", f"County {town}", None, -1.0 - town, 36.8, 1)
        doc, art = make_doc(f"Report {i}: an attack in town {town} killed {deaths}.")
        coding = _coding(place=place, event_date=date(2024, 3, 1 + day), fatalities=deaths)
        reports.append((doc, art, make_event(art, [art.text], coding)))
    first, second = _clustered_by_a_store(reports), _clustered_by_a_store(reports)
    assert first == second
    events = [ev for _, _, ev in reports]
    assert sorted(m.id for e in first for m in e.mentions) == sorted(m.id for e in events for m in e.mentions)
    assert len(first) <= len({(t, d) for t, d, _ in spec})


def test_reprint_events_join_the_canonical_events_despite_a_date_slip(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'r.db'}") as s:
        doc, art = make_doc(WIRE, "wire", date(2024, 2, 2))
        s.write_document(doc, [art], [make_event(art, [WIRE[:60]], _coding(event_date=date(2024, 2, 1)))])
        text = WIRE + " This story was first published yesterday."
        doc2, art2 = make_doc(text, "reprint", date(2024, 2, 3))
        ev2 = make_event(art2, [text[:60]], _coding(event_date=date(2024, 2, 2)))  # "yesterday" moved
        res = s.write_document(doc2, [art2], [ev2])
        assert res.near_duplicates == 1 and res.linked_events == 1 and s.stats().events == 1
        [link] = [lk for lk in s.links(res.event_ids[0]) if lk.mention_id == ev2.mentions[0].id]
        assert link.reason.startswith("near-duplicate article") and link.scores["date"] == 0.3
        # an unrelated article with the same slip does not merge
        other = "Unrelated report: another attack happened elsewhere in the province on Friday, army said."
        doc3, art3 = make_doc(other * 2, "other", date(2024, 2, 3))
        ev3 = make_event(art3, [other], _coding(event_date=date(2024, 2, 2)))
        assert s.write_document(doc3, [art3], [ev3]).new_events == 1


@pytest.mark.parametrize("event_date", [date(2024, 2, 1), None])
def test_the_candidate_search_reads_only_the_blocking_window(tmp_path: Path, event_date: date | None) -> None:
    """SQLite searches the (country, date_key) index with the date range for both the event's
    country and unknown countries, rather than reading every stored event of the country (which
    made each write into a 1M-event store cost ~150 ms per event)."""
    from eventlens.store.linking import _window_query

    _doc, art = make_doc("Rebels killed villagers near Goma.")
    ev = make_event(art, ["Rebels killed villagers"], _coding(event_date=event_date))
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    query, params = _window_query(ev)
    sql = str(query.params(params).compile(s.engine, compile_kwargs={"literal_binds": True}))
    with s.engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    searches = [p for p in plan if p.startswith("SEARCH events")]
    assert len(searches) == 2, plan
    assert all("(country=? AND date_key>? AND date_key<?)" in p for p in searches), plan


@pytest.mark.slow
def test_an_undated_event_is_matched_against_the_most_recently_reported_first(tmp_path: Path) -> None:
    """All undated events are equally near in date, so when more than MAX_CANDIDATES of them
    share a window the most recently reported are searched, not the first ids: the report of an
    event stored just before still finds it behind 200 older undated events."""
    import random
    from dataclasses import replace

    from eventlens.store.linking import MAX_CANDIDATES

    rng = random.Random(3)
    words = [f"w{i}" for i in range(5000)]
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for i in range(MAX_CANDIDATES):  # older undated attacks, each in another province: none can match
        text = f"Gunmen attacked Town{i}. " + " ".join(rng.sample(words, 40))
        _doc, art = make_doc(text)
        town = Place(f"Town{i}", "Democratic Republic of Congo", "COD", f"Province {i}", None, None, None, 2)
        assert s.write_document(_doc, [art], [make_event(art, ["Gunmen attacked"], _coding(
            event_date=None, place=town))]).new_events == 1
    masisi = Place("Masisi", "Democratic Republic of Congo", "COD", "North Kivu", None, None, None, 2)
    first_text = "Gunmen attacked Masisi village overnight. " + " ".join(rng.sample(words, 40))
    doc1, art1 = make_doc(first_text)
    first = make_event(art1, ["Gunmen attacked Masisi village"], _coding(event_date=None, place=masisi))
    first = replace(first, id="f" * 40)  # after every other id: the first ids would leave it out
    assert s.write_document(doc1, [art1], [first]).new_events == 1
    second_text = "In Masisi, gunmen attacked the village, residents said. " + " ".join(rng.sample(words, 40))
    doc2, art2 = make_doc(second_text)
    second = make_event(art2, ["gunmen attacked the village"], _coding(event_date=None, place=masisi))
    res = s.write_document(doc2, [art2], [second])
    assert (res.new_events, res.event_ids) == (0, (first.id,))
