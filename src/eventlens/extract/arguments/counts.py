"""Fatality and injury counts, ACLED-style: deaths only, the most conservative reported figure.

Vague amounts follow the codebook: "a dozen"/"dozens" = 12, "tens" = 10, "hundreds" = 100;
deaths reported without a number count 3 for a small event ("several", "a few", "a number of")
and 10 for a large one ("many", "numerous"); a single named or singular victim counts 1; an
explicit "no one was killed" counts 0. Figures are combined in ``counts_combine``: conflicting
reports keep the lowest, a revised toll replaces the initial one, distinct sides add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.extract.arguments.casualty_clauses import (
    LETHAL,
    added_lethal,
    cumulative,
    is_added,
    is_hurt,
    is_lethal,
    linked_hurt,
    linked_lethal,
    negated,
    rival_lethal,
)
from eventlens.extract.arguments.conservative_figure import Report, combine, is_superseded, side_of
from eventlens.extract.arguments.numbers import UNITS as _UNITS
from eventlens.extract.arguments.numbers import is_number_word as _is_number_word
from eventlens.extract.arguments.numbers import number_value
from eventlens.extract.arguments.spans import after_dateline, is_dateline

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Counts", "count_casualties", "number_value", "people_count"]

_QUANTITY_NOUNS = frozenset({"dozen", "dozens", "tens", "hundreds", "thousands", "scores"})
#: "a number of soldiers", "a handful of villagers": deaths without a number, a small event
_VAGUE_NOUNS = frozenset({"number", "handful"})
#: nouns that count the people their "of" names ("a group of 12 villagers")
_COLLECTIVE = frozenset({"group", "family", "total", "party", "crowd"})
_VAGUE_SMALL = {"several", "some", "few", "a few", "a number"}
_VAGUE_LARGE = {"many", "numerous", "scores", "mass"}
_NEGATIVE = {"no", "nobody", "none", "nothing"}
_PLURAL_TAGS = {"NNS", "NNPS"}
#: nouns a revised figure hangs on ("the toll rose to 17", "the number of people killed has risen to 11")
_TOLL_NOUNS = frozenset({"toll", "number", "tally", "count"})


@dataclass(frozen=True, slots=True)
class Counts:
    fatalities: int | None
    injuries: int | None


def people_count(head: Token) -> int | None:
    """How many people a noun phrase names: its number modifier, conjuncts, or 1 if singular.
    Counted conjuncts add up ("four workers and two soldiers" = 6)."""
    own = _own_count(head)
    conjuncts = [c for c in _listed_with(head) if not _bare_collective(c)]
    if own is None or not conjuncts:
        return own
    counts = [_own_count(c) for c in conjuncts]
    known = [n for n in counts if n is not None]
    return own + sum(known) if len(known) == len(counts) else own


#: a group named without a number: in "all 107 passengers and crew" the figure already counts it
_GROUP_NOUNS = frozenset("crew staff personnel team family police".split())


def _bare_collective(tok: Token) -> bool:
    return tok.lower_ in _GROUP_NOUNS and not any(c.dep_ in ("det", "nummod", "poss") for c in tok.children)


def _listed_with(head: Token) -> list[Token]:
    """The people listed after ``head`` ("a man, his wife and their son"), up to a verb or a wounding
    word in between ("KILLED THREE AND WOUNDED FIVE, AND TOOK FOUR PRISONERS": only THREE) or right
    after ("67 dead and approximately 1,000 wounded": the 1,000 are the wounded)."""
    listed: list[Token] = []
    last = head
    doc = head.doc
    for conj in sorted((c for c in head.conjuncts if c.i > head.i), key=lambda c: c.i):
        after = doc[conj.i + 1] if conj.i + 1 < len(doc) else conj
        if after.i != conj.i and (is_hurt(after) or any(is_hurt(c) for c in conj.children)):
            break
        between = doc[last.i + 1 : conj.i + 1]
        if any(t.pos_ in ("VERB", "AUX") or t.lower_ in _HURT_WORDS or is_lethal(t) for t in between):
            break
        listed.append(conj)
        last = conj
    return listed


def _own_count(head: Token) -> int | None:
    if head.lower_ in _NEGATIVE or any(c.lower_ in _NEGATIVE for c in head.children if c.dep_ == "det"):
        return 0
    for mod in (c for c in head.children if c.dep_ == "amod" and c.lower_ in ("more", "other")):
        inner = [number_value(n) for n in mod.children if n.dep_ in ("nummod", "npadvmod")]
        if any(v is not None for v in inner):
            return min(v for v in inner if v is not None)
    modifiers = [c for c in head.children if c.dep_ in ("nummod", "quantmod", "det", "amod")]
    # "ELEVEN PEOPLE": upper-case wire copy makes number words compounds
    modifiers += [c for c in head.children if c.dep_ == "compound" and _is_number_word(c)]
    modifiers += [q for c in modifiers if c.dep_ == "nummod" for q in c.children if q.tag_ == "CD"]
    nums = [v for c in modifiers for v in [number_value(c)] if v is not None]
    if head.lower_ in _QUANTITY_NOUNS:
        nums.append(_UNITS[head.lower_])  # "Dozens of villagers", "Hundreds were killed"
    if _is_number_word(head):
        nums.append(number_value(head) or 0)  # "SIX HAD DIED" (tagged NNP), "two of the attackers"
    if nums:
        return min(nums)
    vague = _vague([c for c in head.children if c.dep_ in ("amod", "det")])
    if vague is not None:
        return vague  # "many people", "several civilians", "a few soldiers"
    of = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
    of = [p for p in of if p.dep_ == "pobj"]
    if head.lower_ in _VAGUE_NOUNS and of:
        return 3  # "a number of soldiers"
    if head.lemma_.lower() in _COLLECTIVE and of and _own_count(of[0]) is not None:
        return _own_count(of[0])  # "a family of five", "a total of 12 people"
    if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        return 1  # "A TRADE UNION LEADER" (upper case tags it plural)
    if head.tag_ in _PLURAL_TAGS:
        return None
    if head.pos_ in ("PROPN", "NOUN", "PRON") and head.lower_ not in ("people", "others", "they", "them"):
        return 1
    return None


def _vague(tokens: list[Token]) -> int | None:
    lows = {t.lower_ for t in tokens}
    if any(t.lower_ == "few" and any(c.lower_ == "a" for c in t.children) for t in tokens):
        lows.add("a few")
    if lows & _VAGUE_LARGE:
        return 10
    if lows & _VAGUE_SMALL:
        return 3
    return None


def _victim_heads(word: Token) -> list[Token]:
    """Nouns that say who died or was hurt, relative to a lethal/hurt word."""
    # the first child of each relation ("killed 12 people ..., the deadliest attack since")
    kids: dict[str, Token] = {}
    for c in word.children:
        kids.setdefault(c.dep_, c)
    if word.pos_ == "VERB" and word.dep_ == "amod" and _is_number_word(word.head):
        return [word.head]  # "... and two more injured", parsed with "injured" modifying "two"
    if (before := _number_before(word)) is not None:
        return [before]  # "leaving 67 dead and approximately 1,000 wounded", however it is parsed
    if word.pos_ == "VERB":
        if word.lemma_.lower() in ("die", "perish"):
            return [k for d, k in kids.items() if d == "nsubj"]
        found = [k for d, k in kids.items() if d in ("dobj", "nsubjpass")]
        # "eleven wounded": an elliptical passive whose counted subject is the victims
        found = found or [k for d, k in kids.items() if d == "nsubj" and _is_number_word(k)]
        if not found and word.dep_ in ("acl", "relcl"):  # "the 12 people killed", "the number of ... killed"
            return _toll_figure(word.head) or [word.head]
        return found or _next_counted_noun(word)
    if word.lower_ == "death" and word.dep_ == "pobj" and word.head.lower_ == "to":
        return [c for c in word.head.head.children if c.dep_ in ("dobj", "nsubjpass")]  # "beat them to death"
    if word.lemma_.lower() == "life" and word.dep_ == "dobj" and word.head.lemma_.lower() == "lose":
        return [c for c in word.head.children if c.dep_ == "nsubj"]  # "Thirteen people lost their lives"
    if word.lower_ in ("dead", "wounded", "injured", "hurt") and word.dep_ in (
        "acomp",
        "oprd",
        "amod",
        "xcomp",
    ):
        head = word.head
        if word.dep_ == "amod":
            return [head]
        subjects = [c for c in word.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects  # "left at least 17 people dead", parsed with "people" the subject of "dead"
        if any(c.dep_ == "nummod" for c in word.children):
            return [word]  # "the raid left at least 6 dead", parsed with the figure on "dead"
        objects = [c for c in head.children if c.dep_ == "dobj" and c.i != word.i]
        if word.dep_ in ("oprd", "xcomp") and objects:
            return objects[:1]  # "the strike left seven dead, among them a doctor"
        return [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "nsubj") and c.i != word.i]
    if word.lower_ in ("dead", "wounded", "injured") and any(c.dep_ == "nummod" for c in word.children):
        return [word]
    if word.lower_ in ("dead", "wounded", "injured"):  # "leaving 9,311 dead", the figure parsed its subject
        return [c for c in word.children if c.dep_ == "nsubj" and _is_number_word(c)]
    if word.lemma_.lower() == "toll":
        found = _toll_figure(word)
        if found:
            return found
    if word.pos_ == "NOUN":
        found = [c for c in word.children if c.dep_ == "nummod"]
        found += [
            p
            for c in word.children
            if c.dep_ == "prep" and c.lower_ in ("of", "among")
            for p in c.children
            if p.dep_ == "pobj"
        ]
        return found
    return []


_FIGURED = frozenset({"dead", "killed", "wounded", "injured", "hurt"})


def _number_before(word: Token) -> Token | None:
    """A figure right before a participle with no subject of its own ("1,000 wounded", "two more
    injured"): the count of its victims."""
    if word.tag_ not in ("VBN", "VBD", "JJ") or word.lower_ not in _FIGURED:  # tagged any of these ways
        return None
    if any(c.dep_ in ("nsubjpass", "dobj") for c in word.children):
        return None
    doc = word.doc
    for back in (1, 2):
        if word.i - back < 0:
            return None
        tok = doc[word.i - back]
        if _is_number_word(tok) and tok.lower_ not in ("a", "an"):
            return tok
        if tok.lower_ not in ("more", "others", "other"):
            return None
    return None


def _toll_figure(noun: Token) -> list[Token]:
    """The figure a toll noun is given: "the death toll has risen to 12", "the toll reached 30",
    "later raised the toll to nine", "put the toll at three", "the number of ... killed rose to 11"."""
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head  # "the number of demonstrators killed"
    if noun.lemma_.lower() not in _TOLL_NOUNS or noun.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return []
    verb = noun.head
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.tag_ == "CD" and c.i != noun.i]
    objs += [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "at") for p in c.children]
    return [t for t in objs if t.tag_ == "CD" or _is_number_word(t)]


