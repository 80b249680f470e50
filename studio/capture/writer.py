"""Crash-safe take writing: frames go, as they arrive and with their real (active) timestamps, to
`TAKE.mp4.recording.mkv`; the take's settings and segments go to `TAKE.mp4.recording.json`.

Matroska survives a kill: the muxer keeps the open cluster in memory, so clusters are closed every
200 ms and each is flushed to the file at once (`flush_packets`): a killed process leaves a file
that plays up to ~0.2 s before the kill (no index, which players and the finaliser do not need). Video is
H.264 (ultrafast, zerolatency: no lookahead, so each frame is on disk right after it is encoded),
audio plain 16-bit PCM. An exclusive flock on the .mkv tells `find_unfinished` that a live
process still owns it. The sidecar is rewritten atomically on every segment change.
"""
from __future__ import annotations

import fcntl
import json
import os
import tempfile
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.frames import AUDIO_CHANNELS, AUDIO_RATE

RECORDING_SUFFIX = ".recording.mkv"
SIDECAR_SUFFIX = ".recording.json"
MKV_TIME_BASE = Fraction(1, 1000)
AUDIO_RESYNC = 0.040  # audio blocks this far from where the samples say get re-placed by their timestamp


def recording_path(target: Path) -> Path:
    return target.with_name(target.name + RECORDING_SUFFIX)


def sidecar_path(recording: Path) -> Path:
    name = recording.name
    if name.endswith(RECORDING_SUFFIX):
        name = name[: -len(RECORDING_SUFFIX)]
    return recording.with_name(name + SIDECAR_SUFFIX)


def target_of(recording: Path) -> Path:
    name = recording.name
    if not name.endswith(RECORDING_SUFFIX):
        raise CaptureError(f"{recording}: not an unfinished take (expected a name ending in {RECORDING_SUFFIX})")
    return recording.with_name(name[: -len(RECORDING_SUFFIX)])


def write_sidecar(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_sidecar(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_locked(path: Path) -> bool:
    """True while another live process is writing this recording."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


class TakeWriter:
    """Streams one take to `recording` (.recording.mkv). Not thread-safe: one writer thread calls it."""

    def __init__(self, recording: Path, size: tuple[int, int], *, audio: bool, info: dict, fps: float = 30.0):
        import av

        self.path = Path(recording)
        self.sidecar = sidecar_path(self.path)
        self.info = dict(info)
        w, h = size
        self.size = (w - w % 2, h - h % 2)  # yuv420p needs even sizes
        self._lock_fd = None
        try:
            # created (and locked) first: the muxer writes nothing until the first packet
            self._lock_fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o644)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._container = av.open(str(self.path), "w", format="matroska",
                                      options={"flush_packets": "1", "cluster_time_limit": "200"})
        except (OSError, av.error.FFmpegError) as exc:
            self._release_lock()
            reason = getattr(exc, "strerror", None) or str(exc)
            raise CaptureError(f"{self.path.parent}: cannot write the take there ({reason})") from None
        try:
            v = self._container.add_stream("libx264", rate=round(fps), options={
                "preset": "ultrafast", "tune": "zerolatency", "crf": "18"})
            v.width, v.height, v.pix_fmt = self.size[0], self.size[1], "yuv420p"
            v.time_base = MKV_TIME_BASE
            v.codec_context.time_base = MKV_TIME_BASE
            self._video = v
            self._audio = None
            if audio:
                self._audio = self._container.add_stream("pcm_s16le", rate=AUDIO_RATE, layout="stereo")
            self._last_pts = -1
            self._next_sample: int | None = None
            self.video_frames = 0
            self.audio_samples = 0
            self.last_video_time = 0.0
            self.update_info({})
        except BaseException:
            self._abort()
            raise

    def update_info(self, changes: dict) -> None:
        """Merge `changes` into the sidecar (segments, state) and rewrite it atomically."""
        self.info.update(changes)
        try:
            write_sidecar(self.sidecar, self.info)
        except OSError as exc:
            raise CaptureError(f"{self.sidecar}: cannot write ({exc.strerror or exc})") from None

    def write_video(self, rgb: np.ndarray, active_time: float) -> None:
        import av

        if rgb.shape[1] != self.size[0] or rgb.shape[0] != self.size[1]:
            rgb = rgb[: self.size[1], : self.size[0]]
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        # strictly increasing millisecond timestamps (two frames within 1 ms would collide)
        pts = max(int(round(active_time * 1000)), self._last_pts + 1)
        frame.pts, frame.time_base = pts, MKV_TIME_BASE
        self._last_pts = pts
        for packet in self._video.encode(frame):
            self._container.mux(packet)
        self.video_frames += 1
        self.last_video_time = pts / 1000

    def write_audio(self, samples: np.ndarray, active_time: float) -> None:
        import av

        if self._audio is None or not len(samples):
            return
        pos = int(round(active_time * AUDIO_RATE))
        if self._next_sample is not None:
            # keep samples contiguous while the clock agrees; re-place (gap or overlap trimmed)
            # when the device clock drifted, so sound never slides away from the picture
            if abs(pos - self._next_sample) <= AUDIO_RESYNC * AUDIO_RATE:
                pos = self._next_sample
            elif pos < self._next_sample:
                samples = samples[self._next_sample - pos:]
                pos = self._next_sample
                if not len(samples):
                    return
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples.reshape(1, -1), dtype=np.int16),
                                           format="s16", layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts, frame.time_base = pos, Fraction(1, AUDIO_RATE)
        for packet in self._audio.encode(frame):
            self._container.mux(packet)
        self._next_sample = pos + len(samples)
        self.audio_samples += len(samples)

    def close(self) -> None:
        """Flush the encoders and write the Matroska index (a killed process skips this; the file
        still plays, it just has no index)."""
        try:
            for packet in self._video.encode(None):
                self._container.mux(packet)
            if self._audio is not None:
                for packet in self._audio.encode(None):
                    self._container.mux(packet)
            self._container.close()
        finally:
            self._release_lock()

    def _abort(self) -> None:
        try:
            self._container.close()
        except Exception:
            pass
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


__all__ = ["AUDIO_CHANNELS", "RECORDING_SUFFIX", "SIDECAR_SUFFIX", "TakeWriter", "is_locked", "read_sidecar",
           "recording_path", "sidecar_path", "target_of", "write_sidecar"]
