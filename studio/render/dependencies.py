"""What a preview frame and the soundtrack depend on, as values that compare equal when the result
would be the same. The window keys its frame cache and its soundtrack on these, not on the
document's revision: a caption keystroke (metadata) changes neither, a text edit changes the
picture but not the sound, and a volume change the sound but not the picture."""
from __future__ import annotations

import dataclasses

from studio.model import Project, kind_of


def _without(item, affects: str, **also):
    """The item with the fields that change only the `affects` output set to their defaults (as
    its kind declares them), so two items that differ only there compare equal."""
    changes = {f.name: f.default for f in dataclasses.fields(item)
               if kind_of(item).field(f.name).affects == affects and f.default is not dataclasses.MISSING}
    return dataclasses.replace(item, **changes, **also) if changes or also else item


def picture_inputs(project: Project):
    """Everything the compositor reads: the canvas, the rate, the length and the items of the
    tracks it draws, without their sound-only fields (not the metadata, which only the export's
    tags and sidecar use, and not sounds or volumes)."""
    tracks = []
    for track in project.timeline.tracks:
        items = tuple(_without(item, "sound") for item in track.items if kind_of(item).visual)
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
        items = [_without(item, "picture", id="") for item in track.items if kind_of(item).audible]
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
