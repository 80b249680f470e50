"""Edits as pure functions: each takes a Timeline and returns a new one that keeps the invariants
(items sorted, no overlaps on a track, positive durations, clip source ranges inside the source).
They raise EditError instead of producing a broken timeline."""
from __future__ import annotations

import dataclasses
import math
import numbers
import typing
from fractions import Fraction
from typing import Any

from .errors import EditError, show_frames, show_value
from .fields import DURATION, MAX_FRAMES, START, Field
from .items import Clip, Item, SoundItem, TextItem, WordTime
from .keys import keys_window
from .kinds import key_problem, kind_of
from .time import as_fraction
from .timeline import Timeline, Track

_TIMING_ARGS = {"start": START, "duration": DURATION}  # the frame arguments that are also item fields


def new_id(timeline: Timeline, prefix: str) -> str:
    """The next free id 'prefix-N' (deterministic, so tests and undo replay give the same ids)."""
    used = {i.id for i in timeline.all_items()}
    n = 1
    while f"{prefix}-{n}" in used:
        n += 1
    return f"{prefix}-{n}"


def _locate(timeline: Timeline, item_id: str) -> tuple[int, Item]:
    """(track index, item), or EditError for an unknown id (edits speak EditError only)."""
    try:
        ti, ii = timeline.find(item_id)
    except KeyError:
        raise EditError(f"{item_id}: no such item on the timeline") from None
    return ti, timeline.tracks[ti].items[ii]


def _track_at(timeline: Timeline, index: int, item_id: str) -> Track:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(timeline.tracks):
        raise EditError(f"{item_id}: no track {index!r}")
    return timeline.tracks[index]


def _check_new_id(timeline: Timeline, item_id: str) -> None:
    if not item_id:
        raise EditError("item id must not be empty")
    if any(i.id == item_id for i in timeline.all_items()):
        raise EditError(f"{item_id}: an item with this id already exists")


def _frame_arg(item_id: str, name: str, value: Any) -> int:
    # Integral, not int: frame numbers computed with numpy in the UI are fine too
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise EditError(f"{item_id}: {name} must be a whole number of frames, got {show_value(value)}")
    if value > MAX_FRAMES and name in _TIMING_ARGS:  # the other rules are the timing edits' own
        _check_value(item_id, _TIMING_ARGS[name], int(value))
    return int(value)


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
    if isinstance(item, SoundItem) and item.source_in < 0:
        raise EditError(f"{item.id}: source_in must not be negative, got {item.source_in}")
    if isinstance(item, Clip):
        if item.speed <= 0:
            raise EditError(f"{item.id}: speed must be positive, got {item.speed}")
        if item.source_in < 0:
            raise EditError(f"{item.id}: source_in must not be negative, got {item.source_in}")
        if item.source_frames is not None:
            needed = item.source_in + item.source_span
            if needed > item.source_frames:
                raise EditError(f"{item.id}: needs {show_frames(needed)} source frames, the source has {item.source_frames}")
        if item.crop_left + item.crop_right >= 0.99 or item.crop_top + item.crop_bottom >= 0.99:
            raise EditError(f"{item.id}: the crop leaves nothing of the picture")
    problem = key_problem(item)
    if problem:
        raise EditError(f"{item.id}: {problem}")


def _shift_items(items: list[Item], from_frame: int, delta: int) -> list[Item]:
    return [dataclasses.replace(i, start=i.start + delta) if i.start >= from_frame else i for i in items]


def add_item(timeline: Timeline, item: Item, track_index: int | None = None) -> Timeline:
    """Place an item where it fits: on the given track, or the first free track of its kind
    (a new track is added when all are busy at that time). Video clips use `insert` instead."""
    _check_item(item)
    kind = kind_of(item).track
    _check_new_id(timeline, item.id)
    if track_index is not None:
        _track_at(timeline, track_index, item.id)
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
    _check_new_id(timeline, item.id)
    track = _track_at(timeline, track_index, item.id)
    kind = kind_of(item).track
    if track.kind != kind:
        raise EditError(f"{item.id}: a {kind} item cannot go on a {track.kind} track")
    spanning = track.item_at(item.start)
    if spanning is not None and spanning.start < item.start:
        timeline = split(timeline, spanning.id, item.start)
        track = timeline.tracks[track_index]
    items = _shift_items(list(track.items), item.start, item.duration)
    return _with_track(timeline, track_index, [*items, item])


def append_clip(timeline: Timeline, clip: Clip, track_index: int = 0) -> Timeline:
    """Add a clip right after the last item of a video track."""
    return insert(timeline, dataclasses.replace(clip, start=_track_at(timeline, track_index, clip.id).end), track_index)


