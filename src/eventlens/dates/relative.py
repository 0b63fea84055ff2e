"""Date expressions relative to the publication date or to an earlier date of the text.

"on Wednesday", "yesterday", "two days ago", "last week", "earlier this month", "Tuesday last
week", "October last year", "Christmas", and "the next day" (resolved later against the previous
date in the text). Each rule takes the normalised expression and the base date and returns a
:class:`~eventlens.dates.calendar.DateResolution`, or None when the expression is not its shape.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from eventlens.dates.calendar import (
    PART,
    WEEKDAY,
    WEEKDAYS,
    DateResolution,
    count_word,
    edge_day,
    month_day_resolution,
    month_number,
)

__all__ = [
    "HOLIDAYS", "ago", "holiday", "in_named_period", "relational", "relative_day", "relative_period",
    "weekday",
]

_RELATIONAL = {
    "the next day": 1, "the following day": 1, "a day later": 1, "one day later": 1, "the day after": 1,
    "the next morning": 1, "the following morning": 1, "next morning": 1,
    "the previous day": -1, "the day before": -1, "a day earlier": -1, "one day earlier": -1,
    "the same day": 0, "that day": 0, "that night": 0, "later that day": 0, "earlier that day": 0,
    "hours later": 0, "hours earlier": 0, "that evening": 0, "that morning": 0,
}


def relational(t: str, base: date | None) -> DateResolution | None:
    """ "the next day", "two days later": an offset from the previous date the text gave."""
    if (k := _RELATIONAL.get(t)) is None:
        m = re.fullmatch(r"(\d+|[a-z]+) days (later|earlier)", t)
        n = count_word(m[1]) if m else None
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


def holiday(t: str, base: date | None) -> DateResolution | None:
    t = re.sub(r"^(?:on )?(?:the )?", "", t)
    if (md := HOLIDAYS.get(t)) is None:
        return None
    return DateResolution(None, None) if base is None else month_day_resolution(*md, base)


def relative_day(t: str, base: date | None) -> DateResolution | None:
    words = rf"the day before yesterday|yesterday|today|tonight|tomorrow|last night|this {PART}"
    m = re.fullmatch(rf"({words})(?: {PART})?", t)
    if not m:
        return None
    if base is None:
        return DateResolution(None, None)
    word = m[1]
    offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return DateResolution(base + timedelta(days=offset), 1)


def ago(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(r"(\d+|[a-z]+(?: few)?) (day|night|week|month|year)s? ago", t)
    if not m:
        return None
    if base is None:
        return DateResolution(None, None)
    n, unit = count_word(m[1]), m[2]
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


def relative_period(t: str, base: date | None) -> DateResolution | None:
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
    day = edge_day(edge, y, mo) if edge not in ("", "earlier", "mid", "middle") else 15
    return DateResolution(min(date(y, mo, day), base), 3)


def weekday(t: str, base: date | None) -> DateResolution | None:
    m = re.fullmatch(rf"(?:(last|this|past|next|coming) )?({WEEKDAY})(?: {PART})?", t)
    if not m:
        return None
    if m[1] in ("next", "coming"):
        return DateResolution(None, None, future=True)
    if base is None:
        return DateResolution(None, None)
    back = (base.weekday() - WEEKDAYS.index(m[2])) % 7
    if m[1] in ("last", "past") and back == 0:
        back = 7
    return DateResolution(base - timedelta(days=back), 1)


def in_named_period(t: str, base: date | None) -> DateResolution | None:
    """ "Tuesday last week", "October last year", "last October"."""
    t = t.replace("the previous", "last")
    w = re.fullmatch(rf"({WEEKDAY}) (?:of )?(last|this) week", t)
    m = re.fullmatch(r"([a-z]+) (?:of )?(last|this) year", t) or re.fullmatch(r"(last|this) ([a-z]+)", t)
    if not (w or (m and month_number(m[1] if m[1] not in ("last", "this") else m[2]))):
        return None
    if base is None:
        return DateResolution(None, None)
    if w:
        monday = base - timedelta(days=base.weekday() + (7 if w[2] == "last" else 0))
        return DateResolution(monday + timedelta(days=WEEKDAYS.index(w[1])), 1)
    assert m is not None
    which, word = (m[2], m[1]) if m[1] not in ("last", "this") else (m[1], m[2])
    mo = month_number(word) or 1
    if m[1] in ("last", "this"):  # "last October": the latest October before this month
        year = base.year if mo < base.month or which == "this" else base.year - 1
    else:
        year = base.year - 1 if which == "last" else base.year
    return DateResolution(date(year, mo, 15), 3)
