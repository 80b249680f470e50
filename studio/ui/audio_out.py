"""Preview audio: the project's soundtrack (mixed by the render layer, as the export does) played
through QtMultimedia from the playhead. Without an audio device the preview plays silently."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal

from .tasks import Tasks


def multimedia():
    """The QtMultimedia module, or None where it cannot load (the sound is then silent)."""
    try:
        from PySide6 import QtMultimedia
        return QtMultimedia
    except ImportError:  # libpulse missing or QtMultimedia not shipped
        return None


class SoundtrackPlayer(QObject):
    """Builds the soundtrack for a project revision in a thread and plays it from a frame."""

    availability = Signal(bool, str)  # (available, reason) — the window shows it in the status bar

    def __init__(self, current_frame=None, parent: QObject | None = None):
        super().__init__(parent)
        # where the video is now: a soundtrack that finishes building mid-playback starts there
        self._current_frame = current_frame
        self._samples: dict[int, np.ndarray] = {}
        self._building: set[int] = set()
        self.tasks = Tasks(self)  # soundtrack builds
        self._sink = None
        self._buffer = None
        self._pending = None  # (revision, frame, fps) to start when the build finishes
        self.available, self.reason = self._probe_device()

    @staticmethod
    def _probe_device() -> tuple[bool, str]:
        mm = multimedia()
        if mm is None:
            return False, "audio preview unavailable (QtMultimedia could not load): playing silently"
        device = mm.QMediaDevices.defaultAudioOutput()
        if device.isNull():
            return False, "no audio output device: preview plays silently"
        return True, device.description()

    def prepare(self, project, revision: int) -> None:
        if revision in self._samples or revision in self._building or not self.available:
            return
        self._building.add(revision)

        def build():
            from studio.render.soundtrack import build_soundtrack

            return build_soundtrack(project).samples

        # a missing sound file must not stop the preview: it plays silently
        self.tasks.run(build, name="soundtrack", on_done=lambda samples: self._on_built(revision, samples),
                       on_failed=lambda exc: self._on_built(revision, np.zeros((0, 2), np.float32)))

    def _on_built(self, revision: int, samples) -> None:
        self._building.discard(revision)
        self._samples = {revision: samples}  # only the latest revision is worth keeping
        if self._pending and self._pending[0] == revision:
            revision, frame, fps = self._pending
            if self._current_frame is not None:
                frame = self._current_frame()
            self._start(revision, frame, fps)

    def play(self, project, revision: int, frame: int) -> None:
        if not self.available:
            return
        self.stop()
        self._pending = (revision, frame, project.fps)
        if revision in self._samples:
            self._start(*self._pending)
        else:
            self.prepare(project, revision)

    def _start(self, revision: int, frame: int, fps) -> None:
        # imported here, not at module level: the mixer pulls in scipy (~0.7 s), too slow for start-up
        from studio.render.soundtrack import RATE

        mm = multimedia()
        samples = self._samples.get(revision)
        if mm is None or samples is None or len(samples) == 0:
            return
        offset = int(round(frame / float(fps) * RATE))
        pcm = (np.clip(samples[offset:], -1, 1) * 32767).astype("<i2").tobytes()
        fmt = mm.QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(mm.QAudioFormat.SampleFormat.Int16)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pcm))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = mm.QAudioSink(mm.QMediaDevices.defaultAudioOutput(), fmt, self)
        self._sink.start(self._buffer)
        self._pending = None

    def stop(self) -> None:
        self._pending = None
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    def shutdown(self) -> None:
        self.stop()
        self.tasks.wait_all(timeout=10)
