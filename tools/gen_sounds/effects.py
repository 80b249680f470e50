"""One-shot sound effects (0.3-4 s). Each returns stereo audio and metadata."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import dsp, drums, music
from .dsp import SR, exp_decay, n_samples, time_axis


@dataclass(frozen=True)
class EffectInfo:
    id: str
    title: str
    mood: str
    tags: tuple[str, ...]
    seed: int


def _finish(x: np.ndarray, rng: np.random.Generator, verb: float = 0.12, rt60: float = 0.8) -> np.ndarray:
    """Light room, gentle fades so nothing clicks at either end."""
    stereo = dsp.pan(x, 0.0) if x.ndim == 1 else x
    if verb:
        stereo = stereo + verb * dsp.convolve(stereo, dsp.reverb_ir(rt60 * 1.2, rng, rt60=rt60))
    stereo = dsp.highpass(stereo, 25.0)
    return dsp.fade_edges(stereo, 0.001, 0.04)


def whoosh() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("whoosh", "Whoosh", "transition", ("transition", "air", "swipe", "fast"), 11)
    rng = np.random.default_rng(info.seed)
    n = n_samples(1.2)
    t = time_axis(n)
    centre = 300.0 * (8.0 ** np.sin(np.pi * np.linspace(0, 1, 64)))  # up then back down
    x = dsp.sweep_filter_noise(n, rng, centre, width_oct=1.6)
    env = np.sin(np.pi * np.clip(t / 1.2, 0, 1)) ** 2
    # Doppler-style pan from left to right as it passes
    p = np.linspace(-0.8, 0.8, n)
    stereo = np.stack([x * env * np.cos((p + 1) * np.pi / 4), x * env * np.sin((p + 1) * np.pi / 4)])
    return _finish(stereo, rng, 0.2), info


def swoosh() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("swoosh", "Swoosh", "transition", ("transition", "swipe", "short", "text"), 12)
    rng = np.random.default_rng(info.seed)
    n = n_samples(0.55)
    t = time_axis(n)
    centre = np.geomspace(900.0, 6000.0, 32)
    x = dsp.sweep_filter_noise(n, rng, centre, width_oct=1.0)
    env = (t / 0.55) ** 1.5 * np.exp(-np.maximum(t - 0.38, 0) / 0.04)
    p = np.linspace(0.6, -0.6, n)
    stereo = np.stack([x * env * np.cos((p + 1) * np.pi / 4), x * env * np.sin((p + 1) * np.pi / 4)])
    return _finish(stereo, rng, 0.15), info


def pop() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("pop", "Bubble Pop", "playful", ("pop", "bubble", "cute", "ui", "click"), 13)
    rng = np.random.default_rng(info.seed)
    n = n_samples(0.45)
    t = time_axis(n)
    f = 350.0 + 900.0 * (1 - np.exp(-t / 0.025))
    body = np.sin(2 * np.pi * np.cumsum(f) / SR) * exp_decay(n, 0.045, attack=0.002)
    click = dsp.bandpass(dsp.noise(n, rng), 1000.0, 6000.0) * exp_decay(n, 0.003) * 0.3
    return _finish(body + click, rng, 0.12), info


def ding() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("ding", "Ding", "bright", ("ding", "bell", "correct", "notification", "success"), 14)
    rng = np.random.default_rng(info.seed)
    x = music.bell(88, 2.0) + 0.5 * music.bell(95, 2.0) * 0.6
    return _finish(x, rng, 0.2, 1.2), info


def notification() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("chime", "Chime", "bright", ("notification", "chime", "message", "ui", "alert"), 15)
    rng = np.random.default_rng(info.seed)
    n = n_samples(0.9)
    x = np.zeros(n)
    for k, note in enumerate((79, 84)):
        tone = music.bell(note, 0.9 - 0.12 * k)
        x[n_samples(0.12 * k):n_samples(0.12 * k) + tone.size] += tone
    return _finish(x, rng, 0.2), info


def shutter() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("camera-shutter", "Camera Shutter", "neutral", ("camera", "shutter", "photo", "snap", "click"), 16)
    rng = np.random.default_rng(info.seed)
    n = n_samples(0.45)
    x = np.zeros(n)
    # Two mechanical events (mirror up / shutter close), each a click that
    # excites a couple of small metal/plastic resonances.
    for off, g in ((0.0, 1.0), (0.11, 0.8)):
        m = n_samples(0.12)
        burst = dsp.noise(m, rng) * exp_decay(m, 0.007)
        res = (dsp.bandpass(burst, 2500.0, 3200.0, 2) * 3.0 + dsp.bandpass(burst, 5200.0, 6400.0, 2) * 2.0
               + dsp.bandpass(burst, 700.0, 1400.0) * 1.5)
        res += dsp.lowpass(dsp.noise(m, rng), 2500.0) * exp_decay(m, 0.035) * 0.6
        i = n_samples(off)
        x[i:i + m] += g * res
    return _finish(x, rng, 0.08, 0.4), info


def countdown() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("countdown", "Countdown 3-2-1", "tense", ("countdown", "beep", "timer", "start", "race"), 17)
    rng = np.random.default_rng(info.seed)
    n = n_samples(3.8)
    x = np.zeros(n)
    for k in range(4):
        last = k == 3
        length = 0.6 if last else 0.16
        m = n_samples(length + 0.05)
        f = 1760.0 if last else 880.0
        t = time_axis(m)
        tone = (np.sin(2 * np.pi * f * t) + 0.2 * np.sin(2 * np.pi * 2 * f * t))
        env = np.clip(t / 0.005, 0, 1) * np.clip((length - t) / 0.02 + 1, 0, 1)
        i = n_samples(k * 1.0)
        x[i:i + m] += tone * env
    return _finish(x, rng, 0.1), info


def bass_drop() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("bass-drop", "Bass Drop", "hype", ("bass", "drop", "boom", "impact", "hype"), 18)
    rng = np.random.default_rng(info.seed)
    n = n_samples(3.0)
    t = time_axis(n)
    f = 38.0 + 260.0 * np.exp(-t / 0.18)
    sub = np.sin(2 * np.pi * np.cumsum(f) / SR)
    env = np.clip(t / 0.005, 0, 1) * np.exp(-t / 1.1)
    # Saturation adds the harmonics that make a sub audible on phone speakers.
    x = dsp.soft_clip(2.5 * sub * env, 1.0)
    hit = np.zeros(n)
    k = drums.kick(rng, tune=0.9, length=0.6)
    hit[: k.size] = k
    rumble = dsp.lowpass(dsp.noise(n, rng), 200.0) * exp_decay(n, 0.6) * 0.5
    return _finish(x + 0.7 * hit + rumble, rng, 0.15, 1.5), info


def record_scratch() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("record-scratch", "Record Scratch", "funny", ("scratch", "vinyl", "dj", "stop", "funny"), 19)
    rng = np.random.default_rng(info.seed)
    # Source: a bright chord "on the record"; then play it back with the hand
    # moving the platter forward-back (variable rate), which is all a scratch is.
    src_len = n_samples(2.0)
    ts = time_axis(src_len)
    src = sum(np.sin(2 * np.pi * music.midi_hz(p) * ts) / (1 + i) for i, p in enumerate((57, 64, 69, 72, 76)))
    src += 0.3 * dsp.bandpass(dsp.noise(src_len, rng), 2000.0, 6000.0)
    n = n_samples(0.8)
    t = time_axis(n)
    rate = 2.2 * np.sin(2 * np.pi * t / 0.26 + 0.3) * np.exp(-t / 0.8) + 0.15
    pos = 0.5 * SR + np.cumsum(rate)
    x = np.interp(pos, np.arange(src_len), src)
    grit = dsp.bandpass(dsp.noise(n, rng), 1500.0, 7000.0) * np.abs(rate) * 0.08
    x = dsp.lowpass(x + grit, 9000.0) * np.clip(np.abs(rate) / 0.5, 0.2, 1.0)
    return _finish(x, rng, 0.05), info


def applause() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("applause", "Applause", "celebration", ("applause", "clapping", "crowd", "cheer", "win"), 20)
    rng = np.random.default_rng(info.seed)
    dur = 4.0
    n = n_samples(dur)
    out = np.zeros((2, n))
    clap_len = n_samples(0.05)
    tc = time_axis(clap_len)
    for person in range(36):
        rate = rng.uniform(3.5, 5.5)  # claps per second
        colour = rng.uniform(900.0, 2600.0)
        position = rng.uniform(-0.8, 0.8)
        gain = rng.uniform(0.3, 1.0)
        t = rng.uniform(0.0, 0.35)
        while t < dur - 0.1:
            burst = dsp.bandpass(dsp.noise(clap_len, rng), colour * 0.6, colour * 2.2) * np.exp(-tc / 0.008)
            i = n_samples(t)
            out[:, i:i + clap_len] += dsp.pan(burst, position)[:, : n - i] * gain
            t += 1.0 / rate * rng.uniform(0.85, 1.15)
    tt = time_axis(n)
    env = np.clip(tt / 0.4, 0, 1) * np.clip((dur - tt) / 1.2, 0, 1) ** 1.5
    return _finish(out * env, rng, 0.3, 1.2), info


def riser() -> tuple[np.ndarray, EffectInfo]:
    info = EffectInfo("riser", "Riser", "tense", ("riser", "build", "transition", "suspense", "reveal"), 21)
    rng = np.random.default_rng(info.seed)
    dur = 2.5
    n = n_samples(dur)
    t = time_axis(n)
    x = dsp.sweep_filter_noise(n, rng, np.geomspace(300.0, 7000.0, 64), width_oct=1.2)
    f = 110.0 * 2 ** (2.5 * t / dur)
    tone = sum(np.sin(2 * np.pi * np.cumsum(f * k) / SR) / k for k in (1, 2, 3))
    env = 10 ** (-30.0 * (1.0 - t / dur) / 20.0)  # steady climb in dB from -30 dB
    cut = np.clip((dur - t) / 0.03, 0, 1)
    return _finish((x + 0.25 * tone) * env * cut, rng, 0.25), info


EFFECTS: list[Callable[[], tuple[np.ndarray, EffectInfo]]] = [
    whoosh, swoosh, pop, ding, notification, shutter, countdown, bass_drop, record_scratch, applause, riser,
]
