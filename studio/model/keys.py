"""Keyframes of any animatable value, as plain data with exact rules (standard library only).

An item's `keys` are `Key(param, frame, value, ease)` records: `param` names an animatable field of
the item ("x", "scale", "speed") or a parameter of one of its effects ("beauty.smooth": the first
enabled effect with that id). Between two keys of a param the value moves along the first key's
easing; before the first and after the last key it holds. A param without keys keeps the item's
own value, so keys only ever add motion to what the item already says.

A clip's speed can be keyed too (speed ramps): the source position is then the integral of the
speed over the clip's frames, computed once per distinct curve."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Iterable

EASINGS = ("linear", "ease_in", "ease_out", "ease_in_out", "hold")


@dataclass(frozen=True)
class Key:
    """`value` of `param` at `frame` frames after the item's start; `ease` shapes the way to the next key."""
    param: str
    frame: int
    value: float
    ease: str = "linear"


def ease(name: str, t: float) -> float:
    """Progress 0..1 through an easing curve (cubic in/out, as editors draw them)."""
    t = min(max(t, 0.0), 1.0)
    if name == "ease_in":
        return t * t * t
    if name == "ease_out":
        return 1 - (1 - t) ** 3
    if name == "ease_in_out":
        return 4 * t * t * t if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2
    if name == "hold":
        return 0.0 if t < 1.0 else 1.0
    return t


def keys_of(keys: Iterable[Key], param: str) -> tuple[Key, ...]:
    """The keys of one param, by frame (a later key on the same frame wins)."""
    by_frame = {k.frame: k for k in keys if k.param == param}
    return tuple(by_frame[f] for f in sorted(by_frame))


def value_at(keys: Iterable[Key], param: str, local: float, default: float) -> float:
    """The param's value `local` frames into the item: `default` when it has no keys."""
    own = keys_of(keys, param)
    return curve_value(own, local, default)


def curve_value(own: tuple[Key, ...], local: float, default: float) -> float:
    if not own:
        return default
    if local <= own[0].frame:
        return own[0].value
    for a, b in zip(own, own[1:]):
        if local < b.frame:
            t = (local - a.frame) / max(1, b.frame - a.frame)
            return a.value + (b.value - a.value) * ease(a.ease, t)
    return own[-1].value


def animated_params(keys: Iterable[Key]) -> tuple[str, ...]:
    return tuple(sorted({k.param for k in keys}))


def with_key(keys: tuple[Key, ...], key: Key) -> tuple[Key, ...]:
    """`keys` with `key` set (replacing a key of the same param on the same frame), sorted."""
    kept = [k for k in keys if not (k.param == key.param and k.frame == key.frame)]
    return tuple(sorted([*kept, key], key=lambda k: (k.param, k.frame)))


def without_key(keys: tuple[Key, ...], param: str, frame: int) -> tuple[Key, ...]:
    return tuple(k for k in keys if not (k.param == param and k.frame == frame))


# ------------------------------------------------------------------------------------ speed ramps

def source_offset(keys: tuple[Key, ...], speed: Fraction, local: int) -> Fraction:
    """Source frames advanced after `local` timeline frames: local * speed, or with keyed speed the
    integral of the speed curve (trapezoids per frame), extended at the edge speeds outside 0..n."""
    own = keys_of(keys, "speed")
    if not own:
        return local * speed
    last = own[-1].frame
    table = _positions(own, max(last, 1))
    if local <= 0:
        return Fraction(local * own[0].value).limit_denominator(1000)
    if local <= len(table) - 1:
        return Fraction(table[local]).limit_denominator(1000)
    return Fraction(table[-1] + (local - (len(table) - 1)) * own[-1].value).limit_denominator(1000)


def speed_at(keys: tuple[Key, ...], speed: Fraction, local: float) -> float:
    return value_at(keys, "speed", local, float(speed))


@lru_cache(maxsize=64)
def _positions(own: tuple[Key, ...], frames: int) -> tuple[float, ...]:
    """Cumulative source offset at each frame 0..frames of a keyed speed curve."""
    pos = [0.0]
    prev = curve_value(own, 0, 1.0)
    for i in range(1, frames + 1):
        cur = curve_value(own, i, 1.0)
        pos.append(pos[-1] + (prev + cur) / 2)
        prev = cur
    return tuple(pos)


# -------------------------------------------------------------------------------- speed presets

# Speed curves creators know from CapCut, as (fraction of the clip, speed) points: eased between.
SPEED_PRESETS: dict[str, tuple[tuple[float, float], ...]] = {
    "montage": ((0.0, 1.0), (0.25, 3.0), (0.5, 0.5), (0.75, 3.0), (1.0, 1.0)),
    "hero": ((0.0, 2.0), (0.4, 2.0), (0.5, 0.25), (0.6, 0.25), (0.7, 2.0), (1.0, 2.0)),
    "bullet": ((0.0, 3.0), (0.35, 0.2), (0.65, 0.2), (1.0, 3.0)),
    "flash_in": ((0.0, 4.0), (0.3, 1.0), (1.0, 1.0)),
    "flash_out": ((0.0, 1.0), (0.7, 1.0), (1.0, 4.0)),
}


def preset_keys(name: str, duration: int) -> tuple[Key, ...]:
    """The speed keys of a preset over a clip `duration` frames long (KeyError for an unknown name)."""
    points = SPEED_PRESETS[name]
    last = max(1, duration - 1)
    keys = {}
    for frac, value in points:
        frame = int(round(frac * last))
        keys[frame] = Key("speed", frame, value, "ease_in_out")
    return tuple(keys[f] for f in sorted(keys))


def preset_source_span(name: str, duration: int) -> Fraction:
    """Source frames a clip of `duration` frames uses under a preset (to trim it to its source)."""
    return source_offset(preset_keys(name, duration), Fraction(1), duration)


def keys_window(keys: tuple[Key, ...], offset: int, length: int) -> tuple[Key, ...]:
    """The keys of the part of an item from `offset` frames in, `length` frames long (after a split
    or a trim), re-timed to its start: the inner keys move, and a param whose curve is cut gets a
    key at the cut with the value it had there, so the motion that stays looks the same."""
    out: list[Key] = []
    for param in animated_params(keys):
        own = keys_of(keys, param)
        inner = [Key(k.param, k.frame - offset, k.value, k.ease) for k in own if offset <= k.frame < offset + length]
        if not inner or inner[0].frame > 0:
            before = [k for k in own if k.frame < offset]
            ease_name = before[-1].ease if before else own[0].ease
            inner.insert(0, Key(param, 0, curve_value(own, offset, own[0].value), ease_name))
        last = offset + length - 1
        if own[-1].frame > last and inner[-1].frame < length - 1:
            inner.append(Key(param, length - 1, curve_value(own, last, own[-1].value), "linear"))
        out.extend(inner)
    return tuple(out)
