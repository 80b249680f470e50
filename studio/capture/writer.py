"""Crash-safe take writing: frames go, as they arrive and with their real (active) timestamps, to
`TAKE.mp4.recording.mkv`; the take's settings and segments go to `TAKE.mp4.recording.json`.

The container (Matroska flushed every 200 ms, so a killed process leaves a playable file) is
studio.media.recording's; this file adds what makes it a take: an exclusive flock on the .mkv tells
`find_unfinished` that a live process still owns it, the sidecar is rewritten atomically on every
segment change, and sound is kept in step with the pictures' clock.
"""
from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.frames import AUDIO_CHANNELS, AUDIO_RATE
from studio.media.errors import MediaWriteError
from studio.media.recording import RecordingWriter

RECORDING_SUFFIX = ".recording.mkv"
SIDECAR_SUFFIX = ".recording.json"
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
        self.path = Path(recording)
        self.sidecar = sidecar_path(self.path)
        self.info = dict(info)
        self._lock_fd = None
        try:
            # created (and locked) first: the muxer writes nothing until the first packet
            self._lock_fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o644)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._out = RecordingWriter(self.path, size, fps=fps, audio_rate=AUDIO_RATE if audio else None)
        except (OSError, MediaWriteError) as exc:
            self._release_lock()
            reason = exc.reason if isinstance(exc, MediaWriteError) else (exc.strerror or str(exc))
            raise CaptureError(f"{self.path.parent}: cannot write the take there ({reason})") from None
        except BaseException:
            self._release_lock()
            raise
        self.size = self._out.size
        self._audio = audio
        self._next_sample: int | None = None
        self.video_frames = 0
        self.audio_samples = 0
        self.last_video_time = 0.0
        try:
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
        self.last_video_time = self._out.write_video(rgb, active_time)
        self.video_frames += 1

    def write_audio(self, samples: np.ndarray, active_time: float) -> None:
        if not self._audio or not len(samples):
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
        self._out.write_audio(samples, pos)
        self._next_sample = pos + len(samples)
        self.audio_samples += len(samples)

    def close(self) -> None:
        """Finish the file (a killed process skips this; the file still plays, it just has no index)."""
        try:
            self._out.close()
        finally:
            self._release_lock()

    def _abort(self) -> None:
        self._out.abort()
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


__all__ = ["AUDIO_CHANNELS", "RECORDING_SUFFIX", "SIDECAR_SUFFIX", "TakeWriter", "is_locked", "read_sidecar",
           "recording_path", "sidecar_path", "target_of", "write_sidecar"]
