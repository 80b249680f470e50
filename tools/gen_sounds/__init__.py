"""Generator for Studio's built-in sound library (music beds and effects).

Everything is synthesised from code with fixed seeds, so `python -m
tools.gen_sounds` rebuilds assets/sounds/ deterministically. Output is CC0.
"""
