"""The Document of a text, whatever it was read from: line endings normalised, id = content hash."""

from __future__ import annotations

from datetime import date
from typing import Literal

from eventlens.model import Document, content_id

__all__ = ["Format", "blank", "document_from_text", "sniff_html"]

Format = Literal["txt", "html", "jsonl"]


def document_from_text(
    text: str,
    *,
    source: str,
    fmt: Format,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    external_id: str | None = None,
) -> Document:
    """A Document whose id is the content hash of ``text`` (line endings normalised first)."""
    text = _normalise_newlines(text)
    return Document(
        id=content_id("d", text),
        text=text,
        source=source,
        format=fmt,
        title=title,
        url=url,
        published=published,
        external_id=external_id,
    )


def _normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def sniff_html(text: str, fmt: Format) -> Format:
    """A .txt file that is really an HTML page is treated as HTML."""
    if fmt == "txt":
        head = text[:512].lstrip("\ufeff \t\r\n").lower()
        if head.startswith(("<!doctype html", "<html")):
            return "html"
    return fmt


def blank(text: str) -> bool:
    """Only whitespace and byte-order marks (which the normaliser strips, leaving no text)."""
    return not text.replace("\ufeff", "").strip()
