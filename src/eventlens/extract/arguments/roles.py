"""Roles: who acted on whom in a clause or an event noun, and ACLED's conventions for the actor
slots (unknown attackers, protest sides, the governments behind an agreement)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from eventlens.extract.arguments.actors import OPERATION_NOUNS, ActorInfo, ActorResolver, Kind
from eventlens.extract.arguments.countries import CountryContext
from eventlens.extract.arguments.spans import SAY_VERBS, after_dateline, is_dateline
from eventlens.model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventlens.extract.rules.candidates import Group

__all__ = [
    "ARMED_AGENT_SUBS",
    "agent_in_sentence",
    "between_sides",
    "clause_roles",
    "fill_actors",
    "nominal_roles",
    "speaker_of",
    "unidentified",
]

_PATIENT_NOUNS = frozenset(
    "abduction arrest assassination death detention execution kidnapping killing murder rape".split()
)
_STATEISH = {Kind.STATE, Kind.POLICE, Kind.GOVERNMENT}
_FIGHT_VERBS = frozenset({"clash", "fight", "battle", "skirmish", "exchange"})


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def clause_roles(anchor: Token) -> tuple[Token | None, Token | None]:
    """(agent, patient) noun heads of a clause, passive voice aware."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in anchor.children)
    subj = next((c for c in _children(anchor, "nsubj", "nsubjpass") if not is_dateline(c, anchor)), None)
    if subj is None:
        line = next((c for c in _children(anchor, "nsubj", "nsubjpass") if is_dateline(c, anchor)), None)
        subj = after_dateline(line) if line is not None else None
    if subj is None and anchor.dep_ in ("acl", "relcl") and anchor.head.pos_ in ("NOUN", "PROPN"):
        obj = next(iter(_children(anchor, "dobj")), None)
        if anchor.tag_ == "VBN" and obj is not None:
            return anchor.head, obj  # "Gunmen ... killed at least 14 people" misread as a participle
        if anchor.tag_ == "VBN":  # "soldiers killed in the attack"
            agent = next((p for a in _children(anchor, "agent") for p in _children(a, "pobj")), None)
            return agent, anchor.head
        subj = anchor.head  # "hundreds of teachers protesting"
    up = anchor
    for _ in range(3):
        if subj is not None or up.dep_ not in ("conj", "advcl", "xcomp") or up.head.i == up.i:
            break
        up = up.head  # "The attackers arrived ..., firing at residents and setting fire to homes"
        subj = next(iter(_children(up, "nsubj")), None)
    by = next((p for a in _children(anchor, "agent") for p in _children(a, "pobj")), None)
    if passive or (by is not None and anchor.tag_ == "VBN"):
        return by, (subj if passive else None)  # "Rockets fired by government forces hit ..."
    obj = next(iter(_children(anchor, "dobj")), None)
    if obj is None:
        obj = next(
            (
                p
                for pr in _children(anchor, "prep")
                if pr.lower_ in ("on", "at", "against")
                or (pr.lower_ == "with" and anchor.lemma_.lower() in _FIGHT_VERBS)
                for p in _children(pr, "pobj")
                if p.ent_type_ not in ("DATE", "TIME")  # "On 3 January 2020, forces clashed with ..."
            ),
            None,
        )
    if obj is None and subj is not None and anchor.lemma_.lower() in _FIGHT_VERBS:
        obj = next((c for c in subj.conjuncts if c.i > subj.i), None)  # "Al Shabaab and AMISOM clashed"
    return subj, obj


def speaker_of(anchor: Token) -> Token | None:
    """The subject of the say/claim verb a clause is reported under ("the army said it had ...")."""
    tok = anchor
    for _ in range(3):
        if tok.dep_ == "acl" and tok.head.lemma_.lower() in _REPORT_NOUNS:
            tok = next((v for v in tok.head.ancestors if v.pos_ in ("VERB", "AUX")), tok.head)
            return _subject_of_saying(tok)  # "said in a statement that it had carried out ..."
        if tok.dep_ not in ("ccomp", "conj", "xcomp") or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.lemma_.lower() in ("say", "claim", "announce", "admit", "confirm", "report"):
            return next((c for c in tok.children if c.dep_ == "nsubj"), None)
    return None


