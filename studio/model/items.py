"""Timeline items: plain frozen data. Times are integer frames at the project rate."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Union

FIT_MODES = ("fill", "fit_blur", "fit_black")
ANIMATIONS = ("none", "fade", "pop", "typewriter", "slide_up", "bounce")
SOUND_ROLES = ("sound", "voiceover")

# Value rules shared by the file reader and set_property, so an edit never makes a file that will not load
CHOICES = {"fit": FIT_MODES, "anim_in": ANIMATIONS, "anim_out": ANIMATIONS, "role": SOUND_ROLES}
FRAME_FIELDS = {"start", "duration", "source_in", "fade_in", "fade_out", "anim_frames", "cover_frame", "frame",
                "source_frames"}
NON_NEGATIVE = {"start", "source_in", "fade_in", "fade_out", "anim_frames", "cover_frame", "frame"}
POSITIVE = {"duration", "speed", "scale", "size", "width", "height", "fps", "source_frames"}
UNIT_RANGE = {"opacity"}
MEDIA_FIELDS = {"source", "sticker"}
# A day of 120 fps video: far beyond any short, small enough that no size computed from it overflows
MAX_FRAMES = 24 * 3600 * 120
# Bounds of what a creator can mean, so a received file cannot ask for terabytes or overflow a
# float on the way to the encoder (1e308 as a volume, a 1e9 scale); each is far past any real use
RANGES: dict[str, tuple[float, float]] = {
    "x": (-10.0, 10.0), "y": (-10.0, 10.0),          # centre, in canvas widths/heights
    "width": (0.0, 10.0), "size": (0.0, 20.0), "scale": (0.0, 20.0),
    "rotation": (-3600.0, 3600.0),                    # degrees: ten turns
    "volume": (0.0, 16.0),                            # linear gain, +24 dB
    "volume_db": (-120.0, 24.0),
    "speed": (0.01, 100.0),
    **{name: (0, MAX_FRAMES) for name in FRAME_FIELDS},
}
MAX_TEXT = 5000  # characters in any one text field (captions are at most 2,200 on TikTok)


def value_problem(name: str, value: Any) -> str | None:
    """Why `value` cannot be the field `name` (as 'must be ...'), or None when it can."""
    if value is None:
        return None
    if name in CHOICES and value not in CHOICES[name]:
        return f"must be one of {', '.join(CHOICES[name])}"
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"must be at most {MAX_TEXT} characters (has {len(value)})"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "must be valid text (it holds a lone surrogate, \\ud800-\\udfff)"
        if "\0" in value:
            return "is not a usable file path" if name in MEDIA_FIELDS else "must not contain a NUL character"
        if name in MEDIA_FIELDS and not value:
            return "must name a file or a library item"
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return None
    if name in POSITIVE and value <= 0:
        return "must be positive"
    if name in NON_NEGATIVE and value < 0:
        return "must not be negative"
    if name in UNIT_RANGE and not 0 <= value <= 1:
        return "must be between 0 and 1"
    if name in RANGES:
        low, high = RANGES[name]
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}" if isinstance(high, float) else \
                f"must be between {low} and {high} frames (24 hours at 120 fps)"
    return None


def is_library_ref(ref: str) -> bool:
    """A bare id ('lofi_85', 'sunglasses') names a library item; anything with a dot or slash is a file."""
    return bool(ref) and not any(c in ref for c in "./\\")


class _Span:
    """An item's place on its track: `start` and `duration` in frames; `end` is one past the last frame."""

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class EffectRef:
    """An effect from the effect registry with its parameters; `trigger` = gesture that switches it on."""
    id: str
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    trigger: str | None = None


@dataclass(frozen=True)
class Keyframe:
    """Sticker transform at `frame` frames after the item's start (linear in between)."""
    frame: int
    x: float
    y: float
    scale: float
    rotation: float = 0.0


@dataclass(frozen=True)
class Clip(_Span):
    """A span of a video or still image on a video track.

    Source time at timeline frame f is (source_in + (f - start) * speed) / fps.
    """
    id: str
    source: str
    start: int
    duration: int
    source_in: int = 0
    speed: Fraction = Fraction(1)
    volume: float = 1.0
    fit: str = "fill"
    effects: tuple[EffectRef, ...] = ()
    source_frames: int | None = None  # source length at the project rate, when known (None for stills)

    def source_frame(self, frame: int) -> Fraction:
        """Source position (in project-rate frames, exact) shown at timeline frame `frame`."""
        return self.source_in + (frame - self.start) * self.speed


@dataclass(frozen=True)
class TextItem(_Span):
    """A text overlay. x, y: centre as fractions of the canvas; width: wrap width as a fraction."""
    id: str
    start: int
    duration: int
    content: str
    style: str = "classic"
    x: float = 0.5
    y: float = 0.3
    width: float = 0.8
    size: float = 1.0
    rotation: float = 0.0
    opacity: float = 1.0
    anim_in: str = "pop"
    anim_out: str = "fade"
    anim_frames: int = 9


@dataclass(frozen=True)
class StickerItem(_Span):
    """A sticker. x, y: centre as fractions of the canvas; scale: width as a fraction of canvas width.

    With keyframes the transform is interpolated between them; with face_anchor the sticker follows
    the first face tracked in the video underneath (x, y then offset it from the face centre).
    """
    id: str
    start: int
    duration: int
    sticker: str
    x: float = 0.5
    y: float = 0.5
    scale: float = 0.3
    rotation: float = 0.0
    opacity: float = 1.0
    keyframes: tuple[Keyframe, ...] = ()
    face_anchor: bool = False


@dataclass(frozen=True)
class SoundItem(_Span):
    """Audio on an audio track: a library sound id or a file. Volume in dB; fades in frames."""
    id: str
    source: str
    start: int
    duration: int
    source_in: int = 0
    volume_db: float = 0.0
    fade_in: int = 0
    fade_out: int = 0
    role: str = "sound"
    loop: bool = True


Item = Union[Clip, TextItem, StickerItem, SoundItem]
