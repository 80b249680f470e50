"""beauty: skin smoothing inside a face-skin mask (face oval minus eyes, brows and lips)."""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.face_regions import (FACE_OVAL, LEFT_BROW, LEFT_EYE, LIPS, RIGHT_BROW, RIGHT_EYE, FaceEffect,
                                         expanded_box, polygon)
from studio.effects.params import Param

WORK_FACE_WIDTH = 160  # the face is smoothed at about this width: cheap, and skin detail is low-frequency


class Beauty(FaceEffect):
    id = "beauty"
    title = "Beauty"
    params = (Param("strength", "float", 0.6, 0.0, 1.0, animatable=True, title="Smoothing"),)

    def apply_face(self, rgb, out, face, s):
        h, w = rgb.shape[:2]
        x0, y0, x1, y1 = expanded_box(face.box, 0.08, (w, h))
        if x1 - x0 < 8 or y1 - y0 < 8:
            return
        roi = out[y0:y1, x0:x1]
        f = min(1.0, WORK_FACE_WIDTH / (x1 - x0))
        sw, sh = max(8, int(round((x1 - x0) * f))), max(8, int(round((y1 - y0) * f)))
        # Mask at working scale: skin = oval minus features (features grown a little so lashes
        # and lip edges stay crisp), feathered so there is no visible seam.
        pts = face.points.copy()
        pts[:, 0] = (pts[:, 0] - x0) * (sw / (x1 - x0))
        pts[:, 1] = (pts[:, 1] - y0) * (sh / (y1 - y0))
        mask = np.zeros((sh, sw), np.uint8)
        cv2.fillPoly(mask, [polygon(pts, FACE_OVAL)], 255)
        feat = np.zeros_like(mask)
        cv2.fillPoly(feat, [polygon(pts, loop) for loop in (RIGHT_EYE, LEFT_EYE, RIGHT_BROW, LEFT_BROW, LIPS)], 255)
        grow = max(1, sw // 40)
        feat = cv2.dilate(feat, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
        mask = cv2.subtract(mask, feat)
        mask = cv2.GaussianBlur(mask, (0, 0), max(1.0, sw / 50))
        small = cv2.resize(roi, (sw, sh), interpolation=cv2.INTER_AREA)
        # Edge-preserving: bilateral keeps the jaw line, nostrils and shadows while flattening pores.
        smooth = cv2.bilateralFilter(small, d=7, sigmaColor=20 + 30 * s, sigmaSpace=5)
        # Only the smoothing *difference* is upscaled, so the full-resolution frame keeps its
        # sharp edges where the mask is off.
        diff = smooth.astype(np.int16) - small.astype(np.int16)
        diff = cv2.resize(diff.astype(np.float32), (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
        m = cv2.resize(mask, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR).astype(np.float32) * (s / 255.0)
        res = roi.astype(np.float32) + diff * m[..., None]
        roi[...] = np.clip(res + 0.5, 0, 255).astype(np.uint8)
