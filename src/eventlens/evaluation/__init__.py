"""Scoring against labelled data: sentences and full extractors (:mod:`~eventlens.evaluation.sentences`),
places (:mod:`~eventlens.evaluation.places`), clusterings (:mod:`~eventlens.evaluation.bcubed`)."""
