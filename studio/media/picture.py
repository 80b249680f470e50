"""A decoded picture that converts only the part a caller shows to RGB (a duet half shows about a
quarter of each 640x480 webcam frame): an 8-bit 4:2:0 frame is kept as its planes (`Yuv420`),
anything else as the RGB array it was converted to (`RgbPicture`). Both have `width`, `height`
and `rgb(x, y, w, h)`.

`Yuv420.rgb(x, y, w, h)` gives the pixels `frame.to_ndarray(format="rgb24")[y:y+h, x:x+w]` would:
the same matrix (the frame's colour space, BT.601 when untagged, as swscale chooses) and range (full
for yuvj formats or a JPEG range tag, else limited), chroma taken from the nearest sample as
swscale's unscaled converter does. The matrix is applied exactly (rounded); swscale's fixed point
sits 0.5-1.5 levels lower, so the two differ by 0.7 levels on average on the webcam clips (full
range) and 1.3 on limited-range frames, never more than 3."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# AVColorSpace -> (Kr, Kb); the ones swscale treats as BT.601 share its coefficients
_COEFFS = {1: (0.2126, 0.0722), 2: (0.299, 0.114), 5: (0.299, 0.114), 6: (0.299, 0.114),
           9: (0.2627, 0.0593)}
_FULL_FORMATS = ("yuvj420p",)
_FORMATS = ("yuv420p", "yuvj420p")
_JPEG_RANGE = 2  # AVCOL_RANGE_JPEG


def yuv_to_rgb_matrix(kr: float, kb: float, full_range: bool) -> np.ndarray:
    """3x4 matrix for cv2.transform: [Y, U, V] (uint8) -> [R, G, B]."""
    kg = 1.0 - kr - kb
    ys, cs, y0 = (1.0, 1.0, 0.0) if full_range else (255.0 / 219.0, 255.0 / 224.0, 16.0)
    rows = np.array([[1.0, 0.0, 2 * (1 - kr)],
                     [1.0, -2 * kb * (1 - kb) / kg, -2 * kr * (1 - kr) / kg],
                     [1.0, 2 * (1 - kb), 0.0]])
    m = rows * np.array([ys, cs, cs])
    offset = -(m[:, 0] * y0 + (m[:, 1] + m[:, 2]) * 128.0)
    return np.hstack([m, offset[:, None]]).astype(np.float32)


@dataclass(frozen=True)
class RgbPicture:
    pixels: np.ndarray  # (h, w, 3) uint8

    @property
    def width(self) -> int:
        return self.pixels.shape[1]

    @property
    def height(self) -> int:
        return self.pixels.shape[0]

    def rgb(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        """The region (a view, read-only when the picture is)."""
        return self.pixels[y:y + h, x:x + w]


@dataclass(frozen=True)
class Yuv420:
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    to_rgb: np.ndarray  # 3x4, see yuv_to_rgb_matrix

    @property
    def width(self) -> int:
        return self.y.shape[1]

    @property
    def height(self) -> int:
        return self.y.shape[0]

    def rgb(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        """(h, w, 3) uint8 RGB of the region at (x, y) (a new array)."""
        x1, y1 = x + w, y + h
        if not (0 <= x < x1 <= self.width and 0 <= y < y1 <= self.height):
            raise ValueError(f"region {x},{y} {w}x{h} outside a {self.width}x{self.height} picture")
        # converted on the 2x2 chroma grid around the region (each chroma sample repeated 2x2:
        # nearest, as swscale), then trimmed; contiguous copies first, as OpenCV's merge is ~30x
        # slower on views into a decoded frame
        cx0, cy0, cx1, cy1 = x // 2, y // 2, (x1 + 1) // 2, (y1 + 1) // 2
        luma = np.ascontiguousarray(self.y[2 * cy0:2 * cy1, 2 * cx0:2 * cx1])
        chroma = cv2.merge([np.ascontiguousarray(self.u[cy0:cy1, cx0:cx1]),
                            np.ascontiguousarray(self.v[cy0:cy1, cx0:cx1])])
        chroma = cv2.resize(chroma, (luma.shape[1], luma.shape[0]), interpolation=cv2.INTER_NEAREST)
        rgb = cv2.transform(cv2.merge([luma, chroma]), self.to_rgb)
        dx, dy = x - 2 * cx0, y - 2 * cy0
        if (dx, dy, w, h) == (0, 0, rgb.shape[1], rgb.shape[0]):
            return rgb
        return np.ascontiguousarray(rgb[dy:dy + h, dx:dx + w])


def planes_of(frame, rotation: int = 0) -> Yuv420 | None:
    """The frame as a Yuv420 (views of its planes, turned by `rotation` degrees counter-clockwise),
    or None when it is not 8-bit 4:2:0 of an even size with a colour space handled here (the
    caller converts the whole frame instead)."""
    fmt = frame.format.name
    coeffs = _COEFFS.get(int(frame.colorspace))
    if fmt not in _FORMATS or coeffs is None or frame.width % 2 or frame.height % 2:
        return None
    full = fmt in _FULL_FORMATS or int(frame.color_range) == _JPEG_RANGE
    w, h = frame.width, frame.height
    planes = []
    for index, (pw, ph) in enumerate(((w, h), (w // 2, h // 2), (w // 2, h // 2))):
        p = frame.planes[index]
        arr = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:ph, :pw]  # keeps the frame alive
        if rotation:
            arr = np.ascontiguousarray(np.rot90(arr, rotation // 90))
        planes.append(arr)
    return Yuv420(*planes, yuv_to_rgb_matrix(*coeffs, full))
