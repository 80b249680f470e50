"""Media makers shared by the media tests (a plain module: every test folder has its own conftest,
so importing helpers from "conftest" would pick whichever one pytest loaded first)."""
from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SHARED_MEDIA = Path(__file__).resolve().parents[2].parent / "shared" / "media"


def gray_level(i: int) -> int:
    """Distinct gray level of frame i for i < 64 (3.5 apart; crf 8 keeps solid frames within +-1)."""
    return 16 + int(i * 3.5) % 224


def solid(w: int, h: int, rgb) -> np.ndarray:
    a = np.empty((h, w, 3), np.uint8)
    a[:] = rgb
    return a


def write_video(path: Path, frames, *, fps=30, pts_s=None, codec="libx264", pix_fmt="yuv420p",
                rotation: int = 0, audio_hz: float | None = None, audio_rate=48000, audio_layout="stereo",
                options=None, container_options=None) -> Path:
    """Encode ``frames`` (list of HxWx3 uint8 RGB); ``pts_s`` gives per-frame seconds for VFR files."""
    frames = list(frames)
    h, w = frames[0].shape[:2]
    tb = Fraction(1, 1000) if pts_s is not None else Fraction(1, fps)
    with av.open(str(path), "w", options=container_options or {}) as out:
        vs = out.add_stream(codec, rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, pix_fmt
        vs.codec_context.time_base = tb
        vs.options = {"crf": "8", **(options or {})} if codec in ("libx264", "libx265") else dict(options or {})
        if codec == "libx265":
            vs.options = {**vs.options, "x265-params": "log-level=error"}
        if rotation:
            vs.set_display_rotation(rotation)
        astream = None
        if audio_hz is not None:
            astream = out.add_stream("aac", rate=audio_rate, layout=audio_layout)
        for i, img in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = int(round(pts_s[i] / tb)) if pts_s is not None else i
            frame.time_base = tb
            for pkt in vs.encode(frame):
                out.mux(pkt)
        for pkt in vs.encode():
            out.mux(pkt)
        if astream is not None:
            seconds = (pts_s[-1] + 1 / fps) if pts_s is not None else len(frames) / fps
            channels = 2 if audio_layout == "stereo" else 1
            _encode_sine(out, astream, audio_hz, audio_rate, seconds, channels)
    return path


def _encode_sine(out, stream, hz, rate, seconds, channels):
    n = int(rate * seconds)
    t = np.arange(n) / rate
    sig = (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    data = np.tile(sig, (channels, 1))
    step = 1024
    for start in range(0, n, step):
        chunk = np.ascontiguousarray(data[:, start:start + step])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo" if channels == 2 else "mono")
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for pkt in stream.encode(frame):
            out.mux(pkt)
    for pkt in stream.encode():
        out.mux(pkt)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write mono/stereo float samples (n,) or (n, ch) as 16-bit PCM WAV."""
    samples = samples if samples.ndim == 2 else samples[:, None]
    layout = "stereo" if samples.shape[1] == 2 else "mono"
    pcm = np.clip(samples * 32767, -32768, 32767).astype(np.int16)
    with av.open(str(path), "w") as out:
        st = out.add_stream("pcm_s16le", rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate, frame.pts = rate, 0
        for pkt in st.encode(frame):
            out.mux(pkt)
        for pkt in st.encode():
            out.mux(pkt)
    return path


def ffmpeg(*args: str) -> None:
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", *args],
                   check=True, capture_output=True, timeout=60)


