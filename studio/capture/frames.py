"""What sources hand to the recorder: a camera picture or a block of audio, stamped with the time
it was captured on ONE clock (time.monotonic), so audio and video line up however long the take."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AUDIO_RATE = 48000  # every audio source is resampled to this...
AUDIO_CHANNELS = 2  # ...and to stereo, so a take's audio format is known before it starts


@dataclass
class CameraFrame:
    rgb: np.ndarray  # HxWx3 uint8, camera-native (not mirrored)
    time: float  # time.monotonic() when the picture was captured
    index: int  # 0, 1, 2... per source
    source_time: float | None = None  # position in the file, for a file camera (tests assert on it)


@dataclass
class AudioChunk:
    samples: np.ndarray  # (n, AUDIO_CHANNELS) int16
    time: float  # time.monotonic() of the first sample
    rate: int = AUDIO_RATE

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate
