"""The sound board of a live stream: music and sound effects started on a hotkey, mixed into the
stream's sound block by block as it goes out (the microphone's, or the quiet bed's)."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

HEADROOM = 0.98  # mixed blocks are limited just below full scale rather than wrapping round


class SoundBoard:
    def __init__(self, rate: int):
        self.rate = rate
        self._playing: list[list] = []  # [samples (n, 2) float32, position]
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def load(self, sound: str) -> np.ndarray:
        """A library sound id or an audio file, decoded once (MediaError / LibraryError when it
        cannot be used)."""
        if sound not in self._cache:
            from studio.media.audio import load_audio

            path = Path(sound)
            if not path.is_file():
                from studio.library.sounds import get_sound

                path = get_sound(sound).path
            self._cache[sound] = load_audio(path, self.rate)
        return self._cache[sound]

    def play(self, sound: str, gain: float = 1.0) -> float:
        samples = self.load(sound) * np.float32(gain)
        with self._lock:
            self._playing.append([samples, 0])
        return len(samples) / self.rate

    def stop_all(self) -> None:
        with self._lock:
            self._playing.clear()

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._playing)

    def mix(self, block: np.ndarray) -> np.ndarray:
        """`block` (n, 2) float32 with whatever is playing added (a new array when anything is)."""
        with self._lock:
            if not self._playing:
                return block
            out = np.array(block, dtype=np.float32, copy=True)
            n = len(out)
            for entry in self._playing:
                samples, pos = entry
                take = samples[pos:pos + n]
                out[:len(take)] += take
                entry[1] = pos + len(take)
            self._playing = [e for e in self._playing if e[1] < len(e[0])]
        np.clip(out, -HEADROOM, HEADROOM, out=out)
        return out
