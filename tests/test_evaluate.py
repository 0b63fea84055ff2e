"""Tests for eventlens.evaluation.sentences and the classifier quality gate ("classifier" in
tests/quality_floors.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from eventlens.errors import InputError
from eventlens.evaluation.sentences import EvalReport, evaluate, format_report, read_examples
from eventlens.extract.registry import Prediction
from eventlens.model import EventCoding, EventMention, Span
from eventlens.nlp.parser import ParsedArticle
from tests.quality_floors import Gate, load_gate
from tests.shared_data import REPO

#: the gate's labelled sentences (the model artifact is pinned beside them)
GATE_DATA = "data/training/subevents.jsonl"


class TableClassifier:
    """Answers from a fixed text -> label table ("none" for unknown texts)."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(self.table.get(t, "none"), 0.9) for t in texts]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS: list[dict[str, object]] = [
    {"text": "a", "label": "Armed clash"},
    {"text": "b", "label": "Armed clash"},
    {"text": "c", "label": "Attack"},
    {"text": "d", "label": "Peaceful protest"},
    {"text": "e", "label": "none"},
    {"text": "f", "label": "none"},
]


def test_scores_match_hand_computation(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", ROWS)
    # a ok; b -> Attack (same event type? no: Battles vs VAC); c ok; d -> none; e ok; f -> Mob violence
    clf = TableClassifier({"a": "Armed clash", "b": "Attack", "c": "Attack", "f": "Mob violence"})
    r = evaluate(data, clf)
    assert r.n == 6
    assert r.accuracy == pytest.approx(50.0)
    # per-label F1: Armed clash P=1 R=.5 -> 66.7; Attack P=.5 R=1 -> 66.7; Peaceful 0; none P=.5 R=.5 -> 50
    assert r.weighted_f1 == pytest.approx((2 * 200 / 3 + 200 / 3 + 0 + 2 * 50) / 6)
    assert r.macro_f1 == pytest.approx((200 / 3 + 200 / 3 + 0 + 50) / 4)
    assert r.event_type_accuracy == pytest.approx(50.0)
    assert r.none_precision == pytest.approx(50.0)
    assert r.none_recall == pytest.approx(50.0)
    assert r.event_recall == pytest.approx(75.0)  # 3 of 4 events detected
    assert r.event_precision == pytest.approx(75.0)  # f is a false alarm
    per = {s.label: s for s in r.per_label}
    assert per["Mob violence"].support == 0 and per["Mob violence"].predicted == 1
    assert {(c.gold, c.predicted) for c in r.confusions} == {
        ("Armed clash", "Attack"), ("Peaceful protest", "none"), ("none", "Mob violence")}


def test_event_type_accuracy_credits_sibling_sub_types(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [{"text": "x", "label": "Shelling/artillery/missile attack"}])
    r = evaluate(data, TableClassifier({"x": "Air/drone strike"}))
    assert r.weighted_f1 == 0.0
    assert r.event_type_accuracy == 100.0


def test_precision_and_recall_are_not_swapped(tmp_path: Path) -> None:
    """ROWS above give equal precision and recall for "none" and for events; here they differ."""
    data = write_jsonl(tmp_path / "d.jsonl", [
        {"text": "a", "label": "Armed clash"},
        {"text": "b", "label": "none"},
        {"text": "c", "label": "none"},
        {"text": "d", "label": "Attack"},
        {"text": "e", "label": "Attack"},
    ])
    r = evaluate(data, TableClassifier({"a": "Armed clash", "c": "Attack"}))  # b, d, e -> none
    assert r.accuracy == pytest.approx(40.0)  # a, b
    assert r.none_precision == pytest.approx(100 / 3)  # b of b, d, e
    assert r.none_recall == pytest.approx(50.0)  # b of b, c
    assert r.event_recall == pytest.approx(100 / 3)  # a of a, d, e detected
    assert r.event_precision == pytest.approx(50.0)  # a of a, c is an event


def test_split_filter_and_bad_input(tmp_path: Path) -> None:
    rows = [dict(r, split="dev" if i % 2 else "train") for i, r in enumerate(ROWS)]
    data = write_jsonl(tmp_path / "d.jsonl", rows)
    assert [e.text for e in read_examples(data, split="dev")] == ["b", "d", "f"]
    with pytest.raises(InputError, match="no labelled examples in split 'test'"):
        read_examples(data, split="test")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "label": "none"}\n{"text": "no label"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        read_examples(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_examples(tmp_path / "missing.jsonl")


class KeywordExtractor:
    """A fake full extractor: one mention per keyword found, in the keyword's sentence, with fixed
    confidences (mentions in one sentence are merged into one event; in two they stay two)."""

    name = "fake.v0"
    CODES: ClassVar[dict[str, tuple[str, str, float]]] = {
        "killed": ("Violence against civilians", "Attack", 0.6),
        "clashed": ("Battles", "Armed clash", 0.8),
    }

    def extract(self, parsed: ParsedArticle) -> list[EventMention]:
        text = parsed.article.text
        out = []
        for word, (etype, sub, conf) in self.CODES.items():
            at = text.find(word)
            if at >= 0:
                coding = EventCoding(etype, sub, confidence=conf, fatalities=3 if sub == "Attack" else None)
                sentence = next(s.index for s in parsed.sentences if s.start <= at < s.end)
                out.append(EventMention(f"m{at}", parsed.article.doc_id, parsed.article.id, sentence,
                                        Span(word, at, at + len(word)), coding))
        return out


def test_full_extractor_uses_highest_confidence_mention(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    data = write_jsonl(tmp_path / "d.jsonl", [
        # two events, the less confident one first: the clash (0.8) is the answer, not the attack (0.6)
        {"text": "Gunmen killed a farmer. Then rebels clashed with troops.", "label": "Armed clash"},
        {"text": "Gunmen killed five people.", "label": "Attack", "fatalities": 5},
        {"text": "The bank raised rates.", "label": "none"},
        {"text": "Protesters marched.", "label": "Peaceful protest", "fatalities": 0},
    ])
    r = evaluate(data, KeywordExtractor(), nlp=nlp)
    assert r.system == "fake.v0"
    assert r.accuracy == pytest.approx(75.0)
    assert r.none_recall == 100.0
    # fatalities: 3 reported for 5 dead is wrong; "no count" for a protest with 0 dead is right
    assert r.fatality_n == 2 and r.fatality_accuracy == pytest.approx(50.0)


def test_format_report_names_the_scores(tmp_path: Path) -> None:
    r = evaluate(write_jsonl(tmp_path / "d.jsonl", ROWS), TableClassifier({"a": "Armed clash"}), name="demo")
    text = format_report(r)
    for needle in ("system: demo", "weighted F1", "macro F1", "event_type accuracy", "none  precision",
                   "Peaceful protest", "top confusions"):
        assert needle in text
    assert json.loads(r.to_json())["n"] == 6


# --- quality gate -------------------------------------------------------------------------------------------


FIX = "re-run `python scripts/update_eval_baseline.py` and commit tests/quality_floors.json"


@pytest.fixture(scope="module")
def gate() -> Gate:
    return load_gate("classifier")


def test_gate_data_and_model_unchanged_since_the_floors_were_set(gate: Gate) -> None:
    from eventlens.extract.classify.classifier import DEFAULT_MODEL_DIR

    model = str((DEFAULT_MODEL_DIR / "model.onnx").relative_to(REPO))
    assert set(gate.sha256) == {GATE_DATA, model}, f"the gate pins the dev data and the shipped model: {FIX}"
    assert not gate.changed_files(), f"{gate.changed_files()} changed: {FIX}"


@pytest.fixture(scope="module")
def dev_report(gate: Gate) -> EvalReport:
    from eventlens.extract.classify.classifier import load_classifier

    return evaluate(gate.path(GATE_DATA), load_classifier(threads=2), split=str(gate.entry["split"]))


@pytest.mark.slow
def test_gate_classifier_meets_floors(gate: Gate, dev_report: EvalReport) -> None:
    assert gate.floors
    assert dev_report.n == gate.entry["examples"], FIX
    scores = {k: float(getattr(dev_report, k)) for k in gate.floors}
    gate.assert_meets(scores, format_report(dev_report))
