"""The geocoder stage: give every event mention the place where it happened.

For each mention the place is, in order: the coder's ``location_span`` / ``location_text``; the
best place name in the evidence sentence (the one attached to the event — "in/near/outside X" —
not a visiting leader's destination or a possessive "Iraq's"); the neighbouring sentences; the
article's dominant place (dateline included); and finally the article's main country at
precision 3. Never a made-up town.

Every name is read against the rest of the text (issue 19): an admin1 the text names ("Znamenskoye,
Chechnya") picks the town among its namesakes; a country or region chosen in a sentence gives way to a
town of it named there ("in three Buenos Aires banks in Argentina"); a country named as a party, origin
or target ("forces from X", "X troops", "affiliated to X", "X-led") is neither the place nor much of
a hint; namesakes abroad lose to the country the text is about. ``Place.geo_reason`` says which rule
chose the place (see ``_Choice.how``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventlens.geo.attach import attachment, is_source, precision, rank
from eventlens.geo.context import ContextBuilder, dateline_toponyms, other_country
from eventlens.geo.countries import CountryTable
from eventlens.geo.index import GeoRecord
from eventlens.geo.normalize import admin_key, name_key
from eventlens.geo.resolve import DocContext, Resolved, Resolver
from eventlens.geo.ruler import COMPONENT, add_ruler, english_words
from eventlens.geo.toponyms import Toponym, ToponymKeys, find_toponyms, locative_runs, toponyms_of
from eventlens.model import EventMention, Place

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.nlp.parser import ParsedArticle

__all__ = ["Geocoder"]

log = logging.getLogger(__name__)

_COMMA = re.compile(r"\s*,\s*")
#: a place's admin units in brackets right after it, as coders write them: "Baga (Kukawa, Borno)"
_BRACKET = re.compile(r"\s*\(([^()]{2,80})\)")
_CAP_AFTER = re.compile(r"[ \t]+[A-Z]")  # "Sanaa Mohammed": part of a longer name
_CAP_BEFORE = re.compile(r"\b[A-Z][\w.]*[ \t]+$")
#: characters before a name that _CAP_BEFORE reads (not the whole text before it, once per mention)
_LOOKBACK = 400
#: a named spot inside a town ("Bolivar Square", "al-Hawban crossing"): its town, not its region
_FACILITY = re.compile(
    r"\b(square|street|road|avenue|highway|crossing|bridge|roundabout|junction|hospital|building|market|"
    r"university|school|mosque|church|airport|stadium|park|palace|ministry|parliament|prison|station|"
    r"district|neighbou?rhood|quarter|camp|base|checkpoint)s?\b", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")
_SPLIT = re.compile(r"\s*,\s*|['’]s\s+")
_KIND_AFTER = re.compile(
    r"^\s+(province|governorate|region|state|oblast|district|county|township|territory)\b", re.I
)
#: the tagger splits "the Eastern Democratic Republic of the Congo" before "Congo"
_DRC_BEFORE = re.compile(r"\bdemocratic\s+republic\s+of\s+(the\s+)?$", re.I)
_HINT = "coder-location"
_COUNTRY = "article-country"
_OTHER_COUNTRY = 4.0  # "forces from Mauritania ... in Mali": the party's country is not the place


def _notable(rec: GeoRecord) -> bool:
    """A place a text might mean without saying its country: a country, region, capital or city."""
    return rec.is_admin or rec.feature in ("PCL", "PPLC") or rec.population >= 50_000


def _inside(town: GeoRecord, area: GeoRecord) -> bool:
    """A populated place (not an admin unit) of ``area``'s country, and of its admin1 when ``area`` is one."""
    if town.is_admin or town.feature == "RGN" or town.cc != area.cc:
        return False
    return area.feature == "PCL" or (bool(town.admin1) and town.admin1 == (area.admin1 or area.name))


@dataclass(frozen=True, slots=True)
class _Choice:
    resolved: Resolved
    toponym: Toponym | None
    #: why this place, as Place.geo_reason says it: coder-location (the coder's location words),
    #: event-sentence, town-in-named-region (a town of the country / region the sentence names),
    #: nearby-sentence, article-main-place, article-region, article-country
    how: str
    score: float = 0.0


