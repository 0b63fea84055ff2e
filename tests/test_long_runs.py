"""Text with no sentence boundaries is split before parsing; ordinary prose is parsed as before."""

from __future__ import annotations

import pytest

from eventlens.config import Settings
from eventlens.nlp.long_runs import COMPONENT, MAX_RUN_TOKENS
from eventlens.nlp.parser import load_pipeline

#: loads the spaCy model
pytestmark = pytest.mark.slow


def test_a_line_with_no_sentence_end_is_parsed_in_bounded_sentences() -> None:
    nlp = load_pipeline(Settings().spacy_model)
    assert nlp.pipe_names[0] == COMPONENT
    doc = nlp("Soldiers clashed with rebels near Gao " * 200)  # 1,200 tokens, no full stop
    lengths = [len(s) for s in doc.sents]
    assert len(lengths) >= 1_200 // MAX_RUN_TOKENS
    assert max(lengths) <= MAX_RUN_TOKENS
    assert sum(lengths) == len(doc)


def test_ordinary_prose_gets_the_same_parse_as_without_the_splitter() -> None:
    nlp = load_pipeline(Settings().spacy_model)
    text = " ".join(
        f"Police said {n} protesters were arrested in Basra on Friday after clashes near the governor's "
        f"office, and {n + 1} officers were hurt by stones.\n" for n in range(40)
    )
    with_splitter = nlp(text)
    with nlp.select_pipes(disable=[COMPONENT]):
        without = nlp(text)
    assert [(t.dep_, t.head.i, t.is_sent_start, t.ent_type_) for t in with_splitter] == [
        (t.dep_, t.head.i, t.is_sent_start, t.ent_type_) for t in without
    ]
