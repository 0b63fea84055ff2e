"""Hand segmentation of the seed file into its two article bodies (no captions, no furniture).

Used by the extractor tests so they do not depend on clean.segment; a test elsewhere checks
clean.segment itself.
"""

from __future__ import annotations

from eventlens.model import Article
from tests.shared_data import seed_path

_STARTS = (
    "Iraq's Prime Minister Mustafa al-Kadhimi had just embarked",
    "A US-led coalition's military mission in Iraq will end",
)
_TITLES = (
    "Basra Killings Undermine Iraqi PM's Efforts to Rein in Militias",
    "International Coalition to End Mission in Iraq, Keep Going in Syria",
)


def seed_articles() -> list[Article]:
    raw = seed_path().read_text(encoding="utf-8")  # skips the test when ../shared is absent
    second_title = raw.index(_TITLES[1])
    chunks = (raw[:second_title], raw[second_title:])
    out = []
    for i, (chunk, start, title) in enumerate(zip(chunks, _STARTS, _TITLES, strict=True)):
        body = chunk[chunk.index(start) :].strip()
        paras = [p.strip() for p in body.split("\n") if p.strip()]
        out.append(Article(id=f"dseed-a{i}", doc_id="dseed", index=i, title=title, text="\n\n".join(paras)))
    return out
