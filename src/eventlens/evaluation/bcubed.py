"""B-cubed precision, recall and F1 of a clustering against gold clusters.

For each item: precision = |pred cluster ∩ gold cluster| / |pred cluster|, recall = the same
over |gold cluster|; both averaged over items (Bagga & Baldwin 1998).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["BCubed", "bcubed"]

K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    n_items: int
    n_predicted: int
    n_gold: int

    @property
    def records_per_event(self) -> float:
        """Predicted clusters per gold cluster (1.0 = one record per real event)."""
        return self.n_predicted / self.n_gold if self.n_gold else 0.0


def _groups(assign: Mapping[K, C]) -> dict[C, set[K]]:
    groups: dict[C, set[K]] = defaultdict(set)
    for item, cluster in assign.items():
        groups[cluster].add(item)
    return groups


def bcubed(predicted: Mapping[K, Hashable], gold: Mapping[K, Hashable]) -> BCubed:
    """Score ``predicted`` (item -> cluster) against ``gold`` over the items both assign."""
    items = [i for i in gold if i in predicted]
    if len(items) != len(gold) or len(items) != len(predicted):
        raise ValueError("predicted and gold must assign the same items")
    pred_g, gold_g = _groups(predicted), _groups(gold)
    p = r = 0.0
    for i in items:
        pc, gc = pred_g[predicted[i]], gold_g[gold[i]]
        both = len(pc & gc)
        p += both / len(pc)
        r += both / len(gc)
    n = len(items)
    prec, rec = (p / n, r / n) if n else (1.0, 1.0)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return BCubed(prec, rec, f1, n, len(pred_g), len(gold_g))
