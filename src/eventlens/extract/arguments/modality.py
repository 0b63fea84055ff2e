"""Modality and reportability: is a trigger an asserted event, a plan, a denial, a claim — or
background, a generalisation, or no political event at all (sports, business, crime, disasters)?

All decisions read the dependency parse around the trigger's anchor verb, never the whole
article, so each costs a few token look-ups.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from eventlens.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "background_reason",
    "cumulative_toll",
    "historical_present",
    "modality_of",
    "off_topic_reason",
    "political_sentence",
    "predicate",
    "previous_sentence",
    "sports_article",
    "verb_read_as_noun",
]

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "can", "should", "must", "ca"}
_PLAN_HEADS = frozenset(
    "agree aim ask attempt call consider decide demand due expect fear help hope intend order plan pledge "
    "prepare promise propose push refuse schedule seek set threaten try urge vow want warn".split()
)
_DENY_HEADS = {"deny", "reject", "dismiss", "refute"}
_CLAIM_HEADS = {"claim"}
#: nouns a denial passes through ("denied reports that officers had fired on demonstrators")
_HEARSAY = frozenset("report claim allegation accusation rumour rumor suggestion story".split())
_HABITUAL = frozenset(
    "constantly continually frequently generally increasingly often regularly repeatedly routinely "
    "sometimes typically usually".split()
)
_ACCUSATIONS = frozenset(
    "suspect accuse charge convict blame allege suspicion accusation indict suspected accused charged".split()
)
_CONTAINERS = frozenset(
    "war conflict insurgency crisis violence campaign uprising fighting revolution rebellion".split()
)
_GROUP_NOUNS = frozenset(
    "alliance group movement militia organisation organization faction insurgency coalition network".split()
)
_EARLIER = frozenset({"previous", "past", "earlier", "former", "prior", "historic", "last"})
_BACKGROUND_RE = re.compile(
    r"\b(in recent (months|weeks|years|days)|over the (past|last) (\w+ )?(years|decades|months)|"
    r"for (years|decades)|(years|decades) ago|since the \d{4}s|in the \d{4}s|during the civil war|"
    r"history of|historically|with impunity|\w+ times (a|per|every) (day|week|month)|"
    r"(almost |nearly )?every (day|week|night|month|year|summer|winter|spring|autumn|season|election)|"
    r"for (more than |over |nearly |almost |about |some )?(a |\w+ )?(years|decades?)|daily)\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
#: a toll over a period or a cause, not one event ("13,000 killed since 1980 as a result of
#: political violence", "1,500 killed in clashes in 1988"): ACLED codes the events, not the sum
_CUMULATIVE_RE = re.compile(
    r"\b(since (the (beginning|start) of )?(19|20)\d\d|as a (direct )?result of (the )?(political )?violence|"
    r"so far this year)\b",
    re.IGNORECASE,
)
#: a killing verb's running total from a point in time: "has killed 1200 since the end of 2009", "since
#: the start of the insurgency" (for a violent cue only: "marches against incidents since the war" is news)
_SINCE_RE = re.compile(
    r"\bsince (the (beginning|start|end|middle|outbreak|onset|launch) of )?(the )?"
    r"((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* )?"
    r"((19|20)\d\d|(war|conflict|insurgency|uprising)\b)",
    re.IGNORECASE,
)
#: a superlative or a first that "since <date>" compares with, rather than a running total
_COMPARED = re.compile(r"\b(\w+est|worst|first|most \w+|biggest|largest|highest)\b[^.;]*$", re.IGNORECASE)
#: a whole year as the time of a telling ("in 1988"): a year's sum, unless it is the article's year
_IN_YEAR_RE = re.compile(r"\b(?:during|throughout|in) ((?:19|20)\d\d)\b(?!\s*[-/])", re.IGNORECASE)
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d{5,})"
_DEATHS = r"(killed|murdered|massacred|slaughtered|dead|deaths|died|lives)"
_BIG_TOLL_RE = re.compile(
    rf"\b{_NUMBER}\b(?:\W+\w+){{0,3}}?\W+{_DEATHS}\b|\b{_DEATHS}\W+(?:\w+\W+){{0,3}}?{_NUMBER}\b",
    re.IGNORECASE,
)
_BIG_TOLL = 5000
_OFF_TOPIC = {
    "sports": re.compile(
        r"\b(match|goal|striker|league|coach|midfield\w*|season|tournament|football|"
        r"soccer|cricket|referee|scored|championship|cup final|defender|"
        r"(beat|defeated|thrashed|edged|drew with|lost to)\b[^.;]{1,40}?\b\d{1,2}-\d{1,2})\b",
        re.I,
    ),
    "business": re.compile(
        r"\b(cyber ?-?attacks?|hackers?|ransomware|shares|stock|markets? rall\w*|"
        r"investors?|prices?|earnings|bullish|bearish)\b",
        re.I,
    ),
    "disaster": re.compile(
        r"\b(earthquake|flood(s|ing)?|landslide|cyclone|hurricane|typhoon|tornado|"
        r"storm(?!\s+(?:a|an|the|into|through|their|its|his|her)\b)|"  # not "Hindus storm a mosque"
        r"wildfire|drought|tsunami|avalanche|"
        r"outbreak(?!\s+of\s+(the\s+)?(\w+\s+)?(war|fighting|violence|conflict|hostilities|clashes|unrest))|"
        r"cholera|epidemic|pandemic|heavy rains?|"
        r"mudslides?|heat ?waves?|lightning|drown\w*|bush ?fires?|forest fires?)\b",
        re.I,
    ),
    "accident": re.compile(
        r"\b(crash(es|ed|ing)?|collision|collid\w*|accident\w*|derail\w*|capsiz\w*|stampede|"
        r"fire (that )?broke out|faulty wiring|short[- ]circuit|gas (leak|cylinder)|electrical fault|"
        r"(leak|leaked|leaking) from|leaks? (at|in)|"
        r"(a|the) (\w+ ){0,2}(fire|blaze) (at|in|broke|engulf\w*|swept|rips?|ripped)|"
        r"(building|residential|house|factory|warehouse|hospital|market|forest|bush) (fire|blaze)s?|"
        r"(a|the) (\w+ ){0,2}(fire|blaze) kill\w*|plunges? (into|off)|plunged (into|off)|"
        r"catch(es|ing)? fire|caught fire|pile-?ups?|runs? out of fuel|spectators|"
        r"(pipeline|tanker|boiler|gas main|chemical plant|refinery) (explodes|exploded|explosion|blast))\b",
        re.I,
    ),
    "legal proceedings": re.compile(
        r"\b(?:(court|tribunal|judge|jury) (\w+ ){0,2}(sentence[sd]?|convict\w*|acquit\w*|hears?|rules?|"
        r"ruled|orders?|ordered|issues?|issued|finds?|found|upholds?|upheld|overturns?|overturned)|"
        r"sentenced to|sentences? (\w+ ){1,3}to (death|life)|death row|"
        r"convicted of|found guilty|acquitted|arrest warrants?|indicted|verdict|"
        r"(goes|went|stands?|stood) on trial|trial (of|over|for)\b)",
        re.I,
    ),
    "crime": re.compile(
        r"\b(robbery|robbers?|burglar\w*|thie(f|ves)|domestic|his wife|her husband|"
        r"family dispute|drunk\w*|carjack\w*|armed robbery|jealous\w*|love affair|"
        r"drug dealers?|drug traffick\w*|narcotics|gang members?|stealing|theft|fraud|nightclub|brawl|pub|"
        r"bar fight|cocaine|heroin|cannabis|marijuana|methamphetamine|classmates?|schoolmates?|"
        r"suspects? in the (murder|killing|death|stabbing)|mafia|brib\w*|embezzl\w*|"
        r"money laundering|tax evasion|criminal investigation|"
        # a killing among family or partners, or by a lone killer who then kills himself
        r"(his|her) (girlfriend|boyfriend|mother|grandparents|stepfather|stepmother)|"
        r"girlfriend's|boyfriend's|ex-(boyfriend|girlfriend|wife|husband|partner)|familicide|"
        r"murder[-–]suicide|(before|then) (killing|shooting|turning the gun on) (himself|herself)|"
        r"self-inflicted|hit-and-run|crime family|mob boss|gangsters?|serial (killer|shooter))\b",
        re.I,
    ),
}
_SPORTS_WORDS = re.compile(
    r"\b(match(es)?|goals?|goalkeeper|striker|strikers|winger|defenders?|midfield\w*|league|coach|season|"
    r"tournament|football|soccer|cricket|rugby|referee|scored|cup final|championship|champions|"
    r"stoppage time|extra time|half-time|second half|first half|penalty|kick-?off|fans|stadium|"
    r"\d-\d (win|victory|defeat|draw)|win over|home side|visitors|playoffs?|semi-?final|quarter-?final)\b",
    re.I,
)
_POLITICAL_RE = re.compile(
    r"\b(militants?|insurgents?|rebels?|militias?|jihadists?|soldiers?|troops|army|military|"
    r"police|security forces|protesters?|gunmen|armed group|terror\w*|attack)\b",
    re.I,
)


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


def _clause_chain(anchor: Token) -> list[Token]:
    """The anchor and the verbs governing it through complement/xcomp links (nearest first)."""
    chain = [anchor]
    tok = anchor
    while (
        tok.dep_ in ("xcomp", "ccomp", "conj", "acl", "pcomp", "pobj", "prep", "dobj", "advcl")
        and tok.head.i != tok.i
    ):
        tok = tok.head
        chain.append(tok)
        if tok.dep_ == "ROOT" or len(chain) > 6:
            break
    return chain


def modality_of(anchor: Token, trigger: Token) -> Modality:
    """Asserted, negated, planned, hypothetical or claimed, from the anchor verb's context."""
    for tok in (trigger, anchor):
        if any(c.dep_ == "neg" for c in tok.children) or (
            any(c.lower_ in ("no", "never") for c in tok.children if c.dep_ == "det")
            and tok.pos_ == "NOUN"
            and tok.dep_ in ("attr", "dobj")
        ):
            return Modality.NEGATED
    if trigger.pos_ == "NOUN" and _stopped(trigger):
        return Modality.NEGATED  # "authorities ban all gatherings and protests", "called off the march"
    if _motive_only(trigger):
        return Modality.NEGATED  # "announced their resignations in protest of ...": a motive, no protest
    aux = _aux_words(anchor)
    if aux & _FUTURE_AUX or {"going", "to"} <= aux:
        return Modality.PLANNED
    if aux & _HYPOTHETICAL_AUX:
        return Modality.HYPOTHETICAL
    if "would" in aux:
        return Modality.PLANNED
    if anchor.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in anchor.children):
        return Modality.PLANNED  # "to attack the capital": an aim, not a telling
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in anchor.children):
        return Modality.HYPOTHETICAL
    return _governed_modality(anchor)


