"""Captions onto a project's timeline: one text item per caption line on an overlay track named
"Captions", timed to the line's words, inside the platform's safe zone. Shared by the command line
and the window (its "Generate captions" action), so both place captions the same way."""
from __future__ import annotations

import dataclasses

from studio.model import Project, TextItem, Timeline, Track, WordTime, seconds_to_frames
from studio.model import edits

from .errors import CaptionError
from .lines import CaptionLine

TRACK_NAME = "Captions"
DEFAULT_STYLE = "word_highlight"  # the word being said lights up (studio.library.styles)
HOLD_GAP = 0.3        # seconds: a line stays up until the next when they are this close (no flicker)
_LIFT_PX = 110        # a line's centre sits this far above the safe zone's bottom (at 1920 high)


def caption_placement(preset: str = "tiktok", width: int = 1080, height: int = 1920) -> tuple[float, float, float]:
    """(x, y, wrap width) as canvas fractions for caption lines: low in the preset's safe zone,
    centred in it and as wide as it (TikTok: about y 0.71, width 0.74)."""
    from studio.render.presets import get_preset

    left, _top, right, bottom = get_preset(preset).safe_zone.rect(width, height)
    x = (left + right) / 2 / width
    y = (bottom - _LIFT_PX * height / 1920) / height
    return round(x, 3), round(y, 3), round((right - left) * 0.92 / width, 3)


def caption_track_index(timeline: Timeline) -> int | None:
    for i, track in enumerate(timeline.tracks):
        if track.kind == "overlay" and track.name == TRACK_NAME:
            return i
    return None


def _frames(lines: list[CaptionLine], fps, limit: int | None) -> list[tuple[CaptionLine, int, int]]:
    """(line, start frame, end frame): in order, never overlapping, at least a frame long, short gaps
    held over, cut at `limit` (the project's end)."""
    spans: list[tuple[CaptionLine, int, int]] = []
    for line in sorted(lines, key=lambda c: (c.start, c.end)):
        start = seconds_to_frames(max(0.0, line.start), fps)
        if spans:
            start = max(start, spans[-1][2])
        if limit is not None and start >= limit:
            break
        end = max(seconds_to_frames(line.end, fps), start + 1)
        if limit is not None:
            end = min(end, limit)
        spans.append((line, start, end))
    hold = seconds_to_frames(HOLD_GAP, fps)
    for i in range(len(spans) - 1):
        line, start, end = spans[i]
        nxt = spans[i + 1][1]
        if nxt - end <= hold:
            spans[i] = (line, start, nxt)
    return spans


def line_words(line: CaptionLine, start: int, duration: int, fps) -> tuple[WordTime, ...]:
    """The line's words in frames after the item's `start`, inside its `duration` (a word starts
    on the frame it is said in; a word said before the item starts, as when a line was pushed
    back behind the one before, starts with it)."""
    out = []
    for word in line.words:
        a = min(max(0, seconds_to_frames(max(0.0, word.start), fps) - start), duration - 1)
        b = min(max(a, seconds_to_frames(max(0.0, word.end), fps) - start), duration)
        out.append(WordTime(word.text, a, b))
    return tuple(out)


def add_captions(project: Project, lines: list[CaptionLine], style: str = DEFAULT_STYLE,
                 preset: str = "tiktok") -> Project:
    """The project with its "Captions" track holding `lines` (replacing the captions it had). A
    project without any picture gets the captions over its whole length from their times."""
    from studio.library.styles import get_style

    if not lines:
        raise CaptionError("no caption lines to add (no words were found)")
    get_style(style)  # an unknown style is a one-line LibraryError naming it
    x, y, width = caption_placement(preset, project.width, project.height)
    timeline = project.timeline
    index = caption_track_index(timeline)
    tracks = list(timeline.tracks)
    if index is None:
        tracks.append(Track("overlay", (), name=TRACK_NAME))
        index = len(tracks) - 1
    else:
        tracks[index] = dataclasses.replace(tracks[index], items=())
    timeline = Timeline(tuple(tracks))
    limit = timeline.duration or None  # without the old captions
    for line, start, end in _frames(lines, project.fps, limit):
        item = TextItem(edits.new_id(timeline, "caption"), start, end - start, line.text, style=style,
                        x=x, y=y, width=width, anim_in="pop", anim_out="none", anim_frames=4,
                        words=line_words(line, start, end - start, project.fps))
        timeline = edits.add_item(timeline, item, index)
    return dataclasses.replace(project, timeline=timeline)


def caption_lines_of(project: Project) -> list[tuple[str, float, float]]:
    """(text, start s, end s) of the items on the project's "Captions" track."""
    index = caption_track_index(project.timeline)
    if index is None:
        return []
    fps = project.fps
    return [(i.content, float(i.start / fps), float(i.end / fps)) for i in project.timeline.tracks[index].items
            if isinstance(i, TextItem)]
