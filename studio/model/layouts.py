"""One-click layouts for several clips at once (duet, reaction, picture-in-picture, split in three):
each clip goes on its own video layer, at the same time, with the transform the layout gives it."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .edits import _check_item, _locate, _with_track
from .errors import EditError
from .items import Clip
from .timeline import Timeline, Track


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    # per clip (first = bottom layer): the transform fields it gets
    slots: tuple[dict, ...]

    @property
    def clips(self) -> int:
        return len(self.slots)


_IDENTITY = {"x": 0.5, "y": 0.5, "box_w": 1.0, "box_h": 1.0, "scale": 1.0, "rotation": 0.0}
PIP_SIZE = 0.34  # of the canvas: big enough to read a face, small enough to leave the main clip visible

LAYOUTS = {layout.name: layout for layout in (
    Layout("duet", "Duet (side by side)", (
        {**_IDENTITY, "x": 0.25, "box_w": 0.5}, {**_IDENTITY, "x": 0.75, "box_w": 0.5})),
    Layout("react", "Reaction (top and bottom)", (
        {**_IDENTITY, "y": 0.25, "box_h": 0.5}, {**_IDENTITY, "y": 0.75, "box_h": 0.5})),
    # the corner clip sits inside the platforms' safe zone (below the top bar, left of the buttons)
    Layout("pip", "Picture in picture", (
        dict(_IDENTITY), {**_IDENTITY, "x": 0.72, "y": 0.24, "box_w": PIP_SIZE, "box_h": PIP_SIZE})),
    Layout("split3", "Split in three", tuple(
        {**_IDENTITY, "y": (2 * i + 1) / 6, "box_h": 1 / 3} for i in range(3))),
)}


def get_layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise EditError(f"unknown layout '{name}' (one of {', '.join(LAYOUTS)})") from None


def apply_layout(timeline: Timeline, name: str, clip_ids: list[str] | tuple[str, ...]) -> Timeline:
    """Lay out `clip_ids` (first = bottom layer; as many as the layout has places): the first clip
    stays where it is, each other clip moves to the video layer above the previous one, starting
    with the first (a layer is added when none is free there), and every clip gets its place."""
    layout = get_layout(name)
    if len(clip_ids) != layout.clips:
        raise EditError(f"the {layout.title.lower()} layout takes {layout.clips} clips, got {len(clip_ids)}")
    if len(set(clip_ids)) != len(clip_ids):
        raise EditError("a clip cannot take two places in one layout")
    clips = []
    for clip_id in clip_ids:
        _, item = _locate(timeline, clip_id)
        if not isinstance(item, Clip):
            raise EditError(f"{clip_id}: only video clips take part in a layout")
        clips.append(item)
    first = clips[0]
    ti_first, _ = _locate(timeline, first.id)
    timeline = _set(timeline, first, layout.slots[0])
    below = ti_first
    for clip, slot in zip(clips[1:], layout.slots[1:]):
        timeline = _remove(timeline, clip.id)
        placed = dataclasses.replace(clip, start=first.start, **slot)
        _check_item(placed)
        timeline, below = _free_layer_above_or_new(timeline, below, placed)
        track = timeline.tracks[below]
        timeline = _with_track(timeline, below, [*track.items, placed])
    return timeline


def _set(timeline: Timeline, clip: Clip, slot: dict) -> Timeline:
    ti, _ = _locate(timeline, clip.id)
    changed = dataclasses.replace(clip, **slot)
    _check_item(changed)
    return _with_track(timeline, ti, [*[i for i in timeline.tracks[ti].items if i.id != clip.id], changed])


def _remove(timeline: Timeline, clip_id: str) -> Timeline:
    ti, _ = _locate(timeline, clip_id)
    return _with_track(timeline, ti, [i for i in timeline.tracks[ti].items if i.id != clip_id])


def _free_layer_above(timeline: Timeline, below: int, clip: Clip) -> int:
    """Index of the first video track above track `below` with room for the clip; a new video
    track is inserted right above the last video track when none has."""
    for ti in range(below + 1, len(timeline.tracks)):
        track = timeline.tracks[ti]
        if track.kind == "video" and track.fits(clip.start, clip.end):
            return ti
    raise _NeedsLayer(timeline, below)


class _NeedsLayer(Exception):
    pass


def _free_layer_above_or_new(timeline: Timeline, below: int, clip: Clip) -> tuple[Timeline, int]:
    try:
        return timeline, _free_layer_above(timeline, below, clip)
    except _NeedsLayer:
        return add_video_layer(timeline, below + 1)


def add_video_layer(timeline: Timeline, index: int | None = None) -> tuple[Timeline, int]:
    """A new empty video track (a layer), by default above every video track; (timeline, its index)."""
    videos = [i for i, t in enumerate(timeline.tracks) if t.kind == "video"]
    if index is None:
        index = (videos[-1] + 1) if videos else 0
    name = f"Video {len(videos) + 1}"
    tracks = list(timeline.tracks)
    tracks.insert(index, Track("video", (), name=name))
    return Timeline(tuple(tracks)), index
