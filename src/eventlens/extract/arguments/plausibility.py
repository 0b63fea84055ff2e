"""Codebook conditions a sub-event type places on the sentence that tells it.

Some readings need something the sentence must say: sexual violence is coded only as political or
group violence (armed groups, security forces, unrest), not as ordinary crime; territory changes
hands only where a place or a position is named ("withdraws from the agreement" moves no front
line); a change to a group's activity needs an armed or security actor or a security measure (a
country leaving a treaty is diplomacy); an arrest is recorded only when it is political (who is
arrested, or why), not when police arrest a murder or hit-and-run suspect. Reports and studies being
released are not incidents.

A violent act named only as the time or the reason of other news ("the embassy reopens two weeks
after an attack") is not an event either.

:func:`codebook_recode` applies the rules that change a reading's type: a fight between unorganised
groups is mob violence even when the text says "clash"; ground taken with no fight is a non-violent
transfer, and otherwise the side that gains it decides the type; freeing people abducted earlier is
a development (Other), not a new abduction.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from eventlens.extract.arguments.modality import political_sentence, previous_sentence
from eventlens.extract.arguments.plover import plover_for
from eventlens.model import Actor, EventCoding, event_type_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["codebook_recode", "implausible_reason"]

_TERRITORY_SUBS = frozenset({
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
})
#: what a withdrawal, handover or "regaining" is of when no ground changes hands
_NOT_TERRITORY = re.compile(
    r"\b(withdr[ae]w\w*|pull\w* out|hand\w* over|handover|regain\w*|ced(e|es|ed|ing)|transfer\w*|"
    r"takes? over|took over) (from |of |over |to )?(the |its |a |an |their |his |her )?(\w+ ){0,3}"
    r"(agreement|treaty|talks|deal|race|presidency|chairmanship|access|competition|negotiations|election|"
    r"accord|pact|organi[sz]ation|alliance|council|summit|league|tournament|custody|immigration|company|"
    r"stake|shares|rights|command of the|leadership)\b",
    re.I,
)
#: sexual violence told as a crime, a trial, a law or a scandal, not as political or group violence
_SEXUAL_CRIME = re.compile(
    r"\b(court|trial|sentenced|convicted|jailed|prison|term for|admits?|admitted|charged|accused of|"
    r"allegations?|alleged|scandal|priests?|bishops?|church|teachers?|coach|law|bill|parliament|"
    r"paedophil\w*|pedophil\w*|gang of|abuse ring|investigation|allegedly|alleging|book|tourists?)\b",
    re.I,
)
_SECURITY_MEASURE = re.compile(
    r"\b(curfew|state of emergency|martial law|deploy\w*|redeploy\w*|reinforce\w*|checkpoints?|"
    r"warships?|navy|fleet|air force|forces?|guards?|battalions?|units?|fighters?|combatants?|group|"
    r"faction|commanders?|peacekeep\w*|mission|brigades?|wing|movement|coalition|vigilantes?)\b",
    re.I,
)
_REPORT_RELEASE = re.compile(
    r"\b(releases?|released|publish(es|ed)?|issues?|issued) (a |an |its |the )?(\w+ ){0,2}report\b|"
    r"\breports? (into|regarding|on the (use|situation))\b",
    re.I,
)


#: who is arrested, or why, that makes an arrest political: opposition figures, officials, activists,
#: journalists, protesters, soldiers, members of armed or banned groups; terrorism, coups, espionage,
#: unrest, protests, political violence. The arresting police are no sign of it.
_POLITICAL_ARREST = re.compile(
    r"\b(opposition|activists?|dissidents?|journalists?|reporters?|bloggers?|lawmakers?|legislators?|"
    r"congress\w*|MPs?|senators?|politicians?|ministers?|prime minister|president\w*|mayors?|governors?|"
    r"leaders?|officials?|party|parliament\w*|protest\w*|demonstrat\w*|rall(y|ies)|strikers?|students|"
    r"unions?|coup|mutin\w*|treason|espionage|spy|spies|terror\w*|extremis\w*|Islamists?|jihad\w*|"
    r"militants?|insurgents?|rebels?|militias?|fighters?|soldiers?|military|troops|policemen|commanders?|"
    r"gunmen|separatists?|sectarian|riot\w*|unrest|uprising|crackdown|sedition|subversi\w*|incit\w*|"
    r"anti-government|regime|junta|bomb\w*|attacks?|explosions?|assassinat\w*|plot\w*|cells?|"
    r"networks?|members? of|-linked|hostages?|kidnap\w*|abduct\w*|lynch\w*|hate crimes?|neo-Nazi\w*|"
    r"far-right|ultra-right|ISIS|ISIL|Islamic State|al-Qaeda|Hamas|Hezbollah|Taliban|Boko Haram)\b",
    re.I,
)


def _with_previous(sent: Span) -> str:
    """The sentence and the one before it ("Gunmen stormed a bank. A suspect is arrested.")."""
    previous = previous_sentence(sent)
    return sent.text if previous is None else previous.text + " " + sent.text


#: prepositions that make an act the time or the reason of other news ("martial law ends a month
#: after an attack", "MSF suspends operations following the killings", "arrested over a bombing")
_CONTEXT_PREPS = frozenset({"after", "following", "over", "since", "despite", "amid", "for"})
#: main verbs that tell violence themselves ("soldiers die after an attack on their post")
_VIOLENT_ROOTS = frozenset(
    "kill die wound injure hurt shoot attack strike hit explode bomb target ambush storm clash fight leave "
    "claim".split()
)


_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: a sentence that counts the act's dead or wounded tells the act ("two dead after a grenade blast")
_TOLL = re.compile(r"\b(dead|killed|killing|injured|wounded|died|casualties)\b", re.I)


def _act_as_context(trigger: Token, sent: Span) -> bool:
    """The act is a noun after "after", "following", "over"... under a main verb of other news."""
    if trigger.pos_ not in ("NOUN", "PROPN") or trigger.dep_ != "pobj":
        return False
    prep = trigger.head
    if prep.lower_ not in _CONTEXT_PREPS and not (prep.lower_ == "to" and prep.head.lower_ == "response"):
        return False
    root = sent.root
    if root.pos_ not in ("VERB", "AUX") or root.lemma_.lower() in _VIOLENT_ROOTS:
        return False
    return root.i in (prep.head.i, prep.head.head.i)  # "ends a month after an attack"


def implausible_reason(sub_event_type: str, sent: Span, trigger: Token | None = None) -> str | None:
    """Why the sentence cannot tell an event of this sub-type, or None. ``trigger``: the word
    that names the act, when the reading has one."""
    text = sent.text
    if (trigger is not None and event_type_of(sub_event_type) in _VIOLENT_TYPES and not _TOLL.search(text)
            and _act_as_context(trigger, sent)):
        return f"the act is the time or reason of other news ({trigger.head.text} ... {trigger.text})"
    if _REPORT_RELEASE.search(text):
        return "a report or study released, not an incident"
    if sub_event_type == "Sexual violence" and _SEXUAL_CRIME.search(text) and not political_sentence(sent):
        return "sexual violence told as crime, trial or scandal, not political or group violence"
    if sub_event_type in _TERRITORY_SUBS and _NOT_TERRITORY.search(text):
        return "no place or position changes hands"
    if sub_event_type == "Change to group/activity" and not (
        political_sentence(sent) or _SECURITY_MEASURE.search(text)
    ):
        return "no armed or security actor, no security measure"
    if sub_event_type == "Arrests" and not _POLITICAL_ARREST.search(_with_previous(sent)):
        return "an arrest told as ordinary crime: nobody political arrested, no political reason"
    return None


#: unorganised sides of a fight (codebook: villagers, families, clans, party supporters)
_UNORGANISED = re.compile(
    r"\b(communit(y|ies)|villagers|residents|supporters|youths?|clans?|families|neighbou?rs|locals|"
    r"migrants|students|fans|mobs?|sectarian|communal)\b",
    re.I,
)
#: an armed, organised side: then it is a battle or an attack after all
_ORGANISED = re.compile(
    r"\b(soldiers?|troops|army|military|police\w*|forces|militants?|rebels?|insurgents?|militia\w*|gunmen|"
    r"fighters?|jihadists?|guerrillas?|armed (group|men)|terror\w*|security|gangs?)\b",
    re.I,
)
#: the news is people freed, released or rescued, the abduction told as what had happened to them
_FREED = re.compile(
    r"\b(freed|frees|free|released?|releases|releasing|rescued?|rescues|liberated|set free)\b", re.I
)
_ABDUCTED_EARLIER = re.compile(
    r"\b(who (was|were|had been) (abducted|kidnapped|taken hostage|seized)|"
    r"(abducted|kidnapped|seized|taken hostage) (\w+ ){0,6}(ago|last|earlier|in (19|20)\d\d|on \w+ \d+|"
    r"in (january|february|march|april|may|june|july|august|september|october|november|december)))",
    re.I,
)


#: ground taken with no fight: the other side had left it, or gave no resistance
_UNCONTESTED = re.compile(
    r"\bwithout (a fight|a shot|any resistance|resistance|fighting)|\bunopposed\b|"
    r"\bafter (\w+ ){0,4}(withdr[ae]w\w*|pull(s|ed)? out|retreat\w*|abandon\w*|evacuat\w*|fled|flee\w*)",
    re.I,
)


def codebook_recode(coding: EventCoding, sent: Span) -> EventCoding:
    """The reading with the codebook's type where the sentence decides it otherwise: a "clash"
    between communities, villagers or supporters with no armed or security side is Mob violence
    by rioters; ground taken without a fight, or after the other side withdrew, is a non-violent
    transfer, and otherwise the side that gains it decides its type (state forces regain, a
    non-state group overtakes); a sentence whose news is people freed after an earlier abduction
    tells a release (Other), not an abduction."""
    text = sent.text
    sub = coding.sub_event_type
    named_armed = any(a is not None and a.inter in (1, 2, 3, 8) and not a.name.startswith("Unidentified")
                      for a in (coding.actor1, coding.actor2))
    if sub == "Armed clash" and _UNORGANISED.search(text) and not _ORGANISED.search(text) and not named_armed:
        return _as(coding, "Mob violence", actor1=Actor("Rioters", 5))
    if sub in _TERRITORY_SUBS and sub != "Non-violent transfer of territory" and _UNCONTESTED.search(text):
        return _as(coding, "Non-violent transfer of territory", actor1=coding.actor1)
    gainer = coding.actor1
    if sub == "Non-state actor overtakes territory" and gainer is not None and gainer.inter == 1:
        return _as(coding, "Government regains territory", actor1=gainer)
    if sub == "Government regains territory" and gainer is not None and gainer.inter in (2, 3, 4):
        return _as(coding, "Non-state actor overtakes territory", actor1=gainer)
    if sub == "Abduction/forced disappearance" and _FREED.search(text) and _ABDUCTED_EARLIER.search(text):
        freer = coding.actor1 if coding.actor1 and coding.actor1.inter != 7 else None
        return _as(coding, "Other", actor1=freer)
    return coding


def _as(coding: EventCoding, sub: str, actor1: Actor | None) -> EventCoding:
    return replace(coding, event_type=event_type_of(sub), sub_event_type=sub, plover_event=plover_for(sub),
                   actor1=actor1)
