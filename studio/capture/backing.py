"""Recording to a sound: the sound a creator dances, lip-syncs or talks to while the camera runs.

The sound is a function of the take's own clock, never of the wall clock: at any instant it sits at
`start + kept recording time / speed`. So pausing stops it, resuming continues it where it stopped,
deleting the last segment rewinds it to the end of what is kept, and at 2x recording it plays at
half speed (the finished take, sped up, plays it at normal speed). The finished take carries the
sound on the timeline from the same `start`, so picture and sound line up by construction, whether
or not anyone could hear it while recording.

    choice = parse_sound_spec("sunny-pop@12")        # library id or file, optional start seconds
    sound = resolve_sound(choice)                    # CaptureError for a missing / silent file
    track = BackingTrack(sound, speed=2.0)
    track.render(recorder, now, 1024, 48000)         # what to play from `now` (float32 stereo)
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.recorder import Recorder, State
from studio.media.native_log import native_stderr_silenced

RATE = 48000
FPS = 30  # takes are finalised at 30 fps: the start is kept on that frame grid
LEAD_IN = 1.0  # seconds of the sound heard during the countdown's last beat
_START = re.compile(r"^(?:(\d+):)?(\d+(?:\.\d+)?)$")  # "12", "12.5", "0:12", "1:05.5"


@dataclass(frozen=True)
class SoundChoice:
    """What the creator picked: a library sound id or a file (audio, or a video's own sound), and
    where in it the take starts (seconds, on the 30 fps frame grid)."""

    source: str
    start: float = 0.0

    def to_dict(self) -> dict:
        return {"source": self.source, "start": self.start}


def on_frame_grid(seconds: float) -> float:
    return round(max(0.0, float(seconds)) * FPS) / FPS


def parse_start(text: str) -> float:
    m = _START.match(text.strip())
    if not m:
        raise CaptureError(f"sound start {text!r}: expected seconds such as 12 or 0:12")
    return on_frame_grid(int(m.group(1) or 0) * 60 + float(m.group(2)))


def parse_sound_spec(spec: str) -> SoundChoice:
    """`ID_OR_FILE[@START]`: the start after the last '@' when it reads as a time (a file name may
    hold an '@' of its own)."""
    source, sep, tail = spec.rpartition("@")
    if sep and source and _START.match(tail.strip()):
        return SoundChoice(source, parse_start(tail))
    return SoundChoice(spec, 0.0)


@dataclass(frozen=True)
class ResolvedSound:
    choice: SoundChoice
    path: Path
    title: str
    duration: float  # seconds of the whole sound
    library_id: str | None  # None for a file
    original: bool  # the sound of a video file ("original sound")

    @property
    def source(self) -> str:
        """What a timeline SoundItem names: the library id, or the file's absolute path."""
        return self.library_id or str(self.path.resolve())

    @property
    def start(self) -> float:
        return self.choice.start

    @property
    def remaining(self) -> float:
        """Seconds of the sound from the start on: the longest take that fits it."""
        return max(0.0, self.duration - self.start)


def resolve_sound(choice: SoundChoice) -> ResolvedSound:
    """Find the sound and check that something of it is left after the start."""
    from studio.library.errors import LibraryError
    from studio.media.errors import MediaError
    from studio.model import is_library_ref

    if is_library_ref(choice.source):
        from studio.library.sounds import get_sound

        try:
            sound = get_sound(choice.source)
        except (LibraryError, KeyError) as exc:
            raise CaptureError(f"sound {choice.source!r}: {exc}") from None
        resolved = ResolvedSound(choice, sound.path, sound.title, sound.duration, sound.id, False)
    else:
        from studio.media.probe import probe

        path = Path(choice.source).expanduser()
        try:
            info = probe(path)
        except MediaError as exc:
            raise CaptureError(f"sound {path.name}: {exc}") from None
        if not info.has_audio:
            raise CaptureError(f"sound {path.name}: it has no sound to record to")
        original = info.has_video
        title = f"original sound - {path.stem}" if original else path.stem
        resolved = ResolvedSound(SoundChoice(str(path.resolve()), choice.start), path, title, info.duration,
                                 None, original)
    if resolved.remaining < 1.0 / FPS:
        raise CaptureError(f"sound {resolved.title}: starts at {choice.start:g} s but is only "
                           f"{resolved.duration:.1f} s long")
    return resolved


def sound_position(recorder: Recorder, start: float, now: float, lead_in: float = LEAD_IN) -> float | None:
    """Where in the sound (seconds) the creator should hear it at capture time `now`, or None when
    it is silent (idle, paused, finished, or the countdown before its last `lead_in` seconds)."""
    speed = recorder.speed
    state = recorder.state
    if state == State.COUNTDOWN and recorder.countdown_end is not None:
        ahead = recorder.countdown_end - now
        if ahead > lead_in:
            return None
        return start - max(0.0, ahead) / speed
    if state == State.RECORDING:
        return start + recorder.sound_active(now) / speed
    return None


class BackingTrack:
    """The decoded sound and what to play at any instant of a take (pull model: an audio output
    asks for the next `n` samples whenever it needs them)."""

    def __init__(self, sound: ResolvedSound, speed: float = 1.0, lead_in: float = LEAD_IN):
        from studio.media.audio import load_audio
        from studio.media.errors import MediaError

        self.sound, self.speed, self.lead_in = sound, float(speed), lead_in
        self.first = max(0.0, sound.start - lead_in)  # decoded from here on
        try:
            self.samples = load_audio(sound.path, RATE, start=self.first, pad=False)
        except MediaError as exc:
            raise CaptureError(f"sound {sound.title}: {exc}") from None

    def render(self, recorder: Recorder, now: float, n: int, rate: int = RATE) -> np.ndarray:
        """`n` output samples at `rate` to be heard from capture time `now` on (silence where the
        take is not running). At speed s the sound advances 1/s seconds per second."""
        out = np.zeros((n, 2), np.float32)
        pos = sound_position(recorder, self.sound.start, now, self.lead_in)
        if pos is None or recorder.awaiting_first_frame():  # silent for the moment before a
            return out  # segment's first picture, rather than holding (repeating) a sliver of it
        step = 1.0 / (self.speed * rate)
        times = pos + np.arange(n) * step  # sound seconds of each output sample
        index = (times - self.first) * RATE
        ok = (times >= 0) & (index >= 0) & (index < len(self.samples) - 1)
        if not ok.any():
            return out
        i = np.floor(index[ok]).astype(np.int64)
        frac = (index[ok] - i)[:, None].astype(np.float32)
        out[ok] = self.samples[i] * (1 - frac) + self.samples[i + 1] * frac
        return out


class BackingPlayer:
    """Plays a BackingTrack through an audio output in a thread, following the take's clock. An
    output is an object with `write(samples)` (blocking, float32 stereo at RATE) and `close()`.
    Without one the sound is silent but the take is still made to it (and stays in sync)."""

    BLOCK = 1024

    def __init__(self, track: BackingTrack, recorder: Recorder, output, latency: float = 0.05):
        self.track, self.recorder, self.output, self.latency = track, recorder, output, latency
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studio-backing-sound", daemon=True)

    def start(self) -> "BackingPlayer":
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set() and self.recorder.state != State.FINISHED:
                # what the creator hears `latency` from now, when this block leaves the speaker
                block = self.track.render(self.recorder, time.monotonic() + self.latency, self.BLOCK)
                self.output.write(block)
        except Exception:  # an output that fails mid-take: the take goes on, silently
            pass
        finally:
            try:
                self.output.close()
            except Exception:
                pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class AlsaOutput:
    """The default ALSA device through studio.media's device output, for `studio record`."""

    def __init__(self, device: str = "default"):
        from studio.media.devices import AudioOutput, device_formats
        from studio.media.errors import MediaError

        if "alsa" not in device_formats():
            raise CaptureError("no ALSA output in this build")
        # the device opens with the first packet: write a moment of silence now so a missing device
        # is found here, not in the player thread; ALSA's own complaints go to /dev/null
        with native_stderr_silenced():
            try:
                self._output = AudioOutput("alsa", device, rate=RATE)
                self.write(np.zeros((RATE // 50, 2), np.float32))
            except (MediaError, OSError, ValueError) as exc:
                raise CaptureError("no audio output") from exc

    def write(self, samples: np.ndarray) -> None:
        self._output.write((np.clip(samples, -1, 1) * 32767).astype("<i2"))

    def close(self) -> None:
        self._output.close()
