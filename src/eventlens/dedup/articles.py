"""Near-duplicate articles: MinHash signatures over word shingles, an LSH index, canonical links.

Reprints and lightly edited wire copy share most of their word 3-grams; MinHash estimates that
Jaccard overlap from a small signature and LSH finds likely matches without comparing every
pair. Each match is verified on the signatures (estimated Jaccard >= threshold) before an article
is linked to the canonical (first-seen) copy. Signatures are plain uint32 arrays so the store can
keep them as blobs and rebuild the index lazily in any process.
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

__all__ = ["ArticleDeduper", "DuplicateMatch", "Signature", "signature_from_bytes", "signature_to_bytes"]

log = logging.getLogger(__name__)

Signature = npt.NDArray[np.uint32]

_WORD = re.compile(r"\w+")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_MIX1 = np.uint64(0x9E3779B1)
_MIX2 = np.uint64(0x85EBCA77)


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """``article_id`` is a near-duplicate of ``canonical_id`` (estimated Jaccard ``similarity``)."""

    article_id: str
    canonical_id: str
    matched_id: str
    similarity: float


def signature_to_bytes(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


class ArticleDeduper:
    """An incremental near-duplicate index over article texts.

    ``check(article_id, text)`` returns the match (if any) and adds the article to the index;
    ``add(article_id, signature, canonical_id)`` loads an already-decided article (from the store).
    """

    def __init__(
        self,
        threshold: float = 0.6,
        num_perm: int = 64,
        shingle: int = 3,
        min_shingles: int = 12,
        seed: int = 1,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.min_shingles = min_shingles
        rng = np.random.RandomState(seed)
        self._a = rng.randint(1, int(_MERSENNE), size=num_perm, dtype=np.uint64)
        self._b = rng.randint(0, int(_MERSENNE), size=num_perm, dtype=np.uint64)
        self._perms = (self._a, self._b)
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, Signature] = {}
        self._canonical: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sigs

    def signature(self, text: str) -> Signature | None:
        """The MinHash signature of ``text``'s word shingles (None when too short to judge)."""
        words = _WORD.findall(text.lower())
        n = len(words) - self.shingle + 1
        if n < self.min_shingles:
            return None
        tok = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
        h = tok[:n].copy()
        for k in range(1, self.shingle):
            h = (h * _MIX1 + tok[k : k + n] * _MIX2) & _MAX_HASH
        h = np.unique(h)
        phv = ((h[:, None] * self._a[None, :] + self._b[None, :]) % _MERSENNE) & _MAX_HASH
        sig: Signature = phv.min(axis=0).astype(np.uint32)
        return sig

    def find(self, sig: Signature) -> tuple[str, float] | None:
        """The most similar indexed article and its estimated Jaccard, if over the threshold."""
        best: tuple[str, float] | None = None
        for key in self._lsh.query(self._minhash(sig)):
            sim = float(np.mean(self._sigs[key] == sig))
            if sim >= self.threshold and (
                best is None or sim > best[1] or (sim == best[1] and key < best[0])
            ):
                best = (key, sim)
        return best

    def canonical_of(self, article_id: str) -> str:
        return self._canonical.get(article_id, article_id)

    def add(self, article_id: str, sig: Signature | None, canonical_id: str | None = None) -> None:
        """Index ``article_id`` (a no-op for articles already indexed or without a signature)."""
        if sig is None or article_id in self._sigs:
            return
        self._sigs[article_id] = sig
        self._lsh.insert(article_id, self._minhash(sig), check_duplication=False)
        if canonical_id is not None and canonical_id != article_id:
            self._canonical[article_id] = canonical_id

    def check(self, article_id: str, text: str) -> tuple[Signature | None, DuplicateMatch | None]:
        """Signature and near-duplicate match of a new article; the article is indexed afterwards."""
        sig = self.signature(text)
        if sig is None or article_id in self._sigs:
            return sig, None
        found = self.find(sig)
        match = None
        if found is not None:
            canonical = self.canonical_of(found[0])
            match = DuplicateMatch(article_id, canonical, found[0], round(found[1], 4))
            log.debug("article %s is a near-duplicate of %s (%.2f)", article_id, canonical, found[1])
        self.add(article_id, sig, match.canonical_id if match else None)
        return sig, match

    def _minhash(self, sig: Signature) -> MinHash:
        return MinHash(hashvalues=sig.astype(np.uint64), permutations=self._perms, scheme="legacy")
