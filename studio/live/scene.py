"""The live picture: the (already processed) camera, maybe a second source, and overlays, composed
30 times a second into one RGB frame at the stream's size.

It runs next to face tracking and an x264 encode on a small machine, so the work per frame is
kept to one resize of each source straight into the output buffer and integer blends inside each
overlay's box. Overlays are rasterised by studio.render's text and sticker rasterisers when a scene
is prepared; a clock or countdown is drawn again only when its text changes (once a second).

    renderer = SceneRenderer(scene, (720, 1280))
    frame = renderer.render(camera_rgb, second_rgb, time.time())
    renderer.switch(other_scene)  # prepared first, swapped between two frames
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from fractions import Fraction

import cv2
import numpy as np

from studio.model import StickerItem, TextItem
from studio.model.live_scene import DAY_SECONDS, LiveOverlay, LiveScene
from studio.render.canvas import RGB, Canvas
from studio.render.overlays import OverlayCache, Placed

# Text styles are sized for a 1080-wide canvas: a 720-wide stream draws them at 2/3 of their size
STYLE_WIDTH = 1080
STICKER_FPS = Fraction(30)  # an animated sticker's frames are picked on this clock (its own rate inside)
# After a countdown reaches its moment it shows 0:00 for this long (the show has started) rather
# than counting to the same moment tomorrow
COUNTDOWN_HOLD_S = 3600
BUFFERS = 2  # output frames in rotation: one may be encoding while the next is composed


def clock_text(overlay: LiveOverlay, now: dt.datetime) -> str:
    """What a clock or countdown overlay shows at `now` (local time)."""
    if overlay.kind == "clock":
        return now.strftime(overlay.text or "%H:%M")
    of_day = now.hour * 3600 + now.minute * 60 + now.second
    left = (overlay.target - of_day) % DAY_SECONDS
    if DAY_SECONDS - left <= COUNTDOWN_HOLD_S and left:  # passed less than the hold ago
        left = 0
    hours, rest = divmod(left, 3600)
    shown = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    if "{}" in overlay.text:
        return overlay.text.replace("{}", shown)
    return f"{overlay.text} {shown}" if overlay.text.strip() else shown


def local_time(now: dt.datetime | float | None) -> dt.datetime:
    """`now` as a local datetime: a datetime as given (an aware one in local time), seconds since
    the epoch, or None for the present."""
    if now is None:
        return dt.datetime.now()
    if isinstance(now, dt.datetime):
        return now.astimezone() if now.tzinfo is not None else now
    return dt.datetime.fromtimestamp(float(now))


def _seconds(now: dt.datetime | float | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, dt.datetime):
        return now.timestamp()
    return float(now)


@dataclass
class _Overlay:
    """One overlay of a prepared scene: its sprite when static, else what redraws it."""
    spec: LiveOverlay
    placed: Placed | None = None  # static overlays (and the clock's current text)
    shown: str | None = None      # the clock/countdown text `placed` shows
    animated: bool = False        # an animated sticker: its sprite is picked per frame


@dataclass
class PreparedScene:
    """A scene with its overlays rasterised for one output size, ready to go on air. Its cache is
    its own, so a scene prepared in another thread shares nothing with the one being drawn."""
    scene: LiveScene
    width: int
    height: int
    cache: OverlayCache
    overlays: list[_Overlay] = field(default_factory=list)
    pip_box: tuple[int, int, int, int] | None = None  # x, y, w, h in pixels, clipped to the output

    def text_item(self, spec: LiveOverlay, content: str) -> TextItem:
        return TextItem("live", 0, 1, content, style=spec.style, x=spec.x, y=spec.y, width=spec.width,
                        size=spec.size, opacity=spec.opacity, anim_in="none", anim_out="none", anim_frames=0)

    def sticker_item(self, spec: LiveOverlay) -> StickerItem:
        return StickerItem("live", 0, 1, spec.source, x=spec.x, y=spec.y, scale=spec.width, opacity=spec.opacity)

    def text(self, spec: LiveOverlay, content: str) -> Placed | None:
        return self.cache.text(self.text_item(spec, content), 0, self.width, self.height, STYLE_WIDTH, RGB)

    def sticker(self, spec: LiveOverlay, seconds: float) -> Placed | None:
        local = int(seconds * STICKER_FPS) if seconds > 0 else 0
        return self.cache.sticker_item(self.sticker_item(spec), local, STICKER_FPS, self.width, self.height, RGB)


def prepare_scene(scene: LiveScene, size: tuple[int, int], now: dt.datetime | float | None = None) -> PreparedScene:
    """Rasterise `scene`'s overlays for an output of `size` (w, h). Raises the library's error
    (LibraryError: an unknown sticker or style, an unreadable image) before anything goes on air."""
    width, height = size
    prepared = PreparedScene(scene, width, height, OverlayCache())
    wall = local_time(now)
    for spec in scene.overlays:
        entry = _Overlay(spec)
        if spec.kind == "text":
            entry.placed = prepared.text(spec, spec.text)
        elif spec.kind in ("clock", "countdown"):
            entry.shown = clock_text(spec, wall)
            entry.placed = prepared.text(spec, entry.shown)
        else:  # sticker or image (a logo): both go through the sticker rasteriser
            entry.animated = prepared.cache.sticker(spec.source).animated
            entry.placed = prepared.sticker(spec, 0.0)
        prepared.overlays.append(entry)
    if scene.layout == "pip" and scene.second_source is not None:
        r = scene.pip
        x0, y0 = max(0, round(r.x * width)), max(0, round(r.y * height))
        x1, y1 = min(width, round((r.x + r.w) * width)), min(height, round((r.y + r.h) * height))
        prepared.pip_box = (x0, y0, x1 - x0, y1 - y0) if x1 - x0 >= 2 and y1 - y0 >= 2 else None
    return prepared


class SceneRenderer:
    """Composes live frames for one output size. `render` is called by one thread (the stream's);
    `switch` may be called from another: the new scene is prepared in the caller's thread and
    swapped in with one assignment, so the frame being drawn finishes with the old scene."""

    def __init__(self, scene: LiveScene, size: tuple[int, int], *, now: dt.datetime | float | None = None):
        width, height = int(size[0]), int(size[1])
        if width < 2 or height < 2:
            raise ValueError(f"live output size must be at least 2x2, got {width}x{height}")
        self.size = (width, height)
        self._canvases = [Canvas(width, height, RGB, fill=True) for _ in range(BUFFERS)]
        self._next = 0
        self._prepared = prepare_scene(scene, self.size, now)

    @property
    def scene(self) -> LiveScene:
        return self._prepared.scene

    def switch(self, scene: LiveScene | PreparedScene, now: dt.datetime | float | None = None) -> None:
        """Put `scene` on air from the next frame. Raises (and keeps the current scene) when its
        overlays cannot be drawn."""
        prepared = scene if isinstance(scene, PreparedScene) else prepare_scene(scene, self.size, now)
        if (prepared.width, prepared.height) != self.size:
            raise ValueError(f"scene prepared for {prepared.width}x{prepared.height}, "
                             f"the output is {self.size[0]}x{self.size[1]}")
        self._prepared = prepared

    def render(self, camera_rgb: np.ndarray | None, second_rgb: np.ndarray | None = None,
               now: dt.datetime | float | None = None) -> np.ndarray:
        """The frame at `now` as (h, w, 3) uint8 RGB. The array belongs to the renderer and is
        drawn over again BUFFERS calls later: encode or copy it before then. A missing camera
        (None) leaves its place black; a missing second source hides the pip, blacks the split half."""
        p = self._prepared  # read once: a switch during this frame takes effect on the next
        canvas = self._canvases[self._next]
        self._next = (self._next + 1) % BUFFERS
        out = canvas.buffer
        w, h = self.size
        layout = p.scene.layout if p.scene.second_source is not None else "full"
        if layout == "split":
            a, b = ((out[:h // 2], out[h // 2:]) if h >= w else (out[:, :w // 2], out[:, w // 2:]))
            _cover_into(a, camera_rgb)
            _cover_into(b, second_rgb)
        else:
            _cover_into(out, camera_rgb)
            if layout == "pip" and p.pip_box is not None and second_rgb is not None:
                x, y, bw, bh = p.pip_box
                _cover_into(out[y:y + bh, x:x + bw], second_rgb)
        if p.overlays:
            self._draw_overlays(p, canvas, now)
        return out

    def _draw_overlays(self, p: PreparedScene, canvas: Canvas, now) -> None:
        wall = None
        for entry in p.overlays:
            spec = entry.spec
            if entry.shown is not None:  # clock or countdown: new sprite only when the text changes
                wall = wall or local_time(now)
                text = clock_text(spec, wall)
                if text != entry.shown:
                    entry.shown, entry.placed = text, p.text(spec, text)
            elif entry.animated:
                entry.placed = p.sticker(spec, _seconds(now))
            placed = entry.placed
            if placed is not None:
                canvas.blend(placed.sprite, placed.x, placed.y, placed.opacity)


def cover_crop(src_w: int, src_h: int, dst_w: int, dst_h: int) -> tuple[int, int, int, int]:
    """The centred part (x, y, w, h) of a src_w x src_h picture with the aspect of dst_w x dst_h:
    scaled to the destination, it covers it without bars (the rest is cut off)."""
    if src_w * dst_h > dst_w * src_h:  # wider than the box: cut the sides
        w = max(1, round(src_h * dst_w / dst_h))
        return (src_w - w) // 2, 0, w, src_h
    h = max(1, round(src_w * dst_h / dst_w))
    return 0, (src_h - h) // 2, src_w, h


def _cover_into(dst: np.ndarray, src: np.ndarray | None) -> None:
    """Scale the cover crop of `src` into `dst` (a view of the output), written by the resize itself."""
    dh, dw = dst.shape[:2]
    if src is None:
        dst.fill(0)
        return
    x, y, w, h = cover_crop(src.shape[1], src.shape[0], dw, dh)
    crop = src[y:y + h, x:x + w]
    if (w, h) == (dw, dh):
        dst[...] = crop
        return
    # area averaging only where linear would skip source pixels (shrinking by 2 or more): it is
    # several times slower at small ratios, which a camera into a pip box often is
    interpolation = cv2.INTER_AREA if w >= 2 * dw and h >= 2 * dh else cv2.INTER_LINEAR
    result = cv2.resize(crop, (dw, dh), dst=dst, interpolation=interpolation)
    if result is not dst and not np.shares_memory(result, dst):  # OpenCV chose a new buffer (a strided view)
        dst[...] = result


__all__ = ["SceneRenderer", "PreparedScene", "prepare_scene", "clock_text", "cover_crop", "local_time"]
