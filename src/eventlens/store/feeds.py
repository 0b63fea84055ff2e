"""The Store's side of `eventlens watch`: the feeds and folders followed, and each item's state.

An item moves ``new`` -> ``fetched`` (its page held in ``body`` until coded) -> ``stored``, or ends
``duplicate`` (its content was stored already), ``failed`` (could not be fetched) or ``rejected``
(quarantined while coding). Every step is one transaction, so a watch killed at any moment resumes
where it stood: an item is found once (by key: its normalised URL), fetched once (the page is kept
before it is coded) and stored once (the document id is its content hash).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.store.base import StoreBase, now
from eventlens.store.schema import documents, feed_items, feeds

__all__ = ["FeedItem", "FeedStatus", "Feeds", "NewItem"]

#: item states that still need work, in the order the watch takes them
PENDING = ("fetched", "new")


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item as a feed lists it (or a dropped file: ``key`` holds its path, size and mtime)."""

    key: str
    url: str
    guid: str | None = None
    title: str | None = None
    published: datetime | None = None
    #: the publication day where the item was published (its own UTC offset), for Document.published
    published_day: date | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: int
    feed_id: int
    feed_url: str
    feed_title: str | None
    url: str
    title: str | None
    published: datetime | None
    published_day: date | None
    status: str
    attempts: int
    doc_id: str | None
    body: str | None


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """A followed feed or folder and how its polls went."""

    id: int
    url: str
    kind: str
    title: str | None
    active: bool
    added_at: datetime
    last_polled: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    items_seen: int
    stored: int
    failed: int
    pending: int
    etag: str | None = None
    last_modified: str | None = None


_COUNTS = {
    "stored": feed_items.c.status.in_(("stored", "duplicate")),
    "failed": feed_items.c.status.in_(("failed", "rejected")),
    "pending": feed_items.c.status.in_(PENDING),
}


def _status_rows(conn: Connection, where: Any) -> list[FeedStatus]:
    counts = [sa.func.count(feed_items.c.id).label("items_seen")]
    counts += [sa.func.count(feed_items.c.id).filter(cond).label(name) for name, cond in _COUNTS.items()]
    joined = feeds.outerjoin(feed_items, feed_items.c.feed_id == feeds.c.id)
    q = (sa.select(feeds, *counts).select_from(joined)
         .where(where).group_by(feeds.c.id).order_by(feeds.c.id))
    return [FeedStatus(**{k: v for k, v in r._mapping.items() if k in FeedStatus.__slots__})
            for r in conn.execute(q)]


