"""Feeds: the list a user gives (plain URLs or OPML), and the items of an RSS/Atom document.

The feed itself is parsed by feedparser (never by hand); OPML, plain XML, by defusedxml (no entity
expansion, no external entities). An item is known by its normalised URL: scheme and host in
lower case, default port, fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``) left out.
"""

from __future__ import annotations

import calendar
import io
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from eventlens.errors import ConfigError
from eventlens.store import NewItem

__all__ = ["MalformedFeed", "ParsedFeed", "is_web_url", "normalise_url", "parse_feed", "read_feed_list"]

log = logging.getLogger(__name__)

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_web_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def normalise_url(url: str) -> str:
    """The key an item is known by (see the module docstring)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


# -- the user's list ---------------------------------------------------------------------------------

def read_feed_list(path: Path) -> list[str]:
    """Feed URLs in ``path``: OPML (``<outline xmlUrl=...>`` at any depth) or one URL per line
    (blank lines and ``#`` comments skipped). ConfigError naming the file and line when unusable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the feed list ({exc})") from exc
    if text.lstrip().startswith("<"):
        return _opml_urls(path, text)
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not is_web_url(url):
            raise ConfigError(f"{path}:{n}: {url!r} is not an http(s) feed URL")
        urls.append(url)
    return list(dict.fromkeys(urls))


def _opml_urls(path: Path, text: str) -> list[str]:
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ConfigError(f"{path}: not a usable OPML file ({exc})") from exc
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline") if o.get("xmlUrl")]
    bad = [u for u in urls if not is_web_url(u)]
    if bad:
        raise ConfigError(f"{path}: {bad[0]!r} is not an http(s) feed URL")
    if not urls:
        raise ConfigError(f"{path}: no <outline xmlUrl=...> feeds in this OPML file")
    return list(dict.fromkeys(urls))


# -- one feed document -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    #: the items with a web link, oldest first
    items: list[NewItem]
    #: entries left out (no http(s) link)
    skipped: int = 0


class MalformedFeed(ValueError):
    """The document is not a usable RSS or Atom feed (the message says why)."""


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """The items of an RSS/Atom document fetched from ``url`` (MalformedFeed when unusable)."""
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries: list[Any] = list(parsed.get("entries") or [])
    items = [i for i in map(_item, reversed(entries)) if i is not None]  # feeds list the newest first
    if not entries and not parsed.get("version"):
        raise MalformedFeed("not an RSS or Atom feed" + (f" ({_one_line(parsed.get('bozo_exception'))})"
                                                        if parsed.get("bozo") else ""))
    if not items and parsed.get("bozo"):
        raise MalformedFeed(f"malformed feed ({_one_line(parsed.get('bozo_exception'))})")
    if parsed.get("bozo"):
        log.info("%s: feed has errors (%s); using its %d items", url, parsed.get("bozo_exception"),
                 len(items))
    items.sort(key=lambda i: (i.published is None, i.published or datetime.min.replace(tzinfo=UTC)))
    title = (parsed.get("feed") or {}).get("title")
    name = " ".join(str(title).split()) or None if title else None
    return ParsedFeed(name, items, len(entries) - len(items))


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or "unreadable"


def _item(entry: Any) -> NewItem | None:
    link = str(entry.get("link") or "").strip()
    if not is_web_url(link):
        return None
    guid = str(entry.get("id") or "").strip() or None
    title = " ".join(str(entry.get("title") or "").split()) or None
    published, day = _published(entry)
    return NewItem(key=normalise_url(link), url=link, guid=guid, title=title, published=published,
                   published_day=day)


def _published(entry: Any) -> tuple[datetime | None, date | None]:
    """The item's time (UTC) and its day where it was published (its own UTC offset)."""
    for name in ("published", "updated", "created"):
        parsed = entry.get(f"{name}_parsed")
        if not parsed:
            continue
        at = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        local = _local_day(str(entry.get(name) or ""))
        near = local is not None and abs((local - at.date()).days) <= 1
        return at, local if near else at.date()
    return None, None


def _local_day(raw: str) -> date | None:
    """The calendar day a date string names in its own time zone (RFC 822 or ISO 8601)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        return None
