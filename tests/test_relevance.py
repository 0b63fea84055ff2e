from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eventlens.nlp.prefilter import masked_text, relevant_sentence, rough_sentences


def test_keeps_event_sentences_and_neighbours_only() -> None:
    text = (
        "The minister spoke about the economy. Markets rose sharply. Exports grew. "
        "Tourism recovered. Gunmen shot dead a teacher in Kirkuk on Monday. He was 40. "
        "Analysts expect growth. Inflation eased."
    )
    masked = masked_text(text)
    assert len(masked) == len(text)
    assert "Gunmen shot dead a teacher" in masked
    assert "He was 40." in masked and "Tourism recovered." in masked  # neighbours
    assert "The minister spoke" in masked  # first sentence (datelines)
    assert "Markets rose" not in masked and "Inflation eased" not in masked


def test_a_given_relevance_test_replaces_the_cues() -> None:
    text = "Markets rose. Exports grew. Tourism recovered. Gunmen shot a teacher. Inflation eased."
    masked = masked_text(text, neighbours=0, relevant=lambda s: s.text.startswith("Tourism"))
    assert len(masked) == len(text)
    assert "Markets rose." in masked and "Tourism recovered." in masked  # first and chosen
    assert "Exports" not in masked and "Gunmen" not in masked and "Inflation" not in masked


def test_relevant_sentence_cues() -> None:
    assert relevant_sentence("Police fired tear gas at protesters.")
    assert relevant_sentence("THE ARMY RECAPTURED THE TOWN.")
    assert not relevant_sentence("The central bank cut interest rates.")


def test_rough_sentences_offsets() -> None:
    text = "One. Two!  Three?\n\nFour"
    for s in rough_sentences(text):
        assert text[s.start : s.end] == s.text


@given(st.text(max_size=400))
def test_masking_preserves_length_and_kept_characters(text: str) -> None:
    masked = masked_text(text)
    assert len(masked) == len(text)
    for a, b in zip(text, masked, strict=True):
        assert b == a or (b == " " and a != "\n")


def test_rough_sentences_do_not_end_at_initials_acronyms_or_titles() -> None:
    text = (
        "NINE U.S. SOLDIERS WERE WOUNDED WHEN A BOMB EXPLODED.  MR. J. LOPEZ OF GEN. RIOS'S STAFF SAID "
        "THE ATTACK TOOK PLACE ON DEC. 3.  NOBODY WAS ARRESTED. THESE U.S.\n\nOFFICIALS LEFT."
    )
    assert [s.text for s in rough_sentences(text)] == [
        "NINE U.S. SOLDIERS WERE WOUNDED WHEN A BOMB EXPLODED.",
        "MR. J. LOPEZ OF GEN. RIOS'S STAFF SAID THE ATTACK TOOK PLACE ON DEC. 3.",
        "NOBODY WAS ARRESTED.",
        "THESE U.S.",  # a blank line always ends a sentence
        "OFFICIALS LEFT.",
    ]
