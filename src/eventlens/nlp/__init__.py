"""Parsing: the spaCy pipeline, the sentence pre-filter that decides what is parsed, and the fast ruler.

* :mod:`eventlens.nlp.parser`: ``load_pipeline`` and ``parse`` (Articles -> ParsedArticles);
* :mod:`eventlens.nlp.prefilter`: which sentences can hold an event (the rest are blanked, not parsed);
* :mod:`eventlens.nlp.fast_ruler`: a faster drop-in for spaCy's attribute ruler.
"""

from eventlens.nlp.parser import ParsedArticle, load_pipeline, parse, sentences_of

__all__ = ["ParsedArticle", "load_pipeline", "parse", "sentences_of"]
