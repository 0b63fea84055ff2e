"""One death figure from several reported ones, ACLED-style.

Conflicting reports of the same dead keep the lowest figure ("police said 12; other sources said
20" = 12); a figure told as the initial one gives way to the revised one ("initially said five ...
later raised the toll to nine" = 9); the dead of distinct sides told apart add up ("killing eight
assailants; three soldiers also died" = 11), unless the text sets the figures against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["CONTRAST", "Report", "combine", "is_superseded", "side_of"]

#: victims by side: the dead of two different sides are two figures, not two reports of one
_SIDES = {
    "state": frozenset(
        "soldier troop policeman policemen officer police gendarme serviceman servicemen guard "
        "constable personnel army trooper marine".split()
    ),
    "armed": frozenset(
        "militant attacker assailant insurgent rebel gunman gunmen fighter jihadist terrorist bomber "
        "militiaman militiamen militia extremist bandit kidnapper raider combatant".split()
    ),
    "civil": frozenset(
        "civilian villager resident worshipper passenger farmer child woman student protester "
        "demonstrator pilgrim worker herder customer bystander".split()
    ),
}
_SINGLE_PRONOUNS = frozenset({"he", "she", "him", "her"})
#: words that set one figure against another: the lower one is kept, even across sides
CONTRAST = frozenset("while but though although whereas however claimed claims claim".split())
#: a figure told as superseded ("initially said five", "up from an initial toll of eight")
_SUPERSEDED = frozenset("initially earlier originally initial preliminary previous first".split())


@dataclass(frozen=True, slots=True)
class Report:
    """One reported figure: how many, whose dead (None: a total), the word that tells the deaths."""

    n: int
    side: str | None
    word: Token
    superseded: bool = False


def side_of(head: Token) -> str | None:
    """The side a victim noun names ("soldiers" -> state, "two of the attackers" -> armed), or None
    for a total ("people", "the toll", a bare number)."""
    noun = head
    of = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
    if head.tag_ == "CD" and of:
        noun = of[0]
    if noun.lower_ in _SINGLE_PRONOUNS:
        return f"person@{noun.i}"  # "before he was shot dead": one more dead person
    lemma = noun.lemma_.lower()
    for side, words in _SIDES.items():
        if lemma in words or noun.lower_ in words or lemma.rstrip("s") in words:
            return side
    return None


def is_superseded(word: Token) -> bool:
    """Whether the figure a lethal word tells is marked as the earlier one. The walk up stops at a
    conjunct: "initially said five had died, but later raised the toll to nine"."""
    tok = word
    for _ in range(6):
        if any(c.dep_ in ("advmod", "amod") and c.lower_ in _SUPERSEDED for c in tok.children):
            return True
        if tok.dep_ == "conj" or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _contested(reports: list[Report]) -> bool:
    sentences = {r.word.sent.start: r.word.sent for r in reports}
    return any(t.lower_ in CONTRAST for s in sentences.values() for t in s)


def combine(reports: list[Report]) -> int | None:
    """The death figure of one event from its reported figures (None when there are none)."""
    current = [r for r in reports if not r.superseded] or reports
    if not current:
        return None
    sides = {r.side for r in current if r.side is not None}
    if len(sides) < 2 or _contested(current):
        return min(r.n for r in current)
    by_side = sum(min(r.n for r in current if r.side == s) for s in sides)
    totals = [r.n for r in current if r.side is None]
    return min([*totals, by_side])
