"""Relevance pre-filter: parse only the sentences that can hold an event, and their neighbours.

The spaCy parse dominates eventlens' cost, and most sentences of a news article (quotes,
background, economics) cannot hold a political event. A cheap lexical test, a superset of the
event coder's triggers, keeps each sentence that mentions violence, protest, arrest, territory,
agreement or a deployment — plus one sentence either side (for places, dates and pronouns) and the
article's first sentence (datelines). Every other sentence is blanked with spaces of the same
length, so the parse sees far fewer tokens while every character offset still matches the
article's clean text.

Recall against the full parse is measured by ``benchmarks/bench_prefilter.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from eventlens.model import Span

__all__ = ["masked_text", "relevant_sentence", "rough_sentences"]

# Stems of words that can signal a political event; deliberately broad (recall over precision).
_CUES = r"""
kill|dead|death|die[ds]?|dying|fatal|bod(?:y|ies)|massacre|slaughter|murder|assassin|execut|behead|lynch|
shot|shoot|gun|fire[ds]?\b|firing|sniper|bullet|wound|injur|casualt|
attack|assault|raid|ambush|storm|offensive|clash|fight|battle|skirmish|hostilit|violen|
bomb|blast|explo|detonat|ied\b|device|landmine|mines\b|grenade|suicide|
shell|mortar|artillery|rocket|missile|drone|strike|warplane|jets?\b|helicopter|aircraft|
chemical|chlorine|sarin|toxic|tear ?gas|
kidnap|abduct|hostage|captive|disappear|seiz|captur|took control|take control|taken over|overr[au]n|recaptur|
retak|liberat|regain|withdr[ae]w|pull(?:ed|ing)? out|hand(?:ed|ing)? over|handover|surrender|
arrest|detain|detention|custody|round(?:ed)? up|jailed|picked up|snatch|
fought|fell to|fall of|took back|taken back|driven out|abandon|entered|expel|blocked access|
control|restor|rout(?:ed|ing)\b|mobili[sz]|sabotag|curfew|checkpoint|displac|
push(?:ed|ing)? .{0,40}out|drove .{0,40}out|retook|occup|fled|flag|taken away|headquarters|base\b|camp\b|
placard|vigil|picket|airstrike|dragg|chloropicrin|handed|flog|state of emergency|suspend|impos|
forced .{0,40}to (?:leave|flee|close)|damag|uproot|dynamit|install|
protest|demonstrat|rall(?:y|ied|ies)|march|sit-in|riot|mob\b|loot|burn|torch|set fire|arson|vandal|destr[ou]y|
dispers|crack ?down|baton|water cannon|rubber|stones?\b|molotov|
rap(?:e|ed|es|ing)\b|sexual|
agree|accord|ceasefire|cease-fire|truce|peace|deal\b|treaty|signed|exchange|releas|
defus|foil|thwart|cache|dismantl|
establish|set up|deploy|joint statement|announc|
form(?:ed)? a|split|merg|alliance|dissolv
"""
# One cue per "|"; inside a cue " ?" is an optional space or hyphen and " " any whitespace.
_CUE_RE = re.compile(
    r"(?i)\b(?:"
    + "".join(_CUES.split("\n")).replace(" ?", r"[\s-]?").replace(" ", r"\s+")
    + r")"
)
# A sentence ends at ., ! or ? followed by whitespace, or at a blank line.
_BOUNDARY_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+|\n\s*\n")


# A period after these ends no sentence: initials and acronyms ("U.S.", "J."), titles, months.
_ABBREVIATION_RE = re.compile(
    r"(?i)(?:\b[a-z]\.|\b(?:mr|mrs|ms|dr|prof|gen|gens|col|lt|sgt|cpl|pvt|capt|maj|cmdr|adm|brig|gov|sen|"
    r"rep|rev|pres|st|mt|ft|no|nos|jan|feb|apr|jun|jul|aug|sep|sept|oct|nov|dec|inc|corp|co|ltd|jr|sr|"
    r"dept|univ|vs|approx)\.)$"
)


def rough_sentences(text: str) -> list[Span]:
    """Cheap sentence split for the pre-filter (spaCy's own split is used after parsing).

    It errs towards longer sentences: a period after an initial, acronym or title ends none.
    """
    out: list[Span] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group().count("\n") < 2 and _ABBREVIATION_RE.search(text, max(0, m.start() - 8), m.start()):
            continue
        if m.start() > start:
            out.append(Span(text[start : m.start()], start, m.start()))
        start = m.end()
    if start < len(text):
        out.append(Span(text[start:], start, len(text)))
    return out


def relevant_sentence(text: str) -> bool:
    """Can this sentence hold an event? Cheap and deliberately over-inclusive."""
    return _CUE_RE.search(text) is not None


def masked_text(text: str, *, neighbours: int = 1, relevant: Callable[[Span], bool] | None = None) -> str:
    """``text`` with every sentence that cannot matter blanked to spaces (same length).

    Kept: relevant sentences (:func:`relevant_sentence`, or the ``relevant`` test of a sentence's
    span), ``neighbours`` sentences either side, and the first sentence. Newlines survive blanking
    so paragraph structure (and spaCy's sentence breaks) stays.
    """
    sents = rough_sentences(text)
    if not sents:
        return text
    keep = {0}
    for i, s in enumerate(sents):
        if relevant(s) if relevant is not None else relevant_sentence(s.text):
            keep.update(range(max(0, i - neighbours), min(len(sents), i + neighbours + 1)))
    if len(keep) == len(sents):
        return text
    chars = list(text)
    for i, s in enumerate(sents):
        if i not in keep:
            for j in range(s.start, s.end):
                if chars[j] != "\n":
                    chars[j] = " "
    return "".join(chars)
