"""Date expressions: find them in text and resolve them against a base (publication) date.

This is the rule layer behind :mod:`eventlens.dates`. It knows the shapes news text uses
("on Wednesday", "Aug. 14", "in July", "last week", "2 DAYS AGO", "3 March 2023", "late last
month") and turns each into a :class:`DateResolution` following ACLED's time precision:
1 = the day is known, 2 = only the week (a mid-week day is coded), 3 = only the month (the
15th, or the 1st / last day when the text says the start / end of the month).

Rules run first because they are fast and predictable (dateparser, for instance, reads
"Friday" in a Friday article as a week earlier); shapes the rules do not know fall back to
``dateparser`` with ``RELATIVE_BASE`` = base and ``PREFER_DATES_FROM="past"``, and only for
text that contains a digit or a month name. A year is never invented: without a base date,
only expressions that carry their own year resolve.
"""

from __future__ import annotations

import calendar
import functools
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DAY", "EDGE", "MONTH", "PART", "WEEKDAY", "YEAR", "DateResolution", "resolve_expression"]

_DEADLINE_LEADS = frozenset({"by", "until", "till", "before", "no later than"})

log = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {
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
_NTH = "first|second|third|fourth|last|final"

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


def _norm(text: str) -> str:
    t = text.lower().replace("\u2019", "'")
    t = re.sub(r"(?<=[a-z])\.", "", t)
    t = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", t)
    t = re.sub(r"[,;]", " ", t).replace("-", " ") if not re.fullmatch(r"\d{4}-\d\d-\d\d", t.strip()) else t
    return re.sub(r"\s+", " ", t).strip()


def _month(word: str) -> int | None:
    """1-12 for a month name or its abbreviation ("sept", "aug"), else None ("decade" is no month)."""
    if len(word) < 3:
        return None
    for name in calendar.month_name[1:]:
        if name.lower().startswith(word):
            return _MONTHS[word[:3]]
    return None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(token: str, base: date | None) -> int:
    y = int(token)
    if len(token) == 2:
        ref = (base or date.today()).year
        y += ref - ref % 100
        if y > ref + 1:
            y -= 100
    return y


def _edge_day(edge: str, y: int, m: int) -> int:
    if "half" in edge:
        return 8 if "first" in edge else 23
    if edge.startswith(("early", "beginning", "start", "the beginning", "the start")):
        return 1
    if edge.startswith(("late", "end", "the end")):
        return calendar.monthrange(y, m)[1]
    return 15


def _past(res: DateResolution, base: date | None) -> DateResolution:
    """Mark a resolution that lies after the base date as future (no past date)."""
    if res.day is not None and base is not None and res.day > base:
        return DateResolution(None, None, future=True)
    return res


@functools.lru_cache(maxsize=8192)
def resolve_expression(text: str, base: date | None, lead: str | None = None) -> DateResolution | None:
    """Resolve one date expression against ``base``; None when it is no time anchor at all.

    Cached by (expression, base date, lead word): the same phrase in many articles of one day
    is resolved once.
    """
    t = _norm(text)
    t = re.sub(r"\s*\([^)]*\)\s*", " ", t).strip()  # "(as reported)"
    t = re.sub(r"^(?:(?:on|in|at|during|of|since|from|between|around|about|approximately|circa|"
               r"sometime|some time|the month of|month of)\s+)+", "", t)
    if m := re.fullmatch(r"(?:the )?week of (.+)", t):
        return _week_of(m[1], base)
    m = re.match(r"^(by|until|till|before|no later than)\s+(.*)$", t)
    if m:
        lead, t = m.group(1), m.group(2)
    res = _resolve(t, base) or _dateparser(t, text.lower(), base)
    if res is None:
        return None
    if lead in ("until", "till"):  # when something lasts to, not when it happened
        return None
    if lead in _DEADLINE_LEADS and res.day is not None and lead != "before":
        if base is None or res.day > base:
            return DateResolution(None, None, future=True)
        return DateResolution(res.day, max(res.precision or 2, 2))
    return _past(res, base)


def _week_of(t: str, base: date | None) -> DateResolution | None:
    """ "the week of 10 August 2020": a mid-week day of that week, precision 2."""
    res = _resolve(t, base)
    if res is None or res.day is None:
        return res
    mid = res.day - timedelta(days=res.day.weekday()) + timedelta(days=2)
    return _past(DateResolution(mid if base is None else min(mid, base), 2), base)


def _resolve(t: str, base: date | None) -> DateResolution | None:
    rules = (_relational, _holiday, _range, _in_named_period, _absolute, _month_year, _month_day,
             _relative_day, _ago, _relative_period, _weekday, _bare_month, _year_only)
    for rule in rules:
        res = rule(t, base)
        if res is not None:
            return res
    return None


def _range(t: str, base: date | None) -> DateResolution | None:
    """A few days ("4-5 January", "Aug 3 to 6", "Saturday and Sunday"): the first day, precision 2."""
    m = (re.fullmatch(r"(\d{1,2}) (?:(?:to|and|through) )?(\d{1,2}) (?:of )?([a-z]+)( \d{4})?", t)
         or re.fullmatch(r"([a-z]+) (\d{1,2}) (?:(?:to|and|through) )?(\d{1,2})( \d{4})?", t))
    if m:
        first = f"{m[1]} {m[3]}{m[4] or ''}" if m[1].isdigit() else f"{m[1]} {m[2]}{m[4] or ''}"
        res = _resolve(first, base)
        return DateResolution(res.day, 2) if res is not None and res.day is not None else res
    w = re.fullmatch(rf"({WEEKDAY}) (?:and|to|through) {WEEKDAY}", t)
    if w and (res := _weekday(w[1], base)) is not None:
        return DateResolution(res.day, 2 if res.day else None)
    return None


def _in_named_period(t: str, base: date | None) -> DateResolution | None:
    """ "Tuesday last week", "October last year", "last October"."""
    t = t.replace("the previous", "last")
    w = re.fullmatch(rf"({WEEKDAY}) (?:of )?(last|this) week", t)
    m = re.fullmatch(r"([a-z]+) (?:of )?(last|this) year", t) or re.fullmatch(r"(last|this) ([a-z]+)", t)
    if not (w or (m and _month(m[1] if m[1] not in ("last", "this") else m[2]))):
        return None
    if base is None:
        return DateResolution(None, None)
    if w:
        monday = base - timedelta(days=base.weekday() + (7 if w[2] == "last" else 0))
        return DateResolution(monday + timedelta(days=_WEEKDAYS.index(w[1])), 1)
    assert m is not None
    which, word = (m[2], m[1]) if m[1] not in ("last", "this") else (m[1], m[2])
    mo = _month(word) or 1
    if m[1] in ("last", "this"):  # "last October": the latest October before this month
        year = base.year if mo < base.month or which == "this" else base.year - 1
    else:
        year = base.year - 1 if which == "last" else base.year
    return DateResolution(date(year, mo, 15), 3)


def _absolute(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(rf"^{WEEKDAY}\s+", "", t)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", t):
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d = _safe(y, a, b) if b > 12 else _safe(y, b, a)  # day-first unless impossible
    elif m := re.fullmatch(r"([a-z]+) (\d{1,2}) (\d{4})", t):
        mo = _month(m[1])
        d = _safe(int(m[3]), mo, int(m[2])) if mo else None
    elif m := re.fullmatch(r"(?:the )?(\d{1,2}) (?:of )?([a-z]+) (\d{4}|\d\d)", t):
        mo = _month(m[2])
        d = _safe(_year(m[3], base), mo, int(m[1])) if mo else None
    else:
        return None
    return DateResolution(d, 1) if d else None


def _month_year(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(?:the )?({_NTH}) week of )?({EDGE} )?([a-z]+) (\d{{4}})", t)
    if not m or not (mo := _month(m[3])):
        return None
    y = int(m[4])
    if m[1]:
        return DateResolution(_week_of_month(m[1], y, mo), 2)
    return DateResolution(date(y, mo, _edge_day(m[2] or "", y, mo)), 3)


def _week_of_month(which: str, y: int, mo: int) -> date:
    last = calendar.monthrange(y, mo)[1]
    if which in ("last", "final"):
        return date(y, mo, last - 3)
    return date(y, mo, min(last, 4 + 7 * ("first", "second", "third", "fourth").index(which)))


#: A yearless date up to this many days after publication is upcoming, not last year's.
_UPCOMING_DAYS = 14


def _month_day_resolution(mo: int, day: int, base: date) -> DateResolution | None:
    """This year's date; last year's when this year's is well after the base; future when just after."""
    d = _safe(base.year, mo, day)
    if d is not None and d > base:
        if (d - base).days <= _UPCOMING_DAYS:
            return DateResolution(None, None, future=True)
        d = _safe(base.year - 1, mo, day)
    return DateResolution(d, 1) if d else None


def _month_day(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(rf"^{WEEKDAY}\s+", "", t)
    m = re.fullmatch(r"([a-z]+) (\d{1,2})", t) or re.fullmatch(r"(?:the )?(\d{1,2}) (?:of )?([a-z]+)", t)
    if not m:
        return None
    word, num = (m[1], m[2]) if m[1].isalpha() else (m[2], m[1])
    mo = _month(word)
    if not mo or base is None:
        return None if not mo else DateResolution(None, None)
    return _month_day_resolution(mo, int(num), base)


_RELATIONAL = {
    "the next day": 1, "the following day": 1, "a day later": 1, "one day later": 1, "the day after": 1,
    "the next morning": 1, "the following morning": 1, "next morning": 1,
    "the previous day": -1, "the day before": -1, "a day earlier": -1, "one day earlier": -1,
    "the same day": 0, "that day": 0, "that night": 0, "later that day": 0, "earlier that day": 0,
    "hours later": 0, "hours earlier": 0, "that evening": 0, "that morning": 0,
}


def _relational(t: str, base: date | None) -> DateResolution | None:
    """ "the next day", "two days later": an offset from the previous date the text gave."""
    if (k := _RELATIONAL.get(t)) is None:
        m = re.fullmatch(r"(\d+|[a-z]+) days (later|earlier)", t)
        n = _count(m[1]) if m else None
        if m is None or n is None:
            return None
        k = n if m[2] == "later" else -n
    return DateResolution(None, None, relative_days=k)


#: Fixed-date holidays (month, day); movable feasts are left to dateparser or the fallback.
HOLIDAYS = {
    "new year's day": (1, 1), "new year's eve": (12, 31), "christmas day": (12, 25),
    "christmas eve": (12, 24), "christmas": (12, 25), "boxing day": (12, 26),
    "valentine's day": (2, 14), "halloween": (10, 31), "may day": (5, 1),
}


def _holiday(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(r"^(?:on )?(?:the )?", "", t)
    if (md := HOLIDAYS.get(t)) is None:
        return None
    return DateResolution(None, None) if base is None else _month_day_resolution(*md, base)


def _relative_day(t: str, base: date | None) -> DateResolution | None:
    words = rf"the day before yesterday|yesterday|today|tonight|tomorrow|last night|this {PART}"
    m = re.fullmatch(rf"({words})(?: {PART})?", t)
    if not m:
        return None
    if base is None:
        return DateResolution(None, None)
    word = m[1]
    offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return DateResolution(base + timedelta(days=offset), 1)


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _ago(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(r"(\d+|[a-z]+(?: few)?) (day|night|week|month|year)s? ago", t)
    if not m:
        return None
    if base is None:
        return DateResolution(None, None)
    n, unit = _count(m[1]), m[2]
    vague = n is None
    n = 3 if n is None else n
    if unit in ("day", "night"):
        return DateResolution(base - timedelta(days=n), 2 if vague else 1)
    if unit == "week":
        return DateResolution(base - timedelta(days=7 * n), 2)
    if unit == "month":
        y, mo = divmod(base.year * 12 + base.month - 1 - n, 12)
        return DateResolution(date(y, mo + 1, 15), 3)
    return DateResolution(None, None)


def _relative_period(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(r"^(?:(?:over|at|during) )?the weekend$", "last weekend", t)
    t = re.sub(r"\bthe (week|month)$", r"this \1", t)
    t = re.sub(r"^(?:the )?(end|beginning|start|middle) of ", r"\1 ", t)
    m = re.fullmatch(
        r"(?:(early|late|mid|earlier|later|end|beginning|start|middle) )?"
        r"(last|this|past|next|previous|coming) (week|weekend|month|year)", t)
    if not m:
        return None
    edge, which, unit = m[1] or "", m[2], m[3]
    if which in ("next", "coming") or edge == "later":
        return DateResolution(None, None, future=True)
    if base is None or unit == "year":
        return DateResolution(None, None)
    if unit == "weekend":
        sat = base - timedelta(days=(base.weekday() - 5) % 7)
        return DateResolution(sat, 2)
    if unit == "week":
        if which == "past":
            return DateResolution(base - timedelta(days=3), 2)
        ref = base - timedelta(days=7) if which in ("last", "previous") else base
        monday = ref - timedelta(days=ref.weekday())
        offset = {"early": 1, "beginning": 1, "start": 1, "late": 4, "end": 4}.get(edge, 2)
        return DateResolution(min(monday + timedelta(days=offset), base), 2)
    if which in ("last", "previous", "past"):
        y, mo = divmod(base.year * 12 + base.month - 2, 12)
        y, mo = y, mo + 1
    else:
        y, mo = base.year, base.month
    day = _edge_day(edge, y, mo) if edge not in ("", "earlier", "mid", "middle") else 15
    return DateResolution(min(date(y, mo, day), base), 3)


def _weekday(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(last|this|past|next|coming) )?({WEEKDAY})(?: {PART})?", t)
    if not m:
        return None
    if m[1] in ("next", "coming"):
        return DateResolution(None, None, future=True)
    if base is None:
        return DateResolution(None, None)
    back = (base.weekday() - _WEEKDAYS.index(m[2])) % 7
    if m[1] in ("last", "past") and back == 0:
        back = 7
    return DateResolution(base - timedelta(days=back), 1)


def _bare_month(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(?:the )?({_NTH}) week of )?({EDGE} )?([a-z]+)", t)
    if not m or not (mo := _month(m[3])) or len(m[3]) < 3:
        return None
    if base is None:
        return DateResolution(None, None)
    y = base.year if mo <= base.month else base.year - 1
    if m[1]:
        return DateResolution(min(_week_of_month(m[1], y, mo), base), 2)
    return DateResolution(min(date(y, mo, _edge_day(m[2] or "", y, mo)), base), 3)


def _year_only(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:{EDGE} )?(\d{{4}})", t)
    if not m or not 1800 <= int(m[1]) <= 2099:
        return None
    return DateResolution(None, None, future=base is not None and int(m[1]) > base.year)


@functools.lru_cache(maxsize=64)
def _parser(base: date) -> DateDataParser:
    """One dateparser parser per base date, built lazily (dateparser is slow to initialise)."""
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past",
                "RETURN_TIME_AS_PERIOD": False}
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(t: str, raw: str, base: date | None) -> DateResolution | None:
    """Fallback for shapes the rules do not know: text with a month name, an ordinal or d/m/y digits."""
    if base is None or re.search(r"\b(?:day|week|month|year)s?\b", t):
        return None
    if not re.search(rf"\b{MONTH}(?!\w)|\d(?:st|nd|rd|th)\b|\d[/.-]\d", raw):
        return None
    data = _parser(base).get_date_data(t)
    if data.date_obj is None:
        return None
    log.debug("dateparser resolved %r -> %s (%s)", t, data.date_obj, data.period)
    precision = {"day": 1, "time": 1, "week": 2, "month": 3}.get(data.period or "")
    if precision is None:
        return None
    return DateResolution(data.date_obj.date(), precision)
