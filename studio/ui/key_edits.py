"""What the window's keyframe controls ask of an item's keys, as pure functions (no Qt): the value
of an animatable field or effect param at the playhead, whether a key sits there, the edits that
set, remove or re-ease a key, and a clip's speed curve from a preset. The inspector and the
timeline turn each into one document.edit (studio.model.keys holds the rules of the keys
themselves)."""
from __future__ import annotations

import dataclasses
from fractions import Fraction

from studio.model import EditError, Timeline, edits, kind_of
from studio.model.keys import (SPEED_PRESETS, Key, keys_of, keys_window, preset_keys, source_offset, value_at, with_key,
                               without_key)

EASE_TITLES = {"linear": "Linear", "ease_in": "Ease in", "ease_out": "Ease out", "ease_in_out": "Ease in-out",
               "hold": "Hold"}
CURVE_TITLES = {"none": "None", "montage": "Montage", "hero": "Hero", "bullet": "Bullet", "flash_in": "Flash in",
                "flash_out": "Flash out"}
CUSTOM_CURVE = "custom"  # speed keys that no preset made (keyed by hand)
assert set(CURVE_TITLES) - {"none"} == set(SPEED_PRESETS), "a speed preset without a title in the window"

# what a key control shows: a key at the playhead, keys elsewhere only, no keys
ON, ELSEWHERE, NONE = "on", "elsewhere", "none"


def local_frame(item, playhead: int) -> int:
    """The playhead as a frame of the item (keys are relative to its start), kept inside it."""
    return min(max(playhead - item.start, 0), max(0, item.duration - 1))


def covers(item, playhead: int) -> bool:
    return item.start <= playhead < item.end


def effect_param(param: str) -> tuple[str, str] | None:
    """("effect_id", "param") for an effect param's key name "effect_id.param", else None."""
    if "." not in param:
        return None
    effect_id, name = param.split(".", 1)
    return effect_id, name


def keyed_effect_index(item, effect_id: str) -> int | None:
    """The index of the effect that keys named "effect_id.*" animate: the first enabled one with that id."""
    refs = kind_of(item).effects(item)
    return next((i for i, ref in enumerate(refs) if ref.id == effect_id and ref.enabled), None)


def base_value(item, param: str, registry=None) -> float:
    """The item's own value of `param` (what it holds where it has no keys)."""
    split = effect_param(param)
    if split is None:
        return float(getattr(item, param))
    effect_id, name = split
    index = keyed_effect_index(item, effect_id)
    if index is None:
        raise KeyError(f"{item.id} has no enabled effect {effect_id}")
    ref = kind_of(item).effects(item)[index]
    params = registry.validate(ref.id, ref.params) if registry is not None and ref.id in registry else ref.params
    return float(params[name])


def shown_value(item, param: str, playhead: int, base: float | None = None, registry=None) -> float:
    """The value the inspector shows at the playhead: the keys' (interpolated), else the item's own."""
    default = base_value(item, param, registry) if base is None else base
    return value_at(item.keys, param, local_frame(item, playhead), default)


def param_title(item, param: str, registry=None) -> str:
    """How the window names an animatable value: its field's title ("X"), or an effect's title and
    the param's ("Vignette strength")."""
    split = effect_param(param)
    if split is None:
        field = kind_of(item).field(param)
        return field.title if field is not None and field.title else param
    effect_id, name = split
    effect = registry.get(effect_id) if registry is not None and effect_id in registry else None
    if effect is None:
        return param
    declared = next((q for q in effect.params if q.name == name), None)
    title = (declared.title if declared is not None and declared.title else name.replace("_", " ")).lower()
    return f"{effect.title} {title}"


def is_keyed(item, param: str) -> bool:
    return any(k.param == param for k in getattr(item, "keys", ()))


def key_state(item, param: str, playhead: int) -> str:
    own = keys_of(item.keys, param)
    if not own:
        return NONE
    local = local_frame(item, playhead)
    return ON if covers(item, playhead) and any(k.frame == local for k in own) else ELSEWHERE


def key_at(item, param: str, playhead: int) -> Key | None:
    if not covers(item, playhead):
        return None
    local = playhead - item.start
    return next((k for k in keys_of(item.keys, param) if k.frame == local), None)


def segment_ease(item, param: str, playhead: int) -> str | None:
    """The ease the value moves by at the playhead: the one of the param's last key at or before it."""
    local = playhead - item.start
    before = [k for k in keys_of(item.keys, param) if k.frame <= local]
    return before[-1].ease if before else None


def neighbour_key(item, param: str, playhead: int, direction: int) -> int | None:
    """The timeline frame of the param's nearest key before (direction < 0) or after the playhead."""
    local = playhead - item.start
    frames = [k.frame for k in keys_of(item.keys, param) if 0 <= k.frame < item.duration]
    if direction < 0:
        earlier = [f for f in frames if f < local]
        return item.start + earlier[-1] if earlier else None
    later = [f for f in frames if f > local]
    return item.start + later[0] if later else None


def key_frames(item) -> list[int]:
    """The frames (relative to the item's start, inside it) where the item has any key."""
    return sorted({k.frame for k in getattr(item, "keys", ()) if 0 <= k.frame < item.duration})


