"""Effect parameters declared as data, so the UI can build editors and the project can validate JSON."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from studio.effects.errors import EffectError

PARAM_TYPES = ("float", "int", "bool", "choice", "color", "sticker", "look", "media")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    animatable: bool = False
    title: str = ""

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"param '{self.name}': unknown type '{self.type}'")

    def coerce(self, effect_id: str, value: Any) -> Any:
        """Return `value` as this parameter's Python type, or raise EffectError with a one-line reason."""
        where = f"effect '{effect_id}': param '{self.name}'"
        t = self.type
        if t in ("float", "int"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise EffectError(f"{where} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise EffectError(f"{where} must be a finite number, got {value!r}")
            if t == "int":
                if float(value) != int(value):
                    raise EffectError(f"{where} must be a whole number, got {value!r}")
                value = int(value)
            else:
                value = float(value)
            lo, hi = self.min, self.max
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                lo_s = "-inf" if lo is None else f"{lo:g}"
                hi_s = "inf" if hi is None else f"{hi:g}"
                raise EffectError(f"{where} must be between {lo_s} and {hi_s}, got {value:g}")
            return value
        if t == "bool":
            if not isinstance(value, bool):
                raise EffectError(f"{where} must be true or false, got {value!r}")
            return value
        if t == "choice":
            if value not in self.choices:
                raise EffectError(f"{where} must be one of {', '.join(map(str, self.choices))}, got {value!r}")
            return value
        if t == "color":
            if not isinstance(value, str) or not _COLOR_RE.match(value):
                raise EffectError(f"{where} must be a colour '#rrggbb', got {value!r}")
            return value.lower()
        # sticker / look / media: an id or a path, checked for existence when the effect loads it
        if not isinstance(value, str) or not value.strip():
            raise EffectError(f"{where} must be a non-empty name or path, got {value!r}")
        return value


def parse_color(value: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b)."""
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
