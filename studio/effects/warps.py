"""big_eyes and slim_face: smooth local warps with cv2.remap, computed only in each face's box."""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.face_regions import expanded_box
from studio.effects.params import Param

RIGHT_IRIS, LEFT_IRIS = 468, 473
# Jaw/cheek landmarks pulled towards the nose by slim_face (both sides of the face).
SLIM_POINTS = (132, 58, 172, 136, 361, 288, 397, 365)
NOSE = 4


def _grid(x0, y0, x1, y1):
    xs = np.arange(x0, x1, dtype=np.float32)
    ys = np.arange(y0, y1, dtype=np.float32)
    return np.meshgrid(xs, ys)


class BigEyes(Effect):
    id = "big_eyes"
    title = "Big eyes"
    category = "face"
    needs = frozenset({"face"})
    params = (Param("strength", "float", 0.4, 0.0, 1.0, animatable=True, title="Strength"),)

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        if not ctx.faces or s <= 0:
            return rgb.copy()
        out = rgb.copy()
        h, w = rgb.shape[:2]
        for face in ctx.faces:
            ied = face.inter_eye_distance
            if ied < 4:
                continue
            radius = 0.45 * ied
            centres = [face.points[i, :2] for i in (RIGHT_IRIS, LEFT_IRIS)] if len(face.points) > LEFT_IRIS \
                else list(face.eye_centres())
            cs = np.array(centres)
            x0, y0 = np.floor(cs.min(0) - radius).astype(int)
            x1, y1 = np.ceil(cs.max(0) + radius).astype(int)
            x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
            if x1 <= x0 or y1 <= y0:
                continue
            gx, gy = _grid(x0, y0, x1, y1)
            mx, my = gx.copy(), gy.copy()
            k = 0.5 * s
            for cx, cy in centres:
                dx, dy = gx - cx, gy - cy
                r2 = (dx * dx + dy * dy) / (radius * radius)
                # Bulge: sample closer to the centre inside the radius (magnify), smoothly back to
                # identity at the rim.
                f = np.where(r2 < 1.0, 1.0 - k * (1.0 - r2) ** 2, 1.0).astype(np.float32)
                mx += dx * (f - 1.0)
                my += dy * (f - 1.0)
            out[y0:y1, x0:x1] = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return out


class SlimFace(Effect):
    id = "slim_face"
    title = "Slim face"
    category = "face"
    needs = frozenset({"face"})
    params = (Param("strength", "float", 0.4, 0.0, 1.0, animatable=True, title="Strength"),)

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        if not ctx.faces or s <= 0:
            return rgb.copy()
        out = rgb.copy()
        h, w = rgb.shape[:2]
        for face in ctx.faces:
            ied = face.inter_eye_distance
            if ied < 4:
                continue
            x0, y0, x1, y1 = expanded_box(face.box, 0.15, (w, h))
            if x1 <= x0 or y1 <= y0:
                continue
            gx, gy = _grid(x0, y0, x1, y1)
            mx, my = gx.copy(), gy.copy()
            nose = face.points[NOSE, :2]
            radius = 0.55 * ied  # small enough that the left and right pulls barely overlap at the nose
            # "horizontal" = along the eye line, so a tilted head slims along its own axis
            ex = np.array(face.eye_centres()[1] - face.eye_centres()[0], np.float32)
            ex /= np.linalg.norm(ex) + 1e-6
            for i in SLIM_POINTS:
                c = face.points[i, :2]
                m = ex * float((nose - c) @ ex) * (0.18 * s)  # cheek moves part way to the midline
                dx, dy = gx - c[0], gy - c[1]
                d2 = dx * dx + dy * dy
                r2 = radius * radius
                # Gustafson's local translation warp: full shift at the control point, none at the rim.
                mm = float(m @ m)
                wgt = np.where(d2 < r2, ((r2 - d2) / (r2 - d2 + mm + 1e-6)) ** 2, 0.0).astype(np.float32)
                mx -= wgt * m[0]
                my -= wgt * m[1]
            out[y0:y1, x0:x1] = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return out
