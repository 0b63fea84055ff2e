"""What the within-article coreference modules share: the back-reference test and the event kinds.

A back-reference is an event noun that only points back to an event told elsewhere ("Her
killing", "the attack"); :func:`is_back_reference` finds them, whichever extractor coded them.
"""

from __future__ import annotations

import re

from eventlens.model import EventMention

__all__ = [
    "ARMED_INTERS",
    "BACK_REFERENCE_CONFIDENCE",
    "CROWD_TYPES",
    "PRONOUNS",
    "VIOLENT_TYPES",
    "is_back_reference",
    "is_background",
    "possessive",
    "words_before_trigger",
]

#: the confidence rules.v1 gives a mention that only points back to an event told elsewhere
BACK_REFERENCE_CONFIDENCE = 0.25
_POINTERS = {"the", "this", "that", "these", "those", "her", "his", "their", "its", "such"}
PRONOUNS = {"her", "his", "their", "its"}
_TIME_OWNERS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "week",
    "month",
    "year",
    "weekend",
}
_BACK_NOUNS = re.compile(
    r"^(killings?|attacks?|murders?|assassinations?|shootings?|bombings?|violence|abductions?|"
    r"kidnappings?|(joint )?statement|agreement|deal|ceasefire|truce|clash(es)?|strikes?|air ?strikes?|"
    r"protests?|demonstrations?|arrests?|raids?|ambush(es)?|massacres?|explosions?|blasts?|incident)$",
    re.IGNORECASE,
)
_TOLL = re.compile(r"\btolls?\b", re.IGNORECASE)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
#: a time before the report's own incident: "a bombing last month", "an attack weeks ago"
_EARLIER = re.compile(
    rf"\b(?:(?:last|previous|past)\s+(?:week|month|year|weekend|{_MONTHS})|"
    r"earlier\s+(?:this|that|in\s+the)\s+(?:week|month|year)|"
    r"(?:a|one|two|three|four|five|six|several|few|\d+)\s+(?:weeks?|months?|years?)\s+(?:ago|earlier|before))\b",
    re.IGNORECASE,
)
#: an incident counted in a series: "the third attack in the city this week", "the latest bombing"
_SERIES = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|latest|\d+(?:st|nd|rd|th))\s+"
    r"(?:\w+\s+)?(?:attacks?|bombings?|blasts?|explosions?|killings?|shootings?|strikes?|incidents?|"
    r"protests?|assaults?|ambush(?:es)?|raids?)\b",
    re.IGNORECASE,
)
CROWD_TYPES = frozenset({"Protests", "Riots"})
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
ARMED_INTERS = frozenset({1, 2, 3, 4, 8})


def words_before_trigger(m: EventMention, n: int = 3) -> list[str]:
    """The last ``n`` words of the evidence before the trigger."""
    if m.trigger is None:
        return []
    prefix = m.evidence.text[: max(0, m.trigger.start - m.evidence.start)]
    return re.findall(r"[\w'’]+", prefix)[-n:]


def is_back_reference(m: EventMention) -> bool:
    """An event noun that only refers back ("Her killing", "the Basra killings", "the attack").

    The extractor gives such mentions ``BACK_REFERENCE_CONFIDENCE`` or less; the text test below
    also catches them from other extractors.
    """
    if m.coding.confidence <= BACK_REFERENCE_CONFIDENCE:
        return True
    if m.trigger is None or not _BACK_NOUNS.match(m.trigger.text):
        return False
    if _TOLL.search(m.evidence.text[: max(0, m.trigger.start - m.evidence.start)]):
        return False  # "the death toll from Friday's bombing has risen to 17": the story's event
    before = words_before_trigger(m)
    if not before:
        return False
    last = before[-1]
    if last.endswith(("'s", "’s")):
        return True  # "Hashemi's killing", "Saturday's attack"
    if m.coding.date_text:
        return False
    if last.lower() in _POINTERS:
        return True
    return any(w.lower() in _POINTERS for w in before[-2:]) and not any(w.isdigit() for w in before)


def possessive(m: EventMention) -> bool:
    """The event noun is owned by a pronoun or a name ("Her killing", "Hashemi's killing"); a
    day's ("Friday's bombing") dates the event rather than pointing elsewhere."""
    before = words_before_trigger(m)
    last = before[-1] if before else ""
    owner = last.lower().removesuffix("'s").removesuffix("’s")
    return last.lower() in PRONOUNS or (last.endswith(("'s", "’s")) and owner not in _TIME_OWNERS)


def is_background(m: EventMention) -> bool:
    """Told as background to a report's own incident: an earlier incident ("after a bombing last
    month killed 12"), or the incident counted in a series ("the third attack this week"). Only
    a mention told after the report's lead incident is background (:func:`merge_within_article`)."""
    text = m.evidence.text
    return bool(_EARLIER.search(text) or _SERIES.search(text))
