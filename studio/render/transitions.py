"""Transitions at cuts: which frames a transition covers, and the picture it shows on each of them.

Timing. A clip's `transition` is the transition INTO it from the previous clip on the same track,
when that clip ends exactly where this one starts. The transition is centred on the cut: with d
frames, window = [cut - d//2, cut - d//2 + d) and progress at timeline frame f is
p = (f - first + 0.5) / d, so with odd d the middle frame has p = 0.5 exactly. The outgoing clip A
is therefore shown d - d//2 frames past its end and the incoming clip B d//2 frames before its
start. d is shortened to fit both clips (d <= min(len A, len B)), so the windows at the two ends of
a clip never overlap; below 2 frames there is no transition.

Pictures. `transition_sprite(kind, p, a, b)` takes the two clips rendered as full-canvas sprites
(canvas.Sprite: per canvas plane premultiplied values and alpha; RGB one plane, I420 Y/U/V with
U/V at half size) and returns the full-canvas sprite to blend onto the canvas. Everything is
premultiplied uint8 maths in OpenCV, per plane with the plane's subsampling: geometry is computed
once in canvas pixels on an even grid (so an I420 chroma plane moves by exactly half the luma
shift) and then applied to each plane, which makes the RGB (preview) and I420 (export) results the
same picture. Inputs are never modified."""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, NamedTuple

import cv2
import numpy as np

from .canvas import I420, RGB, Sprite
from .colour import RGB_TO_YUV, YUV_TO_RGB

TRANSITIONS: dict[str, str] = {
    "none": "None",
    "dissolve": "Cross-dissolve",
    "dip_black": "Dip to black",
    "dip_white": "Dip to white",
    "slide_left": "Slide left",
    "slide_right": "Slide right",
    "slide_up": "Slide up",
    "slide_down": "Slide down",
    "push_left": "Push left",
    "push_right": "Push right",
    "push_up": "Push up",
    "push_down": "Push down",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "whip_left": "Whip pan left",
    "whip_right": "Whip pan right",
    "whip_up": "Whip pan up",
    "whip_down": "Whip pan down",
    "glitch": "Glitch",
}
DEFAULT_FRAMES = 15
MIN_FRAMES = 2

Planes = list  # [(premultiplied values, alpha), ...] per canvas plane


# -- timing -----------------------------------------------------------------------------------

def window(clip_start: int, frames: int) -> tuple[int, int]:
    """(first, end) timeline frames of a `frames`-long transition centred on the cut at `clip_start`."""
    first = clip_start - frames // 2
    return first, first + frames


def progress(frame: int, first: int, frames: int) -> float:
    """Progress in (0, 1) at timeline `frame` of a transition that starts at `first`."""
    return (frame - first + 0.5) / frames


class ActiveTransition(NamedTuple):
    outgoing: Any
    incoming: Any
    kind: str
    progress: float


def _length(item) -> int:
    duration = getattr(item, "duration", None)
    return int(duration) if duration is not None else int(item.end - item.start)


def _end(item) -> int:
    return int(item.start + _length(item))


def transition_kind(item) -> str:
    """The item's transition id ("none" for items without one; an id this version does not know,
    e.g. from a newer project file, falls back to a dissolve)."""
    kind = getattr(item, "transition", "none") or "none"
    return kind if kind in TRANSITIONS else "dissolve"


def transition_length(outgoing, incoming) -> int:
    """Frames of the transition from `outgoing` into `incoming` after fitting it to both clips;
    0 when there is none (no kind, a gap or overlap between them, or under MIN_FRAMES)."""
    if outgoing is None or transition_kind(incoming) == "none" or _end(outgoing) != incoming.start:
        return 0
    d = min(int(getattr(incoming, "transition_frames", DEFAULT_FRAMES)), _length(outgoing), _length(incoming))
    return d if d >= MIN_FRAMES else 0


