"""Date expressions: resolve one against a base (publication) date, with ACLED time precision.

This is the rule layer behind :mod:`eventlens.dates.mentions`. It knows the shapes news text uses
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

import functools
import logging
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from eventlens.dates.calendar import (
    EDGE,
    MONTH,
    NTH,
    WEEKDAY,
    DateResolution,
    edge_day,
    full_year,
    month_day_resolution,
    month_number,
    past_only,
    safe_date,
    week_of_month,
)
from eventlens.dates.relative import (
    ago,
    holiday,
    in_named_period,
    relational,
    relative_day,
    relative_period,
    weekday,
)

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DateResolution", "resolve_expression"]

_DEADLINE_LEADS = frozenset({"by", "until", "till", "before", "no later than"})

log = logging.getLogger(__name__)


def _norm(text: str) -> str:
    t = text.lower().replace("\u2019", "'")
    t = re.sub(r"(?<=[a-z])\.", "", t)
    t = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", t)
    t = re.sub(r"[,;]", " ", t).replace("-", " ") if not re.fullmatch(r"\d{4}-\d\d-\d\d", t.strip()) else t
    return re.sub(r"\s+", " ", t).strip()


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
    if lead == "since" and (res.day is None or (res.precision or 3) > 1):
        return None  # "the worst since (January) 2014" says nothing of this event's date
    if lead in _DEADLINE_LEADS and res.day is not None and lead != "before":
        if base is None or res.day > base:
            return DateResolution(None, None, future=True)
        return DateResolution(res.day, max(res.precision or 2, 2))
    return past_only(res, base)


def _week_of(t: str, base: date | None) -> DateResolution | None:
    """ "the week of 10 August 2020": a mid-week day of that week, precision 2."""
    res = _resolve(t, base)
    if res is None or res.day is None:
        return res
    mid = res.day - timedelta(days=res.day.weekday()) + timedelta(days=2)
    return past_only(DateResolution(mid if base is None else min(mid, base), 2), base)


def _resolve(t: str, base: date | None) -> DateResolution | None:
    rules = (relational, holiday, _range, in_named_period, _absolute, _month_year, _month_day,
             relative_day, ago, relative_period, weekday, _bare_month, _year_only)
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
    if w and (res := weekday(w[1], base)) is not None:
        return DateResolution(res.day, 2 if res.day else None)
    return None


def _absolute(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(rf"^{WEEKDAY}\s+", "", t)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", t):
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d = safe_date(y, a, b) if b > 12 else safe_date(y, b, a)  # day-first unless impossible
    elif m := re.fullmatch(r"([a-z]+) (\d{1,2}) (\d{4})", t):
        mo = month_number(m[1])
        d = safe_date(int(m[3]), mo, int(m[2])) if mo else None
    elif m := re.fullmatch(r"(?:the )?(\d{1,2}) (?:of )?([a-z]+) (\d{4}|\d\d)", t):
        mo = month_number(m[2])
        d = safe_date(full_year(m[3], base), mo, int(m[1])) if mo else None
    else:
        return None
    return DateResolution(d, 1) if d else None


def _month_year(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(?:the )?({NTH}) week of )?({EDGE} )?([a-z]+) (\d{{4}})", t)
    if not m or not (mo := month_number(m[3])):
        return None
    y = int(m[4])
    if m[1]:
        return DateResolution(week_of_month(m[1], y, mo), 2)
    return DateResolution(date(y, mo, edge_day(m[2] or "", y, mo)), 3)


def _month_day(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(rf"^{WEEKDAY}\s+", "", t)
    m = re.fullmatch(r"([a-z]+) (\d{1,2})", t) or re.fullmatch(r"(?:the )?(\d{1,2}) (?:of )?([a-z]+)", t)
    if not m:
        return None
    word, num = (m[1], m[2]) if m[1].isalpha() else (m[2], m[1])
    mo = month_number(word)
    if not mo or base is None:
        return None if not mo else DateResolution(None, None)
    return month_day_resolution(mo, int(num), base)


def _bare_month(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(?:the )?({NTH}) week of )?({EDGE} )?([a-z]+)", t)
    if not m or not (mo := month_number(m[3])) or len(m[3]) < 3:
        return None
    if base is None:
        return DateResolution(None, None)
    y = base.year if mo <= base.month else base.year - 1
    if m[1]:
        return DateResolution(min(week_of_month(m[1], y, mo), base), 2)
    return DateResolution(min(date(y, mo, edge_day(m[2] or "", y, mo)), base), 3)


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


def _day_of_month(day: int, base: date) -> DateResolution | None:
    """ "on the 14th": this month's 14th, or last month's when that is still to come."""
    y, mo = (base.year, base.month) if day <= base.day else divmod(base.year * 12 + base.month - 2, 12)
    if day > base.day:
        mo += 1
    found = safe_date(y, mo, day)
    return DateResolution(found, 1) if found else None


def _dateparser(t: str, raw: str, base: date | None) -> DateResolution | None:
    """Fallback for shapes the rules do not know: text with a month name, an ordinal or d/m/y digits."""
    if base is None or re.search(r"\b(?:day|week|month|year)s?\b", t):
        return None
    if m := re.fullmatch(r"(?:on\s+)?(?:the\s+)?([0-3]?\d)(?:st|nd|rd|th)", raw.strip()):
        return _day_of_month(int(m[1]), base)
    if not re.search(rf"\b{MONTH}(?!\w)|\d(?:st|nd|rd|th)\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}", raw):
        return None
    data = _parser(base).get_date_data(t)
    if data.date_obj is None:
        return None
    log.debug("dateparser resolved %r -> %s (%s)", t, data.date_obj, data.period)
    precision = {"day": 1, "time": 1, "week": 2, "month": 3}.get(data.period or "")
    if precision is None:
        return None
    return DateResolution(data.date_obj.date(), precision)
