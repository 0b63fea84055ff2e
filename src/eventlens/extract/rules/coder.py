"""``rules.v1``: a precise rule-based ACLED/PLOVER event coder over the spaCy parse.

Per article: match the cue lexicon once (spaCy PhraseMatchers, built once per vocabulary), group hits by
the clause they attach to, drop background, generalisations, off-topic senses and non-asserted
violence, resolve each group's sub-event type and actors, then attach counts, modality,
location/date candidate spans and a confidence. An optional trained sentence classifier is
consulted only where the cues are weak (:func:`combine_with_classifier`, in
:mod:`eventlens.extract.classify.policy`, the one place rule and classifier labels meet). The
tests that read a cue group off the parse are in :mod:`eventlens.extract.rules.groups`.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventlens.config import Settings
from eventlens.coref.backrefs import BACK_REFERENCE_CONFIDENCE
from eventlens.extract.arguments.actors import ActorInfo, ActorResolver
from eventlens.extract.arguments.countries import CountryContext, article_country
from eventlens.extract.arguments.modality import (
    background_reason,
    historical_present,
    modality_of,
    off_topic_reason,
    political_sentence,
    sports_article,
)
from eventlens.extract.arguments.plover import plover_for
from eventlens.extract.arguments.roles import ARMED_AGENT_SUBS, unidentified
from eventlens.extract.arguments.spans import find_date, find_location, to_span
from eventlens.extract.classify.policy import Decision, combine_with_classifier, relabel_allowed
from eventlens.extract.registry import Extractor, Prediction, SentenceClassifier, register
from eventlens.extract.rules.candidates import Group, find_hits, group_hits
from eventlens.extract.rules.decide import GroupDecision, decide_group
from eventlens.extract.rules.groups import (
    agreed,
    casualty_counts,
    crowd_speaking,
    evidence_bounds,
    is_generic_nominal,
    points_back,
    realized_purpose,
)
from eventlens.extract.rules.lexicon import CueMatcher, build_matcher
from eventlens.geo.countries import load_country_table
from eventlens.model import (
    Actor,
    EventCoding,
    EventMention,
    Modality,
    carries_fatalities,
    event_type_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from eventlens.nlp.parser import ParsedArticle

__all__ = ["RuleExtractor", "combine_with_classifier", "make_rules_v1"]

log = logging.getLogger(__name__)

_NON_EVENT_MODALITIES = {Modality.NEGATED, Modality.HYPOTHETICAL}
#: cue families that can carry deaths (a toll of thousands then marks a war's sum)
_VIOLENT_FAMILIES = frozenset({"kill", "hurt", "clash", "weapon", "mob", "riot", "abduct", "sexual"})
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
#: verbs that report an event when their subject or object is an event noun
_EVENT_VERBS = frozenset(
    "hit strike kill wound injure erupt break continue occur happen rock target destroy damage leave claim "
    "say announce sign reach agree declare hold stage launch carry conduct reignite spark trigger resume "
    "take come begin start end kill explode detonate go".split()
)
#: the lowest confidence of a mention that tells an event (back-references get less)
_MIN_TOLD = 0.3
#: sub-event types worth recording as plans ("protesters plan to march", "troops will withdraw")
_PLANNABLE = frozenset(
    {
        "Agreement",
        "Change to group/activity",
        "Headquarters or base established",
        "Non-violent transfer of territory",
        "Peaceful protest",
    }
)
_QUOTES = '"“”'
def _reference_year(parsed: ParsedArticle) -> int | None:
    if parsed.article.published is not None:
        return parsed.article.published.year
    years = [int(y) for e in parsed.doc.ents if e.label_ == "DATE" for y in _YEAR_RE.findall(e.text)]
    return max(years) if years else None


def _in_quote(sent_text: str, offset_in_sent: int) -> bool:
    before = sent_text[:offset_in_sent]
    return sent_text.lstrip()[:1] in _QUOTES or sum(before.count(q) for q in _QUOTES) % 2 == 1


#: acts of state forces whose other side, left unnamed in the sentence, is the group they fight
_STATE_VS_GROUP = frozenset({"Armed clash", "Air/drone strike", "Shelling/artillery/missile attack"})


def _attributed(drafts: list[_Draft], groups: list[tuple[Actor, int]]) -> list[_Draft]:
    """An armed act its sentence leaves unattributed, in an article that names one armed group
    more than any other, twice or once as the doer ("... the Baloch Liberation Army said it carried
    out the attack" sentences later; the Taliban named once, denying a part), is that group's, as
    a coder reading the whole story records it: the attacker of an act with no named agent, or the
    side state forces fight in a clash or strike with no named target. A group named once in
    passing ("most militias come under the PMF") attributes nothing. An air or drone strike with
    no named striker is not given to the article's group: such a group is far more often the
    target of air power than its user ("an Iraqi air strike" in a story about Islamic State)."""
    if not groups or groups[0][1] < 2 or (len(groups) > 1 and groups[1][1] >= groups[0][1]):
        return drafts
    group = groups[0][0]
    out = []
    for d in drafts:
        c = d.coding
        sides = {a.name for a in (c.actor1, c.actor2) if a is not None}
        if c.sub_event_type in ARMED_AGENT_SUBS and group.name not in sides:
            if (c.actor1 is None or unidentified(c.actor1)) and c.sub_event_type != "Air/drone strike":
                d = replace(d, coding=replace(c, actor1=group))
            elif (c.actor1 is not None and c.actor1.inter in (1, 8) and c.actor2 is None
                  and c.sub_event_type in _STATE_VS_GROUP):
                d = replace(d, coding=replace(c, actor2=group))
        out.append(d)
    return out


def _upgrade_protests(drafts: list[_Draft], unresolved: list[Group]) -> list[_Draft]:
    """ "Students marched ... Police used tear gas to disperse the crowd.": an intervention told in
    one of the next two sentences turns the protest before it into a protest with intervention."""
    stops = [g.anchor.sent.start_char for g in unresolved if "intervene" in g.families]
    if not stops:
        return drafts
    out = list(drafts)
    for i, draft in enumerate(out):
        if draft.coding.sub_event_type != "Peaceful protest":
            continue
        sentence_ends = [s for s in stops if s > draft.evidence_start]
        if sentence_ends and _sentences_between(draft, min(sentence_ends)) <= 2:
            out[i] = replace(draft, coding=replace(draft.coding, sub_event_type="Protest with intervention"))
    return out


def _sentences_between(draft: _Draft, later_start: int) -> int:
    """How many sentence ends lie between a draft's evidence and a later character offset."""
    gap = draft.text[draft.evidence[1] : later_start]
    return len(re.findall(r"[.!?][\"”’)]?\s", gap)) + (1 if gap.strip() else 0)


def _assoc(info: ActorInfo | None) -> str | None:
    """The associated actor, never a repeat of the actor itself."""
    if info is None or info.assoc is None or info.assoc == info.actor.name:
        return None
    return info.assoc


class RuleExtractor:
    """The ``rules.v1`` extractor; build once and reuse (patterns compile once per vocabulary)."""

    name = "rules.v1"

    def __init__(self, classifier: SentenceClassifier | None = None, *, emit_planned: bool = False) -> None:
        self.classifier = classifier
        self.emit_planned = emit_planned
        self.countries = load_country_table()
        self.countries.country_of_city("")  # build the city index now, not inside the first article
        self.actors = ActorResolver(self.countries)
        self._matcher: CueMatcher | None = None
        self._vocab_id: int | None = None

    def _matcher_for(self, doc: Doc) -> CueMatcher:
        if self._matcher is None or self._vocab_id != id(doc.vocab):
            self._matcher = build_matcher(doc.vocab)
            self._vocab_id = id(doc.vocab)
        return self._matcher

    def extract(self, parsed: ParsedArticle) -> list[EventMention]:
        doc = parsed.doc
        hits = find_hits(doc, self._matcher_for(doc))
        if not hits:
            return []
        ref_year = _reference_year(parsed)
        ctx = article_country(doc, self.countries, parsed.article.published)
        dated = parsed.article.published is not None
        headline = historical_present(doc)
        groups = [g for g in group_hits(hits) if self._reportable(g, ref_year, dated, headline)]
        if sports_article(parsed.article.text):
            groups = [g for g in groups if political_sentence(g.anchor.sent)]  # a game's "attacks"
        resolved = [(g, decide_group(g, self.actors, ctx)) for g in groups]
        decisions = self._decide_all(resolved)
        codings = [
            self._code(parsed, g, r, d, ctx)
            for (g, r), d in zip(resolved, decisions, strict=True)
            if d is not None
        ]
        drafts = sorted(
            (c for c in codings if c is not None), key=lambda m: (m.evidence_start, m.trigger_start)
        )
        unresolved = [g for (g, _), d in zip(resolved, decisions, strict=True) if d is None]
        drafts = _upgrade_protests(drafts, unresolved)
        drafts = _attributed(drafts, self.actors.named_groups(parsed.article.text, ctx))
        return [m.finish(parsed, n) for n, m in enumerate(drafts)]

    def _reportable(self, group: Group, ref_year: int | None, dated: bool, headline: bool) -> bool:
        anchor, trigger = group.anchor, group.hits[0].head
        sharp = any(h.cue.family in ("weapon", "mob") for h in group.hits)
        reason = (
            crowd_speaking(group)
            or background_reason(anchor, trigger, ref_year, violent=bool(group.families & _VIOLENT_FAMILIES),
                                 inferred=not dated, headline_style=headline)
            or off_topic_reason(anchor.sent, sharp, "protest" in group.families)
        )
        if reason:
            log.debug("skip %r: %s", anchor.sent.text[:60], reason)
        return reason is None

    def _decide_all(self, resolved: list[tuple[Group, GroupDecision | None]]) -> list[Decision | None]:
        weak = [i for i, (_, r) in enumerate(resolved) if self.classifier and (r is None or not r.sharp)]
        predictions: dict[int, Prediction] = {}
        if self.classifier and weak:
            texts = [resolved[i][0].anchor.sent.text for i in weak]
            predictions = dict(zip(weak, self.classifier.predict(texts), strict=True))
        return [combine_with_classifier(r, predictions.get(i)) for i, (_, r) in enumerate(resolved)]

    def _code(
        self,
        parsed: ParsedArticle,
        group: Group,
        res: GroupDecision | None,
        decision: Decision,
        ctx: CountryContext,
    ) -> _Draft | None:
        anchor = group.anchor
        trigger_hit = next((h for h in group.hits if h.cue.sub == decision.sub_event_type), group.hits[0])
        trigger = trigger_hit.head
        event_type = event_type_of(decision.sub_event_type)
        violent = carries_fatalities(decision.sub_event_type)
        modality = self._kept_modality(group, trigger, decision.sub_event_type, violent)
        if modality is None:
            return None
        sent = anchor.sent
        bounds = evidence_bounds(anchor)
        place = find_location(anchor, trigger, bounds)
        when = find_date(anchor, trigger, bounds)
        back_ref = points_back(group)
        in_quote = _in_quote(sent.text, trigger_hit.span.start_char - sent.start_char)
        if not back_ref and is_generic_nominal(group, place is not None or when is not None, in_quote):
            return None
        counts = casualty_counts(group, list(parsed.doc[bounds[0] : bounds[1]]), violent)
        same = res is not None and (
            res.sub_event_type == decision.sub_event_type
            or relabel_allowed(res.sub_event_type, decision.sub_event_type)
        )
        a1 = res.actor1 if res and same else None
        a2 = res.actor2 if res and same else None
        coding = EventCoding(
            event_type=event_type,
            sub_event_type=decision.sub_event_type,
            plover_event=plover_for(decision.sub_event_type, trigger.text),
            actor1=a1.actor if a1 else None,
            assoc_actor_1=_assoc(a1),
            actor2=a2.actor if a2 else None,
            assoc_actor_2=_assoc(a2),
            fatalities=counts.fatalities,
            injuries=counts.injuries,
            modality=modality,
            confidence=self._confidence(decision.confidence, group, back_ref, modality, (a1, place, when)),
            location_text=place.text if place else None,
            date_text=when.text if when else None,
        )
        doc = parsed.doc
        return _Draft(
            coding=coding,
            evidence=(doc[bounds[0]].idx, doc[bounds[1] - 1].idx + len(doc[bounds[1] - 1].text)),
            trigger=(trigger_hit.span.start_char, trigger_hit.span.end_char),
            place=(place.start_char, place.end_char) if place else None,
            when=(when.start_char, when.end_char) if when else None,
            in_quote=in_quote,
            text=parsed.article.text,
        )

    def _kept_modality(self, group: Group, trigger: Token, sub: str, violent: bool) -> Modality | None:
        """The mention's modality, or None when it is not to be emitted (denials, conditionals,
        planned violence, plans of kinds not worth recording)."""
        modality = modality_of(group.anchor, trigger)
        if modality == Modality.PLANNED and (realized_purpose(group) or agreed(group, sub)):
            modality = Modality.ASSERTED
        if modality in _NON_EVENT_MODALITIES or (violent and modality == Modality.PLANNED):
            return None
        if modality == Modality.PLANNED and (not self.emit_planned or sub not in _PLANNABLE):
            return None
        return modality

    def _confidence(
        self,
        base: float,
        group: Group,
        back_ref: bool,
        modality: Modality,
        found: tuple[ActorInfo | None, object, object],
    ) -> float:
        if back_ref:
            return BACK_REFERENCE_CONFIDENCE
        score = base + 0.04 * sum(1 for f in found if f is not None)
        if group.nominal_only:
            score -= 0.1
            if group.anchor.lemma_.lower() not in _EVENT_VERBS:
                score -= 0.15  # an event noun in someone else's clause ("asylum due to clashes")
        if modality == Modality.CLAIMED:
            score -= 0.05
        elif modality in (Modality.PLANNED, Modality.HYPOTHETICAL):
            score *= 0.5
        return round(max(_MIN_TOLD, min(0.98, score)), 3)


@dataclass(frozen=True, slots=True)
class _Draft:
    """A coded mention before it gets its id (ids follow evidence order)."""

    coding: EventCoding
    evidence: tuple[int, int]
    trigger: tuple[int, int]
    place: tuple[int, int] | None
    when: tuple[int, int] | None
    in_quote: bool
    text: str

    @property
    def trigger_start(self) -> int:
        return self.trigger[0]

    def finish(self, parsed: ParsedArticle, n: int) -> EventMention:
        art = parsed.article
        starts = [s.start for s in parsed.sentences]
        index = max(0, bisect.bisect_right(starts, self.trigger[0]) - 1)
        coding = self.coding
        if self.in_quote and coding.confidence > BACK_REFERENCE_CONFIDENCE:
            coding = replace(coding, confidence=round(max(_MIN_TOLD, coding.confidence - 0.15), 3))
        return EventMention(
            id=f"{art.id}-m{n}",
            doc_id=art.doc_id,
            article_id=art.id,
            sentence_index=index,
            evidence=to_span(self.text, *self.evidence),
            coding=coding,
            trigger=to_span(self.text, *self.trigger),
            location_span=to_span(self.text, *self.place) if self.place else None,
            date_span=to_span(self.text, *self.when) if self.when else None,
        )

    @property
    def evidence_start(self) -> int:
        return self.evidence[0]


@register("rules.v1")
def make_rules_v1(settings: Settings) -> Extractor:
    """Registry factory: the rule coder without a classifier; only events that happened (asserted
    or claimed) are emitted, never plans."""
    del settings
    return RuleExtractor(emit_planned=False)
