"""Stand-ins for the heavy models, for fast tests that need a pipeline but not what the models decide.

    stub_parser()        a blank English spaCy pipeline with a sentencizer: the real tokenizer rules,
                         sentences, no tagger/parser/NER (loads in milliseconds, no model package)
    StubGeocoder()       places nothing: no toponym ruler, mentions come back unchanged

Tests whose answer depends on the real parse, the classifier or the gazetteer use the ``nlp``,
``geocoder`` and ``geo_nlp`` fixtures instead, and are marked ``slow``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.model import EventMention
    from eventlens.nlp.parser import ParsedArticle


def stub_parser() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class StubGeocoder:
    """The two methods ``Pipeline`` calls on a geocoder, doing nothing."""

    def add_toponym_ruler(self, nlp: Language) -> None:
        return None

    def locate(self, parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
        return list(mentions)
