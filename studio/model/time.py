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
    # floats like 29.97 come from people, not from arithmetic: take the nearest small fraction, and
    # read the NTSC rates (23.976, 29.97, 59.94...) as the n*1000/1001 they always mean in video
    if isinstance(value, float) and value >= 10 and value != int(value):
        ntsc = Fraction(round(value * Fraction(1001, 1000)) * 1000, 1001)
        if abs(ntsc - Fraction(value)) < Fraction(1, 1000):
            return ntsc
    return Fraction(value).limit_denominator(1001)


def frames_to_seconds(frames: int, fps: Fraction) -> Fraction:
    return Fraction(frames) / fps


def seconds_to_frames(seconds: float | Fraction, fps: Fraction) -> int:
    """Nearest frame to a time in seconds (half-up, exact for Fractions)."""
    exact = Fraction(seconds) * fps if not isinstance(seconds, float) else Fraction(str(seconds)) * fps
    return int((exact + Fraction(1, 2)).__floor__())


def timecode(frames: int, fps: Fraction) -> str:
    """mm:ss.ff for display (whole-second frame count, i.e. non-drop-frame at 29.97)."""
    fps_i = max(1, round(fps))
    sign = "-" if frames < 0 else ""
    sec, ff = divmod(abs(frames), fps_i)
    m, s = divmod(sec, 60)
    return f"{sign}{m:02d}:{s:02d}.{ff:02d}"
