"""Decide what a group of cue hits is: the ACLED sub-event type and its two actors.

Sharp cues decide alone (a weapon, "ceasefire", "arrested"); violence verbs ("killed", "shot")
are resolved by who acted on whom: protesters shot by security forces are excessive force,
soldiers killed by militants an armed clash, civilians killed by gunmen an attack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.extract.arguments.actors import ActorInfo, ActorResolver, Kind
from eventlens.extract.arguments.countries import CountryContext
from eventlens.extract.arguments.roles import (
    between_sides,
    clause_roles,
    fill_actors,
    nominal_roles,
    speaker_of,
    targeted_force,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from eventlens.extract.rules.candidates import Group

__all__ = ["GroupDecision", "decide_group"]

_WEAPON_ORDER = (
    "Suicide bomb",
    "Chemical weapon",
    "Air/drone strike",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Shelling/artillery/missile attack",
)
_WEAK_WEAPON_WORDS = frozenset("artillery blast bomb drone explosion jet missile mortar rocket shell".split())
_ATTACK_VERBS = frozenset(
    "attack blow bomb break carry claim conduct continue damage deploy destroy detonate drop erupt "
    "explode fall fire go hit hurl injure kill land launch leave lob plant pound rip rock shell shoot "
    "strike target tear throw use wound".split()
)
_AGREE_VERBS = frozenset(
    "accept agree announce broker come conclude declare exchange hold issue mediate negotiate publish "
    "reach release say seal sign strike swap take".split()
)
_PLACE_NOUNS = frozenset(
    "airport area base border camp capital checkpoint city control county crossing district headquarters "
    "hill locality neighborhood neighbourhood outpost port position province region territory town "
    "village".split()
)
_BASE_NOUNS = {"base", "headquarters", "camp", "outpost", "office", "command", "garrison", "post"}
_GROUP_NOUNS = frozenset(
    "alliance army battalion brigade coalition faction force front group militia movement unit wing".split()
)
_WITHDRAW_WORDS = {"troop", "force", "forces", "soldier", "army", "military", "contingent", "unit", "fighter"}
_NATURAL_CAUSES = frozenset(
    "accident avalanche blaze collapse crash disease earthquake fire flood heat heatwave illness "
    "landslide lightning storm virus rain rains cyclone mudslide drought famine hunger cold".split()
)
_DISRUPTED = frozenset(
    "attack plot bomb explosive device ied weapon arm ammunition drone missile rocket mine cache "
    "attempt bombing grenade rifle gun firearm munition".split()
)
_AIRCRAFT = frozenset("helicopter aircraft plane jet warplane drone bomber gunship".split())
_ARMED_WORDS = re.compile(
    r"\b(army|troops|soldiers|military|forces|militants?|militias?|rebels?|insurgents?|fighters|jihadists?|"
    r"police|gunmen|brigades?|faction)\b",
    re.IGNORECASE,
)
_THROWN = frozenset("stone rock brick bottle projectile molotov".split())
_RUN_ONTO = frozenset({"hit", "strike", "step", "drive", "run", "detonate", "trigger"})
_SET_OFF = frozenset({"detonate", "trigger"})
_CARRY_VERBS = frozenset({"use", "carry", "deploy", "drop", "launch"})
_PROPERTY_ONLY = frozenset({"destroy", "demolish", "burn", "smash", "raze", "steal"})
_CASUALTY_WORDS = frozenset({"wound", "injure", "injury", "injured", "wounded"})
_STATEISH = {Kind.STATE, Kind.POLICE, Kind.GOVERNMENT}
_ARMED_KINDS = {Kind.STATE, Kind.POLICE, Kind.ARMED}


@dataclass(frozen=True, slots=True)
class GroupDecision:
    sub_event_type: str
    actor1: ActorInfo | None
    actor2: ActorInfo | None
    strength: float
    sharp: bool


def _armed_patient(group: Group, patient: Token | None) -> Token | None:
    """ "Militants attacked a military post, killing four soldiers": the people killed or hurt by a
    merged participle verb name the victims better than the object of the first verb."""
    for hit in group.hits:
        head = hit.head
        if hit.cue.family in ("kill", "hurt") and head.i != group.anchor.i and head.tag_ == "VBG":
            obj = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return obj
    return patient


def _when_clause_agent(anchor: Token) -> Token | None:
    """ "Five soldiers were killed when militants attacked a checkpoint": the when-clause's subject."""
    for clause in anchor.children:
        if clause.dep_ == "advcl" and any(c.lower_ in ("when", "as") for c in clause.children):
            subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ != "PRON":
                return subj
    return None