def transition_at(track_items: Iterable, frame: int) -> ActiveTransition | None:
    """(outgoing, incoming, kind, progress) when `frame` lies in a transition window of this
    track's items (sorted by start), else None."""
    previous = None
    for item in track_items:
        d = transition_length(previous, item)
        if d:
            first, end = window(item.start, d)
            if first <= frame < end:
                return ActiveTransition(previous, item, transition_kind(item), progress(frame, first, d))
        if item.start > frame:  # later windows start at or after this item's start
            break
        previous = item
    return None


# -- shared pixel helpers ---------------------------------------------------------------------

def _subs(sprite: Sprite) -> tuple[int, ...]:
    return (1,) if sprite.fmt == RGB else (1, 2, 2)


def _even(value: float, minimum: int = 0) -> int:
    """Round to the even grid every geometry is computed on (I420 chroma moves by half of it)."""
    return max(minimum, 2 * int(round(value / 2.0)))


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _smoothstep(x: float) -> float:
    x = _clamp(x)
    return x * x * (3.0 - 2.0 * x)


def _ease_in_out(p: float) -> float:
    """Cubic ease-in-out; symmetric, so _ease_in_out(0.5) == 0.5."""
    return 4.0 * p ** 3 if p < 0.5 else 1.0 - (2.0 - 2.0 * p) ** 3 / 2.0


def _opaque(alpha: np.ndarray) -> bool:
    return alpha.size > 0 and cv2.minMaxLoc(alpha)[0] >= 255


def _copy(sprite: Sprite) -> Planes:
    return [(v.copy(), a.copy()) for v, a in sprite.planes]


def _regions(shape, dx: int, dy: int):
    """(destination, source) slices for a plane moved by (dx, dy); None when nothing overlaps."""
    h, w = shape[:2]
    if abs(dx) >= w or abs(dy) >= h:
        return None
    dst = (slice(max(dy, 0), h + min(dy, 0)), slice(max(dx, 0), w + min(dx, 0)))
    src = (slice(max(-dy, 0), h + min(-dy, 0)), slice(max(-dx, 0), w + min(-dx, 0)))
    return dst, src


def _over(dst_v: np.ndarray, dst_a: np.ndarray, src_v: np.ndarray, src_a: np.ndarray, opacity: float = 1.0) -> None:
    """Premultiplied `over` of same-shaped arrays, written into the dst views."""
    if opacity < 1.0:
        k = max(0.0, opacity)
        src_v = cv2.convertScaleAbs(src_v, alpha=k)
        src_a = cv2.convertScaleAbs(src_a, alpha=k)
    elif _opaque(src_a):
        dst_v[...] = src_v
        dst_a[...] = 255
        return
    inv = cv2.bitwise_not(src_a)
    inv_v = inv if dst_v.ndim == 2 else cv2.merge([inv] * dst_v.shape[2])
    dst_v[...] = cv2.add(src_v, cv2.multiply(dst_v, inv_v, scale=1 / 255))
    dst_a[...] = cv2.add(src_a, cv2.multiply(dst_a, inv, scale=1 / 255))


def _mix(a: Planes, b: Planes, t: float) -> Planes:
    """(1 - t) * a + t * b on values and alpha: exact for premultiplied pictures."""
    return [(cv2.addWeighted(va, 1.0 - t, vb, t, 0.0), cv2.addWeighted(aa, 1.0 - t, ab, t, 0.0))
            for (va, aa), (vb, ab) in zip(a, b)]


