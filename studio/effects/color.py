"""Whole-frame looks that need no tracking: look (LUT), vignette, grain, rgb_split, mirror."""
from __future__ import annotations

import zlib

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.errors import EffectError
from studio.effects.params import Param


class Look(Effect):
    id = "look"
    title = "Look"
    category = "color"
    pointwise = True  # a 3D LUT mixed by intensity: each pixel from its own colour (runs on the shown crop)
    params = (
        Param("name", "look", "vivid", title="Look"),
        Param("intensity", "float", 1.0, 0.0, 1.0, animatable=True, title="Intensity"),
    )

    def check(self, params) -> None:
        # Built-in looks are generated and tested with the library: checking that the id exists is
        # enough, and parsing a 33^3 .cube per clip would slow every export start. A user's .cube
        # file is parsed here so a broken one is reported before the export begins.
        from studio.library.errors import LibraryError
        from studio.library.looks import get_look, list_looks

        try:
            look = get_look(params["name"])
        except LibraryError as e:
            raise EffectError(f"effect 'look': param 'name': {e}") from None
        if look.id not in {known.id for known in list_looks()}:
            _load_lut(params["name"])

    def apply(self, rgb, ctx: FrameContext, params):
        if params["intensity"] <= 0:
            return rgb.copy()
        lut = ctx.shared_memo(("lut", params["name"]), lambda: _load_lut(params["name"]))
        out = lut.apply(rgb, params["intensity"])
        return np.ascontiguousarray(out, dtype=np.uint8)


def _load_lut(name: str):
    from studio.library.errors import LibraryError
    from studio.library.looks import load_lut

    try:
        return load_lut(name)
    except LibraryError as e:
        raise EffectError(f"effect 'look': param 'name': {e}") from None


class Vignette(Effect):
    id = "vignette"
    title = "Vignette"
    category = "color"
    params = (Param("strength", "float", 0.5, 0.0, 1.0, animatable=True, title="Strength"),)

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        if s <= 0:
            return rgb.copy()
        h, w = rgb.shape[:2]
        gain = ctx.memo(("gain", w, h, s), lambda: _vignette_gain(w, h, s))
        return cv2.multiply(rgb, gain, scale=1.0 / 255.0)


def _vignette_gain(w: int, h: int, strength: float) -> np.ndarray:
    # Elliptical falloff normalised to the frame's aspect: 1 in the middle, 1-strength in the corners.
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    r2 = (x * x + y * y) / 2.0
    g = 1.0 - strength * np.clip((r2 - 0.15) / 0.85, 0, 1) ** 1.5
    g8 = np.clip(g * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return cv2.merge([g8, g8, g8])


class Grain(Effect):
    id = "grain"
    title = "Film grain"
    category = "color"
    params = (Param("amount", "float", 0.3, 0.0, 1.0, animatable=True, title="Amount"),)

    def apply(self, rgb, ctx: FrameContext, params):
        a = params["amount"]
        if a <= 0:
            return rgb.copy()
        h, w = rgb.shape[:2]
        # Seeded by the frame index, so preview and export show the same grain on the same frame.
        rng = np.random.default_rng(zlib.crc32(b"grain") ^ (ctx.frame_index & 0xFFFFFFFF))
        hh, hw = (h + 1) // 2, (w + 1) // 2  # 2-px grain looks filmic and costs a quarter
        n = rng.standard_normal((hh, hw), dtype=np.float32) * (a * 24.0)
        n = cv2.resize(n, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.int16)
        return cv2.add(rgb, cv2.merge([n, n, n]), dtype=cv2.CV_8U)


class RgbSplit(Effect):
    id = "rgb_split"
    title = "RGB split"
    category = "color"
    params = (Param("amount", "float", 0.3, 0.0, 1.0, animatable=True, title="Amount"),)

    def apply(self, rgb, ctx: FrameContext, params):
        w = rgb.shape[1]
        d = int(round(params["amount"] * 0.02 * w))  # up to 2 % of the width
        if d <= 0:
            return rgb.copy()
        d = min(d, w - 1)
        out = rgb.copy()
        out[:, :-d, 0] = rgb[:, d:, 0]  # red to the left
        out[:, -d:, 0] = rgb[:, -1:, 0]
        out[:, d:, 2] = rgb[:, :-d, 2]  # blue to the right
        out[:, :d, 2] = rgb[:, :1, 2]
        return out


class Mirror(Effect):
    """Flip left-right. Tracking-based effects placed after it in a chain see mirrored landmarks."""

    id = "mirror"
    title = "Mirror"
    category = "frame"
    params = ()

    def apply(self, rgb, ctx: FrameContext, params):
        return cv2.flip(rgb, 1)
