"""Handles for moving, scaling and rotating text and stickers on the preview: pure maths in canvas
pixels (no Qt), and the property changes a drag produces."""
from __future__ import annotations

import dataclasses
import math

from studio.model import Keyframe, StickerItem, TextItem

HANDLE_PX = 7
ROTATE_OFFSET_PX = 22
MIN_SCALE = 0.02


@dataclasses.dataclass(frozen=True)
class Box:
    """An overlay's unrotated size around its centre, and its rotation (degrees, clockwise)."""
    cx: float
    cy: float
    w: float
    h: float
    angle: float


def rotate_point(x: float, y: float, cx: float, cy: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def handle_points(box: Box) -> dict[str, tuple[float, float]]:
    """Screen positions of the four corner (scale) handles and the rotate handle above the top."""
    hw, hh = box.w / 2, box.h / 2
    raw = {"tl": (box.cx - hw, box.cy - hh), "tr": (box.cx + hw, box.cy - hh),
           "br": (box.cx + hw, box.cy + hh), "bl": (box.cx - hw, box.cy + hh),
           "rotate": (box.cx, box.cy - hh - ROTATE_OFFSET_PX)}
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


def transform_of(item) -> dict:
    if isinstance(item, TextItem):
        return {"x": item.x, "y": item.y, "scale": item.size, "rotation": item.rotation}
    return {"x": item.x, "y": item.y, "scale": item.scale, "rotation": item.rotation}


def property_changes(item, start: dict, new: dict) -> dict:
    """Field -> value for set_property. A keyframed sticker moves, scales and turns all its keyframes
    by the same amount, so its animation keeps its shape."""
    if isinstance(item, TextItem):
        return {"x": new["x"], "y": new["y"], "size": new["scale"], "rotation": new["rotation"]}
    changes = {"x": new["x"], "y": new["y"], "scale": new["scale"], "rotation": new["rotation"]}
    if isinstance(item, StickerItem) and item.keyframes:
        dx, dy = new["x"] - start["x"], new["y"] - start["y"]
        ratio = new["scale"] / start["scale"] if start["scale"] else 1.0
        dr = new["rotation"] - start["rotation"]
        changes["keyframes"] = tuple(Keyframe(k.frame, k.x + dx, k.y + dy, max(MIN_SCALE, k.scale * ratio),
                                              k.rotation + dr) for k in item.keyframes)
    return changes
