"""Item fields declared as data (as effects declare their `Param`s): what a field holds, the values
it takes, and how the inspector shows it. The project file reader, `edits.set_property` and the
inspector all read these declarations, so a field's rules live in one place."""
from __future__ import annotations

import re
import typing
from dataclasses import dataclass, fields as dataclass_fields
from fractions import Fraction
from typing import Any

TRACK_KINDS = ("video", "overlay", "audio")
# A day of 120 fps video: far beyond any short, small enough that no size computed from it overflows
MAX_FRAMES = 24 * 3600 * 120
MAX_TEXT = 5000  # characters in any one text field (captions are at most 2,200 on TikTok)

# field type -> the Python type its dataclass attribute has (None allowed where the attribute is Optional)
FIELD_TYPES: dict[str, type] = {
    "id": str,             # the item's id: non-empty text
    "frames": int,         # a time or a length in whole frames at the project rate
    "int": int,
    "float": float,
    "fraction": Fraction,  # exact ratios (a clip's speed)
    "bool": bool,
    "text": str,
    "choice": str,         # one of `choices`
    "media": str,          # a file (stored relative to the project file) or a library id
    "color": str,          # '#rrggbb'
    "effects": tuple,      # EffectRefs
    "keyframes": tuple,    # Keyframes
    "keys": tuple,         # Keys (studio.model.keys)
    "words": tuple,        # WordTimes: a text's words with their times
    "tags": tuple,         # texts
    "params": dict,        # an effect's parameters (checked by the effect registry)
}
AFFECTS = ("picture", "sound", "both")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Field:
    """One field of an item (or of a record inside one, such as a keyframe).

    min/max, positive and non_negative are hard rules: a file or an edit that breaks them is
    refused. soft_min/soft_max and step only shape the inspector's editor (its range may be
    narrower than what a file may hold). A field with a `title` gets an inspector editor: `editor`
    names a special one ("speed", "style", "sticker", "effects", "gesture"), else the type decides.
    `affects` says which output a change to the field can change, so caches keyed on the picture
    or the sound ignore the other."""
    name: str
    type: str
    title: str = ""
    editor: str = ""
    min: float | None = None
    max: float | None = None
    positive: bool = False
    non_negative: bool = False
    choices: tuple = ()
    soft_min: float | None = None
    soft_max: float | None = None
    step: float | None = None
    unit: str = ""
    animatable: bool = False
    affects: str = "both"
    # left out of a file while at its default: fields added later (layers, keys) keep files that
    # do not use them as they were, readable by the Studio that wrote them before
    omit_default: bool = False

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field '{self.name}': unknown type '{self.type}'")
        if self.affects not in AFFECTS:
            raise ValueError(f"field '{self.name}': affects must be one of {', '.join(AFFECTS)}")
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"field '{self.name}': a choice field, and only one, lists its choices")

    @property
    def is_time(self) -> bool:
        """A time or length in frames at the project rate (edits keep these exact)."""
        return self.type == "frames"

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The hard range: frame fields always lie within 0..MAX_FRAMES."""
        if self.type == "frames":
            return 0, MAX_FRAMES
        return self.min, self.max

    @property
    def editor_range(self) -> tuple[float | None, float | None]:
        low, high = self.bounds
        return (low if self.soft_min is None else self.soft_min), (high if self.soft_max is None else self.soft_max)

    def problem(self, value: Any) -> str | None:
        """Why `value` cannot be this field (as 'must be ...'), or None when it can."""
        if value is None:
            return None
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}"
        if isinstance(value, str):
            return self._text_problem(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            return None
        if self.positive and value <= 0:
            return "must be positive"
        if self.non_negative and value < 0:
            return "must not be negative"
        low, high = self.bounds
        if (low is not None and value < low) or (high is not None and value > high):
            if self.type == "frames":
                return f"must be between {low} and {high} frames (24 hours at 120 fps)"
            if low is not None and high is not None:
                return f"must be between {low:g} and {high:g}"
            return f"must be at least {low:g}" if low is not None else f"must be at most {high:g}"
        return None

    def _text_problem(self, value: str) -> str | None:
        if len(value) > MAX_TEXT:
            return f"must be at most {MAX_TEXT} characters (has {len(value)})"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "must be valid text (it holds a lone surrogate, \\ud800-\\udfff)"
        media = self.type == "media"
        if "\0" in value:
            return "is not a usable file path" if media else "must not contain a NUL character"
        if media and not value:
            return "must name a file or a library item"
        if self.type == "color" and not _COLOR_RE.match(value):
            return "must be a colour '#rrggbb'"
        return None


def check_declaration(owner: str, cls: type, declared: tuple[Field, ...]) -> None:
    """The declared fields are exactly the dataclass's fields, each with a matching type:
    a declaration that drifts from its class fails at import, not in a user's file."""
    names = [f.name for f in declared]
    if len(set(names)) != len(names):
        raise ValueError(f"{owner}: a field is declared twice ({', '.join(names)})")
    actual = [f.name for f in dataclass_fields(cls)]
    if set(names) != set(actual):
        missing, extra = sorted(set(actual) - set(names)), sorted(set(names) - set(actual))
        raise ValueError(f"{owner}: declared fields differ from {cls.__name__}'s "
                         f"(undeclared: {missing or '-'}, not in the class: {extra or '-'})")
    hints = typing.get_type_hints(cls)
    for f in declared:
        hint = hints[f.name]
        args = typing.get_args(hint)
        if type(None) in args:
            hint = next(a for a in args if a is not type(None))
        if (typing.get_origin(hint) or hint) is not FIELD_TYPES[f.type]:
            raise ValueError(f"{owner}: field '{f.name}' is declared {f.type} but {cls.__name__} holds {hints[f.name]}")


@dataclass(frozen=True)
class ItemKind:
    """One kind of timeline item, described once: its dataclass, its name in project files (also
    its key in the render and window registries and the prefix of its ids), the track it lives
    on and its fields. `fields` lists them in the inspector's order; files keep the dataclass's."""
    name: str
    cls: type
    track: str
    fields: tuple[Field, ...]
    title: str = ""
    has_media_source: bool = False  # plays a media file (`source`, from `source_in`): relink, the media bin

    def __post_init__(self):
        if not self.name or not self.name.isidentifier():
            raise ValueError(f"item kind {self.name!r}: the name must be a plain word")
        if self.track not in TRACK_KINDS:
            raise ValueError(f"item kind '{self.name}': track must be one of {', '.join(TRACK_KINDS)}")
        check_declaration(f"item kind '{self.name}'", self.cls, self.fields)
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})
        for name, type_ in (("id", "id"), ("start", "frames"), ("duration", "frames")):
            if self.field(name).type != type_:
                raise ValueError(f"item kind '{self.name}': '{name}' must be a {type_} field")
        if not self.title:
            object.__setattr__(self, "title", self.name.replace("_", " ").capitalize())

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name) if isinstance(name, str) else None

    @property
    def visual(self) -> bool:
        """Drawn by the compositor (its track is a picture track)."""
        return self.track != "audio"

    @property
    def audible(self) -> bool:
        """Heard in the soundtrack."""
        return self.track != "overlay"

    @property
    def media_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.type == "media")

    def effects(self, item) -> tuple:
        """The effect references the item carries (in its effects fields)."""
        return tuple(ref for f in self.fields if f.type == "effects" for ref in getattr(item, f.name))


# The fields every item has, and the ones several kinds share: same name, same rules
ID = Field("id", "id")
START = Field("start", "frames", non_negative=True)
DURATION = Field("duration", "frames", positive=True)
SPAN = (ID, START, DURATION)
