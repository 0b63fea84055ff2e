"""The one arbitration between rule labels and classifier labels: :func:`merge_label` under a
:class:`HybridPolicy`. Every coder that mixes the two sources decides here, and nowhere else.

Two stages use it, each with its own thresholds (tuned apart; making them one would change coding):

* the rule coder's consult on weak cues (:func:`combine_with_classifier`, :data:`RULES_POLICY`): a
  rule decision that is not sharp (violence read from actors alone), or a rule-silent cue group,
  asks the classifier and gets a :class:`Decision` (label and confidence). rules.v1 registers
  without a classifier; the hybrid coders hand theirs to the rule coder, so this runs first in
  hybrid.v2 and hybrid.v1;
* the hybrid's merge of each rule mention with the classifier's label for its sentence:
  ``HybridPolicy()`` holds hybrid.v2's thresholds, ``V1_POLICY`` hybrid.v1's. They were tuned on the
  dev split of ``data/training/subevents.jsonl`` only (``python scripts/eval_systems.py``), with
  the seed article's events held fixed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.extract.registry import Prediction
from eventlens.model import SUB_EVENT_TYPES, event_type_of

if TYPE_CHECKING:
    from eventlens.extract.rules.decide import GroupDecision

__all__ = [
    "RULES_POLICY", "V1_POLICY", "Decision", "HybridPolicy", "combine_with_classifier", "is_sharp",
    "merge_label", "relabel_allowed", "same_type",
]

#: sub-event types whose sharp rule cues were >= 95% precise on the training split (rules.v1, >= 5
#: sharp answers each): an air strike, a grenade, chlorine are named, not inferred. Arrests (87%)
#: too: the arrest verb names the act, where the classifier reads the suspected deed ("arrested
#: five men suspected of planting a bomb" is not a disrupted weapons use)
_PRECISE_RULE_LABELS = frozenset(
    {
        "Abduction/forced disappearance",
        "Air/drone strike",
        "Armed clash",
        "Arrests",
        "Chemical weapon",
        "Disrupted weapons use",
        "Grenade",
        "Mob violence",
        "Peaceful protest",
        "Sexual violence",
        "Shelling/artillery/missile attack",
    }
)


# -- the hybrid's merge ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HybridPolicy:
    """The hybrid's thresholds; the defaults are hybrid.v2's (tuned on the dev split)."""

    detect_threshold: float = 0.3
    relabel_threshold: float = 0.4
    #: a rule mention this confident keeps its label whatever the classifier says (above 1: never)
    sharp_confidence: float = 0.9
    #: ... but only for these sub-event types (None: any); others are always open to relabelling
    sharp_labels: frozenset[str] | None = _PRECISE_RULE_LABELS
    classifier_weight: float = 0.8
    #: relabelling into another event type needs at least this probability (above 1: never)
    cross_type_threshold: float = 0.4
    #: pairs of sub-event types from two event types relabelled as if they were one type
    same_type_pairs: frozenset[frozenset[str]] = frozenset()
    #: the classifier's "none" at or above this drops a weak rule mention (above 1: never). 0.85
    #: since the classifier learnt from real news (real-text dev: 0.8 gave weighted F1 74.4, none
    #: recall 86.1, detection 86.6; 0.85 73.9 / 85.0 / 86.8 and keeps the seed's joint statement)
    veto_threshold: float = 0.85
    #: a classifier probability at or above this overrides off-topic (crime, accident) contexts
    sure_threshold: float = 0.8
    #: score only sentences that pass :func:`eventlens.nlp.prefilter.relevant_sentence` (bounds cost)
    prefilter: bool = True
    #: at most this many rule-silent sentences per article are scored, earliest first (bounds cost)
    max_silent: int = 4
    #: do not score rule-silent sentences that sit where a retelling would (bounds cost; they
    #: could only add a strategic development)
    skip_retellings: bool = True


#: hybrid.v1's thresholds: sharp rule cues keep their label, cross-type relabels need p >= 0.95
V1_POLICY = HybridPolicy(
    sharp_labels=None,
    detect_threshold=0.4,
    relabel_threshold=0.5,
    sharp_confidence=0.9,
    cross_type_threshold=0.95,
    veto_threshold=0.9,
    sure_threshold=0.95,
)


def is_sharp(label: str, confidence: float, policy: HybridPolicy) -> bool:
    """Is this rule answer sharp enough to keep its label whatever the classifier says?"""
    wanted = policy.sharp_labels
    return confidence >= policy.sharp_confidence and (wanted is None or label in wanted)


def merge_label(
    rule_label: str, rule_confidence: float, prediction: Prediction, policy: HybridPolicy
) -> str | None:
    """The label of a sentence both sources speak about (None: no event).

    A sharp rule (confidence >= ``sharp_confidence``) keeps its label; a weak one takes the
    classifier's label when its probability >= ``relabel_threshold`` (>= ``cross_type_threshold``
    for another event type: "protest leader shot dead" is an attack, not excessive force), and is
    dropped when the classifier says "none" with probability >= ``veto_threshold``."""
    if prediction.label == rule_label or is_sharp(rule_label, rule_confidence, policy):
        return rule_label
    if prediction.label not in SUB_EVENT_TYPES:
        return None if prediction.probability >= policy.veto_threshold else rule_label
    cross = not same_type(rule_label, prediction.label, policy)
    needed = max(policy.relabel_threshold, policy.cross_type_threshold if cross else 0.0)
    return prediction.label if prediction.probability >= needed else rule_label


def same_type(rule_label: str, label: str, policy: HybridPolicy) -> bool:
    """Are two sub-event types of one event type (or a pair the policy treats as one)?"""
    pair = frozenset({rule_label, label})
    return event_type_of(rule_label) == event_type_of(label) or pair in policy.same_type_pairs


# -- the rule coder's consult on weak cues -------------------------------------------------------

#: the rule coder's thresholds for its weak cues: the same arbitration (:func:`merge_label`) as the
#: hybrids', stricter. Sharpness is the cue's own (``GroupDecision.sharp``), never a confidence; a
#: weak label moves within its event type, or between Attack and Armed clash (whose line is who the
#: victims were), at p >= 0.6; a "none" at p >= 0.85 drops it; with no rule answer at all, a label
#: at p >= 0.75 is an event held with 0.8 * p.
RULES_POLICY = HybridPolicy(
    sharp_confidence=2.0,
    sharp_labels=None,
    relabel_threshold=0.6,
    cross_type_threshold=2.0,
    same_type_pairs=frozenset({frozenset({"Attack", "Armed clash"})}),
    veto_threshold=0.85,
    detect_threshold=0.75,
    classifier_weight=0.8,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A sub-event type with the confidence it is held with (rule, classifier or both)."""

    sub_event_type: str
    confidence: float


