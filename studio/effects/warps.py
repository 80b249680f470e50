"""big_eyes and slim_face: smooth local warps with cv2.remap, computed only in each face's box."""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.face_regions import FaceEffect, expanded_box, points_box
from studio.effects.params import Param

# Jaw/cheek landmarks pulled towards the nose by slim_face (both sides of the face).
SLIM_POINTS = (132, 58, 172, 136, 361, 288, 397, 365)
NOSE = 4
MIN_EYE_DISTANCE = 4  # pixels; a face this small has no room for a visible warp


def _identity_maps(x0, y0, x1, y1):
    """Pixel coordinates of the box (gx, gy) and remap maps (mx, my) that start as the identity."""
    xs = np.arange(x0, x1, dtype=np.float32)
    ys = np.arange(y0, y1, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return gx, gy, gx.copy(), gy.copy()


class BigEyes(FaceEffect):
    id = "big_eyes"
    title = "Big eyes"
    params = (Param("strength", "float", 0.4, 0.0, 1.0, animatable=True, title="Strength"),)

    def apply_face(self, rgb, out, face, s):
        h, w = rgb.shape[:2]
        ied = face.inter_eye_distance
        if ied < MIN_EYE_DISTANCE:
            return
        radius = 0.45 * ied
        centres = face.eye_centres()  # the iris centres when the mesh has them
        x0, y0, x1, y1 = points_box(np.array(centres), radius, (w, h))
        if x1 <= x0 or y1 <= y0:
            return
        gx, gy, mx, my = _identity_maps(x0, y0, x1, y1)
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


class SlimFace(FaceEffect):
    id = "slim_face"
    title = "Slim face"
    params = (Param("strength", "float", 0.4, 0.0, 1.0, animatable=True, title="Strength"),)

    def apply_face(self, rgb, out, face, s):
        h, w = rgb.shape[:2]
        ied = face.inter_eye_distance
        if ied < MIN_EYE_DISTANCE:
            return
        x0, y0, x1, y1 = expanded_box(face.box, 0.15, (w, h))
        if x1 <= x0 or y1 <= y0:
            return
        gx, gy, mx, my = _identity_maps(x0, y0, x1, y1)
        nose = face.points[NOSE, :2]
        radius = 0.55 * ied  # small enough that the left and right pulls barely overlap at the nose
        r2 = radius * radius
        # "horizontal" = along the eye line, so a tilted head slims along its own axis
        right_eye, left_eye = face.eye_centres()
        ex = np.array(left_eye - right_eye, np.float32)
        ex /= np.linalg.norm(ex) + 1e-6
        for i in SLIM_POINTS:
            c = face.points[i, :2]
            m = ex * float((nose - c) @ ex) * (0.18 * s)  # cheek moves part way to the midline
            dx, dy = gx - c[0], gy - c[1]
            d2 = dx * dx + dy * dy
            # Gustafson's local translation warp: full shift at the control point, none at the rim.
            mm = float(m @ m)
            wgt = np.where(d2 < r2, ((r2 - d2) / (r2 - d2 + mm + 1e-6)) ** 2, 0.0).astype(np.float32)
            mx -= wgt * m[0]
            my -= wgt * m[1]
        out[y0:y1, x0:x1] = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
