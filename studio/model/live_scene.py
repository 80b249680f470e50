"""LIVE mode as plain data: the stream's settings and its scenes (camera, overlays, a second source
and how they are laid out). Positions and sizes are fractions of the output, so one scene serves a
720p and a 1080p stream alike.

The stream key is never stored: `LiveSettings.url` is the server's address without it (the key is
a password; project files get shared). The scene is read and written by studio.model.serialize,
which hands its field reader to `live_from_dict`, so every leaf value obeys the same rules and
errors as the rest of the file; this module only walks the live section's structure."""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from .errors import ProjectError
from .fields import Field, check_declaration
from .items import EffectRef

LAYOUTS = ("full", "pip", "split")  # camera alone; second source in a corner; the two halves side by side
OVERLAY_KINDS = ("text", "sticker", "image", "clock", "countdown")
SOURCE_KINDS = ("file", "camera", "screen")
ORIENTATIONS = ("portrait", "landscape")
# The sizes the platforms take for a phone-shaped (or a classic) stream, (width, height)
LIVE_SIZES = {"portrait": ((720, 1280), (1080, 1920)), "landscape": ((1280, 720), (1920, 1080))}
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Rect:
    """A box in output fractions: (x, y) its top-left corner, w and h its size."""
    x: float = 0.6
    y: float = 0.04
    w: float = 0.36
    h: float = 0.2


@dataclass(frozen=True)
class LiveOverlay:
    """Something drawn over the live picture, centred at (x, y) (output fractions).

    width: a sticker's or image's drawn width, a text's wrap width (fraction of the output width).
    text: a text's words; a clock's strftime format ('' = %H:%M); a countdown's label, where '{}'
    stands for the time left ('' = just the time). size scales the style's font (as TextItem.size).
    source: the sticker id (sticker) or the picture file (image, e.g. a logo).
    target: a countdown's moment as seconds after local midnight (it counts to the next one)."""
    kind: str
    x: float = 0.5
    y: float = 0.1
    width: float = 0.8
    text: str = ""
    style: str = "classic"
    size: float = 1.0
    source: str = ""
    target: int = 0
    opacity: float = 1.0


@dataclass(frozen=True)
class SecondSource:
    """What a pip or split scene shows next to the camera. path_or_index: a video file (played
    round and round), a camera ('0', '/dev/video2'), or an X display to capture ('' = $DISPLAY,
    ':0.0+100,200' = from that corner)."""
    kind: str
    path_or_index: str = ""


@dataclass(frozen=True)
class LiveScene:
    """One scene: the camera with its effects and look (applied by the effect chain before the
    scene renderer sees it), overlays in drawing order, and maybe a second source in `layout`."""
    id: str
    name: str = ""
    layout: str = "full"
    camera_effects: tuple[EffectRef, ...] = ()
    look: str | None = None  # a look (LUT) id from the library
    overlays: tuple[LiveOverlay, ...] = ()
    second_source: SecondSource | None = None
    pip: Rect = Rect()


@dataclass(frozen=True)
class LiveSettings:
    """The stream: output size and rate, bitrate (None = the encoder's choice for the size), the
    server's URL without the stream key, the scenes and which one is on air."""
    width: int = 720
    height: int = 1280
    fps: int = 30
    orientation: str = "portrait"
    video_kbps: int | None = None
    url: str = ""
    scenes: tuple[LiveScene, ...] = ()
    active_scene: str = ""

    def scene(self, scene_id: str) -> LiveScene:
        for s in self.scenes:
            if s.id == scene_id:
                return s
        raise KeyError(scene_id)


# ---------------------------------------------------------------- fields, declared as data

FRACTION_XY = dict(min=-1.0, max=2.0, step=0.01)  # a little off-screen is allowed (a half-hidden sticker)
RECT_FIELDS = (Field("x", "float", **FRACTION_XY), Field("y", "float", **FRACTION_XY),
               Field("w", "float", positive=True, max=1.0), Field("h", "float", positive=True, max=1.0))
OVERLAY_FIELDS = (
    Field("kind", "choice", choices=OVERLAY_KINDS),
    Field("x", "float", **FRACTION_XY), Field("y", "float", **FRACTION_XY),
    Field("width", "float", positive=True, max=4.0),
    Field("text", "text"), Field("style", "text"),
    Field("size", "float", positive=True, max=20.0),
    Field("source", "text"),  # checked as a sticker id or a file by kind, below
    Field("target", "int", min=0, max=DAY_SECONDS - 1, unit="seconds after midnight"),
    Field("opacity", "float", min=0.0, max=1.0),
)
SOURCE_FIELDS = (Field("kind", "choice", choices=SOURCE_KINDS), Field("path_or_index", "text"))
# LiveScene and LiveSettings hold records (overlays, the second source, the pip box, scenes): those
# are read by their own declarations; these are their leaf fields
SCENE_FIELDS = (Field("id", "id"), Field("name", "text"), Field("layout", "choice", choices=LAYOUTS),
                Field("camera_effects", "effects"), Field("look", "text"))
SETTINGS_FIELDS = (Field("width", "int"), Field("height", "int"), Field("fps", "int", min=1, max=60),
                   Field("orientation", "choice", choices=ORIENTATIONS),
                   Field("video_kbps", "int", min=200, max=50_000, unit="kbit/s"),
                   Field("url", "text"), Field("active_scene", "text"))
