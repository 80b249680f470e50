"""The registry of effects, built in one place (`default_registry`); immutable once built."""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterable, Mapping

from studio.effects.base import Effect
from studio.effects.errors import EffectError


class EffectRegistry:
    def __init__(self, effects: Iterable[Effect]):
        table: dict[str, Effect] = {}
        for e in effects:
            if not e.id or e.id in table:
                raise ValueError(f"effect id {e.id!r} is empty or registered twice")
            table[e.id] = e
        self._effects: Mapping[str, Effect] = MappingProxyType(table)

    def get(self, effect_id: str) -> Effect:
        try:
            return self._effects[effect_id]
        except (KeyError, TypeError):
            raise EffectError(f"unknown effect {effect_id!r}") from None

    def list(self) -> tuple[Effect, ...]:
        return tuple(self._effects.values())

    def ids(self) -> tuple[str, ...]:
        return tuple(self._effects)

    def __contains__(self, effect_id: str) -> bool:
        return effect_id in self._effects

    def validate(self, effect_id: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Params with defaults filled in and values coerced; EffectError for unknown or bad params."""
        effect = self.get(effect_id)
        params = dict(params or {})
        declared = {p.name: p for p in effect.params}
        unknown = sorted(set(params) - set(declared))
        if unknown:
            raise EffectError(f"effect '{effect_id}': unknown param '{unknown[0]}'")
        return {name: p.coerce(effect_id, params.get(name, p.default)) for name, p in declared.items()}


def default_registry() -> EffectRegistry:
    """A fresh registry with every built-in effect (cheap: effects are stateless)."""
    from studio.effects.background import BackgroundBlur, BackgroundReplace, RemoveBackground
    from studio.effects.beauty import Beauty
    from studio.effects.chroma import ChromaKey
    from studio.effects.color import Grain, Look, Mirror, RgbSplit, Vignette
    from studio.effects.face_sticker import FaceSticker
    from studio.effects.motion import KenBurns
    from studio.effects.sparkles import Sparkles
    from studio.effects.warps import BigEyes, SlimFace

    return EffectRegistry([
        FaceSticker(), Beauty(), BigEyes(), SlimFace(),
        BackgroundBlur(), BackgroundReplace(), RemoveBackground(), ChromaKey(),
        Look(), Vignette(), Grain(), RgbSplit(), Mirror(),
        Sparkles(), KenBurns(),
    ])
