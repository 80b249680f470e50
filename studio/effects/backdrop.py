"""The background an effect shows behind a cut-out subject: a colour, an image or a looping video,
named by one `source` param that background_replace and chroma_key declare alike (so the inspector
edits both the same way)."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from studio.effects.base import FrameContext
from studio.effects.errors import EffectError
from studio.effects.params import Param, parse_color

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}


def source_param(default: str = "#2d6cdf") -> Param:
    return Param("source", "media", default, title="Background (image, video, #rrggbb or transparent)")


TRANSPARENT = "transparent"  # no background: the clip's layers below show through the cut-out


def source_kind(effect_id: str, src: str) -> str:
    """"transparent", "color", "image" or "video"; EffectError naming `effect_id` for anything else."""
    where = f"effect '{effect_id}': param 'source'"
    if src == TRANSPARENT:
        return TRANSPARENT
    if src.startswith("#"):
        try:
            parse_color(src)
            if len(src) == 7:
                return "color"
        except ValueError:
            pass
        raise EffectError(f"{where} must be '#rrggbb', got {src!r}")
    p = Path(src)
    suffix = p.suffix.lower()
    if suffix not in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
        raise EffectError(f"{where}: '{src}' is not an image, video or colour")
    if not p.is_file():
        raise EffectError(f"{where}: file not found '{src}'")
    return "image" if suffix in IMAGE_SUFFIXES else "video"


def backdrop(effect_id: str, src: str, ctx: FrameContext, w: int, h: int) -> np.ndarray:
    """The w x h RGB background for this frame (colour and image made once per effect instance,
    a video read on and looped)."""
    kind = ctx.memo(("kind", src), lambda: source_kind(effect_id, src))  # check() vetted it: no stat per frame
    if kind == "color":
        return ctx.memo(("color", src, w, h), lambda: np.full((h, w, 3), parse_color(src), np.uint8))
    if kind == "image":
        return ctx.memo(("image", src, w, h), lambda: cover(read_image(src, w, h, effect_id), w, h))
    video = ctx.memo(("video", src), lambda: looping_video(Path(src), effect_id))
    return cover(video.frame_at(ctx.time), w, h)


def read_image(path: str, width: int, height: int, effect_id: str = "background_replace") -> np.ndarray:
    """The image as upright RGB, scaled down right after decoding to the smallest size that still
    covers width x height (all the effect shows of it); images above the library's size limits
    are refused from their header."""
    from PIL import ImageOps

    from studio.library.images import ImageLimitError, cover_size, decoded_frame, open_image

    where = f"effect '{effect_id}': param 'source'"
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


def cover(img: np.ndarray, w: int, h: int) -> np.ndarray:
    """Scale to cover w x h and centre-crop (like CSS object-fit: cover)."""
    ih, iw = img.shape[:2]
    s = max(w / iw, h / ih)
    nw, nh = max(w, int(round(iw * s))), max(h, int(round(ih * s)))
    r = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    x, y = (nw - w) // 2, (nh - h) // 2
    return np.ascontiguousarray(r[y:y + h, x:x + w])


def looping_video(path: Path, effect_id: str = "background_replace"):
    """The background video, played round and round by studio.media; a file that cannot be read
    is this effect's error."""
    from studio.media.errors import MediaError
    from studio.media.sequential import LoopingVideo

    try:
        return LoopingVideo(path)
    except MediaError as exc:
        raise EffectError(f"effect '{effect_id}': param 'source': cannot read video '{path}' "
                          f"({exc.reason or exc.problem})") from None
