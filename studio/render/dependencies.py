"""What a preview frame and the soundtrack depend on, as values that compare equal when the result
would be the same. The window keys its frame cache and its soundtrack on these, not on the
document's revision: a caption keystroke (metadata) changes neither, a text edit changes the
picture but not the sound, and a volume change the sound but not the picture."""
from __future__ import annotations

import dataclasses

from studio.model import Clip, Project, SoundItem


def picture_inputs(project: Project):
    """Everything the compositor reads: the canvas, the rate, the length and the items of the
    tracks it draws, without their sound-only fields (not the metadata, which only the export's
    tags and sidecar use, and not sounds or volumes)."""
    tracks = []
    for track in project.timeline.tracks:
        items = tuple(dataclasses.replace(item, volume=1.0) if isinstance(item, Clip) else item
                      for item in track.items if not isinstance(item, SoundItem))
        if items:
            tracks.append((track.kind, track.hidden, items))
    return (project.width, project.height, project.fps, project.duration, tuple(tracks))


def sound_inputs(project: Project):
    """Everything the soundtrack mix reads: the rate, the length, and per unmuted track its clips
    (without their picture-only fields) and sounds. Text and sticker items count only through the
    project's length."""
    tracks = []
    for track in project.timeline.tracks:
        if track.muted:
            continue
        items = []
        for item in track.items:
            if isinstance(item, Clip):
                items.append(dataclasses.replace(item, id="", effects=(), fit="fill"))
            elif isinstance(item, SoundItem):
                items.append(dataclasses.replace(item, id=""))
        if items:
            tracks.append(tuple(items))
    return (project.fps, project.duration, tuple(tracks))


class ChangeCounter:
    """A number that goes up only when `inputs(project)` changes: a cache key for the window."""

    def __init__(self, inputs):
        self._inputs = inputs
        self._last = None
        self.value = 0

    def __call__(self, project: Project) -> int:
        current = self._inputs(project)
        if self._last is None or current != self._last:
            self._last = current
            self.value += 1
        return self.value
