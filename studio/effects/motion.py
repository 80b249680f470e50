"""Camera moves on the picture itself: a slow zoom (Ken Burns) that brings a still photo to life.

The zoom is driven by the source time the chain is given (`ctx.time`): for a still image that is
the time since the clip started (a still's clip always starts at source time 0), so a photo
zooms over `seconds` and then holds. Templates put it on the photos that fill their slots."""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.params import Param


class KenBurns(Effect):
    id = "ken_burns"
    title = "Slow zoom"
    category = "motion"
    params = (
        Param("amount", "float", 0.1, 0.0, 0.5, title="Zoom"),  # 0.1: the picture ends 10% larger
        Param("seconds", "float", 3.0, 0.1, 60.0, title="Over seconds"),
        Param("direction", "choice", "in", choices=("in", "out"), title="Direction"),
        # where the zoom heads, as fractions of the picture; the view never leaves the picture
        Param("x", "float", 0.5, 0.0, 1.0, title="Towards x"),
        Param("y", "float", 0.5, 0.0, 1.0, title="Towards y"),
    )

    def apply(self, rgb: np.ndarray, ctx: FrameContext, params) -> np.ndarray:
        progress = min(max(ctx.time / params["seconds"], 0.0), 1.0)
        if params["direction"] == "out":
            progress = 1.0 - progress
        zoom = 1.0 + params["amount"] * progress
        if zoom <= 1.0 + 1e-6:
            return rgb.copy()
        h, w = rgb.shape[:2]
        # the view's centre moves from the picture's centre towards (x, y) as it zooms: its edges
        # stay at x * w * (1 - 1/zoom) .. that + w/zoom, inside the picture for any x in 0..1
        cx = w / 2 + (params["x"] - 0.5) * w * (1 - 1 / zoom)
        cy = h / 2 + (params["y"] - 0.5) * h * (1 - 1 / zoom)
        # sub-pixel affine warp: an integer crop would step visibly at a slow zoom
        matrix = np.float32([[zoom, 0, w / 2 - zoom * cx], [0, zoom, h / 2 - zoom * cy]])
        return cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
