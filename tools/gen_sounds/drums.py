"""Synthesised drum voices. Each returns a mono one-shot; callers pass an rng
so every hit has slightly different noise (sounds less machine-gun-like) while
the whole library stays deterministic."""

from __future__ import annotations

import numpy as np

from .dsp import (SR, bandpass, exp_decay, highpass, lowpass, midi_hz, n_samples, noise,
                  soft_clip, time_axis)


def kick(rng: np.random.Generator, tune: float = 1.0, length: float = 0.45, punch: float = 1.0) -> np.ndarray:
    n = n_samples(length)
    t = time_axis(n)
    freq = tune * (48.0 + 120.0 * np.exp(-t / 0.035))
    body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / (length * 0.45))
    click = lowpass(noise(n, rng), 3500.0) * exp_decay(n, 0.004) * 0.35 * punch
    return soft_clip(1.4 * (body + click), 1.0)


def snare(rng: np.random.Generator, tone_hz: float = 190.0, snappy: float = 1.0, length: float = 0.3) -> np.ndarray:
    n = n_samples(length)
    t = time_axis(n)
    tone = (np.sin(2 * np.pi * tone_hz * t) + 0.5 * np.sin(2 * np.pi * tone_hz * 1.7 * t)) * np.exp(-t / 0.05)
    rattle = bandpass(noise(n, rng), 1500.0, 9000.0) * exp_decay(n, 0.09 * snappy)
    return 0.6 * tone + 1.1 * rattle


def clap(rng: np.random.Generator, length: float = 0.35) -> np.ndarray:
    n = n_samples(length)
    t = time_axis(n)
    src = bandpass(noise(n, rng), 900.0, 5000.0)
    env = np.zeros(n)
    for k, off in enumerate((0.0, 0.011, 0.022)):
        tt = t - off
        env += np.where(tt >= 0, np.exp(-np.maximum(tt, 0) / 0.006), 0.0) * (0.8 if k < 2 else 1.0)
    tt = t - 0.022
    env += np.where(tt >= 0, 0.6 * np.exp(-np.maximum(tt, 0) / 0.11), 0.0)
    return src * env * 1.5


def hat(rng: np.random.Generator, open_: bool = False, length: float | None = None) -> np.ndarray:
    length = length or (0.35 if open_ else 0.06)
    n = n_samples(length)
    src = lowpass(highpass(noise(n, rng), 6500.0), 14000.0)
    return src * exp_decay(n, 0.12 if open_ else 0.018) * 0.6


def shaker(rng: np.random.Generator, length: float = 0.12) -> np.ndarray:
    n = n_samples(length)
    t = time_axis(n)
    env = np.minimum(t / 0.012, 1.0) * np.exp(-t / 0.035)
    return bandpass(noise(n, rng), 4000.0, 11000.0) * env * 0.7


def rim(rng: np.random.Generator) -> np.ndarray:
    n = n_samples(0.08)
    t = time_axis(n)
    tone = (np.sin(2 * np.pi * 820 * t) + 0.6 * np.sin(2 * np.pi * 1650 * t)) * np.exp(-t / 0.012)
    return 0.8 * tone + 0.4 * bandpass(noise(n, rng), 2000.0, 7000.0) * exp_decay(n, 0.006)


def tom(rng: np.random.Generator, tune_hz: float = 110.0, length: float = 0.5) -> np.ndarray:
    n = n_samples(length)
    t = time_axis(n)
    freq = tune_hz * (1.0 + 0.5 * np.exp(-t / 0.04))
    body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / (length * 0.35))
    skin = bandpass(noise(n, rng), 300.0, 3000.0) * exp_decay(n, 0.02) * 0.3
    return soft_clip(1.2 * (body + skin))


def taiko(rng: np.random.Generator, tune_hz: float = 62.0, length: float = 1.2) -> np.ndarray:
    """Big ensemble drum for cinematic beds: low tom plus a long skin roar."""
    n = n_samples(length)
    t = time_axis(n)
    freq = tune_hz * (1.0 + 0.6 * np.exp(-t / 0.05))
    body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / 0.35)
    roar = lowpass(noise(n, rng), 1200.0) * exp_decay(n, 0.15, attack=0.003) * 0.5
    slap = bandpass(noise(n, rng), 800.0, 4000.0) * exp_decay(n, 0.01) * 0.3
    return soft_clip(1.3 * (body + roar + slap))


def cymbal(rng: np.random.Generator, length: float = 2.5) -> np.ndarray:
    n = n_samples(length)
    src = lowpass(highpass(noise(n, rng), 4000.0), 13000.0)
    return src * exp_decay(n, length / 3.0, attack=0.002) * 0.5


def sub808(note: float, length: float, glide_from: float | None = None) -> np.ndarray:
    """Trap 808: sine with a short pitch drop, long decay and saturation for
    harmonics that phones can reproduce."""
    n = n_samples(length)
    t = time_axis(n)
    f = midi_hz(note)
    if glide_from is not None:
        f = midi_hz(note) + (midi_hz(glide_from) - midi_hz(note)) * np.exp(-t / 0.06)
    else:
        f = f * (1.0 + 0.25 * np.exp(-t / 0.02))
    body = np.sin(2 * np.pi * np.cumsum(np.broadcast_to(f, t.shape)) / SR)
    env = np.minimum(t / 0.003, 1.0) * np.exp(-t / max(length * 0.6, 0.2))
    fade = min(n, n_samples(0.03))
    env[n - fade:] *= np.linspace(1, 0, fade)
    return soft_clip(body * env * 1.8, 1.0)
