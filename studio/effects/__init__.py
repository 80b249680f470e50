"""Effects: small classes with declared params, a registry, and the chain the renderer calls."""
from studio.effects.base import Effect, FrameContext
from studio.effects.chain import EffectChain
from studio.effects.errors import EffectError
from studio.effects.params import Param
from studio.effects.registry import EffectRegistry, default_registry

__all__ = ["Effect", "FrameContext", "EffectChain", "EffectError", "Param", "EffectRegistry", "default_registry"]