def _moved_pair(a: Sprite, b: Sprite, adx: int, ady: int, bdx: int, bdy: int) -> Planes:
    """A moved by (adx, ady) and B by (bdx, bdy) on a transparent canvas (they must not overlap)."""
    out = []
    for (va, aa), (vb, ab), sub in zip(a.planes, b.planes, _subs(a)):
        v, al = np.zeros_like(va), np.zeros_like(aa)
        for src_v, src_a, dx, dy in ((va, aa, adx, ady), (vb, ab, bdx, bdy)):
            region = _regions(v.shape, dx // sub, dy // sub)
            if region:
                v[region[0]] = src_v[region[1]]
                al[region[0]] = src_a[region[1]]
        out.append((v, al))
    return out


def _direction(name: str) -> tuple[int, int]:
    """Unit motion vector (x, y) of a direction suffix: 'left' moves things towards -x."""
    return {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[name]


# -- kinds ------------------------------------------------------------------------------------

def _none(p: float, a: Sprite, b: Sprite) -> Planes:
    return _copy(a if p < 0.5 else b)


def _dissolve(p: float, a: Sprite, b: Sprite) -> Planes:
    return _mix(list(a.planes), list(b.planes), p)


def _colour_planes(fmt: str, rgb: tuple[int, int, int]) -> list:
    """The colour per canvas plane: an RGB triple for RGB, Y, U, V values for I420."""
    if fmt == RGB:
        return [rgb]
    yuv = RGB_TO_YUV[:, :3].astype(np.float64) @ np.array(rgb, np.float64) + RGB_TO_YUV[:, 3]
    return [int(np.clip(np.rint(c), 0, 255)) for c in yuv]


def _towards(values: np.ndarray, t: float, colour) -> np.ndarray:
    """(1 - t) * values + t * colour (an opaque colour layer: premultiplied value = colour)."""
    if np.ndim(colour) == 0 or len(set(colour)) == 1:
        c = float(colour if np.ndim(colour) == 0 else colour[0])
        return cv2.convertScaleAbs(values, alpha=1.0 - t, beta=t * c)
    solid = np.empty_like(values)
    solid[...] = colour
    return cv2.addWeighted(values, 1.0 - t, solid, t, 0.0)


def _dip(rgb: tuple[int, int, int]) -> Callable:
    def run(p: float, a: Sprite, b: Sprite) -> Planes:
        source, t = (a, 2.0 * p) if p < 0.5 else (b, 2.0 * (1.0 - p))  # t: weight of the colour
        return [(_towards(v, t, c), _towards(al, t, 255)) for (v, al), c in
                zip(source.planes, _colour_planes(source.fmt, rgb))]
    return run


def _slide(direction: str) -> Callable:
    """B slides in over A, moving in `direction` (slide_left: B enters from the right edge)."""
    ux, uy = _direction(direction)

    def run(p: float, a: Sprite, b: Sprite) -> Planes:
        rest = 1.0 - _ease_in_out(p)
        dx, dy = -ux * _even(a.width * rest), -uy * _even(a.height * rest)
        out = _copy(a)
        for (v, al), (vb, ab), sub in zip(out, b.planes, _subs(a)):
            region = _regions(v.shape, dx // sub, dy // sub)
            if region:
                d, s = region
                _over(v[d], al[d], vb[s], ab[s])
        return out
    return run


def _push_offsets(a: Sprite, direction: str, e: float) -> tuple[int, int, int, int]:
    ux, uy = _direction(direction)
    sx, sy = _even(a.width * e), _even(a.height * e)
    bx = ux * (sx - a.width) if ux else 0  # B sits one canvas behind A, so they tile exactly
    by = uy * (sy - a.height) if uy else 0
    return ux * sx, uy * sy, bx, by


def _push(direction: str) -> Callable:
    """B pushes A out: both move in `direction`."""
    def run(p: float, a: Sprite, b: Sprite) -> Planes:
        return _moved_pair(a, b, *_push_offsets(a, direction, _ease_in_out(p)))
    return run


_WHIP_K = 10.0          # steepness of the whip's position curve (tanh)
_WHIP_BLUR = 0.06       # blur length = this * canvas size along the motion * speed (speed 5 at p = 0.5)


def _whip_position(p: float) -> float:
    return 0.5 + 0.5 * math.tanh(_WHIP_K * (p - 0.5)) / math.tanh(_WHIP_K / 2)


def _whip_speed(p: float) -> float:
    return 0.5 * _WHIP_K * (1.0 - math.tanh(_WHIP_K * (p - 0.5)) ** 2) / math.tanh(_WHIP_K / 2)


def _whip(direction: str) -> Callable:
    """A push that covers nearly all of its distance around the cut, with a box motion blur along
    the motion whose length follows the speed (none at the ends, a third of the canvas at the cut)."""
    ux, _ = _direction(direction)
    horizontal = ux != 0

    def run(p: float, a: Sprite, b: Sprite) -> Planes:
        out = _moved_pair(a, b, *_push_offsets(a, direction, _whip_position(p)))
        extent = a.width if horizontal else a.height
        length = _WHIP_BLUR * extent * _whip_speed(p)
        if length < 2:
            return out
        blurred = []
        for (v, al), sub in zip(out, _subs(a)):
            k = int(length / sub) | 1
            ksize = (k, 1) if horizontal else (1, k)
            v = cv2.blur(v, ksize, borderType=cv2.BORDER_REPLICATE)
            if not _opaque(al):
                al = cv2.blur(al, ksize, borderType=cv2.BORDER_REPLICATE)
            blurred.append((v, al))
        return blurred
    return run


def _centred(total: int, size: int) -> int:
    """Even offset that centres `size` in `total` (to within a pixel) and keeps it inside."""
    return max(0, min(_even((total - size) / 2), total - size))


def _owned(planes: Planes, sprite: Sprite) -> Planes:
    """Copy whichever arrays are still the input sprite's own, so results never alias inputs."""
    return [(v.copy() if v is sv else v, al.copy() if al is sa else al)
            for (v, al), (sv, sa) in zip(planes, sprite.planes)]


def _zoomed(sprite: Sprite, scale: float) -> Planes:
    """The sprite scaled by `scale` >= 1 about the canvas centre (a centred crop scaled up)."""
    if scale <= 1.0:
        return list(sprite.planes)
    w, h = sprite.width, sprite.height
    cw, ch = min(_even(w / scale, 2), w), min(_even(h / scale, 2), h)
    x0, y0 = _centred(w, cw), _centred(h, ch)
    out = []
    for (v, al), sub in zip(sprite.planes, _subs(sprite)):
        size = (v.shape[1], v.shape[0])
        crop = (slice(y0 // sub, (y0 + ch) // sub), slice(x0 // sub, (x0 + cw) // sub))
        zv = cv2.resize(v[crop], size, interpolation=cv2.INTER_LINEAR)
        za = np.full_like(al, 255) if _opaque(al) else cv2.resize(al[crop], size, interpolation=cv2.INTER_LINEAR)
        out.append((zv, za))
    return out


def _shrunk(sprite: Sprite, scale: float) -> tuple[int, int, Planes]:
    """(x, y, planes): the sprite scaled by `scale` < 1, placed centred at (x, y) on the even grid."""
    w, h = sprite.width, sprite.height
    sw, sh = min(_even(w * scale, 2), w), min(_even(h * scale, 2), h)
    x0, y0 = _centred(w, sw), _centred(h, sh)
    planes = []
    for (v, al), sub in zip(sprite.planes, _subs(sprite)):
        size = (max(1, sw // sub), max(1, sh // sub))
        alpha = np.full(size[::-1], 255, np.uint8) if _opaque(al) else _downscale(al, size)
        planes.append((_downscale(v, size), alpha))
    return x0, y0, planes


def _downscale(plane: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Shrink to `size`: exact 2x INTER_AREA halvings (fast, no aliasing) down to within 2x of the
    target, then a linear resize (INTER_AREA at arbitrary factors costs ~10 ms a 1080x1920 plane)."""
    while plane.shape[1] >= 2 * size[0] and plane.shape[0] >= 2 * size[1] and plane.shape[1] >= 4:
        plane = cv2.resize(plane, (plane.shape[1] // 2, plane.shape[0] // 2), interpolation=cv2.INTER_AREA)
    return cv2.resize(plane, size, interpolation=cv2.INTER_LINEAR)


def _soften(planes: Planes, sprite: Sprite, amount: float) -> Planes:
    """A light box blur of `amount` canvas widths (the speed blur of a fast zoom)."""
    k = int(amount * sprite.width)
    if k < 3:
        return planes
    out = []
    for (v, al), sub in zip(planes, _subs(sprite)):
        ks = int(k / sub) | 1
        out.append((cv2.blur(v, (ks, ks), borderType=cv2.BORDER_REPLICATE),
                    al if _opaque(al) else cv2.blur(al, (ks, ks), borderType=cv2.BORDER_REPLICATE)))
    return out


_ZOOM_IN = 0.8     # peak extra scale of the punch-in (A grows to 1.8x, B lands from 1.8x)
_ZOOM_OUT_BG = 0.25


def _zoom_in(p: float, a: Sprite, b: Sprite) -> Planes:
    """A punches in towards the centre, accelerating; B arrives zoomed in and settles to 1x; a short
    cross-dissolve and a speed blur around the cut hide the switch."""
    w = _smoothstep((p - 0.4) / 0.2)  # weight of B
    blur = 0.012 * math.sin(math.pi * _clamp((p - 0.25) / 0.5)) ** 2
    if w <= 0.0:
        out = _owned(_zoomed(a, 1.0 + _ZOOM_IN * min(1.0, p / 0.6) ** 2), a)
    elif w >= 1.0:
        out = _owned(_zoomed(b, 1.0 + _ZOOM_IN * min(1.0, (1.0 - p) / 0.6) ** 2), b)
    else:
        out = _mix(_zoomed(a, 1.0 + _ZOOM_IN * (p / 0.6) ** 2), _zoomed(b, 1.0 + _ZOOM_IN * ((1.0 - p) / 0.6) ** 2), w)
    return _soften(out, a, blur)  # a blur is linear: blurring the mix once equals mixing blurred layers


def _zoom_out(p: float, a: Sprite, b: Sprite) -> Planes:
    """A shrinks away into the centre and fades, revealing B, which settles from a slight zoom."""
    out = _owned(_zoomed(b, 1.0 + _ZOOM_OUT_BG * (1.0 - p) ** 2), b)
    scale = 1.0 - 0.85 * _ease_in_out(p)
    fade = 1.0 - _smoothstep((p - 0.55) / 0.45)
    if fade <= 0.0:
        return out
    x, y, small = _shrunk(a, scale) if scale < 1.0 else (0, 0, list(a.planes))
    for (v, al), (sv, sa), sub in zip(out, small, _subs(a)):
        d = (slice(y // sub, y // sub + sv.shape[0]), slice(x // sub, x // sub + sv.shape[1]))
        _over(v[d], al[d], sv, sa, fade)
    return out


_GLITCH_SPAN = 0.25  # the glitch runs for p in (0.5 - span, 0.5 + span), strongest at the cut


def _shift_replicate(plane: np.ndarray, dx: int) -> np.ndarray:
    """The plane moved by dx columns, its edge column repeated into the uncovered strip."""
    if dx == 0:
        return plane.copy()
    out = np.empty_like(plane)
    w = plane.shape[1]
    dx = max(-w + 1, min(w - 1, dx))
    if dx > 0:
        out[:, dx:] = plane[:, :w - dx]
        out[:, :dx] = plane[:, :1]
    else:
        out[:, :w + dx] = plane[:, -dx:]
        out[:, w + dx:] = plane[:, -1:]
    return out


def _chroma_split(planes: Planes, fmt: str, shift: int) -> Planes:
    """Move Cb by +shift and Cr by -shift canvas pixels (shift even); luma stays where it is. For
    I420 that is a move of the U and V planes; RGB goes through BT.709 Y'CbCr and back (cv2's 3x3
    transforms are fast; other channel counts take a ~10x slower path), so preview and export show
    the same colour fringes. The round trip costs up to 2 levels on glitch frames, which are noise anyway."""
    if shift == 0:
        return planes
    if fmt == I420:
        (y, ya), (u, ua), (v, va) = planes
        h = shift // 2
        return [(y, ya), (_shift_replicate(u, h), _shift_replicate(ua, h)),
                (_shift_replicate(v, -h), _shift_replicate(va, -h))]
    ((values, alpha),) = planes
    # the offsets cancel on the way back, so premultiplied values convert as they are
    yuv = cv2.transform(values, RGB_TO_YUV)
    yuv[..., 1] = _shift_replicate(yuv[..., 1], shift)  # channel views: cheaper than split/merge
    yuv[..., 2] = _shift_replicate(yuv[..., 2], -shift)
    out = cv2.transform(yuv, YUV_TO_RGB)
    if not _opaque(alpha):  # premultiplied values never exceed their alpha
        out = cv2.min(out, cv2.merge([alpha] * 3))
    return [(out, alpha)]


def _glitch(p: float, a: Sprite, b: Sprite) -> Planes:
    """A hard cut at p = 0.5 broken up, for a few frames either side, by horizontal bands displaced
    sideways (some showing the other clip) and a chroma split. Everything random is drawn from a
    generator seeded by the progress, so a frame always looks the same."""
    base, other = (a, b) if p < 0.5 else (b, a)
    g = _clamp(1.0 - abs(p - 0.5) / _GLITCH_SPAN)
    out = _copy(base)
    if g <= 0.0:
        return out
    rng = np.random.default_rng(int(round(p * 1_000_003)) + 7919)
    w, h = a.width, a.height
    subs = _subs(a)
    for _ in range(3 + int(round(6 * g))):
        y0 = _even(rng.uniform(0.0, 0.95) * h)
        y1 = min(h, y0 + _even(rng.uniform(0.015, 0.12) * h, 2))
        dx = _even(rng.uniform(-1.0, 1.0) * 0.18 * g * w)
        source = other if rng.uniform() < 0.35 * g else base
        for (v, al), (sv, sa), sub in zip(out, source.planes, subs):
            rows = slice(y0 // sub, y1 // sub)
            v[rows] = np.roll(sv[rows], dx // sub, axis=1)
            al[rows] = np.roll(sa[rows], dx // sub, axis=1)
    return _chroma_split(out, a.fmt, _even(0.025 * g * w))


_KINDS: dict[str, Callable[[float, Sprite, Sprite], Planes]] = {
    "none": _none,
    "dissolve": _dissolve,
    "dip_black": _dip((0, 0, 0)),
    "dip_white": _dip((255, 255, 255)),
    **{f"slide_{d}": _slide(d) for d in ("left", "right", "up", "down")},
    **{f"push_{d}": _push(d) for d in ("left", "right", "up", "down")},
    "zoom_in": _zoom_in,
    "zoom_out": _zoom_out,
    **{f"whip_{d}": _whip(d) for d in ("left", "right", "up", "down")},
    "glitch": _glitch,
}
assert set(_KINDS) == set(TRANSITIONS)


def transition_sprite(kind: str, progress: float, a: Sprite, b: Sprite) -> Sprite:
    """The full-canvas sprite of transition `kind` at `progress` (0..1) from sprite `a` (outgoing)
    to sprite `b` (incoming); both full-canvas sprites of the same format and size."""
    if a.fmt != b.fmt or (a.width, a.height) != (b.width, b.height):
        raise ValueError("transition sprites differ in format or size")
    try:
        run = _KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown transition {kind!r}") from None
    planes = run(_clamp(float(progress)), a, b)
    return Sprite(a.fmt, a.width, a.height, tuple((v, al) for v, al in planes))


__all__ = ["ActiveTransition", "DEFAULT_FRAMES", "MIN_FRAMES", "TRANSITIONS", "progress", "transition_at",
           "transition_kind", "transition_length", "transition_sprite", "window"]
