"""ACLED sub-event type -> PLOVER event type (the 16 PLOVER 2021 categories).

Written by the project from the PLOVER manual's definitions (see ONTOLOGY.md): violence is
ASSAULT, arrests and seizures COERCE, protests and riots PROTEST, accords AGREE, withdrawals
RETREAT, handovers CONCEDE, bases and deployments MOBILIZE.
"""

from __future__ import annotations

from eventlens.model import ACLED_TYPES, PLOVER_TYPES

__all__ = ["covers_ontology", "plover_for"]

_BY_SUB: dict[str, str] = {
    "Armed clash": "ASSAULT",
    "Government regains territory": "ASSAULT",
    "Non-state actor overtakes territory": "ASSAULT",
    "Chemical weapon": "ASSAULT",
    "Air/drone strike": "ASSAULT",
    "Suicide bomb": "ASSAULT",
    "Shelling/artillery/missile attack": "ASSAULT",
    "Remote explosive/landmine/IED": "ASSAULT",
    "Grenade": "ASSAULT",
    "Sexual violence": "ASSAULT",
    "Attack": "ASSAULT",
    "Abduction/forced disappearance": "ASSAULT",
    "Peaceful protest": "PROTEST",
    "Protest with intervention": "PROTEST",
    "Excessive force against protesters": "ASSAULT",
    "Violent demonstration": "PROTEST",
    "Mob violence": "ASSAULT",
    "Agreement": "AGREE",
    "Arrests": "COERCE",
    "Change to group/activity": "MOBILIZE",
    "Disrupted weapons use": "COERCE",
    "Headquarters or base established": "MOBILIZE",
    "Looting/property destruction": "COERCE",
    "Non-violent transfer of territory": "CONCEDE",
    "Other": "COERCE",
}
_RETREAT_WORDS = ("withdr", "pull", "retreat", "leav", "drawdown")


def covers_ontology() -> bool:
    """Every ACLED sub-event type has a PLOVER type, and only the 16 PLOVER names are used."""
    subs = {s for group in ACLED_TYPES.values() for s in group}
    return set(_BY_SUB) == subs and set(_BY_SUB.values()) <= set(PLOVER_TYPES)


def plover_for(sub_event_type: str, trigger_text: str = "") -> str | None:
    """The PLOVER type of an ACLED sub-event type; withdrawals are RETREAT, not MOBILIZE."""
    if sub_event_type == "Change to group/activity" and trigger_text.lower().startswith(_RETREAT_WORDS):
        return "RETREAT"
    return _BY_SUB.get(sub_event_type)