class Geocoder:
    """Resolves event locations against the built-in and (optionally) a village-level index."""

    def __init__(self, resolver: Resolver, countries: CountryTable, keys: ToponymKeys) -> None:
        self.resolver = resolver
        self.countries = countries
        self.keys = keys

    def add_toponym_ruler(self, nlp: Language) -> None:
        """Add the gazetteer-fed toponym component to a spaCy pipeline (after "ner"); the
        pipeline's English words then tell plain words from places in upper-case copy."""
        self.keys = replace(self.keys, common=english_words(nlp))
        add_ruler(nlp, self.keys)

    def locate(self, parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
        """The mentions with ``coding.place`` filled (None only when the article names no place)."""
        if not mentions:
            return []
        article = _ArticlePlaces(self, parsed)
        out = []
        for mention in mentions:
            choice = article.choose(mention)
            place = self._place(choice, parsed.article.text, article.named_region(choice)) if choice else None
            out.append(replace(mention, coding=replace(mention.coding, place=place)))
        return out

    def _surface_name(self, rec: GeoRecord, choice: _Choice) -> str:
        """The gazetteer name, or the article's spelling when it is an exact alias ("Basra" for Basrah)."""
        top = choice.toponym
        if top is None or choice.resolved.fuzzy or choice.how == _COUNTRY:
            return rec.name
        surface = (choice.resolved.text or top.text).strip()
        if surface.isupper():
            surface = surface.title()
        if not surface[:1].isupper() or name_key(surface) == name_key(rec.name):
            return rec.name
        records, fuzzy = self.resolver.candidates(surface)
        return surface if not fuzzy and any(r.gid == rec.gid for r in records) else rec.name

    def _place(self, choice: _Choice, text: str, named_region: bool) -> Place:
        rec = choice.resolved.record
        reason = f"{choice.how}+named-admin1" if named_region else choice.how
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
            latitude=rec.lat, longitude=rec.lon,
            geo_precision=precision(choice.resolved, choice.toponym, text),
            feature=rec.feature, gazetteer_id=rec.gid, geo_reason=reason,
        )


def _repeated(text: str, toponyms: list[Toponym]) -> list[Toponym]:
    """One sense per article: a name found once as a place ("the town of Sarmin") is a place at its
    other mentions too ("between Sarmin and Saraqeb")."""
    taken = bytearray(len(text) + 1)  # characters already inside a toponym: an overlap test per
    for t in toponyms:                  # match costs the match's length, not the toponyms' number
        taken[t.start : t.end] = b"\x01" * (t.end - t.start)
    extra = []
    for name in {t.text for t in toponyms if len(t.text) >= 4 and t.text[:1].isupper()}:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            start, end = m.span()
            longer = _CAP_AFTER.match(text, end) or _CAP_BEFORE.search(text, max(0, start - _LOOKBACK), start)
            if not longer and not any(taken[start:end]):
                extra.append(Toponym(name, start, end, "REPEAT"))
                taken[start:end] = b"\x01" * (end - start)
    return sorted([*toponyms, *extra], key=lambda t: t.start) if extra else toponyms


