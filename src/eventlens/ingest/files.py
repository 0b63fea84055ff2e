"""A file's text, checked before and while it is read: size cap, binary content, encoding.

Every check raises :class:`~eventlens.errors.InputError` with a reason that names what is wrong
and, where it helps, how to fix it.
"""

from __future__ import annotations

from pathlib import Path

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.ingest.text import Format, blank

__all__ = [
    "FORMATS",
    "SNIFF_BYTES",
    "SUPPORTED",
    "check_size",
    "decode",
    "load_text",
    "looks_binary",
    "os_reason",
]

FORMATS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
SUPPORTED = ".txt, .html, .htm and .jsonl"
SNIFF_BYTES = 65_536


def load_text(path: Path, settings: Settings) -> tuple[Format, str]:
    """The file's format and decoded text, checked before and while reading (InputError if unusable)."""
    source = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(source, "no such file or folder; check the path") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {os_reason(exc)}") from None
    except ValueError:
        raise InputError(source, "invalid path (it contains a NUL character)") from None
    if not path.is_file():
        raise InputError(source, "not a regular file; give a file or a folder of files")
    if fmt is None:
        suffix = path.suffix or "(none)"
        raise InputError(source, f"unsupported file type {suffix}; eventlens reads {SUPPORTED} files")
    check_size(source, st.st_size, settings.max_input_bytes)
    data = _read_bytes(path, settings.max_input_bytes)
    return fmt, decode(source, data)


def check_size(source: str, size: int, limit: int) -> None:
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
        raise InputError(source, f"cannot read: {os_reason(exc)}") from None
    check_size(source, len(data), limit)
    return data


def decode(source: str, data: bytes) -> str:
    """UTF-8 text from bytes (UTF-16 with a byte-order mark also accepted)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _non_empty(source, data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError(source, "invalid UTF-16 text; re-encode the file as UTF-8") from None
    if not data.strip():
        raise InputError(source, "file is empty" if not data else "file holds only whitespace")
    if looks_binary(data[:SNIFF_BYTES]):
        raise InputError(source, f"binary file, not text; eventlens reads UTF-8 text in {SUPPORTED} files")
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
    if blank(text):
        raise InputError(source, "file holds only whitespace")
    return text


def looks_binary(sample: bytes) -> bool:
    """NUL bytes, or more than 10% control bytes other than tab, newline, CR and form feed."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 10


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    return exc.strerror or exc.__class__.__name__
