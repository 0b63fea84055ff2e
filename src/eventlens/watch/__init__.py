"""`eventlens watch`: follow RSS/Atom feeds and drop folders, coding what is new into the store.

    feeds.py     the feed list (plain or OPML) and the items of a feed (feedparser)
    http.py      polite HTTP: robots.txt, a delay per host, timeouts, redirects, a size cap
    watcher.py   one poll: feeds and folders -> new items -> pages -> the runner -> the store
    schedule.py  ``--every 15m`` and the polling loop

What is followed and each item's state live in the store (``Store.add_feed``, ``pending_items``, ...),
so a watch can be killed and started again at any moment.
"""

from __future__ import annotations

from eventlens.watch.feeds import normalise_url, read_feed_list
from eventlens.watch.http import Fetcher, FetchError
from eventlens.watch.schedule import parse_every, watch
from eventlens.watch.watcher import Watcher

__all__ = ["FetchError", "Fetcher", "Watcher", "normalise_url", "parse_every", "read_feed_list", "watch"]
