"""A clip's frames at the tracking working size, decoded in order for the tracking cache."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from studio.tracking.tracker import working_size


class SourceFrames:
    """Sequential PyAV decode at the working size, seeking only when asked to go back or far ahead."""

    def __init__(self, path: Path, long_side: int):
        import av

        self._av = av
        self.path = path
        self.long_side = long_side
        self._container = None
        self._iter = None
        self._next = 0  # index of the frame the iterator yields next (approximately)
        with av.open(str(path)) as c:
            s = c.streams.video[0]
            rate = s.average_rate or s.guessed_rate or Fraction(30)
            self.fps = Fraction(rate)
            w, h = s.codec_context.width, s.codec_context.height
            frame = next(c.decode(s), None)
            rot = (frame.rotation if frame is not None else 0) % 180
            self.size = (h, w) if rot == 90 else (w, h)
            dur = float(s.duration * s.time_base) if s.duration else (float(c.duration) / 1e6 if c.duration else 0)
            self.frame_count = s.frames or int(round(dur * float(self.fps)))
            if not self.frame_count and (c.format.name.startswith("image2") or c.format.name.endswith("_pipe")):
                self.frame_count = 1  # a still image: no duration, one frame

    def index_at(self, t: float) -> int:
        # clamped to the last frame: a still image is one frame whatever time is asked for
        index = max(0, int(round(t * float(self.fps))))
        return min(index, self.frame_count - 1) if self.frame_count > 0 else index

    def _open_at(self, k: int) -> None:
        self.close()
        self._container = self._av.open(str(self.path))
        s = self._container.streams.video[0]
        s.thread_type = "AUTO"
        if k > 0:
            ts = int((Fraction(k) / self.fps) / s.time_base)
            self._container.seek(ts, stream=s, backward=True, any_frame=False)
        self._stream = s
        self._iter = self._container.decode(s)
        self._next = -1  # unknown until the first frame tells us

    def frames(self, first: int, last: int):
        """Yield (index, rgb at working size) for indices first..last that exist."""
        if self._iter is None or self._next < 0 or first < self._next or first > self._next + 90:
            self._open_at(first)
        ws = working_size(self.size, self.long_side)
        for frame in self._iter:
            k = int(round(float(frame.pts * self._stream.time_base) * float(self.fps))) if frame.pts is not None \
                else max(self._next, 0)
            self._next = k + 1
            if k < first:
                continue
            rot = frame.rotation % 360
            if rot:
                rgb = frame.to_ndarray(format="rgb24")
                rgb = np.ascontiguousarray(np.rot90(rgb, k=rot // 90))
                rgb = cv2.resize(rgb, ws, interpolation=cv2.INTER_AREA)
            else:
                rgb = frame.to_ndarray(format="rgb24", width=ws[0], height=ws[1])
            yield k, rgb
            if k >= last:
                return
        self.close()

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
        self._container = self._iter = None
