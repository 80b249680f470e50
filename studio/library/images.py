"""User images (stickers, stills, backgrounds) opened with their size checked before any pixel is
decoded, and decoded one frame at a time, each frame scaled down right away.

PIL's Image.open only reads the header, so a file whose header promises more pixels or frames than
the limits is refused at once: a 170 KB PNG can otherwise decode to gigabytes. The limits are far
above what a 1080x1920 short can show (a 40-megapixel photo is 7728x5152).
"""
from __future__ import annotations

import math
import re
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image

from .errors import LibraryError

MAX_SIDE = 8192  # px, either side
MAX_PIXELS = 40_000_000  # per frame
MAX_FRAMES = 300  # frames of an animated GIF / APNG / WebP
LIMITS_TEXT = f"images may be at most {MAX_SIDE} px a side and {MAX_PIXELS // 1_000_000} megapixels"

_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


class ImageLimitError(LibraryError):
    """An image is larger than the limits; `problem` is the message without the file name."""

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = " ".join(problem.split())
        super().__init__(f"{self.path}: {self.problem}")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.0f}" if pixels >= 10_000_000 else f"{pixels / 1e6:.1f}"


def check_size(path: str | Path, width: int, height: int, frames: int = 1) -> None:
    """Raise ImageLimitError when a width x height image (of `frames` frames) is above the limits."""
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageLimitError(path, f"image is {width}x{height} px ({_megapixels(width * height)} megapixels); "
                                    f"{LIMITS_TEXT}")
    if width < 1 or height < 1:
        raise ImageLimitError(path, f"image is {width}x{height} px (empty)")
    if frames > MAX_FRAMES:
        raise ImageLimitError(path, f"animation has {frames} frames; at most {MAX_FRAMES} are allowed")


def frame_count(img: Image.Image) -> int:
    # n_frames of a GIF scans the file's frame headers without decoding pixels
    return int(getattr(img, "n_frames", 1))


@contextmanager
def open_image(path: str | Path) -> Iterator[Image.Image]:
    """The image at `path`, opened lazily (header only) with its size and frame count checked.

    Raises ImageLimitError for images above the limits, PIL's decompression-bomb refusal included;
    other unreadable files raise what PIL raises (OSError, ValueError, SyntaxError)."""
    p = Path(path)
    try:
        with warnings.catch_warnings():
            # the bomb warning would print a traceback-like line; the limits below are far stricter
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(p)
    except Image.DecompressionBombError as exc:
        m = _BOMB_PIXELS.search(str(exc))
        size = f"{_megapixels(int(m.group(1)))} megapixels" if m else "too many pixels"
        raise ImageLimitError(p, f"image is {size}; {LIMITS_TEXT}") from None
    with img:
        check_size(p, img.width, img.height, frame_count(img))
        yield img


def fit_size(width: int, height: int, max_width: int, max_height: int, max_pixels: int | None = None) -> tuple[int, int]:
    """The largest size within max_width x max_height (and max_pixels) with the aspect of width x
    height; never larger than width x height."""
    scale = min(1.0, max_width / width, max_height / height)
    if max_pixels is not None and width * height * scale * scale > max_pixels:
        scale = (max_pixels / (width * height)) ** 0.5
    return max(1, round(width * scale)), max(1, round(height * scale))


def cover_size(width: int, height: int, min_width: int, min_height: int) -> tuple[int, int]:
    """The smallest size with the aspect of width x height that covers min_width x min_height;
    never larger than width x height."""
    scale = max(min_width / width, min_height / height)
    if scale >= 1.0:
        return width, height
    return max(min_width, math.ceil(width * scale)), max(min_height, math.ceil(height * scale))


def decoded_frame(img: Image.Image, size: tuple[int, int] | None = None, mode: str = "RGBA") -> np.ndarray:
    """The current frame of `img` in `mode` ("RGBA" straight alpha, or "RGB"), scaled down to `size`.

    Scaling happens in the decoded mode where it can (RGB, L) and through premultiplied alpha
    otherwise (PIL's resize premultiplies RGBA), so only one full-size copy exists at a time."""
    frame = img
    if frame.mode not in ("RGB", "RGBA", "L", "LA"):
        frame = frame.convert("RGBA" if mode == "RGBA" or "transparency" in frame.info else "RGB")
    if size is not None and size != frame.size:
        # reducing_gap: a fast integer box reduction first, then a proper filter on the rest
        frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if frame.mode != mode:
        frame = frame.convert(mode)
    return np.asarray(frame)


def iter_frames(img: Image.Image, size: tuple[int, int] | None = None, mode: str = "RGBA") -> Iterator[np.ndarray]:
    """Every frame of an (animated) image, composited as a viewer shows it, each scaled to `size`
    right after it is decoded."""
    for index in range(frame_count(img)):
        img.seek(index)
        yield decoded_frame(img, size, mode)
