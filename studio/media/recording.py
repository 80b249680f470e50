"""The crash-safe recording container a take is streamed to while the camera runs, and reading it
back to finalise it.

Matroska survives a kill: the muxer keeps the open cluster in memory, so clusters are closed every
200 ms and each is flushed to the file at once (`flush_packets`): a killed process leaves a file
that plays up to ~0.2 s before the kill (no index, which players and the reader here do not need).
Video is H.264 (ultrafast, zerolatency: no lookahead, so each frame is on disk right after it is
encoded), audio plain 16-bit PCM, timestamps in milliseconds. What a take *means* (segments,
speed, the lock a live process holds) is studio.capture's business, not this file's.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from studio.media.errors import MediaError, MediaWriteError, av_reason

TIME_BASE = Fraction(1, 1000)
CHANNELS = 2


class RecordingWriter:
    """Streams pictures and sound to `path` as they arrive. Not thread-safe: one thread calls it.
    Raises MediaWriteError (its `reason` the system's words) when the file cannot be written."""

    def __init__(self, path: str | Path, size: tuple[int, int], *, fps: float = 30.0,
                 audio_rate: int | None = None):
        self.path = Path(path)
        w, h = size
        self.size = (w - w % 2, h - h % 2)  # yuv420p needs even sizes
        try:
            self._container = av.open(str(self.path), "w", format="matroska",
                                      options={"flush_packets": "1", "cluster_time_limit": "200"})
        except (OSError, av.error.FFmpegError) as exc:
            raise MediaWriteError(self.path, f"cannot be written ({av_reason(exc)})", reason=av_reason(exc)) from None
        try:
            v = self._container.add_stream("libx264", rate=round(fps), options={
                "preset": "ultrafast", "tune": "zerolatency", "crf": "18"})
            v.width, v.height, v.pix_fmt = self.size[0], self.size[1], "yuv420p"
            v.time_base = TIME_BASE
            v.codec_context.time_base = TIME_BASE
            self._video = v
            self._audio = None
            self._rate = audio_rate
            if audio_rate:
                self._audio = self._container.add_stream("pcm_s16le", rate=audio_rate, layout="stereo")
        except BaseException:
            self.abort()
            raise
        self._last_pts = -1

    def write_video(self, rgb: np.ndarray, seconds: float) -> float:
        """One (h, w, 3) uint8 picture at `seconds`; returns the time it was stamped with (strictly
        after the previous picture's: two frames within one millisecond would collide)."""
        if rgb.shape[1] != self.size[0] or rgb.shape[0] != self.size[1]:
            rgb = rgb[: self.size[1], : self.size[0]]
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        pts = max(int(round(seconds * 1000)), self._last_pts + 1)
        frame.pts, frame.time_base = pts, TIME_BASE
        self._last_pts = pts
        self._mux(self._video, frame)
        return pts / 1000

    def write_audio(self, samples: np.ndarray, position: int) -> None:
        """(n, 2) int16 samples starting at sample `position` of the recording's clock."""
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples.reshape(1, -1), dtype=np.int16),
                                           format="s16", layout="stereo")
        frame.sample_rate = self._rate
        frame.pts, frame.time_base = position, Fraction(1, self._rate)
        self._mux(self._audio, frame)

    def _mux(self, stream, frame) -> None:
        try:
            for packet in stream.encode(frame):
                self._container.mux(packet)
        except av.error.FFmpegError as exc:  # disk full, folder gone: the caller stops the take
            raise MediaWriteError(str(exc), reason=av_reason(exc)) from None

    def close(self) -> None:
        """Flush the encoders and write the Matroska index (a killed process skips this; the file
        still plays, it just has no index)."""
        self._mux(self._video, None)
        if self._audio is not None:
            self._mux(self._audio, None)
        try:
            self._container.close()
        except av.error.FFmpegError as exc:
            raise MediaWriteError(str(exc), reason=av_reason(exc)) from None

    def abort(self) -> None:
        try:
            self._container.close()
        except Exception:  # the recording is being given up; a failing close must not hide why
            pass


class RecordingReader:
    """A recording's pictures and sound in file order, for finalising; a killed recording's torn
    last packet and anything after damage are left out, not fatal."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._container = av.open(str(self.path))
        except av.error.FFmpegError as exc:
            raise MediaError(self.path, f"cannot be read ({av_reason(exc)})", reason=av_reason(exc)) from None
        streams = self._container.streams
        self._video = streams.video[0] if streams.video else None
        self._audio = streams.audio[0] if streams.audio else None
        self.has_video = self._video is not None
        self.has_audio = self._audio is not None
        ctx = self._video.codec_context if self._video is not None else None
        self.size = (ctx.width, ctx.height) if ctx is not None else (0, 0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def items(self):
        """("video", seconds, milliseconds, picture) and ("audio", seconds, None, (n, 2) int16).

        A picture is for `Mp4Writer.write_picture`; milliseconds is its recorded timestamp, the
        key live tracking was stored under."""
        streams = [s for s in (self._video, self._audio) if s is not None]
        try:
            for packet in self._container.demux(*streams):
                try:
                    frames = packet.decode()
                except av.error.FFmpegError:
                    continue  # the torn last packet of a killed recording
                for frame in frames:
                    if frame.pts is None:
                        continue
                    t = float(frame.pts * frame.time_base)
                    if packet.stream.type == "video":
                        yield "video", t, int(frame.pts * frame.time_base * 1000), frame
                    else:
                        yield "audio", t, None, frame.to_ndarray().reshape(-1, CHANNELS)
        except av.error.FFmpegError:
            pass  # truncated file: everything before the damage is used

    def close(self) -> None:
        self._container.close()
