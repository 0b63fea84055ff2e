"""JSONL input: one ``{"id", "text", "title"?, "url"?, "published"?}`` object per line.

A corpus file is streamed line by line (the size cap applies to each record, not the file);
a bad line is a Rejection naming its line number, and the lines after it are still read.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.ingest.files import SNIFF_BYTES, SUPPORTED, check_size, decode, looks_binary, os_reason
from eventlens.ingest.text import blank, document_from_text
from eventlens.model import Document, Rejection

__all__ = ["documents_from_jsonl", "documents_from_lines", "read_jsonl_file"]

log = logging.getLogger(__name__)


def documents_from_jsonl(stream: TextIO, source: str) -> Iterator[Document | Rejection]:
    """One Document per JSON object line; a bad line is a Rejection naming its line number."""
    return documents_from_lines(stream, source)


def documents_from_lines(
    lines: Iterable[str | None], source: str, limit: int | None = None
) -> Iterator[Document | Rejection]:
    """Documents from JSONL lines; a None line is one that was over ``limit`` and skipped."""
    try:
        for lineno, line in enumerate(lines, start=1):
            if line is None:
                yield Rejection(
                    source,
                    f"line {lineno}: record is over the max_input_bytes limit of {limit or 0:,}; "
                    "split the text or raise the limit (EVENTLENS_MAX_INPUT_BYTES)",
                )
                continue
            if not line.strip():
                continue
            try:
                yield _record_to_document(line, source, lineno)
            except InputError as exc:
                yield Rejection(source, exc.reason)
    except UnicodeDecodeError as exc:
        yield Rejection(source, f"invalid UTF-8 ({exc.reason}); re-encode the input as UTF-8")


def read_jsonl_file(path: Path, settings: Settings) -> Iterator[Document | Rejection]:
    """A JSONL corpus is streamed line by line: the size cap applies to each record, not the file."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
            utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
            if utf16 or len(head) < SNIFF_BYTES:  # small or UTF-16: checked and read whole
                fh.seek(0)
                data = fh.read(settings.max_input_bytes + 1)
                check_size(source, len(data), settings.max_input_bytes)
                yield from documents_from_jsonl(io.StringIO(decode(source, data)), source)
                return
            if looks_binary(head):
                raise InputError(source, f"binary file, not text; eventlens reads UTF-8 text in {SUPPORTED}")
            fh.seek(0)
            stream = io.TextIOWrapper(fh, encoding="utf-8-sig")
            yield from documents_from_lines(
                _bounded_lines(stream, settings.max_input_bytes), source, settings.max_input_bytes
            )
    except InputError as exc:
        yield Rejection(exc.source, exc.reason)
    except OSError as exc:
        yield Rejection(source, f"cannot read: {os_reason(exc)}")


def _bounded_lines(stream: TextIO, limit: int) -> Iterator[str | None]:
    """The lines of ``stream``; None stands for a line longer than ``limit``, skipped unread."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield None
        else:
            yield line


def _record_to_document(line: str, source: str, lineno: int) -> Document:
    where = f"line {lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            source,
            f"{where}: invalid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object",
        ) from None
    if not isinstance(record, dict):
        raise InputError(source, f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise InputError(source, f'{where}: no "text" field; each object needs {{"id": ..., "text": ...}}')
    if not isinstance(text, str) or blank(text):
        raise InputError(source, f'{where}: "text" must be a non-empty string')
    raw_id = record.get("id")
    return document_from_text(
        text,
        source=f"{source}:{lineno}",
        fmt="jsonl",
        title=_optional_str(record, "title"),
        url=_optional_str(record, "url"),
        published=_parse_published(record.get("published"), source, lineno),
        external_id=None if raw_id is None else str(raw_id),
    )


def _optional_str(record: dict[str, object], key: str) -> str | None:
    value = record.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _parse_published(value: object, source: str, lineno: int) -> date | None:
    """An ISO date or datetime string as a date; anything else is ignored with a warning."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parsed = _iso_date(value.strip())
        if parsed is not None:
            return parsed
    log.warning(
        "%s: line %d: ignoring unparseable published value %r (use YYYY-MM-DD)", source, lineno, value
    )
    return None


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
