"""Dates: when was an article published, and when did each event it reports happen.

``infer_published`` (implemented in :mod:`eventlens.dates.published`) anchors an article in time:
metadata, dateline, caption or latest date in the body; never an invented year.

``resolve_mentions`` dates each event mention the way a careful ACLED coder would:

1. planned or hypothetical events get no date (they have not happened), nor does a trigger whose
   verb carries "will"/"would" or hangs from "plans to"/"vowed to";
2. the date the extractor attached (``date_span`` / ``coding.date_text``) if it resolves;
3. else the date expressions of the evidence sentence (rules plus spaCy DATE/TIME entities),
   preferring the one syntactically attached to the trigger (or to the verb a nominal trigger is
   an argument of), then one not governed by a reporting verb ("..., police said on Friday": that
   day with precision 2), then the nearest to the trigger; "the next day" / "two days later"
   count from the previous date in the text, and "A on 10 May, three weeks after B" dates B by
   counting back;
4. else the report's own anchor (:mod:`eventlens.dates.anchors`: a leading "03/14/2016:" or "On 14
   March 2016,", a wire dateline, "As reported on ..."), which dates every event of the report
   without a date of its own;
5. else the publication date with time precision 2: news reports undated events as recent
   ("in the past days"), so the report date stands for "the week up to publication";
6. with no publication date and no year in the text, ``event_date`` stays None.

Numeric dates ("03/04/2016") are read in the document's convention (``numeric_convention``).

A chosen expression that points to the future ("by September 2025", "next week") gives None
and never falls back to the publication date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from eventlens.dates.anchors import Anchor, numeric_convention, report_anchor, with_convention
from eventlens.dates.calendar import DateResolution, count_word
from eventlens.dates.expressions import resolve_expression
from eventlens.dates.find import FoundDate, find_expressions, names_a_place
from eventlens.dates.published import infer_published
from eventlens.model import EventMention, Modality, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from eventlens.nlp.parser import ParsedArticle

__all__ = ["infer_published", "resolve_mentions"]

log = logging.getLogger(__name__)

_PLANNED_BEFORE = re.compile(
    r"\b(?:planned|scheduled|slated|set|due|postponed|rescheduled|called)\s+(?:for|on|until|to|in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_OFFSET_CLAUSE = re.compile(
    r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(day|week|month)s?\s+"
    r"(after|before)\b[^,;.]{0,60}$",
    re.IGNORECASE,
)
_REPORTING = frozenset(
    {"say", "report", "tell", "announce", "state", "claim", "confirm", "add", "note", "reveal", "write"}
)
_TERMINAL = re.compile(r"[.!?:;\"'”’)\]]\s*$")
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
_PLAN_VERBS = frozenset(
    {"plan", "schedule", "intend", "threaten", "vow", "pledge", "promise", "aim", "hope", "want", "expect"}
)
_NO_DATE_MODALITIES = frozenset({Modality.PLANNED, Modality.HYPOTHETICAL})
#: leads of date words that never date the event they are told with
_NOT_WHEN = frozenset({"since", "until", "till"})


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A date expression of the evidence sentence with its resolution and its rank."""

    found: FoundDate
    resolution: DateResolution
    rank: tuple[int, int, int]
    via_reporting: bool


# ---------------------------------------------------------------- event dates


