"""Schema versions and the functions that bring an older project file up to the current one.

Version 1 stored item times in seconds (floats); version 2 stores exact integer frames at the
project rate, so an edit never accumulates rounding error."""
from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any, Callable

from .errors import ProjectError

CURRENT_VERSION = 2

_SECOND_FIELDS = {"start_s": "start", "duration_s": "duration", "in_s": "source_in",
                  "fade_in_s": "fade_in", "fade_out_s": "fade_out"}


def _v1_to_v2(data: dict) -> dict:
    fps = Fraction(str(data.get("fps", 30)))
    for track in data.get("timeline", {}).get("tracks", []):
        for item in track.get("items", []):
            for old, new in _SECOND_FIELDS.items():
                if old in item:
                    try:
                        item[new] = int(round(Fraction(str(item.pop(old))) * fps))
                    except (ValueError, ZeroDivisionError):
                        raise ProjectError(f"{old}: must be a number of seconds, got {item.get(old)!r}") from None
    meta = data.get("metadata", {})
    if "cover_time" in meta:
        meta["cover_frame"] = int(round(Fraction(str(meta.pop("cover_time"))) * fps))
    return data


UPGRADES: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"version: must be a schema version number, got {version!r}")
    if version > CURRENT_VERSION:
        raise ProjectError(f"version: made by a newer Studio (version {version}, this one reads up to {CURRENT_VERSION})")
    data = copy.deepcopy(data)
    while version < CURRENT_VERSION:
        data = UPGRADES[version](data)
        version += 1
    data["version"] = version
    return data
