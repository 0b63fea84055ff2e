"""Publication dates: when an article appeared, from the most trusted evidence it carries.

Most trusted first: metadata (``Document.published``, a date the article already has, a date in
the URL path), a dateline or date stamp at the head of the body ("BAGHDAD, Aug 20 (Reuters) -",
"MOGADISHU, March 3, 2024 —", "Fri 21 Aug 2020 14.30 BST"; a yearless dateline takes its year
from the article's other full dates), a dated photo caption (not file photos), and last the latest
explicit day-month-year date in the body that is not in a future or planned context. Numeric dates
are read in the document's own order (:func:`~eventlens.dates.anchors.numeric_convention`, settled
without a publication date), so "11/02/2015: ..." is 2 November, not 11 February. Nothing
found means ``published`` stays None: a year is never invented. :mod:`eventlens.dates.mentions` re-exports
:func:`infer_published`, its public home.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from eventlens.dates.anchors import numeric_convention, with_convention
from eventlens.dates.expressions import resolve_expression
from eventlens.dates.find import FullDate, find_expressions, find_full_dates
from eventlens.model import Article, Document

__all__ = ["infer_published"]

log = logging.getLogger(__name__)

#: The head of a body up to a dateline separator: "BAGHDAD, Aug 20 (Reuters) -", "Aug. 21, 2020 |".
_DATELINE = re.compile(r"^\s*(?P<date>[^\n]{4,90}?)(?:\s-{1,2}(?:\s|$)|\s*[—–|])")
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|posted|updated|last updated|date)\s*(?:on)?\s*:?\s*(?P<date>[^\n|]{6,40})",
    re.IGNORECASE | re.MULTILINE,
)
_ISO_STAMP = re.compile(r"^((?:19|20)\d\d-[01]\d-[0-3]\d)[T ]\d\d:\d\d")
_FILE_PHOTO = re.compile(r"\b(?:file|archive)\s+(?:photo|picture|image)\b|\bfile\)", re.IGNORECASE)
_FUTURE_CONTEXT = re.compile(
    r"\b(?:by|until|till|will|would|shall|scheduled|due|expected|planned|plans?|set\s+for|next|upcoming|"
    r"ahead\s+of|deadline|starting|to\s+be)\b[^.!?]{0,30}$",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?!\d)")


def infer_published(article: Article, doc: Document) -> Article:
    """The article with ``published`` and ``published_how`` set from the best evidence found."""
    if article.published is not None:
        return article if article.published_how else replace(article, published_how="metadata")
    if doc.published is not None:
        return replace(article, published=doc.published, published_how="metadata")
    if (from_url := _from_url(article.url or doc.url)) is not None:
        return replace(article, published=from_url, published_how="metadata")
    finders: tuple[tuple[str, Callable[[], date | None]], ...] = (
        ("dateline", lambda: _from_dateline(article)),
        ("caption", lambda: _from_captions(article.captions)),
        ("latest-date", lambda: _from_body(article.text)),
    )
    for how, finder in finders:
        if (found := finder()) is not None:
            log.debug("article %s published %s (%s)", article.id, found, how)
            return replace(article, published=found, published_how=how)
    return replace(article, published_how=None)


def _from_url(url: str | None) -> date | None:
    """A date in the URL path ("/2020/08/21/", "/20200821-"), as news sites publish them."""
    if not url or (m := _URL_DATE.search(url)) is None:
        return None
    try:
        found = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return found if found <= date.today() else None


def _from_dateline(article: Article) -> date | None:
    conv = numeric_convention(article.text, None)
    head = article.text.lstrip()[:300]
    texts = [m.group("date") for m in _PUBLISHED_LINE.finditer(head[:200])]
    texts += _date_lines(head)
    if m := _DATELINE.match(head):
        texts.append(m.group("date"))
    for text in texts:
        for found in find_expressions(text):
            full = resolve_expression(with_convention(found.text, conv), None)
            if full is not None and full.day is not None and full.precision == 1:
                return full.day
            partial = _month_day(found.text)
            if partial is not None:
                return _year_from_anchors(partial, article)
    return None


def _date_lines(head: str) -> list[str]:
    """Short stamp lines at the top ("Fri 21 Aug 2020 14.30 BST", "By J. Doe | August 21, 2020")."""
    out: list[str] = []
    for line in [ln.strip() for ln in head.splitlines() if ln.strip()][:2]:
        if len(line) > 80:
            continue
        if m := _ISO_STAMP.match(line):
            out.append(m.group(1))
            continue
        for full in find_full_dates(line):
            rest = (line[:full.start] + line[full.end:]).strip(" .|,-—")
            if len(re.findall(r"[A-Za-z]{4,}", rest)) <= 4:
                out.append(line[full.start:full.end])
    return out


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a yearless dateline date such as "Aug 20" or "20 AUG"."""
    probe = resolve_expression(text, date(2000, 12, 31))  # leap year: 29 Feb resolves
    if probe is None or probe.day is None or probe.precision != 1 or re.search(r"\d{4}", text):
        return None
    if not re.search(r"[A-Za-z]{3}", text) or re.search(r"(?i)day|night|ago|today|yesterday", text):
        return None
    return probe.day.month, probe.day.day


def _year_from_anchors(month_day: tuple[int, int], article: Article) -> date | None:
    """Give a yearless dateline the year of the latest full date in captions or body (or the next)."""
    anchors = [d for d in (_from_captions(article.captions), _from_body(article.text)) if d is not None]
    if not anchors:
        return None
    latest = max(anchors)
    month, day = month_day
    for year in (latest.year, latest.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= latest:
            return candidate
    return None


def _from_captions(captions: Sequence[str]) -> date | None:
    found = [f.day for c in captions if not _FILE_PHOTO.search(c) for f in find_full_dates(c)]
    return max(found) if found else None


def _from_body(text: str) -> date | None:
    today = date.today()
    found = [
        f.day for f in _full_dates(text, numeric_convention(text, None))
        if f.day <= today and not _FUTURE_CONTEXT.search(text[max(0, f.start - 60):f.start])
    ]
    return max(found) if found else None


def _full_dates(text: str, conv: str | None) -> list[FullDate]:
    """Explicit full dates, numeric ones read in the document's order ``conv``."""
    out: list[FullDate] = []
    for full in find_full_dates(text):
        res = resolve_expression(with_convention(text[full.start:full.end], conv), None)
        if res is not None and res.day is not None and res.precision == 1:
            out.append(FullDate(res.day, full.start, full.end))
    return out
