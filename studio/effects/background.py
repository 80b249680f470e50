"""background_blur / background_replace: composite the person (segmentation mask) over a new background."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.errors import EffectError
from studio.effects.params import Param, parse_color

MIN_PERSON_FRACTION = 0.005  # below this the frame has no person: leave it alone
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}


def _soft_mask(ctx: FrameContext, size, feather: float) -> np.ndarray | None:
    """Feathered float32 person mask at `size`, or None when there is no person."""
    pm = ctx.person_mask
    # The selfie segmenter assumes someone is there (it calls half of a coffee-cup photo "person"),
    # so a face is what says a person is in frame.
    if pm is None or not ctx.faces:
        return None
    small = pm.mask
    if np.count_nonzero(small > 127) < MIN_PERSON_FRACTION * small.size:
        return None
    # Feather at the mask's small working size (cheap), then upscale: edges come out soft.
    sigma = max(0.5, feather * max(small.shape) / 256)
    m = cv2.GaussianBlur(small, (0, 0), sigma)
    m = cv2.resize(m, size, interpolation=cv2.INTER_LINEAR)
    return m.astype(np.float32) * (1.0 / 255.0)


def _composite(fg: np.ndarray, bg: np.ndarray, m: np.ndarray) -> np.ndarray:
    return cv2.blendLinear(fg, bg, m, 1.0 - m)


class BackgroundBlur(Effect):
    id = "background_blur"
    title = "Background blur"
    category = "background"
    needs = frozenset({"segmentation", "face"})
    params = (Param("strength", "float", 0.6, 0.0, 1.0, animatable=True, title="Blur"),)

    def apply(self, rgb, ctx: FrameContext, params):
        s = params["strength"]
        h, w = rgb.shape[:2]
        m = _soft_mask(ctx, (w, h), 2.0) if s > 0 else None
        if m is None:
            return rgb.copy()
        # Blur at quarter size: a wide Gaussian there is cheap and looks the same once upscaled.
        q = 4
        small = cv2.resize(rgb, (max(1, w // q), max(1, h // q)), interpolation=cv2.INTER_AREA)
        sigma = 0.5 + s * max(w, h) / q / 60.0
        small = cv2.GaussianBlur(small, (0, 0), sigma)
        bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
        return _composite(rgb, bg, m)


class BackgroundReplace(Effect):
    id = "background_replace"
    title = "Background replace"
    category = "background"
    needs = frozenset({"segmentation", "face"})
    params = (Param("source", "media", "#2d6cdf", title="Background (image, video or #rrggbb)"),)

    def check(self, params) -> None:
        _source_kind(params["source"])

    def apply(self, rgb, ctx: FrameContext, params):
        h, w = rgb.shape[:2]
        m = _soft_mask(ctx, (w, h), 1.5)
        if m is None:
            return rgb.copy()
        src = params["source"]
        kind = ctx.memo(("kind", src), lambda: _source_kind(src))  # check() already vetted it: no stat per frame
        if kind == "color":
            bg = ctx.memo(("color", src, w, h), lambda: np.full((h, w, 3), parse_color(src), np.uint8))
        elif kind == "image":
            bg = ctx.memo(("image", src, w, h), lambda: _cover(_read_image(src, w, h), w, h))
        else:
            video = ctx.memo(("video", src), lambda: _looping_video(Path(src)))
            bg = _cover(video.frame_at(ctx.time), w, h)
        return _composite(rgb, bg, m)


def _source_kind(src: str) -> str:
    if src.startswith("#"):
        try:
            parse_color(src)
            if len(src) == 7:
                return "color"
        except ValueError:
            pass
        raise EffectError(f"effect 'background_replace': param 'source' must be '#rrggbb', got {src!r}")
    p = Path(src)
    suffix = p.suffix.lower()
    if suffix not in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
        raise EffectError(f"effect 'background_replace': param 'source': '{src}' is not an image, video or colour")
    if not p.is_file():
        raise EffectError(f"effect 'background_replace': param 'source': file not found '{src}'")
    return "image" if suffix in IMAGE_SUFFIXES else "video"


def _read_image(path: str, width: int, height: int) -> np.ndarray:
    """The image as upright RGB, scaled down right after decoding to the smallest size that still
    covers width x height (all the effect shows of it); images above the library's size limits
    are refused from their header."""
    from PIL import ImageOps

    from studio.library.images import ImageLimitError, cover_size, decoded_frame, open_image

    where = "effect 'background_replace': param 'source'"
    try:
        with open_image(path) as img:
            if img.format == "JPEG":  # let the decoder itself scale down (by up to 8x)
                swap = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation turns it
                w, h = cover_size(*((img.height, img.width) if swap else img.size), width, height)
                img.draft("RGB", (h, w) if swap else (w, h))
            ImageOps.exif_transpose(img, in_place=True)
            return decoded_frame(img, cover_size(img.width, img.height, width, height), "RGB")
    except ImageLimitError as exc:
        raise EffectError(f"{where}: {Path(path).name}: {exc.problem}") from None
    except (OSError, ValueError, SyntaxError):
        raise EffectError(f"{where}: cannot read image '{path}'") from None


def _cover(img: np.ndarray, w: int, h: int) -> np.ndarray:
    """Scale to cover w x h and centre-crop (like CSS object-fit: cover)."""
    ih, iw = img.shape[:2]
    s = max(w / iw, h / ih)
    nw, nh = max(w, int(round(iw * s))), max(h, int(round(ih * s)))
    r = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    x, y = (nw - w) // 2, (nh - h) // 2
    return np.ascontiguousarray(r[y:y + h, x:x + w])


def _looping_video(path: Path):
    """The background video, played round and round by studio.media; a file that cannot be read
    is this effect's error."""
    from studio.media.errors import MediaError
    from studio.media.sequential import LoopingVideo

    try:
        return LoopingVideo(path)
    except MediaError as exc:
        raise EffectError(f"effect 'background_replace': param 'source': cannot read video '{path}' "
                          f"({exc.reason or exc.problem})") from None
