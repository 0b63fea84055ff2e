"""Evidence as the user supplied it: each mention's evidence span found in its document's text.

Mentions keep their evidence as offsets into the clean article text (what the dashboard
highlights); outputs give offsets into the document the user supplied, with the string exactly
as it stands there (curly quotes, line breaks and all), found by :class:`eventlens.clean.align.InputText`.
When a span cannot be found in the input (HTML markup cutting a sentence), outputs fall back to
the clean article span and say so (``"in": "article"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from eventlens.clean.align import InputText
from eventlens.model import Article, EventMention, Span

__all__ = ["EvidenceLocator", "InputEvidence", "evidence_dict"]

#: a mention -> its evidence in the input document (None: not found there)
InputEvidence = Callable[[EventMention], "Span | None"]


class EvidenceLocator:
    """Finds the evidence of one document's mentions in that document's text."""

    def __init__(self, document_text: str, article_text: Callable[[str], str | None]) -> None:
        self._input = InputText(document_text)
        self._article_text = article_text
        self._starts: dict[str, int] = {}

    @classmethod
    def of_articles(cls, document_text: str, articles: Iterable[Article]) -> EvidenceLocator:
        texts = {a.id: a.text for a in articles}
        return cls(document_text, texts.get)

    def _article_start(self, article_id: str) -> int:
        if article_id not in self._starts:
            text = self._article_text(article_id)
            self._starts[article_id] = self._input.offset_of(text) if text else 0
        return self._starts[article_id]

    def __call__(self, mention: EventMention) -> Span | None:
        near = self._article_start(mention.article_id) + mention.evidence.start
        found = self._input.locate(mention.evidence.text, near)
        if found is None:
            return None
        start, end = found
        return Span(self._input.text[start:end], start, end)


def evidence_dict(mention: EventMention, in_input: InputEvidence | None) -> dict[str, Any]:
    """``{text, start, end, in}``: the span in the input document (``in`` "document") when it is
    found there, else the clean article span (``in`` "article")."""
    found = in_input(mention) if in_input is not None else None
    if found is not None:
        return {"text": found.text, "start": found.start, "end": found.end, "in": "document"}
    ev = mention.evidence
    return {"text": ev.text, "start": ev.start, "end": ev.end, "in": "article"}
