"""Pictures and sound to stream in tests/live, fed at real-time pace, and readers for what the
server (FLV) and the safety recording (Matroska) got."""
from __future__ import annotations

import time

import av
import numpy as np

RATE = 48000
BG = (60, 60, 60)
SQUARE = (230, 30, 30)


def square_x(i: int, w: int, side: int) -> int:
    return (16 + 8 * i) % (w - side)


def picture(i: int, size: tuple[int, int], *, flash: bool = False) -> np.ndarray:
    """Grey with a red square moving 8 px right per frame; all white when `flash`."""
    w, h = size
    img = np.empty((h, w, 3), np.uint8)
    if flash:
        img[:] = 255
        return img
    img[:] = BG
    side = max(16, w // 10)
    x, y = square_x(i, w, side), h // 3
    img[y:y + side, x:x + side] = SQUARE
    return img


def stream(out, *, size, fps: int, frames: int, flash_at: int | None = None, clock=time.monotonic,
           after_frame=None) -> float:
    """Send `frames` pictures and matching sound (silence, a 1 kHz beep starting exactly with the
    flash frame) at real-time pace; returns the capture time of frame 0."""
    t0 = clock()
    per_frame = RATE // fps
    for i in range(frames):
        t = t0 + i / fps
        while (d := t - clock()) > 0:
            time.sleep(min(d, 0.005))
        out.send_video(picture(i, size, flash=(i == flash_at)), t)
        sound = np.zeros((per_frame, 2), np.float32)
        if flash_at is not None and flash_at <= i < flash_at + 3:
            n = np.arange(per_frame) + (i - flash_at) * per_frame
            sound[:] = (0.5 * np.sin(2 * np.pi * 1000 * n / RATE))[:, None]
        out.send_audio(sound, t)
        if after_frame is not None:
            after_frame(i)
    return t0


def video_packets(path) -> list[tuple[float, bool]]:
    """(seconds, keyframe) of each video packet, in file order."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        return [(float(p.pts * p.time_base), p.is_keyframe) for p in c.demux(s) if p.pts is not None]


def video_frames(path) -> list[tuple[float, np.ndarray]]:
    with av.open(str(path)) as c:
        return [(float(f.pts * f.time_base), f.to_ndarray(format="rgb24")) for f in c.decode(video=0)]


def audio_samples(path) -> tuple[float, np.ndarray]:
    """(time of the first decoded sample, (n,) mono float samples)."""
    with av.open(str(path)) as c:
        first, chunks = None, []
        for f in c.decode(audio=0):
            if first is None:
                first = float(f.pts * f.time_base)
            chunks.append(f.to_ndarray().mean(axis=0))
    return first, np.concatenate(chunks)
