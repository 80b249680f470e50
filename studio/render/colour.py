"""RGB <-> Y'CbCr (BT.709, limited range), the colour space Studio's exports are tagged with.

cv2.transform applies the 3x4 matrix per pixel in C with rounding and saturation, which is several
times faster than numpy float maths and is only ever run on small images (sources before scaling,
stickers and text once)."""
from __future__ import annotations

import cv2
import numpy as np

_KR, _KB = 0.2126, 0.0722
_KG = 1.0 - _KR - _KB
_Y = np.array([_KR, _KG, _KB]) * 219.0 / 255.0
_CB = np.array([-_KR, -_KG, 1.0 - _KB]) / (2.0 * (1.0 - _KB)) * 224.0 / 255.0
_CR = np.array([1.0 - _KR, -_KG, -_KB]) / (2.0 * (1.0 - _KR)) * 224.0 / 255.0
RGB_TO_YUV = np.array([[*_Y, 16.0], [*_CB, 128.0], [*_CR, 128.0]], dtype=np.float32)
_INV = np.linalg.inv(RGB_TO_YUV[:, :3].astype(np.float64))
YUV_TO_RGB = np.hstack([_INV, -_INV @ RGB_TO_YUV[:, 3:4].astype(np.float64)]).astype(np.float32)

BLACK_YUV = (16, 128, 128)


def rgb_to_yuv444(rgb: np.ndarray) -> np.ndarray:
    return cv2.transform(rgb, RGB_TO_YUV)


def yuv444_to_rgb(yuv: np.ndarray) -> np.ndarray:
    return cv2.transform(yuv, YUV_TO_RGB)


def i420_to_rgb(buffer: np.ndarray, width: int, height: int) -> np.ndarray:
    """Decode an I420 buffer (as the compositor writes it) to RGB, upsampling chroma."""
    y, u, v = i420_planes(buffer, width, height)
    u_full = cv2.resize(u, (width, height), interpolation=cv2.INTER_LINEAR)
    v_full = cv2.resize(v, (width, height), interpolation=cv2.INTER_LINEAR)
    return yuv444_to_rgb(cv2.merge([y, u_full, v_full]))


def i420_planes(buffer: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y, U and V planes inside one (h*3/2, w) I420 buffer (no copies)."""
    flat = buffer.reshape(-1)
    luma = width * height
    chroma = (width // 2) * (height // 2)
    y = flat[:luma].reshape(height, width)
    u = flat[luma:luma + chroma].reshape(height // 2, width // 2)
    v = flat[luma + chroma:luma + 2 * chroma].reshape(height // 2, width // 2)
    return y, u, v