class Feeds(StoreBase):
    # -- what is followed ----------------------------------------------------------------------
    def add_feed(self, url: str, kind: str = "feed") -> FeedStatus:
        """Follow a feed URL or a folder (absolute path); following it again re-activates it."""
        if kind not in ("feed", "folder"):
            raise ConfigError(f"unknown feed kind {kind!r}; use feed or folder")
        with self._write() as conn:
            row = conn.execute(sa.select(feeds.c.id, feeds.c.kind).where(feeds.c.url == url)).first()
            if row is None:
                conn.execute(sa.insert(feeds).values(url=url, kind=kind, active=True, added_at=now()))
            elif row.kind != kind:
                raise ConfigError(f"{url} is followed as a {row.kind}, not a {kind}")
            else:
                conn.execute(sa.update(feeds).where(feeds.c.id == row.id).values(active=True))
            return _status_rows(conn, feeds.c.url == url)[0]

    def remove_feed(self, url: str) -> bool:
        """Stop following ``url`` (its items and documents stay; False if it was not followed)."""
        with self._write() as conn:
            res = conn.execute(sa.update(feeds).where(feeds.c.url == url, feeds.c.active)
                               .values(active=False))
            return bool(res.rowcount)

    def feeds(self, *, include_removed: bool = False) -> list[FeedStatus]:
        """Followed feeds and folders with their status, in the order they were added."""
        where = sa.true() if include_removed else feeds.c.active
        return self._read(lambda c: _status_rows(c, where))

    # -- polls -----------------------------------------------------------------------------------
    def record_poll(
        self, feed_id: int, items: Sequence[NewItem], *, title: str | None = None,
        etag: str | None = None, last_modified: str | None = None, status: str = "new",
    ) -> int:
        """A successful poll: the items not known yet (by key, or by the feed's guid) are added
        with ``status``, and the feed's validators and title saved, in one transaction. Returns
        how many items were new."""
        at = now()
        with self._write() as conn:
            added = 0
            for item in _unknown(conn, feed_id, items):
                conn.execute(sa.insert(feed_items).values(
                    feed_id=feed_id, key=item.key, url=item.url, guid=item.guid, title=item.title,
                    published=item.published, published_day=item.published_day, found_at=at,
                    status=status, attempts=0))
                added += 1
            values: dict[str, Any] = {"last_polled": at, "last_success": at}
            if title:
                values["title"] = title
            if etag is not None or last_modified is not None:
                values.update(etag=etag, last_modified=last_modified)
            conn.execute(sa.update(feeds).where(feeds.c.id == feed_id).values(**values))
        return added

    def record_poll_error(self, feed_id: int, error: str) -> None:
        """A poll that failed (``error``: one line saying why)."""
        at = now()
        with self._write() as conn:
            conn.execute(sa.update(feeds).where(feeds.c.id == feed_id)
                         .values(last_polled=at, last_error=error, last_error_at=at))

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are items already (dropped files seen before)."""
        wanted = list(keys)

        def read(conn: Connection) -> set[str]:
            out: set[str] = set()
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                out.update(conn.execute(sa.select(feed_items.c.key).where(feed_items.c.key.in_(chunk))).scalars())
            return out

        return self._read(read)

    # -- items -----------------------------------------------------------------------------------
    def pending_items(self, limit: int = 100, after: int = 0) -> list[FeedItem]:
        """Items still to fetch or code, oldest first, of feeds still followed (after item ``after``)."""
        q = (sa.select(feed_items, feeds.c.url.label("feed_url"), feeds.c.title.label("feed_title"))
             .join(feeds, feeds.c.id == feed_items.c.feed_id)
             .where(feed_items.c.status.in_(PENDING), feeds.c.active, feed_items.c.id > after)
             .order_by(feed_items.c.id).limit(limit))
        return self._read(lambda c: [_item(r) for r in c.execute(q)])

    def item_fetched(self, item_id: int, doc_id: str, body: str) -> str:
        """Keep a fetched page until it is coded; "duplicate" (and nothing kept) when a document with
        the same content is stored or held already. Returns the item's new status."""
        with self._write() as conn:
            held = sa.select(feed_items.c.id).where(feed_items.c.doc_id == doc_id, feed_items.c.id != item_id,
                                                    feed_items.c.status.in_(("fetched", "stored")))
            stored = sa.select(documents.c.id).where(documents.c.id == doc_id)
            dup = conn.execute(stored).first() is not None or conn.execute(held).first() is not None
            status = "duplicate" if dup else "fetched"
            conn.execute(sa.update(feed_items).where(feed_items.c.id == item_id).values(
                status=status, doc_id=doc_id, body=None if dup else body, error=None))
            return status

    def item_failed(self, item_id: int, error: str, *, final: bool, attempts: int = 1) -> str:
        """A fetch that failed: the item is ``failed`` when ``final`` or after ``attempts`` tries, else
        stays ``new`` for the next poll; its feed's last error names it. Returns the item's status."""
        at = now()
        with self._write() as conn:
            row = conn.execute(sa.select(feed_items.c.feed_id, feed_items.c.attempts)
                               .where(feed_items.c.id == item_id)).one()
            tries = row.attempts + 1
            status = "failed" if final or tries >= attempts else "new"
            conn.execute(sa.update(feed_items).where(feed_items.c.id == item_id)
                         .values(status=status, attempts=tries, error=error))
            conn.execute(sa.update(feeds).where(feeds.c.id == row.feed_id)
                         .values(last_error=error, last_error_at=at))
            return status

    def settle_items(self, rejected: dict[str, str] | None = None) -> int:
        """Fetched items whose document is stored become ``stored`` (their page is let go); those
        whose document id is in ``rejected`` (doc id -> reason) become ``rejected``. Returns how
        many items were stored."""
        with self._write() as conn:
            is_stored = sa.exists().where(documents.c.id == feed_items.c.doc_id)
            res = conn.execute(sa.update(feed_items).where(feed_items.c.status == "fetched", is_stored)
                               .values(status="stored", body=None))
            for doc_id, reason in (rejected or {}).items():
                conn.execute(sa.update(feed_items)
                             .where(feed_items.c.status == "fetched", feed_items.c.doc_id == doc_id)
                             .values(status="rejected", body=None, error=reason))
            return int(res.rowcount)

    def feed_item_of(self, doc_id: str) -> FeedItem | None:
        """The feed item a document came from (None: it did not come from a feed)."""
        q = (sa.select(feed_items, feeds.c.url.label("feed_url"), feeds.c.title.label("feed_title"))
             .join(feeds, feeds.c.id == feed_items.c.feed_id)
             .where(feed_items.c.doc_id == doc_id, feed_items.c.status == "stored").limit(1))
        return self._read(lambda c: next((_item(r) for r in c.execute(q)), None))


def _unknown(conn: Connection, feed_id: int, items: Sequence[NewItem]) -> list[NewItem]:
    """``items`` not known by key, nor by guid in this feed (each once, in order)."""
    keys = {i.key for i in items}
    guids = {i.guid for i in items if i.guid}
    known = set(conn.execute(sa.select(feed_items.c.key).where(feed_items.c.key.in_(keys))).scalars())
    known_guids = set(conn.execute(sa.select(feed_items.c.guid).where(
        feed_items.c.feed_id == feed_id, feed_items.c.guid.in_(guids))).scalars()) if guids else set()
    out: list[NewItem] = []
    for item in items:
        if item.key in known or (item.guid and item.guid in known_guids):
            continue
        known.add(item.key)
        if item.guid:
            known_guids.add(item.guid)
        out.append(item)
    return out


def _item(r: Any) -> FeedItem:
    return FeedItem(**{k: v for k, v in r._mapping.items() if k in FeedItem.__slots__})
