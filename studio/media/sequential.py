"""A video's frames by index, decoded in order and scaled on the way out: the tracker walks a clip
this way (`decode.VideoReader` is the random-access reader the preview and export use). Also the
looping reader a background-video effect plays."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from studio.media.decode import SWS_THREADS
from studio.media.errors import MediaError, av_reason, describe_av_error


class IndexedFrames:
    """Sequential decode, seeking only when asked to go back or far ahead. `size` is the display
    size (rotation metadata applied); frame k is the one at k / fps."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._container = None
        self._iter = None
        self._next = 0  # index of the frame the iterator yields next (approximately)
        try:
            with av.open(str(self.path)) as c:
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
        except av.error.FFmpegError as exc:
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None

    @property
    def positioned(self) -> bool:
        """False before the first frame and once the decoder ran off the end of the clip."""
        return self._iter is not None

    def index_at(self, t: float) -> int:
        # clamped to the last frame: a still image is one frame whatever time is asked for
        index = max(0, int(round(t * float(self.fps))))
        return min(index, self.frame_count - 1) if self.frame_count > 0 else index

    def _open_at(self, k: int) -> None:
        self.close()
        self._container = av.open(str(self.path))
        s = self._container.streams.video[0]
        s.thread_type = "AUTO"
        if k > 0:
            ts = int((Fraction(k) / self.fps) / s.time_base)
            self._container.seek(ts, stream=s, backward=True, any_frame=False)
        self._stream = s
        self._iter = self._container.decode(s)
        self._next = -1  # unknown until the first frame tells us

    def frames(self, first: int, last: int, size: tuple[int, int]):
        """Yield (index, (h, w, 3) uint8 RGB upright at `size` (w, h)) for indices first..last that exist."""
        try:
            yield from self._frames(first, last, size)
        except av.error.FFmpegError as exc:
            self.close()
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None

    def _frames(self, first: int, last: int, size: tuple[int, int]):
        if self._iter is None or self._next < 0 or first < self._next or first > self._next + 90:
            self._open_at(first)
        for frame in self._iter:
            k = int(round(float(frame.pts * self._stream.time_base) * float(self.fps))) if frame.pts is not None \
                else max(self._next, 0)
            self._next = k + 1
            if k < first:
                continue
            rot = frame.rotation % 360
            if rot:
                rgb = frame.to_ndarray(format="rgb24", threads=SWS_THREADS)
                rgb = np.ascontiguousarray(np.rot90(rgb, k=rot // 90))
                rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            else:
                rgb = frame.to_ndarray(format="rgb24", width=size[0], height=size[1], threads=SWS_THREADS)
            yield k, rgb
            if k >= last:
                return
        self.close()

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
        self._container = self._iter = None


class LoopingVideo:
    """A video played round and round at its own size: `frame_at(t)` for any t >= 0 decodes
    forward and reopens the file only when time goes back (the loop's wrap)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            with av.open(str(self.path)) as c:
                s = c.streams.video[0]
                self.duration = float(s.duration * s.time_base) if s.duration else float(c.duration or 0) / 1e6
        except av.error.FFmpegError as exc:
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None
        self._c = self._it = None
        self._last: tuple[float, np.ndarray] | None = None

    def frame_at(self, t: float) -> np.ndarray:
        """(h, w, 3) uint8 RGB on screen at `t` seconds, wrapped into the video's length."""
        t = t % self.duration if self.duration > 0 else 0.0
        if self._it is None or self._last is None or t < self._last[0]:
            self.close()
            self._c = av.open(str(self.path))
            st = self._c.streams.video[0]
            self._tb = st.time_base
            self._it = self._c.decode(st)
            self._last = None
        try:
            for f in self._it:
                ft = float(f.pts * self._tb) if f.pts is not None else 0.0
                cur = (ft, f.to_ndarray(format="rgb24", threads=SWS_THREADS))
                if self._last is None or ft <= t + 1e-6:
                    self._last = cur
                if ft >= t - 1e-6:
                    break
            else:
                self._it = None  # ran off the end: next call restarts
        except av.error.FFmpegError as exc:
            self._it = None
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None
        return self._last[1]

    def close(self) -> None:
        if self._c is not None:
            self._c.close()
        self._c = None
