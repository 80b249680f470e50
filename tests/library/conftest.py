"""Library tests: every test gets its own user data folder (imported looks and sounds never land in
the real user's), and generated music with a known beat grid for the beat tracker and imports."""
from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("STUDIO_USER_DATA", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
    return folder


# --------------------------------------------------------------------------- generated music

def _env(n: int, rate: int, attack: float, decay: float) -> np.ndarray:
    t = np.arange(n) / rate
    return np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-t / decay)


def _add(out: np.ndarray, start: float, sig: np.ndarray) -> None:
    i = int(round(start))
    lo, hi = max(0, -i), min(len(sig), len(out) - i)
    if hi > lo:
        out[i + lo:i + hi] += sig[lo:hi]


# hits per 4/4 bar, in beats from the bar's start
PATTERNS = {
    "hiphop": dict(kick=[0, 1.75, 2.5], snare=[1, 3], hats=[k / 2 for k in range(8)], bass=[0, 1.75, 2.5]),
    "pop": dict(kick=[0, 2, 2.5], snare=[1, 3], hats=[k / 2 for k in range(8)], bass=[k / 2 for k in range(8)]),
    "house": dict(kick=[0, 1, 2, 3], snare=[1, 3], hats=[0.5, 1.5, 2.5, 3.5], bass=[0.5, 1.5, 2.5, 3.5]),
    "rock": dict(kick=[0, 2], snare=[1, 3], hats=[0, 1, 2, 3], bass=[k / 2 for k in range(8)]),
}


def make_music(bpm: float, seconds: float = 20.0, style: str = "pop", seed: int = 0, rate: int = 44100,
               offset: float = 0.25, swing: float = 0.0, humanise: float = 0.006, noise_db: float = -40.0,
               drums: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(mono float32 samples, true beat times). A band in 4/4 from `offset` seconds on: kick, snare
    and hats in `style`'s pattern, a bass line, a chord pad changing every bar (A F C G), each hit
    `humanise` s off the grid at random with random velocity, off-beat 8ths late by `swing` of a
    half beat, over noise at `noise_db`. Without drums, chord stabs play the beats (louder on 1, 3)."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * rate))
    beat = 60.0 / bpm
    truth = offset + beat * np.arange(int((seconds - offset) / beat) + 1)
    truth = truth[truth < seconds]

    def when(b: float) -> float:
        whole, frac = np.floor(b), b - np.floor(b)
        if abs(frac - 0.5) < 1e-9:
            frac = 0.5 + swing / 2
        return (offset + (whole + frac) * beat + rng.normal(0, humanise)) * rate

    def length(s: float) -> int:
        return int(s * rate)

    def times(m: int) -> np.ndarray:
        return np.arange(m) / rate

    def tone(f: float, m: int, harmonics: int = 4) -> np.ndarray:
        return sum(np.sin(2 * np.pi * f * h * times(m)) / h for h in range(1, harmonics + 1))

    def kick(g: float) -> np.ndarray:
        m = length(0.35)
        f = 45 + 75 * np.exp(-times(m) / 0.04)
        return g * 0.9 * np.sin(2 * np.pi * np.cumsum(f) / rate) * _env(m, rate, 0.002, 0.12)

    def snare(g: float) -> np.ndarray:
        m = length(0.25)
        noise = np.convolve(rng.standard_normal(m), [1, -0.7], "same")
        return g * (0.35 * noise * _env(m, rate, 0.001, 0.07)
                    + 0.3 * np.sin(2 * np.pi * 190 * times(m)) * _env(m, rate, 0.001, 0.05))

    def hat(g: float, open_: bool) -> np.ndarray:
        m = length(0.3 if open_ else 0.06)
        return g * 0.12 * np.diff(rng.standard_normal(m + 1)) * _env(m, rate, 0.0005, 0.12 if open_ else 0.018)

    roots = [110.0, 87.31, 130.81, 98.0]
    p = PATTERNS[style]
    for bar in range(len(truth) // 4 + 2):
        b0, root = bar * 4, roots[bar % 4]
        if drums:
            for k in p["kick"]:
                _add(out, when(b0 + k), kick(rng.uniform(0.85, 1.0)))
            for k in p["snare"]:
                _add(out, when(b0 + k), snare(rng.uniform(0.85, 1.0)))
            for k in p["hats"]:
                _add(out, when(b0 + k), hat(rng.uniform(0.6, 1.0), open_=style == "house"))
        for k in p["bass"]:
            m = length(beat * 0.45)
            _add(out, when(b0 + k), 0.25 * tone(root / 2, m, 3) * _env(m, rate, 0.005, beat * 0.3))
        m = length(beat * 4)
        chord = sum(tone(root * r, m, 3) for r in (2.0, 2.52, 3.0)) / 3
        _add(out, when(b0), 0.12 * chord * _env(m, rate, 0.04, beat * 3))
        if not drums:
            for k in range(4):
                m = length(beat * 0.3)
                _add(out, when(b0 + k), (0.3 if k % 2 == 0 else 0.2) * tone(root * 4, m, 5)
                     * _env(m, rate, 0.002, 0.08))
    out += 10 ** (noise_db / 20) * rng.standard_normal(len(out))
    out *= 0.5 / np.max(np.abs(out))
    return out.astype(np.float32), truth


def write_wav(path: Path, mono: np.ndarray, rate: int = 44100) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(mono, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def write_video(path: Path, mono: np.ndarray | None, seconds: float, rate: int = 48000, fps: int = 30,
                audio_codec: str = "aac") -> Path:
    """A small H.264 video (64x64; MP4, or what the suffix says) with `mono` as its stereo track in
    `audio_codec` ("aac" or "pcm_s16le"; None: no audio track)."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        video.options = {"preset": "ultrafast"}
        audio = out.add_stream(audio_codec, rate=rate, layout="stereo") if mono is not None else None
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), (i * 3) % 256, np.uint8), format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if audio is not None:
            data = np.ascontiguousarray(np.stack([mono, mono]).astype(np.float32))
            for start in range(0, data.shape[1], 1024):
                part = data[:, start:start + 1024]
                if audio_codec == "pcm_s16le":  # packed 16-bit: one plane, channels interleaved
                    chunk = av.AudioFrame.from_ndarray((part.T.reshape(1, -1) * 32767).astype(np.int16),
                                                       format="s16", layout="stereo")
                else:
                    chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(part), format="fltp", layout="stereo")
                chunk.sample_rate, chunk.pts, chunk.time_base = rate, start, Fraction(1, rate)
                out.mux(audio.encode(chunk))
            out.mux(audio.encode(None))
    return path


def beat_hits(detected, truth, tolerance: float = 0.07) -> tuple[float, float]:
    """(share of detected beats within `tolerance` s of a true beat, share of true beats found)."""
    det, true = np.asarray(detected, float), np.asarray(truth, float)
    if not len(det) or not len(true):
        return 0.0, 0.0
    gaps = np.abs(det[:, None] - true[None, :])
    return float((gaps.min(axis=1) <= tolerance).mean()), float((gaps.min(axis=0) <= tolerance).mean())


@pytest.fixture(scope="session")
def music():
    return SimpleNamespace(make=make_music, write_wav=write_wav, write_video=write_video, hits=beat_hits)
