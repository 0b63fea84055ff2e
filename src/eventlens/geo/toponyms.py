"""Finding place names in a parsed article: spaCy's GPE/LOC/FAC entities plus gazetteer matches.

spaCy's small model often tags Middle-Eastern and African place names as PERSON or ORG
("Ain al-Asad", "Sanaa", "Khan Younis"). A gazetteer scan over capitalised proper-noun runs
finds them; an entity is overridden only when it is exactly the place name (a longer PERSON or
ORG — "Sanaa Mohammed", "Basra Oil Company" — is a person or organisation context and is kept),
and never after a personal title ("Mr", "President" ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.clean.case import UPPER_CASE_KEY, upper_case
from eventlens.geo.normalize import ARTICLES, name_key, word_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["PLACE_LABELS", "Toponym", "ToponymKeys", "find_toponyms", "locative_runs", "lowercase_start",
           "ruler_label", "shouting", "toponyms_of"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TITLES = frozenset(
    "mr mrs ms miss dr sir lord lady president minister general gen col colonel capt captain sgt "
    "sheikh sheik imam prince princess king queen judge senator rep governor gov mayor commander "
    "spokesman spokeswoman spokesperson journalist activist leader chief".split()
)
_STOP_KEYS = frozenset(
    "march may june july august april january february september october november december monday "
    "tuesday wednesday thursday friday saturday sunday god allah islam reuters police army state "
    "president minister un us eu isis islamic state hope victoria independence liberty union".split()
)
_CONNECTORS = frozenset({"-", "'s", "de", "del", "la", "le", "of", "du", "des", "ez", "es", "el"}) | ARTICLES
_MAX_TOKENS = 6
#: words that alone name no place ("IN THE NORTHERN OUTSKIRTS"), though a region may be so called
_DIRECTIONS = frozenset(
    "northern southern eastern western central northeastern northwestern southeastern southwestern".split()
)
_LOCATIVE_WORDS = frozenset(
    "in near outside around at into from towards toward inside across between".split()
)
_PLACE_OF = frozenset(
    "town village city district province region outskirts suburb suburbs area areas county camp countryside "
    "vicinity centre center heart edge north south east west northeast northwest southeast southwest "
    "residents people governor mayor streets port capital neighbourhood neighborhood municipality "
    "governorate districts villages towns parts part".split()
)
_TOWN_NOUNS = frozenset({"town", "city", "village", "hamlet"})
_ACRONYMS = frozenset({"us", "u s", "usa", "uk", "u k", "uae", "drc", "car"})
#: news agencies credited in brackets after a dateline ("KANDAHAR (Xinhua) --"); some are also town names
_AGENCIES = frozenset(
    "xinhua reuters afp ap upi efe ansa tass irna sana kuna wam spa mena apa pti ians bernama yonhap kyodo "
    "anadolu dpa ips nna qna petra bna aa ani".split())
_REPORTING = frozenset(
    "said says say told added noted confirmed assured asked explained stated argued insisted warned claimed "
    "denied wrote tweeted urged replied responded recalled admitted".split()
)
_DATELINE_MARKS = frozenset({",", "-", "--", "—", "–", "("})
_KIND_WORDS = frozenset(
    "province governorate state region oblast department township mountains mountain hills hill desert "
    "plain plains river lake island islands coast border borders frontier strip valley crossing checkpoint "
    "front frontline road highway junction bridge square neighbourhood quarter".split()
)
_NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


@dataclass(frozen=True, slots=True)
class ToponymKeys:
    """Normalised names the toponym scan knows → entity label; ``major`` ones (big towns, capitals,
    regions, countries, curated places) may be tagged without a locative cue."""

    keys: Mapping[str, str]
    major: frozenset[str] = frozenset()
    #: English words (the spaCy pipeline's lemmatizer dictionary): in upper-case copy, where case
    #: says nothing, one of them alone is no place unless a big one ("FROM THE TIME", "AT THE BORDER")
    common: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place-name occurrence: character offsets into the article text."""

    text: str
    start: int
    end: int
    label: str


def ruler_label(feature: str) -> str:
    if feature in ("AIRB", "CAMP", "CRSG", "FAC"):
        return "FAC"
    return "LOC" if feature in ("AREA", "RGN") else "GPE"


