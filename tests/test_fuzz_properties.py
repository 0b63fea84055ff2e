"""Property tests over everything that reads untrusted input: arbitrary text, bytes and JSON
give Documents, Rejections, Articles or typed errors (EventlensError) — never another
exception — and every offset points at its own text.

The coverage-guided counterpart is benchmarks/fuzz.py (atheris, `make fuzz`).
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eventlens import clean, dates
from eventlens.config import Settings
from eventlens.errors import EventlensError, InputError
from eventlens.evaluation.sentences import read_examples
from eventlens.ingest import document_from_text, documents_from_jsonl, read_inputs
from eventlens.model import Article, Document, Rejection
from eventlens.nlp.parser import parse
from eventlens.nlp.prefilter import masked_text, rough_sentences

if TYPE_CHECKING:
    from spacy.language import Language

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL_CAPS = Settings(max_article_chars=2_000, max_input_bytes=50_000)

# Text that looks like news sometimes: words, sentence ends, blank lines, markup, odd characters.
PIECES = st.sampled_from([
    "Police", "arrested", "five", "men", "in", "Kirkuk", ".", ". ", "! ", "? ", "\n", "\n\n", "\r\n",
    "\r", " ", "\t", "<p>", "</p>", "<div>", "<html>", "<title>", "</title>", "<script>", "&amp;",
    "\u00a0", "\ufeff", "\u2028", "\x00", "\x0c", "“", "”", "é", "ZAGREB, May 3 -", "BREAKING",
    "Advertisement", "Photo: AFP", "killed", "protest", "\"", "'", "{", "}",
])
NEWSY = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSY)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUES, "text": st.one_of(ANY_TEXT, JSON_VALUES), "title": JSON_VALUES,
        "url": JSON_VALUES, "published": st.one_of(st.dates().map(str), st.text(max_size=25), JSON_VALUES),
    },
)


@pytest.fixture(scope="module")
def sentencizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def check_items(items: list[Document | Rejection]) -> None:
    for item in items:
        assert isinstance(item, Document | Rejection)
        if isinstance(item, Rejection):
            assert item.reason.strip() and "\n" not in item.reason
        else:
            assert "\r" not in item.text and item.text.replace("\ufeff", "").strip(), "a blank document"


def check_articles(doc: Document, arts: tuple[Article, ...]) -> None:
    for i, art in enumerate(arts):
        assert art.id == f"{doc.id}-a{i}" and art.index == i and art.doc_id == doc.id
        assert len(art.text) <= SMALL_CAPS.max_article_chars


@FAST
@given(text=ANY_TEXT, fmt=st.sampled_from(["txt", "html", "jsonl"]))
def test_document_from_text_is_total_and_content_addressed(text: str, fmt: Any) -> None:
    doc = document_from_text(text, source="s", fmt=fmt)
    assert "\r" not in doc.text
    assert doc.id == document_from_text(text.replace("\r\n", "\n"), source="other", fmt="txt").id


@FAST
@given(text=ANY_TEXT)
def test_jsonl_reader_on_arbitrary_text_yields_documents_or_rejections(text: str) -> None:
    check_items(list(documents_from_jsonl(io.StringIO(text), "f.jsonl")))


@FAST
@given(records=st.lists(RECORDS, max_size=5))
def test_jsonl_records_of_any_shape(records: list[dict[str, Any]]) -> None:
    lines = "\n".join(json.dumps(r) for r in records)
    items = list(documents_from_jsonl(io.StringIO(lines), "f.jsonl"))
    check_items(items)
    assert len(items) == len(records)
    for rec, item in zip(records, items, strict=True):
        good = isinstance(rec.get("text"), str) and rec["text"].replace("\ufeff", "").strip()
        assert isinstance(item, Document) == bool(good)


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".txt", ".html", ".md5"]))
@example(data=b"\xef\xbb\xbf\xef\xbb\xbf", suffix=".txt")  # only byte-order marks: was an empty Document
@example(data=b'{"text": "\\ufeff"}', suffix=".jsonl")
def test_read_inputs_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_inputs([str(path)], SMALL_CAPS))
    check_items(items)
    assert items, "every input yields at least a Rejection"


@FAST
@given(data=st.one_of(st.binary(max_size=400), ANY_TEXT.map(lambda t: t.encode("utf-8"))))
@example(data=b"\xef\xbb\xbf\xef\xbb\xbf")
def test_stdin_reader_on_arbitrary_bytes(data: bytes) -> None:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    check_items(list(read_inputs(["-"], SMALL_CAPS, stdin=stream)))


@FAST
@given(text=ANY_TEXT, fmt=st.sampled_from(["txt", "html"]))
def test_segment_gives_capped_articles_with_stable_ids(text: str, fmt: Any) -> None:
    doc = document_from_text(text, source="s", fmt=fmt)
    try:
        arts = clean.segment(doc, SMALL_CAPS)
    except EventlensError:
        return
    check_articles(doc, arts)
    assert clean.segment(doc, SMALL_CAPS) == arts
    for art in arts:  # the next stage of the pipeline reads the same raw text
        dated = dates.infer_published(art, doc)
        assert dated.text == art.text and (dated.published is None) == (dated.published_how is None)


@FAST
@given(text=st.one_of(ANY_TEXT, st.text(alphabet=".!? \n\"'”)x", max_size=200)))
def test_rough_sentences_and_masking_keep_offsets(text: str) -> None:
    for span in rough_sentences(text):
        assert text[span.start : span.end] == span.text and span.start < span.end
    masked = masked_text(text)
    assert len(masked) == len(text)
    assert all(m == c or (m == " " and c != "\n") for m, c in zip(masked, text, strict=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NEWSY, prefilter=st.booleans())
def test_parsed_sentences_point_into_the_article(sentencizer: Language, text: str, prefilter: bool) -> None:
    doc = document_from_text(text, source="s", fmt="txt")
    arts = clean.segment(doc, SMALL_CAPS)
    for parsed in parse(sentencizer, arts, prefilter=prefilter):
        assert len(parsed.doc.text) == len(parsed.article.text)
        for s in parsed.sentences:
            assert parsed.article.text[s.start : s.end] == s.text and s.text.strip() == s.text


@FAST
@given(lines=st.lists(st.one_of(ANY_TEXT.map(lambda t: t.replace("\n", " ")), RECORDS.map(json.dumps)),
                      max_size=5))
def test_labelled_jsonl_reader_gives_examples_or_an_input_error(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labels.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            examples = read_examples(path)
        except InputError as exc:
            assert "\n" not in str(exc)
            return
    assert examples
