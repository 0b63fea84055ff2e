"""Cut a Document into clean Articles: page furniture out, captions kept, mojibake fixed.

Plain text (and JSONL records) may hold several articles pasted together with scraped page
furniture around each one: the headline repeated, photo captions repeated (often twice,
twice again), credit lines ("REUTERS/...", "(AFP file photo)", "Getty Images"), stray short
tokens such as a lone "TT", and runs of blank lines. A headline that is repeated starts a new
article; captions and credit lines go to ``Article.captions`` (their dates are evidence for
the publication date); stray tokens and short mid-article subheadings are dropped from the
body. HTML pages are reduced to their main text with trafilatura, falling back to a plain
text extraction that drops scripts and styles.

Everything here is linear in the input: lines are classified one at a time, and the only
regular expressions run on short lines.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import ftfy

from eventlens.clean.case import upper_case
from eventlens.clean.html import extract_page
from eventlens.config import Settings
from eventlens.model import Article, Document

__all__ = ["segment"]

log = logging.getLogger(__name__)

#: Lines longer than this are never captions, credits or headlines (and never see a regex).
_SHORT_LINE = 300
_HEADLINE_MAX_WORDS = 30
#: A repeated body line this long is a scraped duplicate paragraph (shorter ones may be wrapped text).
_DUPLICATE_MIN = 80
_SUBHEADING_MAX_WORDS = 8
_TERMINAL = (".", "!", "?", '."', ".'", '!"', '?"', ".)", ":", ";", ",")
_SENTENCE_END = (".", "!", "?", '."', ".'", '!"', '?"', "!'", "?'", ".)", '")', ":", ";")

_CREDIT = re.compile(
    r"""
    ^(?:photo(?:graph)?s?|image|picture|credit|caption|file\ photo|photo\ credit)\s*:
    | ^(?:photo(?:graph)?|picture|image)s?\ by\ [^.]{0,60}$
    | ^(?:AP|AFP|EPA|REUTERS)\s*(?:PHOTO|Photo|/)
    | REUTERS/ | AP\ Photo | AFP\ PHOTO | AFP/ | /AFP\b | /EPA\b | EPA-EFE | Getty\ Images\W{0,3}$
    | \((?:[A-Za-z.]+\s+){0,3}(?:file\ )?photos?\)
    | (?-i:\b(?:Photo|Image|Picture)(?:\ credit)?:\s*[A-Z][\w.'/-]*(?:\s+[A-Z][\w.'/-]*){0,4}\s*$)
    | \(\s*(?:AP|AFP|Reuters|REUTERS|EPA|Getty)\s*\)\s*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: "BAMAKO, Mali, March 3" or "By Moussa Traore": the first line of a story, not its headline.
_DATELINE_OR_BYLINE = re.compile(r"[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)*,|By [A-Z]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|reported|reports)\b", re.IGNORECASE)
_HTML_BLOCK_END = re.compile(r"</(?:p|div|html|body|article|h[1-6]|li|span)\s*>", re.IGNORECASE)
#: Whole lines that are page chrome, not text (compared case-insensitively).
# fmt: off
_CHROME = frozenset((
    "advertisement", "ad", "share", "share this", "share this article", "tweet", "email", "print",
    "read more", "related", "related articles", "subscribe", "sign up", "skip to content",
    "comments", "facebook", "twitter", "whatsapp", "linkedin", "copy link", "listen",
    "listen to this article", "more", "close",
))
# fmt: on


@dataclass
class _Draft:
    """An article being assembled (mutable, local to one segment() call)."""

    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)

    def add_line(self, line: str, *, upper_doc: bool) -> None:
        if self._open and _ends_paragraph(self._open[-1], line, upper_doc=upper_doc):
            self.close()
        self._open.append(line)

    def close(self) -> None:
        if self._open:
            self.paragraphs.append(" ".join(self._open))
            self._open = []

    def add_caption(self, line: str) -> None:
        self.close()
        if line not in self.captions:
            self.captions.append(line)

    @property
    def has_body(self) -> bool:
        return bool(self.paragraphs or self._open)


def segment(doc: Document, settings: Settings | None = None) -> tuple[Article, ...]:
    """The clean articles in ``doc``, in order, with ids ``f"{doc.id}-a{index}"``."""
    limit = (settings or Settings()).max_article_chars
    published = doc.published
    if doc.format == "html" or _looks_like_html(doc.text):
        drafts, meta_date = _html_drafts(doc)
        published = published or meta_date
    else:
        drafts = _text_drafts(doc.text, title=doc.title)
    articles = []
    for index, draft in enumerate(_finish(drafts)):
        text = _cap("\n\n".join(draft.paragraphs), limit, doc.source)
        articles.append(
            Article(
                id=f"{doc.id}-a{index}",
                doc_id=doc.id,
                index=index,
                title=draft.title,
                text=text,
                captions=tuple(draft.captions),
                published=published,
                published_how="metadata" if published else None,
                url=doc.url,
                upper_case=upper_case(text),
            )
        )
    log.debug("%s: %d article(s)", doc.source, len(articles))
    return tuple(articles)