#: verbs whose object did not take place: a banned, cancelled or called-off protest
_STOPPING = frozenset({"ban", "prohibit", "outlaw", "forbid", "cancel", "postpone"})


#: acts done "in protest" that are protests themselves
_PROTEST_ACTS = frozenset({"march", "rally", "gather", "demonstrate", "protest", "strike", "riot", "block",
                           "burn", "chant", "sit", "occupy", "storm", "clash", "mass", "assemble", "converge",
                           "stage", "hold", "take", "fast", "parade", "picket", "throng", "flock"})


def _motive_only(trigger: Token) -> bool:
    """ "resigned in protest", "walked out in protest at": the protest is why something else was done."""
    if trigger.lemma_.lower() != "protest" or trigger.dep_ != "pobj" or trigger.head.lower_ != "in":
        return False
    return trigger.head.head.lemma_.lower() not in _PROTEST_ACTS


def _stopped(noun: Token) -> bool:
    """An event noun that is (or is listed with) the object of a verb that stops it."""
    obj = noun
    while obj.dep_ == "conj" and obj.head.i != obj.i:
        obj = obj.head
    if obj.dep_ == "pobj" and obj.head.lower_ == "off":  # "called off the march", parsed as a preposition
        return obj.head.head.lemma_.lower() == "call"
    if obj.dep_ not in ("dobj", "nsubjpass", "npadvmod"):  # "called off the march" misparsed
        return False
    verb = obj.head
    lemma = verb.lemma_.lower()
    return lemma in _STOPPING or (lemma == "call" and any(c.lower_ == "off" for c in verb.children))


