"""big_eyes and slim_face: smooth local warps with cv2.remap, computed only where they move pixels.

Both warps stay smooth at every strength: each one is exactly the identity on and outside the border of
the region it remaps (no seam where the region meets the untouched frame), and its map is one-to-one
(Jacobian determinant > 0 everywhere: no fold, so no torn or doubled contour).
"""
from __future__ import annotations

import cv2
import numpy as np

from studio.effects.face_regions import FaceEffect, points_box
from studio.effects.params import Param

# Jaw/cheek landmarks pulled towards the nose by slim_face: the subject's right side, then the left.
SLIM_POINTS = (132, 58, 172, 136, 361, 288, 397, 365)
NOSE = 4
MIN_EYE_DISTANCE = 4  # pixels; a face this small has no room for a visible warp
# slim_face's steepest allowed stretch at strength 1: the map's Jacobian determinant stays >= 1 - 0.75
# there, as big_eyes' does at its centre ((1 - 0.5)^2).
MAX_SLOPE = 0.75


def _grid(x0, y0, x1, y1):
    """Pixel coordinates (gx, gy) of the box: the identity map."""
    return np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))


def big_eyes_maps(face, s, size):
    """(x0, y0, x1, y1, mx, my): the box big_eyes remaps and its cv2.remap maps; None when nothing to do."""
    ied = face.inter_eye_distance
    if ied < MIN_EYE_DISTANCE:
        return None
    radius = 0.45 * ied  # < ied / 2: the two bulges never overlap, so each one alone must be fold-free
    centres = face.eye_centres()  # the iris centres when the mesh has them
    # +1: the last row/column (exclusive end) is outside every bulge too, so the border is the identity
    x0, y0, x1, y1 = points_box(np.array(centres), radius + 1, size)
    if x1 <= x0 or y1 <= y0:
        return None
    gx, gy = _grid(x0, y0, x1, y1)
    mx, my = gx.copy(), gy.copy()
    k = 0.5 * s  # the radial map r -> r (1 - k (1 - r^2)^2) is monotonic for k <= 0.5 (det >= (1 - k)^2)
    for cx, cy in centres:
        dx, dy = gx - cx, gy - cy
        r2 = (dx * dx + dy * dy) / (radius * radius)
        # Bulge: sample closer to the centre inside the radius (magnify), smoothly back to
        # identity at the rim.
        f = np.where(r2 < 1.0, 1.0 - k * (1.0 - r2) ** 2, 1.0).astype(np.float32)
        mx += dx * (f - 1.0)
        my += dy * (f - 1.0)
    return x0, y0, x1, y1, mx, my


def _steepest(phi, e):
    """Largest rise of phi per pixel along e (central differences, as the remap samples it)."""
    sy, sx = np.gradient(phi)
    return max(float((e[0] * sx + e[1] * sy).max()), 1e-6)


def slim_face_maps(face, s, size):
    """(x0, y0, x1, y1, mx, my): the box slim_face remaps and its cv2.remap maps; None when nothing to do.

    Every jaw point gets a smooth bump of inward shift along the eye line e (so a tilted head slims along
    its own axis): the picture there is sampled from further out. All shifts are along e, so the map is
    p -> p - e * phi(p) and its Jacobian determinant is 1 - d(phi)/de: it folds (tears, doubles the
    jawline) only where phi rises by a pixel or more per pixel along e. Overlapping bumps add up their
    slopes, so each side's sum is scaled to a steepest rise of MAX_SLOPE at strength 1."""
    ied = face.inter_eye_distance
    if ied < MIN_EYE_DISTANCE:
        return None
    right_eye, left_eye = face.eye_centres()
    e = np.array(left_eye - right_eye, np.float32)
    e /= np.linalg.norm(e) + 1e-6
    pts = face.points[list(SLIM_POINTS), :2]
    inward = (face.points[NOSE, :2] - pts) @ e  # signed distance to the midline along e
    # Bumps centred a quarter of the way in, so the jaw rides on their flat top. Outwards each fades over
    # 0.45 ied past its jaw point (the background stretches there); inwards it fades before the mouth and
    # nose, which keep their shape while the cheek is squeezed.
    centres = pts + np.outer(0.25 * inward, e)
    r_out = 0.45 * ied + 0.25 * np.abs(inward)
    r_in = np.maximum(0.45 * np.abs(inward), 1.0)
    # The whole support of every bump (+1 for the exclusive end), not clipped to the frame yet, so the
    # slope scale below does not jump when part of the face leaves the frame.
    reach = np.maximum(r_out, r_in)[:, None]
    bx0, by0 = np.floor((centres - reach).min(0)).astype(int)
    bx1, by1 = np.ceil((centres + reach).max(0)).astype(int) + 1
    gx, gy = _grid(bx0, by0, bx1, by1)
    phi = np.zeros_like(gx)
    for side in (slice(0, 4), slice(4, 8)):
        bumps = np.zeros_like(gx)
        for (cx, cy), ro, ri, d in zip(centres[side], r_out[side], r_in[side], inward[side]):
            u = ((gx - cx) * e[0] + (gy - cy) * e[1]) * np.sign(d)  # along e, > 0 towards the midline
            v = (gy - cy) * e[0] - (gx - cx) * e[1]
            q = np.maximum(1.0 - (u / np.where(u > 0, ri, ro)) ** 2 - (v / ro) ** 2, 0.0)
            # (1 - rho^2)^2: smooth (C1), exactly 0 from the rim on, with a slope that does not depend on
            # the shift (Gustafson's weight, used before, dropped to 0 in a ring ~shift^2/radius wide and
            # folded even at low strength). 0.18: the cheek's nominal shift towards the midline.
            bumps += (0.18 * d) * q * q
        phi += bumps * min(1.0, MAX_SLOPE / _steepest(bumps, e))
    # The two sides' rising flanks lie on opposite sides of the face, so this is 1 unless the landmarks
    # are odd (a face in profile); it keeps the map fold-free whatever they are.
    phi *= s * min(1.0, MAX_SLOPE / _steepest(phi, e))
    w, h = size
    x0, y0, x1, y1 = max(0, bx0), max(0, by0), min(w, bx1), min(h, by1)
    if x1 <= x0 or y1 <= y0:
        return None
    crop = np.s_[y0 - by0:y1 - by0, x0 - bx0:x1 - bx0]
    phi = phi[crop]
    return x0, y0, x1, y1, gx[crop] - e[0] * phi, gy[crop] - e[1] * phi


class _Warp(FaceEffect):
    params = (Param("strength", "float", 0.4, 0.0, 1.0, animatable=True, title="Strength"),)
    maps = None  # staticmethod (face, strength, (w, h)) -> (x0, y0, x1, y1, mx, my) or None

    def apply_face(self, rgb, out, face, s):
        m = self.maps(face, s, (rgb.shape[1], rgb.shape[0]))
        if m is None:
            return
        x0, y0, x1, y1, mx, my = m
        out[y0:y1, x0:x1] = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class BigEyes(_Warp):
    id = "big_eyes"
    title = "Big eyes"
    maps = staticmethod(big_eyes_maps)


class SlimFace(_Warp):
    id = "slim_face"
    title = "Slim face"
    maps = staticmethod(slim_face_maps)
