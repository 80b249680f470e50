"""The frame being composed, and sprites (overlays converted once to the canvas' pixel format).

Blending is integer, premultiplied-alpha `over`, and only inside the overlay's bounding box:
dst = src_premultiplied + dst * (255 - alpha) / 255. For an I420 canvas a sprite carries
premultiplied Y at full size and premultiplied U/V with alpha averaged over 2x2 blocks, which is
exact for premultiplied values, so no full-frame colour conversion is ever needed."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .colour import BLACK_YUV, i420_planes, rgb_to_yuv444, yuv444_to_rgb

RGB, I420 = "rgb", "i420"


class Canvas:
    def __init__(self, width: int, height: int, fmt: str = RGB, fill: bool = True):
        if fmt not in (RGB, I420):
            raise ValueError(f"unknown canvas format {fmt!r}")
        if fmt == I420 and (width % 2 or height % 2):
            raise ValueError(f"an I420 canvas needs an even size, got {width}x{height}")
        self.width, self.height, self.fmt = width, height, fmt
        if fmt == RGB:
            self.buffer = np.zeros((height, width, 3), np.uint8) if fill else np.empty((height, width, 3), np.uint8)
            self.planes = [(self.buffer, 1)]
        else:
            self.buffer = np.empty((height * 3 // 2, width), np.uint8)
            y, u, v = i420_planes(self.buffer, width, height)
            self.planes = [(y, 1), (u, 2), (v, 2)]
            if fill:
                for (plane, _), value in zip(self.planes, BLACK_YUV):
                    plane.fill(value)

    def put_rgb(self, rgb: np.ndarray, x: int, y: int, width: int, height: int, interpolation: int) -> None:
        """Scale an opaque RGB image to width x height and write it at (x, y) (clipped to the canvas).
        For I420 the image is converted to Y'CbCr at its own (small) size before scaling."""
        if self.fmt == RGB:
            _resize_into(self.buffer, rgb, x, y, width, height, interpolation)
            return
        yuv = rgb_to_yuv444(rgb)
        channels = cv2.split(yuv)
        for (plane, sub), channel in zip(self.planes, channels):
            _resize_into(plane, channel, x // sub, y // sub, max(1, width // sub), max(1, height // sub), interpolation)

    def blend(self, sprite: "Sprite", x: int, y: int, opacity: float = 1.0) -> None:
        if sprite.fmt != self.fmt:
            raise ValueError("sprite and canvas formats differ")
        if self.fmt == I420:
            x, y = x & ~1, y & ~1  # chroma is sampled per 2x2 block: keep the sprite on the grid
        for (plane, sub), (premult, alpha) in zip(self.planes, sprite.planes):
            _blend_roi(plane, premult, alpha, x // sub, y // sub, opacity)

    def blend_mode(self, rgba: np.ndarray, x: int, y: int, opacity: float, mode: str) -> None:
        """Blend a straight-alpha RGBA image with a blend mode other than `over` (screen, multiply,
        ...). The modes are defined on RGB, so an I420 canvas is converted inside the image's
        rectangle only, and only the pixels it touches are written back."""
        if self.fmt == I420:
            x, y = x & ~1, y & ~1
        region = _clip((self.height, self.width), rgba.shape, x, y)
        if region is None:
            return
        (ys, xs), (sy, sx) = region
        src = rgba[sy, sx]
        a = src[..., 3:4].astype(np.float32) * (max(0.0, min(1.0, opacity)) / 255.0)
        s = src[..., :3].astype(np.float32) / 255.0
        if self.fmt == RGB:
            roi = self.buffer[ys, xs]
            d = roi.astype(np.float32) / 255.0
            roi[...] = _mixed(d, s, a, mode)
            return
        y_plane, u_plane, v_plane = (p for p, _ in self.planes)
        h, w = roi_h, roi_w = (ys.stop - ys.start), (xs.stop - xs.start)
        if roi_h % 2 or roi_w % 2:  # keep whole chroma blocks: drop the odd last row/column
            h, w = roi_h & ~1, roi_w & ~1
            if not h or not w:
                return
            ys, xs = slice(ys.start, ys.start + h), slice(xs.start, xs.start + w)
            s, a = s[:h, :w], a[:h, :w]
        cys, cxs = slice(ys.start // 2, ys.start // 2 + h // 2), slice(xs.start // 2, xs.start // 2 + w // 2)
        u = cv2.resize(u_plane[cys, cxs], (w, h), interpolation=cv2.INTER_LINEAR)
        v = cv2.resize(v_plane[cys, cxs], (w, h), interpolation=cv2.INTER_LINEAR)
        d = yuv444_to_rgb(cv2.merge([y_plane[ys, xs], u, v])).astype(np.float32) / 255.0
        out = rgb_to_yuv444(_mixed(d, s, a, mode))
        touched = a[..., 0] > 0
        y_roi = y_plane[ys, xs]
        y_roi[touched] = out[..., 0][touched]
        block = cv2.resize(touched.astype(np.uint8), (w // 2, h // 2), interpolation=cv2.INTER_AREA) > 0
        for plane, c in ((u_plane, 1), (v_plane, 2)):
            half = cv2.resize(out[..., c], (w // 2, h // 2), interpolation=cv2.INTER_AREA)
            roi = plane[cys, cxs]
            roi[block] = half[block]


def _mixed(d: np.ndarray, s: np.ndarray, a: np.ndarray, mode: str) -> np.ndarray:
    """d * (1 - a) + a * B(s, d) as uint8, with B the separable blend function of `mode`."""
    if mode == "screen":
        b = s + d - s * d
    elif mode == "multiply":
        b = s * d
    elif mode == "add":
        b = np.minimum(s + d, 1.0)
    elif mode == "lighten":
        b = np.maximum(s, d)
    elif mode == "darken":
        b = np.minimum(s, d)
    elif mode == "overlay":
        b = np.where(d <= 0.5, 2 * s * d, 1 - 2 * (1 - s) * (1 - d))
    else:
        b = s
    return np.clip((d + a * (b - d)) * 255.0 + 0.5, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Sprite:
    fmt: str
    width: int
    height: int
    planes: tuple[tuple[np.ndarray, np.ndarray], ...]  # (premultiplied values, alpha) per canvas plane


def make_sprite(rgba: np.ndarray, fmt: str) -> Sprite:
    """Convert a straight-alpha RGBA image once into premultiplied planes for a canvas format."""
    alpha = rgba[..., 3]
    if fmt == RGB:
        premult = (rgba[..., :3].astype(np.uint16) * alpha[..., None] + 127) // 255
        return Sprite(fmt, rgba.shape[1], rgba.shape[0], ((premult.astype(np.uint8), alpha.copy()),))
    h, w = rgba.shape[:2]
    if h % 2 or w % 2:  # pad to whole 2x2 chroma blocks with transparent pixels
        rgba = np.pad(rgba, ((0, h % 2), (0, w % 2), (0, 0)))
        h, w = rgba.shape[:2]
        alpha = rgba[..., 3]
    yuv = rgb_to_yuv444(np.ascontiguousarray(rgba[..., :3])).astype(np.float32)
    a = alpha.astype(np.float32) / 255.0
    planes = [(np.rint(yuv[..., 0] * a).astype(np.uint8), alpha.copy())]
    a_half = cv2.resize(alpha.astype(np.float32), (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    for c in (1, 2):
        p_half = cv2.resize(yuv[..., c] * a, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        planes.append((np.rint(p_half).astype(np.uint8), np.rint(a_half).astype(np.uint8)))
    return Sprite(fmt, w, h, tuple(planes))


def _clip(dst_shape, src_shape, x: int, y: int):
    h, w = src_shape[:2]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, dst_shape[1]), min(y + h, dst_shape[0])
    if x0 >= x1 or y0 >= y1:
        return None
    return (slice(y0, y1), slice(x0, x1)), (slice(y0 - y, y1 - y), slice(x0 - x, x1 - x))


def _resize_into(dst: np.ndarray, src: np.ndarray, x: int, y: int, w: int, h: int, interpolation: int) -> None:
    """Scale `src` to w x h at (x, y) of `dst`, clipped to it. A rectangle inside `dst` is
    written by the resize itself (no scaled copy to paste: a duet half is 1 MB of luma)."""
    if x >= 0 and y >= 0 and x + w <= dst.shape[1] and y + h <= dst.shape[0]:
        view = dst[y:y + h, x:x + w]
        out = cv2.resize(src, (w, h), dst=view, interpolation=interpolation)
        if out is not view and not np.shares_memory(out, view):  # OpenCV chose a new buffer after all
            view[...] = out
        return
    _paste(dst, cv2.resize(src, (w, h), interpolation=interpolation), x, y)


def _paste(dst: np.ndarray, src: np.ndarray, x: int, y: int) -> None:
    region = _clip(dst.shape, src.shape, x, y)
    if region:
        dst[region[0]] = src[region[1]]


def _blend_roi(dst: np.ndarray, premult: np.ndarray, alpha: np.ndarray, x: int, y: int, opacity: float) -> None:
    region = _clip(dst.shape, premult.shape, x, y)
    if region is None:
        return
    d_sl, s_sl = region
    roi = dst[d_sl]
    p = premult[s_sl]
    a = alpha[s_sl]
    if opacity < 1.0:
        k = max(0.0, opacity)
        p = cv2.convertScaleAbs(p, alpha=k)
        a = cv2.convertScaleAbs(a, alpha=k)
    if roi.ndim == 3:
        a = a[..., None]
    inv = (255 - a).astype(np.uint16)
    tmp = roi.astype(np.uint16) * inv + 128
    tmp = (tmp + (tmp >> 8)) >> 8  # exact rounding of x / 255 for x < 65536
    roi[...] = p + tmp.astype(np.uint8)
