"""In/out animations of overlays and keyframe interpolation, as pure functions of the frame."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from studio.model import Keyframe
from studio.model.keys import animated_params, value_at


@dataclass(frozen=True)
class AnimState:
    opacity: float = 1.0
    scale: float = 1.0
    dy: float = 0.0          # vertical offset, fraction of canvas height (positive = down)
    reveal: float = 1.0      # fraction of characters shown (typewriter)


def _ease_out(p: float) -> float:
    return 1 - (1 - p) ** 3


def _ease_out_back(p: float) -> float:
    c1 = 1.70158
    return 1 + (c1 + 1) * (p - 1) ** 3 + c1 * (p - 1) ** 2


def _phase(name: str, p: float) -> AnimState:
    """State at progress p (0 = hidden, 1 = fully shown) of one animation."""
    p = min(max(p, 0.0), 1.0)
    if name == "fade":
        return AnimState(opacity=p)
    if name == "pop":
        return AnimState(opacity=min(1.0, p * 2.5), scale=0.4 + 0.6 * _ease_out_back(p))
    if name == "slide_up":
        return AnimState(opacity=p, dy=0.06 * (1 - _ease_out(p)))
    if name == "typewriter":
        return AnimState(reveal=p)
    if name == "bounce":
        return AnimState(opacity=min(1.0, p * 3), dy=-0.05 * abs(math.cos(p * 2.5 * math.pi)) * (1 - p) ** 2
                         - 0.05 * (1 - p) * (p < 0.2))
    return AnimState()


def anim_state(anim_in: str, anim_out: str, frames: int, local: int, duration: int) -> AnimState:
    """Combined state at `local` frames into an item lasting `duration` frames."""
    n = max(1, min(frames, duration // 2 if anim_in != "none" and anim_out != "none" else duration))
    state = AnimState()
    if anim_in != "none" and local < n:
        state = _phase(anim_in, (local + 1) / (n + 1))
    remaining = duration - 1 - local
    if anim_out != "none" and remaining < n:
        out = _phase(anim_out, (remaining + 1) / (n + 1))
        state = AnimState(state.opacity * out.opacity, state.scale * out.scale, state.dy + out.dy,
                          min(state.reveal, out.reveal))
    return state


def interpolate(keyframes: tuple[Keyframe, ...], local: int, default: Keyframe) -> Keyframe:
    """Linear interpolation between keyframes; before the first / after the last, hold."""
    if not keyframes:
        return default
    keys = sorted(keyframes, key=lambda k: k.frame)
    if local <= keys[0].frame:
        return keys[0]
    for a, b in zip(keys, keys[1:]):
        if a.frame <= local <= b.frame:
            t = (local - a.frame) / max(1, b.frame - a.frame)
            lerp = lambda u, v: u + (v - u) * t  # noqa: E731
            return Keyframe(local, lerp(a.x, b.x), lerp(a.y, b.y), lerp(a.scale, b.scale),
                            lerp(a.rotation, b.rotation))
    return keys[-1]


def keyed(item, local: float):
    """(the item with its keyed fields at their values `local` frames in, effect id -> {param:
    value} for its keyed effect params). Speed keys stay on the item: they move its source time."""
    keys = getattr(item, "keys", ())
    if not keys:
        return item, {}
    changes: dict = {}
    overrides: dict[str, dict] = {}
    for param in animated_params(keys):
        if param == "speed":
            continue
        value = value_at(keys, param, local, 0.0)
        if "." in param:
            effect_id, name = param.split(".", 1)
            overrides.setdefault(effect_id, {})[name] = value
        else:
            changes[param] = value
    return (dataclasses.replace(item, **changes) if changes else item), overrides