def _next_counted_noun(verb: Token) -> list[Token]:
    """ "killing at least nine people, ... said": the parser made the victims another verb's
    subject; the counted noun right after the verb still names them."""
    for tok in verb.doc[verb.i + 1 : min(verb.i + 6, verb.sent.end)]:
        if tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" for c in tok.children):
            return [tok]
        if tok.pos_ in ("VERB", "AUX") or tok.text in ",;":
            return []
    return []


_DASHES = frozenset({"—", "–", "--", "-", ":"})


def _past_dateline(head: Token, verb: Token) -> Token | None:
    """ "MARIB, YEMEN -- NINE FIGHTERS WERE KILLED": the victims, not the dateline town."""
    if verb.i > head.i and is_dateline(head, verb):
        found = after_dateline(head)
        if found is None:  # "MOGADISHU, 6 JUN -- FIFTEEN PEOPLE": hung on the date, not the town
            dash = next((t.i for t in head.sent if t.text in _DASHES), verb.i)
            found = next((t for t in head.subtree if t.i > dash and t.dep_ == "appos"), None)
        return found
    return head


def _antecedent(pronoun: Token) -> Token | None:
    """ "set upon two suspected kidnappers ... and burned them to death": the counted noun before "them"."""
    for tok in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in _PLURAL_TAGS and _own_count(tok) is not None:
            return tok
    return None


