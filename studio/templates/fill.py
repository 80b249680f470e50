"""Put a medium into a slot: the slot keeps its place, length, effects, fit and volume; the medium
brings its picture.

- A video longer than the slot gives its liveliest part (liveliness.py); when the same video fills
  several slots, `plan_parts` chooses their parts together (side by side in the video's order
  when they fit); a video shorter than its slot is slowed down to fill it (never frozen or looped).
- A still photo gets a gentle zoom (the `ken_burns` effect) over the slot: in on one use, out on
  the next, so a photo repeated across slots does not look the same twice. That effect belongs to
  the slot filling: it is taken off and put on again whenever a slot gets a new medium.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

from studio.media.errors import MediaError
from studio.model import Clip, EffectRef, Timeline, Track

from .errors import TemplateError
from .liveliness import MediaAnalyzer

KEN_BURNS = "ken_burns"
KEN_BURNS_AMOUNT = 0.08  # a photo ends 8% larger (or starts so and settles): felt, not seen
MIN_SPEED = Fraction(1, 100)  # the slowest the model allows


def check_media(paths, analyzer: MediaAnalyzer) -> list[str]:
    """The media as absolute paths, each probed once: MediaError (one line naming the file) for a
    missing or unreadable one, TemplateError for one without a picture."""
    if not paths:
        raise TemplateError("give at least one photo or video to fill the slots")
    result = []
    for path in paths:
        source = str(Path(path).resolve())
        info = analyzer.info(source)
        if info.kind not in ("video", "image"):
            raise MediaError(Path(path), "has no picture (audio only): give a photo or a video")
        result.append(source)
    return result


def source_frames(duration: float, fps: Fraction) -> int:
    """A video's length in project-rate frames (as `studio quick` counts it)."""
    return max(1, round(Fraction(duration).limit_denominator(100000) * fps))


def used_range(clip: Clip, fps: Fraction) -> tuple[float, float]:
    """The part of its source (seconds) a clip shows."""
    return float(clip.source_in / fps), float((clip.source_in + clip.duration * clip.speed) / fps)


def without_ken_burns(effects) -> tuple[EffectRef, ...]:
    return tuple(e for e in effects if e.id != KEN_BURNS)


def plan_parts(source: str, slots: list[Clip], fps: Fraction, analyzer: MediaAnalyzer, *,
               avoid: tuple[tuple[float, float], ...] = (),
               within: tuple[float, float] | None = None) -> list[float | None]:
    """Where (s) each of `slots` (in order) starts in the video `source`: its liveliest parts, chosen
    together. None for a photo or for a slot longer than the video (slowed down instead)."""
    info = analyzer.info(source)
    if info.kind == "image":
        return [None] * len(slots)
    total = source_frames(info.duration, fps)
    fitting = [i for i, s in enumerate(slots) if s.duration <= total]
    if within is not None and within[1] - within[0] < sum(slots[i].duration for i in fitting) / fps:
        within = None  # the range asked for is shorter than the slots: the whole clip is the choice
    starts: list[float | None] = [None] * len(slots)
    if fitting:
        chosen = analyzer.liveliness(source).best_starts([float(slots[i].duration / fps) for i in fitting],
                                                         within, avoid)
        for i, start in zip(fitting, chosen):
            starts[i] = start
    return starts


def fill_slot(slot: Clip, source: str, fps: Fraction, analyzer: MediaAnalyzer, *, use: int = 0,
              start: float | None = None, avoid: tuple[tuple[float, float], ...] = (),
              within: tuple[float, float] | None = None) -> Clip:
    """`slot` (any clip: its id, start, duration, effects, fit and volume are kept) showing `source`.
    `use`: how many times this source was used before (varies a photo's zoom); `start`: where (s)
    in a video the part begins (from `plan_parts`), else its liveliest part apart from `avoid`
    (source ranges in s other slots show) and inside `within` (s) when that is long enough."""
    info = analyzer.info(source)
    effects = without_ken_burns(slot.effects)
    base = dataclasses.replace(slot, source=source, source_in=0, speed=Fraction(1), effects=effects)
    if info.kind == "image":
        zoom = EffectRef(KEN_BURNS, {"amount": KEN_BURNS_AMOUNT, "seconds": round(float(slot.duration / fps), 3),
                                     "direction": "in" if use % 2 == 0 else "out"})
        return dataclasses.replace(base, source_frames=None, effects=(zoom, *effects))
    total = source_frames(info.duration, fps)
    need = slot.duration
    if total < need:  # slow the whole clip down to fill the slot
        speed = Fraction(total, need)
        if speed < MIN_SPEED:
            raise TemplateError(f"{Path(source).name}: {float(info.duration):.2f} s is too short to fill "
                                f"{slot.id} ({float(need / fps):.1f} s)")
        return dataclasses.replace(base, source_frames=total, speed=speed)
    if start is None:
        if within is not None and within[1] - within[0] < need / fps:
            within = None  # the range asked for is shorter than the slot: the whole clip is the choice
        start = analyzer.liveliness(source).best_start(float(need / fps), within, avoid)
    source_in = min(max(0, round(Fraction(start).limit_denominator(100000) * fps)), total - need)
    return dataclasses.replace(base, source_frames=total, source_in=source_in)


def replace_item(timeline: Timeline, item) -> Timeline:
    """The timeline with the item of the same id replaced by `item` (same start and duration, so
    the track's order and gaps are unchanged)."""
    ti, ii = timeline.find(item.id)
    track = timeline.tracks[ti]
    old = track.items[ii]
    if (old.start, old.duration) != (item.start, item.duration):
        raise ValueError("replace_item keeps an item's place")
    items = list(track.items)
    items[ii] = item
    tracks = list(timeline.tracks)
    tracks[ti] = dataclasses.replace(track, items=tuple(items))
    return Timeline(tuple(tracks))


def video_track(clips) -> Track:
    return Track("video", tuple(sorted(clips, key=lambda c: c.start)), name="Video")
