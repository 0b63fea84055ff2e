"""rules.v1's policy: when the optional sentence classifier may change, add or drop a rule answer.

Sharp cues stay authoritative; the classifier is consulted only where the cues are weak (see
:class:`eventlens.extract.rules.coder.RuleExtractor`).
"""

from __future__ import annotations

from dataclasses import dataclass

from eventlens.extract.registry import Prediction
from eventlens.extract.rules.decide import Resolution
from eventlens.model import SUB_EVENT_TYPES, event_type_of

__all__ = ["Decision", "combine_with_classifier", "relabel_allowed"]


@dataclass(frozen=True, slots=True)
class Decision:
    """A sub-event type with the confidence it is held with (rule, classifier or both)."""

    sub_event_type: str
    confidence: float


def combine_with_classifier(rule: Resolution | None, prediction: Prediction | None) -> Decision | None:
    """Combine a rule resolution with a classifier prediction; sharp cues stay authoritative.

    A weak rule (violence resolved from actors alone) may be relabelled only within its event
    type, or between Attack and Armed clash (whose line is who the victims were); a label from
    another type ("protest leader shot dead" read as excessive force) only lowers confidence.
    Tune the thresholds here by measurement; nothing else in the coder mixes the two sources.
    """
    if prediction is None or prediction.label not in SUB_EVENT_TYPES | {"none"}:
        return Decision(rule.sub_event_type, rule.strength) if rule else None
    label, p = prediction.label, prediction.probability
    if rule is not None and (rule.sharp or label == rule.sub_event_type):
        bonus = 0.08 if label == rule.sub_event_type else 0.0
        return Decision(rule.sub_event_type, min(0.98, rule.strength + bonus))
    if rule is not None:
        if label == "none":
            return None if p >= 0.85 else Decision(rule.sub_event_type, rule.strength - 0.1 * p)
        if p >= 0.6 and relabel_allowed(rule.sub_event_type, label):
            return Decision(label, 0.5 * rule.strength + 0.5 * p)
        return Decision(rule.sub_event_type, rule.strength - 0.1 * p)
    if label != "none" and p >= 0.75:
        return Decision(label, 0.8 * p)
    return None


def relabel_allowed(rule_sub: str, label: str) -> bool:
    return event_type_of(rule_sub) == event_type_of(label) or {rule_sub, label} <= {"Attack", "Armed clash"}
