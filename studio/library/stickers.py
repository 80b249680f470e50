"""Sticker library: built-in stickers (assets/stickers, made by tools/gen_stickers) and user images.

Built-in static stickers are PNGs; animated ones are horizontal PNG sprite strips of
`frame_count` equal frames. User stickers may be PNG, WebP, GIF or APNG (animated too).
Frames are RGBA uint8 with straight (non-premultiplied) alpha.

AR accessories carry an Anchor that tells the renderer how to pin them to a face:
  eye = distance between landmarks EYE_DISTANCE_LANDMARKS (outer eye corners 33 and 263)
  centre = mean of the anchor's landmarks (pixel positions)
  sticker width = anchor.scale * eye; height keeps the image's aspect
  the image point (point[0] * width, point[1] * height) is placed on centre,
  and when anchor.rotate the sticker turns with the line from landmark 33 to 263 (head roll).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import LibraryError
from .images import ImageLimitError, decoded_frame, fit_size, frame_count, iter_frames, open_image
from .paths import assets_dir

# Face-mesh landmarks whose distance is the unit of Anchor.scale (outer eye corners).
EYE_DISTANCE_LANDMARKS = (33, 263)
FACE_MESH_LANDMARKS = 478  # 468 mesh points + 10 iris points
USER_STICKER_SUFFIXES = (".png", ".webp", ".gif", ".apng", ".jpg", ".jpeg")  # a JPEG: an opaque picture (a logo, a photo)
# A sticker is never drawn larger than the 1080x1920 canvas, so frames are kept no larger than
# that (aspect kept), and an animation's frames together within FRAMES_BUDGET bytes of RGBA.
MAX_FRAME_SIDE = 1920
FRAMES_BUDGET = 128 * 1024 * 1024


@dataclass(frozen=True)
class Anchor:
    landmarks: tuple[int, ...]  # face-mesh indices whose mean position the sticker attaches to
    point: tuple[float, float]  # image point (fractions of width, height) placed on that position
    scale: float  # sticker width / distance between EYE_DISTANCE_LANDMARKS
    rotate: bool = True  # follow head roll


@dataclass(frozen=True)
class Sticker:
    id: str
    title: str
    category: str
    tags: tuple[str, ...]
    path: Path
    animated: bool
    fps: float
    frame_count: int
    anchor: Anchor | None


def _stickers_dir() -> Path:
    return assets_dir() / "stickers"


def _from_entry(entry: dict, base: Path) -> Sticker:
    anchor = entry.get("anchor")
    return Sticker(
        id=entry["id"], title=entry["title"], category=entry["category"], tags=tuple(entry.get("tags", ())),
        path=base / entry["file"], animated=bool(entry.get("animated", False)),
        fps=float(entry.get("fps", 0.0)), frame_count=int(entry.get("frame_count", 1)),
        anchor=None if anchor is None else Anchor(
            landmarks=tuple(int(i) for i in anchor["landmarks"]),
            point=(float(anchor["point"][0]), float(anchor["point"][1])),
            scale=float(anchor["scale"]), rotate=bool(anchor.get("rotate", True))),
    )


def _manifest() -> list[Sticker]:
    base = _stickers_dir()
    path = base / "library.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["stickers"]
        return [_from_entry(e, base) for e in entries]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise LibraryError(f"{path}: cannot read sticker manifest ({exc})") from None


def list_categories() -> list[str]:
    seen: dict[str, None] = {}
    for s in _manifest():
        seen.setdefault(s.category, None)
    return list(seen)


def list_stickers(category: str | None = None) -> list[Sticker]:
    stickers = _manifest()
    return stickers if category is None else [s for s in stickers if s.category == category]


def _user_sticker(path: Path) -> Sticker:
    if not path.is_file():
        raise LibraryError(f"{path}: sticker file not found")
    try:
        with open_image(path) as im:  # refuses images above the size / frame limits from the header
            frames = frame_count(im)
            duration = im.info.get("duration") or 100  # ms per frame; GIFs often omit it
    except ImageLimitError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise LibraryError(f"{path}: not a readable image ({exc})") from None
    return Sticker(id=str(path), title=path.stem, category="user", tags=(), path=path,
                   animated=frames > 1, fps=1000.0 / float(duration) if frames > 1 else 0.0,
                   frame_count=frames, anchor=None)


def get_sticker(id_or_path: str | Path) -> Sticker:
    """A built-in sticker by id, or a user image (PNG/WebP/GIF/APNG, or an opaque JPEG) by path."""
    text = str(id_or_path)
    for s in _manifest():
        if s.id == text:
            return s
    path = Path(id_or_path)
    if path.suffix.lower() in USER_STICKER_SUFFIXES:
        return _user_sticker(path)
    raise LibraryError(f"unknown sticker '{text}' (not a built-in id nor a PNG/WebP/GIF/JPEG file)")


def resize_frame(rgba: np.ndarray, width: int) -> np.ndarray:
    """A sticker frame resized to `width` px wide keeping aspect, via premultiplied alpha so
    transparent pixels don't bleed dark fringes."""
    if width < 1:
        raise ValueError(f"sticker width must be >= 1, got {width}")
    h, w = rgba.shape[:2]
    width = int(width)
    height = max(1, round(h * width / w))
    if (width, height) == (w, h):
        return rgba.copy()
    interp = cv2.INTER_AREA if width < w else cv2.INTER_CUBIC
    f = rgba.astype(np.float32)
    alpha = f[..., 3:4] / 255.0
    f[..., :3] *= alpha
    f = cv2.resize(f, (width, height), interpolation=interp)
    a = np.clip(f[..., 3:4], 0.0, 255.0)
    rgb = np.where(a > 0.0, f[..., :3] * (255.0 / np.maximum(a, 1e-6)), 0.0)
    out = np.concatenate([rgb, a], axis=2)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _kept_size(width: int, height: int, frames: int) -> tuple[int, int]:
    """The size a frame is kept at: within the canvas, and all frames within FRAMES_BUDGET."""
    return fit_size(width, height, MAX_FRAME_SIDE, MAX_FRAME_SIDE, FRAMES_BUDGET // (4 * max(1, frames)))


def _read_frames(sticker: Sticker) -> list[np.ndarray]:
    """The frames, each decoded and scaled down on its own, so a big animation never sits in memory
    at full size."""
    count = max(1, sticker.frame_count)
    try:
        with open_image(sticker.path) as im:
            n = frame_count(im)
            if n > 1:
                return [np.array(f) for f in iter_frames(im, _kept_size(im.width, im.height, n))]
            if count == 1:
                return [np.array(decoded_frame(im, _kept_size(im.width, im.height, 1)))]
            sheet = decoded_frame(im)  # built-in animation: a horizontal strip of equal frames
    except ImageLimitError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise LibraryError(f"{sticker.path}: cannot read sticker image ({exc})") from None
    fw = sheet.shape[1] // count
    if fw * count != sheet.shape[1]:
        raise LibraryError(f"{sticker.path}: width {sheet.shape[1]} is not {count} equal frames")
    frames = [np.ascontiguousarray(sheet[:, i * fw:(i + 1) * fw]) for i in range(count)]
    kept = _kept_size(fw, sheet.shape[0], count)
    return frames if kept[0] == fw else [resize_frame(f, kept[0]) for f in frames]


def load_sticker_frames(sticker: Sticker, width: int | None = None) -> list[np.ndarray]:
    """All frames as RGBA uint8 HxWx4 (straight alpha), resized to `width` px wide keeping aspect.

    Without `width`, frames come at the image's size, but never larger than MAX_FRAME_SIDE a side
    nor, all together, FRAMES_BUDGET bytes."""
    if width is not None and width < 1:
        raise ValueError(f"sticker width must be >= 1, got {width}")
    frames = _read_frames(sticker)
    if width is not None:
        frames = [resize_frame(f, int(width)) for f in frames]
    return frames


def frame_index_at(sticker: Sticker, t_seconds: float) -> int:
    """Frame shown at time t (seconds since the sticker appeared); animations loop."""
    if not sticker.animated or sticker.frame_count <= 1 or sticker.fps <= 0:
        return 0
    return int(np.floor(t_seconds * sticker.fps + 1e-9)) % sticker.frame_count
