"""Read input files, folders and stdin into Documents; anything unusable becomes a Rejection.

Accepted inputs: ``.txt`` (plain text, possibly several pasted articles), ``.html``/``.htm``
(kept raw; :mod:`eventlens.clean.articles` extracts the main text) and ``.jsonl`` (one
``{"id", "text", "title"?, "url"?, "published"?}`` object per line). ``-`` reads stdin:
JSONL if its first non-blank character is ``{``, else plain text.

Bad input never raises out of :func:`read_inputs`: it yields ``Rejection(source, reason)``
with one line that names the input, says what is wrong and, where it helps, how to fix it.

The readers: :mod:`~eventlens.ingest.jsonl` and :mod:`~eventlens.ingest.stdin`; plain text and
HTML files go through :mod:`~eventlens.ingest.files` (checks and decoding) and
:mod:`~eventlens.ingest.text` (the Document of a text). This module walks paths and folders.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.ingest.files import load_text, os_reason
from eventlens.ingest.jsonl import documents_from_jsonl, read_jsonl_file
from eventlens.ingest.stdin import read_stdin
from eventlens.ingest.text import document_from_text, sniff_html
from eventlens.model import Document, Rejection

__all__ = [
    "count_inputs", "document_from_text", "documents_from_jsonl", "folder_files", "missing_paths",
    "read_inputs",
]

log = logging.getLogger(__name__)

#: Files in a folder that are documentation, not news input: skipped, not rejected.
_DOC_STEMS = ("readme", "license", "licence", "notice", "changelog")


def read_inputs(
    paths: Sequence[str], settings: Settings, stdin: TextIO | None = None
) -> Iterator[Document | Rejection]:
    """Every Document in ``paths`` (files, folders searched recursively in sorted order, ``-``)."""
    for raw in paths:
        if raw == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin, settings)
            continue
        path = Path(raw)
        if _is_dir(path):
            yield from _read_folder(path, settings)
        else:
            yield from _read_file(path, settings)


def missing_paths(paths: Sequence[str]) -> list[str]:
    """The paths (not ``-``) that name nothing on disk: typos to report, not inputs to quarantine."""
    return [raw for raw in paths if raw != "-" and not os.path.lexists(raw)]


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many items :func:`read_inputs` will yield for ``paths`` (a file, or a JSONL line each),
    counted without reading any text; None when stdin is among them (unknown until read)."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        files = folder_files(path, []) if _is_dir(path) else [path]
        total += sum(_items_in(p) for p in files)
    return total


def _items_in(path: Path) -> int:
    if path.suffix.lower() != ".jsonl":
        return 1
    try:
        with path.open("rb") as fh:
            return max(1, sum(1 for line in fh if line.strip()))
    except OSError:
        return 1


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False  # _read_file then says what is wrong with the path


def folder_files(folder: Path, errors: list[OSError]) -> list[Path]:
    """The files a run reads in ``folder``, in order: hidden files and folders and documentation
    files (README, LICENSE, *.md, ...) left out; folders that cannot be listed go to ``errors``."""
    out = []
    for path in sorted(_walk(folder, errors)):
        if _is_documentation(path):
            log.debug("skipping documentation file %s", path)
            continue
        out.append(path)
    return out


def _read_folder(folder: Path, settings: Settings) -> Iterator[Document | Rejection]:
    errors: list[OSError] = []
    for path in folder_files(folder, errors):
        yield from _read_file(path, settings)
    for exc in errors:
        yield Rejection(str(exc.filename or folder), f"cannot list folder: {os_reason(exc)}")


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
        yield from read_jsonl_file(path, settings)
        return
    try:
        fmt, text = load_text(path, settings)
    except InputError as exc:
        yield Rejection(exc.source, exc.reason)
        return
    if fmt == "jsonl":
        yield from documents_from_jsonl(io.StringIO(text), source)
    else:
        yield document_from_text(text, source=source, fmt=sniff_html(text, fmt))