def combine_with_classifier(rule: GroupDecision | None, prediction: Prediction | None) -> Decision | None:
    """Combine a rule decision with a classifier prediction under :data:`RULES_POLICY`; sharp cues
    stay authoritative. A label from another type ("protest leader shot dead" read as excessive
    force) only lowers a weak rule's confidence."""
    if prediction is None or prediction.label not in SUB_EVENT_TYPES | {"none"}:
        return Decision(rule.sub_event_type, rule.strength) if rule else None
    label, p, policy = prediction.label, prediction.probability, RULES_POLICY
    if rule is None:
        keep = label != "none" and p >= policy.detect_threshold
        return Decision(label, policy.classifier_weight * p) if keep else None
    if rule.sharp or label == rule.sub_event_type:
        bonus = 0.08 if label == rule.sub_event_type else 0.0
        return Decision(rule.sub_event_type, min(0.98, rule.strength + bonus))
    merged = merge_label(rule.sub_event_type, rule.strength, prediction, policy)
    if merged is None:
        return None
    if merged != rule.sub_event_type:
        return Decision(merged, 0.5 * rule.strength + 0.5 * p)
    return Decision(rule.sub_event_type, rule.strength - 0.1 * p)


def relabel_allowed(rule_sub: str, label: str) -> bool:
    """May a weak rule label be relabelled to ``label`` under :data:`RULES_POLICY`?"""
    return same_type(rule_sub, label, RULES_POLICY)
