"""The project's soundtrack: clip audio, sounds and voice-over mixed, faded and normalised.
`clip_audio`, `sound_audio` and `sound_credit` are what the clip and sound kinds make heard
(render.kinds); the mix asks each item's kind."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.library.sounds import get_sound
from studio.media.audio import audio_length, change_speed, load_audio
from studio.media.errors import MediaError
from studio.media.loudness import Loudness, measure, normalize
from studio.media.mix import AudioPlacement, mix
from studio.media.probe import MediaInfo, probe
from studio.media.tempo import keeps_sound
from studio.model import Clip, Project, SoundItem, is_library_ref

from .kinds import render_kind

RATE = 48000


@dataclass(frozen=True)
class SoundCredit:
    id: str
    title: str
    artist: str
    licence: str
    source: str


@dataclass(frozen=True)
class Soundtrack:
    samples: np.ndarray          # float32 (n, 2) at 48 kHz, exactly the project's length
    loudness: Loudness           # measured on `samples`
    credits: tuple[SoundCredit, ...]
    has_audio: bool              # False when nothing on the timeline makes a sound


def samples_for(frames: int, fps: Fraction) -> int:
    return round(Fraction(frames) * RATE / fps)


def _clip_audio(clip: Clip, fps: Fraction, info: MediaInfo | None) -> np.ndarray | None:
    """The clip's sound at its speed (pitch kept), or None when it makes none: no audio, no volume,
    a speed ramp, or a speed outside media.tempo's audible range (a timelapse or a deep slow motion is muted, and
    then not decoded at all: a 200x clip of 15 s would read 50 minutes of sound)."""
    if clip.volume <= 0 or not keeps_sound(clip.speed) or any(k.param == "speed" for k in clip.keys):
        return None  # a speed ramp is muted too: its sound would drift from the picture
    info = info or probe(clip.source)
    if not info.has_audio:
        return None
    start = float(Fraction(clip.source_in) / fps)
    span = float(clip.duration * clip.speed / fps)
    audio = load_audio(clip.source, RATE, start=start, duration=span)
    if clip.speed != 1:
        audio = change_speed(audio, float(clip.speed), RATE)
    return audio * np.float32(clip.volume)


VIDEO_FILE_SUFFIXES = frozenset({".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"})


def _sound_source(item: SoundItem) -> tuple[Path, SoundCredit]:
    if is_library_ref(item.source):
        sound = get_sound(item.source)
        return sound.path, SoundCredit(sound.id, sound.title, sound.artist, sound.licence, f"studio library: {sound.id}")
    path = Path(item.source)
    # the sound of a video (recorded to, or added from a clip) is credited as TikTok does
    title = f"original sound - {path.stem}" if path.suffix.lower() in VIDEO_FILE_SUFFIXES else path.stem
    return path, SoundCredit(path.stem, title, "", "user media", path.name)


def _sound_audio(item: SoundItem, path: Path, fps: Fraction, total: int) -> np.ndarray:
    """The item's `total` samples from its source_in on, round and round the file for a loop.

    Only what the item plays is decoded (at most `total` samples from source_in, and for a loop
    that wraps the file's first samples), so memory follows the item's length, not the file's."""
    start = float(Fraction(item.source_in) / fps)
    if not item.loop:
        return load_audio(path, RATE, start=start, duration=total / RATE)
    if total == 0:
        return np.zeros((0, 2), np.float32)
    skip = round(start * RATE)
    try:
        tail = load_audio(path, RATE, start=start, duration=total / RATE, pad=False)
    except MediaError:
        if skip == 0:
            raise
        tail = np.zeros((0, 2), np.float32)  # starts past the file's end: it wraps
    if len(tail) == total:
        return tail
    # the file ends within the item: its length tells where the loop wraps
    length = skip + len(tail) if len(tail) else audio_length(path, RATE)
    if length == 0:
        return np.zeros((total, 2), np.float32)
    offset = skip % length
    if length <= total:  # the whole file is shorter than the item: keep it once, repeat it
        return _repeat(load_audio(path, RATE, duration=length / RATE), offset, total)
    first = tail if offset == skip else load_audio(path, RATE, start=offset / RATE,
                                                   duration=min(total, length - offset) / RATE, pad=False)
    if len(first) >= total:
        return first[:total]
    return np.concatenate([first, load_audio(path, RATE, duration=(total - len(first)) / RATE)])


def _repeat(whole: np.ndarray, offset: int, total: int) -> np.ndarray:
    """`total` samples of `whole` played round and round from `offset`."""
    out = np.empty((total, 2), np.float32)
    pos, src = 0, offset
    while pos < total:
        n = min(total - pos, len(whole) - src)
        out[pos:pos + n] = whole[src:src + n]
        pos, src = pos + n, 0
    return out


def clip_audio(clip: Clip, fps: Fraction, infos: dict[str, MediaInfo], start: int,
               length: int) -> AudioPlacement | None:
    audio = _clip_audio(clip, fps, infos.get(clip.source))
    return None if audio is None else AudioPlacement(_fit(audio, length), start, role="clip")


def sound_audio(item: SoundItem, fps: Fraction, infos: dict[str, MediaInfo], start: int, length: int) -> AudioPlacement:
    return AudioPlacement(_sound_audio(item, _sound_source(item)[0], fps, length), start, gain_db=item.volume_db,
                          fade_in=float(Fraction(item.fade_in) / fps), fade_out=float(Fraction(item.fade_out) / fps),
                          role=item.role)


def sound_credit(item: SoundItem) -> SoundCredit:
    return _sound_source(item)[1]


def sound_file(item: SoundItem) -> str:
    return str(_sound_source(item)[0])


def _placements(project: Project, infos: dict[str, MediaInfo]) -> list[AudioPlacement]:
    fps = project.fps
    placements: list[AudioPlacement] = []
    for track in project.timeline.tracks:
        if track.muted:
            continue
        for item in track.items:
            audio = render_kind(item).audio
            if audio is not None:
                placement = audio(item, fps, infos, samples_for(item.start, fps), samples_for(item.duration, fps))
                if placement is not None:
                    placements.append(placement)
    return placements


def sound_credits(project: Project) -> tuple[SoundCredit, ...]:
    """The sounds a project uses, without decoding any audio (for tags written before the mix)."""
    credits: dict[str, SoundCredit] = {}
    for track in project.timeline.tracks:
        if not track.muted:
            for item in track.items:
                credit = render_kind(item).credit
                if credit is not None:
                    made = credit(item)
                    credits.setdefault(made.id, made)
    return tuple(credits.values())


def build_soundtrack(project: Project, target_lufs: float = -14.0, max_true_peak: float = -1.0,
                     infos: dict[str, MediaInfo] | None = None) -> Soundtrack:
    """infos: MediaInfo per source path already probed (check_references), to avoid probing again."""
    total = samples_for(project.duration, project.fps)
    credits = sound_credits(project)
    placements = _placements(project, infos or {})
    if not placements or total == 0:
        silent = np.zeros((total, 2), np.float32)
        return Soundtrack(silent, Loudness(float("-inf"), float("-inf")), credits, False)
    mixed = mix(placements, total, RATE)
    placements.clear()  # the sources can go before normalising: peak memory is the export's limit
    normalised, loudness = normalize(mixed, RATE, target_lufs, max_true_peak)
    return Soundtrack(normalised, loudness, credits, True)


def _fit(audio: np.ndarray, length: int) -> np.ndarray:
    if len(audio) >= length:
        return audio[:length]
    return np.concatenate([audio, np.zeros((length - len(audio), 2), np.float32)])


__all__ = ["RATE", "SoundCredit", "Soundtrack", "build_soundtrack", "measure", "samples_for"]
