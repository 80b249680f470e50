"""Ordered MediaPipe face-mesh landmark loops (polygons) and helpers shared by face effects:
the per-face effect base and the box (ROI) maths that keeps work inside a face or hand."""
from __future__ import annotations

import numpy as np

from studio.effects.base import Effect, FrameContext

FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
             148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
RIGHT_EYE = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)  # subject's right
LEFT_EYE = (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466)
RIGHT_BROW = (70, 63, 105, 66, 107, 55, 65, 52, 53, 46)
LEFT_BROW = (300, 293, 334, 296, 336, 285, 295, 282, 283, 276)
LIPS = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185)
OUTER_EYE_CORNERS = (33, 263)  # the unit of Anchor.scale in the sticker library


def polygon(points: np.ndarray, loop, offset=(0, 0)) -> np.ndarray:
    """int32 (N, 1, 2) polygon for cv2.fillPoly from landmark pixels, shifted by -offset."""
    p = points[list(loop), :2] - np.float32(offset)
    return np.round(p).astype(np.int32).reshape(-1, 1, 2)


def expanded_box(box, margin: float, size) -> tuple[int, int, int, int]:
    """Box grown by `margin` x its size on each side, clipped to size=(w, h)."""
    x0, y0, x1, y1 = box
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    w, h = size
    return max(0, int(x0 - mx)), max(0, int(y0 - my)), min(w, int(np.ceil(x1 + mx))), min(h, int(np.ceil(y1 + my)))


def points_box(points: np.ndarray, pad: float, size) -> tuple[int, int, int, int]:
    """Box around (N, 2) pixel points grown by `pad` pixels on each side, clipped to size=(w, h).

    May be empty (x1 <= x0 or y1 <= y0) when the points lie off the frame."""
    w, h = size
    x0, y0 = np.floor(points.min(0) - pad).astype(int)
    x1, y1 = np.ceil(points.max(0) + pad).astype(int)
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)


class FaceEffect(Effect):
    """A face effect with one `strength` param, drawn face by face; no faces or strength 0 = no change."""

    category = "face"
    needs = frozenset({"face"})

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        if not ctx.faces or s <= 0:
            return rgb.copy()
        out = rgb.copy()
        for face in ctx.faces:
            self.apply_face(rgb, out, face, s)
        return out

    def apply_face(self, rgb: np.ndarray, out: np.ndarray, face, strength: float) -> None:
        """Draw one face into `out` (a copy of `rgb` with the earlier faces already drawn)."""
        raise NotImplementedError
