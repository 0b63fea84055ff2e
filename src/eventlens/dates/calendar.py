"""Shared pieces of the date rules: regex fragments, :class:`DateResolution` and calendar helpers.

Used by :mod:`eventlens.dates.expressions` (resolution), :mod:`eventlens.dates.relative` (expressions
relative to the publication date) and :mod:`eventlens.dates.find` (finding expressions in text).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DAY", "EDGE", "MONTH", "NTH", "NUMBERS", "PART", "UPCOMING_DAYS", "WEEKDAY", "WEEKDAYS", "YEAR",
    "DateResolution", "count_word", "edge_day", "full_year", "month_day_resolution", "month_number",
    "past_only", "safe_date", "week_of_month",
]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)"
)
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
PART = r"(?:morning|afternoon|evening|night|overnight)"
EDGE = r"(?:early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|the\s+start\s+of"
EDGE += r"|start\s+of|the\s+middle\s+of|middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of)"
NTH = "first|second|third|fourth|last|final"


@dataclass(frozen=True, slots=True)
class DateResolution:
    """What a date expression says about when something happened.

    ``day`` is None when the expression is a real time anchor that cannot be coded as a past
    date: it is in the future or a deadline (``future``), it only gives a year, or it is relative
    to an earlier date of the text ("the next day": ``relative_days`` = 1).
    """

    day: date | None
    precision: int | None
    future: bool = False
    relative_days: int | None = None


def month_number(word: str) -> int | None:
    """1-12 for a month name or its abbreviation ("sept", "aug"), else None ("decade" is no month)."""
    if len(word) < 3:
        return None
    for name in calendar.month_name[1:]:
        if name.lower().startswith(word):
            return MONTHS[word[:3]]
    return None


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def full_year(token: str, base: date | None) -> int:
    y = int(token)
    if len(token) == 2:
        ref = (base or date.today()).year
        y += ref - ref % 100
        if y > ref + 1:
            y -= 100
    return y


def edge_day(edge: str, y: int, m: int) -> int:
    if "half" in edge:
        return 8 if "first" in edge else 23
    if edge.startswith(("early", "beginning", "start", "the beginning", "the start")):
        return 1
    if edge.startswith(("late", "end", "the end")):
        return calendar.monthrange(y, m)[1]
    return 15


def past_only(res: DateResolution, base: date | None) -> DateResolution:
    """Mark a resolution that lies after the base date as future (no past date)."""
    if res.day is not None and base is not None and res.day > base:
        return DateResolution(None, None, future=True)
    return res


def week_of_month(which: str, y: int, mo: int) -> date:
    last = calendar.monthrange(y, mo)[1]
    if which in ("last", "final"):
        return date(y, mo, last - 3)
    return date(y, mo, min(last, 4 + 7 * ("first", "second", "third", "fourth").index(which)))


#: A yearless date up to this many days after publication is upcoming, not last year's.
UPCOMING_DAYS = 14


def month_day_resolution(mo: int, day: int, base: date) -> DateResolution | None:
    """This year's date; last year's when this year's is well after the base; future when just after."""
    d = safe_date(base.year, mo, day)
    if d is not None and d > base:
        if (d - base).days <= UPCOMING_DAYS:
            return DateResolution(None, None, future=True)
        d = safe_date(base.year - 1, mo, day)
    return DateResolution(d, 1) if d else None


def count_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)