def resolve_mentions(parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
    """Each mention with ``event_date``, ``time_precision`` and (if empty) ``date_text`` set."""
    base = parsed.article.published
    text = parsed.article.text
    conv = numeric_convention(text, base)
    anchor = report_anchor(text, base, conv) if mentions else None
    return [_resolve_one(parsed, mention, base, conv, anchor) for mention in mentions]


def _resolve(found: FoundDate, base: date | None, conv: str | None) -> DateResolution | None:
    return resolve_expression(with_convention(found.text, conv), base, found.lead)


def _resolve_one(
    parsed: ParsedArticle, mention: EventMention, base: date | None, conv: str | None, anchor: Anchor | None
) -> EventMention:
    if mention.coding.modality in _NO_DATE_MODALITIES or _future_tense(parsed.doc, mention):
        return _with_date(mention, None, None)
    given = _given_expression(parsed.article.text, mention)
    if given is not None and names_a_place(parsed.article.text, given.end):
        given = None  # "on 26 July Street": a name, not the event's date
    if given is not None and given.lead in _NOT_WHEN and _resolve(given, base, conv) is None:
        # "the deadliest attack since January 2011": the coder's date words are not the event's
        mention = replace(mention, coding=replace(mention.coding, date_text=None), date_span=None)
        given = None
    if given is not None:
        res = _in_context(parsed.article.text, given, _resolve(given, base, conv), base, conv)
        if res is not None and (res.day is not None or anchor is None):
            return _with_date(mention, res.day, res.precision)
    best = _best_candidate(parsed, mention, base, conv)
    if best is not None and best.resolution.day is None and anchor is not None:
        best = None  # a bare year ("the 2020 election") says less than the report's own date
    if best is not None:
        res = best.resolution
        if best.rank[0] > 0 and res.day is not None and mention.trigger is not None:
            res = _shifted(parsed.article.text, mention.trigger.start, res)
        precision = max(res.precision or 0, 2) if best.via_reporting and res.day else res.precision
        found = best.found
        return _with_date(mention, res.day, precision, found.text, Span(found.text, found.start, found.end))
    if anchor is not None and (base is None or anchor.day <= base):
        span = Span(anchor.text, anchor.start, anchor.end)
        return _with_date(mention, anchor.day, anchor.precision, anchor.text, span)
    if base is not None:
        return _with_date(mention, base, 2)
    return _with_date(mention, None, None)


def _shifted(text: str, trigger_start: int, res: DateResolution) -> DateResolution:
    """ "released on 10 May, three weeks after she was seized": the seizure is 10 May minus 3 weeks."""
    m = _OFFSET_CLAUSE.search(text[max(0, trigger_start - 80):trigger_start])
    n = count_word(m[1].lower()) if m else None
    if m is None or n is None or res.day is None:
        return res
    unit = m[2].lower()
    sign = -1 if m[3].lower() == "after" else 1
    if unit == "month":
        months = res.day.year * 12 + res.day.month - 1 + sign * n
        return DateResolution(date(months // 12, months % 12 + 1, 15), 3)
    days = n * (7 if unit == "week" else 1)
    precision = max(res.precision or 1, 1 if unit == "day" else 2)
    return DateResolution(res.day + timedelta(days=sign * days), precision)


def _future_tense(doc: Doc, mention: EventMention) -> bool:
    """The trigger's verb carries "will"/"would" or hangs from "plans to"/"vowed to": not happened yet."""
    if mention.trigger is None:
        return False
    for i in _token_ids(doc, mention.trigger):
        tok = doc[i]
        for _ in range(3):  # the trigger, or the verb a nominal trigger hangs from ("will hold a strike")
            if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
                return True
            if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
                break
            tok = tok.head
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _PLAN_VERBS:
            return True
    return False


def _given_expression(text: str, mention: EventMention) -> FoundDate | None:
    """The date expression the extractor tied to the event, placed in the text when possible."""
    span = mention.date_span
    if span is not None and span.text.strip():
        return _widened(text, FoundDate(span.text, span.start, span.end, None))
    given = (mention.coding.date_text or "").strip()
    if not given:
        return None
    ev = mention.evidence
    at = text.find(given, max(0, ev.start - 200), ev.end + 200)
    if at < 0:
        return FoundDate(given, ev.start, ev.start + len(given), None)
    return _widened(text, FoundDate(given, at, at + len(given), None))


def _widened(text: str, given: FoundDate) -> FoundDate:
    """The longer rule-found expression around a given one: in "Around 20 June 2021" spaCy's DATE
    entity is "June 2021", which would lose the day."""
    lo = max(0, given.start - 30)
    for f in find_expressions(text[lo : given.end + 30]):
        start, end = f.start + lo, f.end + lo
        if start <= given.start and given.end <= end and end - start > given.end - given.start:
            return FoundDate(f.text, start, end, f.lead)
        if (start, end) == (given.start, given.end) and given.lead is None and f.lead:
            return FoundDate(given.text, start, end, f.lead)  # "since January 2011": not the event's date
    return given


def _with_date(
    mention: EventMention,
    day: date | None,
    precision: int | None,
    text: str | None = None,
    span: Span | None = None,
) -> EventMention:
    coding = replace(
        mention.coding,
        event_date=day,
        time_precision=precision if day is not None else None,
        date_text=mention.coding.date_text or text,
    )
    return replace(mention, coding=coding, date_span=mention.date_span or span)


def _best_candidate(
    parsed: ParsedArticle, mention: EventMention, base: date | None, conv: str | None
) -> _Candidate | None:
    candidates = list(_candidates(parsed, mention, base, conv))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c.rank)


def _candidates(
    parsed: ParsedArticle, mention: EventMention, base: date | None, conv: str | None
) -> list[_Candidate]:
    ev = mention.evidence
    sentences = _evidence_sentences(parsed, mention)
    anchor = mention.trigger or ev
    doc = parsed.doc
    trigger_ids = _token_ids(doc, mention.trigger) if mention.trigger else frozenset()
    trigger_heads = _clause_verbs(doc, trigger_ids)
    out: list[_Candidate] = []
    for sent in sentences:
        for found in _sentence_expressions(doc, sent.text, sent.start):
            res = _in_context(parsed.article.text, found, _resolve(found, base, conv), base, conv)
            if res is None:
                continue
            gov = _governor(doc, found, trigger_ids)
            attached = gov is not None and (gov.i in trigger_ids or gov.i in trigger_heads)
            if res.day is None and trigger_ids and not attached:
                continue  # an undatable anchor ("since 2014", "by 2026") only counts on the event itself
            reporting = not attached and gov is not None and gov.lemma_.lower() in _REPORTING
            distance = _distance(found, anchor)
            tier = 0 if attached else (2 if reporting and trigger_ids else 1)
            coarse = int(res.day is None and not res.future)  # "in 2014" loses to a dated sibling
            out.append(_Candidate(found, res, (tier, coarse, distance), reporting and bool(trigger_ids)))
    return out


def _evidence_sentences(parsed: ParsedArticle, mention: EventMention) -> list[Sentence]:
    """Sentences under the evidence, joined with neighbours the parser split off mid-sentence.

    Upper-case wire text often gets split before "TODAY, KILLING FOUR": a sentence that does not
    end in terminal punctuation continues into the next one (at most two steps each way).
    """
    sents = parsed.sentences
    ev = mention.evidence
    idx = [s.index for s in sents if s.start < ev.end and s.end > ev.start]
    if not idx and 0 <= mention.sentence_index < len(sents):
        idx = [mention.sentence_index]
    if not idx:
        return []
    first, last = idx[0], idx[-1]
    for _ in range(2):
        if first > 0 and not _TERMINAL.search(sents[first - 1].text):
            first -= 1
        if last + 1 < len(sents) and not _TERMINAL.search(sents[last].text):
            last += 1
    return list(sents[first:last + 1])


def _in_context(
    text: str, found: FoundDate, res: DateResolution | None, base: date | None, conv: str | None = None
) -> DateResolution | None:
    """Apply what the words around an expression say: "planned for Saturday", "the next day"."""
    if res is None:
        return None
    if _PLANNED_BEFORE.search(text[max(0, found.start - 40):found.start]):
        return DateResolution(None, None, future=True)
    if res.relative_days is None:
        return res
    ref = _previous_day(text, found.start, base, conv)
    if ref is None:
        return None
    day = ref + timedelta(days=res.relative_days)
    if base is not None and day > base:
        return DateResolution(None, None, future=True)
    return DateResolution(day, 1)


def _previous_day(text: str, end: int, base: date | None, conv: str | None) -> date | None:
    """The latest day-precise date expressed in ``text`` before ``end`` (for "the next day")."""
    for found in reversed(find_expressions(text[:end])):
        res = _resolve(found, base, conv)
        if res is not None and res.day is not None and res.precision == 1:
            return res.day
    return None


def _sentence_expressions(doc: Doc, text: str, offset: int) -> list[FoundDate]:
    """Rule-found expressions plus spaCy DATE/TIME entities that no rule covered."""
    found = [FoundDate(f.text, f.start + offset, f.end + offset, f.lead) for f in find_expressions(text)]
    end = offset + len(text)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME") or ent.start_char < offset or ent.end_char > end:
            continue
        if any(f.start < ent.end_char and ent.start_char < f.end for f in found):
            continue
        if names_a_place(doc.text, ent.end_char):
            continue  # "26 July Street"
        found.append(FoundDate(ent.text, ent.start_char, ent.end_char, None))
    return found


def _token_ids(doc: Doc, span: Span) -> frozenset[int]:
    sp = doc.char_span(span.start, span.end, alignment_mode="expand")
    return frozenset(t.i for t in sp) if sp is not None else frozenset()


def _clause_verbs(doc: Doc, trigger_ids: frozenset[int]) -> frozenset[int]:
    """Verbs a nominal trigger is an argument of: a date on them dates the event too.

    "A new round of protests is planned for August 28": "protests" -> "round" -> "planned".
    """
    out: set[int] = set()
    for i in trigger_ids:
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        for _ in range(4):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                out.add(tok.i)
                break
    return frozenset(out)


def _governor(doc: Doc, found: FoundDate, trigger_ids: frozenset[int]) -> Token | None:
    """The trigger token or the first verb above the expression in the dependency tree."""
    sp = doc.char_span(found.start, found.end, alignment_mode="expand")
    if sp is None:
        return None
    tok = sp.root
    for _ in range(10):
        if tok.head.i == tok.i:
            return tok if tok.pos_ in ("VERB", "AUX") else None
        tok = tok.head
        if tok.i in trigger_ids or tok.pos_ == "VERB":
            return tok
    return None


def _distance(found: FoundDate, anchor: Span) -> int:
    if found.end <= anchor.start:
        return anchor.start - found.end
    if found.start >= anchor.end:
        return found.start - anchor.end
    return 0
