"""clean_html.extract_page: trafilatura main text, plain fallback, captions, metadata date."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from eventlens.clean.html import extract_page

PAGE = """<!DOCTYPE html><html><head><title>Site | Army base attacked</title>
<meta property="article:published_time" content="2024-05-02T10:00:00Z">
<script>var tracking = "do not show";</script><style>.x{color:red}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Army base attacked near Gao</h1>
<figure><img src="a.jpg"><figcaption>Soldiers near Gao on May 1, 2024. Photo: Staff</figcaption></figure>
<p>Militants attacked an army base near the town of Gao in northern Mali on Wednesday, killing
four soldiers, the army said in a statement issued late on Wednesday night.</p>
<p>The army said troops repelled the assault and that reinforcements had been sent to the base,
which lies on the main road east of the town.</p></article>
<footer>All rights reserved</footer><script>track();</script></body></html>"""


def test_main_text_title_captions_and_date() -> None:
    page = extract_page(PAGE)
    assert page.title == "Army base attacked near Gao"
    assert page.body.split("\n")[-2].startswith("Militants attacked an army base near the town of Gao")
    assert "tracking" not in page.body and "track()" not in page.body and "Home" not in page.body
    assert page.captions == ("Soldiers near Gao on May 1, 2024. Photo: Staff",)
    assert page.published == date(2024, 5, 2)


def test_plain_fallback_keeps_visible_text_only() -> None:
    page = extract_page("<div>Two men were detained.</div><script>alert('x')</script><style>p{}</style>")
    assert page.body.strip() == "Two men were detained."
    assert page.published is None


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="<>/ab pscriptdvfigcaon=\"'&;\n", max_size=300))
def test_extract_page_never_raises(markup: str) -> None:
    page = extract_page(markup)
    assert isinstance(page.body, str)