_MEDIA = Field("source", "media")
_SCENE_RECORDS = ("overlays", "second_source", "pip")
_SETTINGS_RECORDS = ("scenes",)
check_declaration("Rect", Rect, RECT_FIELDS)
check_declaration("LiveOverlay", LiveOverlay, OVERLAY_FIELDS)
check_declaration("SecondSource", SecondSource, SOURCE_FIELDS)
for _cls, _leaves, _records in ((LiveScene, SCENE_FIELDS, _SCENE_RECORDS),
                                (LiveSettings, SETTINGS_FIELDS, _SETTINGS_RECORDS)):
    if {f.name for f in _leaves} | set(_records) != {f.name for f in dataclasses.fields(_cls)}:
        raise ValueError(f"{_cls.__name__}: declared fields differ from the class's")


# ---------------------------------------------------------------- reading and writing

class FieldReader(Protocol):
    """The project file reader's leaf checks (studio.model.serialize._Reader)."""

    def field(self, where: str, spec: Field, hint: Any, value: Any) -> Any: ...

    def fail(self, where: str, problem: str, value: Any) -> typing.NoReturn: ...


def live_to_dict(live: LiveSettings, relative: Callable[[str], str]) -> dict:
    """Plain JSON data; `relative` turns a file path into the form the project file stores."""
    data = _plain(live)
    for scene, sdata in zip(live.scenes, data["scenes"]):
        for overlay, odata in zip(scene.overlays, sdata["overlays"]):
            if overlay.kind == "image":
                odata["source"] = relative(overlay.source)
        if scene.second_source is not None and scene.second_source.kind == "file":
            sdata["second_source"]["path_or_index"] = relative(scene.second_source.path_or_index)
    return data


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def live_from_dict(data: Any, read: FieldReader, where: str = "live") -> LiveSettings:
    """The live section of a project file, checked: every problem is one ProjectError naming its field."""
    def scenes(at: str, value: Any) -> tuple[LiveScene, ...]:
        if not isinstance(value, list):
            read.fail(at, "must be a list", value)
        return tuple(_scene(read, f"{at}[{i}]", v) for i, v in enumerate(value))

    live = _record(read, where, LiveSettings, SETTINGS_FIELDS, data, {"scenes": scenes})
    allowed = LIVE_SIZES[live.orientation]
    if (live.width, live.height) not in allowed:
        sizes = " or ".join(f"{w}x{h}" for w, h in allowed)
        read.fail(f"{where}.width", f"a {live.orientation} stream must be {sizes}, not {live.width}x{live.height}",
                  live.width)
    ids = [s.id for s in live.scenes]
    for i, scene_id in enumerate(ids):
        if scene_id in ids[:i]:
            read.fail(f"{where}.scenes[{i}].id", "is used twice", scene_id)
    if live.scenes and live.active_scene not in ids:
        read.fail(f"{where}.active_scene", f"must name one of the scenes ({', '.join(ids)})", live.active_scene)
    return live


def _scene(read: FieldReader, where: str, data: Any) -> LiveScene:
    def overlays(at: str, value: Any) -> tuple[LiveOverlay, ...]:
        if not isinstance(value, list):
            read.fail(at, "must be a list", value)
        return tuple(_overlay(read, f"{at}[{i}]", v) for i, v in enumerate(value))

    def second(at: str, value: Any) -> SecondSource | None:
        if value is None:
            return None
        source = _record(read, at, SecondSource, SOURCE_FIELDS, value)
        if source.kind == "file":
            path = read.field(f"{at}.path_or_index", _MEDIA, str, source.path_or_index)
            source = dataclasses.replace(source, path_or_index=path)
        elif source.kind == "camera" and not source.path_or_index.strip():
            read.fail(f"{at}.path_or_index", "must name a camera (like 0 or /dev/video2)", source.path_or_index)
        return source

    scene = _record(read, where, LiveScene, SCENE_FIELDS, data, {
        "overlays": overlays, "second_source": second,
        "pip": lambda at, value: _record(read, at, Rect, RECT_FIELDS, value)})
    if scene.look is not None and not scene.look.strip():
        read.fail(f"{where}.look", "must name a look, or be null for none", scene.look)
    if scene.layout != "full" and scene.second_source is None:
        read.fail(f"{where}.second_source", f"is needed by the '{scene.layout}' layout", None)
    return scene


def _overlay(read: FieldReader, where: str, data: Any) -> LiveOverlay:
    overlay = _record(read, where, LiveOverlay, OVERLAY_FIELDS, data)
    if overlay.kind in ("sticker", "image"):
        # a sticker is a library id or a picture file, an image always a file: both resolve beside the project
        source = read.field(f"{where}.source", _MEDIA, str, overlay.source)
        overlay = dataclasses.replace(overlay, source=source)
    return overlay


def _record(read: FieldReader, where: str, cls: type, leaves: tuple[Field, ...], data: Any,
            records: dict[str, Callable[[str, Any], Any]] | None = None) -> Any:
    """A record of `cls` from a JSON object: unknown keys refused, missing ones defaulted (or
    required when the class has no default), leaves checked by the reader, records by `records`."""
    if not isinstance(data, dict):
        read.fail(where, "must be an object", data)
    records = records or {}
    fields = dataclasses.fields(cls)
    unknown = sorted(set(data) - {f.name for f in fields})
    if unknown:
        read.fail(f"{where}.{unknown[0]}", "is not a known field", data[unknown[0]])
    declared = {f.name: f for f in leaves}
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in fields:
        at = f"{where}.{f.name}"
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ProjectError(f"{at}: is required but missing")
            continue
        if f.name in records:
            kwargs[f.name] = records[f.name](at, data[f.name])
        else:
            kwargs[f.name] = read.field(at, declared[f.name], hints[f.name], data[f.name])
    return cls(**kwargs)
