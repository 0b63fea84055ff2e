"""tests/quality_floors.json, the one file of quality floors: well formed, every pinned file unchanged, and
every gate read by the test it names. (The gates themselves run in their own, mostly slow, tests.)"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.quality_floors import Gate, load_all, load_gate, resolve, sha256
from tests.shared_data import REPO

GATES = sorted(load_all()["gates"])


def test_every_gate_has_floors_and_pinned_files() -> None:
    assert {"classifier", "fatalities", "event_level", "geocoder", "dates", "dedup"} <= set(GATES)
    for name in GATES:
        gate = load_gate(name)
        assert gate.floors and gate.sha256, name
        for value in (*gate.floors.values(), *gate.ceilings.values()):
            assert isinstance(value, int | float) and math.isfinite(value), name
        for file, digest in gate.sha256.items():
            assert len(digest) == 64 and int(digest, 16) >= 0, (name, file)


def test_no_floor_is_above_what_was_measured() -> None:
    for name in GATES:
        gate = load_gate(name)
        measured = gate.entry.get("measured", {})
        assert all(measured[k] >= v for k, v in gate.floors.items() if k in measured), name
        assert all(measured[k] <= v for k, v in gate.ceilings.items() if k in measured), name


@pytest.mark.parametrize("name", GATES)
def test_files_a_gate_is_measured_on_are_unchanged(name: str) -> None:
    load_gate(name).assert_data_unchanged()


@pytest.mark.parametrize("name", GATES)
def test_each_gate_is_checked_by_the_test_it_names(name: str) -> None:
    test = REPO / load_gate(name).entry["test"]
    source = test.read_text(encoding="utf-8")
    reads = f'load_gate("{name}")' in source or f'GATE = "{name}"' in source
    assert reads, f"{test} does not read gate {name}"


def test_a_gate_fails_below_a_floor_above_a_ceiling_and_on_changed_data(tmp_path: Path) -> None:
    data = tmp_path / "d.txt"
    data.write_text("one\n", encoding="utf-8")
    gate = Gate("demo", {"f1": 0.9}, {"records": 1.1}, {str(data): sha256(data)}, {"test": "none"})
    gate.assert_meets({"f1": 0.9, "records": 1.1})
    for scores in ({"f1": 0.89, "records": 1.0}, {"f1": 0.95, "records": 1.2}, {"f1": None, "records": 1.0},
                   {"f1": 0.95}):
        with pytest.raises(AssertionError, match="demo"):
            gate.assert_meets(scores)
    data.write_text("two\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="changed since its floors were set"):
        gate.assert_meets({"f1": 0.95, "records": 1.0})


def test_shared_files_resolve_under_the_shared_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EVENTLENS_SHARED_DIR", str(tmp_path))
    assert resolve("../shared/dev-data/x.json") == tmp_path / "dev-data" / "x.json"
    assert resolve("tests/geo_dev/dev_part1.psv") == REPO / "tests" / "geo_dev" / "dev_part1.psv"
