"""Tests for the shipped ONNX sub-event classifier (eventlens.extract.classify.classifier)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eventlens.errors import ModelError
from eventlens.extract.classify.classifier import DEFAULT_MODEL_DIR, OnnxSubEventClassifier, load_classifier
from eventlens.extract.registry import Prediction, SentenceClassifier
from eventlens.model import ACLED_TYPES


@pytest.fixture(scope="module")
def clf() -> OnnxSubEventClassifier:
    return load_classifier()


@pytest.mark.slow
def test_labels_are_the_codebook_plus_none(clf: OnnxSubEventClassifier) -> None:
    expected = [sub for subs in ACLED_TYPES.values() for sub in subs] + ["none"]
    assert list(clf.labels) == expected


@pytest.mark.slow
def test_is_a_sentence_classifier(clf: OnnxSubEventClassifier) -> None:
    as_protocol: SentenceClassifier = clf
    out = as_protocol.predict(["Gunmen killed four villagers near the market on Sunday."])
    assert len(out) == 1 and isinstance(out[0], Prediction)
    assert 0.0 < out[0].probability <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Armed men shot dead a village chief and two of his sons in their home overnight.", "Attack"),
        ("Riot police fired tear gas and arrested 40 students who were marching peacefully to parliament.",
         "Protest with intervention"),
        ("A roadside bomb struck an army truck outside the town, killing three soldiers.",
         "Remote explosive/landmine/IED"),
        ("The central bank kept interest rates unchanged and said inflation was slowing.", "none"),
        ("Rebels seized the district capital after government troops fled.",
         "Non-state actor overtakes territory"),
    ],
)
def test_clear_sentences(clf: OnnxSubEventClassifier, text: str, label: str) -> None:
    assert clf.predict([text])[0].label == label


@pytest.mark.slow
def test_batches_and_padding_do_not_change_answers(clf: OnnxSubEventClassifier) -> None:
    long = (
        "A drone strike hit a car carrying three militants on the road north of the city late on Tuesday, "
        "a security official said, adding that all three were killed."
    )
    texts = ["Protesters gathered.", long, "", "   "]
    together = clf.predict_proba(texts)
    one_by_one = load_classifier(batch_size=1).predict_proba(texts)
    assert together.shape == (4, len(clf.labels))
    # int8 activations are quantised per batch: batch mates move probabilities a little, not real answers
    assert abs(together - one_by_one).max() < 0.1
    assert (together.argmax(axis=1)[:2] == one_by_one.argmax(axis=1)[:2]).all()
    assert clf.predict([]) == []


def test_missing_artifact_raises_model_error_naming_the_fix(tmp_path: Path) -> None:
    expected = r"missing model\.onnx, tokenizer\.json, labels\.json.*train_classifier"
    with pytest.raises(ModelError, match=expected):
        load_classifier(tmp_path)


@pytest.mark.slow
def test_broken_label_file_raises_model_error(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copy(DEFAULT_MODEL_DIR / name, tmp_path / name)
    (tmp_path / "labels.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"labels\.json"):
        load_classifier(tmp_path)
    (tmp_path / "labels.json").write_text(json.dumps({"labels": ["a", "b"]}), encoding="utf-8")
    with pytest.raises(ModelError, match=r"outputs but labels\.json lists 2"):
        load_classifier(tmp_path)


def test_corrupt_model_raises_model_error(tmp_path: Path) -> None:
    for name in ("tokenizer.json", "labels.json"):
        shutil.copy(DEFAULT_MODEL_DIR / name, tmp_path / name)
    (tmp_path / "model.onnx").write_bytes(b"not an onnx model")
    with pytest.raises(ModelError, match="cannot load"):
        load_classifier(tmp_path)
