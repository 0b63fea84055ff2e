"""Main text of an HTML page for :mod:`eventlens.clean.articles`: trafilatura first, plain text as fallback.

trafilatura finds the article body and the page's metadata (title, publication date from
meta tags only, never guessed from the text). When it finds nothing, a plain pass over the
markup keeps the visible text and drops scripts, styles and other non-content elements.
Figure captions are collected separately: they are kept as metadata, not body text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import trafilatura

__all__ = ["PageText", "extract_page"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's main text (one paragraph per line), title, figure captions and metadata date."""

    body: str
    title: str | None
    captions: tuple[str, ...]
    published: date | None


def extract_page(html: str, *, url: str | None = None, source: str = "<html>") -> PageText:
    """The main text of ``html``; never raises on broken markup."""
    body, title, published = _trafilatura(html, url)
    page = _PageText()
    if not body or not title or "<figcaption" in html.lower():
        page.feed(html)  # a second, plain pass only when it can add something
        page.close()
    if not body:
        log.info("%s: trafilatura found no main text; using plain page text", source)
        body = page.text()
    return PageText(
        body=body, title=title or page.title(), captions=tuple(page.captions), published=published
    )


def _trafilatura(html: str, url: str | None) -> tuple[str, str | None, date | None]:
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        log.warning("trafilatura failed (%s); using plain page text", exc)
        return "", None, None
    if result is None:
        return "", None, None
    text = getattr(result, "text", None) or ""
    title = getattr(result, "title", None) or None
    return str(text), (" ".join(str(title).split()) or None) if title else None, _iso(result)


def _iso(result: object) -> date | None:
    value = getattr(result, "date", None)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "canvas"})
# fmt: off
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "nav", "aside", "blockquote", "tr", "td", "th", "table", "figure",
    "figcaption", "pre", "main", "dd", "dt", "hr",
))
# fmt: on


class _PageText(HTMLParser):
    """Plain text of a page without scripts and styles, plus its figure captions and <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skip = 0
        self._in_title = False
        self._title: list[str] = []
        self._caption: list[str] | None = None
        self.captions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "figcaption":
            self._caption = []
        if tag in _BLOCK_TAGS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "figcaption" and self._caption is not None:
            caption = " ".join("".join(self._caption).split())
            if caption and caption not in self.captions:
                self.captions.append(caption)
            self._caption = None
        if tag in _BLOCK_TAGS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif self._caption is not None:
            self._caption.append(data)
        elif not self._skip:
            self._parts.append(data.replace("\n", " "))

    def text(self) -> str:
        return "".join(self._parts)

    def title(self) -> str | None:
        return " ".join("".join(self._title).split()) or None
