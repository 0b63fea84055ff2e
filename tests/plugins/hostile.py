"""A test-only extractor plugin that misbehaves on marked documents (loaded as
``tests.plugins.hostile:test.hostile``) so the supervisor's caps can be exercised for real."""

from __future__ import annotations

import os
import time

from eventlens.config import Settings
from eventlens.extract.registry import register
from eventlens.model import EventMention
from eventlens.nlp.parser import ParsedArticle


class HostileExtractor:
    name = "test.hostile"

    def extract(self, parsed: ParsedArticle) -> list[EventMention]:
        text = parsed.article.text
        if "SLEEP-FOREVER" in text:
            time.sleep(3600)
        if "SLOW-3S" in text:
            time.sleep(3)
        if "EAT-MEMORY" in text:
            hog = [bytearray(50_000_000) for _ in range(200)]  # ~10 GB: trips the RSS cap first
            del hog
        if "CRASH-HARD" in text:
            os._exit(13)
        if "RAISE-BUG" in text:
            raise ValueError("simulated coder bug")
        return []


@register("test.hostile")
def make(settings: Settings) -> HostileExtractor:
    return HostileExtractor()
