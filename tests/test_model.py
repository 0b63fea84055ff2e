from __future__ import annotations

import dataclasses

import pytest

import eventlens
from eventlens import model


def test_public_api_is_explicit() -> None:
    for name in eventlens.__all__:
        assert hasattr(eventlens, name), name
    assert "Event" in eventlens.__all__ and "Settings" in eventlens.__all__


def test_acled_scheme_has_6_types_and_25_subtypes() -> None:
    assert len(model.ACLED_TYPES) == 6
    subs = [s for subs in model.ACLED_TYPES.values() for s in subs]
    assert len(subs) == 25 == len(set(subs))
    assert model.event_type_of("Air/drone strike") == "Explosions/Remote violence"
    assert model.event_type_of("Arrests") == "Strategic developments"
    with pytest.raises(KeyError):
        model.event_type_of("Bombing")


def test_plover_and_inter_codes() -> None:
    assert len(model.PLOVER_TYPES) == 16
    assert sorted(model.INTER_CODES) == list(range(1, 9))


def test_objects_are_frozen_and_ids_stable() -> None:
    span = model.Span("shot dead", 3, 12)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 4  # type: ignore[misc]
    assert model.content_id("d", "x") == model.content_id("d", "x")
    assert model.content_id("d", "x") != model.content_id("d", "y")
    assert model.content_id("d", "a", "b") != model.content_id("d", "ab")


def test_event_doc_ids_deduplicated_in_order() -> None:
    coding = model.EventCoding("Battles", "Armed clash")
    ms = tuple(
        model.EventMention(f"m{i}", doc, "a", 0, model.Span("x", 0, 1), coding)
        for i, doc in enumerate(["d2", "d1", "d2"])
    )
    assert model.Event("e", coding, ms).doc_ids == ("d2", "d1")
