"""The magnetic main track (CapCut's default): the clips of the main (first) video track butt
together from its first clip's start; moving one reorders them and the others make room; taking
one out closes its gap. Items on other tracks that start inside a main-track clip are linked to it
and move with it, so a title stays on the shot it was written for. Pure functions over a Timeline,
like studio.model.edits (the window wraps each in one undo step)."""
from __future__ import annotations

import dataclasses

from .errors import EditError
from .items import Clip, Item
from .timeline import Timeline, Track

MAIN = 0


def has_main_track(timeline: Timeline) -> bool:
    return bool(timeline.tracks) and timeline.tracks[MAIN].kind == "video"


def on_main_track(timeline: Timeline, item_id: str) -> bool:
    return has_main_track(timeline) and any(i.id == item_id for i in timeline.tracks[MAIN].items)


def main_clips(timeline: Timeline) -> list[Item]:
    return sorted(timeline.tracks[MAIN].items, key=lambda i: i.start) if has_main_track(timeline) else []


def linked_items(timeline: Timeline, clip: Item) -> list[tuple[int, Item]]:
    """(track index, item) of the items on other tracks that start inside `clip`'s span."""
    return [(ti, item) for ti, track in enumerate(timeline.tracks) if ti != MAIN
            for item in track.items if clip.start <= item.start < clip.end]


def drop_index(timeline: Timeline, clip_id: str | None, centre: float) -> int:
    """Where a clip dragged with its centre at frame `centre` lands among the other main-track clips:
    before the first clip whose middle lies after the centre."""
    others = [c for c in main_clips(timeline) if c.id != clip_id]
    return sum(1 for c in others if (c.start + c.end) / 2 <= centre)


def _pack(timeline: Timeline, order: list[Item], origin: int) -> Timeline:
    """Main-track clips in `order`, butted together from `origin`; linked items move by their clip's shift."""
    starts, at = {}, origin
    for clip in order:
        starts[clip.id] = at
        at += clip.duration
    shifts = {c.id: starts[c.id] - c.start for c in order}
    moved: dict[str, int] = {}
    for clip in order:
        if shifts[clip.id]:
            for _, item in linked_items(timeline, clip):
                moved.setdefault(item.id, shifts[clip.id])
    tracks = list(timeline.tracks)
    tracks[MAIN] = dataclasses.replace(tracks[MAIN], items=tuple(
        dataclasses.replace(c, start=starts[c.id]) for c in order))
    extra: list[Track] = []
    for ti in range(len(tracks)):
        if ti == MAIN:
            continue
        track = tracks[ti]
        items = [dataclasses.replace(i, start=max(0, i.start + moved[i.id])) if i.id in moved else i
                 for i in track.items]
        kept, bumped = _without_overlaps(items, moved)
        tracks[ti] = dataclasses.replace(track, items=tuple(kept))
        for item in bumped:  # a moved item that now overlaps goes to a track of its own kind with room
            _place(extra, track.kind, item)
    return Timeline(tuple(tracks) + tuple(extra))


def _without_overlaps(items: list[Item], moved: dict[str, int]) -> tuple[list[Item], list[Item]]:
    """Items that fit together on one track (unmoved ones first), and the moved ones that do not."""
    kept: list[Item] = []
    bumped: list[Item] = []
    for item in sorted(items, key=lambda i: (i.id in moved, i.start)):
        if any(item.start < k.end and k.start < item.end for k in kept):
            bumped.append(item)
        else:
            kept.append(item)
    return sorted(kept, key=lambda i: i.start), bumped


def _place(extra: list[Track], kind: str, item: Item) -> None:
    for i, track in enumerate(extra):
        if track.kind == kind and track.fits(item.start, item.end):
            extra[i] = dataclasses.replace(track, items=(*track.items, item))
            return
    extra.append(Track(kind, (item,)))


def _origin(timeline: Timeline) -> int:
    clips = main_clips(timeline)
    return clips[0].start if clips else 0


def reorder(timeline: Timeline, clip_id: str, index: int) -> Timeline:
    """`clip_id` moved to position `index` among the main-track clips, all butted together."""
    if not on_main_track(timeline, clip_id):
        raise EditError(f"{clip_id}: not a clip on the main track")
    clips = main_clips(timeline)
    origin = _origin(timeline)
    clip = next(c for c in clips if c.id == clip_id)
    order = [c for c in clips if c.id != clip_id]
    order.insert(max(0, min(index, len(order))), clip)
    return _pack(timeline, order, origin)


def pack(timeline: Timeline) -> Timeline:
    """The main track's clips butted together in their order (gaps closed)."""
    if not has_main_track(timeline):
        return timeline
    return _pack(timeline, main_clips(timeline), _origin(timeline))


def insert_at(timeline: Timeline, clip: Clip, index: int) -> Timeline:
    """A new clip (or one taken off another track) put at position `index` of the main track."""
    if not has_main_track(timeline):
        raise EditError("the project has no main video track")
    clips = main_clips(timeline)
    origin = _origin(timeline)
    index = max(0, min(index, len(clips)))
    start = clips[index].start if index < len(clips) else (clips[-1].end if clips else origin)
    placed = dataclasses.replace(clip, start=start)
    tracks = list(timeline.tracks)
    tracks[MAIN] = dataclasses.replace(tracks[MAIN], items=(*tracks[MAIN].items, placed))
    order = clips[:index] + [placed] + clips[index:]
    # later clips shift right by the new clip's length, and their linked items with them
    return _pack(Timeline(tuple(tracks)), order, origin)


def remove(timeline: Timeline, clip_id: str) -> Timeline:
    """A main-track clip taken out and its gap closed; what was linked to later clips moves with them
    (items linked to the removed clip stay where they are)."""
    if not on_main_track(timeline, clip_id):
        raise EditError(f"{clip_id}: not a clip on the main track")
    clips = [c for c in main_clips(timeline) if c.id != clip_id]
    origin = _origin(timeline)
    tracks = list(timeline.tracks)
    tracks[MAIN] = dataclasses.replace(tracks[MAIN], items=tuple(clips))
    return _pack(Timeline(tuple(tracks)), clips, origin)
