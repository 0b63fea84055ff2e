"""The rule coder ``rules.v1``: cue lexicon, cue hits grouped into candidates, each candidate decided."""
