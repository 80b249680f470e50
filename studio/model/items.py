"""Timeline items: plain frozen data, each described once as an ItemKind (its fields declared as
data next to its dataclass). Times are integer frames at the project rate."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Union

from .fields import SPAN, Field, ItemKind, check_declaration
from .keys import EASINGS, Key, source_offset

FIT_MODES = ("fill", "fit_blur", "fit_black", "follow")  # follow: a 9:16 crop panning with the subject
ANIMATIONS = ("none", "fade", "pop", "typewriter", "slide_up", "bounce")
SOUND_ROLES = ("sound", "voiceover")
# How a clip's picture meets what lies under it (computed in RGB, as image editors do)
BLEND_MODES = ("normal", "screen", "multiply", "add", "lighten", "darken", "overlay")
# Transitions into a clip from the clip before it on the same track (studio.render.transitions draws them)
TRANSITION_KINDS = ("none", "dissolve", "dip_black", "dip_white", "slide_left", "slide_right", "slide_up",
                    "slide_down", "push_left", "push_right", "push_up", "push_down", "zoom_in", "zoom_out",
                    "whip_left", "whip_right", "whip_up", "whip_down", "glitch")


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
class WordTime:
    """One word of a text item's content with its own time: `start` and `end` in frames after the
    item's start. Captions from speech carry them so word-by-word styles follow the speaker; text
    without them has its words spread evenly over the item."""
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Clip(_Span):
    """A span of a video or still image on a video track (tracks are layers, bottom to top).

    Source time at timeline frame f is (source_in + (f - start) * speed) / fps (with keyed speed,
    the integral of the speed curve). The picture, cropped by the crop fractions, is fitted (`fit`)
    into a box of box_w x box_h canvas fractions, scaled by `scale`, turned by `rotation` and
    centred at (x, y); the defaults fill the canvas. `transition` leads into this clip from the
    clip that ends where it starts on the same track, over `transition_frames` centred on the cut.
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
    x: float = 0.5
    y: float = 0.5
    box_w: float = 1.0
    box_h: float = 1.0
    scale: float = 1.0
    rotation: float = 0.0
    crop_left: float = 0.0
    crop_top: float = 0.0
    crop_right: float = 0.0
    crop_bottom: float = 0.0
    opacity: float = 1.0
    blend: str = "normal"
    pan: float = 0.0  # moves a fill/follow crop sideways (fraction of the source width)
    keys: tuple[Key, ...] = ()
    transition: str = "none"
    transition_frames: int = 15

    def source_frame(self, frame: int) -> Fraction:
        """Source position (in project-rate frames, exact) shown at timeline frame `frame`."""
        if not self.keys:
            return self.source_in + (frame - self.start) * self.speed
        return self.source_in + source_offset(self.keys, self.speed, frame - self.start)

    @property
    def source_span(self) -> Fraction:
        """Source frames the clip plays (duration * speed, or the integral of a speed ramp)."""
        if not self.keys:
            return self.duration * self.speed
        return source_offset(self.keys, self.speed, self.duration)


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
    keys: tuple[Key, ...] = ()
    words: tuple[WordTime, ...] = ()


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
    keys: tuple[Key, ...] = ()


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


# ---------------------------------------------------------------- the built-in kinds, declared

# Fields several kinds share keep one declaration, so the same name always obeys the same rules.
# The bounds are what a creator can mean, so a received file cannot ask for terabytes or overflow a
# float on the way to the encoder (1e308 as a volume, a 1e9 scale); each is far past any real use.
X = Field("x", "float", title="X", min=-10.0, max=10.0, soft_min=-1, soft_max=2, step=0.01, unit="canvas width")
Y = Field("y", "float", title="Y", min=-10.0, max=10.0, soft_min=-1, soft_max=2, step=0.01, unit="canvas height")
ROTATION = Field("rotation", "float", title="Rotation", min=-3600.0, max=3600.0,  # ten turns
                 soft_min=-180, soft_max=180, step=1, unit="degrees")
OPACITY = Field("opacity", "float", title="Opacity", min=0.0, max=1.0, step=0.05)
SCALE = Field("scale", "float", title="Scale", positive=True, min=0.0, max=20.0, soft_min=0.02, soft_max=3,
              step=0.01, unit="canvas width")
SOURCE = Field("source", "media")
KEYS = Field("keys", "keys", omit_default=True)  # keyframes of the animatable fields and effect params (studio.model.keys)
SOURCE_IN = Field("source_in", "frames", non_negative=True)

def _picture(f: Field) -> Field:
    return replace(f, affects="picture", omit_default=True)


def _animated(f: Field) -> Field:
    return replace(f, animatable=True)


CROP = tuple(Field(f"crop_{side}", "float", title=f"Crop {side}", min=0.0, max=0.95, step=0.01, unit="of the source",
                   animatable=True, affects="picture", omit_default=True) for side in ("left", "top", "right", "bottom"))
