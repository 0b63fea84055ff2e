"""The geocoder stage: give every event mention the place where it happened.

For each mention the place is, in order: the coder's ``location_span`` / ``location_text``; the
best place name in the evidence sentence (the one attached to the event — "in/near/outside X" —
not a visiting leader's destination or a possessive "Iraq's"); the neighbouring sentences; the
article's dominant place (dateline included); and finally the article's main country at
precision 3. Never a made-up town.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventlens.geo.countries import Countries
from eventlens.geo.index import GeoRecord
from eventlens.geo.normalize import name_key
from eventlens.geo.resolve import DocContext, Resolved, Resolver
from eventlens.geo.ruler import add_ruler
from eventlens.geo.toponyms import Toponym, ToponymKeys, find_toponyms, locative_runs
from eventlens.model import EventMention, Place

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.nlp import ParsedArticle

__all__ = ["Geocoder"]

log = logging.getLogger(__name__)

_TOWN = frozenset({"PPL", "PPLC", "NBHD", "AIRB", "CAMP", "CRSG", "FAC"})
_GRAN = {"PCL": 0.0, "ADM1": 1.0, "RGN": 1.0, "ADM2": 2.0, "AREA": 2.0}
_LOCATIVE = re.compile(r"\b(in|near|outside|at|around|across|inside|within|into|on|towards?|between|"
                       r"outskirts of|of|from)\s+(the\s+)?$", re.I)
_AWAY = re.compile(r"\b(visit(s|ed|ing)?( to)?|trip to|travel(l?ed|s|ling)? to|flew to|returned to|"
                   r"(go|goes|going|went|head(s|ed|ing)?) to|"
                   r"arrived in|envoy to|ambassador to|based in|headquartered in|talks in|"
                   r"summit in|conference in|fled to)\s+(the\s+)?$", re.I)
_NEAR = re.compile(r"\b(near|outside|outskirts of|close to|vicinity of|(north|south|east|west|northeast|"
                   r"northwest|southeast|southwest)(ern)?( of)?|km from|kilometres from|kilometers from|"
                   r"miles from|around|countryside of|rural|surroundings of)\s+(the\s+)?$", re.I)
_PLACE_NOUNS = frozenset(
    "province governorate region state oblast district county township territory city town village camp "
    "area countryside outskirts suburb suburbs neighbourhood neighborhood valley crossing border front "
    "municipality locality lga division home house residence office headquarters base airport hospital "
    "market mosque church school university prison checkpoint street road highway bridge port".split()
)
_POSSESSIVE = re.compile(r"['’]s?$")
_SPLIT = re.compile(r"\s*,\s*|['’]s\s+")
_KIND_AFTER = re.compile(
    r"^\s+(province|governorate|region|state|oblast|district|county|township|territory)\b", re.I
)
_NEAR_AFTER = re.compile(
    r"^\s*('s)?\s*(district|countryside|outskirts|suburbs?|area|region|environs)\b", re.I
)


@dataclass(frozen=True, slots=True)
class _Choice:
    resolved: Resolved
    toponym: Toponym | None
    how: str
    score: float = 0.0


class Geocoder:
    """Resolves event locations against the built-in and (optionally) a village-level index."""

    def __init__(self, resolver: Resolver, countries: Countries, keys: ToponymKeys) -> None:
        self.resolver = resolver
        self.countries = countries
        self.keys = keys

    def add_toponym_ruler(self, nlp: Language) -> None:
        """Add the gazetteer-fed toponym component to a spaCy pipeline (after "ner")."""
        add_ruler(nlp, self.keys)

    def locate(self, parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
        """The mentions with ``coding.place`` filled (None only when the article names no place)."""
        if not mentions:
            return []
        article = _ArticlePlaces(self, parsed)
        out = []
        for mention in mentions:
            choice = article.choose(mention)
            place = self._place(choice, parsed.article.text) if choice else None
            out.append(replace(mention, coding=replace(mention.coding, place=place)))
        return out

    def _surface_name(self, rec: GeoRecord, choice: _Choice) -> str:
        """The gazetteer name, or the article's spelling when it is an exact alias ("Basra" for Basrah)."""
        top = choice.toponym
        if top is None or choice.resolved.fuzzy or choice.how == "country":
            return rec.name
        surface = (choice.resolved.text or top.text).strip()
        if surface.isupper():
            surface = surface.title()
        if not surface[:1].isupper() or name_key(surface) == name_key(rec.name):
            return rec.name
        records, fuzzy = self.resolver.candidates(surface)
        return surface if not fuzzy and any(r.gid == rec.gid for r in records) else rec.name

    def _place(self, choice: _Choice, text: str) -> Place:
        rec = choice.resolved.record
        country = self.countries.get(rec.cc)
        country_name = country.name if country else rec.cc
        if rec.feature == "PCL":
            location = country_name
        elif rec.feature == "ADM1":
            location = rec.admin1 or rec.name
        else:
            location = self._surface_name(rec, choice)
        return Place(
            location=location, country=country_name, iso3=country.iso3 if country else None,
            admin1=rec.admin1 if rec.feature != "PCL" else None, admin2=rec.admin2,
            latitude=rec.lat, longitude=rec.lon, geo_precision=_precision(choice, text),
            feature=rec.feature, gazetteer_id=rec.gid,
        )


