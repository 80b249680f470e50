"""A clip on a video layer: its transform (crop, box, scale, rotation, position), opacity and blend
mode turned into pixels on the canvas.

Drawing goes in two steps, so the renderer can fetch only what shows: `shown_rect` is the part of
the source picture the clip shows (its crop and, for fill/follow, the window of its box's shape
inside that), and `draw_shown` puts that part on the canvas. A clip that fills the canvas, or is
opaque and upright, is pasted scaled into its rectangle (`Canvas.put_rgb`: one resize per plane,
no alpha); anything else becomes a sprite (turned, see-through or cut out) blended `over`, or in
RGB for the other blend modes. Positions and sizes are rounded to even pixels in every format, so
the preview (RGB) and the export (I420) put a picture-in-picture in the same place."""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from studio.model import Clip

from .canvas import Canvas, Sprite, make_sprite
from .reframe import follow_crop, place, source_to_canvas

_FILLS = ("fill", "follow")


@dataclass(frozen=True)
class Box:
    """Where a clip's picture goes on the canvas: an upright w x h rectangle at (x, y), turned by
    `rotation` degrees around its centre."""
    x: int
    y: int
    w: int
    h: int
    rotation: float


def _even(v: float) -> int:
    return int(round(v / 2.0)) * 2


def box_of(clip: Clip, width: int, height: int) -> Box:
    w = max(2, _even(clip.box_w * clip.scale * width))
    h = max(2, _even(clip.box_h * clip.scale * height))
    return Box(_even(clip.x * width - w / 2), _even(clip.y * height - h / 2), w, h, clip.rotation)


def is_untransformed(clip: Clip) -> bool:
    """The clip's picture fills the canvas as it always did (fit, crop and effects aside)."""
    return (clip.x == 0.5 and clip.y == 0.5 and clip.box_w == 1.0 and clip.box_h == 1.0 and clip.scale == 1.0
            and clip.rotation % 360 == 0)


def covers_canvas(clip: Clip, cut_out: bool) -> bool:
    """Nothing under this clip can show: it fills the canvas, opaque, with the plain blend."""
    return (is_untransformed(clip) and clip.fit in ("fill", "follow") and clip.opacity >= 1.0
            and clip.blend == "normal" and not cut_out)


def crop_centre(clip: Clip, follow_x: float | None) -> float | None:
    """Centre (fraction of the source width) of the 9:16 crop of a fill or follow clip: the
    subject's path for follow, the middle for fill, each moved by the clip's `pan` (a hand
    correction, keyable); None for the fit modes, which show the whole picture."""
    if clip.fit == "follow":
        return (0.5 if follow_x is None else follow_x) + clip.pan
    if clip.fit == "fill" and clip.pan:
        return 0.5 + clip.pan
    return None


