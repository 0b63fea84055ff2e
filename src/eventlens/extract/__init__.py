"""Event extraction: a registry of extractors, each turning a parsed article into mentions.

Built-ins register through the same path as outside plugins; names carry a version.
"""

from eventlens.extract.registry import Extractor, available, get_extractor, register

__all__ = ["Extractor", "available", "get_extractor", "register"]
