"""Read input files, folders and stdin into Documents; anything unusable becomes a Rejection.

Accepted inputs: ``.txt`` (plain text, possibly several pasted articles), ``.html``/``.htm``
(kept raw; :mod:`eventlens.clean` extracts the main text) and ``.jsonl`` (one
``{"id", "text", "title"?, "url"?, "published"?}`` object per line). ``-`` reads stdin:
JSONL if its first non-blank character is ``{``, else plain text.

Bad input never raises out of :func:`read_inputs`: it yields ``Rejection(source, reason)``
with one line that names the input, says what is wrong and, where it helps, how to fix it.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Literal, TextIO

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.model import Document, Rejection, content_id

__all__ = ["document_from_text", "documents_from_jsonl", "read_inputs"]

log = logging.getLogger(__name__)

Format = Literal["txt", "html", "jsonl"]

_FORMATS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
_SUPPORTED = ".txt, .html, .htm and .jsonl"
#: Files in a folder that are documentation, not news input: skipped, not rejected.
_DOC_STEMS = ("readme", "license", "licence", "notice", "changelog")
_STDIN = "<stdin>"
_SNIFF_BYTES = 65_536


def read_inputs(
    paths: Sequence[str], settings: Settings, stdin: TextIO | None = None
) -> Iterator[Document | Rejection]:
    """Every Document in ``paths`` (files, folders searched recursively in sorted order, ``-``)."""
    for raw in paths:
        if raw == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, settings)
            continue
        path = Path(raw)
        if _is_dir(path):
            yield from _read_folder(path, settings)
        else:
            yield from _read_file(path, settings)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False  # _read_file then says what is wrong with the path


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


def documents_from_jsonl(stream: TextIO, source: str) -> Iterator[Document | Rejection]:
    """One Document per JSON object line; a bad line is a Rejection naming its line number."""
    return _documents_from_lines(stream, source)


def _documents_from_lines(
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


# -- folders and files ------------------------------------------------------------------


def _read_folder(folder: Path, settings: Settings) -> Iterator[Document | Rejection]:
    errors: list[OSError] = []
    for path in sorted(_walk(folder, errors)):
        if _is_documentation(path):
            log.debug("skipping documentation file %s", path)
            continue
        yield from _read_file(path, settings)
    for exc in errors:
        yield Rejection(str(exc.filename or folder), f"cannot list folder: {_os_reason(exc)}")


def _walk(folder: Path, errors: list[OSError]) -> Iterator[Path]:
    """Files under ``folder``, hidden files and folders left out; unlistable folders go to ``errors``."""
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


def _is_documentation(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() == ".md" or name.startswith(_DOC_STEMS)


def _read_file(path: Path, settings: Settings) -> Iterator[Document | Rejection]:
    source = str(path)
    if path.suffix.lower() == ".jsonl" and path.is_file():
        yield from _read_jsonl_file(path, settings)
        return
    try:
        fmt, text = _load_text(path, settings)
    except InputError as exc:
        yield Rejection(exc.source, exc.reason)
        return
    if fmt == "jsonl":
        yield from documents_from_jsonl(io.StringIO(text), source)
    else:
        yield document_from_text(text, source=source, fmt=_sniff_html(text, fmt))


def _read_jsonl_file(path: Path, settings: Settings) -> Iterator[Document | Rejection]:
    """A JSONL corpus is streamed line by line: the size cap applies to each record, not the file."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
            if utf16 or len(head) < _SNIFF_BYTES:  # small or UTF-16: checked and read whole
                fh.seek(0)
                data = fh.read(settings.max_input_bytes + 1)
                _check_size(source, len(data), settings.max_input_bytes)
                yield from documents_from_jsonl(io.StringIO(_decode(source, data)), source)
                return
            if _looks_binary(head):
                raise InputError(source, f"binary file, not text; eventlens reads UTF-8 text in {_SUPPORTED}")
            fh.seek(0)
            stream = io.TextIOWrapper(fh, encoding="utf-8-sig")
            yield from _documents_from_lines(
                _bounded_lines(stream, settings.max_input_bytes), source, settings.max_input_bytes
            )
    except InputError as exc:
        yield Rejection(exc.source, exc.reason)
    except OSError as exc:
        yield Rejection(source, f"cannot read: {_os_reason(exc)}")


