"""Text with no sentence boundaries is split before parsing.

A run of thousands of tokens with no full stop, question or exclamation mark and no line break (a
scraped page flattened to one line, a list glued together) is one "sentence" to the parser, and
every stage after it that works sentence by sentence then works on all of it at once: a 200,000
character line held a worker past its two-minute cap. This component, first in the pipeline, starts
a new sentence every :data:`MAX_RUN_TOKENS` tokens of such a run; the parser keeps sentence starts
that are set before it. Ordinary prose never has a run that long, so its parse is untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["COMPONENT", "MAX_RUN_TOKENS", "add_run_splitter", "split_long_runs"]

COMPONENT = "eventlens_long_runs"
#: tokens a run may hold before a sentence start is forced (news sentences are ~25 tokens; the
#: longest in 600 MUC-4 and 89 VOA articles is far below this)
MAX_RUN_TOKENS = 250
_ENDS = (".", "!", "?")


def split_long_runs(doc: Doc, max_tokens: int = MAX_RUN_TOKENS) -> Doc:
    """Force a sentence start every ``max_tokens`` tokens of a run with no sentence end or line
    break; a doc without such a run is left as it is."""
    if len(doc) <= max_tokens:
        return doc
    run = 0
    for token in doc:
        text = token.text
        if text.endswith(_ENDS) or "\n" in text:
            run = 0
            continue
        run += 1
        if run > max_tokens:
            token.is_sent_start = True
            run = 1
    return doc


def add_run_splitter(nlp: Language) -> None:
    """Put :func:`split_long_runs` first in ``nlp`` (once)."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT, func=split_long_runs)
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, first=True)