CLIP_KIND = ItemKind("clip", Clip, "video", (
    *SPAN, SOURCE, SOURCE_IN,
    Field("speed", "fraction", title="Speed", editor="speed", positive=True, min=0.01, max=200.0, animatable=True),
    Field("volume", "float", title="Volume", min=0.0, max=16.0, soft_max=4, step=0.05, unit="gain",  # +24 dB
          affects="sound"),
    Field("fit", "choice", title="Fit", choices=FIT_MODES, affects="picture"),
    *(_picture(_animated(f)) for f in (X, Y)),
    Field("box_w", "float", title="Box width", positive=True, min=0.0, max=10.0, soft_min=0.05, soft_max=1, step=0.01,
          unit="canvas width", animatable=True, affects="picture", omit_default=True),
    Field("box_h", "float", title="Box height", positive=True, min=0.0, max=10.0, soft_min=0.05, soft_max=1, step=0.01,
          unit="canvas height", animatable=True, affects="picture", omit_default=True),
    _picture(_animated(replace(SCALE, title="Scale", unit="of the box", soft_max=4))),
    _picture(_animated(ROTATION)), *CROP, _picture(_animated(OPACITY)),
    Field("pan", "float", title="Pan", min=-1.0, max=1.0, soft_min=-0.5, soft_max=0.5, step=0.01,
          unit="source width", animatable=True, affects="picture", omit_default=True),
    Field("blend", "choice", title="Blend", choices=BLEND_MODES, affects="picture", omit_default=True),
    Field("effects", "effects", title="Effects", editor="effects", affects="picture"),
    Field("transition", "choice", title="Transition in", choices=TRANSITION_KINDS, affects="picture", omit_default=True),
    Field("transition_frames", "frames", title="Transition length", positive=True, soft_max=60, affects="picture", omit_default=True),
    KEYS,
    Field("source_frames", "frames", positive=True),
), has_media_source=True)
TEXT_KIND = ItemKind("text", TextItem, "overlay", (
    *SPAN,
    Field("content", "text", title="Text"),
    Field("style", "text", title="Style", editor="style"),
    Field("size", "float", title="Size", positive=True, min=0.0, max=20.0, soft_min=0.1, soft_max=6, step=0.05,
          animatable=True),
    _animated(X), _animated(Y),
    Field("width", "float", title="Wrap width", positive=True, min=0.0, max=10.0, soft_min=0.1, soft_max=1,
          step=0.05, unit="canvas width"),
    _animated(ROTATION), _animated(OPACITY),
    Field("anim_in", "choice", title="Animation in", choices=ANIMATIONS),
    Field("anim_out", "choice", title="Animation out", choices=ANIMATIONS),
    Field("anim_frames", "frames", title="Animation length", non_negative=True, soft_max=120),
    KEYS,
    Field("words", "words", omit_default=True),
))
STICKER_KIND = ItemKind("sticker", StickerItem, "overlay", (
    *SPAN,
    Field("sticker", "media", title="Sticker", editor="sticker"),
    *(_animated(f) for f in (X, Y, SCALE, ROTATION, OPACITY)),  # keys (and legacy keyframes) animate these
    Field("keyframes", "keyframes"),
    Field("face_anchor", "bool", title="Follow face"),
    KEYS,
))
SOUND_KIND = ItemKind("sound", SoundItem, "audio", (
    *SPAN, SOURCE, SOURCE_IN,
    Field("volume_db", "float", title="Volume", min=-120.0, max=24.0, soft_min=-60, soft_max=12, step=0.5,
          unit="dB"),
    Field("fade_in", "frames", title="Fade in", non_negative=True, soft_max=3000),
    Field("fade_out", "frames", title="Fade out", non_negative=True, soft_max=3000),
    Field("loop", "bool", title="Loop"),
    Field("role", "choice", title="Role", choices=SOUND_ROLES),
), has_media_source=True)
BUILTIN_KINDS = (CLIP_KIND, TEXT_KIND, STICKER_KIND, SOUND_KIND)

# Records inside items: declared like item fields, so the file reader applies the same rules
KEYFRAME_FIELDS = (Field("frame", "frames", non_negative=True), X, Y, SCALE, ROTATION)
EFFECT_REF_FIELDS = (Field("id", "id"), Field("params", "params"), Field("enabled", "bool"),
                     Field("trigger", "text", title="Switch on", editor="gesture"))
KEY_FIELDS = (Field("param", "text"), Field("frame", "frames", non_negative=True),
              Field("value", "float", min=-1e6, max=1e6), Field("ease", "choice", choices=EASINGS))
WORD_FIELDS = (Field("text", "text"), Field("start", "frames", non_negative=True),
               Field("end", "frames", non_negative=True))
check_declaration("Keyframe", Keyframe, KEYFRAME_FIELDS)
check_declaration("WordTime", WordTime, WORD_FIELDS)
check_declaration("Key", Key, KEY_FIELDS)
check_declaration("EffectRef", EffectRef, EFFECT_REF_FIELDS)
