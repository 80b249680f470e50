"""Copy, paste and duplicate of timeline items with everything they carry (effects, keys, word
times). A copy holds the items with their times relative to the earliest of them and the track
each came from, so a paste keeps their arrangement. Pure functions over a Timeline, like
studio.model.edits; the window wraps each in one undo step."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import edits, magnetic
from .items import Item
from .kinds import kind_of
from .timeline import Timeline, Track


@dataclass(frozen=True)
class Copied:
    """Items taken from a timeline: (track index, track kind, item) with starts made relative."""
    entries: tuple[tuple[int, str, Item], ...]

    def __bool__(self) -> bool:
        return bool(self.entries)


def copy(timeline: Timeline, ids) -> Copied:
    found = []
    for item_id in ids:
        try:
            ti, ii = timeline.find(item_id)
        except KeyError:  # deleted since it was selected
            continue
        found.append((ti, timeline.tracks[ti].items[ii]))
    if not found:
        return Copied(())
    origin = min(item.start for _, item in found)
    return Copied(tuple((ti, timeline.tracks[ti].kind, dataclasses.replace(item, start=item.start - origin))
                        for ti, item in sorted(found, key=lambda e: (e[1].start, e[0]))))


def _fresh(timeline: Timeline, item: Item, start: int) -> Item:
    return dataclasses.replace(item, id=edits.new_id(timeline, kind_of(item).name), start=max(0, start))


def _put(timeline: Timeline, preferred: int, kind: str, item: Item) -> Timeline:
    """`item` on its preferred track when it fits there, else on another of its kind, else a new one."""
    order = [preferred] + [i for i in range(len(timeline.tracks)) if i != preferred]
    for index in order:
        if index < len(timeline.tracks) and timeline.tracks[index].kind == kind \
                and timeline.tracks[index].fits(item.start, item.end):
            if kind == "video" and index == magnetic.MAIN and preferred != magnetic.MAIN:
                continue  # a layer's clip does not land on the main track by chance
            return edits.add_item(timeline, item, index)
    return edits.add_item(Timeline((*timeline.tracks, Track(kind))), item, len(timeline.tracks))


def paste(timeline: Timeline, copied: Copied, at: int, magnetic_main: bool = True) -> tuple[Timeline, list[str]]:
    """The copied items placed from frame `at` (their arrangement kept), with new ids. With a
    magnetic main track, main-track clips go in line after the clip under `at` (the others make
    room) and the rest are placed relative to where the first of them landed."""
    new_ids: list[str] = []
    entries = list(copied.entries)
    mains = [e for e in entries if magnetic_main and e[0] == magnetic.MAIN and e[1] == "video"
             and magnetic.has_main_track(timeline)]
    anchor = at
    if mains:
        clips = magnetic.main_clips(timeline)
        index = sum(1 for c in clips if c.start < at)
        for n, (_, _, item) in enumerate(mains):
            clip = _fresh(timeline, item, 0)
            timeline = magnetic.insert_at(timeline, clip, index + n)
            new_ids.append(clip.id)
            if n == 0:
                anchor = timeline.get(clip.id).start - item.start
    for entry in entries:
        if entry in mains:
            continue
        ti, kind, item = entry
        fresh = _fresh(timeline, item, anchor + item.start)
        timeline = _put(timeline, ti, kind, fresh)
        new_ids.append(fresh.id)
    return timeline, new_ids


def duplicate(timeline: Timeline, ids, magnetic_main: bool = True) -> tuple[Timeline, list[str]]:
    """Copies of the items right after them (main-track clips right after the last of them)."""
    copied = copy(timeline, ids)
    if not copied:
        return timeline, []
    end = max(timeline.get(i).end for i in ids if _exists(timeline, i))
    return paste(timeline, copied, end, magnetic_main)


def _exists(timeline: Timeline, item_id: str) -> bool:
    try:
        timeline.find(item_id)
        return True
    except KeyError:
        return False
