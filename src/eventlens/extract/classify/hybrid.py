"""``hybrid.v2`` (default) and ``hybrid.v1``: the rule coder plus the fine-tuned sentence classifier,
merged per sentence. The two differ only in their :class:`HybridPolicy`. v1 let any sharp rule cue
overrule the classifier and relabelled across event types only at p >= 0.95. v2 lets the classifier
name the sub-event type whenever it is fairly sure (p >= 0.4), except where a sharp rule cue names a
well-marked type (an air strike, a grenade, chlorine: ``_PRECISE_RULE_LABELS``); the rule coder
supplies the arguments either way.

The rule coder (``rules.v1``, consulting the classifier on its weak cues) runs first. Then the
classifier scores, in one batched call per article, the sentences it can still change: those without
a sharp rule mention (answers the rule coder already got are reused), and at most ``max_silent``
rule-silent sentences (earliest first) that pass the relevance pre-filter and the cheap tests of a
telling (past tense, no future/conditional/threat words, not a quote, not background, not where a
retelling of a told event would sit). Per sentence:

* rules silent, classifier says an event with probability >= ``detect_threshold``, on topic and
  not a retelling: a classifier-only mention over the whole sentence, arguments from the rule
  coder's helpers (subject actor, counts, place and date spans), confidence = probability x
  ``classifier_weight`` (< 1, so rule-backed events rank higher);
* both speak and disagree: :func:`merge_label` (sharp rule kept; otherwise relabelled when the
  classifier is sure enough; dropped on a confident "none").

The thresholds live in :mod:`eventlens.extract.classify.policy`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventlens.config import Settings, usable_cores
from eventlens.extract.arguments.countries import CountryContext, article_country
from eventlens.extract.arguments.counts import count_casualties
from eventlens.extract.arguments.modality import (
    background_reason,
    cumulative_toll,
    historical_present,
    modality_of,
    off_topic_reason,
    political_sentence,
    predicate,
    sports_article,
    verb_read_as_noun,
)
from eventlens.extract.arguments.plausibility import codebook_recode, implausible_reason
from eventlens.extract.arguments.plover import plover_for
from eventlens.extract.arguments.roles import ARMED_AGENT_SUBS, agent_in_sentence, unidentified
from eventlens.extract.arguments.spans import find_date, find_location, to_span
from eventlens.extract.classify.policy import V1_POLICY, HybridPolicy, is_sharp, merge_label
from eventlens.extract.registry import Extractor, Prediction, SentenceClassifier, register
from eventlens.extract.rules.coder import RuleExtractor
from eventlens.model import (
    SUB_EVENT_TYPES,
    Actor,
    EventCoding,
    EventMention,
    Modality,
    Sentence,
    carries_fatalities,
    event_type_of,
)
from eventlens.nlp.prefilter import relevant_sentence

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventlens.nlp.parser import ParsedArticle

__all__ = ["V1_POLICY", "HybridExtractor", "HybridPolicy", "make_hybrid_v1", "make_hybrid_v2", "merge_label"]

log = logging.getLogger(__name__)

#: future, conditional and threat markers: a classifier-only detection is never emitted for these
_NOT_ASSERTED = re.compile(
    r"\b([Ww]ill|[Ww]ould|[Ss]hall|[Cc]ould|[Mm]ight|may|[Ii]f|[Uu]nless|[Pp]lans?|planned|planning|"
    r"threaten(?:s|ed)?|intends?|vow(?:s|ed)?|warn(?:s|ed)?|going to|expected to|"
    r"WILL|WOULD|SHALL|COULD|MIGHT|IF|UNLESS|PLANS?|PLANNED|THREATEN(?:S|ED)?|VOW(?:S|ED)?|WARN(?:S|ED)?)\b"
)
_QUOTES = "\"“”'‘’"
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_MIN_TOKENS = 5
#: how many sentences after a told event a classifier-only detection of its type counts as a retelling
_RETELL_WINDOW = 3
_BACK_REFERENCE = re.compile(
    r"\b(?:the|these|those|that|this)\s+(?:\w+\s+)?(?:attack|attackers?|assailants?|gunmen|militants|"
    r"blast|explosion|bomb(?:ing)?|device|dead|victims?|wounded|injured|killings?|violence|"
    r"clash(?:es)?|fighting|raid|strike|protest(?:ers|s)?|demonstrat(?:ors|ion|ions)|crowd|incident|toll)\b",
    re.I,
)
#: a classifier-only event is told in the past: "gunmen killed", "have seized", "were arrested"
_TOLD_TAGS = frozenset({"VBD", "VBN"})
_HEADLINE_TOLD_TAGS = _TOLD_TAGS | {"VBZ", "VBP"}
#: main verbs of a present-tense sentence that state a stance, not an act ("One side wants to ...")
_STANCE_VERBS = frozenset(
    "want need hope seek plan intend aim try wish expect fear consider believe think argue urge".split()
)


class _ArticleMemo:
    """The classifier, remembering its answers within one article: the rule coder's own calls on
    weak cues are not paid for twice when the hybrid looks at the same sentences."""

    def __init__(self, classifier: SentenceClassifier) -> None:
        self.classifier = classifier
        self.answers: dict[str, Prediction] = {}

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        todo = list(dict.fromkeys(t.strip() for t in texts if t.strip() not in self.answers))
        if todo:
            self.answers.update(zip(todo, self.classifier.predict(todo), strict=True))
        return [self.answers[t.strip()] for t in texts]


class HybridExtractor:
    """The hybrid extractor: :class:`RuleExtractor` plus classifier labels and detections."""

    def __init__(
        self,
        classifier: SentenceClassifier,
        rules: Extractor | None = None,
        policy: HybridPolicy | None = None,
        name: str = "hybrid.v2",
    ) -> None:
        self.name = name
        self.classifier = _ArticleMemo(classifier)
        self.rules: Extractor = (
            rules if rules is not None else RuleExtractor(self.classifier, emit_planned=False)
        )
        self.policy = policy or HybridPolicy()
        self._rule_coder = self.rules if isinstance(self.rules, RuleExtractor) else RuleExtractor()

    def extract(self, parsed: ParsedArticle) -> list[EventMention]:
        self.classifier.answers.clear()
        ruled = self.rules.extract(parsed)
        by_sentence: dict[int, list[EventMention]] = {}
        for m in ruled:
            by_sentence.setdefault(m.sentence_index, []).append(m)
        style = _ArticleStyle(sports_article(parsed.article.text), historical_present(parsed.doc))
        candidates = [
            s for s in parsed.sentences if self._worth_scoring(parsed, s, ruled, by_sentence, style)
        ]
        silent = [s.index for s in candidates if s.index not in by_sentence]
        if len(silent) > self.policy.max_silent:
            dropped = set(silent[self.policy.max_silent :])  # the lead tells the news; bounds cost
            candidates = [s for s in candidates if s.index not in dropped]
        if not candidates:
            return _finished(parsed, ruled)
        predictions = self.classifier.predict([s.text for s in candidates])
        out: list[EventMention] = []
        ctx: CountryContext | None = None
        told = list(ruled)
        for sentence, pred in zip(candidates, predictions, strict=True):
            mentions = by_sentence.pop(sentence.index, None)
            if mentions is not None:
                out.extend(self._relabel(parsed, mentions, pred))
            elif pred.label in SUB_EVENT_TYPES and pred.probability >= self.policy.detect_threshold:
                if _retelling(sentence, event_type_of(pred.label), told):
                    log.debug("no classifier-only event in %r: retells an event", sentence.text[:60])
                    continue
                if ctx is None:
                    ctx = article_country(parsed.doc, self._rule_coder.countries, parsed.article.published)
                mention = self._detect(parsed, sentence, pred, ctx)
                if mention is not None:
                    out.append(mention)
                    told.append(mention)
        for rest in by_sentence.values():
            out.extend(rest)
        return _finished(parsed, out)

    def _worth_scoring(
        self,
        parsed: ParsedArticle,
        sentence: Sentence,
        ruled: list[EventMention],
        by_sentence: dict[int, list[EventMention]],
        style: _ArticleStyle,
    ) -> bool:
        """Only sentences the classifier can change are scored (this bounds its cost): a rule
        sentence whose best mention is not sharp, or a rule-silent sentence that passes the cheap
        relevance test and every label-independent test of a telling (:func:`_unreported`)."""
        mentions = by_sentence.get(sentence.index)
        if mentions is not None:
            if any(is_sharp(m.coding.sub_event_type, m.coding.confidence, self.policy) for m in mentions):
                return False
            # a retelling ("police revised the toll to 14 dead") is read in its article's context by
            # the rule coder; the classifier, seeing one sentence, would relabel it as a new event
            return not (
                self.policy.skip_retellings
                and any(_retelling(sentence, m.coding.event_type, ruled) for m in mentions)
            )
        if self.policy.prefilter and not relevant_sentence(sentence.text):
            return False
        if self.policy.skip_retellings and _retelling(sentence, "", ruled):
            return False
        sent = _spacy_sentence(parsed, sentence.start, sentence.end)
        if sent is None or len(sent) < _MIN_TOKENS:
            return False
        reason = _unreported(sent, _year(parsed), style)
        if reason:
            log.debug("no classifier-only event in %r: %s", sentence.text[:60], reason)
        return reason is None

    def _relabel(
        self, parsed: ParsedArticle, mentions: list[EventMention], pred: Prediction
    ) -> list[EventMention]:
        best = max(mentions, key=lambda m: m.coding.confidence)
        label = merge_label(best.coding.sub_event_type, best.coding.confidence, pred, self.policy)
        if label is None:
            log.debug("classifier vetoes %r", best.evidence.text[:60])
            return [m for m in mentions if m is not best]
        if label == best.coding.sub_event_type:
            return mentions
        coding = best.coding
        # the sides stay when the type stays, or when both readings are armed violence (an "attack"
        # that was a missile strike keeps its attacker and victims)
        same_type = event_type_of(label) == coding.event_type or (
            label in ARMED_AGENT_SUBS and coding.sub_event_type in ARMED_AGENT_SUBS
        )
        violent = carries_fatalities(label)
        fatalities, injuries = (coding.fatalities, coding.injuries) if violent else (0, None)
        if violent and not carries_fatalities(coding.sub_event_type):
            # the rule coder counted no deaths for a non-violent reading: count them now
            sent = _spacy_sentence(parsed, best.evidence.start, best.evidence.end)
            if sent is not None:
                counts = count_casualties(list(sent), True)
                fatalities, injuries = counts.fatalities, counts.injuries
        trigger = best.trigger.text if best.trigger else ""
        new = replace(
            coding,
            event_type=event_type_of(label),
            sub_event_type=label,
            plover_event=plover_for(label, trigger),
            actor1=coding.actor1 if same_type else None,
            assoc_actor_1=coding.assoc_actor_1 if same_type else None,
            actor2=coding.actor2 if same_type else None,
            assoc_actor_2=coding.assoc_actor_2 if same_type else None,
            fatalities=fatalities,
            injuries=injuries,
        )
        log.debug("relabel %r: %s -> %s", best.evidence.text[:60], coding.sub_event_type, label)
        return [replace(m, coding=new) if m is best else m for m in mentions]

    def _detect(
        self, parsed: ParsedArticle, sentence: Sentence, pred: Prediction, ctx: CountryContext
    ) -> EventMention | None:
        sent = _spacy_sentence(parsed, sentence.start, sentence.end)
        if sent is None:
            return None
        root = predicate(sent)
        # a sure classifier outweighs an off-topic context, except for arrests: a criminal arrest
        # is an arrest all the same, and only the context tells whether it is political
        sure = pred.probability >= self.policy.sure_threshold and pred.label != "Arrests"
        off_topic = off_topic_reason(sent, sure)
        if off_topic:
            log.debug("no classifier-only event in %r: %s", sentence.text[:60], off_topic)
            return None
        label = pred.label
        violent = carries_fatalities(label)
        counts = count_casualties(list(sent), violent)
        bounds = (sent.start, sent.end)
        place = find_location(root, root, bounds)
        when = find_date(root, root, bounds)
        actor = _subject_actor(self._rule_coder, root, ctx)
        if (actor is None or actor.inter == 7 or unidentified(actor)) and label in ARMED_AGENT_SUBS:
            found = agent_in_sentence(sent, self._rule_coder.actors, ctx)
            actor = found.actor if found is not None else actor
        text = parsed.article.text
        coding = EventCoding(
            event_type=event_type_of(label),
            sub_event_type=label,
            plover_event=plover_for(label, root.text),
            actor1=actor,
            fatalities=counts.fatalities,
            injuries=counts.injuries,
            modality=Modality.ASSERTED,
            confidence=round(pred.probability * self.policy.classifier_weight, 3),
            location_text=place.text if place else None,
            date_text=when.text if when else None,
        )
        return EventMention(
            id="",
            doc_id=parsed.article.doc_id,
            article_id=parsed.article.id,
            sentence_index=sentence.index,
            evidence=to_span(text, sentence.start, sentence.end),
            coding=coding,
            trigger=to_span(text, root.idx, root.idx + len(root.text)),
            location_span=to_span(text, place.start_char, place.end_char) if place else None,
            date_span=to_span(text, when.start_char, when.end_char) if when else None,
        )


def _retelling(sentence: Sentence, event_type: str, told: Sequence[EventMention]) -> bool:
    """ "The blast destroyed the gate.", "Dozens were taken away by the gunmen.": after a told act of
    violence or protest, a sentence close behind it, or one pointing back with a definite noun
    ("the gunmen", "the dead"), most likely retells it. Strategic developments are each a distinct
    act, and are never counted as retellings."""
    if event_type == "Strategic developments":
        return False
    earlier = [
        m
        for m in told
        if m.coding.event_type != "Strategic developments" and m.sentence_index < sentence.index
    ]
    if not earlier:
        return False
    if _BACK_REFERENCE.search(sentence.text):
        return True
    return any(sentence.index - m.sentence_index <= _RETELL_WINDOW for m in earlier)


@dataclass(frozen=True, slots=True)
class _ArticleStyle:
    sports: bool  # a sports article: its "attacks" are plays
    headline: bool  # news told in the present tense (:func:`historical_present`)


def _unreported(sent: SpacySpan, year: int | None, style: _ArticleStyle) -> str | None:
    """Why a sentence the rules left alone tells no event (for a classifier-only detection), or None.

    All-capitals sentences (wire copy) parse badly, so only the lexical tests apply to them."""
    text = sent.text.strip()
    shouting = text.isupper()
    if text[:1] in _QUOTES or _quoted_share(text) > 0.5:
        return "a quote"
    if _NOT_ASSERTED.search(text):
        return "future, conditional or threat"
    if style.sports and not political_sentence(sent):
        return "sports article"
    told_tags = _HEADLINE_TOLD_TAGS if style.headline else _TOLD_TAGS
    root = predicate(sent)  # the root, or the clause after a topic ("Mali War: ...")
    if not shouting and root.tag_ not in told_tags and not (style.headline and verb_read_as_noun(root)):
        return "not a past-tense telling (caption, heading, generalisation)"
    if style.headline and root.lemma_.lower() in _STANCE_VERBS:
        return "a wish, plan or opinion, not a telling"
    if not shouting and modality_of(root, root) != Modality.ASSERTED:
        return "not asserted"
    if shouting:
        return cumulative_toll(text, year)
    # a sum over a war or a period, told in a clause below the root ("the general said the air
    # force murdered 70,000 Salvadorans"), is no event either
    return background_reason(root, root, year, headline_style=style.headline) or cumulative_toll(text, year)


def _finished(parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
    """The article's mentions that the codebook allows, with the codebook's types, in order."""
    return _renumber(parsed, [_recoded(parsed, m) for m in mentions if _plausible(parsed, m)])


def _recoded(parsed: ParsedArticle, mention: EventMention) -> EventMention:
    sent = _spacy_sentence(parsed, mention.evidence.start, mention.evidence.end)
    coding = codebook_recode(mention.coding, sent) if sent is not None else mention.coding
    if coding is mention.coding:
        return mention
    log.debug("recode %r: %s -> %s", mention.evidence.text[:60], mention.coding.sub_event_type,
              coding.sub_event_type)
    return replace(mention, coding=coding)


def _plausible(parsed: ParsedArticle, mention: EventMention) -> bool:
    sent = _spacy_sentence(parsed, mention.evidence.start, mention.evidence.end)
    if sent is None:
        return True
    at = mention.trigger.start if mention.trigger else -1
    trigger = next((t for t in sent if t.idx == at), None)
    reason = implausible_reason(mention.coding.sub_event_type, sent, trigger)
    if reason:
        log.debug("drop %r as %s: %s", mention.evidence.text[:60], mention.coding.sub_event_type, reason)
    return reason is None


def _quoted_share(text: str) -> float:
    """The share of a sentence inside double quotes ('a "tactical withdrawal"' is not a quote)."""
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    return quoted / max(1, len(text))


def _subject_actor(coder: RuleExtractor, root: Token, ctx: CountryContext) -> Actor | None:
    """actor1 of an active sentence: its subject, resolved by the rule coder's actor resolver."""
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    info = coder.actors.resolve(subject, ctx)
    return info.actor if info is not None else None


