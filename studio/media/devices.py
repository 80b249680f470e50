"""Sound devices through PyAV's libavdevice (PulseAudio or ALSA): no system dependency beyond the
PyAV wheel. Input is read as (n, 2) int16 blocks at a fixed rate, output written the same way.
Which device to try, and what a missing one means for a take, is studio.capture's business."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np

from studio.media.errors import MediaError, av_reason

CHANNELS = 2


def device_formats() -> frozenset[str]:
    """The device formats this PyAV build has ("alsa", "pulse", ...)."""
    return frozenset(av.formats_available)


class AudioInput:
    """An open input device; iterate `blocks()` in a reading thread, `close()` from any thread."""

    def __init__(self, fmt: str, device: str, *, rate: int = 48000):
        self.name = f"{fmt}:{device}"
        try:
            self._container = av.open(device, format=fmt, options={"sample_rate": str(rate),
                                                                    "channels": str(CHANNELS)})
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(self.name, f"cannot be opened ({av_reason(exc)})", reason=av_reason(exc)) from None
        if not self._container.streams.audio:
            self._container.close()
            raise MediaError(self.name, "no audio stream")
        self._resampler = av.AudioResampler(format="s16", layout="stereo", rate=rate)

    def blocks(self):
        """Per block the device delivers: its samples as a list of (n, 2) int16 arrays. Raises
        MediaError when the device stops (unplugged)."""
        try:
            for frame in self._container.decode(audio=0):
                yield [out.to_ndarray().reshape(-1, CHANNELS) for out in self._resampler.resample(frame)]
        except av.error.FFmpegError as exc:
            raise MediaError(self.name, f"stopped ({av_reason(exc)})", reason=av_reason(exc)) from None

    def close(self) -> None:
        try:
            self._container.close()
        except Exception:  # closing a device that already went away
            pass


class AudioOutput:
    """An open output device (the device itself opens with the first samples written)."""

    def __init__(self, fmt: str, device: str, *, rate: int = 48000):
        self.name = f"{fmt}:{device}"
        self.rate = rate
        self._pts = 0
        try:
            self._container = av.open(device, "w", format=fmt)
            self._stream = self._container.add_stream("pcm_s16le", rate=rate, layout="stereo")
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(self.name, f"cannot be opened ({av_reason(exc)})", reason=av_reason(exc)) from None

    def write(self, pcm: np.ndarray) -> None:
        """(n, 2) int16 samples; blocks while the device's buffer is full."""
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm, dtype="<i2").reshape(1, -1),
                                           format="s16", layout="stereo")
        frame.sample_rate = self.rate
        frame.pts, frame.time_base = self._pts, Fraction(1, self.rate)
        self._pts += len(pcm)
        try:
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        except av.error.FFmpegError as exc:
            raise MediaError(self.name, f"stopped ({av_reason(exc)})", reason=av_reason(exc)) from None

    def close(self) -> None:
        self._container.close()


class ScreenInput:
    """The X11 screen through FFmpeg's x11grab (`display` like ":0" or ":0.0+100,200"). Iterate
    `pictures(size)` in a reading thread; closing is the reading thread's job (closing under a
    running decode is unsafe)."""

    def __init__(self, display: str, *, fps: int = 30):
        self.name = f"screen {display}"
        try:
            self._container = av.open(display, format="x11grab", options={"framerate": str(fps), "draw_mouse": "1"})
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(self.name, f"cannot open the X display ({av_reason(exc)})", reason=av_reason(exc)) from None
        ctx = self._container.streams.video[0].codec_context
        self.size = (ctx.width, ctx.height)

    def pictures(self, size: tuple[int, int]):
        """(h, w, 3) uint8 RGB pictures scaled to `size`; MediaError when the display goes away."""
        try:
            for frame in self._container.decode(video=0):
                yield frame.to_ndarray(format="rgb24", width=size[0], height=size[1], threads=1)
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(self.name, f"failed ({av_reason(exc)})", reason=av_reason(exc)) from None

    def close(self) -> None:
        try:
            self._container.close()
        except Exception:  # closing a display that already went away
            pass