def _governed_modality(anchor: Token) -> Modality:
    chain = _clause_chain(anchor)
    for n, verb in enumerate(chain[1:], start=1):
        lemma = verb.lemma_.lower()
        through_noun = any(
            t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in _HEARSAY for t in chain[1:n]
        )
        if lemma in _DENY_HEADS and not through_noun:
            return Modality.NEGATED  # "denied carrying out ...", not "denied involvement in the attack"
        if lemma in _CLAIM_HEADS:
            return Modality.CLAIMED
        if lemma in _PLAN_HEADS and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in chain[chain.index(verb) - 1].children
        ):
            return Modality.PLANNED
        if lemma in ("responsibility",):
            return Modality.CLAIMED
    if _self_report(anchor):
        return Modality.CLAIMED
    sent = anchor.sent
    if (
        re.search(r"claimed responsibility|claims? of responsibility", sent.text, re.I)
        and anchor.dep_ != "ROOT"
    ):
        return Modality.CLAIMED
    return Modality.ASSERTED


def _self_report(anchor: Token) -> bool:
    """ "The army said it had killed ...": a party reporting its own act is a claim."""
    subj = next((c for c in anchor.children if c.dep_ == "nsubj"), None)
    head = anchor.head
    return (
        subj is not None
        and subj.lower_ in ("it", "they", "we")
        and anchor.dep_ == "ccomp"
        and head.lemma_.lower() in ("say", "claim", "announce", "admit")
        and head.i > anchor.i - 8
    )


