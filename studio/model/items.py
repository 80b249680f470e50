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
NON_NEGATIVE = {"start", "source_in", "fade_in", "fade_out", "anim_frames", "cover_frame", "frame"}
POSITIVE = {"duration", "speed", "scale", "size", "width", "height", "fps", "source_frames"}
UNIT_RANGE = {"opacity"}
MEDIA_FIELDS = {"source", "sticker"}


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
