"""Cue hits and their grouping into event candidates.

A *hit* is one lexicon match in the parse. Hits that hang off the same clause (the *anchor*: the
verb the trigger word attaches to) describe one event and form a *group*: "gunmen opened fire,
killing three" is one group; "X was gunned down on Aug. 14 and four others were shot at Monday"
is two (the second clause has its own subject).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventlens.extract.rules.lexicon import Cue, CueMatcher, cue_by_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Group", "Hit", "find_hits", "group_hits"]

_SKIP_ENTS = {"DATE", "PERSON", "ORG", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "FAC"}
_NOUN_UP_DEPS = frozenset(
    "acomp agent amod appos attr compound conj dative dobj nmod npadvmod nsubj nsubjpass oprd pcomp pobj "
    "prep".split()
)
_VERB_POS = {"VERB", "AUX"}
_FIGURATIVE = frozenset(
    "political legal electoral verbal verbally diplomatic trade economic cyber price court media bidding "
    "custody rhetorical ideological legislative".split()
)
_NOT_PROTEST = frozenset(
    {
        "campaign",
        "election",
        "electoral",
        "victory",
        "campaigning",
        "official",
        "formal",
        "diplomatic",
        "written",
    }
)
_DIPLOMATIC_PROTEST = frozenset({"lodge", "file", "register", "voice", "express", "send", "issue", "deliver"})
#: verbs whose complement is an intention, not a second telling of the same event
_INTENT_VERBS = frozenset(
    "agree aim ask attempt call claim decide deny expect hope intend order plan pledge prepare promise "
    "refuse say seek threaten try urge vote vow want warn".split()
)
#: nouns of quantity an event noun may hang off ("hundreds of protesters")
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_QUANTITY = frozenset(
    "crowd dozen dozens group hundred hundreds many number scores series some spate string tens thousand "
    "thousands wave week weeks day days hour hours month months night nights round bout period".split()
)


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue occurrence: the matched tokens and the word that heads them."""

    cue: Cue
    span: Span

    @property
    def head(self) -> Token:
        return self.span.root

    @property
    def is_nominal(self) -> bool:
        return self.head.pos_ not in _VERB_POS


@dataclass(slots=True)
class Group:
    """Hits about one event: they share an anchor verb (or a standalone trigger noun)."""

    anchor: Token
    hits: list[Hit] = field(default_factory=list)

    @property
    def families(self) -> set[str]:
        return {h.cue.family for h in self.hits}

    @property
    def nominal_only(self) -> bool:
        return all(h.is_nominal for h in self.hits) and self.anchor.pos_ in _VERB_POS | {"NOUN", "PROPN"}

    def hits_of(self, family: str) -> list[Hit]:
        return [h for h in self.hits if h.cue.family == family]


def find_hits(doc: Doc, matcher: CueMatcher) -> list[Hit]:
    """All cue matches, longest first where they overlap, minus names and dates."""

    def rank(m: tuple[int, int, int]) -> tuple[int, bool, int]:
        root = doc[m[1] : m[2]].root
        return (-(m[2] - m[1]), root.dep_ in ("compound", "amod", "nmod"), m[1])

    raw = sorted(matcher(doc), key=rank)
    taken: set[int] = set()
    hits: list[Hit] = []
    vocab = doc.vocab.strings
    for key_id, start, end in raw:
        if any(i in taken for i in range(start, end)):
            continue
        span = doc[start:end]
        if span.root.ent_type_ in _SKIP_ENTS and not span.root.is_lower:
            continue
        taken.update(range(start, end))
        hits.append(Hit(cue_by_key(vocab[key_id]), span))
    hits.sort(key=lambda h: h.span.start)
    return [h for h in hits if not _is_modifier_only(h, taken)]


def _is_modifier_only(hit: Hit, cue_tokens: set[int]) -> bool:
    """A cue noun that only modifies a non-cue noun ("protest leader", "drone footage"), or a
    campaign rally (an electoral event, not a demonstration)."""
    head = hit.head
    if hit.cue.family == "protest" and (
        any(c.lower_ in _NOT_PROTEST for c in head.children)
        or head.head.lemma_.lower() in _DIPLOMATIC_PROTEST
    ):
        return True  # a campaign rally; "lodged an official protest" (a diplomatic note)
    if any(c.lower_ in _FIGURATIVE for c in head.children if c.dep_ in ("amod", "advmod", "compound")):
        return True  # "political battle", "verbally assaulted", "price war"
    if hit.cue.family == "weapon" and head.pos_ == "VERB" and head.lemma_.lower() == "blast":
        return True  # "he blasted the administration"
    if (
        hit.cue.family == "intervene"
        and head.lemma_.lower() == "disperse"
        and not any(c.dep_ in ("dobj", "nsubjpass", "auxpass") for c in head.children)
    ):
        return True  # "the demonstrators dispersed in the evening": they left, no one broke them up
    if hit.cue.family == "agree":
        return False
    if head.dep_ == "amod" and head.head.i not in cue_tokens:
        return True  # "detained activists", "killed protesters": a description, not a telling
    return hit.is_nominal and head.dep_ in ("compound", "nmod") and head.head.i not in cue_tokens


