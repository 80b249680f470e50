"""Loudness normalisation, encoding and measurement of the finished sounds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pyloudnorm

from . import dsp
from .dsp import SR

TARGET_LUFS = -16.0
# Pre-encode ceiling; lossy coding can overshoot a few tenths of a dB, and the
# published promise is peaks <= -1 dBFS after decoding.
CEILING_DB = -2.0
# What the decoded file must meet, with a little margin below the promised
# -1 dBFS so a different decoder build does not tip it over.
DECODED_PEAK_DB = -1.3
BITRATE = 96000


def _measurable(x: np.ndarray) -> np.ndarray:
    """pyloudnorm needs at least one 400 ms block; pad short sounds with silence."""
    need = int(0.41 * SR)
    if x.shape[-1] >= need:
        return x
    return np.pad(x, ((0, 0), (0, need - x.shape[-1])))


def loudness(x: np.ndarray) -> float:
    return float(pyloudnorm.Meter(SR).integrated_loudness(_measurable(x).T))


def normalise(x: np.ndarray, loop: bool, ceiling_db: float = CEILING_DB) -> np.ndarray:
    """Gain to TARGET_LUFS then peak-limit to `ceiling_db`; limiting lowers the
    loudness a little, so iterate until both hold."""
    y = x
    for _ in range(8):
        gain_db = TARGET_LUFS - loudness(y)
        if abs(gain_db) < 0.03:
            break
        y = dsp.limiter(y * 10 ** (gain_db / 20.0), ceiling_db, wrap=loop)
    return y


def codec_choice() -> tuple[str, str, str]:
    """(codec, container format, file extension)."""
    if "libopus" in av.codecs_available:
        return "libopus", "ogg", ".ogg"
    return "aac", "ipod", ".m4a"


def encode(x: np.ndarray, path: Path) -> None:
    codec, fmt, _ = codec_choice()
    pcm = np.ascontiguousarray(x.T.astype(np.float32)).reshape(1, -1)
    # bitexact: no random Ogg serial numbers or version tags, so regenerating
    # gives byte-identical files and clean diffs.
    with av.open(str(path), "w", format=fmt, options={"fflags": "+bitexact"}) as out:
        stream = out.add_stream(codec, rate=SR, layout="stereo")
        stream.bit_rate = BITRATE
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame = av.AudioFrame.from_ndarray(pcm, format="flt", layout="stereo")
        frame.sample_rate = SR
        frame.pts = 0
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def decode(path: Path) -> np.ndarray:
    """Decode to float (2, n) at SR."""
    chunks = []
    with av.open(str(path)) as f:
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SR)
        for frame in f.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    return np.concatenate(chunks, axis=1).astype(np.float64)


@dataclass(frozen=True)
class Measured:
    duration: float
    lufs: float
    peak_db: float


def measure(path: Path) -> Measured:
    y = decode(path)
    peak = float(np.max(np.abs(y)))
    return Measured(y.shape[1] / SR, loudness(y), 20 * np.log10(max(peak, 1e-12)))