def predicate(sent: Span) -> Token:
    """The word whose tense says whether ``sent`` tells an act: its root, or, when the root only
    names a topic before a colon ("Sri Lankan Civil War: The military reports ...", "Sahel
    insurgency: Four soldiers are shot dead ..."), the first verb heading the clause after it."""
    root = sent.root
    if root.tag_ == "VB" and _aux_words(root) <= {"to"}:  # an infinitive misparsed as the root ("... call
        # for Netanyahu to step down"): the first finite verb with a subject says the tense
        finite = next((t for t in sent if t.tag_ in ("VBZ", "VBP", "VBD")
                       and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)), None)
        if finite is not None:
            return finite
    colon = next((t for t in sent if t.text == ":" and t.i > root.i), None)
    if colon is None or sent.end - colon.i < 5:
        return root
    heads = [t for t in sent.doc[colon.i + 1 : sent.end] if t.head.i == t.i or t.head.i <= colon.i]
    return next((t for t in heads if t.tag_.startswith("VB")), root)


@lru_cache(maxsize=1)
def _cue_verbs() -> frozenset[str]:
    """One-word verbal cues of the lexicon ("withdraw", "detain", "deploy"...)."""
    from eventlens.extract.rules.lexicon import load_cues  # the rules package imports this module

    return frozenset(p for c in load_cues() if not c.nominal for p in c.phrases if " " not in p)


def verb_read_as_noun(tok: Token) -> bool:
    """A present-tense act the tagger took for a plural noun, as the small model does after a
    long subject ("The Ukrainian military withdraws from ...", "Brazilian police detains ..."):
    a sentence-heading "noun" in -s whose stem is a verbal cue and that governs a preposition or
    an object, with the subject's words before it."""
    text = tok.lower_
    if tok.tag_ != "NNS" or not text.endswith("s") or tok.i == tok.sent.start:
        return False
    stems = {text[:-1], text[:-2]} if text.endswith("es") else {text[:-1]}
    if not stems & _cue_verbs():
        return False
    before = tok.doc[tok.i - 1]
    governs = any(c.dep_ in ("prep", "dobj") and c.i > tok.i for c in tok.children)
    return governs and before.pos_ in ("NOUN", "PROPN", "ADJ")


