"""Find a clean-text string (an evidence span) in the text the user supplied.

Cleaning (:mod:`eventlens.clean.articles`) collapses whitespace, joins wrapped lines, straightens
curly quotes and fixes mojibake, so evidence offsets into the clean article text do not point
into the input. :class:`InputText` maps them back: both sides are compared under one
normalisation (whitespace runs = one space, quotes straightened, NFKC), each normalised character
remembering the input character it came from, so the span found is a slice of the input exactly
as supplied. A span whose middle was changed beyond that (mojibake repaired inside it) is found
by its two ends.

Plain text and JSONL documents map exactly; for HTML the input is the page's markup, where a
sentence may be cut by tags and entities: such spans are found when the words sit in one run of
text, else not at all (None).
"""

from __future__ import annotations

import unicodedata

__all__ = ["InputText"]

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})
#: characters at each end of a span that must match when its middle differs
_ANCHOR = 24


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` normalised for matching, and for each of its characters the index it came from."""
    chars: list[str] = []
    origin: list[int] = []
    space = True  # no leading space
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                chars.append(" ")
                origin.append(i)
            space = True
            continue
        space = False
        norm = ch.translate(_QUOTES)
        if not norm.isascii():
            norm = unicodedata.normalize("NFKC", norm).translate(_QUOTES)
        for c in norm:
            chars.append(c)
            origin.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


class InputText:
    """A document's text as supplied, searchable by strings of its clean articles."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._key, self._origin = _normalised(text)

    def _span(self, pos: int, length: int) -> tuple[int, int]:
        start = self._origin[pos]
        end = self._origin[pos + length - 1] + 1
        return start, end

    def _occurrences(self, key: str, near: int) -> list[int]:
        found = []
        pos = self._key.find(key)
        while pos >= 0:
            found.append(pos)
            pos = self._key.find(key, pos + 1)
        return sorted(found, key=lambda p: abs(self._origin[p] - near))

    def locate(self, clean: str, near: int = 0) -> tuple[int, int] | None:
        """(start, end) of ``clean`` in the input, the occurrence nearest to input offset ``near``;
        None when it is not there (``text[start:end]`` is the evidence as the user wrote it)."""
        key, _ = _normalised(clean)
        if not key:
            return None
        hits = self._occurrences(key, near)
        if hits:
            return self._span(hits[0], len(key))
        if len(key) < 3 * _ANCHOR:
            return None
        head, tail = key[:_ANCHOR], key[-_ANCHOR:]
        for pos in self._occurrences(head, near):
            end = self._key.find(tail, pos + _ANCHOR, pos + 2 * len(key))
            if end >= 0:
                return self._span(pos, end + _ANCHOR - pos)
        return None

    def offset_of(self, clean: str) -> int:
        """Where an article's text starts in the input (0 when its opening is not found): the
        ``near`` hint for its evidence, so a sentence repeated across pasted articles is found
        in its own."""
        found = self.locate(clean[:200].rsplit(" ", 1)[0] if len(clean) > 200 else clean)
        return found[0] if found else 0