def _is_cap(tok: object) -> bool:
    text: str = tok.text  # type: ignore[attr-defined]
    return text[:1].isupper() and text[:1].isalpha()


def _gazetteer_matches(doc: Doc, keys: Mapping[str, str], loud: bool = False,
                       major: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start token, end token, label) of the longest known names starting at capitalised tokens.

    A name may run on over lower-case words ("Jenin camp", "Zaporizhzhia nuclear power plant")
    but the whole run must then be a known name. A sentence's first word, which the tagger often
    calls a noun ("Bahrain police fire tear gas"), counts when it is a major place (country, region,
    big town).
    """
    out: list[tuple[int, int, str]] = []
    seen: dict[str, str] = {}
    words = [seen.get(t.text) or seen.setdefault(t.text, word_key(t.text)) for t in doc]

    def key_at(a: int, b: int) -> str:
        return " ".join(w for w in words[a:b] if w)

    i, n = 0, len(doc)
    while i < n:
        if not _is_cap(doc[i]):
            i += 1
            continue
        best: tuple[int, str] | None = None
        for j in range(i + 1, min(n, i + _MAX_TOKENS) + 1):
            last = doc[j - 1]
            if last.is_punct and last.text not in ("-", "'"):
                break
            key = " ".join(w for w in words[i:j] if w)
            ends_well = j - 1 == i or (last.text[:1].isalnum() and last.lower_ not in _CONNECTORS)
            if key in keys and key not in _STOP_KEYS and ends_well:
                best = (j, keys[key])
        if best is None:
            i += 1
            continue
        opening_major = best[0] - i == 1 and doc[i].is_sent_start and key_at(i, best[0]) in major
        if loud or opening_major or all(
                t.pos_ == "PROPN" or not t.text[:1].isupper() or t.lower_ in _CONNECTORS
                or (not t.is_sent_start and t.pos_ not in ("NOUN", "ADJ", "VERB")) for t in doc[i : best[0]]):
            out.append((i, best[0], best[1]))
        i = best[0]
    return out


def _person_context(doc: Doc, ents: list[Span], start: int, end: int, surnames: set[str]) -> bool:
    """A title before, a reporting verb after, a known person's name in this article, or a longer
    person / organisation / work name around the match."""
    if start > 0 and doc[start - 1].lower_.rstrip(".") in _TITLES:
        return True
    if end < len(doc) and doc[end].lower_ in _REPORTING:
        return True
    if end - start == 1 and doc[start].lower_ in surnames:
        return True
    for ent in ents:
        if ent.end <= start or ent.start >= end:
            continue
        extra = [t for t in (*doc[ent.start : start], *doc[end : ent.end]) if t.lower_ not in _CONNECTORS]
        longer = bool(extra)
        if longer and ent.label_ in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT"):
            return True
    return False


def _inside_longer_name(doc: Doc, start: int, end: int, places: set[int]) -> bool:
    """"Boston Marathon", "Hugo Chavez", "(Xinhua)": the match is part of a longer proper name. A
    name in brackets right after a place is that place's region ("Bama (Borno)"), unless an agency."""
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if before is not None and after is not None and before.text == "(" and after.text == ")":
        return not _after_place(doc, start - 1, places) or doc[start:end].text.lower() in _AGENCIES
    cap_before = before is not None and before.pos_ == "PROPN" and _is_cap(before)
    cap_after = after is not None and after.pos_ == "PROPN" and _is_cap(after)
    return (cap_before and before is not None and not before.is_sent_start) or cap_after


def _after_place(doc: Doc, i: int, places: set[int]) -> bool:
    """Token ``i - 1`` ends a place: a place entity, or a capitalised name after "in" / "near"
    ("near Tal Tamr (Al-Hasakeh)")."""
    if i < 1:
        return False
    if i - 1 in places:
        return True
    start = i - 1
    while start >= 0 and doc[start].pos_ == "PROPN" and _is_cap(doc[start]) and i - start <= 4:
        start -= 1
    return start < i - 1 and _after_locative(doc, start + 1)


def _cued(doc: Doc, start: int, end: int, places: set[int]) -> bool:
    """A locative cue: "in / near / city of X", "X province", "X, Iraq", "Gaza and X"."""
    if _after_locative(doc, start):
        return True
    if start > 1 and doc[start - 1].lower_ in ("and", "or", ",") and start - 2 in places:
        return True
    if end < len(doc) and doc[end].lower_ in _PLACE_OF | {"province", "governorate", "state", "region"}:
        return True
    return end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "GPE"