def historical_present(doc: Doc) -> bool:
    """Whether the text tells its news in the present tense, as headlines and news summaries do
    ("A car bomb kills 12 in Baghdad."): more sentences whose main verb is a simple present (or a
    present passive, "five are killed") than a past tense, or as many with the lead in the present
    ("The Taliban kill 40 people in three attacks. 12 others were injured."). In such a text a
    present-tense clause is a told event, not a generalisation."""
    present = past = 0
    lead: str | None = None
    for sent in doc.sents:
        root = predicate(sent)
        if verb_read_as_noun(root):
            present += 1
            lead = lead or "present"
            continue
        if not root.tag_.startswith("VB"):
            continue
        aux = _aux_words(root)
        if root.tag_ == "VBD" or aux & {"was", "were", "had", "did"}:
            past += 1
            lead = lead or "past"
        elif (root.tag_ in ("VBZ", "VBP") and not aux) or (
            root.tag_ == "VBN" and aux & {"is", "are"} and not aux & {"being", "been"}
        ):
            present += 1
            lead = lead or "present"
    return present > past or (present == past > 0 and lead == "present")


def background_reason(
    anchor: Token,
    trigger: Token,
    ref_year: int | None,
    *,
    violent: bool = True,
    inferred: bool = False,
    headline_style: bool = False,
) -> str | None:
    """Why this is background or a generalisation rather than a reported event, or None.

    ``violent``: the cue can carry deaths (a toll of thousands then marks a war's sum; a peace
    deal "ending a war that killed 300,000" stays an event). ``inferred``: ``ref_year`` is the
    latest year the undated article mentions, not its publication year. ``headline_style``: the
    text tells its news in the present tense (:func:`historical_present`), so a simple present or
    present passive is a telling."""
    aux = _aux_words(anchor)
    if not headline_style:
        if anchor.tag_ in ("VBP", "VBZ") and anchor.lemma_ not in ("be", "have") and not aux:
            return "present-tense generalisation"
        if anchor.tag_ == "VBN" and aux & {"is", "are", "am"} and not aux & {"being", "been", "has", "have"}:
            return "present passive generalisation ('who are arrested for any crime')"
    if {"being"} <= aux and (aux & {"are", "is"}):
        return "progressive generalisation"
    if "been" in aux and anchor.tag_ == "VBG":
        return "ongoing practice ('have been using')"
    if any(c.lower_ in _HABITUAL for c in anchor.children if c.dep_ == "advmod"):
        return "habitual"
    if anchor.dep_ in ("pcomp", "pobj") and anchor.head.head.lemma_.lower() in _ACCUSATIONS:
        return "an accusation ('suspected of kidnapping')"
    if anchor.dep_ == "relcl" and anchor.head.lemma_.lower() in _CONTAINERS:
        return "cumulative toll of a war or campaign"
    if anchor.dep_ in ("acl", "relcl") and anchor.head.lemma_.lower() in _GROUP_NOUNS:
        return "a description of a group ('the armed group fighting the government')"
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in anchor.children):
        return "reference point in the past"
    if any(c.dep_ == "amod" and c.lower_ in _EARLIER for c in trigger.children):
        return "an earlier event"
    clause = _clause_text(anchor)
    if _BACKGROUND_RE.search(clause):
        return "background period"
    cumulative = cumulative_toll(clause, ref_year, violent=violent, inferred=inferred)
    if cumulative:
        return cumulative
    if ref_year is not None:
        years = [int(y) for y in _YEAR_RE.findall(clause)]
        if years and max(years) <= ref_year - 2:
            return "old year"
    return None


