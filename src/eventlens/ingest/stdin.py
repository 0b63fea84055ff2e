"""Standard input (``-``): JSONL if its first non-blank character is ``{``, else one plain-text document."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TextIO

from eventlens.config import Settings
from eventlens.ingest.jsonl import documents_from_lines
from eventlens.ingest.text import blank, document_from_text, sniff_html
from eventlens.model import Document, Rejection

__all__ = ["read_stdin"]

_STDIN = "<stdin>"


def read_stdin(stream: TextIO, settings: Settings) -> Iterator[Document | Rejection]:
    try:
        head = _leading_blank_lines(stream)
    except UnicodeDecodeError as exc:
        yield Rejection(_STDIN, f"invalid UTF-8 ({exc.reason}); re-encode the input as UTF-8")
        return
    if not "".join(head).strip():
        yield Rejection(_STDIN, "stdin is empty")
        return
    if head[-1].lstrip().startswith("{"):
        yield from documents_from_lines(itertools.chain(head, stream), _STDIN)
        return
    try:
        text = "".join(head) + stream.read(settings.max_input_bytes + 1)
    except UnicodeDecodeError as exc:
        yield Rejection(_STDIN, f"invalid UTF-8 ({exc.reason}); re-encode the input as UTF-8")
        return
    if blank(text):
        yield Rejection(_STDIN, "stdin holds only whitespace")
        return
    if len(text.encode("utf-8")) > settings.max_input_bytes:
        yield Rejection(
            _STDIN,
            f"stdin is over the max_input_bytes limit of {settings.max_input_bytes:,}; split the input "
            "or raise the limit (EVENTLENS_MAX_INPUT_BYTES)",
        )
        return
    yield document_from_text(text, source=_STDIN, fmt=sniff_html(text, "txt"))


def _leading_blank_lines(stream: TextIO) -> list[str]:
    """Lines up to and including the first non-blank one (or everything, if all are blank)."""
    lines: list[str] = []
    for line in iter(stream.readline, ""):
        lines.append(line)
        if line.strip():
            break
    return lines or [""]
