"""Handles for moving, scaling and rotating text, stickers and framed clips (a picture-in-picture,
a duet half) on the preview: pure maths in canvas pixels (no Qt), the transform an item shows at a
frame (its `keys` and a sticker's legacy keyframes applied, as the renderer does), and the property
changes a drag produces (keys at the playhead for keyed params, the fields otherwise)."""
from __future__ import annotations

import dataclasses
import math

from studio.model import Clip, Keyframe, StickerItem, TextItem
from studio.model.keys import Key, keys_of, with_key
from studio.render.animation import interpolate, keyed

HANDLE_PX = 7
ROTATE_OFFSET_PX = 22
MIN_SCALE = 0.02


@dataclasses.dataclass(frozen=True)
class Box:
    """An overlay's unrotated size around its centre, and its rotation (degrees, clockwise).
    rotate_inside: the rotate handle sits just inside the top edge (a box that reaches the top of
    the view, a duet half, would have it off screen)."""
    cx: float
    cy: float
    w: float
    h: float
    angle: float
    rotate_inside: bool = False


def rotate_point(x: float, y: float, cx: float, cy: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def handle_points(box: Box) -> dict[str, tuple[float, float]]:
    """Screen positions of the four corner (scale) handles and the rotate handle above the top."""
    hw, hh = box.w / 2, box.h / 2
    raw = {"tl": (box.cx - hw, box.cy - hh), "tr": (box.cx + hw, box.cy - hh),
           "br": (box.cx + hw, box.cy + hh), "bl": (box.cx - hw, box.cy + hh),
           "rotate": (box.cx, box.cy - hh + (ROTATE_OFFSET_PX if box.rotate_inside else -ROTATE_OFFSET_PX))}
    return {k: rotate_point(x, y, box.cx, box.cy, box.angle) for k, (x, y) in raw.items()}


def hit(box: Box, x: float, y: float, handle_px: float = HANDLE_PX) -> str | None:
    """'rotate', a corner ('scale'), 'move' inside the box, or None."""
    for name, (hx, hy) in handle_points(box).items():
        if abs(x - hx) <= handle_px + 2 and abs(y - hy) <= handle_px + 2:
            return "rotate" if name == "rotate" else "scale"
    lx, ly = rotate_point(x, y, box.cx, box.cy, -box.angle)
    if abs(lx - box.cx) <= box.w / 2 and abs(ly - box.cy) <= box.h / 2:
        return "move"
    return None


def drag_transform(mode: str, start: dict, centre: tuple[float, float], press: tuple[float, float],
                   now: tuple[float, float], canvas: tuple[float, float]) -> dict:
    """New {x, y, scale, rotation} after dragging from `press` to `now` (canvas pixels).
    `start` holds the values at the press; x, y are fractions of the canvas."""
    cw, ch = canvas
    out = dict(start)
    if mode == "move":
        out["x"] = start["x"] + (now[0] - press[0]) / cw
        out["y"] = start["y"] + (now[1] - press[1]) / ch
    elif mode == "scale":
        d0 = math.hypot(press[0] - centre[0], press[1] - centre[1])
        d1 = math.hypot(now[0] - centre[0], now[1] - centre[1])
        out["scale"] = max(MIN_SCALE, start["scale"] * (d1 / d0 if d0 > 1 else 1.0))
    elif mode == "rotate":
        a0 = math.atan2(press[1] - centre[1], press[0] - centre[0])
        a1 = math.atan2(now[1] - centre[1], now[0] - centre[0])
        angle = start["rotation"] + math.degrees(a1 - a0)
        angle = (angle + 180) % 360 - 180
        for snap_to in (-180, -90, 0, 90, 180):  # a little pull to the upright positions
            if abs(angle - snap_to) < 3:
                angle = float(snap_to)
        out["rotation"] = angle
    return out


def _fields(item) -> dict[str, str]:
    """Transform name -> the item's field (a text's scale is its `size`)."""
    return {"x": "x", "y": "y", "scale": "size" if isinstance(item, TextItem) else "scale", "rotation": "rotation"}


def transform_of(item) -> dict:
    """The item's own (unanimated) transform."""
    return {name: getattr(item, field) for name, field in _fields(item).items()}


def transform_at(item, local: int) -> dict:
    """The transform the renderer draws `local` frames into the item: its keys applied, then a
    sticker's legacy keyframes (which win over x, y, scale and rotation when present)."""
    shown = keyed(item, local)[0]
    if isinstance(shown, StickerItem) and shown.keyframes:
        kf = interpolate(shown.keyframes, local, Keyframe(0, shown.x, shown.y, shown.scale, shown.rotation))
        return {"x": kf.x, "y": kf.y, "scale": kf.scale, "rotation": kf.rotation}
    return transform_of(shown)


def _keyed_value(keys: tuple[Key, ...], param: str, local: int, value: float) -> tuple[Key, ...]:
    """`keys` with `param` set to `value` at `local`: the key there keeps its easing; a new key
    takes the easing of the key before it (linear before the first), so the curve keeps its feel
    (the rule of the inspector's key controls, key_edits.set_key)."""
    own = keys_of(keys, param)
    at = [k for k in own if k.frame == local]
    before = [k for k in own if k.frame < local]
    ease = at[0].ease if at else before[-1].ease if before else "linear"
    return with_key(keys, Key(param, local, float(value), ease))


def property_changes(item, start: dict, new: dict, local: int | None = None) -> dict:
    """Field -> value for set_property after a drag from `start` to `new` (transforms as
    transform_at gives them). A param the item has keys for gets a key at `local` (frames into
    the item; the playhead) instead of a new field value, so keyed motion stays keyed. A sticker
    with legacy keyframes moves, scales and turns all of them by the same amount, so its
    animation keeps its shape."""
    fields = _fields(item)
    if isinstance(item, StickerItem) and item.keyframes:
        dx, dy = new["x"] - start["x"], new["y"] - start["y"]
        ratio = new["scale"] / start["scale"] if start["scale"] else 1.0
        dr = new["rotation"] - start["rotation"]
        changes = {fields[k]: new[k] for k in fields}
        changes["keyframes"] = tuple(Keyframe(k.frame, k.x + dx, k.y + dy, max(MIN_SCALE, k.scale * ratio),
                                              k.rotation + dr) for k in item.keyframes)
        return changes
    keys = tuple(getattr(item, "keys", ()))
    keyed_params = {k.param for k in keys}
    changes: dict = {}
    for name, field in fields.items():
        if field in keyed_params and local is not None:
            if new[name] != start[name]:
                keys = _keyed_value(keys, field, local, new[name])
        else:
            changes[field] = new[name]
    if keys != tuple(getattr(item, "keys", ())):
        changes["keys"] = keys
    return changes


def clip_is_framed(clip: Clip, local: int) -> bool:
    """A clip that does not simply fill the canvas at this frame (moved, boxed, scaled or turned):
    the preview gives it handles like a sticker's."""
    from studio.render.layers import is_untransformed

    return not is_untransformed(keyed(clip, local)[0])


def clip_box(clip: Clip, local: int, left: float, top: float, cw: float, ch: float) -> Box:
    """The clip's box on screen (canvas at left, top, cw x ch pixels), keyed values at `local`."""
    shown = keyed(clip, local)[0]
    return Box(left + shown.x * cw, top + shown.y * ch, shown.box_w * shown.scale * cw,
               shown.box_h * shown.scale * ch, shown.rotation)


def keep_rotate_handle_visible(box: Box, view_top: float = 0.0) -> Box:
    """The box with its rotate handle moved inside when above the box it would leave the view."""
    _, y = handle_points(dataclasses.replace(box, rotate_inside=False))["rotate"]
    return dataclasses.replace(box, rotate_inside=y - HANDLE_PX < view_top)
