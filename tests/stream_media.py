"""A live stream's safety recording as the live encode writes it: H.264 without B-frames and AAC
in crash-safe Matroska; every picture a grey level 2 * its index, the sound a 440 Hz tone. A plain
module (imported by name, as numbered_media is)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def make_stream_recording(path: Path, frames: int = 90, size=(320, 240), fps: int = 30) -> Path:
    w, h = size
    c = av.open(str(path), "w", format="matroska", options={"flush_packets": "1", "cluster_time_limit": "200"})
    v = c.add_stream("libx264", rate=fps, options={"preset": "veryfast", "tune": "zerolatency", "g": str(2 * fps)})
    v.width, v.height, v.pix_fmt = w, h, "yuv420p"
    a = c.add_stream("aac", rate=48000, layout="stereo")
    for i in range(frames):
        f = av.VideoFrame.from_ndarray(np.full((h, w, 3), (i * 2) % 256, np.uint8), format="rgb24")
        f.pts, f.time_base = i, Fraction(1, fps)
        for p in v.encode(f):
            c.mux(p)
    t = np.arange(frames * 48000 // fps) / 48000
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    for k in range(0, len(tone) - 1024, 1024):
        f = av.AudioFrame.from_ndarray(np.stack([tone[k:k + 1024]] * 2), format="fltp", layout="stereo")
        f.sample_rate, f.pts = 48000, k
        for p in a.encode(f):
            c.mux(p)
    for s in (v, a):
        for p in s.encode(None):
            c.mux(p)
    c.close()
    return Path(path)