def _rank(feature: str) -> float:
    return 3.0 if feature in _TOWN else _GRAN.get(feature, 1.0)


def _precision(choice: _Choice, text: str) -> int:
    rec = choice.resolved.record
    if rec.feature in ("PCL", "ADM1", "RGN"):
        return 3
    if rec.feature in ("ADM2", "AREA") or choice.resolved.kind == "district":
        return 2
    top = choice.toponym
    if top is not None and (_NEAR.search(text[max(0, top.start - 40) : top.start])
                            or _NEAR_AFTER.match(text[top.end : top.end + 20])):
        return 2
    return 1


class _ArticlePlaces:
    """Per-article state: toponyms, document context, resolutions and the dominant place."""

    def __init__(self, geocoder: Geocoder, parsed: ParsedArticle) -> None:
        self.geo = geocoder
        self.parsed = parsed
        self.text = parsed.article.text
        _, found = find_toponyms(parsed.doc, geocoder.keys)
        extra = locative_runs(parsed.doc, found)
        self.toponyms = sorted([*found, *extra], key=lambda t: t.start)
        self.ctx = self._initial_context()
        self.cache: dict[str, Resolved | None] = {}
        self.queries = [self._query(t) for t in self.toponyms]
        self.strict = {self._query(t) for t in self.toponyms if t.label == "LOCATIVE"}
        alone = {q: geocoder.resolver.resolve(q, DocContext(), q not in self.strict)
                 for q in set(self.queries)}
        for query in self.queries:
            res = alone[query]
            if res is not None and not res.fuzzy and (res.countries == 1 or res.kind == "region"):
                self.ctx.add(res.record, 0.5)
        self.resolved = [self.resolve(q) for q in self.queries]
        self.dominant = self._dominant()

    def _query(self, top: Toponym) -> str:
        """The toponym's text, plus a following "province" / "district" word that says its kind."""
        after = _KIND_AFTER.match(self.text[top.end : top.end + 16])
        text = _POSSESSIVE.sub("", top.text)
        return f"{text} {after.group(1)}" if after else text

    def _initial_context(self) -> DocContext:
        ctx = DocContext()
        for ent in self.parsed.doc.ents:
            if ent.label_ in ("NORP", "GPE"):
                cc = self.geo.countries.demonym(ent.text)
                if cc:
                    ctx.add_country(cc, 1.0)
        for text in {t.text for t in self.toponyms if t.label != "LOCATIVE"}:
            records, fuzzy = self.geo.resolver.candidates(text)
            countries = [r for r in records if r.feature == "PCL"]
            if countries and not fuzzy:
                ctx.add_country(countries[0].cc, 2.0 * sum(t.text == text for t in self.toponyms))
        return ctx

    def resolve(self, text: str) -> Resolved | None:
        if text not in self.cache:
            res = self.geo.resolver.resolve(text, self.ctx, text not in self.strict)
            if res is None and _SPLIT.search(text):
                parts = [self.geo.resolver.resolve(p, self.ctx) for p in _SPLIT.split(text) if p.strip()]
                found = [p for p in parts if p is not None]  # "Basra, Iraq" / "Jonglei's Pibor": finest
                res = max(found, key=lambda p: _rank(p.record.feature), default=None)
            self.cache[text] = res
        return self.cache[text]

    def _dominant(self) -> _Choice | None:
        counts: dict[str, float] = {}
        first: dict[str, tuple[Resolved, Toponym]] = {}
        for top, res in zip(self.toponyms, self.resolved, strict=True):
            if res is None or res.record.feature in ("PCL",) or res.fuzzy:
                continue
            gid = res.record.gid or str(res.record.id)
            weight = (1.5 if top.start < 120 else 1.0) * (0.5 + self.ctx.share(res.record.cc))
            counts[gid] = counts.get(gid, 0.0) + weight * (0.5 if res.record.is_admin else 1.0)
            first.setdefault(gid, (res, top))
        if not counts:
            return None
        gid = max(counts, key=lambda g: (counts[g], -first[g][1].start))
        return _Choice(first[gid][0], first[gid][1], "article")

    def choose(self, mention: EventMention) -> _Choice | None:
        hinted = self._from_hint(mention)
        if hinted is not None:
            return hinted
        start, end = self._sentence_bounds(mention)
        best = self._best_in(start, end, mention)
        if best is None:
            for s, e in self._neighbours(mention):
                best = self._best_in(s, e, mention, town_only=True)
                if best is not None:
                    break
        if best is None:
            best = self.dominant
        return best or self._country()

    def _from_hint(self, mention: EventMention) -> _Choice | None:
        span = mention.location_span
        if span is not None:
            inside = [t for t, r in zip(self.toponyms, self.resolved, strict=True)
                      if r is not None and t.start < span.end and t.end > span.start]
            if inside:
                return self._pick(inside, mention, "hint")
            res = self.resolve(span.text)
            if res is not None:
                return _Choice(res, Toponym(span.text, span.start, span.end, "HINT"), "hint")
        text = mention.coding.location_text
        if text:
            res = self.resolve(text)
            if res is not None:
                at = self.text.find(text, mention.evidence.start)
                top = Toponym(text, at, at + len(text), "HINT") if at >= 0 else None
                return _Choice(res, top, "hint")
        return None

    def _sentence_bounds(self, mention: EventMention) -> tuple[int, int]:
        ev = mention.evidence
        for s in self.parsed.sentences:
            if s.start <= ev.start < s.end:
                return s.start, max(s.end, ev.end)
        return ev.start, ev.end

    def _neighbours(self, mention: EventMention) -> list[tuple[int, int]]:
        sents = self.parsed.sentences
        idx = next((i for i, s in enumerate(sents) if s.start <= mention.evidence.start < s.end), None)
        if idx is None:
            return []
        return [(sents[i].start, sents[i].end) for i in (idx - 1, idx + 1) if 0 <= i < len(sents)]

    def _best_in(
        self, start: int, end: int, mention: EventMention, town_only: bool = False
    ) -> _Choice | None:
        inside = [t for t, r in zip(self.toponyms, self.resolved, strict=True)
                  if r is not None and start <= t.start < end
                  and (not town_only or (r.record.feature not in ("PCL",) and not r.fuzzy))]
        if not inside:
            return None
        choice = self._pick(inside, mention, "sentence")
        return choice if choice.score >= 0 else None

    def _pick(self, tops: list[Toponym], mention: EventMention, how: str) -> _Choice:
        scored = []
        for top in tops:
            res = self.resolved[self.toponyms.index(top)]
            assert res is not None
            scored.append((self._attachment(top, res, mention), top, res))
        score, top, res = max(scored, key=lambda s: s[0])
        return _Choice(res, top, how, score)

    def _attachment(self, top: Toponym, res: Resolved, mention: EventMention) -> float:
        score = _rank(res.record.feature)
        before = self.text[max(0, top.start - 45) : top.start]
        if _AWAY.search(before):
            score -= 5.0
        elif _LOCATIVE.search(before):
            score += 2.0
        after = self.text[top.end : top.end + 8]
        if after.startswith(("'s", "’s", "-")):
            score -= 2.5
        elif self._is_modifier(top):
            score -= 1.5
        if res.fuzzy:
            score -= 1.0
        anchor = mention.trigger.start if mention.trigger else mention.evidence.start
        score -= min(1.5, abs(top.start - anchor) / 400.0)
        return score

    def _is_modifier(self, top: Toponym) -> bool:
        """True for a name used as a noun modifier ("US installations", "Basra police")."""
        span = self.parsed.doc.char_span(top.start, top.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        last = span[-1]
        head = last.head
        return (last.dep_ in ("compound", "amod", "nmod") and head.i > last.i and head.pos_ == "NOUN"
                and head.lower_ not in _PLACE_NOUNS)

    def _country(self) -> _Choice | None:
        cc = self.ctx.main_country()
        if cc is None:
            return None
        for ix in self.geo.resolver.indexes:
            rec = ix.country(cc)
            if rec is not None:
                return _Choice(Resolved(rec, 0.0, 0.0, False, None), None, "country")
        return None
