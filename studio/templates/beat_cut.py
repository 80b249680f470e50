"""Cut to the beat: clips in turn, a cut every 1, 2 or 4 beats of a library sound's beat grid,
each clip showing its liveliest part. What `studio quick --cut-to-beat N` and the window's
"Cut to beat" action do.

Each clip gets one stretch of N beats; when that makes a short under `min_seconds`, the clips
come round again (a video then shows another part). The sound starts with the short, so a cut at
the frame nearest a beat's time lands on that beat (within half a frame). The clips' own sound is
muted: speech chopped every beat is noise under the music."""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from studio.library.sounds import Sound, get_sound, list_sounds
from studio.model import Clip, EffectRef, Project, SoundItem, Timeline, Track, is_library_ref, seconds_to_frames

from .errors import TemplateError
from .fill import check_media, fill_slot, plan_parts, used_range, video_track
from .format import PLACEHOLDER
from .liveliness import MediaAnalyzer

EVERY = (1, 2, 4)
MIN_SECONDS = 5.0
DEFAULT_FPS = Fraction(30)


def beat_sound(sound_id: str) -> Sound:
    """The library (or imported) sound `sound_id`, which must have a beat grid."""
    if not isinstance(sound_id, str) or not is_library_ref(sound_id):
        raise TemplateError(f"cut to the beat needs a sound from the library (it knows their beats), not the file "
                            f"'{sound_id}'; add it with `studio library sounds --import FILE`")
    sound = get_sound(sound_id)
    if sound.bpm is None or len(sound.beats) < 2:
        music = next((s.id for s in list_sounds("music") if s.bpm), "a music sound")
        raise TemplateError(f"sound '{sound_id}' has no beat grid (a sound effect has no beat): "
                            f"cut to the beat of a music sound, e.g. {music}")
    return sound


def beat_times(sound: Sound, count: int) -> list[float]:
    """The first `count` beat times (s) of a sound playing from its start; past its end the sound
    loops (as a sound item does by default), and so do its beats."""
    beats = [b for b in sound.beats if 0 <= b < sound.duration]
    times: list[float] = []
    loop = 0
    while len(times) < count:
        times.extend(b + loop * sound.duration for b in beats)
        loop += 1
    return times[:count]


def cut_frames(sound: Sound, every: int, segments: int, fps: Fraction) -> list[int]:
    """Frames where `segments` stretches of `every` beats begin, and where the last one ends."""
    if every not in EVERY:
        raise TemplateError(f"cut every 1, 2 or 4 beats, not {every!r}")
    times = beat_times(sound, every * segments + 1)
    return [0] + [seconds_to_frames(Fraction(str(times[every * i])), fps) for i in range(1, segments + 1)]


@dataclass(frozen=True)
class _Entry:
    """A clip to cut: its file and what it keeps (effects, fit, volume, the part it showed)."""
    source: str
    effects: tuple[EffectRef, ...] = ()
    fit: str = "fill"
    volume: float = 0.0
    within: tuple[float, float] | None = None


def _segments(count: int, sound: Sound, every: int, fps: Fraction, min_seconds: float) -> list[int]:
    n = count
    frames = cut_frames(sound, every, n, fps)
    while frames[-1] < min_seconds * fps:
        n += 1
        frames = cut_frames(sound, every, n, fps)
    return frames


def _cut(entries: list[_Entry], sound: Sound, every: int, fps: Fraction, min_seconds: float,
         analyzer: MediaAnalyzer) -> list[Clip]:
    frames = _segments(len(entries), sound, every, fps, min_seconds)
    slots = [Clip(f"slot-{i + 1}", PLACEHOLDER, start, end - start, volume=entries[i % len(entries)].volume,
                  fit=entries[i % len(entries)].fit, effects=entries[i % len(entries)].effects)
             for i, (start, end) in enumerate(zip(frames, frames[1:]))]
    clips: list[Clip] = list(slots)
    for e, entry in enumerate(entries):  # each clip's turns get their parts chosen together
        turns = list(range(e, len(slots), len(entries)))
        parts = plan_parts(entry.source, [slots[i] for i in turns], fps, analyzer, within=entry.within)
        for use, (i, start) in enumerate(zip(turns, parts)):
            clips[i] = fill_slot(slots[i], entry.source, fps, analyzer, use=use, start=start)
    return clips