def _acceptable(doc: Doc, start: int, end: int, key: str, keys: ToponymKeys, places: set[int],
                loud: bool) -> bool:
    span = doc[start:end]
    dateline = _line_start(doc, start) and end < len(doc) and doc[end].text in _DATELINE_MARKS
    if loud:  # upper-case copy: a cue ("IN KABUL", "EDGE OF SANAA", "SANAA, YEMEN") or the dateline
        if all(_plain_word(t, loud) for t in span) or _loud_word(span, keys):
            return False
        return _cued(doc, start, end, places) or dateline
    if span.text.replace(".", "").isupper() and len(span.text) <= 5 and key not in _ACRONYMS:
        return dateline  # "IDLIB, Syria —" but not "UNHCR"
    if end - start == 1 and (doc[start].is_stop or (doc[start].is_sent_start and key not in keys.major)):
        return False
    if _inside_longer_name(doc, start, end, places):
        return False
    return key in keys.major or _cued(doc, start, end, places)


def find_toponyms(doc: Doc, keys: ToponymKeys) -> tuple[list[Span], list[Toponym]]:
    """Entity list with gazetteer place names merged in, and every toponym in the document."""
    from spacy.tokens import Span as SpanType

    # a name that runs into an open bracket is the tagger's mistake ("Tal Afar (Nineveh" as FAC):
    # the name ends before it, and the bracket may name its region
    ents = [e for e in (_before_bracket(e, SpanType) for e in doc.ents) if e is not None]
    original = list(ents)
    surnames = {t.lower_ for e in original if e.label_ == "PERSON" and len(e) > 1 for t in e[1:]}
    places = {i for e in original if e.label_ in PLACE_LABELS for i in range(e.start, e.end)}
    loud = shouting(doc)
    for start, end, label in _gazetteer_matches(doc, keys.keys, loud, keys.major):
        key = name_key(doc[start:end].text)
        if _person_context(doc, original, start, end, surnames):
            continue
        if not _acceptable(doc, start, end, key, keys, places, loud):
            continue
        overlapping = [e for e in ents if e.start < end and e.end > start]
        if any(e.label_ in PLACE_LABELS and (e.start < start or e.end > end or e.end - e.start == end - start)
               for e in overlapping):
            continue
        ents = [e for e in ents if e not in overlapping]
        ents.append(SpanType(doc, start, end, label=label))
        places.update(range(start, end))
    if loud:
        ents = [e for e in ents if not _stray_word(e, keys)]
    ents.sort(key=lambda e: e.start)
    return ents, toponyms_of(doc, ents, loud)


def _before_bracket(ent: Span, span_type: type[Span]) -> Span | None:
    """``ent`` up to an unclosed bracket inside it (None if it opens with one), else ``ent``."""
    if ent.text.count("(") == ent.text.count(")"):
        return ent
    cut = next((t.i for t in ent if t.text == "("), None)  # not a bracket inside a word: "Watch(Scottish"
    if cut is None:
        return ent
    return span_type(ent.doc, ent.start, cut, label=ent.label_) if cut > ent.start else None


def _stray_word(ent: Span, keys: ToponymKeys) -> bool:
    """In upper-case copy spaCy tags plain words as places ("FROM THE TIME THEY WERE CAPTURED",
    "IN THE NORTHERN OUTSKIRTS"): a one-word place there is no direction or English word, unless
    a big place so named. (Short and stop words stay entities; the geocoder skips them.)"""
    return ent.label_ in PLACE_LABELS and _loud_word(ent, keys)


def _loud_word(span: Span, keys: ToponymKeys) -> bool:
    """One direction or English word in upper-case copy, and no country, region or big town."""
    if len(span) != 1:
        return False
    low = span[0].lower_
    word = low in keys.common or (low.endswith("s") and low[:-1] in keys.common)  # "CARS"
    return low in _DIRECTIONS or (word and name_key(span.text) not in keys.major)