def words_window(words: tuple[WordTime, ...], offset: int, length: int) -> tuple[WordTime, ...]:
    """A text's word times for the part of it from `offset` frames in, `length` frames long (after
    a split or a trim), re-timed to its start. Every word stays (the part shows the whole text):
    one said before the part begins starts at its first frame (the word being said at a cut is
    still the word being said after it), one said after it ends starts at its end (never reached)."""
    def clamp(frame: int) -> int:
        return min(max(frame - offset, 0), length)
    return tuple(WordTime(w.text, clamp(w.start), clamp(w.end)) for w in words)


def words_for_content(words: tuple[WordTime, ...], content: str) -> tuple[WordTime, ...]:
    """A text's word times once its text is `content`: as many words as before keep their times
    (a typo fixed, a keyword starred); another number is spread over the time the old words took,
    a longer word taking longer (the renderer's rule for words without times); none stay none."""
    texts = [t.strip("*") or t for t in content.split()]
    if not words:
        return ()
    if len(texts) == len(words):
        return tuple(WordTime(t, w.start, w.end) for t, w in zip(texts, words))
    start, end = min(w.start for w in words), max(w.end for w in words)
    weights = [len(t) + 1 for t in texts]
    total, acc, out = sum(weights), 0, []
    for text, weight in zip(texts, weights):
        a = start + round((end - start) * acc / total)
        acc += weight
        out.append(WordTime(text, a, max(a, start + round((end - start) * acc / total))))
    return tuple(out)


def split(timeline: Timeline, item_id: str, at: int, new_item_id: str | None = None) -> Timeline:
    """Cut an item in two at timeline frame `at`; the second part gets a new id and, for clips and
    sounds, a source offset that continues exactly where the first part stops."""
    ti, item = _locate(timeline, item_id)
    at = _frame_arg(item_id, "split point", at)
    if not item.start < at < item.end:
        raise EditError(f"{item_id}: split point {at} is not inside the item ({item.start}..{item.end})")
    first = dataclasses.replace(item, duration=at - item.start)
    keys = getattr(item, "keys", ())
    if keys:
        first = dataclasses.replace(first, keys=keys_window(keys, 0, first.duration))
    words = getattr(item, "words", ())
    if words:
        first = dataclasses.replace(first, words=words_window(words, 0, first.duration))
    if new_item_id is not None:
        _check_new_id(timeline, new_item_id)
    changes: dict[str, Any] = {"id": new_item_id or new_id(timeline, item_id.split("-")[0]),
                               "start": at, "duration": item.end - at}
    if keys:
        changes["keys"] = keys_window(keys, at - item.start, item.end - at)
    if words:
        changes["words"] = words_window(words, at - item.start, item.end - at)
    if isinstance(item, Clip):
        source = _ramped_source_frame(item, at)
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


def _ramped_source_frame(clip: Clip, frame: int) -> Fraction:
    """The source frame at `frame`; a speed ramp's (an integral of an eased curve) rounded to the
    nearest source frame, since its frames never fall exactly on source frames."""
    source = clip.source_frame(frame)
    if any(k.param == "speed" for k in clip.keys):
        return Fraction(round(source))
    return source


def trim(timeline: Timeline, item_id: str, start: int | None = None, end: int | None = None) -> Timeline:
    """Move an item's in and/or out edge on the timeline (source offsets follow for clips/sounds;
    like split, a clip refuses an in point that falls between two source frames at its speed)."""
    ti, item = _locate(timeline, item_id)
    new_start = item.start if start is None else _frame_arg(item_id, "start", start)
    new_end = item.end if end is None else _frame_arg(item_id, "end", end)
    if new_end <= new_start:
        raise EditError(f"{item_id}: trim would leave no duration ({new_start}..{new_end})")
    changes: dict[str, Any] = {"start": new_start, "duration": new_end - new_start}
    if getattr(item, "keys", ()):
        changes["keys"] = keys_window(item.keys, new_start - item.start, new_end - new_start)
    if getattr(item, "words", ()):
        changes["words"] = words_window(item.words, new_start - item.start, new_end - new_start)
    if isinstance(item, Clip):
        source_in = _ramped_source_frame(item, new_start)
        if source_in < 0:
            raise EditError(f"{item_id}: cannot trim before the start of the source")
        if source_in.denominator != 1:
            # int() would silently shift the picture by part of a frame: refuse, as split does
            raise EditError(f"{item_id}: at speed {item.speed} frame {new_start} does not fall on a source frame")
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
    ti, item = _locate(timeline, item_id)
    start = _frame_arg(item_id, "start", start)
    target = ti if track_index is None else track_index
    _track_at(timeline, target, item_id)
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
    ti, _ = _locate(timeline, item_id)
    return _with_track(timeline, ti, [i for i in timeline.tracks[ti].items if i.id != item_id])


