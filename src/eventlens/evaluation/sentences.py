"""Score a sentence classifier or a full extractor on labelled sentences (what ``eventlens eval`` runs).

Input: JSONL, one object per line: ``{"text": ..., "label": <ACLED sub_event_type or "none">}``, optionally
``"split"`` (filter with ``split=``), ``"fatalities"`` (int) and ``"actor1"`` (str).

A classifier (``.predict(texts)``) is scored directly. A full extractor (``.extract(parsed)``) sees each
text as a one-article document; its prediction is the sub_event_type of its highest-confidence asserted or
claimed mention, or "none" when it finds no such event (planned, hypothetical and negated ones do not count).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from eventlens.coref.within_article import merge_within_article
from eventlens.evaluation.labelled import read_labelled
from eventlens.extract.registry import Extractor, SentenceClassifier
from eventlens.model import Article, EventMention, Modality, content_id, event_type_of
from eventlens.nlp.parser import ParsedArticle

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "Confusion",
    "EvalReport",
    "Example",
    "LabelScore",
    "SystemOutput",
    "evaluate",
    "format_report",
    "read_examples",
    "score",
]

log = logging.getLogger(__name__)
NONE = "none"
_REPORTED = {Modality.ASSERTED, Modality.CLAIMED}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    fatalities: int | None = None
    actor1: str | None = None


@dataclass(frozen=True, slots=True)
class SystemOutput:
    """One system answer for one example: label, plus fatalities/actor when the system gives them."""

    label: str
    confidence: float = 1.0
    fatalities: int | None = None
    actor1: str | None = None


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True, slots=True)
class Confusion:
    gold: str
    predicted: str
    count: int


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Scores in percent (0-100). ``none_*``: "none" as a class (recall = share of no-event texts left alone);
    ``event_*``: detecting that a text reports any event at all."""

    system: str
    n: int
    weighted_f1: float
    macro_f1: float
    accuracy: float
    event_type_accuracy: float
    none_precision: float
    none_recall: float
    event_precision: float
    event_recall: float
    per_label: tuple[LabelScore, ...]
    confusions: tuple[Confusion, ...]
    fatality_accuracy: float | None = None
    fatality_n: int = 0
    actor_accuracy: float | None = None
    actor_n: int = 0
    sentences_per_second: float = 0.0

    def to_json(self) -> str:
        from dataclasses import asdict

        return json.dumps(asdict(self), indent=2)


def read_examples(path: Path, *, split: str | None = None) -> list[Example]:
    """Labelled examples from a JSONL file (only rows whose "split" equals ``split``, when given)."""

    def build(row: dict[str, Any]) -> Example:
        fat = row.get("fatalities")
        deaths = None if fat is None else int(fat)
        return Example(str(row["text"]), str(row["label"]), deaths, row.get("actor1"))

    return read_labelled(
        path, build, split=split, record="labelled example with 'text' and 'label'",
        plural="labelled examples",
    )


def _event_type(label: str) -> str:
    try:
        return event_type_of(label)
    except KeyError:
        return NONE


def _pct(num: float, den: float) -> float:
    return 100.0 * num / den if den else 0.0


def _label_scores(gold: Sequence[str], pred: Sequence[str]) -> list[LabelScore]:
    pairs = Counter(zip(gold, pred, strict=True))
    g, p = Counter(gold), Counter(pred)
    out = []
    for lab in sorted(set(gold) | set(pred)):
        tp = pairs[(lab, lab)]
        prec, rec = _pct(tp, p[lab]), _pct(tp, g[lab])
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append(LabelScore(lab, prec, rec, f1, g[lab], p[lab]))
    return out


def _field_accuracy(
    examples: Sequence[Example], outputs: Sequence[SystemOutput]
) -> tuple[float | None, int, float | None, int]:
    fat = [
        (e.fatalities, o.fatalities or 0)
        for e, o in zip(examples, outputs, strict=True)
        if e.fatalities is not None and e.label != NONE
    ]
    act = [
        (e.actor1.lower(), (o.actor1 or "").lower())
        for e, o in zip(examples, outputs, strict=True)
        if e.actor1 and e.label != NONE
    ]
    fat_acc = _pct(sum(g == p for g, p in fat), len(fat)) if fat else None
    act_acc = _pct(sum(bool(p) and (g in p or p in g) for g, p in act), len(act)) if act else None
    return fat_acc, len(fat), act_acc, len(act)


