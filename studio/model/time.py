"""Exact time: integer frames at the project rate, converted with Fractions, never accumulating floats."""
from __future__ import annotations

from fractions import Fraction

DEFAULT_FPS = Fraction(30)


def as_fraction(value: float | int | str | Fraction) -> Fraction:
    """Parse a rate or speed given as 30, 29.97, "30000/1001" or a Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        return Fraction(value)
    # floats like 29.97 come from people, not from arithmetic: take the nearest small fraction
    return Fraction(value).limit_denominator(1001)


def frames_to_seconds(frames: int, fps: Fraction) -> Fraction:
    return Fraction(frames) / fps


def seconds_to_frames(seconds: float | Fraction, fps: Fraction) -> int:
    """Nearest frame to a time in seconds (half-up, exact for Fractions)."""
    exact = Fraction(seconds) * fps if not isinstance(seconds, float) else Fraction(str(seconds)) * fps
    return int((exact + Fraction(1, 2)).__floor__())


def timecode(frames: int, fps: Fraction) -> str:
    """mm:ss.ff for display."""
    fps_i = round(fps)
    sec, ff = divmod(frames, fps_i)
    m, s = divmod(sec, 60)
    return f"{m:02d}:{s:02d}.{ff:02d}"
