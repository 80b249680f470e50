"""Timelapse decoding: a frame NEAR a source time, cheaply, for clips played many times faster.

A clip at 120x shows one source frame in every 120: decoding every frame in between (what a
frame-accurate reader must do inside a group of pictures) costs the whole source. When the caller
can take any frame within a tolerance of the exact one, `VideoReader.frame_at(t, fmt, tolerance=s)`
answers from a keyframe near t where there is one (decoded alone, one frame's work) and otherwise
seeks to the keyframe before the window and decodes only up to its start. The keyframe look-ups and
lone-keyframe decodes run on a second demuxer/decoder of the same file (`KeyframeProbe`), so the
reader's sequential decoder keeps its place.

`frame_tolerance(speed, fps)` is the rule the compositor uses: none below TIMELAPSE_SPEED (the
exact frame, as always), half a timeline frame's worth of source above it, so the windows of
consecutive timeline frames tile the source without overlapping.
"""
from __future__ import annotations

from fractions import Fraction

import av

TIMELAPSE_SPEED = 8  # from this speed on a clip shows "a frame near t" (at 8x a timeline frame skips 7)


def frame_tolerance(speed: Fraction | float, fps: Fraction | float) -> float:
    """Seconds of source a clip at ``speed`` may show off its exact frame, in a project at ``fps``:
    0 below TIMELAPSE_SPEED, else half the source time one timeline frame covers (speed / fps / 2)."""
    speed = Fraction(speed).limit_denominator(10**6)
    if speed < TIMELAPSE_SPEED:
        return 0.0
    return float(speed / Fraction(fps).limit_denominator(10**6) / 2)


class KeyframeProbe:
    """Keyframe look-ups and lone-keyframe decodes on a second opening of a video file.

    `keyframe_at_or_before(t)` seeks this demuxer (not the reader's) and reads one packet: no
    decoding. `decode(packet)` decodes that keyframe alone (sent, then the decoder drained and
    reset), so it costs one frame however long the group of pictures is."""

    def __init__(self, path, stream_index: int):
        self._container = av.open(str(path))
        self._stream = self._container.streams[stream_index]
        self._stream.thread_type = "SLICE"  # one frame at a time: frame threads would only add latency
        self._tb = self._stream.time_base
        self.decoded = 0  # packets handed to this decoder

    def keyframe_at_or_before(self, time: float) -> tuple[float, object] | None:
        """(time, packet) of the keyframe at or before container time ``time``; None when the demuxer
        cannot say (no index, a seek that fails or lands on something that is not a keyframe)."""
        try:
            self._container.seek(int(Fraction(time).limit_denominator(10**9) / self._tb), backward=True,
                                 any_frame=False, stream=self._stream)
            for packet in self._container.demux(self._stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                if not packet.is_keyframe:
                    return None
                return float(packet.pts * self._tb), packet
        except av.error.FFmpegError:
            return None
        return None

    def decode(self, packet):
        """The frame of keyframe ``packet`` (from keyframe_at_or_before), or None if it will not decode."""
        ctx = self._stream.codec_context
        self.decoded += 1
        try:
            frames = list(self._stream.decode(packet)) + list(self._stream.decode(None))
        except av.error.FFmpegError:
            frames = []
        finally:
            ctx.flush_buffers()  # out of the drained state, ready for the next keyframe
        good = [f for f in frames if not f.is_corrupt and f.pts is not None]
        return good[0] if good else None

    def frame_time(self, frame) -> float:
        return float(frame.pts * self._tb)

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None


__all__ = ["KeyframeProbe", "TIMELAPSE_SPEED", "frame_tolerance"]