class _ArticlePlaces:
    """Per-article state: toponyms, document context, resolutions and the dominant place."""

    def __init__(self, geocoder: Geocoder, parsed: ParsedArticle) -> None:
        self.geo = geocoder
        self.parsed = parsed
        self.text = parsed.article.text
        doc = parsed.doc
        if doc.user_data.get(COMPONENT):  # the toponym ruler already merged gazetteer names into ents
            found = toponyms_of(doc, doc.ents)
        else:
            found = find_toponyms(doc, geocoder.keys)[1]
        extra = locative_runs(doc, found, geocoder.keys)
        self.toponyms = _repeated(self.text, sorted([*found, *extra], key=lambda t: t.start))
        self.cache: dict[str, Resolved | None] = {}
        self.queries = [self._query(t) for t in self.toponyms]
        self.strict = {self._query(t) for t in self.toponyms if t.label == "LOCATIVE"}
        self.ctx, self.alone = ContextBuilder(geocoder.resolver, geocoder.countries).build(
            parsed.doc, self.text, self.toponyms, self.queries, self.strict)
        #: bracketed regions that qualify the place before them, by toponym index: read as regions
        self.bracketed: dict[int, Resolved] = {}
        self.qualifies: dict[int, int] = {}  # bracketed region -> the place it qualifies
        self.resolved = [self.bracketed.get(i) or self._resolve_at(i) for i in range(len(self.queries))]
        self.dateline = {t.start for t in dateline_toponyms(self.text, self.toponyms)}
        self.dominant = self._dominant()

    def named_region(self, choice: _Choice) -> bool:
        """The chosen town lies in an admin1 the text names (what told it from its namesakes)."""
        rec = choice.resolved.record
        return not rec.is_admin and self.ctx.in_named_region(rec)

    def _query(self, top: Toponym) -> str:
        """The toponym's text, plus a following "province" / "district" word that says its kind."""
        before = self.text[max(0, top.start - 40) : top.start]
        if name_key(top.text) == "congo" and _DRC_BEFORE.search(before):
            return "Democratic Republic of the Congo"  # "the Eastern Democratic Republic" + "Congo"
        after = _KIND_AFTER.match(self.text[top.end : top.end + 16])
        text = _POSSESSIVE.sub("", top.text)
        return f"{text} {after.group(1)}" if after else text

    def _resolve_at(self, i: int) -> Resolved | None:
        """Toponym ``i`` in the article's context, or inside the region / country that qualifies it
        ("Paris, Texas", "Tripoli, Lebanon", "Baga (Kukawa, Borno)"). A name the gazetteers lack in
        the qualifying area is placed in that area, not at a namesake abroad ("Baga, Borno" is not
        the Catalan village), when the text brackets the area or no namesake is a notable place."""
        query = self.queries[i]
        found = self._qualifier(i)
        if found is None:
            return self.resolve(query)
        qualifier, bracketed = found
        region = qualifier.record.feature == "ADM1"
        ctx = DocContext(dict(self.ctx.countries), set(self.ctx.regions), list(self.ctx.points),
                         list(self.ctx.anchors), set(self.ctx.named_regions))
        ctx.add_country(qualifier.record.cc, 10.0 * (1.0 + sum(ctx.countries.values())))
        if qualifier.record.feature == "ADM1" and qualifier.record.admin1:
            ctx.regions.add((qualifier.record.cc, qualifier.record.admin1))
            ctx.named_regions.add((qualifier.record.cc, admin_key(qualifier.record.admin1)))
        res = self.geo.resolver.resolve(query, ctx, query not in self.strict)
        if res is not None and res.record.cc == qualifier.record.cc:
            return res
        if res is None and bracketed and region:  # a spelling variant inside the named region is
            res = self.geo.resolver.resolve(query, ctx, True)  # likely it ("Tal Tamr (Al-Hasakeh)")
            if res is not None and res.record.cc == qualifier.record.cc \
                    and res.record.admin1 == qualifier.record.admin1:
                return replace(res, fuzzy=False)  # the named region confirms the spelling
        alone = self.alone.get(query)
        if alone is not None and alone.record.feature in ("PCL", "ADM1"):
            return None  # a list of countries or regions ("in Lebanon, Syria"), not a qualified name
        key = name_key(query)
        if bracketed or not any(_notable(r) and name_key(r.name) == key
                                for r in self.geo.resolver.candidates(query)[0]):
            return qualifier
        return None

    def _qualifier(self, i: int) -> tuple[Resolved, bool] | None:
        """The country or admin1 that qualifies toponym ``i`` ("X, Borno" / "X (Kukawa, Borno)": the
        last one in the brackets), and whether it is bracketed."""
        top = self.toponyms[i]
        bracket = _BRACKET.match(self.text, top.end)
        if bracket is not None:
            lo, hi = bracket.span(1)
            inside = [j for j in range(i + 1, len(self.toponyms))
                      if lo <= self.toponyms[j].start and self.toponyms[j].end <= hi]
            for j in reversed(inside):
                res = self.alone.get(self.queries[j])
                if res is not None and not res.fuzzy and res.record.feature not in ("PCL", "ADM1"):
                    # in brackets after a place, "Al-Hasakeh" is the governorate, not its town
                    region = self.geo.resolver.resolve(f"{self.queries[j]} region", DocContext(), False)
                    res = region if region is not None and region.record.feature == "ADM1" \
                        and region.record.cc == res.record.cc else res
                if res is not None and not res.fuzzy and res.record.feature in ("PCL", "ADM1"):
                    self.bracketed[j] = res
                    self.qualifies[j] = i
                    return res, True
            return None
        if i + 1 >= len(self.toponyms):
            return None
        nxt = self.toponyms[i + 1]
        if not _COMMA.fullmatch(self.text[top.end : nxt.start]):
            return None
        res = self.alone.get(self.queries[i + 1])
        if res is None or res.fuzzy or res.record.feature not in ("PCL", "ADM1"):
            return None
        return res, False

    def resolve(self, text: str) -> Resolved | None:
        if text not in self.cache:
            res = self.geo.resolver.resolve(text, self.ctx, text not in self.strict)
            if res is None and _SPLIT.search(text):
                parts = [self.geo.resolver.resolve(p, self.ctx) for p in _SPLIT.split(text) if p.strip()]
                found = [p for p in parts if p is not None]  # "Basra, Iraq" / "Jonglei's Pibor": finest
                res = max(found, key=lambda p: rank(p.record.feature), default=None)
            self.cache[text] = res
        return self.cache[text]

    def _dominant(self) -> _Choice | None:
        counts: dict[str, float] = {}
        first: dict[str, tuple[Resolved, Toponym]] = {}
        for top, res in zip(self.toponyms, self.resolved, strict=True):
            if res is None or res.record.feature in ("PCL",) or res.fuzzy or is_source(self.text, top):
                continue
            gid = res.record.gid or str(res.record.id)
            early = 0.5 if top.start in self.dateline else 1.5 if top.start < 120 else 1.0
            weight = early * (0.5 + self.ctx.share(res.record.cc))
            counts[gid] = counts.get(gid, 0.0) + weight * (0.5 if res.record.is_admin else 1.0)
            first.setdefault(gid, (res, top))
        if not counts:
            return None
        gid = max(counts, key=lambda g: (counts[g], -first[g][1].start))
        return _Choice(first[gid][0], first[gid][1], "article-main-place")

    def choose(self, mention: EventMention) -> _Choice | None:
        start, end = self._sentence_bounds(mention)
        hinted = self._from_hint(mention)
        if hinted is not None:
            return self._finer(hinted, start, end, mention) if hinted.resolved.record.feature == "PCL" \
                else hinted
        best = self._best_in(start, end, mention)
        if best is None and self._unknown_place_in(start, end, mention) and not self._recurring():
            return self._region() or self._country()  # "near Boni" (not in the gazetteer): its region
        if best is None:
            for s, e in self._neighbours(mention):
                best = self._best_in(s, e, mention, town_only=True, how="nearby-sentence")
                if best is not None:
                    break
        return best or self.dominant or self._region() or self._country()

    def _from_hint(self, mention: EventMention) -> _Choice | None:
        span = mention.location_span
        if span is not None:
            pairs = enumerate(zip(self.toponyms, self.resolved, strict=True))
            inside = [self._qualified(i) for i, (t, r) in pairs
                      if r is not None and t.start < span.end and t.end > span.start]
            if inside:
                return self._pick(list(dict.fromkeys(inside)), mention, _HINT)
            res = self.resolve(span.text)
            if res is not None and self._plausible(res):
                return _Choice(res, Toponym(span.text, span.start, span.end, "HINT"), _HINT)
        text = mention.coding.location_text
        if text:
            told = self._told_here(text, mention)
            if told is not None:
                return told
            res = self.resolve(text)
            if res is not None and (self._named_here(text) or self._plausible(res)):
                at = self.text.find(text, mention.evidence.start)
                top = Toponym(text, at, at + len(text), "HINT") if at >= 0 else None
                return _Choice(res, top, _HINT)
        return None

    def _qualified(self, i: int) -> Toponym:
        """Toponym ``i``, or the place it qualifies in brackets ("Tal Tamr" for "Al-Hasakeh" in
        "near Tal Tamr (Al-Hasakeh)": the coder took the region's name for the place's)."""
        place = self.qualifies.get(i)
        return self.toponyms[place] if place is not None and self.resolved[place] is not None \
            else self.toponyms[i]

    def _told_here(self, text: str, mention: EventMention) -> _Choice | None:
        """The coder's place words as the text names them, resolved where they stand (a name qualified
        there, "Baga (Kukawa, Borno)", keeps its qualifier): the one nearest the event's evidence."""
        key = name_key(text)
        at = mention.evidence.start
        pairs = enumerate(zip(self.toponyms, self.resolved, strict=True))
        here = [(abs(t.start - at), i) for i, (t, r) in pairs if r is not None and name_key(t.text) == key]
        if not here:
            return None
        top = self._qualified(min(here)[1])
        res = self.resolved[self.toponyms.index(top)]
        assert res is not None
        return _Choice(res, top, _HINT)

    def _named_here(self, text: str) -> bool:
        """The hint is a place name the toponym scan found too (not "Congress" of "Congress building")."""
        key = name_key(text)
        return any(name_key(t.text) == key for t in self.toponyms)

    def _plausible(self, res: Resolved) -> bool:
        """A hint the toponym scan did not see as a place must not contradict the article's countries
        ("Congress" of "the Congress building" in a Bogota story is no town in Arizona)."""
        if res.fuzzy:
            return False
        rec = res.record
        return (not self.ctx.countries or self.ctx.share(rec.cc) >= 0.1 or rec.feature == "PCL"
                or (rec.gid or "").startswith("curated:"))

    def _unknown_place_in(self, start: int, end: int, mention: EventMention) -> bool:
        """The sentence names a place (or the coder gave one) the gazetteers do not know."""
        names = [t.text for t, r in zip(self.toponyms, self.resolved, strict=True)
                 if r is None and start <= t.start < end and t.label != "LOCATIVE"]
        if mention.location_span is not None:
            names.append(mention.location_span.text)
        if mention.coding.location_text:
            names.append(mention.coding.location_text)
        return any(not _FACILITY.search(name) for name in names)

    def _recurring(self) -> bool:
        """The article's dominant place is a town it names twice or more outside the dateline."""
        dom = self.dominant
        if dom is None or dom.resolved.record.is_admin:
            return False
        return sum(r is not None and r.record == dom.resolved.record and t.start not in self.dateline
                   for t, r in zip(self.toponyms, self.resolved, strict=True)) >= 2

    def _region(self) -> _Choice | None:
        """The article's main region: the admin1 of its main country it names or places in most."""
        cc = self.ctx.main_country()
        counts: dict[str, float] = {}
        for top, res in zip(self.toponyms, self.resolved, strict=True):
            if res is None or res.fuzzy or res.record.cc != cc or not res.record.admin1 \
                    or top.start in self.dateline:
                continue
            region = res.record.admin1
            counts[region] = counts.get(region, 0.0) + (2.0 if res.record.feature == "ADM1" else 1.0)
        if not counts or cc is None:
            return None
        best = max(counts, key=lambda r: counts[r])
        records, _ = self.geo.resolver.candidates(best)
        rec = next((r for r in records if r.cc == cc and r.feature == "ADM1" and r.admin1 == best), None)
        return _Choice(Resolved(rec, 0.0, 0.0, False, "region"), None, "article-region") if rec else None

    def _finer(self, hinted: _Choice, start: int, end: int, mention: EventMention) -> _Choice:
        """A country named as the place ("in Myanmar's Sagaing region") gives way to a region or
        town of that country named in the same sentence."""
        cc = hinted.resolved.record.cc
        inside = [t for t, r in zip(self.toponyms, self.resolved, strict=True)
                  if r is not None and start <= t.start < end and r.record.cc == cc
                  and r.record.feature != "PCL" and not r.fuzzy]
        if not inside:
            return hinted
        choice = self._pick(inside, mention, _HINT)
        return choice if choice.score >= 0 else hinted

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
        self, start: int, end: int, mention: EventMention, town_only: bool = False,
        how: str = "event-sentence",
    ) -> _Choice | None:
        inside = [t for t, r in zip(self.toponyms, self.resolved, strict=True)
                  if r is not None and start <= t.start < end
                  and (not town_only or (r.record.feature not in ("PCL",) and not r.fuzzy))]
        if not inside:
            return None
        choice = self._pick(inside, mention, how)
        return choice if choice.score >= 0 else None

    def _pick(self, tops: list[Toponym], mention: EventMention, how: str) -> _Choice:
        scored = []
        for top in tops:
            res = self.resolved[self.toponyms.index(top)]
            assert res is not None
            anchor = mention.trigger.start if mention.trigger else mention.evidence.start
            dateline = top.start in self.dateline and any(t.start not in self.dateline for t in tops)
            score = attachment(self.parsed.doc, self.text, top, res, anchor, dateline)
            if res.record.feature == "PCL" and other_country(self.text, top):
                score -= _OTHER_COUNTRY
            scored.append((score, top, res))
        score, top, res = max(scored, key=lambda s: s[0])
        if res.record.is_admin or res.record.feature == "RGN":
            # a named town of that country / region in the same sentence is the finer place
            towns = [s for s in scored if s[0] > 0 and _inside(s[2].record, res.record)]
            if towns:
                score, top, res = max(towns, key=lambda s: s[0])
                return _Choice(res, top, "town-in-named-region", score)
        return _Choice(res, top, how, score)

    def _country(self) -> _Choice | None:
        cc = self.ctx.main_country()
        if cc is None:
            return None
        rec = self.geo.resolver.country(cc)
        return _Choice(Resolved(rec, 0.0, 0.0, False, None), None, _COUNTRY) if rec is not None else None