def score(
    system: str,
    examples: Sequence[Example],
    outputs: Sequence[SystemOutput],
    *,
    seconds: float = 0.0,
    top_confusions: int = 15,
) -> EvalReport:
    """Compare system outputs with gold labels."""
    gold = [e.label for e in examples]
    pred = [o.label for o in outputs]
    per = _label_scores(gold, pred)
    support = [s for s in per if s.support]
    n = len(gold)
    none = next((s for s in per if s.label == NONE), LabelScore(NONE, 0.0, 0.0, 0.0, 0, 0))
    is_ev = [(g != NONE, p != NONE) for g, p in zip(gold, pred, strict=True)]
    ev_tp = sum(g and p for g, p in is_ev)
    wrong = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    fat_acc, fat_n, act_acc, act_n = _field_accuracy(examples, outputs)
    return EvalReport(
        system=system,
        n=n,
        weighted_f1=sum(s.f1 * s.support for s in support) / n if n else 0.0,
        macro_f1=sum(s.f1 for s in support) / len(support) if support else 0.0,
        accuracy=_pct(sum(g == p for g, p in zip(gold, pred, strict=True)), n),
        event_type_accuracy=_pct(
            sum(_event_type(g) == _event_type(p) for g, p in zip(gold, pred, strict=True)), n
        ),
        none_precision=none.precision,
        none_recall=none.recall,
        event_precision=_pct(ev_tp, sum(p for _, p in is_ev)),
        event_recall=_pct(ev_tp, sum(g for g, _ in is_ev)),
        per_label=tuple(per),
        confusions=tuple(Confusion(g, p, c) for (g, p), c in wrong.most_common(top_confusions)),
        fatality_accuracy=fat_acc,
        fatality_n=fat_n,
        actor_accuracy=act_acc,
        actor_n=act_n,
        sentences_per_second=n / seconds if seconds > 0 else 0.0,
    )


def _classify(clf: SentenceClassifier, texts: Sequence[str]) -> list[SystemOutput]:
    return [SystemOutput(p.label, p.probability) for p in clf.predict(texts)]


def _best(mentions: Sequence[EventMention]) -> SystemOutput:
    """The event (mentions merged as the pipeline merges them) holding the most confident reported
    mention; planned, hypothetical and negated mentions are no event."""
    mentions = [m for m in mentions if m.coding.modality in _REPORTED]
    if not mentions:
        return SystemOutput(NONE)
    events = [e for e in merge_within_article(mentions) if e.mentions]
    if not events:
        return SystemOutput(NONE)
    top = max(events, key=lambda e: max(m.coding.confidence for m in e.mentions))
    coding = top.coding
    actor = coding.actor1
    return SystemOutput(
        coding.sub_event_type,
        max(m.coding.confidence for m in top.mentions),
        coding.fatalities,
        (actor.surface or actor.name) if actor else None,
    )


def _extract_all(extractor: Extractor, texts: Sequence[str], nlp: Language) -> list[SystemOutput]:
    from eventlens.nlp.parser import parse

    articles = []
    for text in texts:
        doc_id = content_id("d", text)
        articles.append(Article(id=f"{doc_id}-a0", doc_id=doc_id, index=0, title=None, text=text))
    parsed: list[ParsedArticle] = list(parse(nlp, articles))
    return [_best(extractor.extract(p)) for p in parsed]


def evaluate(
    path: Path,
    system: SentenceClassifier | Extractor,
    *,
    split: str | None = None,
    nlp: Language | None = None,
    name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Run ``system`` (a classifier with ``.predict`` or an extractor with ``.extract``) over ``path``.

    ``nlp`` is the spaCy pipeline an extractor needs (default: ``Settings().spacy_model``).
    """
    examples = read_examples(path, split=split)
    texts = [e.text for e in examples]
    start = time.perf_counter()
    if hasattr(system, "extract"):
        if nlp is None:
            from eventlens.config import Settings
            from eventlens.nlp.parser import load_pipeline

            nlp = load_pipeline(Settings().spacy_model)
        outputs = _extract_all(cast(Extractor, system), texts, nlp)
        label = name or str(getattr(system, "name", type(system).__name__))
    else:
        outputs = _classify(system, texts)
        label = name or type(system).__name__
    seconds = time.perf_counter() - start
    if progress is not None:
        progress(len(outputs))
    log.info("scored %s on %d examples from %s in %.1fs", label, len(examples), path, seconds)
    return score(label, examples, outputs, seconds=seconds)


def _opt(value: float | None, n: int) -> str:
    return "n/a" if value is None else f"{value:.1f} (n={n})"


def format_report(report: EvalReport, *, per_label: bool = True) -> str:
    """A plain-text report: headline scores, per-label precision/recall/F1, top confusions."""
    lines = [
        f"system: {report.system}   examples: {report.n}   "
        f"speed: {report.sentences_per_second:.1f} sentences/s",
        f"sub_event_type  weighted F1 {report.weighted_f1:.1f}   macro F1 {report.macro_f1:.1f}   "
        f"accuracy {report.accuracy:.1f}",
        f"event_type accuracy {report.event_type_accuracy:.1f}",
        f"none  precision {report.none_precision:.1f}   recall {report.none_recall:.1f}   "
        f"(event detection precision {report.event_precision:.1f}, recall {report.event_recall:.1f})",
        f"fatalities exact {_opt(report.fatality_accuracy, report.fatality_n)}   "
        f"actor1 match {_opt(report.actor_accuracy, report.actor_n)}",
    ]
    if per_label:
        lines += ["", f"{'label':<38}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}"]
        lines += [
            f"{s.label:<38}{s.precision:7.1f}{s.recall:7.1f}{s.f1:7.1f}{s.support:6d}{s.predicted:6d}"
            for s in report.per_label
        ]
    if report.confusions:
        lines += ["", "top confusions (gold -> predicted: count)"]
        lines += [f"  {c.gold} -> {c.predicted}: {c.count}" for c in report.confusions]
    return "\n".join(lines)
