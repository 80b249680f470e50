"""background_blur / background_replace: composite the person (segmentation mask) over a new background."""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.backdrop import TRANSPARENT, backdrop, cover, read_image, source_kind, source_param
from studio.effects.base import Effect, FrameContext
from studio.effects.params import Param

MIN_PERSON_FRACTION = 0.005  # below this the frame has no person: leave it alone


def _soft_mask(ctx: FrameContext, size, feather: float) -> np.ndarray | None:
    """Feathered float32 person mask at `size`, or None when there is no person."""
    pm = ctx.person_mask
    # The selfie segmenter assumes someone is there (it calls half of a coffee-cup photo "person"),
    # so a face is what says a person is in frame.
    if pm is None or not ctx.faces:
        return None
    small = pm.mask
    if np.count_nonzero(small > 127) < MIN_PERSON_FRACTION * small.size:
        return None
    # Feather at the mask's small working size (cheap), then upscale: edges come out soft.
    sigma = max(0.5, feather * max(small.shape) / 256)
    m = cv2.GaussianBlur(small, (0, 0), sigma)
    m = cv2.resize(m, size, interpolation=cv2.INTER_LINEAR)
    return m.astype(np.float32) * (1.0 / 255.0)


def _composite(fg: np.ndarray, bg: np.ndarray, m: np.ndarray) -> np.ndarray:
    return cv2.blendLinear(fg, bg, m, 1.0 - m)


class BackgroundBlur(Effect):
    id = "background_blur"
    title = "Background blur"
    category = "background"
    needs = frozenset({"segmentation", "face"})
    params = (Param("strength", "float", 0.6, 0.0, 1.0, animatable=True, title="Blur"),)

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        h, w = rgb.shape[:2]
        m = _soft_mask(ctx, (w, h), 2.0) if s > 0 else None
        if m is None:
            return rgb.copy()
        # Blur at quarter size: a wide Gaussian there is cheap and looks the same once upscaled.
        q = 4
        small = cv2.resize(rgb, (max(1, w // q), max(1, h // q)), interpolation=cv2.INTER_AREA)
        sigma = 0.5 + s * max(w, h) / q / 60.0
        small = cv2.GaussianBlur(small, (0, 0), sigma)
        bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
        return _composite(rgb, bg, m)


class BackgroundReplace(Effect):
    id = "background_replace"
    title = "Background replace"
    category = "background"
    needs = frozenset({"segmentation", "face"})
    params = (source_param(),)

    def check(self, params) -> None:
        source_kind(self.id, params["source"])

    def apply(self, rgb, ctx: FrameContext, params):
        h, w = rgb.shape[:2]
        m = _soft_mask(ctx, (w, h), 1.5)
        if m is None:
            return rgb.copy()
        if params["source"] == TRANSPARENT:
            ctx.cut_out(m)
            return rgb.copy()
        return _composite(rgb, backdrop(self.id, params["source"], ctx, w, h), m)


class RemoveBackground(Effect):
    """The person alone (selfie segmentation), so a clip can stand over the layers below it: a
    person over another clip, a photo or a colour. Without a person in frame nothing is left."""
    id = "remove_background"
    title = "Remove background"
    category = "background"
    needs = frozenset({"segmentation", "face"})
    params = (Param("feather", "float", 1.5, 0.0, 8.0, title="Edge softness"),)

    def apply(self, rgb, ctx: FrameContext, params):
        h, w = rgb.shape[:2]
        m = _soft_mask(ctx, (w, h), params["feather"])
        ctx.cut_out(m if m is not None else np.zeros((h, w), np.uint8))
        return rgb.copy()


# the background helpers live in backdrop.py (shared with chroma_key); these names stay for callers
_cover, _read_image = cover, read_image
