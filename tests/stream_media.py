"""Clips with pictures and sound for the live tests: `write_av_clip` (any pictures and a mono sound),
and a live stream's safety recording as the live encode writes it (`make_stream_recording`: H.264
without B-frames and AAC in crash-safe Matroska; every picture a grey level 2 * its index, the sound
a 440 Hz tone). A plain module (imported by name, as numbered_media is)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def write_av_clip(path: Path, picture, frames: int, sound: np.ndarray, *, fps: int = 30, fmt: str | None = None,
                  options: dict | None = None) -> Path:
    """`frames` pictures (`picture(k)` -> (h, w, 3) uint8) and `sound` (mono float32 at 48 kHz, put on
    both channels) in one file: MP4 by default, `fmt="matroska"` with `options` for a recording."""
    first = picture(0)
    h, w = first.shape[:2]
    with av.open(str(path), "w", format=fmt, options=options or {}) as c:
        v = c.add_stream("libx264", rate=fps, options={"preset": "veryfast", "tune": "zerolatency", "g": str(2 * fps),
                                                       "crf": "16"})
        v.width, v.height, v.pix_fmt = w, h, "yuv420p"
        a = c.add_stream("aac", rate=48000, layout="stereo")
        for k in range(frames):
            f = av.VideoFrame.from_ndarray(first if k == 0 else picture(k), format="rgb24")
            f.pts, f.time_base = k, Fraction(1, fps)
            for p in v.encode(f):
                c.mux(p)
        sound = np.asarray(sound, np.float32)
        for k in range(0, len(sound) - 1024, 1024):
            f = av.AudioFrame.from_ndarray(np.stack([sound[k:k + 1024]] * 2), format="fltp", layout="stereo")
            f.sample_rate, f.pts = 48000, k
            for p in a.encode(f):
                c.mux(p)
        for s in (v, a):
            for p in s.encode(None):
                c.mux(p)
    return Path(path)


def tone(seconds: float, hz: float = 440, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * 48000)) / 48000
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def make_stream_recording(path: Path, frames: int = 90, size=(320, 240), fps: int = 30) -> Path:
    w, h = size
    return write_av_clip(path, lambda i: np.full((h, w, 3), (i * 2) % 256, np.uint8), frames, tone(frames / fps),
                         fps=fps, fmt="matroska", options={"flush_packets": "1", "cluster_time_limit": "200"})
