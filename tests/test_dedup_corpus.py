"""Cross-article clustering on the written corpus (tests/dedup_corpus): B-cubed against gold ids."""

from __future__ import annotations

import pytest

from eventlens.evaluation.bcubed import BCubed, bcubed
from eventlens.store import Store
from tests.quality_floors import load_gate
from tests.store_backends import store  # noqa: F401 - the fixture (SQLite, and PostgreSQL when configured)
from tests.store_testkit import Report, load_corpus


@pytest.fixture(scope="module")
def corpus() -> list[Report]:
    return load_corpus()


def _gold(corpus: list[Report]) -> dict[str, str]:
    return {m: g for r in corpus for m, g in r.gold.items()}


def _store_clusters(s: Store, corpus: list[Report]) -> dict[str, str]:
    for r in corpus:
        s.write_document(r.doc, [r.article], r.events)
    return {m.id: ev.id for ev in s.iter_events() for m in ev.mentions}


def _check(score: BCubed) -> None:
    """The "dedup" gate of tests/quality_floors.json: a B-cubed F1 floor, a records-per-event ceiling."""
    scores = {"bcubed_f1": score.f1, "records_per_event": score.records_per_event}
    load_gate("dedup").assert_meets(scores, str(score))


def test_store_clustering_meets_the_bar(store: Store, corpus: list[Report]) -> None:  # noqa: F811
    score = bcubed(_store_clusters(store, corpus), _gold(corpus))
    _check(score)


@pytest.mark.parametrize(
    ("a", "b"),
    [("G1", "G2"), ("G3", "G4"), ("G10", "G11"), ("G8", "G9"), ("G6", "G12")],
    ids=[
        "two-bombings-same-city-same-day",
        "protests-consecutive-days",
        "shelling-consecutive-days",
        "arrests-vs-protest-same-day",
        "clashes-same-day-55km-apart",
    ],
)
def test_look_alikes_stay_apart(store: Store, corpus: list[Report], a: str, b: str) -> None:  # noqa: F811
    pred, gold = _store_clusters(store, corpus), _gold(corpus)
    ids_a = {pred[m] for m, g in gold.items() if g == a}
    ids_b = {pred[m] for m, g in gold.items() if g == b}
    assert not ids_a & ids_b


def test_fatalities_follow_the_latest_conservative_figure(store: Store, corpus: list[Report]) -> None:  # noqa: F811
    pred, gold = _store_clusters(store, corpus), _gold(corpus)
    by_gold = {g: store.get_event(pred[m]) for m, g in gold.items()}
    assert by_gold["G1"] is not None and by_gold["G1"].coding.fatalities == 9  # revised upwards next day
    assert by_gold["G6"] is not None and by_gold["G6"].coding.fatalities == 15  # the army's revision
    assert (
        by_gold["G5"] is not None and by_gold["G5"].coding.fatalities == 4
    )  # a claim of 0 is not well-sourced
    g1_figures = sorted(m.coding.fatalities or 0 for m in by_gold["G1"].mentions)
    assert g1_figures == [6, 6, 7, 9, 9]  # every source keeps its own figure


def test_reprint_is_linked_to_its_canonical_article(store: Store, corpus: list[Report]) -> None:  # noqa: F811
    _store_clusters(store, corpus)
    wire = next(r for r in corpus if r.doc.source == "wire-a" and "car bomb" in r.article.text)
    reprint = next(r for r in corpus if r.doc.source == "daily-horn")
    assert reprint.doc.id != wire.doc.id
    assert store.canonical_article_id(reprint.article.id) == wire.article.id
    # the reprint is the corpus's only one: no other report, however alike, is linked to another
    linked = {r.article.id: store.canonical_article_id(r.article.id) for r in corpus}
    assert {a: c for a, c in linked.items() if c is not None} == {reprint.article.id: wire.article.id}


def test_same_corpus_twice_changes_nothing(store: Store, corpus: list[Report]) -> None:  # noqa: F811
    first = _store_clusters(store, corpus)
    stats = store.stats()
    results = [store.write_document(r.doc, [r.article], r.events) for r in corpus]
    assert all(res.skipped for res in results)
    assert _store_clusters(store, corpus) == first
    assert store.stats() == stats
