"""The toponym ruler: a spaCy component that tags gazetteer place names the NER missed.

It runs after "ner" so it can see what the statistical model said and override only a PERSON /
ORG / NORP / untagged span that is exactly a known place of some importance (population at least
``min_population``, a region, a country or a curated conflict place), never one inside a longer
person or organisation name or after a personal title (see :mod:`eventlens.geo.toponyms`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from eventlens.geo.index import GazetteerIndex
from eventlens.geo.normalize import name_key, skeleton
from eventlens.geo.toponyms import ToponymKeys, find_toponyms, ruler_label

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["COMPONENT", "ToponymComponent", "ToponymKeys", "add_ruler", "cached_toponym_keys", "toponym_keys"]

log = logging.getLogger(__name__)

COMPONENT = "eventlens_toponyms"


def toponym_keys(indexes: Sequence[GazetteerIndex], min_population: int = 15_000,
                 major_population: int = 100_000, region_aliases: Iterable[str] = ()) -> ToponymKeys:
    """The ruler's names from the given index tiers (usually the built-in one), and the name keys of
    regions' other names (:func:`eventlens.geo.builtin.admin1_aliases`)."""
    keys: dict[str, str] = {key: ruler_label("ADM1") for key in region_aliases}
    major: set[str] = set(keys)
    for ix in indexes:
        for key, (feature, population, name) in ix.keys_for_ruler(min_population).items():
            keys.setdefault(key, ruler_label(feature))
            # a big town's own name or a spelling of it (Khan Younis / Khan Yunis), not another
            # name it once had (Dzhokhar for Grozny)
            big_town = population >= major_population and skeleton(name_key(name)) == skeleton(key)
            if big_town or feature not in ("PPL", "ADM2", "NBHD"):
                major.add(key)
    return ToponymKeys(keys, frozenset(major))


def _code_digest(region_aliases: Iterable[str]) -> str:
    """A digest of the code and region names that make the ruler's names (a cache made by other
    code is not used)."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("ruler.py", "toponyms.py", "normalize.py", "index.py"):
        h.update((here / name).read_bytes())
    h.update("\n".join(sorted(region_aliases)).encode())
    return h.hexdigest()[:16]


def cached_toponym_keys(index: GazetteerIndex, region_aliases: Iterable[str] = ()) -> ToponymKeys:
    """``toponym_keys([index], region_aliases=...)``, read from a JSON file beside the index when one
    was made for this index file and this code (reading it takes a tenth of the scan: ~0.2 s against
    ~2 s, paid by every worker process at start); made and written atomically when missing or
    unreadable."""
    aliases = sorted(region_aliases)
    path = Path(index.path)
    try:
        stat = path.stat()
        digest = _code_digest(aliases)
        cache = path.with_name(f"{path.name}.ruler-{digest}-{stat.st_size}-{stat.st_mtime_ns}.json")
    except OSError:
        return toponym_keys([index], region_aliases=aliases)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return ToponymKeys(data["keys"], frozenset(data["major"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    keys = toponym_keys([index], region_aliases=aliases)
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".ruler-", suffix=".tmp")
    except OSError as exc:  # a read-only cache folder: the scan is done again next time
        log.info("cannot cache the toponym ruler's names beside %s (%s)", path, exc)
        return keys
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"keys": dict(keys.keys), "major": sorted(keys.major)}, fh)
        os.replace(tmp, cache)
        for stale in cache.parent.glob(f"{path.name}.ruler-*.json"):  # made by older code or data
            if stale != cache:
                stale.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot cache the toponym ruler's names beside %s (%s)", path, exc)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return keys


class ToponymComponent:
    """Pipeline component: merges gazetteer toponyms into ``doc.ents``."""

    def __init__(self) -> None:
        self.keys = ToponymKeys({})

    def __call__(self, doc: Doc) -> Doc:
        ents, _ = find_toponyms(doc, self.keys)
        doc.ents = ents
        doc.user_data[COMPONENT] = True  # the geocoder reads these entities instead of scanning again
        return doc


def _make_component(nlp: Language, name: str) -> ToponymComponent:
    return ToponymComponent()


def add_ruler(nlp: Language, keys: ToponymKeys) -> None:
    """Add (or refresh) the component right after "ner" (or last when there is no "ner")."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=_make_component)
    if COMPONENT in nlp.pipe_names:
        component = nlp.get_pipe(COMPONENT)
    elif "ner" in nlp.pipe_names:
        component = nlp.add_pipe(COMPONENT, after="ner")
    else:
        component = nlp.add_pipe(COMPONENT, last=True)
    cast(ToponymComponent, component).keys = keys


def english_words(nlp: Language) -> frozenset[str]:
    """The words of the pipeline lemmatizer's dictionary (WordNet's, in en_core_web_sm), if any."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(w for words in lookups.get_table("lemma_index").values() for w in words if w.isalpha())
