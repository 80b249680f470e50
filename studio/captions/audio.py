"""The sound the engines listen to: 16 kHz mono float32, from a media file or from a project.

For a project it is the sound of its clips and voice-overs, mixed where they sit on the timeline
(muted tracks left out), and without its music and sound effects: the words are in the clips and
the voice-over, and music under them only makes recognition worse. Times are then timeline times,
so the captions land where the words are heard.
"""
from __future__ import annotations

import os
from fractions import Fraction

import numpy as np

from studio.media.audio import load_audio
from studio.model import Project

RATE = 16000          # what both engines take
_MIX_RATE = 48000     # the rate the project's sounds are placed at (a multiple of RATE)
SPEECH_ROLES = ("clip", "voiceover")


def to_mono(samples: np.ndarray) -> np.ndarray:
    a = np.asarray(samples, np.float32)
    return a if a.ndim == 1 else a.mean(axis=1, dtype=np.float32)


def media_speech(path: str | os.PathLike) -> np.ndarray:
    """A media file's first audio stream as RATE mono (MediaError, one line, when it has none)."""
    return to_mono(load_audio(path, RATE))


def project_speech(project: Project) -> tuple[np.ndarray, str]:
    """(samples, what was listened to) for a project: its clips' own sound and voice-overs."""
    from studio.media.mix import mix
    from studio.render.kinds import render_kind
    from studio.render.soundtrack import samples_for

    placements = []
    for track in project.timeline.tracks:
        if track.muted:
            continue
        for item in track.items:
            audio = render_kind(item).audio
            if audio is None:
                continue
            placement = audio(item, project.fps, {}, samples_for(item.start, project.fps),
                              samples_for(item.duration, project.fps))
            if placement is not None and placement.role in SPEECH_ROLES:
                placements.append(placement)
    total = samples_for(project.timeline.duration, project.fps)
    if not placements or total == 0:
        return np.zeros(0, np.float32), "nothing: no clip or voice-over on the timeline makes a sound"
    mixed = to_mono(mix(placements, total, _MIX_RATE))
    roles = {p.role for p in placements}
    described = " and ".join(part for role, part in (("clip", "the clips' own sound"), ("voiceover", "the voice-over"))
                             if role in roles)
    return downsample(mixed, _MIX_RATE), f"{described} (music and sound effects left out)"


def downsample(samples: np.ndarray, rate: int) -> np.ndarray:
    """To RATE with a proper low-pass (polyphase), for audio that is already decoded."""
    if rate == RATE:
        return np.asarray(samples, np.float32)
    from scipy.signal import resample_poly

    ratio = Fraction(RATE, rate)
    return resample_poly(samples, ratio.numerator, ratio.denominator).astype(np.float32)


def to_pcm16(samples: np.ndarray) -> bytes:
    """16-bit little-endian PCM, peaks kept below full scale (what pocketsphinx reads)."""
    a = np.asarray(samples, np.float32)
    peak = float(np.abs(a).max()) if len(a) else 0.0
    if peak > 1.0:
        a = a / peak
    return (np.clip(a, -1.0, 1.0) * 32767).astype("<i2").tobytes()
