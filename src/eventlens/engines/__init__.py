"""Engines that code documents: worker processes on this machine (:mod:`~eventlens.engines.process`)
and Ray actors (:mod:`~eventlens.engines.ray`)."""
