"""Edits as pure functions: each takes a Timeline and returns a new one that keeps the invariants
(items sorted, no overlaps on a track, positive durations, clip source ranges inside the source).
They raise EditError instead of producing a broken timeline."""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from .errors import EditError
from .items import Clip, Item, SoundItem
from .timeline import KIND_OF_ITEM, Timeline, Track


def new_id(timeline: Timeline, prefix: str) -> str:
    """The next free id 'prefix-N' (deterministic, so tests and undo replay give the same ids)."""
    used = {i.id for i in timeline.all_items()}
    n = 1
    while f"{prefix}-{n}" in used:
        n += 1
    return f"{prefix}-{n}"


def _with_track(timeline: Timeline, index: int, items: list[Item]) -> Timeline:
    track = dataclasses.replace(timeline.tracks[index], items=tuple(sorted(items, key=lambda i: (i.start, i.id))))
    tracks = list(timeline.tracks)
    tracks[index] = track
    return Timeline(tuple(tracks))


def _check_item(item: Item) -> None:
    if item.duration <= 0:
        raise EditError(f"{item.id}: duration must be positive, got {item.duration}")
    if item.start < 0:
        raise EditError(f"{item.id}: start must not be negative, got {item.start}")
    if isinstance(item, Clip):
        if item.speed <= 0:
            raise EditError(f"{item.id}: speed must be positive, got {item.speed}")
        if item.source_in < 0:
            raise EditError(f"{item.id}: source_in must not be negative, got {item.source_in}")
        if item.source_frames is not None:
            needed = item.source_in + item.duration * item.speed
            if needed > item.source_frames:
                raise EditError(f"{item.id}: needs {float(needed):g} source frames, the source has {item.source_frames}")


def _shift_items(items: list[Item], from_frame: int, delta: int) -> list[Item]:
    return [dataclasses.replace(i, start=i.start + delta) if i.start >= from_frame else i for i in items]


def add_item(timeline: Timeline, item: Item, track_index: int | None = None) -> Timeline:
    """Place an item where it fits: on the given track, or the first free track of its kind
    (a new track is added when all are busy at that time). Video clips use `insert` instead."""
    _check_item(item)
    kind = KIND_OF_ITEM[type(item)]
    if item.id in {i.id for i in timeline.all_items()}:
        raise EditError(f"{item.id}: an item with this id already exists")
    candidates = [track_index] if track_index is not None else [
        i for i, t in enumerate(timeline.tracks) if t.kind == kind]
    for ti in candidates:
        track = timeline.tracks[ti]
        if track.kind != kind:
            raise EditError(f"{item.id}: a {kind} item cannot go on a {track.kind} track")
        if track.fits(item.start, item.end):
            return _with_track(timeline, ti, [*track.items, item])
    if track_index is not None:
        raise EditError(f"{item.id}: overlaps another item on track {track_index}")
    name = f"{kind.title()} {len(timeline.tracks_of(kind)) + 1}"
    return Timeline((*timeline.tracks, Track(kind, (item,), name=name)))


def insert(timeline: Timeline, item: Item, track_index: int = 0) -> Timeline:
    """Insert edit: put `item` at item.start on a track and push everything from there on to the right
    by its duration. Splits an item that spans the insertion point."""
    _check_item(item)
    track = timeline.tracks[track_index]
    if track.kind != KIND_OF_ITEM[type(item)]:
        raise EditError(f"{item.id}: a {KIND_OF_ITEM[type(item)]} item cannot go on a {track.kind} track")
    spanning = track.item_at(item.start)
    if spanning is not None and spanning.start < item.start:
        timeline = split(timeline, spanning.id, item.start)
        track = timeline.tracks[track_index]
    items = _shift_items(list(track.items), item.start, item.duration)
    return _with_track(timeline, track_index, [*items, item])


def append_clip(timeline: Timeline, clip: Clip, track_index: int = 0) -> Timeline:
    """Add a clip right after the last item of a video track."""
    return insert(timeline, dataclasses.replace(clip, start=timeline.tracks[track_index].end), track_index)


def split(timeline: Timeline, item_id: str, at: int, new_item_id: str | None = None) -> Timeline:
    """Cut an item in two at timeline frame `at`; the second part gets a new id and, for clips and
    sounds, a source offset that continues exactly where the first part stops."""
    ti, _ = timeline.find(item_id)
    item = timeline.get(item_id)
    if not item.start < at < item.end:
        raise EditError(f"{item_id}: split point {at} is not inside the item ({item.start}..{item.end})")
    first = dataclasses.replace(item, duration=at - item.start)
    changes: dict[str, Any] = {"id": new_item_id or new_id(timeline, item_id.split("-")[0]),
                               "start": at, "duration": item.end - at}
    if isinstance(item, Clip):
        source = item.source_frame(at)
        if source.denominator != 1:
            raise EditError(f"{item_id}: at speed {item.speed} frame {at} does not fall on a source frame")
        changes["source_in"] = int(source)
    elif isinstance(item, SoundItem):
        changes["source_in"] = item.source_in + (at - item.start)
        changes["fade_in"] = 0
        first = dataclasses.replace(first, fade_out=0)
    second = dataclasses.replace(item, **changes)
    others = [i for i in timeline.tracks[ti].items if i.id != item_id]
    return _with_track(timeline, ti, [*others, first, second])