def anchor_of(hit: Hit, cue_tokens: set[int]) -> Token:
    """The verb a trigger attaches to, or the trigger noun itself when it hangs off another noun."""
    tok = hit.head
    if tok.dep_ in ("relcl", "acl") and tok.head.i in cue_tokens and tok.head.pos_ not in _VERB_POS:
        tok = tok.head
    elif tok.pos_ in _VERB_POS and tok.dep_ not in ("amod",):
        return tok
    if tok.dep_ in ("acomp", "oprd", "amod") and tok.head.pos_ in _VERB_POS:
        return tok.head
    last_cue = tok
    cur = tok
    for _ in range(8):
        if cur.dep_ not in _NOUN_UP_DEPS or cur.head.i == cur.i:
            return last_cue
        prev_dep = cur.dep_
        cur = cur.head
        if cur.pos_ in _VERB_POS:
            return cur
        if cur.pos_ in ("NOUN", "PROPN", "NUM"):
            if cur.lower_ in _QUANTITY or cur.pos_ == "NUM" or prev_dep in ("compound", "conj"):
                prev_dep = cur.dep_
                continue
            if cur.i not in cue_tokens:
                return last_cue
            last_cue = cur
    return last_cue


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _merge_target(anchor: Token, hit_heads: set[int], anchors: set[int]) -> Token:
    """Subject-less conjoined or participle clauses belong to their head's event
    ("opened fire, killing three"; "killed two and wounded five"; "fired tear gas to disperse")."""
    cur = anchor
    for _ in range(4):
        head = cur.head
        governing = _participle_governor(cur)
        if governing is not None and governing.i in anchors:
            cur = governing
            continue
        if _has_subject(cur) or head.pos_ not in _VERB_POS or head.i == cur.i:
            return cur
        if (cur.dep_ == "conj" and head.i in hit_heads and cur.i in hit_heads) or (
            cur.dep_ in ("advcl", "xcomp")
            and head.lemma_.lower() not in _INTENT_VERBS
            and (cur.tag_ == "VBG" or (head.i in anchors and cur.i in hit_heads))
        ):
            cur = head
        else:
            return cur
    return cur


def _participle_governor(tok: Token) -> Token | None:
    """ "opened fire on hundreds of protesters ..., killing three": a comma-led participle the
    parser hung on a noun of the clause belongs to that clause's verb."""
    if tok.dep_ != "acl" or tok.tag_ != "VBG" or tok.i == 0 or tok.doc[tok.i - 1].text != ",":
        return None
    cur = tok.head
    for _ in range(5):
        if cur.pos_ in _VERB_POS:
            return cur
        if cur.dep_ not in ("pobj", "prep", "dobj", "conj", "appos") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _crowd_of_act(hit: Hit) -> Token | None:
    """The verb whose object is a crowd described as protesting ("fired on people protesting")."""
    tok = hit.head
    if hit.cue.family != "protest" or tok.dep_ != "acl" or tok.tag_ != "VBG":
        return None
    cur = tok.head
    for _ in range(5):
        if cur.pos_ in _VERB_POS:
            return cur
        if cur.dep_ not in ("pobj", "prep", "dobj") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def group_hits(hits: list[Hit]) -> list[Group]:
    """Group hits by anchor, in text order."""
    cue_tokens = {i for h in hits for i in range(h.span.start, h.span.end)}
    anchors = [anchor_of(hit, cue_tokens) for hit in hits]
    hit_heads = {h.head.i for h in hits}
    anchor_ids = hit_heads | {a.i for a in anchors}
    groups: dict[int, Group] = {}
    for hit, anchor in zip(hits, anchors, strict=True):
        crowd_verb = _crowd_of_act(hit)
        if crowd_verb is not None and crowd_verb.i in anchor_ids:
            anchor = crowd_verb  # "opened fire on hundreds of people protesting water shortages"
        if anchor.pos_ in _VERB_POS:
            anchor = _merge_target(anchor, hit_heads, anchor_ids)
        groups.setdefault(anchor.i, Group(anchor)).hits.append(hit)
    ordered = sorted(groups.values(), key=lambda g: min(h.span.start for h in g.hits))
    return _merge_when_clauses(_split_back_references(ordered))


def _split_back_references(groups: list[Group]) -> list[Group]:
    """ "The killings sparked protests": the definite event noun points back to another event,
    so it leaves the group of the event its clause tells."""
    out: list[Group] = []
    for group in groups:
        backs = [h for h in group.hits if _points_back(h)]
        rest = [h for h in group.hits if h not in backs]
        if backs and rest and {h.cue.family for h in backs}.isdisjoint({h.cue.family for h in rest}):
            out.append(Group(group.anchor, rest))
            out.extend(Group(h.head, [h]) for h in backs)
        else:
            out.append(group)
    return out


def _points_back(hit: Hit) -> bool:
    head = hit.head
    if not hit.is_nominal or hit.cue.family not in ("kill", "hurt", "weapon", "abduct"):
        return False
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in head.children)


def _merge_when_clauses(groups: list[Group]) -> list[Group]:
    """ "Ten were killed when rebels shelled the town": the when-clause tells the same event."""
    by_anchor = {g.anchor.i: g for g in groups}
    out: list[Group] = []
    for group in groups:
        anchor = group.anchor
        main = by_anchor.get(anchor.head.i)
        when = anchor.dep_ == "advcl" and any(c.lower_ in ("when", "as") for c in anchor.children)
        if when and main is not None and main is not group and "kill" in main.families | group.families:
            main.hits.extend(group.hits)
        else:
            out.append(group)
    return out
