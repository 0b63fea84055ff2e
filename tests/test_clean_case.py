"""Upper-case copy is decided once, in cleaning, and read by later stages."""

from __future__ import annotations

import spacy

from eventlens.clean import segment
from eventlens.clean.case import UPPER_CASE_KEY, upper_case
from eventlens.geo.toponyms import shouting
from eventlens.ingest import document_from_text

_WIRE = "SAN SALVADOR, 12 JAN 90 -- SEVEN FIGHTERS WERE KILLED IN A CLASH WITH ARMY TROOPS NEAR USULUTAN."
_NEWS = "Seven fighters were killed in a clash with army troops near Usulutan on Friday, officials said."


def test_upper_case_copy_is_told_from_ordinary_text() -> None:
    assert upper_case(_WIRE)
    assert not upper_case(_NEWS)
    assert not upper_case("NATO AND UN")  # too few words to tell


def test_segment_sets_the_flag_once_per_article() -> None:
    [wire] = segment(document_from_text(_WIRE, source="wire.txt", fmt="txt"))
    [news] = segment(document_from_text(_NEWS, source="news.txt", fmt="txt"))
    assert wire.upper_case is True and news.upper_case is False


def test_stages_read_the_flag_parsing_leaves_on_the_doc() -> None:
    nlp = spacy.blank("en")
    doc = nlp(_NEWS)
    assert not shouting(doc)  # a Doc made elsewhere: decided from its text, the same way
    doc.user_data[UPPER_CASE_KEY] = True  # what parse() leaves for an upper-case article
    assert shouting(doc)


def test_parse_hands_the_article_flag_to_the_doc() -> None:
    from eventlens.nlp import parse

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    articles = [*segment(document_from_text(_WIRE, source="w.txt", fmt="txt")),
                *segment(document_from_text(_NEWS, source="n.txt", fmt="txt"))]
    parsed = list(parse(nlp, articles))
    assert [p.doc.user_data[UPPER_CASE_KEY] for p in parsed] == [True, False]
    assert [shouting(p.doc) for p in parsed] == [True, False]
