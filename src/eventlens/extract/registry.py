"""The extractor interface and its registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from eventlens.config import Settings
from eventlens.errors import ConfigError
from eventlens.model import EventMention
from eventlens.nlp.parser import ParsedArticle

__all__ = ["Extractor", "Prediction", "SentenceClassifier", "available", "get_extractor", "register"]


class Extractor(Protocol):
    """Turns one parsed article into event mentions (offsets into ``article.text``).

    Mentions carry ``location_text``/``date_text`` and their spans; resolving them to a
    Place and a date is the geo and dates stages' job.
    """

    name: str

    def extract(self, parsed: ParsedArticle) -> list[EventMention]: ...


@dataclass(frozen=True, slots=True)
class Prediction:
    """A sentence classifier's answer: an ACLED sub_event_type, or "none" for no event."""

    label: str
    probability: float


class SentenceClassifier(Protocol):
    """Scores sentences (or evidence windows) against the 25 sub-event types plus "none"."""

    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


Factory = Callable[[Settings], Extractor]
_REGISTRY: dict[str, Factory] = {}
#: built-in extractors: name -> module that registers it on import
_BUILTINS = {
    "rules.v1": "eventlens.extract.rules.coder",
    "hybrid.v1": "eventlens.extract.classify.hybrid",
    "hybrid.v2": "eventlens.extract.classify.hybrid",
}


def register(name: str) -> Callable[[Factory], Factory]:
    """Decorator: make a factory available under ``name`` (e.g. ``rules.v1``)."""

    def deco(factory: Factory) -> Factory:
        _REGISTRY[name] = factory
        return factory

    return deco


def available() -> list[str]:
    return sorted(set(_REGISTRY) | set(_BUILTINS))


def get_extractor(name: str, settings: Settings) -> Extractor:
    """The extractor registered as ``name``; ``"some.module:name"`` imports a plugin module first."""
    if ":" in name:
        module, name = name.split(":", 1)
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(f"cannot import extractor plugin module {module!r}: {exc}") from exc
    if name not in _REGISTRY and name in _BUILTINS:
        importlib.import_module(_BUILTINS[name])
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown extractor {name!r}; available: {', '.join(available())}") from None
    return factory(settings)