_REPORT_NOUNS = frozenset("statement message video post communique claim announcement".split())


def _subject_of_saying(verb: Token) -> Token | None:
    if verb.lemma_.lower() not in ("say", "claim", "announce", "admit", "confirm", "report"):
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def nominal_roles(noun: Token) -> tuple[Token | None, Token | None]:
    """Agent and patient of an event noun: "X's attack on Y", "attack by X", "Y's killing"."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    agent, patient = (None, poss) if noun.lemma_.lower() in _PATIENT_NOUNS else (poss, None)
    for prep in _children(noun, "prep"):
        pobj = next(iter(_children(prep, "pobj")), None)
        if prep.lower_ == "by" and agent is None:
            agent = pobj
        elif prep.lower_ in ("on", "against", "of", "at") and patient is None:
            patient = pobj
        elif prep.lower_ == "between" and pobj is not None:
            other = next((c for c in pobj.children if c.dep_ == "conj"), None)
            return pobj, other  # "clashes between government forces and Houthi rebels"
    return agent, patient


def between_sides(group: Group) -> tuple[Token, Token] | None:
    """The two sides of a fight named as "clashes/fighting between X and Y" anywhere in the group."""
    for hit in group.hits:
        if hit.cue.family != "clash":
            continue
        for prep in _children(hit.head, "prep"):
            if prep.lower_ != "between":
                continue
            first = next(iter(_children(prep, "pobj")), None)
            second = next((c for c in first.children if c.dep_ == "conj"), None) if first else None
            if first is not None and second is not None:
                return first, second
    return None


_PROTEST_SUBS = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
_TERRITORY_SUBS = ("Government regains territory", "Non-state actor overtakes territory")
_VICTIM_SUBS = ("Attack", "Abduction/forced disappearance", "Sexual violence")
ARMED_AGENT_SUBS = frozenset({
    *_VICTIM_SUBS, "Armed clash", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Grenade", "Chemical weapon",
})
_AGENTS = frozenset({Kind.ARMED, Kind.STATE, Kind.POLICE})
#: a subject of these tells of the event; "claimed" is left out ("al-Shabaab claimed the attack")
_SOURCE_VERBS = SAY_VERBS - {"claim"}


def unidentified(actor: Actor) -> bool:
    return actor.name.startswith("Unidentified Armed Group")


_COUNTED = r"(?:an?|the|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|dozens of|a group of)"
_POLICE = r"police(?:m[ae]n|wom[ae]n)?|gendarmes?|gendarmerie"  # "a police patrol": "police" is enough
_ARMY = (r"soldiers?|troops|(?:army|military) (?:patrol|post|base|convoy|vehicle|headquarters)|barracks"
         r"|checkpoint")
#: a force's post or vehicle, attacked in or on: "a suicide bomber in a military headquarters"
_POST = r"(?:army|military|police|security) (?:post|base|headquarters|compound|station|bus|convoy|academy)"
#: state forces as the codebook's descriptions name them, and the posts an armed group attacks them in
#: ("attacked an SNA base", "overran a FAMa position", "stormed the garrison"); a bare "camp" is not one
_FORCE_NAMES = (r"SNA|FAMa|ANA|ANP|ANDSF|FARDC|SAF|FDS|ISF|KDF|IDF|army|military|government|security|"
                r"police|troops'|soldiers'")
_BASES = r"bases?|outposts?|garrisons?|barracks|positions?|posts?|(?<=\s)(?:army|military|police) camps?"
#: a security force as the target of the act: "near a police patrol", "at an army base", "killing
#: four soldiers", "two policemen were wounded" (not "police said", where police report the event)
_TARGETED = re.compile(
    rf"\b(?:at|on|near|outside|targeting|targeted|against|hit|hitting|struck|striking|ambushed|attacked"
    rf"|killing|killed|wounding|wounded|injuring|injured)\s+(?:{_COUNTED}\s+)?(?:[a-z-]+\s+)?"
    rf"(?P<what>{_POLICE}|{_ARMY})\b"
    rf"|\b(?:{_COUNTED}\s+)(?:[a-z-]+\s+)?(?P<victims>{_POLICE}|{_ARMY})\s+(?:were|was|are|is)\s+"
    rf"(?:\w+\s+)?(?:killed|wounded|injured|hurt)\b"
    rf"|\b(?:in|of|stormed?|storming|bombed|bombing)\s+(?:an?|the)\s+(?:[A-Za-z-]+\s+)?(?P<post>{_POST})\b"
    rf"|\b(?P<hit>{_POST})\b[^.;]{{0,60}}?\b(?:were|was|are|is)\s+(?:\w+\s+)?"
    rf"(?:hit|attacked|targeted|stormed|struck|bombed|ambushed)\b"
    rf"|\b(?:attack(?:ed|ing)?|storm(?:ed|ing)?|overr?an|overrunning|raid(?:ed|ing)?|ambush(?:ed|ing)?|"
    rf"target(?:ed|ing)|on|at|against)\s+(?:(?:an?|the|their|several|two|three|\d+)\s+)?"
    rf"(?:(?:{_FORCE_NAMES})\s+)?(?P<base>{_BASES})\b",
    re.IGNORECASE,
)


#: acts whose victim side a targeted force fills
_TARGETED_SUBS = frozenset({
    "Attack", "Armed clash", "Remote explosive/landmine/IED", "Suicide bomb", "Air/drone strike", "Grenade",
    "Shelling/artillery/missile attack", "Non-state actor overtakes territory",
})


def targeted_force(text: str) -> str | None:
    """ "Police Forces" or "Military Forces" when ``text`` names soldiers, police or their post as
    the target of the act (codebook: an assault on a checkpoint is a battle), else None."""
    m = _TARGETED.search(text)
    if m is None:
        return None
    return "Police Forces" if re.search(rf"\b(?:{_POLICE})\b", m[0], re.IGNORECASE) else "Military Forces"


def agent_in_sentence(
    sent: SpacySpan, resolver: ActorResolver, ctx: CountryContext, patient: ActorInfo | None = None
) -> ActorInfo | None:
    """The armed agent a sentence names outside the event clause's subject: a named group anywhere
    in it ("an attack claimed by al-Shabaab", "Boko Haram militants"), the state behind a weapon or
    operation ("a Russian missile strike", "IDF airstrikes"), or the agent of a passive ("killed by
    gunmen"). Victims (objects, passive subjects) and ``patient`` are never taken."""
    taken = patient.actor.name if patient else None
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        by_agent = tok.dep_ == "pobj" and tok.head.lower_ == "by"
        if not (tok.dep_ == "nsubj" or by_agent or tok.lemma_.lower() in OPERATION_NOUNS):
            continue
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _SOURCE_VERBS:
            continue  # "Police said a bomb exploded": the police report the event
        info = resolver.resolve(tok, ctx)
        if info is None or info.kind not in _AGENTS or info.actor.name == taken:
            continue
        if unidentified(info.actor):
            continue  # the default the caller falls back on anyway
        return info
    # a named group before the main verb, however the parse went ("Suspected Boko Haram militants attack")
    lead = sent.doc[sent.start : sent.root.i].text
    named = resolver.named_group(lead, ctx) if lead else None
    if named is not None and named.name != taken:
        return ActorInfo(named, Kind.ARMED)
    return None


def fill_actors(
    sub: str,
    a1: ActorInfo | None,
    a2: ActorInfo | None,
    resolver: ActorResolver,
    ctx: CountryContext,
    group: Group,
) -> tuple[ActorInfo | None, ActorInfo | None]:
    """ACLED conventions for missing or swapped actors (unknown attackers, protest sides)."""
    country = f" ({ctx.name})" if ctx.name else ""
    if sub in _PROTEST_SUBS:
        return _crowd_sides(sub, a1, a2, country)
    if sub == "Agreement":
        return _governments(group, resolver, ctx)
    if sub in _TERRITORY_SUBS and a2 is not None and a2.kind == Kind.CIVILIAN:
        a2 = None  # "overran an army outpost": a place taken, not civilians
    if sub in _TERRITORY_SUBS and a2 is None:
        loser = next(
            (
                p
                for pr in _children(group.anchor, "prep")
                if pr.lower_ == "from"
                for p in _children(pr, "pobj")
            ),
            None,
        )
        a2 = resolver.resolve(loser, ctx) if loser is not None else None  # "retook the town from the RSF"
    if sub in ARMED_AGENT_SUBS and (a1 is None or a1.kind == Kind.CIVILIAN or unidentified(a1.actor)):
        found = agent_in_sentence(group.anchor.sent, resolver, ctx, a2)
        if found is not None:
            a1 = found
    if sub in _VICTIM_SUBS and (a1 is None or a1.kind == Kind.CIVILIAN):
        a1 = ActorInfo(Actor(f"Unidentified Armed Group{country}", 3), Kind.ARMED)
    state_agent = a1 is not None and a1.kind in (Kind.STATE, Kind.POLICE)
    force = targeted_force(group.anchor.sent.text) if sub in _TARGETED_SUBS and a2 is None else None
    if force is not None and not state_agent:
        kind = Kind.POLICE if force == "Police Forces" else Kind.STATE
        a2 = ActorInfo(resolver.state_actor(force, ctx.name, ctx), kind)  # "opened fire on a checkpoint"
    if sub in _VICTIM_SUBS and a2 is None:
        a2 = ActorInfo(Actor(f"Civilians{country}", 7), Kind.CIVILIAN)
    if sub == "Arrests" and (a1 is None or a1.kind == Kind.CIVILIAN):
        a1 = ActorInfo(resolver.state_actor("Police Forces", ctx.name, ctx), Kind.POLICE)
    return a1, a2


def _crowd_sides(
    sub: str, a1: ActorInfo | None, a2: ActorInfo | None, country: str
) -> tuple[ActorInfo, ActorInfo | None]:
    """Protesters (or rioters) first, the forces that met them second."""
    side = Kind.RIOTER if sub == "Violent demonstration" else Kind.PROTESTER
    base = "Rioters" if side == Kind.RIOTER else "Protesters"
    crowd = next((a for a in (a1, a2) if a and a.kind in (Kind.PROTESTER, Kind.RIOTER)), None)
    other = next((a for a in (a1, a2) if a and a.kind in _STATEISH), None)
    people = crowd or next((a for a in (a1, a2) if a and a.kind == Kind.CIVILIAN), None)
    surface = people.actor.surface if people else None
    inter = 5 if side == Kind.RIOTER else 6
    return ActorInfo(Actor(f"{base}{country}", inter, surface), side, people.assoc if people else None), other


def _parties(group: Group) -> list[Token]:
    """The coordinated subject of the agreeing clause ("Hamas and Israel agreed ...")."""
    for verb in (group.anchor, group.anchor.head):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return [subj, *[t for t in subj.subtree if t.dep_ == "conj" and t.head.i in {subj.i}]]
    return []


def _governments(
    group: Group, resolver: ActorResolver, ctx: CountryContext
) -> tuple[ActorInfo | None, ActorInfo | None]:
    """The two sides of an agreement: its named parties, else the governments of the countries
    the sentence names."""
    infos: list[ActorInfo] = []
    for tok in _parties(group):
        info = resolver.resolve(tok, ctx)
        if (
            info is not None
            and info.kind != Kind.CIVILIAN
            and info.actor.name not in {i.actor.name for i in infos}
        ):
            infos.append(info)
    names: list[str] = []
    for ent in group.anchor.sent.ents:
        if ent.label_ == "GPE":
            found = resolver.table.lookup(ent.text) or (ent.text if ent.text == ctx.name else None)
            if found and found not in names:
                names.append(found)
    for n in names:
        actor = resolver.state_actor("Government", n, ctx)
        if len(infos) < 2 and actor.name not in {i.actor.name for i in infos}:
            infos.append(ActorInfo(actor, Kind.GOVERNMENT))
    return (infos[0] if infos else None), (infos[1] if len(infos) > 1 else None)