_TIME_WORDS = frozenset("today yesterday tonight morning evening night weekend".split())
_SUB_COUNT_PREPS = frozenset({"including", "among"})


def _sub_count(head: Token) -> bool:
    """ "left seven dead, among them a doctor": a part named after "among"/"including" is no toll."""
    return any(c.lower_ in _SUB_COUNT_PREPS and c.i < head.i for c in head.head.children if c.dep_ == "prep")


def _hurt_count(head: Token) -> bool:
    """ "KILLED ONE AND WOUNDED FOUR" parsed with FOUR the object of KILLED: a number right after a
    wounding word counts the wounded."""
    before = head.doc[head.i - 1] if head.i > 0 else head
    return _is_number_word(head) and before.i != head.i and before.lower_ in _HURT_WORDS


_HURT_WORDS = frozenset("wounded injured wounding injuring hurt hurting".split())


def _bare_number_after(verb: Token) -> list[Token]:
    """ "WE KILLED ONE AND WOUNDED FOUR": a number standing alone right after a death verb is its
    count, however the parser attached it."""
    doc, i = verb.doc, verb.i
    if verb.pos_ != "VERB" or i + 2 >= len(doc) or not _is_number_word(doc[i + 1]):
        return []
    return [doc[i + 1]] if doc[i + 2].pos_ in ("CCONJ", "PUNCT", "ADP") else []