def _firer(agent: Token | None) -> Token | None:
    """ "Artillery shells fired by government forces hit ...": the one who fired the weapon."""
    if agent is None or agent.pos_ not in ("NOUN", "PROPN"):
        return agent
    for acl in (c for c in agent.children if c.dep_ == "acl" and c.tag_ == "VBN"):
        agents = [p for a in acl.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        by = agents[0] if agents else None
        if by is not None:
            return by
    return agent


def _weapon(group: Group) -> tuple[str, float] | None:
    weapons = group.hits_of("weapon")
    if not weapons:
        return None
    violent_context = bool(group.families & {"kill", "hurt", "clash", "loot"}) or (
        group.anchor.lemma_.lower() in _ATTACK_VERBS - _CARRY_VERBS
    )
    strong = [h for h in weapons if h.head.lemma_.lower() not in _WEAK_WEAPON_WORDS or len(h.span) > 1]
    usable = weapons if violent_context else strong
    if not usable:
        return None
    best = min(usable, key=lambda h: _WEAPON_ORDER.index(h.cue.sub or ""))
    shooter = next((c for c in group.anchor.children if c.dep_ == "nsubj"), None)
    if shooter is not None and shooter.lemma_.lower() in _AIRCRAFT and best.cue.sub != "Suicide bomb":
        return "Air/drone strike", best.cue.strength  # "helicopters fired missiles"
    return best.cue.sub or "", best.cue.strength


def _objects(anchor: Token) -> list[Token]:
    """The anchor's objects: direct objects, passive subjects and prepositional objects, one
    level deep through a direct object ("took control of the town")."""
    direct = [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass", "attr", "nsubj")]
    preps = [c for t in [anchor, *direct] for c in t.children if c.dep_ == "prep"]
    return direct + [p for pr in preps for p in pr.children if p.dep_ == "pobj"]


def _has_place_object(anchor: Token) -> bool:
    return any(
        t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in _PLACE_NOUNS
        for t in _objects(anchor)
        if t.dep_ != "nsubj"
    )


def decide_group(group: Group, resolver: ActorResolver, ctx: CountryContext) -> GroupDecision | None:
    """The sub-event type and actors for a group, or None if it is no event."""
    anchor = group.anchor
    trigger = group.hits[0].head
    verbal = any(h.head.i == anchor.i for h in group.hits) or anchor.lemma_.lower() in _ATTACK_VERBS
    if anchor.pos_ in ("VERB", "AUX") and verbal:
        agent_tok, patient_tok = clause_roles(anchor)
    else:
        agent_tok, patient_tok = nominal_roles(trigger)
    patient_tok = _armed_patient(group, patient_tok)
    sides = between_sides(group)
    if sides is not None:
        agent_tok, patient_tok = sides
    if agent_tok is None and anchor.pos_ in ("VERB", "AUX"):
        agent_tok = _when_clause_agent(anchor)
    if agent_tok is not None and agent_tok.pos_ == "PRON":
        agent_tok = speaker_of(anchor)
    agent_tok = _firer(agent_tok)
    a1 = resolver.resolve(agent_tok, ctx) if agent_tok is not None else None
    a2 = resolver.resolve(patient_tok, ctx) if patient_tok is not None else None
    if a2 is not None and a2.count == 0 and group.families <= {"kill", "hurt"}:
        return None  # "no one was killed": a count, not an event
    if (
        agent_tok is not None
        and agent_tok.lemma_.lower() in _NATURAL_CAUSES
        and group.families <= {"kill", "hurt"}
    ):
        return None  # "a fire killed six people"
    decided = _decide(group, a1, a2, ctx)
    if decided is None:
        return None
    sub, strength, sharp = decided
    ran_onto = any(h.head.dep_ == "dobj" and h.head.head.i == anchor.i for h in group.hits_of("weapon"))
    ran_onto = ran_onto and anchor.lemma_.lower() in _RUN_ONTO
    bomber = a1 is not None and a1.kind == Kind.ARMED and anchor.lemma_.lower() in _SET_OFF
    if sub == "Remote explosive/landmine/IED" and ran_onto and not bomber:
        # "the patrol hit a roadside bomb", "a bus detonated a landmine": the subject is the victim
        # (but "assailants detonated an explosive device" did it)
        a1, a2 = None, a1
    a1, a2 = fill_actors(sub, a1, a2, resolver, ctx, group)
    return GroupDecision(sub, a1, a2, strength, sharp)


def _decide(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, ctx: CountryContext
) -> tuple[str, float, bool] | None:
    fam = group.families
    kinds = {a.kind for a in (a1, a2) if a}
    if "agree" in fam and group.anchor.lemma_.lower() in _AGREE_VERBS - {"say", "take", "come", "hold"}:
        return "Agreement", 0.8, True  # "agreed to a ceasefire after two days of fighting"
    if "disrupt" in fam and (
        "weapon" in fam or {t.lemma_.lower() for t in _objects(group.anchor)} & _DISRUPTED
    ):
        if a1 is not None and a1.kind == Kind.ARMED:
            return "Looting/property destruction", 0.7, True  # militants seizing weapons
        return "Disrupted weapons use", 0.8, True
    weapon = _weapon(group)
    if weapon:
        return weapon[0], weapon[1], True
    if "protest" in fam or Kind.PROTESTER in kinds:
        protest = _protest(group, a1, a2, fam)
        if protest:
            return protest
    if "intervene" in fam and "kill" not in fam and (a1 is None or a1.kind in _STATEISH):
        return "Protest with intervention", 0.7, True  # "police fired tear gas to disperse the crowd"
    for family, sub in (("mob", "Mob violence"), ("sexual", "Sexual violence")):
        if family in fam:
            return sub, 0.8, True
    if "abduct" in fam:
        return "Abduction/forced disappearance", 0.85, True
    territory = _territory(group, a1, fam)
    if territory:
        return territory
    return _violence_or_strategic(group, a1, a2, fam)


def _protest(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, fam: set[str]
) -> tuple[str, float, bool] | None:
    state_involved = any(a and a.kind in _STATEISH for a in (a1, a2))
    marchers = {h.head.lemma_.lower() for h in group.hits_of("protest") if not h.is_nominal}
    if marchers and marchers <= {"march", "rally"} and a1 is not None and a1.kind in _STATEISH | {Kind.ARMED}:
        return None  # troops marching, forces rallying
    if "kill" in fam or ("hurt" in fam and state_involved and "intervene" not in fam):
        if state_involved or a1 is None:
            return "Excessive force against protesters", 0.75, True
        return None
    if "riot" in fam or "loot" in fam or "clash" in fam:
        return "Violent demonstration", 0.75, True
    if "intervene" in fam or "arrest" in fam:
        return "Protest with intervention", 0.75, True
    if "protest" in fam:
        return "Peaceful protest", 0.8, True
    return None


def _territory(group: Group, a1: ActorInfo | None, fam: set[str]) -> tuple[str, float, bool] | None:
    if not fam & {"regain", "overtake", "transfer"} or not _has_place_object(group.anchor):
        return None
    if "transfer" in fam:
        return "Non-violent transfer of territory", 0.75, True
    state = a1 is not None and a1.kind in _STATEISH
    if "regain" in fam:
        return (
            (
                "Government regains territory"
                if state or a1 is None
                else "Non-state actor overtakes territory"
            ),
            0.8,
            True,
        )
    return ("Government regains territory" if state else "Non-state actor overtakes territory"), 0.7, True


def _violence_or_strategic(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, fam: set[str]
) -> tuple[str, float, bool] | None:
    if "loot" in fam and "hurt" in fam and a1 is not None and a1.kind == Kind.CIVILIAN and "kill" not in fam:
        return "Violent demonstration", 0.65, False  # "angry residents stormed an office, smashing windows"
    if fam & {"riot", "clash"} or (fam & {"loot"} and a1 is not None and a1.kind == Kind.RIOTER):
        return _riot_or_clash(group, a1, a2, fam)
    if "arrest" in fam and "kill" not in fam:
        return _arrest(group, a1)
    if fam & {"kill", "hurt"}:
        return _harm(group, a1, a2, fam)
    if "loot" in fam:
        lemmas = {h.head.lemma_.lower() for h in group.hits_of("loot")}
        if lemmas <= _PROPERTY_ONLY and (a1 is None or a1.kind in (Kind.CIVILIAN, Kind.GOVERNMENT)):
            return None  # "two cars were destroyed": damage from an event told elsewhere
        return "Looting/property destruction", 0.75, True
    return _strategic(group, a1, a2, fam)


def _riot_or_clash(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, fam: set[str]
) -> tuple[str, float, bool] | None:
    if fam & {"riot", "loot"} and a1 is not None and a1.kind == Kind.RIOTER:
        return "Violent demonstration", 0.7, True
    if "riot" in fam:
        arson = all(not h.is_nominal for h in group.hits_of("riot"))
        if arson and a1 is not None and a1.kind in _ARMED_KINDS:
            return "Looting/property destruction", 0.7, True  # militias torching homes
        return "Violent demonstration", 0.7, True
    verbs = {
        h.head.lemma_.lower()
        for h in group.hits_of("clash")
        if not h.is_nominal and h.head.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj")
    }
    armed = any(a is not None and a.kind in _ARMED_KINDS for a in (a1, a2))
    if verbs and verbs <= {"fight", "battle"} and not armed:
        return None  # "fought for peace"
    fights = {h.head.lemma_.lower() for h in group.hits_of("clash")}
    if fights <= {"fight", "battle"} and not armed and not _ARMED_WORDS.search(group.anchor.sent.text):
        return None  # "a fight outside a nightclub"
    return "Armed clash", 0.8, True


def _harm(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, fam: set[str]
) -> tuple[str, float, bool] | None:
    """Killing and wounding without a weapon cue: by whom, against whom."""
    if a1 is not None and a1.kind == Kind.RIOTER:
        return "Mob violence", 0.7, True
    if _hurt_by_thrown_objects(group.anchor):
        return "Violent demonstration", 0.65, False  # "officers were injured by stones"
    if not _violence_told(group, a1, fam):
        return None
    verbs = {h.head.lemma_.lower() for h in group.hits if h.cue.family == "hurt"}
    if (
        verbs
        and verbs <= {"attack", "assault"}
        and a1 is not None
        and a1.kind in (Kind.CIVILIAN, Kind.GOVERNMENT)
    ):
        return None  # "the minister attacked the budget plans": words, not violence
    strength = max(h.cue.strength for h in group.hits if h.cue.family in ("kill", "hurt"))
    state_agent = a1 is not None and a1.kind in (Kind.STATE, Kind.POLICE)
    targeted = a2 is None and not state_agent and targeted_force(group.anchor.sent.text) is not None
    if (a2 is not None and a2.kind in _ARMED_KINDS) or targeted:
        return "Armed clash", strength - 0.05, False  # "opened fire on a checkpoint": armed victims
    if a1 is not None and a1.kind == Kind.CIVILIAN and a2 is None:
        return None
    return "Attack", strength, False


def _hurt_by_thrown_objects(anchor: Token) -> bool:
    agents = [p for a in anchor.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    thrown = [c for c in anchor.children if c.dep_ == "nsubj"] if anchor.lemma_.lower() == "hit" else []
    return any(t.lemma_.lower() in _THROWN for t in agents + thrown)


def _violence_told(group: Group, a1: ActorInfo | None, fam: set[str]) -> bool:
    """Injuries with no one inflicting them are casualty counts of an event told elsewhere, and
    raids by state forces without killing are security operations, not attacks."""
    lemmas = {h.head.lemma_.lower() for h in group.hits if h.cue.family == "hurt"}
    if "kill" not in fam and lemmas <= _CASUALTY_WORDS and a1 is None:
        return False
    return not ("kill" not in fam and lemmas <= {"raid", "storm"} and a1 is not None and a1.kind in _STATEISH)


def _arrest(group: Group, a1: ActorInfo | None) -> tuple[str, float, bool] | None:
    if all(h.is_nominal for h in group.hits_of("arrest")):
        return None  # "house arrest", "the arrests": a state or a reference, not a telling
    if a1 is not None and a1.kind == Kind.ARMED:
        return "Abduction/forced disappearance", 0.7, True
    return "Arrests", 0.8, True


def _strategic(
    group: Group, a1: ActorInfo | None, a2: ActorInfo | None, fam: set[str]
) -> tuple[str, float, bool] | None:
    anchor = group.anchor
    words = {t.lemma_.lower() for t in anchor.subtree} if anchor.pos_ in ("VERB", "AUX") else set()
    if "agree" in fam:
        noun_verbs = {h.head.head.lemma_.lower() for h in group.hits_of("agree")}
        if anchor.lemma_.lower() in _AGREE_VERBS or noun_verbs & _AGREE_VERBS:
            return "Agreement", 0.8, True
        return None
    if "base" in fam and {t.lemma_.lower() for t in _objects(anchor)} & _BASE_NOUNS:
        return "Headquarters or base established", 0.75, True
    if "change" in fam:
        verbs = {h.head.lemma_.lower() for h in group.hits_of("change")}
        if verbs & {"withdraw", "pull", "redeploy", "deploy"} and words & _WITHDRAW_WORDS:
            return "Change to group/activity", 0.7, True
        objects = {
            c.lemma_.lower() for c in anchor.children if c.dep_ in ("dobj", "nsubjpass", "attr", "nsubj")
        }
        if verbs & {"form", "merge", "split", "break", "disband", "pledge"} and objects & _GROUP_NOUNS:
            return "Change to group/activity", 0.65, True
    return None