def _cap(text: str, limit: int, source: str) -> str:
    """``text`` cut to at most ``limit`` characters at a paragraph or sentence boundary."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n\n")
    if cut < limit // 2:
        cut = max(head.rfind(end) + 1 for end in (". ", "? ", "! ", '." '))
    if cut < limit // 2:
        space = head.rfind(" ")
        cut = space if space >= limit // 2 else limit
    log.warning(
        "%s: article of %d characters cut to %d (max_article_chars=%d)", source, len(text), cut, limit
    )
    return text[:cut].rstrip()


# -- plain text ---------------------------------------------------------------------------


def _text_drafts(text: str, *, title: str | None = None, split: bool = True) -> list[_Draft]:
    """Articles in ``text``: a headline repeated in the text starts a new one (if ``split``)."""
    lines = _clean_lines(text)
    counts = Counter(line for line in lines if line)
    titles = _repeated_headlines(counts) if split else set()
    upper_doc = upper_case(text)
    lead = None if title else _leading_title(lines, titles)
    gap_starts = _gap_headlines(lines, titles) if split else set()
    drafts = [_Draft(title=title)]
    seen: set[str] = set()
    emitted: set[str] = set()
    for i, line in enumerate(lines):
        draft = drafts[-1]
        if not line:
            draft.close()
        elif i == lead:
            draft.title = line
        elif line in titles:
            if line not in seen:
                seen.add(line)
                if draft.has_body or draft.title is not None:
                    draft.close()
                    drafts.append(_Draft(title=line))
                else:
                    draft.title = line
            draft.close()
        elif i in gap_starts and draft.has_body:
            draft.close()
            drafts.append(_Draft(title=line))
        elif _is_stray(line) and (_stands_alone(lines, i, counts) or _next_to_copy(lines, i)):
            draft.close()
        elif _is_credit(line) or (counts[line] > 1 and _next_to_copy(lines, i) and _caption_like(line)):
            draft.add_caption(line)
        elif counts[line] > 1 and line in emitted and (len(line) >= _DUPLICATE_MIN or lines[i - 1] == line):
            continue
        else:
            emitted.add(line)
            draft.add_line(line, upper_doc=upper_doc)
    drafts[-1].close()
    for draft in drafts:
        draft.paragraphs = _drop_subheadings(draft.paragraphs, draft.title, upper_doc=upper_doc)
    return drafts


def _clean_lines(text: str) -> list[str]:
    """Lines with mojibake fixed, quotes straightened and whitespace runs collapsed.

    ftfy works line by line anyway; fixing each distinct non-blank line once keeps blank-line
    runs and repeated furniture cheap."""
    fixed: dict[str, str] = {}
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            done = fixed.get(line)
            if done is None:
                plain = line.isascii() and line.isprintable() and "&" not in line  # ftfy would not change it
                done = fixed[line] = line if plain else " ".join(ftfy.fix_text(line).split())
            line = done
        lines.append(line)
    return lines


def _repeated_headlines(counts: Counter[str]) -> set[str]:
    return {
        line
        for line, n in counts.items()
        if n > 1 and _is_headline(line) and not _is_credit(line) and not _is_stray(line)
    }


def _gap_headlines(lines: Sequence[str], titles: set[str]) -> set[int]:
    """Headlines standing after an unusually long blank gap: where pasted articles meet.

    Only used when long gaps are rare in the text (at most a third of all paragraph gaps),
    so a text that always separates paragraphs by two blank lines is not cut up."""
    found: set[int] = set()
    gaps = long_gaps = blank = 0
    for i, line in enumerate(lines):
        if not line:
            blank += 1
            continue
        if blank:
            gaps += 1
            long_gaps += blank >= 2
            if blank >= 2 and _isolated_headline(lines, i, titles):
                found.add(i)
        blank = 0
    return found if long_gaps * 3 <= gaps else set()


def _isolated_headline(lines: Sequence[str], i: int, titles: set[str]) -> bool:
    line = lines[i]
    followed_by_blank = i + 1 < len(lines) and not lines[i + 1]
    return followed_by_blank and line not in titles and _is_headline(line) and not _is_credit(line)


def _leading_title(lines: Sequence[str], titles: set[str]) -> int | None:
    """Index of a first line that reads as a headline: short, no final period, then a blank line."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or first + 1 >= len(lines) or lines[first + 1]:
        return None
    line = lines[first]
    if line in titles or not _is_headline(line) or _is_credit(line) or _is_stray(line):
        return None
    has_more = any(lines[j] for j in range(first + 1, len(lines)))
    return first if has_more else None


