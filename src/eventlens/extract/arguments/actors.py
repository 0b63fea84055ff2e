"""Actors: turn the noun phrase around an event trigger into an ACLED-style Actor.

Named groups come from ``data/actors.tsv`` (written by the project); everyone else is named by
category and country: "Military Forces of Iraq (2020-)", "Police Forces of Iraq (2020-)",
"Unidentified Armed Group (Iraq)", "Civilians (Iraq)", "Protesters (Iraq)", "Rioters (Iraq)",
"Government of Iraq (2022-)". Unknown named militias keep their own name, so invented groups
("the Black Hand militia") work without any dictionary entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from eventlens.extract.arguments.countries import CountryContext, country_of_word
from eventlens.geo.countries import CountryTable
from eventlens.model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "OPERATION_NOUNS", "ActorInfo", "ActorResolver", "Kind", "fold_spelling", "load_group_aliases",
    "noun_phrase",
]


class Kind:
    """Actor categories the coder reasons with (plain strings, compared by identity of value)."""

    STATE = "state"
    POLICE = "police"
    GOVERNMENT = "government"
    ARMED = "armed"
    PROTESTER = "protester"
    RIOTER = "rioter"
    CIVILIAN = "civilian"


@dataclass(frozen=True, slots=True)
class ActorInfo:
    actor: Actor
    kind: str
    assoc: str | None = None
    count: int | None = None


_MILITARY = frozenset(
    "airforce army artillery battalion coalition commando drone force forces guard gunship jet marine "
    "military navy paratrooper personnel pilot helicopter aircraft regiment sailor serviceman soldier "
    "troop warplane".split()
)
_POLICE = {"police", "policeman", "policemen", "officer", "cop", "gendarme", "gendarmerie", "patrol"}
_ARMED = frozenset(
    "abductor assailant attacker bandit bomber extremist faction fighter group gunman gunmen insurgency "
    "insurgent jihadist kidnapper men militant militia militiaman militiamen raider rebel terrorist".split()
)
_PROTESTERS = {"protester", "protestor", "demonstrator", "marcher", "striker"}
_RIOTERS = {"rioter", "mob", "crowd", "youth"}
_ASSOC = {
    "journalist": "Journalists",
    "reporter": "Journalists",
    "student": "Students",
    "teacher": "Teachers",
    "farmer": "Farmers",
    "doctor": "Health Workers",
    "nurse": "Health Workers",
    "lawyer": "Lawyers",
    "worshipper": "Christian Group",
    "protest": "Protesters",
    "refugee": "Refugees/IDPs",
    "woman": "Women",
    "women": "Women",
}
_NAMED_HEADS = {
    "militia": 3,
    "brigade": 3,
    "brigades": 3,
    "battalion": 3,
    "faction": 3,
    "front": 2,
    "movement": 2,
    "army": 2,
    "rebels": 2,
    "group": 3,
    "forces": 2,
    "organisation": 2,
    "organization": 2,
    "guard": 3,
}
_INSTALLATIONS = frozenset("post base outpost position checkpoint barracks camp convoy patrol unit".split())
OPERATION_NOUNS = frozenset(
    "strike airstrike raid bombardment shelling shell missile rocket drone attack offensive operation "
    "artillery fire bombing jet warplane helicopter tank".split()
)
_STATE_WORDS = frozenset(
    "security armed government state national federal special army military intelligence riot border counter "
    "counterterrorism elite presidential republican".split()
)
_NOT_PEOPLE = frozenset(
    "area base bomb bridge building camp car checkpoint church city convoy depot device drone facility "
    "grenade home hospital house ied installation it landmine market mine missile mosque office position "
    "positions road rocket school shell site street target that this town vehicle village ammunition "
    "round bullet gas shot fire teargas cannon control territory cache weapon arm explosive shipment "
    "blast explosion attack raid truck lorry bus tanker motorcycle motorbike tyre tire shop store "
    "property stall warehouse stick knife machete gun rifle stone rock club spear arrow axe".split()
)
_CUT_DEPS = {"relcl", "acl", "conj", "cc", "punct", "advcl", "prep"}


def _base_lemma(head: Token) -> str:
    """The lower-case lemma; capitalised plurals the tagger took for names ("Militants ambushed",
    "FIGHTERS") lose their plural s."""
    lemma = head.lemma_.lower()
    if head.tag_ == "NNPS" or (head.pos_ == "PROPN" and head.is_upper):
        if lemma.endswith("men"):
            return lemma
        if lemma.endswith("s") and not lemma.endswith("ss"):
            return lemma[:-1]
    return lemma


def noun_phrase(head: Token) -> list[Token]:
    """The tokens of a noun phrase without its clauses, prepositions and conjuncts."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(
            c for c in tok.children if c.dep_ not in _CUT_DEPS or (c.dep_ == "prep" and c.lower_ == "of")
        )
    return sorted(out, key=lambda t: t.i)


#: words of a sentence that says who did it ("al-Shabaab claimed the attack", "blamed on the BLA")
_ATTRIBUTES = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|responsibility|responsible|blam(?:e|es|ed|ing)|carried out|behind the)\b",
    re.IGNORECASE,
)

