"""Stand-ins for the heavy models, for fast tests that need a pipeline but not what the models decide.

    stub_parser()        a blank English spaCy pipeline with a sentencizer: the real tokenizer rules,
                         sentences, no tagger/parser/NER (loads in milliseconds, no model package)
    StubGeocoder()       places nothing: no toponym ruler, mentions come back unchanged
    KeywordExtractor()   one mention per cue word found (killed -> Attack, clashed -> Armed clash)

Tests whose answer depends on the real parse, the classifier or the gazetteer use the ``nlp``,
``geocoder`` and ``geo_nlp`` fixtures instead, and are marked ``slow``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from eventlens.model import EventCoding, EventMention, Span

if TYPE_CHECKING:
    from spacy.language import Language

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


class KeywordExtractor:
    """One mention per cue word in each sentence, coded from a fixed table."""

    name = "test.keywords"
    CODES: ClassVar[dict[str, tuple[str, str]]] = {
        "killed": ("Violence against civilians", "Attack"),
        "clashed": ("Battles", "Armed clash"),
    }

    def extract(self, parsed: ParsedArticle) -> list[EventMention]:
        article = parsed.article
        out: list[EventMention] = []
        for sentence in parsed.sentences:
            for word, (event_type, sub) in self.CODES.items():
                at = sentence.text.find(word)
                if at < 0:
                    continue
                start = sentence.start + at
                out.append(EventMention(
                    f"{article.id}-m{len(out)}", article.doc_id, article.id, sentence.index,
                    Span(sentence.text, sentence.start, sentence.end), EventCoding(event_type, sub),
                    trigger=Span(word, start, start + len(word)),
                ))
        return out
