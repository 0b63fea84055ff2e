"""What fills an event's slots: actors and their countries, counts, roles, modality, spans, PLOVER."""
