"""The sub-event classifier: fine-tuned MiniLM, exported to int8 ONNX, run with onnxruntime + tokenizers.

No torch and no transformers at run time. The artifact folder (default: the one shipped in the package,
``eventlens/data/models/subevent-minilm-v1``) holds ``model.onnx``, ``tokenizer.json`` and ``labels.json``;
``scripts/train_classifier.py`` rebuilds it (see its MODEL_CARD.md).

    clf = load_classifier()
    clf.predict(["Gunmen killed three villagers near Djibo."])
    # [Prediction(label='Attack', probability=0.97)]
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from eventlens.errors import ModelError
from eventlens.extract.registry import Prediction

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "DEFAULT_MODEL_DIR",
    "ModelInfo",
    "OnnxSubEventClassifier",
    "SubEventClassifier",
    "load_classifier",
]

log = logging.getLogger(__name__)

#: the classifier shipped with eventlens
DEFAULT_MODEL_DIR = Path(str(resources.files("eventlens"))) / "data" / "models" / "subevent-minilm-v1"
_FILES = ("model.onnx", "tokenizer.json", "labels.json")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What ``labels.json`` says about an artifact: output labels in logit order and the token limit."""

    labels: tuple[str, ...]
    max_length: int
    base_model: str


def _read_info(path: Path) -> ModelInfo:
    try:
        raw = json.loads((path / "labels.json").read_text(encoding="utf-8"))
        labels = tuple(str(x) for x in raw["labels"])
        return ModelInfo(labels, int(raw.get("max_length", 96)), str(raw.get("base_model", "")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path / 'labels.json'}: unreadable classifier label file ({exc})") from exc


def _softmax(logits: NDArray[np.float32]) -> NDArray[np.float32]:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


class OnnxSubEventClassifier:
    """Scores texts against the 25 ACLED sub-event types plus "none" (a ``SentenceClassifier``).

    ``threads`` caps onnxruntime's intra-op threads (default 1, so parallel parse workers do not fight
    over cores); texts are encoded in batches of ``batch_size``, each padded only to its longest member.
    """

    def __init__(self, path: Path, *, threads: int = 1, batch_size: int = 32) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.path = path
        self.info = _read_info(path)
        self.batch_size = max(1, batch_size)
        try:
            self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = max(1, threads)
            opts.inter_op_num_threads = 1
            # idle pool threads sleep instead of spinning, so they do not slow the parse that
            # runs between two classifier calls
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = ort.InferenceSession(
                str(path / "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime and tokenizers raise their own bare exception types
            raise ModelError(f"{path}: cannot load the sub-event classifier ({exc})") from exc
        self._tokenizer.enable_truncation(self.info.max_length)
        self._tokenizer.no_padding()
        n_out = self._session.get_outputs()[0].shape[-1]
        if isinstance(n_out, int) and n_out != len(self.info.labels):
            raise ModelError(
                f"{path}: model has {n_out} outputs but labels.json lists {len(self.info.labels)}"
            )
        log.info(
            "loaded sub-event classifier %s (%d labels, %d thread(s))", path, len(self.info.labels), threads
        )

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Probabilities, one row per text, columns in ``self.labels`` order.

        Texts are batched in order of length (less padding), and the rows put back in input order.
        """
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = _softmax(self._logits([texts[i] for i in idx]))
        return out

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The most probable label for each text ("none" when the text reports no event)."""
        probs = self.predict_proba(texts)
        best = probs.argmax(axis=1)
        return [Prediction(self.labels[int(j)], float(probs[i, j])) for i, j in enumerate(best)]

    def _logits(self, texts: Sequence[str]) -> NDArray[np.float32]:
        encs = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for row, enc in enumerate(encs):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        out: list[Any] = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
        logits: NDArray[np.float32] = np.asarray(out[0], dtype=np.float32)
        return logits


#: the name docs/DESIGN.md uses for the shipped classifier
SubEventClassifier = OnnxSubEventClassifier


def load_classifier(
    path: Path | None = None, *, threads: int = 1, batch_size: int = 32
) -> OnnxSubEventClassifier:
    """Load the classifier at ``path`` (default: the shipped one); ModelError tells how to get one."""
    folder = path if path is not None else DEFAULT_MODEL_DIR
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"sub-event classifier not found in {folder} (missing {', '.join(missing)}); "
            f"reinstall eventlens, or rebuild it with scripts/train_classifier.py (see MODEL_CARD.md)"
        )
    return OnnxSubEventClassifier(folder, threads=threads, batch_size=batch_size)
