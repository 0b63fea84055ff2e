"""clean.segment: pasted articles split, page furniture out, captions kept, HTML main text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.clean.articles import segment
from eventlens.config import Settings
from eventlens.ingest import document_from_text, read_inputs
from eventlens.model import Article, Document
from tests.quality_floors import load_gate

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
GOLDEN = REPO / "tests" / "golden" / "seed_articles.json"
UPDATE = os.environ.get("EVENTLENS_UPDATE_GOLDEN") == "1"

_SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\')]))\s+(?=["\'(]?[A-Z])')


def txt(text: str, **kw: object) -> Document:
    return document_from_text(text, source="test.txt", fmt="txt", **kw)  # type: ignore[arg-type]


def html(text: str, **kw: object) -> Document:
    return document_from_text(text, source="test.html", fmt="html", **kw)  # type: ignore[arg-type]


def sentences(text: str) -> list[str]:
    return [s for p in text.split("\n\n") for s in _SENTENCE_END.split(p)]


def assert_clean(article: Article) -> None:
    assert article.text and article.text == article.text.strip()
    for para in article.text.split("\n\n"):
        assert para and para == " ".join(para.split()), repr(para)


# -- the seed file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles(seed_file: Path) -> tuple[Article, ...]:
    [doc] = list(read_inputs([str(seed_file)], Settings()))
    assert isinstance(doc, Document)
    return segment(doc)


@pytest.fixture(scope="module")
def seed_expected(shared_dir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((shared_dir / "examples" / "seed-expected.json").read_text("utf-8"))
    return data


def test_seed_has_two_articles_with_the_expected_titles_and_openings(
    seed_articles: tuple[Article, ...], seed_expected: dict[str, list[dict[str, str]]]
) -> None:
    expected = seed_expected["articles"]
    assert [a.title for a in seed_articles] == [e["title"] for e in expected]
    for article, exp in zip(seed_articles, expected, strict=True):
        assert article.text.startswith(exp["first_body_sentence_starts"])


def test_seed_bodies_hold_no_furniture(seed_articles: tuple[Article, ...]) -> None:
    for i, article in enumerate(seed_articles):
        assert article.id == f"{article.doc_id}-a{i}" and article.index == i
        assert_clean(article)
        paragraphs = article.text.split("\n\n")
        assert "TT" not in paragraphs
        assert "REUTERS/" not in article.text and "(AFP file photo)" not in article.text
        assert article.title and article.title not in article.text
        for caption in article.captions:
            assert caption not in article.text
        assert "Not a withdrawal" not in paragraphs and "Sudani win" not in paragraphs
        assert "\u2019" not in article.text and "\u201c" not in article.text  # straight quotes


def test_seed_captions_are_kept_once_with_their_dates(seed_articles: tuple[Article, ...]) -> None:
    first, second = seed_articles
    assert len(first.captions) == 1 and "August 21, 2020" in first.captions[0]
    assert first.captions[0].endswith("REUTERS/Essam Al-Sudani")
    assert second.captions == (
        "Iraqi Prime Minister Mohammed Shia al-Sudani and US President Joe Biden meet in Washington. "
        "(AFP file photo)",
    )
    assert first.published is None and first.published_how is None  # dates.py infers it later


def test_subheadings_do_not_split_an_article(seed_articles: tuple[Article, ...]) -> None:
    second = seed_articles[1]
    assert "In a briefing with reporters on Friday" in second.text
    assert "Sudani aide Hussein Allawi told Asharq Al-Awsat" in second.text
    assert second.text.rstrip().endswith('Palestine, Lebanon, Yemen and Syria."')


def test_seed_golden(seed_articles: tuple[Article, ...]) -> None:
    got = [
        {
            "title": a.title,
            "first_sentence": sentences(a.text)[0],
            "last_sentence": sentences(a.text)[-1],
            "paragraphs": len(a.text.split("\n\n")),
            "captions": list(a.captions),
        }
        for a in seed_articles
    ]
    if UPDATE:  # EVENTLENS_UPDATE_GOLDEN=1 rewrites the file; review the diff
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text("utf-8"))


# -- plain text ---------------------------------------------------------------------------


def test_single_plain_article_passes_through_with_its_headline() -> None:
    text = "Troops Retake Town in Central Mali\n\nSoldiers retook the town on Monday.\n\nNo resistance.\n"
    [article] = segment(txt(text))
    assert article.title == "Troops Retake Town in Central Mali"
    assert article.text == "Soldiers retook the town on Monday.\n\nNo resistance."


def test_first_line_without_a_blank_after_it_is_not_a_title() -> None:
    [article] = segment(txt("Troops retook the town\non Monday, officials said.\n"))
    assert article.title is None and article.text == "Troops retook the town on Monday, officials said."


def test_a_sentence_first_line_is_not_a_title() -> None:
    [article] = segment(txt("Troops retook the town on Monday.\n\nOfficials confirmed it.\n"))
    assert article.title is None and article.text.startswith("Troops retook")


def test_inner_whitespace_is_collapsed_and_mojibake_fixed() -> None:
    [article] = segment(
        txt("  The  army\u2019s   statement,\t\tsaid   Washington\u00e2\u20ac\u2122s envoy.  \n")
    )
    assert article.text == "The army's statement, said Washington's envoy."


def test_upper_case_wire_copy_keeps_every_word() -> None:
    text = (EXAMPLES / "yemen_taiz_wire.txt").read_text("utf-8")
    [article] = segment(txt(text))
    assert article.title is None
    assert article.text.split() == text.split()
    assert len(article.text.split("\n\n")) == 4
    assert "\n" not in article.text.replace("\n\n", "")


def test_muc4_wire_articles_stay_whole() -> None:
    gate = load_gate("muc4_segmentation")
    docs = json.loads(gate.path("../shared/dev-data/muc4/dev.json").read_text("utf-8"))  # skips when absent
    kept = 0
    for key, record in docs.items():
        articles = segment(txt(record["doc"]))
        assert len(articles) == 1, key
        kept += " ".join(a.text for a in articles).split() == record["doc"].split()
    gate.assert_meets({"articles_kept_whole": kept / len(docs)})


def test_duplicated_paragraph_and_page_chrome_are_dropped() -> None:
    para = (
        "Police said the attackers fled towards the border after the raid on the market, leaving nine dead."
    )
    text = f"{para}\n\nAdvertisement\n\nThe governor visited the wounded.\n\n{para}\n\n* * *\n\n12\n"
    [article] = segment(txt(text))
    assert article.text == f"{para}\n\nThe governor visited the wounded."


def test_long_gap_before_a_headline_starts_a_new_article() -> None:
    articles = segment(txt((EXAMPLES / "non_events_2024-06.txt").read_text("utf-8")))
    assert [a.title for a in articles] == [
        "Central Bank Holds Rates as Inflation Eases in Nigeria",
        "Late Attack Sinks Holders as Bamako Side Reaches Cup Final",
    ]


def test_uniform_double_gaps_do_not_split() -> None:
    text = "Short Heading Number One\n\n\nFirst paragraph.\n\n\nAnother Heading Line Here\n\n\nSecond one.\n"
    assert len(segment(txt(text))) == 1


def test_credit_lines_go_to_captions_anywhere() -> None:
    text = (
        "Protesters gather in Khartoum. AP Photo/Staff\n\nThousands marched on Sunday.\n\n"
        "Getty Images\n\nPolice fired tear gas.\n"
    )
    [article] = segment(txt(text))
    assert article.captions == ("Protesters gather in Khartoum. AP Photo/Staff", "Getty Images")
    assert article.text == "Thousands marched on Sunday.\n\nPolice fired tear gas."


def test_a_ten_megabyte_single_line_is_one_article_cut_at_a_sentence() -> None:
    line = "Gunmen killed five people in the town on Monday, police said. " * 170_000
    [article] = segment(txt(line))
    limit = Settings().max_article_chars
    assert limit - 70 <= len(article.text) <= limit and article.text.endswith("police said.")
    [whole] = segment(txt(line), Settings(max_article_chars=20_000_000))
    assert len(whole.text) == len(line.strip())


def test_long_article_is_cut_at_a_paragraph_boundary() -> None:
    text = "\n\n".join(f"Paragraph {i} says the army shelled the town." for i in range(100))
    [article] = segment(txt(text), Settings(max_article_chars=1000))
    assert len(article.text) <= 1000 and article.text.endswith("shelled the town.")
    assert article.text.split("\n\n")[-1].startswith("Paragraph")


def test_jsonl_title_and_metadata_date_come_from_the_record() -> None:
    doc = document_from_text(
        "Police fire tear gas in Bogota\n\nRiot police fired tear gas on Thursday.",
        source="w.jsonl:1",
        fmt="jsonl",
        title="Police fire tear gas in Bogota",
        url="https://example.org/a",
        published=__import__("datetime").date(2024, 4, 11),
    )
    [article] = segment(doc)
    assert article.title == "Police fire tear gas in Bogota"
    assert article.text == "Riot police fired tear gas on Thursday."
    assert (article.url, str(article.published), article.published_how) == (
        "https://example.org/a",
        "2024-04-11",
        "metadata",
    )


def test_nothing_but_furniture_gives_no_article() -> None:
    assert segment(txt("TT\n\nGetty Images\n\n---\n")) == ()


# -- HTML ---------------------------------------------------------------------------------


def test_html_page_main_text_without_scripts_or_navigation() -> None:
    doc = next(iter(read_inputs([str(EXAMPLES / "web" / "mali_convoy_ambush.html")], Settings())))
    assert isinstance(doc, Document)
    [article] = segment(doc)
    assert article.title == "Soldiers killed in ambush on army convoy in central Mali"
    assert article.text.startswith("BAMAKO, Mali — Militants ambushed a Malian army supply convoy near")
    for junk in (
        "dataLayer",
        "gtag",
        "renderInlineAd",
        "Related stories",
        "All rights reserved",
        "Home",
        "{",
    ):
        assert junk not in article.text
    assert '"repelled a terrorist attack"' in article.text
    assert "Army statement" not in article.text.split("\n\n")
    assert article.captions and "February 19, 2024" in article.captions[0]
    assert (str(article.published), article.published_how) == ("2024-02-21", "metadata")
    assert_clean(article)


def test_html_fallback_drops_script_and_style_when_trafilatura_finds_nothing() -> None:
    page = (
        "<html><head><style>p{color:red}</style><title>Short page</title></head><body>"
        "<script>var secret = 1;</script><div>Five people were arrested in Gao.</div></body></html>"
    )
    [article] = segment(html(page))
    assert article.text == "Five people were arrested in Gao."
    assert article.title == "Short page"


# -- examples and properties --------------------------------------------------------------


def test_every_example_segments_into_the_expected_articles() -> None:
    counts: dict[str, int] = {}
    for item in read_inputs([str(EXAMPLES)], Settings()):
        assert isinstance(item, Document)
        articles = segment(item)
        name = Path(item.source.split(":")[0]).name
        counts[name] = counts.get(name, 0) + len(articles)
        for article in articles:
            assert_clean(article)
            assert "TT" not in article.text.split("\n\n") and "Advertisement" not in article.text
    assert counts["news_dump_2024-03.txt"] == 3
    assert counts["wire_2024-04.jsonl"] == 3
    assert counts["non_events_2024-06.txt"] == 2
    assert sum(counts.values()) == 12


_FURNITURE = st.sampled_from(
    ["", "", "TT", "REUTERS/Someone", "(AFP file photo)", "Advertisement", "A Repeated Headline Here", "x"]
)
_LINE = st.one_of(
    _FURNITURE, st.text(max_size=80), st.text(alphabet="ab .\n\r\u00e2\u20ac\u2122", max_size=60)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=40), st.sampled_from(["txt", "jsonl", "html"]))
def test_segment_never_raises_and_articles_are_never_empty(lines: list[str], fmt: str) -> None:
    doc = document_from_text("\n".join(lines), source="h", fmt=fmt)  # type: ignore[arg-type]
    articles = segment(doc)
    for i, article in enumerate(articles):
        assert article.index == i and article.id == f"{doc.id}-a{i}" and article.doc_id == doc.id
        assert article.text.strip() and article.text == article.text.strip()
        assert "\n\n\n" not in article.text


def test_long_runs_of_blank_lines_and_furniture_are_handled() -> None:
    text = "TT\n" * 300_000 + "\n" * 300_000 + "Five men were arrested in Gao.\n" + "Getty Images\n" * 1000
    [article] = segment(txt(text))
    assert article.text == "Five men were arrested in Gao." and article.captions == ("Getty Images",)


def test_a_standfirst_repeating_the_lead_keeps_the_lead_in_the_body() -> None:
    lead = "Gunmen killed nine people at a market in the town of Gwoza on Sunday, police said on Monday."
    text = (
        f"Gunmen Kill Nine at Gwoza Market\n\n{lead}\n\nGunmen Kill Nine at Gwoza Market\n\n"
        f"{lead}\n\nThe attackers fled on motorcycles.\n"
    )
    [article] = segment(txt(text))
    assert article.title == "Gunmen Kill Nine at Gwoza Market" and article.captions == ()
    assert article.text == f"{lead}\n\nThe attackers fled on motorcycles."


@pytest.mark.parametrize("first", ["BAMAKO, Mali, March 3, 2024", "By Moussa Traore and Awa Diallo"])
def test_datelines_and_bylines_are_not_titles(first: str) -> None:
    [article] = segment(txt(f"{first}\n\nSoldiers retook the town on Monday.\n"))
    assert article.title is None and article.text.startswith(first)


def test_body_sentences_that_mention_photos_stay_in_the_body() -> None:
    text = (
        "Photographs by residents showed the bodies of 12 men lying near the mosque in the village.\n\n"
        "The agency said a photo (seen by reporters) showed the damage.\n\n"
        "Police said 12 people were killed\n\nThe governor condemned the attack.\n"
    )
    [article] = segment(txt(text))
    assert article.captions == ()
    assert len(article.text.split("\n\n")) == 4


def test_html_segment_uses_clean_html_and_straight_quotes() -> None:
    page = (
        "<html><head><title>Page</title></head><body><article><h1>Curfew imposed in Kano after riots</h1>"
        + "<p>Authorities in Kano imposed a 24-hour curfew on Friday after rioters burned shops "
        "and cars in the city centre, police said. &ldquo;We will not allow it,&rdquo; the governor said.</p>"
        * 3
        + "</article></body></html>"
    )
    [article] = segment(html(page))
    assert '"We will not allow it," the governor said.' in article.text
    assert "\u201c" not in article.text


def test_a_lead_printed_twice_in_a_row_stays_in_the_body_once() -> None:
    lead = "Gunmen killed nine people at a market in Gwoza on Sunday, police said."
    [article] = segment(txt(f"{lead}\n{lead}\n\nThe attackers fled.\n"))
    assert article.captions == () and article.text == f"{lead}\n\nThe attackers fled."


def test_html_inside_a_jsonl_record_is_extracted() -> None:
    doc = document_from_text(
        "<p>Rioters burned a police station in Kano on Friday.</p><script>x()</script>",
        source="r.jsonl:1",
        fmt="jsonl",
        title="Kano riot",
    )
    [article] = segment(doc)
    assert (
        article.title == "Kano riot" and article.text == "Rioters burned a police station in Kano on Friday."
    )


def test_text_with_angle_brackets_is_not_html() -> None:
    [article] = segment(txt("<< Back\n\nPolice said 3 < 4 people were hurt.\n"))
    assert "Police said 3 < 4 people were hurt." in article.text


@settings(max_examples=100, deadline=None)
@given(st.lists(_LINE, max_size=30))
def test_segment_is_deterministic(lines: list[str]) -> None:
    doc = txt("\n".join(lines))
    assert segment(doc) == segment(doc)
