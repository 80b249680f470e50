"""A part of a project as a project of its own: what an export of the I/O range renders. Items
are cut at the range's edges the way a trim cuts them (source offsets, keys and word times
follow) and moved so the part starts at frame 0."""
from __future__ import annotations

import dataclasses

from . import edits
from .errors import EditError
from .timeline import Project, Timeline


def part_of(project: Project, start: int, end: int) -> Project:
    """`project` from frame `start` to `end` (exclusive), starting at 0. EditError when the range
    is empty or a clip cannot be cut at its edge (a speed that puts it between source frames)."""
    start, end = max(0, int(start)), min(int(end), project.duration)
    if end <= start:
        raise EditError(f"the in/out range {start}..{end} is empty")
    tl = project.timeline
    for item in tl.all_items():
        if item.end <= start or item.start >= end:
            tl = edits.delete(tl, item.id)
        elif item.start < start or item.end > end:
            tl = edits.trim(tl, item.id, start=max(item.start, start), end=min(item.end, end))
    tracks = tuple(dataclasses.replace(t, items=tuple(dataclasses.replace(i, start=i.start - start) for i in t.items))
                   for t in tl.tracks)
    # the cover keeps its picture when it lies in the part, else the part's first frame
    cover = project.metadata.cover_frame
    meta = dataclasses.replace(project.metadata, cover_frame=cover - start if start <= cover < end else 0)
    markers = tuple(dataclasses.replace(m, frame=m.frame - start) for m in project.markers if start <= m.frame < end)
    return dataclasses.replace(project, timeline=Timeline(tracks), metadata=meta, markers=markers)