def beat_cut_clips(media: Sequence[str], sound_id: str, every: int = 2, *, fps: Fraction = DEFAULT_FPS,
                   effects: Sequence[EffectRef] = (), min_seconds: float = MIN_SECONDS,
                   analyzer: MediaAnalyzer | None = None) -> list[Clip]:
    """The clips of a beat cut of `media` (ids 'slot-1'...), from frame 0, muted."""
    sound = beat_sound(sound_id)
    own = analyzer is None
    analyzer = analyzer or MediaAnalyzer()
    try:
        sources = check_media(list(media), analyzer)
        return _cut([_Entry(s, tuple(effects)) for s in sources], sound, every, fps, min_seconds, analyzer)
    finally:
        if own:
            analyzer.close()


def cut_to_beat(source: Project | Sequence[str], sound_id: str, every: int = 2, *,
                min_seconds: float = MIN_SECONDS, analyzer: MediaAnalyzer | None = None) -> Project:
    """Cut media, or the clips of a project's main video track, to the beat of `sound_id`.

    Media: a new project of the clips and the sound. A project: its main track is rebuilt from
    its clips in order (each keeps its effects and fit, and picks its liveliest part inside the
    part it showed when that is long enough); its sounds (not voice-overs) give way to `sound_id`;
    overlays, voice-overs and other video tracks are kept, cut off where the new short ends.
    Raises TemplateError for a sound without a beat grid, LibraryError for an unknown sound."""
    sound = beat_sound(sound_id)
    own = analyzer is None
    analyzer = analyzer or MediaAnalyzer()
    try:
        if isinstance(source, Project):
            return _recut_project(source, sound, every, min_seconds, analyzer)
        fps = DEFAULT_FPS
        clips = _cut([_Entry(s) for s in check_media(list(source), analyzer)], sound, every, fps, min_seconds,
                     analyzer)
    finally:
        if own:
            analyzer.close()
    total = clips[-1].end
    music = SoundItem("sound-1", sound.id, 0, total, fade_out=min(int(fps), total // 4))
    return Project(name="Cut to the beat", fps=fps,
                   timeline=Timeline((video_track(clips), Track("audio", (music,), name="Sound"))))


def _recut_project(project: Project, sound: Sound, every: int, min_seconds: float,
                   analyzer: MediaAnalyzer) -> Project:
    fps = project.fps
    main = next((i for i, t in enumerate(project.timeline.tracks) if t.kind == "video" and t.items), None)
    if main is None:
        raise TemplateError(f"project '{project.name}' has no clips to cut to the beat")
    entries = []
    for clip in project.timeline.tracks[main].items:
        check_media([clip.source], analyzer)
        within = used_range(clip, fps) if clip.source_frames is not None else None
        entries.append(_Entry(clip.source, clip.effects, clip.fit, 0.0, within))
    clips = _cut(entries, sound, every, fps, min_seconds, analyzer)
    total = clips[-1].end
    tracks = []
    for index, track in enumerate(project.timeline.tracks):
        if index == main:
            tracks.append(dataclasses.replace(video_track(clips), name=track.name or "Video"))
            continue
        kept = []
        for item in track.items:
            if getattr(item, "role", "") == "sound" or item.start >= total:
                continue
            if item.end > total:
                item = dataclasses.replace(item, duration=total - item.start)
            kept.append(item)
        tracks.append(dataclasses.replace(track, items=tuple(kept)))
    taken = {i.id for t in tracks for i in t.items}
    n = 1
    while f"sound-{n}" in taken:
        n += 1
    music = SoundItem(f"sound-{n}", sound.id, 0, total, fade_out=min(int(fps), total // 4))
    audio = next((i for i, t in enumerate(tracks) if t.kind == "audio" and t.fits(0, total)), None)
    if audio is None:
        tracks.append(Track("audio", (music,), name="Sound"))
    else:
        tracks[audio] = dataclasses.replace(tracks[audio], items=tuple(sorted((*tracks[audio].items, music),
                                                                              key=lambda i: i.start)))
    return dataclasses.replace(project, timeline=Timeline(tuple(tracks)))


__all__ = ["EVERY", "beat_cut_clips", "beat_sound", "beat_times", "cut_frames", "cut_to_beat"]
