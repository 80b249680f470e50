"""Pitch-kept tempo change of sound that arrives block by block (FFmpeg's atempo), for a take
finalised at another speed; `audio.change_speed` does the same to a whole array at once.

`keeps_sound(speed)` says in which range a sped-up or slowed clip keeps its sound (pitch kept):
0.25x to 4x, at most two atempo stages either way. Faster than 4x, speech runs at 15-25 syllables a
second and is no longer understood (and at timelapse speeds, 60-200x, it is a buzz); slower than
0.25x, atempo repeats each grain of sound four times and more, heard as a metallic stutter. Outside
the range the clip is muted: the short's music (a sound item) carries it. A muted clip's audio is
never decoded, so a 200x clip of 15 s does not read 50 minutes of sound to make silence.
"""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np

CHANNELS = 2
MIN_SOUND_SPEED = Fraction(1, 4)
MAX_SOUND_SPEED = Fraction(4)


def keeps_sound(speed: Fraction | float) -> bool:
    """Whether a clip at ``speed`` is heard (tempo-changed, pitch kept) or muted."""
    speed = Fraction(speed).limit_denominator(10**6)
    return MIN_SOUND_SPEED <= speed <= MAX_SOUND_SPEED


class TempoStream:
    """Push (n, 2) int16 blocks, get the tempo-changed samples back as they come out of the filter
    (the filter holds a little back: `finish` hands over the rest)."""

    def __init__(self, speed: float, rate: int = 48000):
        self.rate = rate
        graph = av.filter.Graph()
        src = graph.add_abuffer(format="s16", sample_rate=rate, layout="stereo", time_base=Fraction(1, rate))
        tempo = graph.add("atempo", f"{speed}")
        sink = graph.add("abuffersink")
        src.link_to(tempo)
        tempo.link_to(sink)
        graph.configure()
        self._graph = graph
        self._pts = 0

    def push(self, block: np.ndarray) -> list[np.ndarray]:
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block, dtype=np.int16).reshape(1, -1),
                                           format="s16", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = self.rate, self._pts, Fraction(1, self.rate)
        self._pts += len(block)
        self._graph.push(frame)
        return self._pull()

    def finish(self) -> list[np.ndarray]:
        self._graph.push(None)
        return self._pull()

    def _pull(self) -> list[np.ndarray]:
        out = []
        while True:
            try:
                frame = self._graph.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return out
            out.append(frame.to_ndarray().reshape(-1, CHANNELS))
