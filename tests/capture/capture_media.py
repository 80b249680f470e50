"""Numbered test clips: frame k shows k as 10 black/white bars (robust to H.264), so a test can
read back exactly which source frames landed in a take. Optional audio: a 1 kHz beep for the
first 0.1 s of every second, to check that sound stays with the picture."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

BITS = 10
SIZE = (320, 240)
FPS = 30
RATE = 48000


def numbered_frame(k: int, size=SIZE) -> np.ndarray:
    w, h = size
    img = np.zeros((h, w, 3), np.uint8)
    bar = w // BITS
    for b in range(BITS):
        if (k >> b) & 1:
            img[:, b * bar:(b + 1) * bar] = 255
    return img


def make_numbered_clip(path: Path, seconds: float, *, audio: bool = False, size=SIZE, fps: int = FPS) -> Path:
    n = int(round(seconds * fps))
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "18"})
        v.width, v.height, v.pix_fmt = size[0], size[1], "yuv420p"
        a = c.add_stream("aac", rate=RATE, layout="mono") if audio else None
        for k in range(n):
            f = av.VideoFrame.from_ndarray(numbered_frame(k, size), format="rgb24")
            f.pts = k
            f.time_base = Fraction(1, fps)
            for p in v.encode(f):
                c.mux(p)
        for p in v.encode(None):
            c.mux(p)
        if a is not None:
            t = np.arange(int(seconds * RATE)) / RATE
            pcm = np.where((t % 1.0) < 0.1, 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0).astype(np.float32)
            for s in range(0, len(pcm), 1024):
                f = av.AudioFrame.from_ndarray(pcm[None, s:s + 1024], format="flt", layout="mono")
                f.sample_rate, f.pts, f.time_base = RATE, s, Fraction(1, RATE)
                for p in a.encode(f):
                    c.mux(p)
            for p in a.encode(None):
                c.mux(p)
    return path


def read_numbers(path) -> list[int]:
    """The frame number shown in every frame of a video."""
    out = []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            g = f.to_ndarray(format="gray")
            h, w = g.shape
            bar = w // BITS
            bits = [g[h // 4: 3 * h // 4, b * bar + bar // 4: (b + 1) * bar - bar // 4].mean() > 128 for b in range(BITS)]
            out.append(sum(1 << b for b, on in enumerate(bits) if on))
    return out


def video_info(path) -> tuple[int, float, bool]:
    """(frames, duration from the container, has audio)."""
    with av.open(str(path)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    with av.open(str(path)) as c:
        return frames, float(c.duration) / 1e6 if c.duration else 0.0, bool(c.streams.audio)


def beep_onsets(path) -> list[float]:
    """Times (s) where the audio of a take goes from silence to a beep."""
    chunks = []
    with av.open(str(path)) as c:
        for f in c.decode(audio=0):
            arr = f.to_ndarray()
            # first channel, planar (channels, n) or packed (1, n * channels)
            chunks.append(arr[0] if f.format.is_planar else arr[0, ::len(f.layout.channels)])
    pcm = np.concatenate(chunks).astype(np.float32)
    env = np.abs(pcm)
    win = 240  # 5 ms
    loud = np.convolve(env, np.ones(win) / win, mode="same") > 0.05 * max(1e-9, env.max())
    edges = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    return [e / RATE for e in edges]
