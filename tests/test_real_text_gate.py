"""Quality gate on real news ("real_text_dev" in tests/quality_floors.json): the whole pipeline on the dev
split of the project's real-text gold (data/real/wcep_gold.jsonl, Current Events items labelled event by
event; data/real/CARD.md). The lockbox split is never scored here."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from eventlens.config import Settings
from eventlens.evaluation.reports import code_items, format_scores, read_gold, score_reports
from tests.quality_floors import load_gate

pytestmark = pytest.mark.slow

GATE = "real_text_dev"


def test_the_coder_meets_its_floors_on_real_news() -> None:
    gate = load_gate(GATE)
    items = read_gold(gate.path("data/real/wcep_gold.jsonl"), split="dev")
    scores = score_reports(items, code_items(items, Settings(workers=0)))
    measured = {k: v for k, v in asdict(scores).items() if isinstance(v, int | float)}
    gate.assert_meets(measured, format_scores(scores, name="real dev"))
