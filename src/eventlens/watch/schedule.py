"""How often to poll (``--every 15m``) and the loop that polls until stopped."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from eventlens.errors import ConfigError, ReadOnlyStoreError, StoreError
from eventlens.watch.watcher import Watcher

__all__ = ["parse_every", "watch"]

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_every(text: str) -> float:
    """Seconds in a duration such as ``15m``, ``1h30m``, ``90s``, ``2d`` or ``45`` (seconds)."""
    raw = text.strip().lower()
    try:
        seconds = float(raw)
    except ValueError:
        parts = _PART.findall(raw)
        if not parts or "".join(n + u for n, u in parts) != raw:
            raise ConfigError(f"{text!r} is not a duration; write e.g. 15m, 1h30m, 90s or 2d") from None
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"{text!r}: the time between polls must be more than 0")
    return seconds


def watch(watcher: Watcher, every: float, *, once: bool = False, emit: Callable[[str], None] = log.warning,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll now and then every ``every`` seconds (``once``: a single poll), emitting each status line.

    A poll that finds the store busy (another run writing) or unreachable says so in one line and
    the next poll tries again; a read-only store or a full disk stops the watch.
    """
    while True:
        started = time.monotonic()
        try:
            lines = watcher.poll()
        except ReadOnlyStoreError:
            raise
        except StoreError as exc:
            lines = [f"store: {exc}; the next poll tries again"]
        for line in lines:
            emit(line)
        if once:
            return
        sleep(max(0.0, every - (time.monotonic() - started)))
