"""A faster drop-in for spaCy's ``attribute_ruler`` with identical token attributes.

``en_core_web_sm``'s attribute ruler maps fine-grained tags (plus a few words and dependency
labels) to POS, morphology and lemma exceptions with 179 Matcher patterns; the Matcher walks all of
them over every token and costs about a tenth of the whole parse. Nearly all those patterns match
one token on TAG, LOWER, DEP and IS_SPACE alone, so their combined effect on a token is a function
of those four values: :class:`FastAttributeRuler` computes it once per distinct combination (words
that no pattern names share one key), and writes the columns back in one ``Doc.from_array`` call.
Multi-token patterns and any operator it does not know run through a Matcher of their own, and a
token they touch gets every match applied in rule order, as spaCy does, so the result is the same.

``tests/test_fast_ruler.py`` checks token-for-token identity against spaCy's component.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from eventlens.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

__all__ = ["FastAttributeRuler", "use_fast_attribute_ruler"]

_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: a word no pattern names: every test on LOWER of it fails except NOT_IN
_OTHER = None
_MAX_MEMO = 500_000

Test = Callable[[Any], bool]


def _value_test(spec: object) -> tuple[Test, set[str], list[re.Pattern[str]]] | None:
    """A test for one attribute value, the strings it names and its regexes; None if unknown."""
    if isinstance(spec, (str, bool)):
        return (lambda v, s=spec: v == s), ({spec} if isinstance(spec, str) else set()), []
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            values = frozenset(arg)
            if op == "IN":
                return (lambda v: v in values), set(values), []
            return (lambda v: v not in values), set(values), []
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return (lambda v: v is not None and rx.search(v) is not None), set(), [rx]
    return None


class FastAttributeRuler:
    """Applies an :class:`AttributeRuler`'s patterns with the same result, faster."""

    def __init__(self, ruler: AttributeRuler) -> None:
        from spacy.matcher import Matcher

        self.vocab = ruler.vocab
        self._attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self._indices: list[int] = list(ruler.indices)
        # per single-token rule: (rule id, [alternative: [(field position, test)]])
        self._single: list[tuple[int, list[list[tuple[int, Test]]]]] = []
        self._words: set[str] = set()
        self._word_rx: list[re.Pattern[str]] = []
        self._rest = Matcher(self.vocab)
        for rule_id, entry in enumerate(ruler.patterns):
            patterns: Any = entry["patterns"]
            alternatives = self._compile(patterns)
            if alternatives is None:
                self._rest.add(str(rule_id), patterns)
            else:
                self._single.append((rule_id, alternatives))
        self._memo: dict[tuple[int, int, int, int], tuple[tuple[int, ...], dict[Any, Any]]] = {}
        self._word_memo: dict[int, int] = {}

    def _compile(self, patterns: Iterable[list[dict[str, Any]]]) -> list[list[tuple[int, Test]]] | None:
        out = []
        for pattern in patterns:
            if len(pattern) != 1 or not set(pattern[0]) <= set(_FIELDS):
                return None
            tests = []
            for field, spec in pattern[0].items():
                compiled = _value_test(spec)
                if compiled is None:
                    return None
                test, names, regexes = compiled
                if field == "LOWER":
                    self._words |= names
                    self._word_rx += regexes
                tests.append((_FIELDS.index(field), test))
            out.append(tests)
        return out

    def _word_key(self, lower: int) -> int:
        """``lower`` itself when a pattern can tell it apart from other words, else -1."""
        key = self._word_memo.get(lower)
        if key is None:
            word = self.vocab.strings[lower]
            named = word in self._words or any(rx.search(word) for rx in self._word_rx)
            key = lower if named else -1
            if len(self._word_memo) > _MAX_MEMO:
                self._word_memo.clear()
            self._word_memo[lower] = key
        return key

    def _rules_for(self, key: tuple[int, int, int, int]) -> tuple[tuple[int, ...], dict[Any, Any]]:
        """The single-token rules a token with these values matches, and their merged attrs."""
        hit = self._memo.get(key)
        if hit is None:
            strings = self.vocab.strings
            tag, lower, dep, space = key
            values = (strings[tag], _OTHER if lower == -1 else strings[lower], strings[dep], bool(space))
            rules = tuple(
                rule_id
                for rule_id, alternatives in self._single
                if any(all(test(values[pos]) for pos, test in alt) for alt in alternatives)
            )
            merged: dict[Any, Any] = {}
            for rule_id in rules:
                merged.update(self._attrs[rule_id])
            hit = (rules, merged)
            if len(self._memo) > _MAX_MEMO:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        # Every match is found on the attributes as they were before any rule applied.
        late: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in self._rest(doc, allow_missing=True):
            rule_id = int(self.vocab.strings[match_id])
            token = Span(doc, start, end)[self._indices[rule_id]]
            late.setdefault(token.i, []).append((rule_id, rule_id))
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        plans: list[dict[Any, Any]] = []
        for i, (tag, lower, dep, space) in enumerate(rows):
            rules, merged = self._rules_for((tag, self._word_key(lower), dep, space))
            if i in late:
                late[i] += [(rule_id, -1) for rule_id in rules]
                plans.append({})
            else:
                plans.append(merged)
        columns = sorted({attr for merged in plans for attr in merged})
        if columns:
            table: Any = doc.to_array(columns)
            where = {attr: n for n, attr in enumerate(columns)}
            for i, merged in enumerate(plans):
                for attr, value in merged.items():
                    table[i, where[attr]] = value
            doc.from_array(columns, table)
        for i, matches in late.items():
            for rule_id, _ in sorted(matches):
                set_token_attrs(doc[i], self._attrs[rule_id])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def use_fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap ``nlp``'s attribute ruler for a :class:`FastAttributeRuler` built from its patterns."""
    from spacy.pipeline import AttributeRuler

    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler):
        raise ModelError(f"pipeline component {name!r} is not a spaCy AttributeRuler")
    fast = FastAttributeRuler(ruler)
    # Language has no public way to swap a live component for an unregistered one.
    components: list[tuple[str, Any]] = nlp._components
    components[[n for n, _ in components].index(name)] = (name, fast)
