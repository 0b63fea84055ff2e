"""Quality gate for fatality counts: the pinned extractor on the dev split of data/eval/fatalities.jsonl
(project-written snippets with ACLED fatality gold) stays at or above the floor of the "fatalities" gate in
tests/quality_floors.json.

Re-pin with `python scripts/update_eval_baseline.py --fatalities-only` (it refuses to lower a floor without
--allow-lower). The file's "test" split is held aside: never fix code against it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from eventlens.config import Settings
from eventlens.evaluation.sentences import EvalReport, evaluate, format_report, read_examples
from eventlens.extract import get_extractor
from tests.quality_floors import Gate, load_gate

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.slow

DATA = "data/eval/fatalities.jsonl"
FIX = "re-run `python scripts/update_eval_baseline.py --fatalities-only` and commit tests/quality_floors.json"


@pytest.fixture(scope="module")
def gate() -> Gate:
    return load_gate("fatalities")


def test_fatality_data_unchanged_since_the_floor_was_set(gate: Gate) -> None:
    assert set(gate.sha256) == {DATA}
    assert not gate.changed_files(), f"{DATA} changed: {FIX}"


def test_fatality_data_is_well_formed(gate: Gate) -> None:
    from eventlens.model import event_type_of

    lines = gate.path(DATA).read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert all(isinstance(r["fatalities"], int) and r["fatalities"] >= 0 for r in rows)
    for r in rows:
        if r["label"] != "none":
            event_type_of(r["label"])  # an exact ACLED sub_event_type, else KeyError
    assert len(read_examples(gate.path(DATA), split="dev")) > len(rows) // 2


@pytest.fixture(scope="module")
def report(gate: Gate, nlp: Language) -> EvalReport:
    extractor = get_extractor(gate.entry["system"], Settings())
    return evaluate(gate.path(DATA), extractor, split=gate.entry["split"], nlp=nlp)


def test_fatality_accuracy_meets_floor(gate: Gate, report: EvalReport) -> None:
    assert report.fatality_n == gate.entry["examples"], FIX
    gate.assert_meets({"fatality_accuracy": report.fatality_accuracy}, format_report(report))