def crop_bounds(clip: Clip, w: int, h: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the clip's crop of a w x h picture (all of it when the crop leaves nothing)."""
    x0, x1 = int(round(clip.crop_left * w)), w - int(round(clip.crop_right * w))
    y0, y1 = int(round(clip.crop_top * h)), h - int(round(clip.crop_bottom * h))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return 0, 0, w, h
    return x0, y0, x1, y1


def shown_rect(clip: Clip, src_w: int, src_h: int, width: int, height: int, centre_x: float | None,
               cut_out: bool = False) -> tuple[int, int, int, int]:
    """(x, y, w, h): the part of a src_w x src_h source picture that the clip shows on a
    width x height canvas. The crop; for fill/follow, the window of the canvas' (or the clip
    box's) shape inside it, placed by `centre_x` (the follow path, before the clip's pan)."""
    x0, y0, x1, y1 = crop_bounds(clip, src_w, src_h)
    if clip.fit not in _FILLS:
        return x0, y0, x1 - x0, y1 - y0
    if covers_canvas(clip, cut_out):
        target_w, target_h = width, height
    else:
        box = box_of(clip, width, height)
        target_w, target_h = box.w, box.h
    x, y, w, h = follow_crop(x1 - x0, y1 - y0, target_w, target_h, crop_centre(clip, centre_x))
    return x0 + x, y0 + y, w, h


def clip_to_canvas(clip: Clip, src_w: int, src_h: int, width: int, height: int,
                   centre_x: float | None = None) -> tuple[float, float, float]:
    """(scale, offset_x, offset_y) with canvas = source * scale + offset (rotation aside), for
    face-anchored stickers over a transformed clip."""
    centre_x = crop_centre(clip, centre_x)
    x0, y0 = clip.crop_left * src_w, clip.crop_top * src_h
    cw, ch = src_w - x0 - clip.crop_right * src_w, src_h - y0 - clip.crop_bottom * src_h
    if is_untransformed(clip):
        s, ox, oy = source_to_canvas(int(round(cw)), int(round(ch)), width, height, clip.fit, centre_x)
        return s, ox - x0 * s, oy - y0 * s
    box = box_of(clip, width, height)
    s, ox, oy = source_to_canvas(int(round(cw)), int(round(ch)), box.w, box.h, clip.fit, centre_x)
    return s, box.x + ox - x0 * s, box.y + oy - y0 * s


def shown_part(rgb: np.ndarray, alpha: np.ndarray | None, clip: Clip, width: int, height: int,
               centre_x: float | None) -> tuple[np.ndarray, np.ndarray | None]:
    """(picture, alpha) cut to `shown_rect` from a whole (effect-processed) source picture."""
    x, y, w, h = shown_rect(clip, rgb.shape[1], rgb.shape[0], width, height, centre_x, alpha is not None)
    return rgb[y:y + h, x:x + w], (None if alpha is None else alpha[y:y + h, x:x + w])


def draw_clip(canvas: Canvas, rgb: np.ndarray, alpha: np.ndarray | None, clip: Clip,
              centre_x: float | None) -> None:
    """Put the clip's (effect-processed) whole source picture on the canvas as its transform says."""
    draw_shown(canvas, *shown_part(rgb, alpha, clip, canvas.width, canvas.height, centre_x), clip)


def draw_shown(canvas: Canvas, pic: np.ndarray, alpha: np.ndarray | None, clip: Clip) -> None:
    """Put the part of the clip's picture that shows (`shown_rect`, effects applied) on the canvas."""
    if covers_canvas(clip, alpha is not None):
        canvas.put_rgb(pic, 0, 0, canvas.width, canvas.height, _interp(canvas.width, pic.shape[1]))
        return
    box = box_of(clip, canvas.width, canvas.height)
    if (alpha is None and clip.opacity >= 1.0 and clip.blend == "normal" and box.rotation % 360 == 0
            and clip.fit in _FILLS):
        canvas.put_rgb(pic, box.x, box.y, box.w, box.h, _interp(box.w, pic.shape[1]))
        return
    rgba, x, y = clip_rgba(pic, alpha, clip, box)
    if clip.blend == "normal":
        canvas.blend(make_sprite(rgba, canvas.fmt), x, y, clip.opacity)
    else:
        canvas.blend_mode(rgba, x, y, clip.opacity, clip.blend)


def _interp(target_w: int, source_w: int) -> int:
    return cv2.INTER_AREA if target_w < source_w else cv2.INTER_LINEAR


def clip_rgba(rgb: np.ndarray, alpha: np.ndarray | None, clip: Clip, box: Box) -> tuple[np.ndarray, int, int]:
    """The shown part of the clip's picture fitted into its box, turned, as straight-alpha RGBA
    with its top-left corner."""
    h, w = rgb.shape[:2]
    if clip.fit in _FILLS:  # the shown part has the box's shape already
        interp = _interp(box.w, w)
        pic = cv2.resize(rgb, (box.w, box.h), interpolation=interp)
        a = (np.full((box.h, box.w), 255, np.uint8) if alpha is None
             else cv2.resize(alpha, (box.w, box.h), interpolation=interp))
    else:
        boxed = Canvas(box.w, box.h)
        place(boxed, rgb, clip.fit, None)
        pic = boxed.buffer
        if alpha is None:
            a = np.full((box.h, box.w), 255, np.uint8)
        else:  # a cut-out clip keeps its bars see-through: only the subject is drawn
            scale, ox, oy = source_to_canvas(w, h, box.w, box.h, clip.fit)
            fw, fh = max(2, round(w * scale) & ~1), max(2, round(h * scale) & ~1)
            a = np.zeros((box.h, box.w), np.uint8)
            a[int(oy):int(oy) + fh, int(ox):int(ox) + fw] = cv2.resize(alpha, (fw, fh))[:box.h - int(oy), :box.w - int(ox)]
    rgba = np.dstack([pic, a])
    if box.rotation % 360 == 0:
        return rgba, box.x, box.y
    from .overlays import rotate_rgba  # the overlays' rotation: premultiplied, no dark fringes

    turned = rotate_rgba(rgba, box.rotation)
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    return turned, _even(cx - turned.shape[1] / 2), _even(cy - turned.shape[0] / 2)


def full_canvas_sprite(canvas: Canvas) -> Sprite:
    """An opaque canvas as a sprite covering it (a transition's side that fills the frame)."""
    planes = []
    for plane, _ in canvas.planes:
        alpha = np.full(plane.shape[:2], 255, np.uint8)
        planes.append((plane, alpha))
    return Sprite(canvas.fmt, canvas.width, canvas.height, tuple(planes))


def pad_sprite(sprite: Sprite, x: int, y: int, width: int, height: int) -> Sprite:
    """A sprite placed at (x, y) on an otherwise transparent canvas-sized sprite."""
    planes = []
    for (premult, alpha), sub in zip(sprite.planes, (1, 2, 2) if sprite.fmt == "i420" else (1,)):
        w, h = width // sub, height // sub
        p = np.zeros((h, w) + premult.shape[2:], np.uint8)
        a = np.zeros((h, w), np.uint8)
        px, py = x // sub, y // sub
        x0, y0 = max(px, 0), max(py, 0)
        x1, y1 = min(px + premult.shape[1], w), min(py + premult.shape[0], h)
        if x0 < x1 and y0 < y1:
            p[y0:y1, x0:x1] = premult[y0 - py:y1 - py, x0 - px:x1 - px]
            a[y0:y1, x0:x1] = alpha[y0 - py:y1 - py, x0 - px:x1 - px]
        planes.append((p, a))
    return Sprite(sprite.fmt, width, height, tuple(planes))


def with_opacity(sprite: Sprite, opacity: float) -> Sprite:
    if opacity >= 1.0:
        return sprite
    k = max(0.0, opacity)
    return Sprite(sprite.fmt, sprite.width, sprite.height,
                  tuple((cv2.convertScaleAbs(p, alpha=k), cv2.convertScaleAbs(a, alpha=k)) for p, a in sprite.planes))


def layer_sprite(pic: np.ndarray, alpha: np.ndarray | None, clip: Clip, width: int, height: int,
                 fmt: str) -> Sprite:
    """The clip drawn alone as a canvas-sized sprite (what a transition mixes), from the part of its
    picture that shows (`shown_rect`, effects applied)."""
    if covers_canvas(clip, alpha is not None):
        canvas = Canvas(width, height, fmt, fill=False)
        canvas.put_rgb(pic, 0, 0, width, height, _interp(width, pic.shape[1]))
        return full_canvas_sprite(canvas)
    box = box_of(clip, width, height)
    rgba, x, y = clip_rgba(pic, alpha, clip, box)
    if fmt == "i420":
        x, y = x & ~1, y & ~1
    return with_opacity(pad_sprite(make_sprite(rgba, fmt), x, y, width, height), clip.opacity)


def corners(clip: Clip, width: int, height: int) -> list[tuple[float, float]]:
    """The clip box's four corners on the canvas (for the preview's handles)."""
    box = box_of(clip, width, height)
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    a = math.radians(box.rotation)
    out = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = dx * box.w / 2, dy * box.h / 2
        out.append((cx + px * math.cos(a) - py * math.sin(a), cy + px * math.sin(a) + py * math.cos(a)))
    return out


def may_cut_out(clip: Clip) -> bool:
    """The clip's effects can make parts of it see-through (a transparent key or background)."""
    for ref in clip.effects:
        if not ref.enabled:
            continue
        if ref.id == "remove_background":
            return True
        default = "transparent" if ref.id == "chroma_key" else ""
        if ref.id in ("chroma_key", "background_replace") and ref.params.get("source", default) == "transparent":
            return True
    return False
