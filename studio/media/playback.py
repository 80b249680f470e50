"""A video file walked once in file order with its timestamps: the file camera plays it at real-time
pace. Pictures and sound are converted only when asked for, so frames a player skips (behind real
time) cost no colour conversion."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from studio.media.errors import MediaError, av_reason, describe_av_error

CHANNELS = 2


@dataclass(frozen=True)
class PlaybackInfo:
    fps: float  # average rate (else the guessed one, else 30)
    size: tuple[int, int]  # coded width, height
    has_audio: bool


def playback_info(path: str | Path) -> PlaybackInfo:
    """Raises MediaError when the file has no video stream or cannot be read as media."""
    path = Path(path)
    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                raise MediaError(path, "the file has no video stream")
            s = c.streams.video[0]
            rate = s.average_rate or s.guessed_rate or 30
            return PlaybackInfo(float(rate), (s.codec_context.width, s.codec_context.height), bool(c.streams.audio))
    except av.error.FFmpegError as exc:
        raise MediaError(path, f"not a video file ({av_reason(exc)})", reason=av_reason(exc)) from None


class TimedFrame:
    """One decoded picture or block of sound, at `time` seconds of the file."""

    __slots__ = ("is_video", "time", "_frame", "_resampler")

    def __init__(self, is_video: bool, time: float, frame, resampler):
        self.is_video, self.time, self._frame, self._resampler = is_video, time, frame, resampler

    def rgb(self, size: tuple[int, int] | None = None) -> np.ndarray:
        """The picture as (h, w, 3) uint8, scaled to `size` (w, h) when given."""
        if size is None:
            return self._frame.to_ndarray(format="rgb24", threads=1)  # no per-call swscale threads (decode.py)
        return self._frame.to_ndarray(format="rgb24", width=size[0], height=size[1], threads=1)

    def pcm(self) -> list[np.ndarray]:
        """The sound as (n, 2) int16 blocks at the playback's rate. Call it for every block that is
        played, in order: the resampler carries state from one block to the next."""
        return [out.to_ndarray().reshape(-1, CHANNELS) for out in self._resampler.resample(self._frame)]


class Playback:
    """One pass through `path`: iterate for TimedFrames (untimed frames left out); a context
    manager, so a player that stops early closes the file at once."""

    def __init__(self, path: str | Path, *, audio: bool = False, rate: int = 48000, low_delay: bool = False):
        """`low_delay`: each picture comes out as soon as its packet is read (slice threads only).
        Frame threading holds a picture back until the next few packets are in, and with the sound
        paced in between, a file played as a camera delivered every picture ~2 frames late."""
        self.path = Path(path)
        self._low_delay = low_delay
        self._resampler = av.AudioResampler(format="s16", layout="stereo", rate=rate) if audio else None
        try:
            self._container = av.open(str(self.path))
        except av.error.FFmpegError as exc:  # the file went away or changed since playback_info
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        c = self._container
        video = c.streams.video[0]
        streams = [video] + ([c.streams.audio[0]] if self._resampler is not None else [])
        video.thread_type = "SLICE" if self._low_delay else "AUTO"
        try:
            for packet in c.demux(*streams):
                is_video = packet.stream.type == "video"
                for frame in packet.decode():
                    if frame.time is None:
                        continue
                    yield TimedFrame(is_video, frame.time, frame, self._resampler)
        except av.error.FFmpegError as exc:  # damage mid-file ends the pass, as an unplugged camera
            raise MediaError(self.path, describe_av_error(exc), reason=av_reason(exc)) from None

    def close(self) -> None:
        self._container.close()