def toponyms_of(doc: Doc, ents: Sequence[Span], loud: bool | None = None) -> list[Toponym]:
    """The place entities (after the toponym ruler) as toponyms, minus lower-case common nouns
    ("new county") and, in upper-case copy, plain words."""
    loud = shouting(doc) if loud is None else loud
    return [Toponym(e.text, e.start_char, e.end_char, e.label_) for e in ents
            if e.label_ in PLACE_LABELS and not lowercase_start(e.text)
            and not (loud and all(_plain_word(t, loud) for t in e))]


def _line_start(doc: Doc, i: int) -> bool:
    """The token opens the text or a line (where a dateline stands)."""
    return i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space

def _after_locative(doc: Doc, i: int) -> bool:
    if i == 0:
        return False
    prev = doc[i - 1].lower_
    if prev == "the" and i > 1:
        prev = doc[i - 2].lower_
    if prev in _LOCATIVE_WORDS:
        return True
    return _after_place_noun(doc, i)


def _after_place_noun(doc: Doc, i: int) -> bool:
    """Right after "the city of" / "the border town": the tagger's part of speech matters less there
    ("the southern Yemeni city of Lawdar", "the strategic border town Yabrud")."""
    prev = doc[i - 1].lower_ if i else ""
    if prev in _TOWN_NOUNS and doc[i - 1].text.islower():
        return True
    return prev == "of" and i > 1 and doc[i - 2].lower_ in _PLACE_OF


def shouting(doc: Doc) -> bool:
    """True for upper-case copy ("SEVEN FIGHTERS WERE KILLED ..."), where case says nothing: the
    article's flag from cleaning (left on the Doc by parsing); a Doc made elsewhere is decided
    the same way from its text."""
    flag = doc.user_data.get(UPPER_CASE_KEY)
    return flag if isinstance(flag, bool) else upper_case(doc.text)


def _plain_word(tok: Token, loud: bool) -> bool:
    """A word that is no place name in upper-case copy: "OF", "HE", "NEAR", "CLASHES"."""
    if not loud:
        return False
    return tok.is_stop or len(tok.text) < 3 or tok.lower_ in _LOCATIVE_WORDS or tok.lower_ in _PLACE_OF


def _continues_run(doc: Doc, j: int, loud: bool) -> bool:
    if _plain_word(doc[j], loud):
        return False
    if doc[j].pos_ == "PROPN" and _is_cap(doc[j]):
        return True
    return doc[j].lower_ in _CONNECTORS and j + 1 < len(doc) and _is_cap(doc[j + 1])


def _modifies_noun(doc: Doc, j: int) -> bool:
    """"the Congress building", "the Interior ministry": a name before a common noun it modifies."""
    if j >= len(doc):
        return False
    nxt = doc[j]
    modifier = nxt.pos_ == "NOUN" or (doc[j - 1].dep_ == "compound" and doc[j - 1].head.i == j)
    return modifier and nxt.text.islower() and nxt.lower_ not in _PLACE_OF and nxt.lower_ not in _KIND_WORDS


def lowercase_start(text: str) -> bool:
    """"new county", "the north": a spaCy place entity that starts with a plain lower-case word."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return first.isalpha() and first.islower() and first not in ARTICLES and first != "the"


def locative_runs(doc: Doc, taken: list[Toponym], keys: ToponymKeys | None = None) -> list[Toponym]:
    """Capitalised proper-noun runs right after "in / near / village of ..." that no place entity
    covers: candidates for a village-level lookup (spaCy often calls villages PERSON or nothing)."""
    covered = {i for t in taken for i in range(t.start, t.end)}
    banned = {i for e in doc.ents if e.label_ in _NOT_PLACE_LABELS for i in range(e.start, e.end)}
    loud = shouting(doc)
    out: list[Toponym] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        proper = tok.pos_ == "PROPN" or (_after_place_noun(doc, i) and not tok.is_stop)
        if not (_is_cap(tok) and proper and _after_locative(doc, i)) or tok.idx in covered \
                or i in banned or _plain_word(tok, loud):
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 4 and _continues_run(doc, j, loud):
            j += 1
        span = doc[i:j]
        plain = loud and keys is not None and _loud_word(span, keys)  # "IN THE WAR", "AT THE TURN"
        if name_key(span.text) not in _STOP_KEYS and not _modifies_noun(doc, j) and not plain:
            out.append(Toponym(span.text, span.start_char, span.end_char, "LOCATIVE"))
        i = j
    return out