def _next_to_copy(lines: Sequence[str], i: int) -> bool:
    """A line printed twice in a row is a caption copy, wherever it stands."""
    return (i > 0 and lines[i - 1] == lines[i]) or (i + 1 < len(lines) and lines[i + 1] == lines[i])


def _stands_alone(lines: Sequence[str], i: int, counts: Counter[str]) -> bool:
    """A short token is furniture when nothing continues it: a blank line follows and the line
    before is blank, ends a sentence, or is itself furniture (a repeated caption)."""
    if len(lines[i]) > 3 and any(c.isalpha() for c in lines[i]):
        return True
    if i + 1 < len(lines) and lines[i + 1]:
        return False
    before = lines[i - 1] if i > 0 else ""
    return not before or before.endswith(_SENTENCE_END) or counts[before] > 1 or _is_credit(before)


def _caption_like(line: str) -> bool:
    """A short line with no attribution ("said", "told"): a caption; a lead paragraph has one."""
    return len(line) <= _SHORT_LINE and _ATTRIBUTION.search(line) is None


def _drop_subheadings(paragraphs: list[str], title: str | None, *, upper_doc: bool) -> list[str]:
    """Drop a repeat of the title and short headline-like lines inside the body (not the first)."""
    kept: list[str] = []
    for n, para in enumerate(paragraphs):
        if title is not None and para.casefold() == title.casefold():
            continue
        if kept and n + 1 < len(paragraphs) and not upper_doc and _is_subheading(para):
            log.debug("dropping subheading %r", para)
            continue
        kept.append(para)
    return kept


def _ends_paragraph(previous: str, line: str, *, upper_doc: bool) -> bool:
    """Whether ``line`` starts a new paragraph rather than continuing a hard-wrapped one."""
    if previous.endswith(_SENTENCE_END):
        return True
    if upper_doc or not (line[:1].isupper() or line[:1] in "\"'"):
        return False
    return len(previous) < 40 or _title_cased(previous)


# -- line classes -------------------------------------------------------------------------


def _is_headline(line: str) -> bool:
    if len(line) > _SHORT_LINE or line.endswith(_TERMINAL):
        return False
    if not 3 <= len(line.split()) <= _HEADLINE_MAX_WORDS or _DATELINE_OR_BYLINE.match(line):
        return False
    return line[0].isupper() or line[0].isdigit() or line[0] in "\"'"


def _title_cased(line: str) -> bool:
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _is_subheading(para: str) -> bool:
    if len(para) > 80 or para.endswith(_SENTENCE_END) or para.endswith(","):
        return False
    words = para.split()
    return len(words) <= _SUBHEADING_MAX_WORDS and para[0].isupper() and not any(c.isdigit() for c in para)


def _is_credit(line: str) -> bool:
    return len(line) <= _SHORT_LINE and _CREDIT.search(line) is not None


def _is_stray(line: str) -> bool:
    """A lone short token ("TT"), a separator, a page number, or a chrome word ("Advertisement")."""
    if len(line) <= 3 or not any(c.isalpha() for c in line):
        return True
    return len(line) <= 30 and line.casefold().rstrip(" :|»›>") in _CHROME


def _finish(drafts: Iterable[_Draft]) -> list[_Draft]:
    """Drafts with a body; if none has one, the first headline becomes a one-line article."""
    drafts = list(drafts)
    with_body = [d for d in drafts if d.paragraphs]
    if with_body:
        return with_body
    titled = next((d for d in drafts if d.title), None)
    if titled is None or titled.title is None:
        return []
    return [_Draft(title=None, paragraphs=[titled.title], captions=titled.captions)]


# -- HTML ---------------------------------------------------------------------------------


def _looks_like_html(text: str) -> bool:
    """HTML markup handed in as text or in a JSONL record: starts with a tag, closes a block."""
    head = text[:200].lstrip()
    return head.startswith("<") and _HTML_BLOCK_END.search(text, 0, 200_000) is not None


def _html_drafts(doc: Document) -> tuple[list[_Draft], date | None]:
    """One article from an HTML page, and the page's publication date from its metadata."""
    page = extract_page(doc.text, url=doc.url, source=doc.source)
    title = page.title or doc.title
    title = " ".join(ftfy.fix_text(title).split()) if title else None
    drafts = _text_drafts("\n\n".join(page.body.split("\n")), title=title, split=False)
    for caption in page.captions:
        drafts[0].add_caption(" ".join(ftfy.fix_text(caption).split()))
    return drafts, page.published
