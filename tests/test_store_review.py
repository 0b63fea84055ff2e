"""Analyst merges and splits: audited, and never undone by later runs; reviewed codings stay put."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.errors import ReviewError
from eventlens.model import Actor, EventCoding, Modality, Place
from eventlens.store import Store, open_store
from eventlens.store.schema import events
from tests.store_backends import store  # noqa: F401 - the fixture
from tests.store_testkit import make_coding, make_doc, make_event

MOSUL = Place("Mosul", "Iraq", "IRQ", "Nineveh", None, 36.34, 43.13, 1)
IS = Actor("Islamic State (Iraq)", 2)
CIV = Actor("Civilians (Iraq)", 7)


def _report(s: Store, text: str, fatalities: int, published: date, place: Place = MOSUL) -> str:
    doc, art = make_doc(text, source=text[:12], published=published)
    coding = make_coding(
        "Attack",
        date(2024, 3, 4),
        place,
        actor1=IS,
        actor2=CIV,
        fatalities=fatalities,
        time_precision=1,
        confidence=0.8,
    )
    ev = make_event(art, [text], coding)
    s.write_document(doc, [art], [ev])
    return ev.mentions[0].id


def _event_of(s: Store, mention_id: str) -> str:
    return next(e.id for e in s.iter_events() if any(m.id == mention_id for m in e.mentions))


def test_split_survives_later_runs_and_is_audited(store: Store) -> None:  # noqa: F811
    m1 = _report(store, "Militants shot dead four villagers near Mosul on Monday.", 4, date(2024, 3, 4))
    m2 = _report(store, "Islamic State gunmen killed four civilians outside Mosul.", 4, date(2024, 3, 4))
    e = _event_of(store, m1)
    assert _event_of(store, m2) == e
    new = store.split(e, [m2], "ana", "different village")
    assert [m.id for m in new.mentions] == [m2]
    [link] = store.links(new.id)
    assert (link.decided_by, link.mention_id) == ("ana", m2) and "different village" in link.reason
    [audit] = store.audit(new.id)
    assert (audit.action, audit.who, audit.event_ids) == ("split", "ana", (e, new.id))
    assert audit.before[0]["mention_ids"] == sorted([m1, m2])
    # a later run: a third report and the same two documents again
    _report(
        store,
        "Four people were killed by IS fighters in Mosul district, officials said.",
        4,
        date(2024, 3, 5),
    )
    _report(store, "Militants shot dead four villagers near Mosul on Monday.", 4, date(2024, 3, 4))
    assert _event_of(store, m2) == new.id and _event_of(store, m1) == e
    assert store.links(new.id)[0].decided_by == "ana"


def test_merge_moves_mentions_and_deletes_the_others(store: Store) -> None:  # noqa: F811
    basra = Place("Basra", "Iraq", "IRQ", "Basra", None, 30.51, 47.78, 1)
    m1 = _report(store, "Militants shot dead four villagers near Mosul on Monday.", 4, date(2024, 3, 4))
    m2 = _report(store, "Gunmen killed four men in Basra, police said.", 4, date(2024, 3, 4), basra)
    e1, e2 = _event_of(store, m1), _event_of(store, m2)
    assert e1 != e2
    merged = store.merge([e1, e2], "ben", "same attack, wrong city in one report")
    assert merged.id == e1 and {m.id for m in merged.mentions} == {m1, m2}
    assert store.get_event(e2) is None
    assert {lk.mention_id: lk.decided_by for lk in store.links(e1)} == {m1: "auto", m2: "ben"}
    assert [a.action for a in store.audit()] == ["merge"]


def test_invalid_review_actions(store: Store) -> None:  # noqa: F811
    m1 = _report(store, "Militants shot dead four villagers near Mosul on Monday.", 4, date(2024, 3, 4))
    e = _event_of(store, m1)
    with pytest.raises(ReviewError, match="two"):
        store.merge([e, e], "ana")
    with pytest.raises(ReviewError, match="no event"):
        store.merge([e, "enope"], "ana")
    with pytest.raises(ReviewError, match="not all"):
        store.split(e, [m1], "ana")
    with pytest.raises(ReviewError, match="user"):
        store.merge([e, "x"], " ")
    assert store.audit() == []


def test_reviewed_and_locked_codings_are_not_recomputed(store: Store) -> None:  # noqa: F811
    m1 = _report(store, "Militants shot dead four villagers near Mosul on Monday.", 4, date(2024, 3, 4))
    e = _event_of(store, m1)
    with store.engine.begin() as conn:
        conn.execute(sa.update(events).where(events.c.id == e).values(locked_fields=["fatalities"]))
    _report(
        store, "The toll of Monday's attack near Mosul rose to seven, officials said.", 7, date(2024, 3, 6)
    )
    got = store.get_event(e)
    assert got is not None and len(got.mentions) == 2 and got.coding.fatalities == 4


@pytest.fixture(scope="module")
def rt_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path_factory.mktemp('rt') / 'rt.db'}")
    yield s
    s.close()


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        st.characters(min_codepoint=32, max_codepoint=0xD7FF), min_size=5
    ),
    fatalities=st.none() | st.integers(0, 10_000),
    day=st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    precision=st.none() | st.integers(1, 3),
    lat=st.none() | st.floats(-90, 90),
    modality=st.sampled_from(list(Modality)),
    confidence=st.floats(0, 1),
    actor=st.none()
    | st.builds(
        Actor,
        st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s),
        st.none() | st.integers(1, 8),
    ),
)
def test_round_trip(
    rt_store: Store,
    text: str,
    fatalities: int | None,
    day: date | None,
    precision: int | None,
    lat: float | None,
    modality: Modality,
    confidence: float,
    actor: Actor | None,
) -> None:
    unique = uuid.uuid4().hex  # every example its own document and country: nothing to merge with
    place = Place("Somewhere", unique, "IRQ", "Anbar", "Ramadi", lat, None if lat is None else 43.1, 2)
    coding = EventCoding(
        "Battles",
        "Armed clash",
        "ASSAULT",
        actor,
        "assoc",
        None,
        None,
        fatalities,
        3,
        modality,
        confidence,
        "loc",
        "date text",
        day,
        precision,
        place,
    )
    doc, art = make_doc(f"{text} {unique}")
    ev = make_event(art, [text], coding)
    rt_store.write_document(doc, [art], [ev])
    assert rt_store.get_event(ev.id) == ev
    assert rt_store.get_document(doc.id) == doc and rt_store.get_article(art.id) == art


def test_queue_lists_disagreeing_events_most_told_first(
    store: Store, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The queue's conflicts are exactly the unreviewed events whose mentions disagree, the most
    told first (then by id, descending), however the walk over them is chunked."""
    from eventlens.api.synthetic import generate_reports
    from eventlens.store.queue import REVIEWED
    from eventlens.store.schema import mentions

    monkeypatch.setattr("eventlens.store.queue.CONFLICT_CHUNK", 2)
    for r in generate_reports(40, seed=17, days=30):
        store.write_document(r.document, [r.article], list(r.events))
    with store.engine.connect() as conn:
        ids = sorted(conn.execute(sa.select(events.c.id)).scalars())
    for size, start in ((2, 0), (3, 2), (2, 5), (4, 7), (2, 11), (3, 13), (2, 16)):
        store.merge(ids[start:start + size], "ana")
    store.confirm(ids[7], "ana")  # a merged, then confirmed, event leaves the queue
    with store.engine.connect() as conn:
        told = conn.execute(sa.select(events.c.id, events.c.n_mentions)
                            .where(events.c.n_mentions > 1, events.c.review_status.notin_(REVIEWED))).all()
        fields = ("sub_event_type", "fatalities", "location")
        want = []
        for row in sorted(told, key=lambda t: (t.n_mentions, t.id), reverse=True):
            cols = sa.select(*(mentions.c[f] for f in fields)).where(mentions.c.event_id == row.id)
            values = conn.execute(cols).all()
            reasons = [f"mentions disagree on {f}" for i, f in enumerate(fields)
                       if len({v[i] for v in values}) > 1]
            if reasons:
                want.append((row.id, reasons))
    assert len(want) >= 3
    for limit in (1, 3, 500):
        queue = store.review_queue(limit)
        got = [(q.event.id, [r for r in q.reasons if r.startswith("mentions")]) for q in queue]
        assert got[:len(want)] == want[:limit]
