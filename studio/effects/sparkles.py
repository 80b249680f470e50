"""sparkles: twinkling stars around each hand (nice with trigger="peace")."""
from __future__ import annotations

import zlib

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.face_regions import points_box
from studio.effects.params import Param, parse_color

FINGERTIPS = (4, 8, 12, 16, 20)


class Sparkles(Effect):
    id = "sparkles"
    title = "Sparkles"
    category = "hands"
    needs = frozenset({"hands"})
    params = (
        Param("amount", "int", 14, 1, 60, title="Sparkles per hand"),
        Param("size", "float", 1.0, 0.3, 3.0, title="Size"),
        Param("color", "color", "#fff2a8", title="Colour"),
    )

    def apply(self, rgb, ctx: FrameContext, params):
        if not ctx.hands:
            return rgb.copy()
        out = rgb.copy()
        h, w = rgb.shape[:2]
        color = parse_color(params["color"])
        for hi, hand in enumerate(ctx.hands):
            p = hand.points[:, :2]
            scale = float(np.linalg.norm(p[9] - p[0])) + 1.0  # palm length in pixels
            x0, y0, x1, y1 = points_box(p, scale, (w, h))
            if x1 <= x0 or y1 <= y0:
                continue
            layer = np.zeros((y1 - y0, x1 - x0, 3), np.uint8)
            n = params["amount"]
            tips, offs, phase, speed, size = ctx.memo(("draws", hi, n), lambda: _draws(hi, n))
            offs = offs * scale
            size = size * scale * params["size"]
            tw = np.sin(phase + ctx.frame_index * speed)  # -1..1
            for j in range(n):
                if tw[j] <= 0:
                    continue
                cx, cy = p[FINGERTIPS[tips[j]]] + offs[j] - (x0, y0)
                r = max(1.0, size[j] * tw[j])
                c = tuple(int(v * tw[j]) for v in color)
                ci, cj = int(round(cx)), int(round(cy))
                ri = int(round(r))
                cv2.line(layer, (ci - ri, cj), (ci + ri, cj), c, 1, cv2.LINE_AA)
                cv2.line(layer, (ci, cj - ri), (ci, cj + ri), c, 1, cv2.LINE_AA)
                cv2.circle(layer, (ci, cj), max(1, ri // 4), c, -1, cv2.LINE_AA)
            glow = cv2.GaussianBlur(layer, (0, 0), max(1.0, scale * 0.03))
            roi = out[y0:y1, x0:x1]
            roi[...] = cv2.add(cv2.add(roi, glow), layer)  # additive light
        return out


def _draws(hand_index: int, n: int):
    """(fingertip, offset, phase, speed, size) of each of one hand's sparkles, offset and size in palm lengths.

    Each sparkle has a fixed random anchor (fingertip + offset) and phase; the frame index only
    drives the twinkle, so the same frame always renders the same, and the draws are made once."""
    rng = np.random.default_rng(zlib.crc32(f"sparkles{hand_index}".encode()))
    return (rng.integers(0, len(FINGERTIPS), n), rng.normal(0.0, 0.45, (n, 2)), rng.uniform(0, 2 * np.pi, n),
            rng.uniform(0.15, 0.35, n), rng.uniform(0.06, 0.16, n))
