"""chroma_key: green (or any colour) screen keying over a colour, an image or a video, as OBS does it.

Per pixel, the distance d between its chroma (Cr, Cb) and the key colour's chroma picks the matte:
alpha = smoothstep(similarity, similarity + smoothness, d). Chroma, not RGB, so a shadowed or
brighter patch of the screen keys like the rest of it. Spill (key colour bounced onto the subject
and blended into its edges) is removed by capping the key's dominant channel at the larger of the
other two (g = min(g, max(r, b)) for green), weighted by 1 - smoothstep(similarity,
similarity + spill, d): fully at the edge, fading out for pixels far from the key, so a subject's
own colours are left alone; yellow and cyan, whose key channel is not above both others, never
change.
"""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.backdrop import TRANSPARENT, backdrop, source_kind, source_param
from studio.effects.base import Effect, FrameContext
from studio.effects.params import Param, parse_color

# At and above this short side the matte is worked out at half size and scaled up: the source's
# chroma is stored at half size (4:2:0) anyway, so nothing real is lost, and it costs a quarter.
HALF_SIZE_FROM = 540
MIN_SOFTNESS = 1e-3  # similarity + 0 smoothness: a hard edge, without dividing by zero


def _smoothstep(lo: float, hi: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - lo) * (1.0 / max(hi - lo, MIN_SOFTNESS)), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def key_chroma(color: str) -> tuple[float, float]:
    """(Cr, Cb) of '#rrggbb' on the 0..255 scale of cv2's RGB->YCrCb, unrounded, so a flat screen
    of exactly the key colour is at distance 0."""
    r, g, b = parse_color(color)
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return 128.0 + 0.713 * (r - y), 128.0 + 0.564 * (b - y)


def chroma_distance(rgb: np.ndarray, key: tuple[float, float], box: bool) -> np.ndarray:
    """Float32 distance (0..~1, 1 = 255 levels) of each pixel's chroma from the key's; `box`:
    3x3 box-filtered like OBS so encoder noise in the screen does not sparkle through (a half-size
    picture, averaged 2x2 on the way down, needs no more: blurring it again eats into edges)."""
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    cr = ycc[:, :, 1].astype(np.float32) - key[0]
    cb = ycc[:, :, 2].astype(np.float32) - key[1]
    d = cv2.magnitude(cr, cb)
    d *= 1.0 / 255.0
    return cv2.blur(d, (3, 3)) if box else d


def matte(rgb: np.ndarray, params) -> tuple[np.ndarray, np.ndarray]:
    """(alpha, spill weight) at rgb's size: alpha float32 (1 = keep the subject), spill weight
    uint8 (255 = fully despill)."""
    h, w = rgb.shape[:2]
    half = min(w, h) >= HALF_SIZE_FROM
    work = cv2.resize(rgb, (w // 2, h // 2), interpolation=cv2.INTER_AREA) if half else rgb
    d = chroma_distance(work, key_chroma(params["key_color"]), box=not half)
    sim = params["similarity"]
    alpha = _smoothstep(sim, sim + params["smoothness"], d).astype(np.float32)
    spill = ((1.0 - _smoothstep(sim, sim + params["spill"], d)) * 255.0 + 0.5).astype(np.uint8)
    if half:
        alpha = cv2.resize(alpha, (w, h), interpolation=cv2.INTER_LINEAR)
        spill = cv2.resize(spill, (w, h), interpolation=cv2.INTER_LINEAR)
    return alpha, spill


def despill(rgb: np.ndarray, weight: np.ndarray, key_color: str) -> np.ndarray:
    """rgb with the key's dominant channel pulled down to max(other two) by `weight` (uint8,
    255 = all the way)."""
    k = int(np.argmax(parse_color(key_color)))
    channels = list(cv2.split(rgb))
    c = channels[k]
    o1, o2 = (channels[i] for i in range(3) if i != k)
    excess = cv2.subtract(c, cv2.max(o1, o2))  # saturates at 0: only where the key channel leads
    channels[k] = cv2.subtract(c, cv2.multiply(excess, weight, scale=1.0 / 255.0))
    return cv2.merge(channels)


class ChromaKey(Effect):
    id = "chroma_key"
    title = "Green screen"
    category = "background"
    params = (
        Param("key_color", "color", "#00ff00", title="Key colour"),
        Param("similarity", "float", 0.4, 0.0, 1.0, title="Similarity"),
        Param("smoothness", "float", 0.08, 0.0, 1.0, title="Smoothness"),
        Param("spill", "float", 0.5, 0.0, 1.0, title="Spill reduction"),
        source_param(TRANSPARENT),
    )

    def check(self, params) -> None:
        source_kind(self.id, params["source"])

    def apply(self, rgb, ctx: FrameContext, params):
        h, w = rgb.shape[:2]
        alpha, spill = matte(rgb, params)
        fg = despill(rgb, spill, params["key_color"]) if params["spill"] > 0 else rgb
        if params["source"] == TRANSPARENT:  # the layers under the clip show through
            ctx.cut_out(alpha)
            return fg if fg is not rgb else rgb.copy()
        bg = backdrop(self.id, params["source"], ctx, w, h)
        return cv2.blendLinear(fg, bg, alpha, 1.0 - alpha)
