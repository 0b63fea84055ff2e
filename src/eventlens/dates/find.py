"""Finding date expressions in running text (any case) for :mod:`eventlens.dates.mentions`.

One compiled regex covers the shapes :func:`eventlens.dates.expressions.resolve_expression` resolves:
explicit dates in several formats, month-day, month(-year), weekdays, "yesterday", "N days ago",
"last week", "earlier this month", ranges ("4-5 January"). It also captures the preposition in
front ("on", "in", "by", ...) because "by September 2025" is a deadline, not an event date.
Words that are also ordinary words ("may", "march", a bare number like "1990") only count as
dates after a preposition such as "in" or "since".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eventlens.dates.calendar import DAY, EDGE, MONTH, PART, WEEKDAY, YEAR
from eventlens.dates.expressions import resolve_expression

__all__ = ["FoundDate", "FullDate", "find_expressions", "find_full_dates", "names_a_place"]

COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|few|several)"

_FULL = (
    rf"(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+{DAY},?\s+{YEAR}|(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}"
    rf"|{YEAR}-[01]\d-[0-3]\d|[0-3]?\d[/.][0-3]?\d[/.]{YEAR}|{DAY}\s+{MONTH}\s+\d\d(?!\d))"
)
_EXPR = "|".join(
    (
        rf"(?:the\s+)?week\s+of\s+(?:{_FULL}|{MONTH}\s+{DAY}|{DAY}\s+{MONTH})",
        _FULL,
        rf"(?:(?:the\s+)?(?:first|second|third|fourth|last|final)\s+week\s+of\s+)?{EDGE}?\s*{MONTH},?\s+{YEAR}",
        rf"(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+{DAY}(?!\s*\d)|(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH})",
        rf"(?:the\s+day\s+before\s+yesterday|(?:yesterday|today|tomorrow)(?:\s+{PART})?|tonight|last\s+night"
        rf"|this\s+(?:morning|afternoon|evening))",
        rf"{COUNT}\s+(?:day|night|week|month|year)s?\s+ago",
        r"(?:(?:the\s+)?(?:next|following|previous|same)\s+(?:day|morning)|the\s+day\s+(?:before|after)"
        rf"|{COUNT}\s+days?\s+(?:later|earlier)|(?:later|earlier)\s+that\s+day|that\s+(?:day|night|evening|morning)"
        r"|hours\s+(?:later|earlier))",
        r"(?:new\s+year's\s+(?:day|eve)|christmas(?:\s+(?:day|eve))?|boxing\s+day|valentine's\s+day|halloween)",
        r"(?:(?:early|late|mid|earlier|later)\s+)?(?:last|this|past|next|previous|coming)\s+"
        r"(?:week(?:end)?|month|year)",
        r"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:last|this|next|the)\s+(?:week|month|year)",
        r"(?:(?:over|at|during)\s+)?the\s+weekend",
        rf"{DAY}\s*(?:-|–|to|and)\s*{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?",
        rf"{MONTH}\s+{DAY}\s*(?:-|–|to|and)\s*{DAY}(?:,?\s+{YEAR})?",
        rf"{WEEKDAY}\s+(?:and|to|through|-|–)\s+{WEEKDAY}",
        rf"{WEEKDAY}\s+(?:of\s+)?(?:last|this|the\s+previous)\s+week",
        rf"{MONTH}\s+(?:of\s+)?(?:last|this|the\s+previous)\s+year|(?:last|this)\s+{MONTH}",
        rf"(?:last|this|past|next|coming)?\s*{WEEKDAY}(?:\s+{PART})?",
        rf"(?:(?:the\s+)?(?:first|second|third|fourth|last|final)\s+week\s+of\s+)?{EDGE}?[\s-]*{MONTH}",
        rf"{EDGE}?\s*{YEAR}",
    )
)
_LEAD = r"(?:(?P<lead>by|until|till|before|no\s+later\s+than|on|in|since|during|from|of|at)\s+)?"
#: a date that names a street, square, town or body ("26 July Street", "6th of October City", "the
#: April 6 Youth Movement") is a name, not a date
_PLACE_WORDS = (
    r"street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|square|sq\.?|city|bridge|district|quarter"
    r"|neighbou?rhood|stadium|university|hospital|camp|highway|town|village|airport|park|school|market"
    r"|roundabout|circle|youth|movement|alliance|coalition|brigades?|front|party|group|war|revolution|uprising"
)
_NAMED_AFTER = re.compile(rf"^\s*(?:{_PLACE_WORDS})\b", re.IGNORECASE)
_FINDER = re.compile(
    rf"(?<![\w-]){_LEAD}(?P<expr>(?=[^\s-])(?:{_EXPR}))(?![\w-])(?!\s+(?:\d+\s+)?(?:{_PLACE_WORDS})\b)",
    re.IGNORECASE,
)
_FULL_RE = re.compile(rf"(?<![\w-]){_FULL}(?![\w-])", re.IGNORECASE)
#: "may" and "march" are also a verb and a noun: as a bare month they need a date-like neighbour.
_AMBIGUOUS_BARE = re.compile(r"(?:may|mar(?:ch)?)\.?|(?:1[89]\d\d|20\d\d)", re.I)
_BARE_LEADS = {"in", "since", "during", "until", "by", "of", "before", "till"}



def names_a_place(text: str, end: int) -> bool:
    """Whether the date-like words ending at ``end`` are part of a name ("26 July Street")."""
    return bool(_NAMED_AFTER.match(text[end : end + 30]))


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date expression found in text: character offsets and the leading preposition."""

    text: str
    start: int
    end: int
    lead: str | None


def find_expressions(text: str) -> list[FoundDate]:
    """Every date-like expression in ``text`` (any case), leftmost-longest, with its lead word."""
    out: list[FoundDate] = []
    for m in _FINDER.finditer(text):
        expr = m.group("expr").strip()
        if not expr:
            continue
        start = m.start("expr") + (len(m.group("expr")) - len(m.group("expr").lstrip()))
        lead = (m.group("lead") or "").lower() or None
        if _AMBIGUOUS_BARE.fullmatch(expr) and lead not in _BARE_LEADS:
            continue
        out.append(FoundDate(expr, start, start + len(expr), lead and re.sub(r"\s+", " ", lead)))
    return out


@dataclass(frozen=True, slots=True)
class FullDate:
    """An explicit day-month-year date found in text, with its character offsets."""

    day: date
    start: int
    end: int


def find_full_dates(text: str) -> list[FullDate]:
    """Explicit day-month-year dates in ``text`` ("21 August 2020", "Aug. 21, 2020", "2020-08-21")."""
    out: list[FullDate] = []
    for m in _FULL_RE.finditer(text):
        res = resolve_expression(m.group(0), None)
        if res is not None and res.day is not None and res.precision == 1:
            out.append(FullDate(res.day, m.start(), m.end()))
    return out
