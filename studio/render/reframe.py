"""Put a source picture of any shape on the vertical canvas: fill (crop to 9:16, the default),
follow (a 9:16 crop whose x follows the subject: `centre_x` from studio.render.follow), fit on a
blurred copy of itself, or fit on black. A fill crop is centred unless `centre_x` moves it (a
clip's pan)."""
from __future__ import annotations

import cv2
import numpy as np

from .canvas import Canvas


def fill_crop(width: int, height: int, canvas_w: int, canvas_h: int) -> tuple[int, int, int, int]:
    """The centred source rectangle (x, y, w, h) that covers the canvas at the canvas' aspect."""
    if width * canvas_h > height * canvas_w:  # source is wider than the canvas: crop the sides
        w = max(1, round(height * canvas_w / canvas_h))
        return (width - w) // 2, 0, w, height
    h = max(1, round(width * canvas_h / canvas_w))
    return 0, (height - h) // 2, width, h


def follow_crop(width: int, height: int, canvas_w: int, canvas_h: int,
                centre_x: float | None) -> tuple[int, int, int, int]:
    """fill_crop moved sideways so its centre is at `centre_x` (fraction of the source width),
    kept inside the picture; the centred crop when there is none (or nothing to pan across)."""
    x, y, w, h = fill_crop(width, height, canvas_w, canvas_h)
    if centre_x is None or w >= width:
        return x, y, w, h
    return min(max(0, int(round(centre_x * width - w / 2))), width - w), y, w, h


def _interp(scale: float) -> int:
    return cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR


def place(canvas: Canvas, rgb: np.ndarray, fit: str, centre_x: float | None = None) -> None:
    h, w = rgb.shape[:2]
    cw, ch = canvas.width, canvas.height
    x, y, sw, sh = follow_crop(w, h, cw, ch, centre_x if fit in ("fill", "follow") else None)
    if fit in ("fill", "follow"):
        canvas.put_rgb(rgb[y:y + sh, x:x + sw], 0, 0, cw, ch, _interp(cw / sw))
        return
    if fit == "fit_blur":
        # blur at a tiny size: the result is as smooth as a full-size blur at a hundredth of the cost
        small = cv2.resize(rgb[y:y + sh, x:x + sw], (max(2, cw // 24), max(2, ch // 24)), interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), 1.5)
        small = cv2.convertScaleAbs(small, alpha=0.65)  # darker, so the sharp copy stands out
        canvas.put_rgb(small, 0, 0, cw, ch, cv2.INTER_LINEAR)
    scale = min(cw / w, ch / h)
    fw, fh = max(2, round(w * scale) & ~1), max(2, round(h * scale) & ~1)
    canvas.put_rgb(rgb, ((cw - fw) // 2) & ~1, ((ch - fh) // 2) & ~1, fw, fh, _interp(scale))


def source_to_canvas(width: int, height: int, canvas_w: int, canvas_h: int, fit: str,
                     centre_x: float | None = None) -> tuple[float, float, float]:
    """(scale, offset_x, offset_y) with canvas = source * scale + offset for `place`'s layout."""
    if fit in ("fill", "follow"):
        x, y, sw, _ = follow_crop(width, height, canvas_w, canvas_h, centre_x)
        scale = canvas_w / sw
        return scale, -x * scale, -y * scale
    scale = min(canvas_w / width, canvas_h / height)
    fw, fh = max(2, round(width * scale) & ~1), max(2, round(height * scale) & ~1)
    return scale, ((canvas_w - fw) // 2) & ~1, ((canvas_h - fh) // 2) & ~1
