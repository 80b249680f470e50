"""The sound a take is recorded to, heard through QtMultimedia: the audio sink pulls samples from
the BackingTrack, which follows the take's own clock (studio.capture.backing). Without an audio
output the take is still recorded to the sound, in sync; the window says it can't be heard."""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QIODevice, QObject

from studio.capture.backing import RATE, BackingTrack

from .audio_out import multimedia


class _Pull(QIODevice):
    """What the sink reads next: the sound as it should be heard `latency` from now."""

    def __init__(self, track: BackingTrack, recorder, latency: float, parent=None):
        super().__init__(parent)
        self.track, self.recorder, self.latency = track, recorder, latency

    def readData(self, maxlen: int) -> bytes:
        n = max(0, maxlen // 4)  # 16-bit stereo
        block = self.track.render(self.recorder, time.monotonic() + self.latency, n)
        return (np.clip(block, -1, 1) * 32767).astype("<i2").tobytes()

    def writeData(self, data) -> int:
        return -1

    def bytesAvailable(self) -> int:
        return 4 * 4096 + super().bytesAvailable()

    def isSequential(self) -> bool:
        return True


class BackingAudio(QObject):
    """start(track, recorder) -> None when it plays, else why it can't be heard."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sink = None
        self._pull = None

    @staticmethod
    def unavailable() -> str | None:
        mm = multimedia()
        if mm is None:
            return "audio output unavailable (QtMultimedia could not load)"
        if mm.QMediaDevices.defaultAudioOutput().isNull():
            return "no audio output device"
        return None

    def start(self, track: BackingTrack, recorder) -> str | None:
        self.stop()
        why = self.unavailable()
        if why:
            return why
        mm = multimedia()
        fmt = mm.QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(mm.QAudioFormat.SampleFormat.Int16)
        device = mm.QMediaDevices.defaultAudioOutput()
        self._sink = mm.QAudioSink(device, fmt, self)
        self._sink.setBufferSize(RATE // 10 * 4)  # ~100 ms: the latency the pull accounts for
        self._pull = _Pull(track, recorder, latency=0.1, parent=self)
        self._pull.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink.start(self._pull)
        return None

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._pull is not None:
            self._pull.close()
            self._pull.deleteLater()
            self._pull = None