def _timeish(head: Token) -> bool:
    return head.ent_type_ in ("DATE", "TIME")


def _object_figure(head: Token, verb: Token) -> bool:
    """ "wounding 70": a plain figure as the wounding or killing verb's object is a count, even
    where the tagger reads it as a date ('70); a year-like figure is not."""
    value = number_value(head) if head.tag_ == "CD" else None
    return head.head.i == verb.i and head.dep_ == "dobj" and value is not None and not 1900 <= value <= 2100


def _reports(words: list[Token]) -> list[Report]:
    found: list[Report] = []
    for word in words:
        if negated(word):
            found.append(Report(0, None, word, is_superseded(word)))  # "No fatalities were reported"
            continue
        heads = _bare_number_after(word) or _victim_heads(word)
        for found_head in heads:
            head = _past_dateline(found_head, word)
            timeish = head is not None and _timeish(head) and not _object_figure(head, word)
            if head is None or head.lower_ in _TIME_WORDS or timeish:
                continue  # "SEVEN FIGHTERS WERE KILLED TODAY": a misparsed time is no victim
            if head.lower_ in ("them", "they"):
                head = _antecedent(head)
                if head is None:
                    continue
            if _sub_count(head) or (_hurt_count(head) and head.i - 1 != word.i):
                continue  # a number right after a wounding word counts that word's victims only
            n = people_count(head)
            if n is not None and not (head.lemma_ in LETHAL and n == 1 and head.tag_ != "CD"):
                found.append(Report(n, side_of(head), word, is_superseded(word)))
        own = number_value(word) if word.tag_ == "CD" else None
        if own is not None:
            found.append(Report(own, None, word, is_superseded(word)))
    return found


def count_casualties(
    clause: list[Token], violent: bool, unreported: int | None = None, lethal_words: tuple[Token, ...] = ()
) -> Counts:
    """Deaths and injuries reported in a clause (tokens of one event's evidence).

    ``unreported`` is the death count when the clause names no deaths at all: 0 for an
    explicitly non-lethal act ("shot at", "wounded"), None (unknown) otherwise.
    """
    if not violent:
        return Counts(0, None)
    lethal = [t for t in clause if is_lethal(t)]
    lethal += [t for t in lethal_words if t not in lethal]
    lethal = [t for t in lethal if not cumulative(t)]  # "the war has killed 70,000 since 2012"
    hurt = [t for t in clause if is_hurt(t)]
    hurt = hurt or (linked_hurt(clause) if clause else [])
    if clause and lethal:
        lethal += [t for t in rival_lethal(clause) + added_lethal(clause) if t not in lethal]
    elif clause:
        lethal = [t for t in linked_lethal(clause) if not cumulative(t)]
    added = [t for t in lethal if is_added(t)]  # "three soldiers also died": on top of the figure before
    main = [t for t in lethal if t not in added] or added
    deaths = combine(_reports(main)) if lethal else 0
    if lethal and deaths is None:
        deaths = _vague(clause) or 3
    if deaths is not None and main is not added:
        deaths += combine(_reports(added)) or 0
    # injuries without a figure ("several injured") stay unknown: the no-number default is for deaths
    injuries = combine(_reports(hurt)) if hurt else None
    if not lethal:
        deaths = 0 if hurt else unreported
    if not deaths and any(_blew_self_up(t) for t in clause):
        deaths = 1  # "a suicide bomber blew himself up prematurely, wounding two officers"
    return Counts(deaths, injuries)


def _blew_self_up(verb: Token) -> bool:
    kids = {c.lower_ for c in verb.children if c.dep_ in ("dobj", "prt")}
    return verb.lemma_.lower() == "blow" and "up" in kids and bool(kids & {"himself", "herself"})
