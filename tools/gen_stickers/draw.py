"""A small supersampled vector-ish drawing kit on Pillow + numpy (all original, CC0).

Shapes are drawn as binary masks at SS x resolution, painted with flat colours or
gradients, and the finished canvas is downsampled with premultiplied alpha (smooth edges)
and given a soft drop shadow. Coordinates are in final pixels.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SS = 4


def _c(color) -> tuple[int, int, int, int]:
    return tuple(color) + (255,) * (4 - len(color))


class Canvas:
    def __init__(self, w: int, h: int, ss: int = SS):
        self.w, self.h, self.ss = w, h, ss
        self.img = Image.new("RGBA", (w * ss, h * ss), (0, 0, 0, 0))

    # ---- masks -------------------------------------------------------------
    def new_mask(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        m = Image.new("L", self.img.size, 0)
        return m, ImageDraw.Draw(m)

    def _s(self, pts):
        return [(x * self.ss, y * self.ss) for x, y in pts]

    def ellipse(self, cx, cy, rx, ry=None) -> Image.Image:
        ry = rx if ry is None else ry
        m, d = self.new_mask()
        s = self.ss
        d.ellipse([(cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s], fill=255)
        return m

    def polygon(self, pts) -> Image.Image:
        m, d = self.new_mask()
        d.polygon(self._s(pts), fill=255)
        return m

    def rounded_rect(self, x0, y0, x1, y1, r) -> Image.Image:
        m, d = self.new_mask()
        s = self.ss
        d.rounded_rectangle([x0 * s, y0 * s, x1 * s, y1 * s], radius=r * s, fill=255)
        return m

    def stroke(self, pts, width, round_caps=True) -> Image.Image:
        """A thick polyline with round joints and caps."""
        m, d = self.new_mask()
        sp = self._s(pts)
        w = width * self.ss
        d.line(sp, fill=255, width=int(round(w)), joint="curve")
        if round_caps:
            for x, y in (sp[0], sp[-1]):
                d.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=255)
        return m

    def tapered(self, pts, widths) -> Image.Image:
        """A stroke whose width varies along the path (discs along it)."""
        m, d = self.new_mask()
        pts = np.asarray(pts, float)
        widths = np.asarray(widths, float)
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        t = np.concatenate([[0], np.cumsum(seg)])
        n = max(2, int(t[-1] * self.ss / 1.5))
        tt = np.linspace(0, t[-1], n)
        xs, ys, ws = (np.interp(tt, t, pts[:, 0]), np.interp(tt, t, pts[:, 1]), np.interp(tt, t, widths))
        s = self.ss
        for x, y, w in zip(xs, ys, ws):
            r = w / 2 * s
            d.ellipse([x * s - r, y * s - r, x * s + r, y * s + r], fill=255)
        return m

    def text(self, text, font_file, size, cx, cy, stroke=0) -> Image.Image:
        m, d = self.new_mask()
        font = ImageFont.truetype(str(font_file), int(size * self.ss))
        d.text((cx * self.ss, cy * self.ss), text, font=font, fill=255, anchor="mm",
               stroke_width=int(stroke * self.ss), stroke_fill=255)
        return m

    # ---- mask algebra ------------------------------------------------------
    @staticmethod
    def union(*masks) -> Image.Image:
        a = np.maximum.reduce([np.asarray(m) for m in masks])
        return Image.fromarray(a)

    @staticmethod
    def intersect(a, b) -> Image.Image:
        return Image.fromarray(np.minimum(np.asarray(a), np.asarray(b)))

    @staticmethod
    def subtract(a, b) -> Image.Image:
        return Image.fromarray(np.where(np.asarray(b) > 127, 0, np.asarray(a)).astype(np.uint8))

    def grow(self, mask, r) -> Image.Image:
        """Dilate a mask by r final pixels (distance transform: fast for big radii)."""
        a = np.asarray(mask)
        dist = cv2.distanceTransform((a < 128).astype(np.uint8), cv2.DIST_L2, 5)
        return Image.fromarray(((dist <= r * self.ss) * 255).astype(np.uint8))

    def shrink(self, mask, r) -> Image.Image:
        a = np.asarray(mask)
        dist = cv2.distanceTransform((a >= 128).astype(np.uint8), cv2.DIST_L2, 5)
        return Image.fromarray(((dist > r * self.ss) * 255).astype(np.uint8))

    def shift(self, mask, dx, dy) -> Image.Image:
        a = np.asarray(mask)
        M = np.float32([[1, 0, dx * self.ss], [0, 1, dy * self.ss]])
        return Image.fromarray(cv2.warpAffine(a, M, (a.shape[1], a.shape[0])))

    # ---- paints ------------------------------------------------------------
    def _grid(self):
        ys, xs = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        return xs + 0.5, ys + 0.5

    def _up(self, rgba_small: np.ndarray) -> Image.Image:
        big = cv2.resize(rgba_small, (self.w * self.ss, self.h * self.ss), interpolation=cv2.INTER_LINEAR)
        return Image.fromarray(np.clip(big, 0, 255).astype(np.uint8), "RGBA")

    def linear(self, c0, c1, p0, p1) -> Image.Image:
        xs, ys = self._grid()
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        t = np.clip(((xs - p0[0]) * dx + (ys - p0[1]) * dy) / (dx * dx + dy * dy), 0, 1)[..., None]
        return self._up(np.array(_c(c0), np.float32) * (1 - t) + np.array(_c(c1), np.float32) * t)

    def radial(self, c0, c1, centre, radius) -> Image.Image:
        xs, ys = self._grid()
        t = np.clip(np.hypot(xs - centre[0], ys - centre[1]) / radius, 0, 1)[..., None]
        return self._up(np.array(_c(c0), np.float32) * (1 - t) + np.array(_c(c1), np.float32) * t)

    def paint(self, mask, paint, opacity: float = 1.0) -> None:
        """Composite a colour or gradient image through `mask`."""
        if isinstance(paint, Image.Image):
            layer = paint.copy()
            pa = np.asarray(layer.getchannel("A"), np.float32)
        else:
            col = _c(paint)
            layer = Image.new("RGBA", self.img.size, col)
            pa = np.full(self.img.size[::-1], col[3], np.float32)
        a = pa * (np.asarray(mask, np.float32) / 255.0) * opacity
        layer.putalpha(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))
        self.img.alpha_composite(layer)

    def shape(self, mask, fill, outline=None, outline_width=0.0, shine=None) -> None:
        """Outline (drawn first, grown), fill, and an optional glossy highlight ellipse (cx, cy, rx, ry, alpha)."""
        if outline is not None and outline_width > 0:
            self.paint(self.grow(mask, outline_width), outline)
        self.paint(mask, fill)
        if shine is not None:
            cx, cy, rx, ry, alpha = shine
            self.paint(self.intersect(self.shrink(mask, 1.0), self.ellipse(cx, cy, rx, ry)), (255, 255, 255), alpha)

    # ---- finish ------------------------------------------------------------
    def finish(self, shadow=True, shadow_offset=(0, 5), shadow_blur=5.0, shadow_alpha=0.35) -> np.ndarray:
        """Downsample (premultiplied area filter) and add a soft drop shadow. Returns RGBA uint8."""
        big = np.asarray(self.img, np.float32)
        a = big[..., 3:4] / 255.0
        big = np.concatenate([big[..., :3] * a, big[..., 3:4]], axis=2)
        small = cv2.resize(big, (self.w, self.h), interpolation=cv2.INTER_AREA)
        if shadow:
            sa = small[..., 3] * shadow_alpha
            M = np.float32([[1, 0, shadow_offset[0]], [0, 1, shadow_offset[1]]])
            sa = cv2.warpAffine(sa, M, (self.w, self.h))
            sa = cv2.GaussianBlur(sa, (0, 0), shadow_blur)
            # "over": sticker above its shadow (shadow colour black, premultiplied => rgb 0)
            fa = small[..., 3:4] / 255.0
            small = np.concatenate([small[..., :3], small[..., 3:4] + sa[..., None] * (1 - fa)], axis=2)
        alpha = np.clip(small[..., 3:4], 0, 255)
        rgb = np.where(alpha > 0, small[..., :3] * 255.0 / np.maximum(alpha, 1e-6), 0)
        out = np.clip(np.rint(np.concatenate([rgb, alpha], axis=2)), 0, 255).astype(np.uint8)
        out[out[..., 3] == 0, :3] = 0
        return out


# ---- geometry helpers -------------------------------------------------------

def heart_pts(cx, cy, size, n=160, squash=1.0):
    """Heart outline of width ~size centred near (cx, cy)."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    k = size / 34.0
    return list(zip(cx + x * k, cy + (y + 2.5) * k * squash))


def star_pts(cx, cy, r_out, r_in, n=5, rot=0.0):
    pts = []
    for i in range(2 * n):
        r = r_out if i % 2 == 0 else r_in
        a = rot - math.pi / 2 + i * math.pi / n
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def sparkle_pts(cx, cy, r, n=200, power=3.0, rot=0.0):
    """Four-pointed concave sparkle (astroid-like)."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = r * np.sign(c) * np.abs(c) ** power
    y = r * np.sign(s) * np.abs(s) ** power
    xr = x * math.cos(rot) - y * math.sin(rot)
    yr = x * math.sin(rot) + y * math.cos(rot)
    return list(zip(cx + xr, cy + yr))


def arc_pts(cx, cy, rx, ry, a0, a1, n=64):
    """Points along an elliptical arc; angles in degrees, 0 = right, 90 = down."""
    a = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(a), cy + ry * np.sin(a)))


def rotate_pts(pts, cx, cy, deg):
    a = math.radians(deg)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * ca - (y - cy) * sa, cy + (x - cx) * sa + (y - cy) * ca) for x, y in pts]


def lerp(c0, c1, t):
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(_c(c0), _c(c1)))