#: a sentence in which the group disowns the act: it names no doer
_DENIES = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|disown\w*|reject\w*)\b[^.]{0,40}\b(?:responsibility|involvement|role|"
    r"part|link|claims?)\b|\bnot (?:been )?(?:responsible|involved|behind)\b",
    re.IGNORECASE,
)


def fold_spelling(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased with the spellings of one name made one ("Al-Qa'ida" / "al Qaeda",
    "al-Shabaab" / "al Shabab": hyphens as spaces, no apostrophes, no doubled a, qaida as qaeda),
    and for each folded character its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        c = ch.lower()[:1]
        if c in ("'", "’"):
            continue
        c = " " if c == "-" else c
        if c == "a" and out and out[-1] == "a":
            continue
        out.append(c)
        where.append(i)
    return "".join(out).replace("qaida", "qaeda"), where


@lru_cache(maxsize=1)
def load_group_aliases() -> tuple[tuple[str, str, int], ...]:
    """(alias, name, inter) rows of the packaged dictionary, longest alias first."""
    text = resources.files("eventlens").joinpath("data", "actors.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            alias, name, inter = line.split("\t")[:3]
            rows.append((alias.strip().lower(), name.strip(), int(inter)))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


class ActorResolver:
    """Names actors from noun phrases; built once per extractor (regex compiled once)."""

    def __init__(self, table: CountryTable) -> None:
        self.table = table
        self.groups = load_group_aliases()
        self._group_by_alias = {fold_spelling(a)[0]: (n, i) for a, n, i in self.groups}
        folded = sorted(self._group_by_alias, key=len, reverse=True)
        alternatives = "|".join(re.escape(a) for a in folded)
        self._group_re = re.compile(rf"(?<!\w)({alternatives})(?!\w)")

    def _group_matches(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(folded alias, start, end in ``text``) of every dictionary group ``text`` names, however
        it spells the name ("Al-Qaida", "al Shabab", "Kata'ib")."""
        folded, where = fold_spelling(text)
        for m in self._group_re.finditer(folded):
            yield m.group(1), where[m.start()], where[m.end() - 1] + 1

    def _country_in(self, toks: list[Token], ctx: CountryContext) -> str | None:
        gpes = tuple(e.text for e in toks[0].doc.ents if e.label_ == "GPE") if toks else ()
        for tok in toks:
            if tok.is_title and tok.ent_type_ not in ("GPE", "NORP") and self.table.lookup(tok.text):
                return self.table.lookup(tok.text)
            if tok.ent_type_ in ("GPE", "NORP"):
                found = country_of_word(tok.text, self.table, gpes)
                if found:
                    return found
                if tok.ent_type_ == "NORP" and ctx.name and ctx.name.lower().startswith(tok.lower_[:4]):
                    return ctx.name
        return ctx.name

    def _with_country(self, base: str, country: str | None) -> str:
        return f"{base} ({country})" if country else base

    def state_actor(self, base: str, country: str | None, ctx: CountryContext) -> Actor:
        abroad = country and ctx.name and country != ctx.name and self.table.lookup(ctx.name) is not None
        inter = 8 if abroad else 1  # state forces outside their own country are external forces
        if not country:
            return Actor(base, inter)
        period = self.table.period(country, ctx.when)
        name = f"{base} of {country}" + (f" ({period})" if period else "")
        return Actor(name, inter)

    def named_group(self, text: str, ctx: CountryContext) -> Actor | None:
        match = next(self._group_matches(text), None)
        if not match:
            return None
        name, inter = self._group_by_alias[match[0]]
        if "{country}" in name:
            name = name.replace("{country}", ctx.name or "Unknown")
        return Actor(name, inter, text)

    def named_groups(self, text: str, ctx: CountryContext) -> list[tuple[Actor, int]]:
        """Every distinct armed group of the dictionary ``text`` names, with the weight of its
        naming (1 a mention, 2 one in a sentence that attributes: "claimed", "blamed", "carried
        out"; 0 one that denies it: "the Taliban denied responsibility"), heaviest first (ties in
        order of first mention)."""
        found: dict[str, tuple[Actor, int]] = {}
        for alias, start, stop in self._group_matches(text):
            name, inter = self._group_by_alias[alias]
            name = name.replace("{country}", ctx.name or "Unknown")
            actor, n = found.get(name, (Actor(name, inter, text[start:stop]), 0))
            end = text.find(".", stop)
            sentence = text[text.rfind(".", 0, start) + 1 : end if end >= 0 else len(text)]
            weight = 0 if _DENIES.search(sentence) else 2 if _ATTRIBUTES.search(sentence) else 1
            found[name] = (actor, n + weight)
        return sorted(found.values(), key=lambda a: -a[1])

    def resolve(self, head: Token, ctx: CountryContext) -> ActorInfo | None:
        """The actor a noun phrase headed by ``head`` names, or None if it names no actor."""
        from eventlens.extract.arguments.counts import people_count

        toks = noun_phrase(head)
        surface = head.doc[toks[0].i : toks[-1].i + 1].text
        group = self.named_group(surface, ctx)
        count = people_count(head)
        if group:
            return ActorInfo(Actor(group.name, group.inter, surface), Kind.ARMED, None, count)
        info = self._by_modifier(toks, ctx) if head.lemma_.lower() in OPERATION_NOUNS else None
        if info is None and (head.lemma_.lower() not in OPERATION_NOUNS or head.lemma_.lower() in _MILITARY):
            info = self._by_category(head, toks, ctx)
        if info is None:
            return None
        actor = Actor(info.actor.name, info.actor.inter, surface)
        return ActorInfo(actor, info.kind, info.assoc, count)

    def _by_modifier(self, toks: list[Token], ctx: CountryContext) -> ActorInfo | None:
        """ "An Israeli air strike": the state behind a weapon or operation named by its demonym."""
        if any(t.ent_type_ == "NORP" and t.dep_ in ("amod", "compound") for t in toks):
            country = self._country_in(toks, ctx)
            if country:
                return ActorInfo(self.state_actor("Military Forces", country, ctx), Kind.STATE)
        return None

    def _by_category(self, head: Token, toks: list[Token], ctx: CountryContext) -> ActorInfo | None:
        lemma = _base_lemma(head)
        words = {t.lemma_.lower() for t in toks}
        country = self._country_in(toks, ctx)
        named = self._named_unknown(head, toks)
        if named:
            return named
        if lemma in ("government", "authority", "authorities", "administration", "regime", "junta"):
            return ActorInfo(self.state_actor("Government", country, ctx), Kind.GOVERNMENT)
        if lemma in _INSTALLATIONS and words & {"military", "army", "security"}:
            return ActorInfo(
                self.state_actor("Military Forces", country, ctx), Kind.STATE
            )  # "a military post"
        if lemma in _POLICE or "police" in words:
            return ActorInfo(self.state_actor("Police Forces", country, ctx), Kind.POLICE)
        if lemma == "guard" and words & {"security", "private"} and not words & (_STATE_WORDS - {"security"}):
            return self._people(head, "civilian", words, ctx)  # a private security guard
        if lemma in _MILITARY and (
            lemma not in ("forces", "force", "coalition")
            or words & _STATE_WORDS
            or country != ctx.name
            or any(t.ent_type_ in ("NORP", "GPE") for t in toks)
        ):
            return ActorInfo(self.state_actor("Military Forces", country, ctx), Kind.STATE)
        found = self.table.lookup(head.text) if head.ent_type_ == "GPE" else None
        if found:
            return ActorInfo(self.state_actor("Government", found, ctx), Kind.GOVERNMENT)
        return self._people(head, lemma, words, ctx)

    def _people(self, head: Token, lemma: str, words: set[str], ctx: CountryContext) -> ActorInfo | None:
        c = ctx.name
        if head.ent_type_ == "NORP" and head.tag_ in ("NNPS", "NNS"):
            nation = self.table.lookup(head.text)
            if nation:
                return ActorInfo(Actor(self._with_country("Civilians", nation), 7), Kind.CIVILIAN)
        if lemma in _PROTESTERS:
            return ActorInfo(Actor(self._with_country("Protesters", c), 6), Kind.PROTESTER)
        if lemma in _RIOTERS:
            return ActorInfo(Actor(self._with_country("Rioters", c), 5), Kind.RIOTER)
        if lemma in _ARMED or (
            words & {"armed", "masked", "unidentified", "unknown"} and lemma in ("man", "men")
        ):
            return ActorInfo(Actor(self._with_country("Unidentified Armed Group", c), 3), Kind.ARMED)
        if (
            head.ent_type_ in ("ORG", "NORP", "DATE", "MONEY")
            or lemma in _NOT_PEOPLE
            or (head.pos_ == "PRON" and lemma not in ("she", "he", "her", "him", "they", "them", "i", "we"))
        ):
            return None
        if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            assoc = next((_ASSOC[w] for w in sorted(words) if w in _ASSOC), None)
            return ActorInfo(
                Actor(self._with_country("Civilians", c), 7),
                Kind.CIVILIAN,
                self._with_country(assoc, c) if assoc else None,
            )
        return None

    def _named_unknown(self, head: Token, toks: list[Token]) -> ActorInfo | None:
        """A named militia or movement missing from the dictionary ("the Black Hand militia")."""
        lemma = head.lower_
        if lemma not in _NAMED_HEADS:
            return None
        names = [
            t
            for t in toks
            if t.i < head.i
            and t.is_title
            and t.dep_ in ("compound", "amod", "nmod")
            and t.ent_type_ not in ("GPE", "NORP", "DATE")
            and t.lower_ not in _STATE_WORDS
            and self.table.lookup(t.text) is None
        ]
        if not names:
            return None
        start = names[0].i
        text = head.doc[start : head.i + 1].text
        inter = _NAMED_HEADS[lemma]
        return ActorInfo(Actor(text, inter, text), Kind.ARMED)