def _ease_for(keys, param: str, local: int) -> str:
    """A new key's ease: the one of the key it replaces, else of the key before it, else linear."""
    own = keys_of(keys, param)
    same = next((k for k in own if k.frame == local), None)
    if same is not None:
        return same.ease
    before = [k for k in own if k.frame < local]
    return before[-1].ease if before else "linear"


def _set_keys(timeline: Timeline, item_id: str, keys: tuple[Key, ...]) -> Timeline:
    return edits.set_property(timeline, item_id, "keys", keys)


def set_key(timeline: Timeline, item_id: str, param: str, local: int, value: float) -> Timeline:
    """The param keyed to `value` at `local` frames into the item (a key already there changes value)."""
    item = timeline.get(item_id)
    key = Key(param, int(local), float(value), _ease_for(item.keys, param, local))
    return _set_keys(timeline, item_id, with_key(item.keys, key))


def remove_key(timeline: Timeline, item_id: str, param: str, local: int) -> Timeline:
    item = timeline.get(item_id)
    return _set_keys(timeline, item_id, without_key(item.keys, param, local))


def set_ease(timeline: Timeline, item_id: str, param: str, local: int, ease: str) -> Timeline:
    item = timeline.get(item_id)
    key = next((k for k in keys_of(item.keys, param) if k.frame == local), None)
    if key is None:
        raise EditError(f"{item_id}: no key of {param} at frame {local}")
    return _set_keys(timeline, item_id, with_key(item.keys, dataclasses.replace(key, ease=ease)))


def without_effect_keys(timeline: Timeline, item_id: str, effect_id: str) -> Timeline:
    """The item without the keys of an effect's params (before the effect itself goes)."""
    item = timeline.get(item_id)
    kept = tuple(k for k in item.keys if not k.param.startswith(effect_id + "."))
    return _set_keys(timeline, item_id, kept) if kept != item.keys else timeline


def set_value(timeline: Timeline, item_id: str, param: str, value, playhead: int) -> Timeline:
    """What editing an animatable value means: with keys, a key at the playhead; else the item's own
    value (the preview's drags can use this too, so a keyed sticker moves where it is keyed)."""
    item = timeline.get(item_id)
    if is_keyed(item, param):
        return set_key(timeline, item_id, param, local_frame(item, playhead), float(value))
    return edits.set_property(timeline, item_id, param, value)


# ------------------------------------------------------------------------------ speed curves

def speed_curve(clip) -> str:
    """The preset the clip's speed keys come from, "none" without speed keys, else CUSTOM_CURVE."""
    own = keys_of(clip.keys, "speed")
    if not own:
        return "none"
    for name in SPEED_PRESETS:
        if own == preset_keys(name, clip.duration):
            return name
    return CUSTOM_CURVE


def _span(speed_keys: tuple[Key, ...], speed: Fraction, duration: int) -> Fraction:
    return source_offset(speed_keys, speed, duration)


def fitted_duration(clip, curve: str) -> int:
    """The clip's duration, or less where its source would run out under `curve` (the longest
    duration whose curve, laid over that duration, stays inside the source)."""
    if clip.source_frames is None:
        return clip.duration
    room = clip.source_frames - clip.source_in

    def fits(d: int) -> bool:
        return _span(_curve_keys(curve, d), clip.speed, d) <= room

    if fits(clip.duration):
        return clip.duration
    lo, hi = 1, clip.duration  # fits(lo) is assumed; the span grows with the duration
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _curve_keys(curve: str, duration: int) -> tuple[Key, ...]:
    return () if curve == "none" else preset_keys(curve, duration)


def apply_speed_curve(timeline: Timeline, clip_id: str, curve: str) -> Timeline:
    """The clip's speed keys from a preset laid over its duration ("none" removes them), the clip
    shortened first where its source would run out (its other keys cut to the new length, as a
    trim cuts them). One edit: the caller makes it one undo step."""
    if curve != "none" and curve not in SPEED_PRESETS:
        raise EditError(f"{clip_id}: unknown speed curve '{curve}'")
    clip = timeline.get(clip_id)
    duration = fitted_duration(clip, curve)
    others = tuple(k for k in clip.keys if k.param != "speed")
    if duration < clip.duration:
        others = keys_window(others, 0, duration)
        timeline = _replaced(timeline, clip_id, duration=duration)  # checked with its new keys below
    keys = tuple(sorted((*others, *_curve_keys(curve, duration)), key=lambda k: (k.param, k.frame)))
    return edits.set_property(timeline, clip_id, "keys", keys)


def _replaced(timeline: Timeline, item_id: str, **changes) -> Timeline:
    """The item with `changes`, unchecked: only as the first half of an edit that checks it."""
    ti, _ = timeline.find(item_id)
    track = timeline.tracks[ti]
    items = tuple(dataclasses.replace(i, **changes) if i.id == item_id else i for i in track.items)
    tracks = list(timeline.tracks)
    tracks[ti] = dataclasses.replace(track, items=items)
    return Timeline(tuple(tracks))
