"""Frames by source time, for the preview and the export.

``frame_at(t)`` returns the frame on screen at source time ``t`` seconds, measured
from the first video frame: the last frame whose timestamp is <= t, clamped to
the first/last frame.  Variable-frame-rate sources therefore map to the project
rate by timestamp.  Returned arrays are READ-ONLY (they are shared with a small
cache); ``.copy()`` one before drawing on it.  ``picture_at(t)`` is the same frame as a
picture that converts only the region asked for to RGB (studio.media.picture), for callers that
show part of it.  ``frame_at(t, tolerance=s)`` takes any frame
within s of t, decoding as little as it can (timelapses: studio.media.timelapse); ``decoded``
counts the packets decoded so far.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from fractions import Fraction

import av
import numpy as np

from studio.media.errors import MediaError, describe_av_error
from studio.media.picture import RgbPicture, Yuv420, planes_of
from studio.media.probe import MediaInfo, probe, video_stream

FORMATS = ("rgb24", "rgba", "yuv420p")
_PICTURE = "picture"  # cached internally for picture_at: a Yuv420, or an RgbPicture for other frames
_EPS = 1e-6  # seconds; absorbs float rounding of t = n / fps against pts * time_base
# Timestamps are rounded to the stream time base (1 ms in Matroska: a 30 fps frame lands on
# 0.167 s, after 5/30 s), so a frame counts as on screen up to one tick before its timestamp.
# swscale threads per conversion: PyAV's default (0, one per core) starts them anew on every call,
# 1-4 ms of wall time and 0.4-1 ms of CPU for a 640x480 frame, against 0.1 ms on the calling thread
SWS_THREADS = 1
_SEEK_AHEAD = 2.0  # seconds; farther forward jumps seek instead of decoding through
_CACHE_SIZE = 8
_SEEK_COST = 4  # frames: what restarting the decoder at a keyframe costs beyond the frames it decodes
_RESYNC_TRIES = 6  # seeks past damage before a file is taken to end there
_RESYNC_STEP = 0.25  # seconds past the last good frame, times the attempt number


def open_visual(path: str | os.PathLike) -> "VideoReader | StillReader":
    """A reader for a video or a still image; raises MediaError for audio-only or bad files."""
    info = probe(path)
    if info.kind == "image":
        return StillReader(info)
    if info.kind != "video":
        raise MediaError(info.path, "has no video stream (audio only)")
    return VideoReader(info)


def _rotate(arr: np.ndarray, rotation: int) -> np.ndarray:
    # rotation is counter-clockwise, as is np.rot90; copy so the result is C-contiguous.
    return np.ascontiguousarray(np.rot90(arr, rotation // 90)) if rotation else arr


def _readonly(value):
    if isinstance(value, Yuv420):
        arrays = (value.y, value.u, value.v)
    elif isinstance(value, RgbPicture):
        arrays = (value.pixels,)
    else:
        arrays = value if isinstance(value, tuple) else (value,)
    for a in arrays:
        a.flags.writeable = False
    return value


class _Reader:
    info: MediaInfo

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        pass

    @staticmethod
    def _check_fmt(fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")


class StillReader(_Reader):
    """A still image as a timeless 'video': every t returns the same picture.

    Images above the library's limits (studio.library.images: 8192 px a side, 40 megapixels) are
    refused from their header. An opaque image is kept once, as RGB (3 bytes a pixel); one with
    transparency also keeps its RGBA."""

    def __init__(self, info: MediaInfo):
        from PIL import ImageOps

        from studio.library.images import ImageLimitError, decoded_frame, open_image

        self.info = info
        try:
            with open_image(info.path) as img:
                ImageOps.exif_transpose(img, in_place=True)  # in place: no second full-size copy
                alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
                pixels = decoded_frame(img, mode="RGBA" if alpha else "RGB")
        except ImageLimitError as exc:
            raise MediaError(info.path, exc.problem) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise MediaError(info.path, f"corrupt image ({exc})") from None
        if alpha:
            self._rgba = _readonly(np.ascontiguousarray(pixels))
            # Transparent areas become black, as an alpha-less video frame would show them.
            self._rgb = _readonly(_premultiplied_rgb(self._rgba))
        else:
            self._rgba = None  # made when asked for
            self._rgb = _readonly(np.ascontiguousarray(pixels))
        self._yuv = None

    def frame_at(self, t: float | Fraction = 0.0, fmt: str = "rgb24", tolerance: float = 0.0):
        """The picture (tolerance is accepted, as VideoReader.frame_at takes it, and has nothing to do)."""
        self._check_fmt(fmt)
        if fmt == "rgb24":
            return self._rgb
        if fmt == "rgba":
            if self._rgba is None:
                h, w = self._rgb.shape[:2]
                self._rgba = _readonly(np.dstack([self._rgb, np.full((h, w), 255, np.uint8)]))
            return self._rgba
        if self._yuv is None:
            h, w = self._rgb.shape[0] & ~1, self._rgb.shape[1] & ~1
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(self._rgb[:h, :w]), format="rgb24")
            self._yuv = _readonly(_yuv_planes(frame.reformat(format="yuv420p"), 0))
        return self._yuv

    def picture_at(self, t: float | Fraction = 0.0, tolerance: float = 0.0) -> RgbPicture:
        """The picture, as VideoReader.picture_at gives one (its regions are read-only views)."""
        return RgbPicture(self._rgb)


def _premultiplied_rgb(rgba: np.ndarray, rows: int = 256) -> np.ndarray:
    """rgb * alpha / 255, a band of rows at a time so the uint16 temporaries stay small."""
    out = np.empty(rgba.shape[:2] + (3,), np.uint8)
    for y in range(0, rgba.shape[0], rows):
        band = rgba[y:y + rows]
        a = band[..., 3:4].astype(np.uint16)
        out[y:y + rows] = (band[..., :3].astype(np.uint16) * a + 127) // 255
    return out


def _plane(frame, index: int, w: int, h: int) -> np.ndarray:
    p = frame.planes[index]
    arr = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)
    return arr[:h, :w]


def _yuv_planes(frame, rotation: int):
    """(Y, U, V) of a yuv420p frame, cropped to even width/height, in display orientation."""
    w, h = frame.width & ~1, frame.height & ~1
    planes = (_plane(frame, 0, w, h), _plane(frame, 1, w // 2, h // 2), _plane(frame, 2, w // 2, h // 2))
    return tuple(_rotate(p, rotation) if rotation else p.copy() for p in planes)


class VideoReader(_Reader):
    """Sequential-friendly random access to the frames of one video file."""

    def __init__(self, info: MediaInfo):
        self.info = info
        self._path = info.path
        try:
            self._container = av.open(str(info.path))
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(info.path, describe_av_error(exc)) from None
        self._stream = video_stream(self._container)
        self._stream.thread_type = "AUTO"
        self._tb = self._stream.time_base
        self._origin = info.start_time
        self._frame_dur = 1.0 / float(info.fps) if info.fps else 1 / 30
        self._eps = min(float(self._tb), 0.25 * self._frame_dur) + _EPS
        self._frames = None  # generator of decoded frames, None until first use / after EOF
        self._cur = None  # (time, frame): last frame handed to the caller's position
        self._pending = None  # (time, frame): decoded, not yet reached
        self._eof = False
        self._cache: OrderedDict = OrderedDict()  # (time, fmt) -> array, newest last
        self._spans: dict = {}  # time of a cached frame -> time of the next frame (or inf)
        self._keys = None  # KeyframeProbe, opened on the first frame_at with a tolerance
        self._decoded = 0  # packets handed to the sequential decoder

    # -- public -------------------------------------------------------------
    @property
    def decoded(self) -> int:
        """Packets handed to a decoder so far (about the frames decoded): what decoding has cost."""
        return self._decoded + (self._keys.decoded if self._keys is not None else 0)

    def frame_at(self, t: float | Fraction, fmt: str = "rgb24", tolerance: float = 0.0):
        """The frame on screen at source time ``t`` (seconds from the first frame).

        With ``tolerance`` > 0 (seconds), any frame whose time lies in the window
        [t - tolerance, t + tolerance) will do, and the cheapest is returned (for timelapses: see
        studio.media.timelapse; the window is half-open so that calls stepping 2 * tolerance apart
        never return the same frame twice):

        - the exact frame when it is cached, or a cached frame inside the window;
        - the decoder's current frame when it lies in the window, or the first frame at or after
          ``t - tolerance`` when the decoder is at most 4 frames before the window;
        - else the keyframe in the window nearest below ``t``, or failing that the first keyframe
          after ``t`` still inside it, decoded alone (one frame's work however long the GOP);
        - else (no keyframe in the window) the first frame at or after ``t - tolerance``, decoded
          forward from the reader's position or from the keyframe before the window, whichever
          costs fewer frames.

        So a 120x clip of a source with a keyframe every 2 s decodes one frame per timeline frame.
        A returned frame lies in the window unless the source has no frame there (a gap, or ``t``
        before the first / after the last frame): then it is the frame on screen at ``t``, as
        without tolerance. ``tolerance=0`` (the default) is the frame-accurate answer, unchanged.
        """
        self._check_fmt(fmt)
        return self._picture(t, fmt, tolerance)

    def picture_at(self, t: float | Fraction, tolerance: float = 0.0) -> Yuv420 | RgbPicture:
        """The frame ``frame_at(t, "rgb24", tolerance)`` would return, as a picture whose
        ``rgb(x, y, w, h)`` converts only that region (an 8-bit 4:2:0 frame: within 3 levels of
        swscale's whole-frame conversion; other frames are converted whole, once)."""
        return self._picture(t, _PICTURE, tolerance)

    def _picture(self, t: float | Fraction, fmt: str, tolerance: float):
        if self._container is None:
            raise ValueError("reader is closed")
        target = self._origin + float(t)
        hit = self._cached(target, fmt)
        if hit is not None:
            return hit
        try:
            if tolerance > 0:
                near = self._cached_near(target, float(tolerance), fmt)
                if near is not None:
                    return near
                time, frame, next_time = self._locate_near(target, float(tolerance))
            else:
                time, frame, next_time = self._locate(target)
        except av.error.FFmpegError as exc:
            raise MediaError(self._path, describe_av_error(exc)) from None
        key = (time, fmt)
        if key not in self._cache:
            self._cache[key] = _readonly(self._convert(frame, fmt))
            while len(self._cache) > _CACHE_SIZE:
                old, _ = self._cache.popitem(last=False)
                self._spans.pop(old[0], None)
        self._spans[time] = next_time
        self._cache.move_to_end(key)
        return self._cache[key]

    def close(self) -> None:
        if self._keys is not None:
            self._keys.close()
            self._keys = None
        if self._container is not None:
            self._frames = None
            self._container.close()
            self._container = None
            self._cache.clear()

    # -- internals ------------------------------------------------------------
    def _cached(self, target: float, fmt: str):
        for (time, f), arr in reversed(self._cache.items()):
            lo = -np.inf if time <= self._origin + self._eps else time - self._eps  # the first frame covers t < 0
            if f == fmt and lo <= target < self._spans.get(time, time) - self._eps:
                self._cache.move_to_end((time, f))
                return arr
        return None

    def _cached_near(self, target: float, tolerance: float, fmt: str):
        """The cached frame of `fmt` nearest `target` within `tolerance`, or None."""
        best = None
        for (time, f), arr in self._cache.items():
            off = abs(time - target)
            if f == fmt and target - tolerance - self._eps <= time < target + tolerance - self._eps and (
                    best is None or off < best[0]):
                best = off, (time, f), arr
        if best is None:
            return None
        self._cache.move_to_end(best[1])
        return best[2]

    def _convert(self, frame, fmt: str):
        rot = self.info.rotation
        if fmt == _PICTURE:
            planes = planes_of(frame, rot)
            return planes if planes is not None else RgbPicture(self._convert(frame, "rgb24"))
        if fmt == "yuv420p":
            if frame.format.name != "yuv420p":
                frame = frame.reformat(format="yuv420p", threads=SWS_THREADS)
            return _yuv_planes(frame, rot)
        return _rotate(frame.to_ndarray(format=fmt, threads=SWS_THREADS), rot)

    def _locate(self, target: float):
        """Position the decoder on the last frame with time <= target; return (time, frame, next_time)."""
        cur = self._cur
        forward_ok = cur is not None and cur[0] - self._eps <= target <= cur[0] + _SEEK_AHEAD
        if not forward_ok:
            self._seek(target)
        self._advance(target)
        if self._cur is None:  # nothing decodable at/after the seek point: restart from the top
            self._seek(None)
            self._advance(target)
        if self._cur is None:
            raise MediaError(self._path, "no decodable video frames")
        nxt = self._pending[0] if self._pending is not None else (float("inf") if self._eof else self._cur[0])
        return self._cur[0], self._cur[1], nxt

    def _locate_near(self, target: float, tolerance: float):
        """As _locate, for any frame within `tolerance` of `target` (see frame_at), cheapest first."""
        lo, hi = target - tolerance, target + tolerance
        cur = self._cur
        attached = cur is not None and cur[0] - self._eps <= target  # decoding forward reaches target
        if attached and cur[0] >= lo - self._eps:
            return self._position()  # already in the window
        behind = (lo - cur[0]) / self._frame_dur if attached else float("inf")  # frames to decode
        if behind > _SEEK_COST:
            key = self._keyframe_near(target, lo, hi)
            if key is not None and key[0] >= lo - self._eps:
                return key[0], key[1], key[0]  # the frame after it is not known: no span to cache
            before = key[0] if key is not None else None  # the keyframe before the window, if known
            if before is None or not attached or (lo - before) / self._frame_dur + _SEEK_COST < behind:
                self._seek(lo)  # lands on that keyframe (none lies between it and the window)
        self._advance_into(lo, target)
        if self._cur is None:
            return self._locate(target)  # nothing decodable there: as without tolerance
        return self._position()

    def _keyframe_near(self, target: float, lo: float, hi: float):
        """(time, frame) of the keyframe in [lo, hi) nearest below target (else the first above it),
        decoded alone; else (time, None) of the keyframe before lo; None when the demuxer cannot say."""
        if self._keys is None:
            from studio.media.timelapse import KeyframeProbe

            self._keys = KeyframeProbe(self._path, self._stream.index)
        found = self._keys.keyframe_at_or_before(target + self._eps)
        if found is None or found[0] > target + self._eps:
            return None
        if found[0] < lo - self._eps:
            later = self._keys.keyframe_at_or_before(hi - 2 * self._eps)
            if later is None or later[0] <= target + self._eps or later[0] >= hi - self._eps:
                return found[0], None
            found = later
        frame = self._keys.decode(found[1])
        if frame is None:
            return None  # a keyframe that will not decode alone: decode forward instead
        time = self._keys.frame_time(frame)
        return (time, frame) if abs(time - found[0]) <= self._eps else None

    def _position(self):
        cur = self._cur
        nxt = self._pending[0] if self._pending is not None else (float("inf") if self._eof else cur[0])
        return cur[0], cur[1], nxt

    def _advance_into(self, lo: float, target: float) -> None:
        """Decode forward to the first frame at or after `lo`, or the last one at or before `target`
        when no frame lies between them."""
        while True:
            if self._pending is None:
                self._pending = self._next_frame()
                if self._pending is None:
                    return
            if self._cur is not None and (self._cur[0] >= lo - self._eps or self._pending[0] > target + self._eps):
                return
            self._cur, self._pending = self._pending, None

    def _advance(self, target: float) -> None:
        while True:
            if self._pending is None:
                self._pending = self._next_frame()
                if self._pending is None:
                    return
            if self._cur is not None and self._pending[0] > target + self._eps:
                return
            self._cur, self._pending = self._pending, None

    def _seek(self, target: float | None) -> None:
        """Seek to the keyframe at/before target (None: the start) and restart decoding there."""
        self._cur = self._pending = None
        self._eof = False
        from_start = target is None or target <= self._origin + self._frame_dur
        ts = (self._stream.start_time or 0) if from_start else int(Fraction(target) / self._tb)
        try:
            self._container.seek(ts, backward=True, any_frame=False, stream=self._stream)
        except av.error.FFmpegError:
            if not from_start:
                return self._seek(None)
        self._stream.codec_context.flush_buffers()
        self._frames = self._decode_iter()
        if not from_start:
            # A seek may land after the target (sparse index): then decode from the start instead.
            first = self._next_frame()
            if first is None or first[0] > target + self._eps:
                return self._seek(None)
            self._pending = first
        return None

    def _next_frame(self):
        if self._frames is None:
            self._frames = self._decode_iter()
        try:
            item = next(self._frames)
        except StopIteration:
            self._eof = True
            self._frames = iter(())
            return None
        return item

    def _decode_iter(self):
        """(time, frame) in presentation order; damaged packets/frames are skipped, not fatal.

        When demuxing stops early (a damaged cluster makes e.g. the Matroska demuxer give
        up), seek past the damage and go on, so the rest of the file stays usable.
        """
        state = {"last": None}
        end = self._origin + self.info.duration - 1.5 * self._frame_dur
        yield from self._demux_frames(state)
        for attempt in range(1, _RESYNC_TRIES + 1):
            last = state["last"]
            if last is None or last >= end:
                return
            target = last + _RESYNC_STEP * attempt
            try:
                self._container.seek(int(Fraction(target) / self._tb), backward=False, stream=self._stream)
            except av.error.FFmpegError:
                return
            self._stream.codec_context.flush_buffers()
            yield from self._demux_frames(state)

    def _demux_frames(self, state):
        stream = self._stream
        try:
            for packet in self._container.demux(stream):
                self._decoded += packet.size > 0
                try:
                    frames = stream.decode(packet)
                except av.error.FFmpegError:
                    continue
                yield from self._timed_frames(frames, state)
        except av.error.FFmpegError:
            # Demuxing stopped at damaged or missing data: flush what the decoder holds.
            try:
                yield from self._timed_frames(stream.decode(None), state)
            except av.error.FFmpegError:
                return

    def _timed_frames(self, frames, state):
        """(time, frame) for the usable ones of `frames`, keeping state["last"] = the latest time."""
        for frame in frames:
            item = self._timed(frame, state["last"])
            if item is not None:
                state["last"] = item[0]
                yield item

    def _timed(self, frame, last):
        if frame.is_corrupt:
            return None
        time = float(frame.time) if frame.time is not None else (
            last + self._frame_dur if last is not None else self._origin)
        if last is not None and time <= last:
            return None  # duplicate / out-of-order timestamp: keep time monotonic
        return time, frame
