"""What an article says about where it is: the document context every toponym is resolved in.

Evidence, strongest first: the dateline ("BOGOTA, April 11 -" / "NASIRIYAH, Iraq -"), country
names, nationality adjectives ("Malian"), regions named as such ("Mopti region", "Texas"), and
places whose name exists in one country only. A place that merely shares its name with a town
abroad (Boni / Bonn) or a small town found only by a locative cue adds next to nothing, so a
capital of millions is not outvoted by an 8,000-person namesake.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from eventlens.geo.countries import CountryTable
from eventlens.geo.normalize import admin_key, name_key
from eventlens.geo.resolve import DocContext, Resolved, Resolver
from eventlens.geo.toponyms import Toponym

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ContextBuilder", "dateline_toponyms", "other_country"]

#: Where a dateline ends: a dash, an agency credit in brackets, or a date after the place names.
_DATELINE_END = re.compile(
    r"\s[-—–]{1,2}\s|\s\(|,?\s+(\d{1,2}\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
    re.I,
)
_DATELINE_MAX = 60
_IMPORTANT = 15_000


@dataclass(frozen=True, slots=True)
class _Weights:
    country: float = 2.0  # a country named in the text, per mention
    demonym: float = 1.0  # "Malian", "Iraqis"
    dateline: float = 2.0  # the dateline's country
    region: float = 1.0  # an admin1 named in the text ("Mopti region", "Texas")
    unique: float = 0.5  # an important place whose name exists in one country only
    weak: float = 0.15  # a small or alternate-name-only place
    other_country: float = 0.5  # a country named as a party, origin or target ("forces from Mauritania")


#: a country named as a party, an origin or a target, not as where something happens: "forces of X",
#: "troops from X", "affiliated to X", "blamed X", "the border with X", "X-led", "X-backed"
_OTHER_BEFORE = re.compile(
    r"\b((forces|troops|army|military|soldiers|government|embassy|ambassador|envoy|president|minister|"
    r"nationals|citizens|people|ally|allies|border|frontier|relations|talks|deal|agreement) (of|with)|"
    r"from|to|by|with|against|blamed?|blames|accus\w+|affiliated to|linked to|backed by|supported by)"
    r"\s+(the\s+)?$", re.I)
_OTHER_AFTER = re.compile(
    r"^(-?\s*(led|backed|based|linked|allied|supported|funded|made)\b|(['’]s)?\s+(special |armed |security )?"
    r"(troops|forces|army|military|soldiers|navy|air force|warplanes|jets|government|officials|embassy|"
    r"ambassador|envoy|president|king|queen|prime minister|leader)\b)", re.I)
#: a country's name followed by one of these names a place inside the text's country
_NAMES_A_PLACE = re.compile(
    r"^\s+(neighbou?rhood|street|avenue|road|square|plaza|boulevard|district|quarter|hospital|hotel|"
    r"school|university|stadium|bridge|park|market|mosque|church)\b", re.I)
_IN_BEFORE = re.compile(r"\b(in|inside|across|within|throughout|near|outside)\s+(the\s+)?$", re.I)


def other_country(text: str, top: Toponym) -> bool:
    """A country named as a party, origin or target rather than as where the event is."""
    before = text[max(0, top.start - 40) : top.start]
    return not _IN_BEFORE.search(before) and bool(
        _OTHER_BEFORE.search(before) or _OTHER_AFTER.match(text[top.end : top.end + 12]))


def dateline_toponyms(text: str, toponyms: Sequence[Toponym]) -> list[Toponym]:
    """The toponyms of an opening dateline ("BAMAKO, Mali —", "TAIZ, YEMEN, 12 MAY 2024 (...)")."""
    head = text[: _DATELINE_MAX + 40]
    stripped = len(head) - len(head.lstrip())
    end = _DATELINE_END.search(head, stripped)
    if end is None or end.start() - stripped > _DATELINE_MAX:
        return []
    inside = [t for t in toponyms if stripped <= t.start and t.end <= end.start()]
    if not inside or inside[0].start != stripped:
        return []
    between = [text[a.end : b.start] for a, b in pairwise(inside)]
    return inside if all(re.fullmatch(r"\s*,\s*", gap) for gap in between) else inside[:1]


class ContextBuilder:
    """Builds an article's :class:`DocContext` from its entities and toponyms."""

    def __init__(self, resolver: Resolver, countries: CountryTable) -> None:
        self.resolver = resolver
        self.countries = countries
        self.weights = _Weights()

    def build(self, doc: Doc, text: str, toponyms: Sequence[Toponym], queries: Sequence[str],
              strict: set[str]) -> tuple[DocContext, dict[str, Resolved | None]]:
        """The context and each query resolved on its own (no context)."""
        ctx = DocContext()
        w = self.weights
        seen: set[int] = set()
        for ent in doc.ents:  # a lone nationality word tagged as a person: "The Ugandan army"
            if ent.label_ in ("NORP", "GPE") or (ent.label_ == "PERSON" and len(ent) == 1):
                cc = self.countries.nationality(ent.text) if ent.label_ == "NORP" else \
                    self.countries.demonym(ent.text)
                if cc:
                    ctx.add_country(cc, w.demonym)
                    seen.update(range(ent.start, ent.end))
        for ent in doc.ents:  # a war's name says where the story is: "Iraq War: U.S. troops kill ..."
            if ent.label_ == "EVENT":
                for tok in ent:
                    cc = self._country_word(tok.text)
                    if cc:
                        ctx.add_country(cc, w.demonym)
                        seen.add(tok.i)
        for tok in doc:  # "the Palestinian health ministry", "a Malian army convoy" (inside ORG or untagged)
            if tok.i not in seen and tok.is_alpha and tok.text[:1].isupper() and tok.ent_type_ != "PERSON":
                cc = self.countries.demonym(tok.text)
                if cc:
                    ctx.add_country(cc, w.demonym)
        alone = {q: self.resolver.resolve(q, DocContext(), q not in strict) for q in set(queries)}
        for top, query in zip(toponyms, queries, strict=True):
            res = alone[query]
            if top.label == "LOCATIVE" or res is None or res.fuzzy:
                continue
            if res.record.feature == "PCL" and _NAMES_A_PLACE.match(text[top.end : top.end + 20]):
                continue  # "the America neighborhood", "Palestine Square": a place named after it
            if res.record.feature == "PCL":  # "affiliated to Israel", "blamed Russia" say less
                ctx.add_country(res.record.cc, w.other_country if other_country(text, top) else w.country)
            elif res.record.feature == "ADM1" and res.margin > 0:
                ctx.named_regions.add((res.record.cc, admin_key(res.record.admin1 or res.record.name)))
        self._dateline(ctx, text, toponyms, queries, alone)
        for query in queries:
            res = alone[query]
            if res is None or res.fuzzy or res.record.feature == "PCL":
                continue
            weight = self._support(res)
            if weight:
                ctx.add(res.record, weight)
                if res.record.lat is not None and res.record.lon is not None:
                    ctx.anchors.append((res.record.lat, res.record.lon))
        self._country_anchors(ctx)
        return ctx, alone

    def _country_word(self, word: str) -> str | None:
        """The country a capitalised word names or is the nationality of ("Iraq", "Libyan"), else None."""
        if not word[:1].isupper():
            return None
        cc = self.countries.nationality(word)
        if cc is None:
            found = self.resolver.candidates(word, exact=True)[0]
            cc = next((r.cc for r in found if r.feature == "PCL"), None)
        return cc

    def _country_anchors(self, ctx: DocContext) -> None:
        for cc, weight in ctx.countries.items():
            if weight < self.weights.demonym:
                continue
            rec = self.resolver.country(cc)
            if rec is not None and rec.lat is not None and rec.lon is not None:
                ctx.anchors.append((rec.lat, rec.lon))

    def _support(self, res: Resolved) -> float:
        """How much a place resolved on its own says about the article's country."""
        rec, w = res.record, self.weights
        exact = name_key(rec.name) == name_key(res.text) or res.kind == "region"
        if rec.feature == "ADM1" and (res.kind == "region" or res.countries == 1 or res.margin >= 3.0):
            return w.region if exact else w.weak
        if res.countries != 1 and res.kind != "region":
            return 0.0
        important = rec.population >= _IMPORTANT or rec.is_admin or (rec.gid or "").startswith("curated:")
        return w.unique if exact and important else w.weak

    def _dateline(self, ctx: DocContext, text: str, toponyms: Sequence[Toponym], queries: Sequence[str],
                  alone: dict[str, Resolved | None]) -> None:
        """The dateline's most general place ("Iraq" in "NASIRIYAH, Iraq") sets the main country."""
        line = dateline_toponyms(text, toponyms)
        for top in reversed(line):
            res = alone[queries[toponyms.index(top)]]
            if res is not None and not res.fuzzy:
                ctx.add_country(res.record.cc, self.weights.dateline)
                if res.record.admin1 and res.record.feature != "PCL":
                    ctx.regions.add((res.record.cc, res.record.admin1))
                return
