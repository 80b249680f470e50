"""Schema versions and the functions that bring an older project file up to the current one.

Version 1 stored item times in seconds (floats); version 2 stores exact integer frames at the
project rate, so an edit never accumulates rounding error."""
from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any, Callable

from .errors import ProjectError, show_value as _shown
from .time import as_fraction, seconds_to_frames

CURRENT_VERSION = 2

_SECOND_FIELDS = {"start_s": "start", "duration_s": "duration", "in_s": "source_in",
                  "fade_in_s": "fade_in", "fade_out_s": "fade_out"}


MIN_FPS, MAX_FPS = 1, 240


def file_fps(value: Any) -> Fraction:
    """The project rate as written in a file: 30, 29.97 or "30000/1001"."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            fps = as_fraction(value)
        elif isinstance(value, str):
            fps = Fraction(value)
        else:
            raise ValueError(value)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise ProjectError(f"fps: must be a number or a fraction like 30000/1001, got {_shown(value)}") from None
    if fps <= 0:
        raise ProjectError(f"fps: must be positive, got {_shown(value)}")
    # a frame rate people use: 1/1000000 would make a second a million frames apart, 1e9 a 1-frame video
    if not MIN_FPS <= fps <= MAX_FPS or fps.denominator > 1001:
        raise ProjectError(f"fps: must be from {MIN_FPS} to {MAX_FPS} (like 30 or 30000/1001), got {_shown(value)}")
    return fps


def _seconds_to_frames(where: str, value: Any, fps: Fraction) -> int:
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(value)
        # str() first: the float a person typed (0.1), not its binary neighbour
        return seconds_to_frames(Fraction(str(value)), fps)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise ProjectError(f"{where}: must be a number of seconds, got {_shown(value)}") from None


def _v1_to_v2(data: dict) -> dict:
    # structure problems (a track that is not an object...) are left for the reader to name
    fps = file_fps(data.get("fps", 30))
    timeline = data.get("timeline")
    tracks = timeline.get("tracks") if isinstance(timeline, dict) else None
    for ti, track in enumerate(tracks if isinstance(tracks, list) else []):
        items = track.get("items") if isinstance(track, dict) else None
        for ii, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            for old, new in _SECOND_FIELDS.items():
                if old in item:
                    item[new] = _seconds_to_frames(f"timeline.tracks[{ti}].items[{ii}].{old}", item.pop(old), fps)
    meta = data.get("metadata")
    if isinstance(meta, dict) and "cover_time" in meta:
        meta["cover_frame"] = _seconds_to_frames("metadata.cover_time", meta.pop("cover_time"), fps)
    return data


UPGRADES: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"version: must be a schema version number, got {_shown(version)}")
    if version > CURRENT_VERSION:
        raise ProjectError(f"version: made by a newer Studio (version {_shown(version)}, this one reads up to {CURRENT_VERSION})")
    data = copy.deepcopy(data)
    while version < CURRENT_VERSION:
        data = UPGRADES[version](data)
        version += 1
    data["version"] = version
    return data
