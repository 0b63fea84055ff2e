"""Report-level dates: the date a whole report hangs on, and the order its numeric dates are written in.

A report often states its date once, at its head, and tells its events after it without dates of
their own. The codebook dates every such event by that anchor, not by the publication date:

* a leading numeric or written date: "03/14/2016: Gunmen attacked ...", "2016-03-14 - ...",
  "On 14 March 2016, ..." (the first sentence opening with a full date);
* a wire dateline: "KABUL, March 14 (Reuters) -", "MOGADISHU, 6 JUN 90 --";
* a coder's note: "As reported on 14 March 2016, ...".

Numeric dates ("03/04/2016") are read in the document's own convention: any date whose first number
is above 12 makes it day-first, any whose second is makes it month-first; otherwise the reading that
falls on or shortly before the publication date wins; a lone incident-summary prefix
("03/04/2016: ...", the US incident-database style) is month-first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eventlens.dates.calendar import safe_date
from eventlens.dates.expressions import resolve_expression
from eventlens.dates.find import find_expressions

__all__ = ["Anchor", "numeric_convention", "report_anchor", "with_convention"]

_NUMERIC = re.compile(r"(?<![\w/.-])([0-3]?\d)([/.])([0-3]?\d)\2((?:19|20)\d\d)(?![\w/-])")
_PREFIX = re.compile(r"^\s*([0-3]?\d[/.][0-3]?\d[/.](?:19|20)\d\d)\s*[:\-–—]")
_ISO_PREFIX = re.compile(r"^\s*((?:19|20)\d\d-[01]\d-[0-3]\d)\s*[:\-–—|]")
#: "KABUL, March 14 (Reuters) -", "NAIROBI, Kenya, 14 March 2016 —", "MOGADISHU, 6 JUN 90 --"
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z'’.\- ]{1,40},(?:\s*[A-Z][A-Za-z'’.\- ]{1,30},)?\s*(?P<date>[^\n()—–]{3,30}?)\s*"
    r"(?:\([^)\n]{1,40}\)\s*)*(?:-{1,2}|—|–)"
)
_LEAD = re.compile(r"^\s*(?:on|in)\s+(?P<date>[^,\n]{6,40}?),", re.I)
_AS_REPORTED = re.compile(r"\bas (?:reported|of) (?:on )?(?P<date>[^,.;\n]{4,40})", re.I)
#: how far before the publication date an ambiguous numeric reading may fall and still be "the" reading
_NEAR_DAYS = 62


@dataclass(frozen=True, slots=True)
class Anchor:
    """The report's date, its time precision, and where the text states it."""

    day: date
    precision: int
    text: str
    start: int
    end: int


def numeric_convention(text: str, base: date | None) -> str | None:
    """ "mdy" or "dmy" when the document settles how its numeric dates read, else None."""
    pairs = [(int(m[1]), int(m[3]), int(m[4])) for m in _NUMERIC.finditer(text)]
    if not pairs:
        return None
    if any(a > 12 >= b for a, b, _ in pairs):
        return "dmy"
    if any(b > 12 >= a for a, b, _ in pairs):
        return "mdy"
    if base is not None:
        votes = {"mdy": 0, "dmy": 0}
        for a, b, y in pairs:
            readings = (("mdy", safe_date(y, a, b)), ("dmy", safe_date(y, b, a)))
            gaps = {order: (base - day).days for order, day in readings
                    if day is not None and 0 <= (base - day).days <= _NEAR_DAYS}
            if a != b and gaps:
                votes[min(gaps, key=lambda k: gaps[k])] += 1  # the reading closest before publication
        if votes["mdy"] != votes["dmy"]:
            return max(votes, key=lambda k: votes[k])
    if _PREFIX.match(text):
        return "mdy"
    return None


def with_convention(expr: str, convention: str | None) -> str:
    """A numeric date rewritten as ISO in the document's convention ("03/04/2016", mdy -> "2016-03-04")."""
    if convention is None:
        return expr
    m = _NUMERIC.search(expr)
    if m is None:
        return expr
    a, b, y = int(m[1]), int(m[3]), int(m[4])
    month, day = (a, b) if convention == "mdy" else (b, a)
    if safe_date(y, month, day) is None:
        return expr
    return expr[: m.start()] + f"{y:04d}-{month:02d}-{day:02d}" + expr[m.end():]


def report_anchor(text: str, base: date | None, convention: str | None) -> Anchor | None:
    """The date the report states for itself at its head (or in an "As reported on" note), if any."""
    head = text[:400]
    for pattern in (_PREFIX, _ISO_PREFIX):
        if m := pattern.match(head):
            found = _resolved(m[1], base, convention)
            if found is not None:
                return Anchor(found[0], found[1], m[1], m.start(1), m.end(1))
    for pattern in (_DATELINE, _LEAD):
        if m := pattern.match(head):
            anchor = _first_date(m["date"], m.start("date"), base, convention)
            if anchor is not None:
                return anchor
    for m in _AS_REPORTED.finditer(text):
        anchor = _first_date(m["date"], m.start("date"), base, convention)
        if anchor is not None:
            return anchor
    return None


def _first_date(chunk: str, offset: int, base: date | None, convention: str | None) -> Anchor | None:
    for found in find_expressions(chunk):
        res = _resolved(found.text, base, convention)
        if res is not None and res[1] == 1:
            return Anchor(res[0], 1, found.text, offset + found.start, offset + found.end)
    return None


def _resolved(expr: str, base: date | None, convention: str | None) -> tuple[date, int] | None:
    res = resolve_expression(with_convention(expr, convention), base)
    if res is None or res.day is None or res.precision is None:
        return None
    return res.day, res.precision
