"""Quality gate on real multi-report linking ("muc4_dedup" in tests/quality_floors.json): the dev split of
data/real/muc4_reports.jsonl (MUC-4 wire articles labelled by incident, data/real/MUC4_REPORTS_CARD.md)
run through the whole pipeline into fresh SQLite stores, undated and with the labelled report date.
The texts are read from ../shared (the test skips without it); the lockbox split is never scored here."""

from __future__ import annotations

import pytest

from eventlens.config import Settings
from eventlens.evaluation.incidents import (
    evaluate_incidents,
    format_incident_scores,
    read_incident_gold,
    read_texts,
)
from tests.quality_floors import load_gate
from tests.shared_data import shared_path

pytestmark = pytest.mark.slow

GATE = "muc4_dedup"
METRICS = ("stored", "bcubed_f1", "bcubed_precision", "bcubed_recall", "records_per_incident",
           "look_alikes_merged", "events_per_report")


def test_linking_of_real_reports_meets_its_floors() -> None:
    gate = load_gate(GATE)
    gate.path("../shared/dev-data/muc4/train.json")  # skips when the shared folder is absent
    gold = read_incident_gold(gate.path("data/real/muc4_reports.jsonl"), split="dev")
    scores = evaluate_incidents(gold, read_texts(gold.reports, shared_path()), Settings(workers=0))
    measured = {f"{s.mode}_{k}": float(getattr(s, k)) for s in scores for k in METRICS}
    report = format_incident_scores(scores, name="muc4 dev")
    print(report)  # the scores a floor update is read from (pytest -s)
    gate.assert_meets(measured, report)
