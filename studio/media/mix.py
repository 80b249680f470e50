"""Summing placed audio into one stereo track, with music ducked under the voice-over."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.media.audio import fade

ROLES = ("clip", "sound", "voiceover")
_BLOCK_S = 0.010  # control rate of the ducking envelope
_SPEECH_DBFS = -45.0  # voice-over RMS above this counts as speech
_HOLD_S = 0.25  # keep ducking through short pauses between words
_SMOOTH_S = 0.150  # attack/release time constant


@dataclass
class AudioPlacement:
    samples: np.ndarray  # (n, 2) float32
    start: int  # sample offset in the output; may be negative (the head is dropped)
    gain_db: float = 0.0
    fade_in: float = 0.0  # seconds
    fade_out: float = 0.0
    role: str = "sound"  # "clip" | "sound" | "voiceover"


def _stereo(samples: np.ndarray) -> np.ndarray:
    a = np.asarray(samples, np.float32)
    if a.ndim == 1:
        a = a[:, None]
    return np.repeat(a, 2, axis=1) if a.shape[1] == 1 else a[:, :2]


def _add(bus: np.ndarray, p: AudioPlacement, rate: int) -> None:
    src = _stereo(p.samples)
    if p.fade_in > 0 or p.fade_out > 0:
        src = fade(src, p.fade_in, p.fade_out, rate)
    lo, hi = max(p.start, 0), min(p.start + len(src), len(bus))
    if hi <= lo:
        return
    gain = np.float32(10.0 ** (p.gain_db / 20.0))
    step = 1 << 20  # in slices: a scaled copy of a whole long source would double the peak memory
    for a in range(lo, hi, step):
        b = min(a + step, hi)
        bus[a:b] += src[a - p.start:b - p.start] * gain


def duck_gain(voice: np.ndarray, duck_db: float, rate: int) -> np.ndarray:
    """Per-sample gain (n,) for the music bus: duck_db where the voice-over speaks, 1 elsewhere."""
    from scipy.ndimage import maximum_filter1d  # imported here: scipy is slow to import, and only ducking needs it
    from scipy.signal import lfilter

    n = len(voice)
    block = max(1, int(rate * _BLOCK_S))
    nb = -(-n // block)
    padded = np.zeros((nb * block, voice.shape[1]), np.float32)
    padded[:n] = voice
    rms = np.sqrt(np.mean(padded.reshape(nb, block, -1) ** 2, axis=(1, 2)) + 1e-20)
    speech = rms > 10.0 ** (_SPEECH_DBFS / 20.0)
    hold = max(1, int(round(_HOLD_S / _BLOCK_S)))
    speech = maximum_filter1d(speech.astype(np.float32), size=2 * hold + 1)  # bridge gaps, pre-roll the duck
    target = 1.0 - speech * (1.0 - 10.0 ** (duck_db / 20.0))
    # One-pole smoothing run forwards then backwards: ~150 ms ramps, symmetric, no lag.
    a = np.exp(-_BLOCK_S / _SMOOTH_S)
    smooth = lfilter([1 - a], [1, -a], target - 1.0) + 1.0
    smooth = lfilter([1 - a], [1, -a], smooth[::-1] - 1.0)[::-1] + 1.0
    centers = (np.arange(nb) + 0.5) * block
    return np.interp(np.arange(n), centers, smooth).astype(np.float32)


def mix(placements: list[AudioPlacement], total_samples: int, rate: int = 48000,
        duck_db: float = -8.0) -> np.ndarray:
    """Sum ``placements`` into (total_samples, 2) float32; "sound" is ducked under "voiceover" speech.

    No clipping or limiting happens here (see loudness.normalize).
    """
    for p in placements:
        if p.role not in ROLES:
            raise ValueError(f"placement role must be one of {ROLES}, not {p.role!r}")
    out = np.zeros((total_samples, 2), np.float32)
    voices = [p for p in placements if p.role == "voiceover"]
    if duck_db < 0 and total_samples and voices:
        # separate buses only when there is something to duck under: a long mix without a
        # voice-over needs one buffer, not three
        voice = np.zeros((total_samples, 2), np.float32)
        for p in voices:
            _add(voice, p, rate)
        sound = np.zeros((total_samples, 2), np.float32)
        for p in placements:
            if p.role == "sound":
                _add(sound, p, rate)
        if np.any(voice) and np.any(sound):
            sound *= duck_gain(voice, duck_db, rate)[:, None]
        out += sound
        del sound
        out += voice
        del voice
        for p in placements:
            if p.role == "clip":
                _add(out, p, rate)
        return out
    for p in placements:
        _add(out, p, rate)
    return out
