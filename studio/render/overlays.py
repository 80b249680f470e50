"""Overlays (text and stickers) turned into positioned sprites for one frame, with caches so that
rasterising, resizing and colour conversion happen once per distinct look, not per frame.
`rasterise_text` and `rasterise_sticker` are the text and sticker kinds' rasterisers (render.kinds)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Hashable

import cv2
import numpy as np

from studio.library.stickers import Sticker, frame_index_at, get_sticker, load_sticker_frames, resize_frame
from studio.library.styles import TextStyle, get_style
from studio.model import Keyframe, Project, StickerItem, TextItem

from .animation import anim_state, interpolate
from .canvas import Sprite, make_sprite
from .lru import LRU
from .text import line_width, rasterise, wrap
from .word_styles import WordLook, frame_states, timed_words


@dataclass(frozen=True)
class Placed:
    sprite: Sprite
    x: int
    y: int
    opacity: float


def rotate_rgba(rgba: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate around the centre into a canvas big enough for the corners (premultiplied, so the
    interpolated edge pixels do not pick up dark fringes)."""
    if abs(degrees) < 0.01:
        return rgba
    h, w = rgba.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    premult = np.concatenate([rgba[..., :3] * a, rgba[..., 3:4].astype(np.float32)], axis=2)
    out = cv2.warpAffine(premult, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    alpha = out[..., 3:4]
    rgb = np.where(alpha > 0, out[..., :3] * 255.0 / np.maximum(alpha, 1e-6), 0)
    return np.concatenate([np.clip(rgb, 0, 255), np.clip(alpha, 0, 255)], axis=2).round().astype(np.uint8)


@dataclass(frozen=True)
class OverlayFrame:
    """The frame an overlay is drawn into, as a rasteriser sees it."""
    project: Project
    width: int                  # canvas pixels (the preview's or the export's)
    height: int
    fmt: str                    # RGB or I420 sprites
    cache: "OverlayCache"
    # (x, y, face width, roll) in canvas fractions of the face in the video under the overlay, or None
    face_anchor: Callable[[], tuple[float, float, float, float] | None] = lambda: None


def rasterise_text(item: TextItem, local: int, frame: OverlayFrame) -> Placed | None:
    return frame.cache.text(item, local, frame.width, frame.height, frame.project.width, frame.fmt)


def rasterise_sticker(item: StickerItem, local: int, frame: OverlayFrame) -> Placed | None:
    anchor = frame.face_anchor() if item.face_anchor else None
    return frame.cache.sticker_item(item, local, frame.project.fps, frame.width, frame.height, frame.fmt, anchor)


class OverlayCache:
    """Caches rasters and sprites for one renderer and one output format."""

    def __init__(self, capacity: int = 256):
        self._sprites = LRU(capacity)
        self._rasters = LRU(capacity)
        # word styles: a sprite per distinct look of the words (the word said, a pop's phase, a
        # karaoke step) and the layers they are picked from, few of each (a frame needs one)
        self._word_sprites = LRU(48)
        self._word_looks = LRU(6)
        self._stickers: dict[str, Sticker] = {}
        self._styles: dict[str, TextStyle] = {}

    def sticker(self, ref: str) -> Sticker:
        if ref not in self._stickers:
            self._stickers[ref] = get_sticker(ref)
        return self._stickers[ref]

    def sprite(self, key: Hashable, build: Callable[[], Sprite]) -> Sprite:
        """The sprite for `key` (everything its pixels depend on), built once while it stays in use:
        for kinds whose rasteriser has no cache of its own."""
        return self._sprites.get(key, build)

    def style(self, ref: str) -> TextStyle:
        if ref not in self._styles:
            self._styles[ref] = get_style(ref)
        return self._styles[ref]

    def text(self, item: TextItem, local: int, canvas_w: int, canvas_h: int, project_w: int, fmt: str) -> Placed | None:
        state = anim_state(item.anim_in, item.anim_out, item.anim_frames, local, item.duration)
        opacity = item.opacity * state.opacity
        if opacity <= 0.004 or not item.content.strip():
            return None
        style = self.style(item.style)
        scale = canvas_w / project_w * item.size
        font_size = max(4, round(style.font_size * scale))
        max_width = max(8, round(item.width * canvas_w))
        text, states, spans = item.content, None, ()
        if style.by_word:  # word by word: the words' look at this frame is part of the sprite's key
            words = self._rasters.get(("words", item.content, item.words, item.duration, style.uppercase,
                                       style.emphasis_color is not None),
                                      lambda: timed_words(item.content, item.words, item.duration, style.uppercase,
                                                          style.emphasis_color is not None))
            text, states, spans = frame_states(style, words, local)
            if not text.strip():
                return None
            if style.word_mode == "one_word":  # one word is made smaller to fit, never broken
                wide = self._rasters.get(("width", text, item.style, font_size),
                                         lambda: line_width(text, style, font_size) + 2 * style.stroke_width * scale)
                if wide > max_width:
                    fitted = max(4, int(font_size * max_width / wide))
                    scale, font_size = scale * fitted / font_size, fitted
        layout = self._rasters.get(("layout", text, item.style, font_size, max_width),
                                   lambda: wrap(text, style, font_size, max_width))
        total = sum(len(line) for line in layout.lines)
        visible = None if state.reveal >= 1 else round(total * state.reveal)
        anim_scale = round(state.scale, 2)
        angle = round(item.rotation * 2) / 2
        key = ("text", layout, item.style, visible, anim_scale, angle, fmt, states)

        def build() -> Sprite:
            if states is None:
                rgba = self._rasters.get(("raster", layout, item.style, visible, scale),
                                         lambda: rasterise(layout, style, scale, visible))
            else:
                look = self._word_looks.get((layout, item.style, visible, scale, spans),
                                            lambda: WordLook(layout, style, scale, visible, spans, text))
                rgba = look.draw(states)
            if anim_scale != 1.0:
                w, h = max(2, round(rgba.shape[1] * anim_scale)), max(2, round(rgba.shape[0] * anim_scale))
                rgba = cv2.resize(rgba, (w, h), interpolation=cv2.INTER_AREA if anim_scale < 1 else cv2.INTER_LINEAR)
            return make_sprite(rotate_rgba(rgba, angle), fmt)

        sprite = (self._sprites if states is None else self._word_sprites).get(key, build)
        cx, cy = item.x * canvas_w, (item.y + state.dy) * canvas_h
        return Placed(sprite, round(cx - sprite.width / 2), round(cy - sprite.height / 2), opacity)

    def sticker_item(self, item: StickerItem, local: int, fps: Fraction, canvas_w: int, canvas_h: int,
                     fmt: str, anchor: tuple[float, float, float, float] | None = None) -> Placed | None:
        """anchor: (x, y, width, roll) of a tracked face in canvas fractions, for face-anchored items."""
        kf = interpolate(item.keyframes, local, Keyframe(0, item.x, item.y, item.scale, item.rotation))
        x, y, scale, rotation = kf.x, kf.y, kf.scale, kf.rotation
        if item.face_anchor:
            if anchor is None:
                return None  # no face in this frame: a face-anchored sticker is not shown
            fx, fy, face_w, roll = anchor
            x, y, scale, rotation = fx + (x - 0.5) * face_w, fy + (y - 0.5) * face_w, scale * face_w / 0.3, rotation + roll
        if item.opacity <= 0.004:
            return None
        sticker = self.sticker(item.sticker)
        width = max(2, round(scale * canvas_w / 2) * 2)  # even steps: a slow zoom reuses rasters
        index = frame_index_at(sticker, float(Fraction(local) / fps))
        angle = round(rotation * 2) / 2

        def sized() -> np.ndarray:
            # the file is decoded once per sticker; only the frame on screen is resized, so a zoom
            # neither decodes the file again nor keeps every frame at every width
            frames = self._rasters.get(("sticker", item.sticker), lambda: load_sticker_frames(sticker))
            return resize_frame(frames[index % len(frames)], width)

        def build() -> Sprite:
            rgba = self._rasters.get(("sticker", item.sticker, width, index), sized)
            return make_sprite(rotate_rgba(rgba, angle), fmt)

        sprite = self._sprites.get(("sticker", item.sticker, width, index, angle, fmt), build)
        return Placed(sprite, round(x * canvas_w - sprite.width / 2), round(y * canvas_h - sprite.height / 2),
                      item.opacity)
