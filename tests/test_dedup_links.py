"""Cross-article linking of one incident told differently (issue 20), through a store: near types
with agreeing specifics, undated reports linked on names and tolls, bridging reports (order
independence, audited) and incidents told only as background."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

from eventlens.model import Actor, Event, Place
from eventlens.store import EventFilter, Store, open_store
from tests.store_testkit import make_coding, make_doc, make_event

GOMA = Place("Goma", "Democratic Republic of Congo", "COD", "North Kivu", None, -1.68, 29.22, 1)
DAY = date(2026, 2, 3)
REBELS = Actor("M23", 2)
CIVILIANS = Actor("Civilians (Democratic Republic of Congo)", 7)
GUNMEN = Actor("Unidentified Armed Group (Democratic Republic of Congo)", 3)


def _report(
    text: str, evidence: str, sub: str, *, day: date | None = DAY, actor1: Actor = REBELS, **kw: object
) -> tuple:  # type: ignore[type-arg]
    doc, art = make_doc(text, f"outlet-{len(text)}")
    kw.setdefault("confidence", 0.8)
    precision = 1 if day else None
    coding = make_coding(sub, day, GOMA, time_precision=precision, actor1=actor1, actor2=CIVILIANS, **kw)
    return doc, art, make_event(art, [evidence], coding)


def _write(s: Store, *reports: tuple) -> list[Event]:  # type: ignore[type-arg]
    for doc, art, ev in reports:
        s.write_document(doc, [art], [ev])
    return sorted(s.iter_events(), key=lambda e: len(e.mentions), reverse=True)


def test_a_bombing_coded_with_near_types_links_when_its_toll_agrees(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 's.db'}")
    suicide = _report(
        "A suicide bomber killed 22 people at the central market of Goma on Tuesday, police said.",
        "A suicide bomber killed 22 people at the central market",
        "Suicide bomb",
        fatalities=22,
    )
    truck = _report(
        "Twenty-two dead as truck explodes outside busy Goma bazaar, officials say.",
        "truck explodes outside busy Goma bazaar",
        "Remote explosive/landmine/IED",
        fatalities=22,
        actor1=GUNMEN,
    )  # this outlet names no group
    other = _report(
        "A roadside device hit a minibus on the airport road in Goma, wounding three.",
        "A roadside device hit a minibus",
        "Remote explosive/landmine/IED",
        fatalities=None,
        actor1=GUNMEN,
    )
    one, alone = _write(s, suicide, truck, other)
    assert len(one.mentions) == 2 and len(alone.mentions) == 1
    assert one.coding.sub_event_type == "Suicide bomb"  # the codebook's choice, whatever the vote
    queued = {q.event.id: q.reasons for q in s.review_queue(low_confidence=0.0)}
    assert "mentions disagree on sub_event_type" in queued[one.id]  # the disagreement stays listed


def test_undated_reports_link_on_a_named_victim_not_on_type_and_place(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 's.db'}")
    a = _report(
        "Gunmen shot dead the journalist Amina Bello outside her home in Goma.",
        "Gunmen shot dead the journalist Amina Bello",
        "Attack",
        day=None,
        fatalities=1,
    )
    b = _report(
        "Colleagues mourn Amina Bello, the reporter murdered in Goma.",
        "Amina Bello, the reporter murdered in Goma",
        "Attack",
        day=None,
        fatalities=1,
    )
    c = _report(
        "A trader, Musa Ali, was killed by armed men in Goma.",
        "A trader, Musa Ali, was killed by armed men",
        "Attack",
        day=None,
        fatalities=1,
    )
    sizes = [len(e.mentions) for e in _write(s, a, b, c)]
    assert sizes == [2, 1]


_BRIDGE_TEXTS = (
    (
        "Rebels shelled the Ndosho camp for displaced people in Goma on Tuesday.",
        "Rebels shelled the Ndosho camp",
    ),
    (
        "Mortar rounds landed among tents, medics said; families fled toward the lake.",
        "Mortar rounds landed among tents",
    ),
    (
        "Rebels shelled the Ndosho camp: mortar rounds landed among tents, and families fled.",
        "Rebels shelled the Ndosho camp: mortar rounds landed among tents",
    ),
)


def _bridge_reports() -> list[tuple]:  # type: ignore[type-arg]
    """A dated report, an undated one sharing too few words with it, and an undated report that
    tells both (scraped text often arrives with no date)."""
    dated, undated, both = (
        _report(text, ev, "Shelling/artillery/missile attack", day=day)
        for (text, ev), day in zip(_BRIDGE_TEXTS, (DAY, None, None), strict=True)
    )
    return [dated, undated, both]


def test_a_bridging_report_merges_two_stored_events_with_an_audit_row(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 's.db'}")
    dated, undated, both = _bridge_reports()
    assert len(_write(s, dated, undated)) == 2  # an undated report shares too few words to link
    (event,) = _write(s, both)
    assert len(event.mentions) == 3
    [audit] = [a for a in s.audit() if a.action == "merge"]
    assert audit.who == "auto" and "bridged" in (audit.note or "")
    assert event.id in audit.event_ids and len(audit.event_ids) == 2


def test_the_clustering_does_not_depend_on_the_arrival_order(tmp_path: Path) -> None:
    for n, order in enumerate(itertools.permutations(_bridge_reports())):
        s = open_store(f"sqlite:///{tmp_path / f's{n}.db'}")
        assert [len(e.mentions) for e in _write(s, *order)] == [3], order


def test_an_incident_told_only_as_background_waits_in_the_review_queue(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 's.db'}")
    doc, art, ev = _report(
        "It came a month after a bombing killed 12 people at the Ihusi hotel in Goma.",
        "a bombing killed 12 people at the Ihusi hotel",
        "Remote explosive/landmine/IED",
        day=None,
        fatalities=12,
        confidence=0.2,
    )
    s.write_document(doc, [art], [replace(ev, background=True)])
    assert list(s.iter_events()) == []  # not a canonical event in lists and exports by default
    (kept,) = s.iter_events(EventFilter(background=True))
    [item] = [q for q in s.review_queue() if q.event.id == kept.id]
    assert any("background" in r for r in item.reasons)
    # the incident's own report links to it: it is an event of its own from then on
    own = _report(
        "A bomb tore through the Ihusi hotel in Goma, killing 12 guests, police said.",
        "A bomb tore through the Ihusi hotel in Goma, killing 12 guests",
        "Remote explosive/landmine/IED",
        day=None,
        fatalities=12,
    )
    (event,) = _write(s, own)
    assert event.id == kept.id and len(event.mentions) == 2