def _spacy_sentence(parsed: ParsedArticle, start: int, end: int) -> SpacySpan | None:
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0].sent


def _year(parsed: ParsedArticle) -> int | None:
    return parsed.article.published.year if parsed.article.published else None


def _renumber(parsed: ParsedArticle, mentions: Sequence[EventMention]) -> list[EventMention]:
    """Mentions in evidence order, with ids that follow it (as the rule coder numbers them)."""
    ordered = sorted(mentions, key=lambda m: (m.evidence.start, m.trigger.start if m.trigger else 0))
    return [replace(m, id=f"{parsed.article.id}-m{n}") for n, m in enumerate(ordered)]


def classifier_threads(settings: Settings) -> int:
    """onnxruntime threads for one coder: the cores this process may use, shared among the
    ``settings.workers`` coding processes (1 worker on 2 cores: the classifier uses both, since the
    parse and the classifier never run at the same time in one worker), at most 4."""
    return max(1, min(4, usable_cores() // max(1, settings.workers)))


@register("hybrid.v2")
def make_hybrid_v2(settings: Settings) -> Extractor:
    """Registry factory: the classifier loaded once, the rule coder consulting it on weak cues."""
    from eventlens.extract.classify.classifier import load_classifier

    return HybridExtractor(load_classifier(threads=classifier_threads(settings)))


@register("hybrid.v1")
def make_hybrid_v1(settings: Settings) -> Extractor:
    """Registry factory for the earlier policy (kept so configurations naming it still run)."""
    from eventlens.extract.classify.classifier import load_classifier

    classifier = load_classifier(threads=classifier_threads(settings))
    return HybridExtractor(classifier, policy=V1_POLICY, name="hybrid.v1")