def ripple_delete(timeline: Timeline, item_id: str) -> Timeline:
    """Remove an item and close the gap. Deleting from the main (first) video track also shifts the
    items of every other track that start at or after its end, so titles and sounds stay with their
    pictures; a track with an item across the deleted span, or where the shift would cause an
    overlap, is left as it is (shifting only part of it would pull its items out of sync)."""
    ti, item = _locate(timeline, item_id)
    main = ti == 0 and timeline.tracks[0].kind == "video"
    result = delete(timeline, item_id)
    for index, track in enumerate(result.tracks):
        if index != ti and not main:
            continue
        if index != ti and any(i.start < item.end and i.end > item.start for i in track.items):
            continue
        shifted = sorted(_shift_items(list(track.items), item.end, -item.duration), key=lambda i: i.start)
        if all(a.end <= b.start for a, b in zip(shifted, shifted[1:])):
            result = _with_track(result, index, shifted)
    return result


def _coerce(item_id: str, name: str, hint: Any, value: Any) -> Any:
    """`value` as the field's declared type, or EditError naming the property and the value."""
    def wrong() -> typing.NoReturn:
        raise EditError(f"{item_id}: property '{name}' cannot be {show_value(value)}")

    args = typing.get_args(hint)
    if type(None) in args:
        if value is None:
            return None
        hint = next(a for a in args if a is not type(None))
    if value is None or (isinstance(value, bool) and hint is not bool):
        wrong()
    if hint is Fraction:
        if isinstance(value, float) and not math.isfinite(value):
            wrong()
        if not isinstance(value, (int, float, str, Fraction)):
            wrong()
        try:
            return as_fraction(value)
        except (ValueError, ZeroDivisionError):
            wrong()
    if hint is float:
        if not isinstance(value, (int, float, Fraction)):
            wrong()
        try:
            result = float(value)
        except OverflowError:
            wrong()
        if not math.isfinite(result):
            wrong()
        return result
    if hint in (int, bool, str):
        if not isinstance(value, hint):
            wrong()
        return value
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, (tuple, list)) or not all(isinstance(v, args[0]) for v in value):
            wrong()
        return tuple(value)
    if origin is dict:
        if not isinstance(value, dict):
            wrong()
        return dict(value)
    if not isinstance(value, hint):
        wrong()
    return value


def _check_value(item_id: str, field: Field, value: Any) -> None:
    """The same value rules the project file reader applies: the field's declared ones."""
    problem = field.problem(value)
    if problem:
        raise EditError(f"{item_id}: {field.name} {problem}, got {show_value(value)}")


def set_property(timeline: Timeline, item_id: str, name: str, value: Any) -> Timeline:
    """Change one field of an item (timing fields go through move/trim so invariants hold)."""
    ti, item = _locate(timeline, item_id)
    if name == "start":
        return move(timeline, item_id, _frame_arg(item_id, "start", value))
    if name == "duration":
        return trim(timeline, item_id, end=item.start + _frame_arg(item_id, "duration", value))
    field = kind_of(item).field(name)
    if name == "id" or field is None:
        raise EditError(f"{item_id}: no editable property {name!r}")
    value = _coerce(item_id, name, typing.get_type_hints(type(item))[name], value)
    _check_value(item_id, field, value)
    track = timeline.tracks[ti]
    if isinstance(item, Clip) and name == "speed":
        # keep the source span, change the timeline length: that is what a speed change means to a creator
        span = item.source_span
        new_duration = max(1, round(span / value))
        changed = dataclasses.replace(item, speed=value, duration=new_duration)
        _check_item(changed)
        if ti == 0 and track.kind == "video":
            later = _shift_items([i for i in track.items if i.id != item_id], item.end, new_duration - item.duration)
            return _with_track(timeline, ti, [*later, changed])
        if not track.fits(changed.start, changed.end, ignore=item_id):
            raise EditError(f"{item_id}: at speed {value} the clip overlaps its neighbour")
        return _with_track(timeline, ti, [*[i for i in track.items if i.id != item_id], changed])
    changed = dataclasses.replace(item, **{name: value})
    if isinstance(item, TextItem) and name == "content" and item.words:
        changed = dataclasses.replace(changed, words=words_for_content(item.words, value))
    _check_item(changed)
    return _with_track(timeline, ti, [*[i for i in track.items if i.id != item_id], changed])
