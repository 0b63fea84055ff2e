"""Quality gate for fatality counts: the pinned extractor on the dev split of data/eval/fatalities.jsonl
(project-written snippets with ACLED fatality gold) stays at or above the floor in tests/eval_baseline.json.

Re-pin with `python scripts/update_eval_baseline.py --fatalities-only` (it refuses to lower a floor without
--allow-lower). The file's "test" split is held aside: never fix code against it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from eventlens.config import Settings
from eventlens.evaluation.sentences import EvalReport, evaluate, format_report, read_examples
from eventlens.extract import get_extractor

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIX = "re-run `python scripts/update_eval_baseline.py --fatalities-only` and commit tests/eval_baseline.json"


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    baseline: dict[str, Any] = json.loads((ROOT / "tests" / "eval_baseline.json").read_text("utf-8"))
    section: dict[str, Any] = baseline["fatalities"]
    return section


def test_fatality_data_unchanged_since_baseline(pinned: dict[str, Any]) -> None:
    data = ROOT / pinned["data"]
    assert hashlib.sha256(data.read_bytes()).hexdigest() == pinned["data_sha256"], f"{data} changed: {FIX}"


def test_fatality_data_is_well_formed(pinned: dict[str, Any]) -> None:
    from eventlens.model import event_type_of

    lines = (ROOT / pinned["data"]).read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert all(isinstance(r["fatalities"], int) and r["fatalities"] >= 0 for r in rows)
    for r in rows:
        if r["label"] != "none":
            event_type_of(r["label"])  # an exact ACLED sub_event_type, else KeyError
    assert len(read_examples(ROOT / pinned["data"], split="dev")) > len(rows) // 2


@pytest.fixture(scope="module")
def report(pinned: dict[str, Any], nlp: Language) -> EvalReport:
    extractor = get_extractor(pinned["extractor"], Settings())
    return evaluate(ROOT / pinned["data"], extractor, split=pinned["split"], nlp=nlp)


def test_fatality_accuracy_meets_floor(pinned: dict[str, Any], report: EvalReport) -> None:
    assert report.fatality_n == pinned["examples"], FIX
    floor = pinned["floors"]["fatality_accuracy"]
    got = report.fatality_accuracy
    assert got is not None and got >= floor, f"fatalities exact {got} < {floor}\n{format_report(report)}"
