"""New timeline items with sensible defaults for what the user picked (a file, a sound, a sticker,
a text style). Qt-free; ids come from edits.new_id so undo/redo replays give the same ids."""
from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from studio.media.probe import probe
from studio.model import (Clip, EffectRef, Project, ProjectError, SoundItem, StickerItem, TextItem, edits, kind_of,
                          load_project)

STILL_SECONDS = 3
OVERLAY_SECONDS = 3


def _seconds_to_frames(seconds: float, fps: Fraction) -> int:
    return max(1, math.floor(seconds * float(fps) + 1e-6))


def make_clip(project: Project, path: str | Path, start: int = 0) -> Clip:
    """A clip showing a whole video or a still for STILL_SECONDS. Raises MediaError for bad files."""
    info = probe(path)
    fps = project.fps
    item_id = edits.new_id(project.timeline, "clip")
    if info.kind == "image":
        return Clip(item_id, str(Path(path).resolve()), start, STILL_SECONDS * int(fps))
    if info.kind != "video":
        raise ValueError(f"{path}: has no picture; add it as a sound instead")
    frames = _seconds_to_frames(info.duration, fps)
    source = str(Path(path).resolve())
    return Clip(item_id, source, start, frames, source_frames=frames, effects=take_effects(source))


def _take_project(source: str) -> Project | None:
    side = Path(source).with_suffix(".studio")
    if not side.is_file():
        return None
    try:
        return load_project(side)
    except ProjectError:
        return None


def place_take(timeline, project: Project, path: str | Path):
    """A take at the end of the main track, as its TAKE.studio describes it: the effects and look
    it was recorded with on the clip, and, recorded to a sound, that sound under it from the same
    point (an audio track that is free there) with the camera's own sound on a muted track."""
    import dataclasses

    clip = make_clip(dataclasses.replace(project, timeline=timeline), path)
    take = _take_project(clip.source)
    take_clip = None if take is None else next(
        (i for i in take.timeline.all_items() if isinstance(i, Clip) and i.source == clip.source), None)
    if take_clip is not None:
        clip = dataclasses.replace(clip, volume=take_clip.volume)
    timeline = edits.append_clip(timeline, clip)
    clip = next(i for i in timeline.tracks[0].items if i.id == clip.id)
    for track in (take.timeline.tracks if take is not None else ()):
        for item in track.items:
            if not isinstance(item, SoundItem):
                continue
            placed = dataclasses.replace(item, id=edits.new_id(timeline, "sound"), start=clip.start + item.start,
                                         duration=min(item.duration, clip.duration))
            if track.muted:  # the camera's sound: kept, on a muted track of its own
                timeline = _add_to_muted_track(timeline, placed, track.name or "Camera sound")
            else:
                timeline = edits.add_item(timeline, placed)
    return timeline


def _add_to_muted_track(timeline, item: SoundItem, name: str):
    for index, track in enumerate(timeline.tracks):
        if track.kind == "audio" and track.muted and track.name == name and track.fits(item.start, item.end):
            return edits.add_item(timeline, item, index)
    from studio.model import Timeline, Track

    return Timeline((*timeline.tracks, Track("audio", (item,), name=name, muted=True)))


def take_effects(source: str) -> tuple[EffectRef, ...]:
    """The AR effects and look a take was recorded with: its TAKE.studio (written beside it by the
    recorder) holds them, editable; without one, or with one that does not load, there are none."""
    take = _take_project(source)
    if take is None:
        return ()
    return next((i.effects for i in take.timeline.all_items() if isinstance(i, Clip) and i.source == source), ())


def make_sound(project: Project, sound_id_or_path: str, seconds: float, start: int = 0, music: bool = True) -> SoundItem:
    """A sound from `start`: music beds run to the end of the video (looping), effects play once."""
    fps = project.fps
    own = _seconds_to_frames(seconds, fps)
    if music and project.duration > start:
        duration = project.duration - start
    else:
        duration = own
    return SoundItem(edits.new_id(project.timeline, "sound"), sound_id_or_path, start, max(1, duration),
                     fade_out=min(int(fps), duration // 4) if music else 0, loop=music)


def make_sticker(project: Project, sticker: str, start: int = 0) -> StickerItem:
    duration = _overlay_duration(project, start)
    return StickerItem(edits.new_id(project.timeline, "sticker"), start, duration, sticker, x=0.5, y=0.45, scale=0.3)


def make_text(project: Project, style: str = "classic", start: int = 0, content: str = "Your text") -> TextItem:
    duration = _overlay_duration(project, start)
    return TextItem(edits.new_id(project.timeline, "text"), start, duration, content, style=style, y=0.3)


def _overlay_duration(project: Project, start: int) -> int:
    wanted = OVERLAY_SECONDS * max(1, round(float(project.fps)))
    left = project.duration - start
    return max(1, min(wanted, left) if left > 0 else wanted)


def missing_media(project: Project) -> list[str]:
    """Files the project uses that are not there (library ids are never missing)."""
    from studio.model import is_library_ref

    out = []
    for item in project.timeline.all_items():
        source = item.source if kind_of(item).has_media_source else None
        if source and not is_library_ref(source) and not Path(source).exists() and source not in out:
            out.append(source)
    return out
