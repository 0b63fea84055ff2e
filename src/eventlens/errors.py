"""One exception tree for eventlens.

    EventlensError                 base: every error the library raises on purpose
    ├── InputError                 an input file/stream cannot be used (names the input and why)
    │   └── InputTooLarge          over the configured size cap
    ├── ConfigError                a setting is missing or wrong (names the setting and the fix)
    ├── ModelError                 an NLP model or model artifact cannot be loaded
    ├── GazetteerError             a gazetteer source or index is missing or malformed
    ├── StoreError                 the database cannot be opened, migrated or written
    │   ├── StoreLockedError       another run holds the database
    │   └── ReadOnlyStoreError     the database (or its folder) is read-only or the disk is full
    └── ReviewError                an analyst action (merge, split, edit) is invalid
        └── InvalidEditError       an edited value is not in the codebook or out of range (HTTP 422)

A message says what happened to which input and what the user can do about it.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EventlensError",
    "GazetteerError",
    "InputError",
    "InputTooLarge",
    "InvalidEditError",
    "ModelError",
    "ReadOnlyStoreError",
    "ReviewError",
    "StoreError",
    "StoreLockedError",
]


class EventlensError(Exception):
    """Base class of every error eventlens raises on purpose."""


class InputError(EventlensError):
    """An input cannot be used; ``source`` names it, the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InputTooLarge(InputError):
    """An input is over the configured size cap."""


class ConfigError(EventlensError):
    """A setting is missing or invalid."""


class ModelError(EventlensError):
    """An NLP pipeline or model artifact cannot be loaded."""


class GazetteerError(EventlensError):
    """A gazetteer source or built index is missing or malformed."""


class StoreError(EventlensError):
    """The database cannot be opened, migrated or written."""


class StoreLockedError(StoreError):
    """Another run is writing to this database."""


class ReadOnlyStoreError(StoreError):
    """The database is read-only or the disk is full; nothing was half-written."""


class ReviewError(EventlensError):
    """An analyst action (merge, split, edit) is invalid."""


class InvalidEditError(ReviewError):
    """An edited field's value is not in the codebook or not physically possible; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
