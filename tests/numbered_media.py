"""Numbered test clips: every frame shows its own number as a 3 x 4 grid of black/white cells (12
bits, most significant first, left to right and top to bottom), so a decoded or exported frame tells
which source frame it is, even after scaling. A plain module (imported by name from tests/media
and tests/cli, as media_files is)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

COLS, ROWS = 3, 4
BITS = COLS * ROWS  # numbers 0..4095


def numbered_picture(n: int, w: int, h: int) -> np.ndarray:
    img = np.zeros((h, w, 3), np.uint8)
    for bit in range(BITS):
        if n >> (BITS - 1 - bit) & 1:
            r, c = divmod(bit, COLS)
            img[r * h // ROWS:(r + 1) * h // ROWS, c * w // COLS:(c + 1) * w // COLS] = 255
    return img


def read_number(rgb: np.ndarray) -> int:
    """The number a (possibly scaled) numbered frame shows: the mean of the middle of each cell."""
    h, w = rgb.shape[:2]
    grey = rgb.mean(axis=2) if rgb.ndim == 3 else rgb
    n = 0
    for bit in range(BITS):
        r, c = divmod(bit, COLS)
        y0, y1 = (4 * r + 1) * h // (4 * ROWS), (4 * r + 3) * h // (4 * ROWS)
        x0, x1 = (4 * c + 1) * w // (4 * COLS), (4 * c + 3) * w // (4 * COLS)
        n = n << 1 | int(grey[y0:y1, x0:x1].mean() > 128)
    return n


def write_numbered(path: Path, frames: int, *, fps: int = 30, size=(144, 256), gop: int = 30,
                   tone_hz: float | None = None, audio_rate: int = 48000, audio_codec: str = "aac") -> Path:
    """`frames` numbered frames (portrait 9:16 by default, so a fill crop keeps every cell), H.264
    with a keyframe exactly every `gop` frames; with `tone_hz` a stereo AAC sine as long as the video."""
    w, h = size
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.codec_context.time_base = Fraction(1, fps)
        vs.options = {"preset": "ultrafast", "crf": "16", "g": str(gop), "keyint_min": str(gop),
                      "sc_threshold": "0"}
        rate = audio_rate
        astream = out.add_stream(audio_codec, rate=rate, layout="stereo") if tone_hz is not None else None
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(numbered_picture(i, w, h), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, fps)
            out.mux(vs.encode(frame))
        out.mux(vs.encode(None))
        if astream is not None:
            total = round(frames * rate / fps)
            for start in range(0, total, 1024):
                t = np.arange(start, min(total, start + 1024)) / rate
                sig = (0.3 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
                chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(np.stack([sig, sig])), format="fltp",
                                                   layout="stereo")
                chunk.sample_rate, chunk.pts, chunk.time_base = rate, start, Fraction(1, rate)
                out.mux(astream.encode(chunk))
            out.mux(astream.encode(None))
    return path