def _bounded_lines(stream: TextIO, limit: int) -> Iterator[str | None]:
    """The lines of ``stream``; None stands for a line longer than ``limit``, skipped unread."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield None
        else:
            yield line


def _load_text(path: Path, settings: Settings) -> tuple[Format, str]:
    """The file's format and decoded text, checked before and while reading (InputError if unusable)."""
    source = str(path)
    fmt = _FORMATS.get(path.suffix.lower())
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(source, "no such file or folder; check the path") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {_os_reason(exc)}") from None
    except ValueError:
        raise InputError(source, "invalid path (it contains a NUL character)") from None
    if not path.is_file():
        raise InputError(source, "not a regular file; give a file or a folder of files")
    if fmt is None:
        suffix = path.suffix or "(none)"
        raise InputError(source, f"unsupported file type {suffix}; eventlens reads {_SUPPORTED} files")
    _check_size(source, st.st_size, settings.max_input_bytes)
    data = _read_bytes(path, settings.max_input_bytes)
    return fmt, _decode(source, data)


def _check_size(source: str, size: int, limit: int) -> None:
    if size > limit:
        raise InputError(
            source,
            f"file is {size:,} bytes, over the max_input_bytes limit of {limit:,}; split it into "
            "smaller files or raise the limit (EVENTLENS_MAX_INPUT_BYTES)",
        )


def _read_bytes(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path`` (a file that grew past the limit is rejected)."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(source, f"cannot read: {_os_reason(exc)}") from None
    _check_size(source, len(data), limit)
    return data


def _decode(source: str, data: bytes) -> str:
    """UTF-8 text from bytes (UTF-16 with a byte-order mark also accepted)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _non_empty(source, data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError(source, "invalid UTF-16 text; re-encode the file as UTF-8") from None
    if not data.strip():
        raise InputError(source, "file is empty" if not data else "file holds only whitespace")
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise InputError(source, f"binary file, not text; eventlens reads UTF-8 text in {_SUPPORTED} files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            source,
            f"invalid UTF-8 at byte offset {exc.start} (line {line}); re-encode the file as UTF-8, "
            "e.g. `iconv -f latin1 -t utf-8`",
        ) from None
    return _non_empty(source, text)


def _non_empty(source: str, text: str) -> str:
    if _blank(text):
        raise InputError(source, "file holds only whitespace")
    return text


def _blank(text: str) -> bool:
    """Only whitespace and byte-order marks (which the normaliser strips, leaving no text)."""
    return not text.replace("\ufeff", "").strip()


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes, or more than 10% control bytes other than tab, newline, CR and form feed."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 10


def _sniff_html(text: str, fmt: Format) -> Format:
    """A .txt file that is really an HTML page is treated as HTML."""
    if fmt == "txt":
        head = text[:512].lstrip("\ufeff \t\r\n").lower()
        if head.startswith(("<!doctype html", "<html")):
            return "html"
    return fmt


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    return exc.strerror or exc.__class__.__name__


def _normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# -- stdin --------------------------------------------------------------------------------


def _read_stdin(stream: TextIO, settings: Settings) -> Iterator[Document | Rejection]:
    try:
        head = _leading_blank_lines(stream)
    except UnicodeDecodeError as exc:
        yield Rejection(_STDIN, f"invalid UTF-8 ({exc.reason}); re-encode the input as UTF-8")
        return
    if not "".join(head).strip():
        yield Rejection(_STDIN, "stdin is empty")
        return
    if head[-1].lstrip().startswith("{"):
        yield from _documents_from_lines(itertools.chain(head, stream), _STDIN)
        return
    try:
        text = "".join(head) + stream.read(settings.max_input_bytes + 1)
    except UnicodeDecodeError as exc:
        yield Rejection(_STDIN, f"invalid UTF-8 ({exc.reason}); re-encode the input as UTF-8")
        return
    if _blank(text):
        yield Rejection(_STDIN, "stdin holds only whitespace")
        return
    if len(text.encode("utf-8")) > settings.max_input_bytes:
        yield Rejection(
            _STDIN,
            f"stdin is over the max_input_bytes limit of {settings.max_input_bytes:,}; split the input "
            "or raise the limit (EVENTLENS_MAX_INPUT_BYTES)",
        )
        return
    yield document_from_text(text, source=_STDIN, fmt=_sniff_html(text, "txt"))


def _leading_blank_lines(stream: TextIO) -> list[str]:
    """Lines up to and including the first non-blank one (or everything, if all are blank)."""
    lines: list[str] = []
    for line in iter(stream.readline, ""):
        lines.append(line)
        if line.strip():
            break
    return lines or [""]


# -- JSONL records ------------------------------------------------------------------------


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
    if not isinstance(text, str) or _blank(text):
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
