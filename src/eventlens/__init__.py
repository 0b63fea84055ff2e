"""eventlens: raw news text in, coded, geolocated, source-linked political events out."""

from eventlens.config import Settings
from eventlens.errors import EventlensError
from eventlens.model import (
    Actor,
    Article,
    Document,
    Event,
    EventCoding,
    EventMention,
    Modality,
    Place,
    Rejection,
    Sentence,
    Span,
)

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Document",
    "Event",
    "EventCoding",
    "EventMention",
    "EventlensError",
    "Modality",
    "Place",
    "Rejection",
    "Sentence",
    "Settings",
    "Span",
    "__version__",
]
