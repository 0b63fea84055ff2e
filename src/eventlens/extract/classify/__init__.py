"""The fine-tuned sentence classifier and the hybrid coders that combine it with the rules."""