def cumulative_toll(
    text: str, ref_year: int | None = None, *, violent: bool = True, inferred: bool = False
) -> str | None:
    """Why ``text`` sums many events' deaths (or tells of a past year) rather than telling one
    event, or None. Lexical: also usable on all-capitals wire copy, whose parse is poor. "in
    <year>" counts when the year is before ``ref_year`` (the article's), or at most it when
    ``inferred`` (the latest year an undated article mentions); a toll of thousands only for a
    ``violent`` cue."""
    for regex in (_CUMULATIVE_RE, _SINCE_RE) if violent else (_CUMULATIVE_RE,):
        for m in regex.finditer(text):
            if not _COMPARED.search(text[max(0, m.start() - 50) : m.start()]):  # "the deadliest since 2011"
                return "a toll over a period or from a cause"
    if any(ref_year is None or int(y) < ref_year + inferred for y in _IN_YEAR_RE.findall(text)):
        return "a whole past year as the time"
    for m in _BIG_TOLL_RE.finditer(text) if violent else ():
        if int((m.group(1) or m.group(4)).replace(",", "")) >= _BIG_TOLL:
            return "a toll of thousands (a war's or a year's sum)"
    return None


def _clause_text(anchor: Token) -> str:
    """The anchor's own clause: its subtree without later clauses that have their own subject
    ("... launches air strikes as dozens of soldiers have been killed in recent weeks")."""
    doc = anchor.doc
    left, right = anchor.left_edge.i, anchor.right_edge.i
    for child in anchor.children:
        if (
            child.dep_ in ("conj", "ccomp", "advcl")
            and child.i > anchor.i
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        ):
            right = min(right, child.left_edge.i - 1)
    return doc[left : max(left, right) + 1].text


#: a fire set on purpose is no accident
_SET_ON_PURPOSE = re.compile(
    r"\b(arson\w*|molotov|firebomb\w*|loot\w*|set (on )?fire|sets? \w+ ablaze|set ablaze|torch\w*)\b", re.I
)


def _overridden(reason: str, text: str, sharp: bool) -> bool:
    """A sharp cue (or, for disasters, plain political violence) outweighs an off-topic context."""
    if reason == "disaster":
        return sharp or bool(_POLITICAL_RE.search(text))
    if reason == "accident":
        if _SET_ON_PURPOSE.search(text):
            return True
        # "accidentally detonates a grenade"; chlorine that leaked is never a chemical attack
        return sharp and not re.search(r"accident|\bleak", text, re.I)
    if reason == "crime":
        return sharp
    if reason == "business":
        return sharp and not re.search(r"cyber|hacker|ransomware", text, re.I)
    return False


def off_topic_reason(sent: Span, has_sharp_cue: bool, crowd: bool = False) -> str | None:
    """Sports, business, disaster, accident or ordinary crime context, unless clearly political
    (a crowd protesting prices or a market tax is a protest). A toll with no armed or security
    actor right after a disaster or an accident is that disaster's ("Nine die in floods. Four
    people have been killed in Ha Tinh.")."""
    reason = _off_topic(sent.text, has_sharp_cue, crowd)
    previous = previous_sentence(sent)
    if reason is None and previous is not None and not has_sharp_cue and not political_sentence(sent):
        before = _off_topic(previous.text, False, crowd)
        if before in ("disaster", "accident"):
            return f"{before} (told in the sentence before)"
    return reason


def previous_sentence(sent: Span) -> Span | None:
    """The sentence before ``sent`` in its document, if any."""
    return sent.doc[sent.start - 1].sent if sent.start > 0 else None


def _off_topic(text: str, has_sharp_cue: bool, crowd: bool) -> str | None:
    for reason, pattern in _OFF_TOPIC.items():
        if (
            crowd
            and reason == "business"
            and all(m.group(0).lower().startswith("price") for m in pattern.finditer(text))
        ):
            continue
        if pattern.search(text) and not _overridden(reason, text, has_sharp_cue):
            return reason
    return None


def sports_article(text: str) -> bool:
    """An article about a game: at least four different sports words ("cup final", "stoppage time",
    "defenders", "the coach"). Its attacks, shots and sieges are play, not violence."""
    return len({m.group(0).lower() for m in _SPORTS_WORDS.finditer(text[:4000])}) >= 4


def political_sentence(sent: Span) -> bool:
    """Armed, security or protest actors named in the sentence."""
    return bool(_POLITICAL_RE.search(sent.text))
