"""A document's CPU cap in the worker engine is proportionate to the text it codes, at most doc_timeout."""

from __future__ import annotations

from eventlens.config import Settings
from eventlens.engines.process import time_cap
from eventlens.ingest import document_from_text
from eventlens.model import Document


def _doc(chars: int) -> Document:
    return document_from_text("word " * (chars // 5), source="x.txt", fmt="txt")


def test_an_ordinary_article_gets_the_floor_and_a_huge_one_a_cap_far_under_doc_timeout() -> None:
    settings = Settings(doc_timeout=120.0)
    assert 10.0 <= time_cap(_doc(4_000), settings) < 11.0
    assert 15.0 <= time_cap(_doc(200_000), settings) <= 30.0
    # what is coded is cut to max_article_chars, and so is the cap
    assert time_cap(_doc(2_500_000), settings) == time_cap(_doc(200_000), settings)


def test_the_cap_never_passes_doc_timeout() -> None:
    huge = Settings(max_article_chars=50_000_000)
    assert time_cap(_doc(10_000_000), huge) == huge.doc_timeout
    assert time_cap(_doc(10_000_000), Settings(doc_timeout=4.0)) == 4.0
