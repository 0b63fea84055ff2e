"""Evidence a user can find (issue 22 item 4): every evidence span given out points into the text
the user supplied, and the string there is exactly the evidence given (curly quotes, line breaks
and mojibake as they were), for the stories of ../shared/real-news/voa_stories.jsonl and examples/."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.clean.align import InputText
from eventlens.config import Settings
from eventlens.export.evidence import EvidenceLocator, evidence_dict
from eventlens.model import Span
from tests.shared_data import shared_path
from tests.store_testkit import make_coding, make_doc, make_event

REPO = Path(__file__).resolve().parents[1]


def test_curly_quotes_and_wrapped_lines_are_found_as_written() -> None:
    text = ("KABUL —\u00a0Officials said\n  the \u201cattack\u201d on the\r\nmarket killed 4 people."
            "\n\nMore later.")
    found = InputText(text).locate('Officials said the "attack" on the market killed 4 people.')
    assert found is not None
    start, end = found
    assert text[start:end] == "Officials said\n  the \u201cattack\u201d on the\r\nmarket killed 4 people."


def test_mojibake_repaired_inside_a_span_is_found_by_its_ends() -> None:
    as_sent = "The governor said the militants didnâ€™t spare anyone in the village of Kuma on Monday."
    text = f"Intro. {as_sent} End."
    clean = "The governor said the militants didn't spare anyone in the village of Kuma on Monday."
    start, end = InputText(text).locate(clean) or (0, 0)
    assert text[start:end] == as_sent


def test_a_repeated_sentence_is_found_in_its_own_article() -> None:
    para = "Police fired tear gas at protesters in the square."
    text = f"First story.\n{para}\n\nSecond story.\n{para}\n"
    second = text.rindex(para)
    assert InputText(text).locate(para, near=second) == (second, second + len(para))
    assert InputText(text).locate(para, near=0) == (text.index(para), text.index(para) + len(para))
    assert InputText(text).locate("Nothing like this is there at all.") is None


def test_outputs_say_where_their_offsets_point() -> None:
    doc, art = make_doc("Gunmen killed \u201ctwo\u201d guards in Gao on Monday.")
    clean = doc.text.replace("\u201c", '"').replace("\u201d", '"')
    art = type(art)(art.id, art.doc_id, 0, None, clean)
    ev = make_event(art, ['Gunmen killed "two" guards in Gao on Monday.'], make_coding("Armed clash"))
    m = ev.mentions[0]
    in_doc = evidence_dict(m, EvidenceLocator.of_articles(doc.text, [art]))
    assert in_doc == {"text": doc.text, "start": 0, "end": len(doc.text), "in": "document"}
    missing = evidence_dict(m, lambda _m: None)
    assert missing["in"] == "article" and missing["text"] == m.evidence.text


def _code(paths: list[str]) -> list[tuple[str, str, list[Span | None], int]]:
    """(source, format, each mention's evidence found in the input, mentions) per coded document."""
    from eventlens.engines import get_engine
    from eventlens.ingest import read_inputs
    from eventlens.model import Document, Rejection

    settings = Settings(workers=0)
    docs = [d for d in read_inputs(paths, settings) if isinstance(d, Document)]
    out = []
    for result in get_engine("local", settings).code(docs):
        assert not isinstance(result, Rejection), result
        locate = EvidenceLocator.of_articles(result.document.text, result.articles)
        mentions = [m for e in result.events for m in e.mentions]
        found = [locate(m) for m in mentions]
        for span in found:
            if span is not None:
                assert result.document.text[span.start:span.end] == span.text
        out.append((result.document.source, result.document.format, found, len(mentions)))
    return out


@pytest.mark.slow
def test_every_evidence_span_of_the_voa_stories_is_in_the_input() -> None:
    voa = shared_path("real-news", "voa_stories.jsonl")
    coded = _code([str(voa)])
    spans = [s for _, _, found, _ in coded for s in found]
    assert len(spans) > 50  # the stories do hold events
    missing = [(src, i) for src, _, found, _ in coded for i, s in enumerate(found) if s is None]
    assert missing == [], f"{len(missing)} of {len(spans)} evidence spans not found in the input"


@pytest.mark.slow
def test_every_evidence_span_of_the_examples_is_in_the_input() -> None:
    coded = _code([str(REPO / "examples")])
    assert sum(n for *_, n in coded) > 10
    for source, fmt, found, _ in coded:
        if fmt != "html":  # plain text and JSONL: every span, exactly
            assert None not in found, source
    html = [s for _, fmt, found, _ in coded if fmt == "html" for s in found]
    assert html and sum(s is not None for s in html) >= len(html) // 2  # markup may cut a sentence