def trim(timeline: Timeline, item_id: str, start: int | None = None, end: int | None = None) -> Timeline:
    """Move an item's in and/or out edge on the timeline (source offsets follow for clips/sounds)."""
    ti, _ = timeline.find(item_id)
    item = timeline.get(item_id)
    new_start = item.start if start is None else start
    new_end = item.end if end is None else end
    if new_end <= new_start:
        raise EditError(f"{item_id}: trim would leave no duration ({new_start}..{new_end})")
    changes: dict[str, Any] = {"start": new_start, "duration": new_end - new_start}
    if isinstance(item, Clip):
        source_in = item.source_frame(new_start)
        if source_in < 0:
            raise EditError(f"{item_id}: cannot trim before the start of the source")
        changes["source_in"] = int(source_in)
    elif isinstance(item, SoundItem):
        changes["source_in"] = item.source_in + (new_start - item.start)
        if changes["source_in"] < 0:
            raise EditError(f"{item_id}: cannot trim before the start of the sound")
    trimmed = dataclasses.replace(item, **changes)
    _check_item(trimmed)
    if not timeline.tracks[ti].fits(trimmed.start, trimmed.end, ignore=item_id):
        raise EditError(f"{item_id}: trim to {new_start}..{new_end} overlaps a neighbour")
    others = [i for i in timeline.tracks[ti].items if i.id != item_id]
    return _with_track(timeline, ti, [*others, trimmed])


def move(timeline: Timeline, item_id: str, start: int, track_index: int | None = None) -> Timeline:
    """Move an item to a new start (and optionally another track of the same kind)."""
    ti, _ = timeline.find(item_id)
    item = timeline.get(item_id)
    target = ti if track_index is None else track_index
    if not 0 <= target < len(timeline.tracks):
        raise EditError(f"{item_id}: no track {target}")
    if timeline.tracks[target].kind != timeline.tracks[ti].kind:
        raise EditError(f"{item_id}: cannot move a {timeline.tracks[ti].kind} item to a {timeline.tracks[target].kind} track")
    moved = dataclasses.replace(item, start=start)
    _check_item(moved)
    if not timeline.tracks[target].fits(moved.start, moved.end, ignore=item_id):
        raise EditError(f"{item_id}: moving to frame {start} overlaps another item")
    removed = _with_track(timeline, ti, [i for i in timeline.tracks[ti].items if i.id != item_id])
    return _with_track(removed, target, [*removed.tracks[target].items, moved])


def delete(timeline: Timeline, item_id: str) -> Timeline:
    """Remove an item and leave its place empty."""
    ti, _ = timeline.find(item_id)
    return _with_track(timeline, ti, [i for i in timeline.tracks[ti].items if i.id != item_id])


def ripple_delete(timeline: Timeline, item_id: str) -> Timeline:
    """Remove an item and close the gap. Deleting from the main (first) video track also shifts the
    items of every other track that start at or after its end, so titles and sounds stay with their
    pictures; a track where that shift would cause an overlap is left as it is."""
    ti, _ = timeline.find(item_id)
    item = timeline.get(item_id)
    main = ti == 0 and timeline.tracks[0].kind == "video"
    result = delete(timeline, item_id)
    for index, track in enumerate(result.tracks):
        if index != ti and not main:
            continue
        shifted = sorted(_shift_items(list(track.items), item.end, -item.duration), key=lambda i: i.start)
        if all(a.end <= b.start for a, b in zip(shifted, shifted[1:])):
            result = _with_track(result, index, shifted)
    return result


def set_property(timeline: Timeline, item_id: str, name: str, value: Any) -> Timeline:
    """Change one field of an item (timing fields go through move/trim so invariants hold)."""
    item = timeline.get(item_id)
    if name in ("start",):
        return move(timeline, item_id, int(value))
    if name == "duration":
        return trim(timeline, item_id, end=item.start + int(value))
    if name == "id" or name not in {f.name for f in dataclasses.fields(item)}:
        raise EditError(f"{item_id}: no editable property '{name}'")
    current = getattr(item, name)
    if isinstance(current, Fraction) and not isinstance(value, Fraction):
        value = Fraction(value).limit_denominator(1000)
    elif isinstance(current, float) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    elif current is not None and not isinstance(value, type(current)) and not (current is None or value is None):
        raise EditError(f"{item_id}: property '{name}' must be {type(current).__name__}, got {value!r}")
    if isinstance(item, Clip) and name == "speed":
        # keep the source span, change the timeline length: that is what a speed change means to a creator
        span = item.duration * item.speed
        new_duration = max(1, round(span / value))
        changed = dataclasses.replace(item, speed=value, duration=new_duration)
        _check_item(changed)
        ti, _ = timeline.find(item_id)
        track = timeline.tracks[ti]
        if ti == 0 and track.kind == "video":
            later = _shift_items([i for i in track.items if i.id != item_id], item.end, new_duration - item.duration)
            return _with_track(timeline, ti, [*later, changed])
        if not track.fits(changed.start, changed.end, ignore=item_id):
            raise EditError(f"{item_id}: at speed {value} the clip overlaps its neighbour")
        return _with_track(timeline, ti, [*[i for i in track.items if i.id != item_id], changed])
    changed = dataclasses.replace(item, **{name: value})
    _check_item(changed)
    ti, _ = timeline.find(item_id)
    return _with_track(timeline, ti, [*[i for i in timeline.tracks[ti].items if i.id != item_id], changed])
