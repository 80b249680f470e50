"""The one error type for bad effect input (unknown id, bad parameter)."""


class EffectError(ValueError):
    """One-line message naming the effect and the parameter, e.g. "effect 'x': param 'y' ..."."""
