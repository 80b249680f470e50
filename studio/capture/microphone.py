"""Microphone input through studio.media's device input (PyAV's libavdevice: PulseAudio when the
build has it, else ALSA).

No new system dependency: the PyAV wheel ships libavdevice with ALSA/OSS input (this machine's
build has no PulseAudio input; PipeWire and PulseAudio systems provide an ALSA "default" device
that routes to them). When there is no sound card at all, `open_microphone()` says so and the
take is recorded without sound.
"""
from __future__ import annotations

import glob
import os
import threading
import time

from studio.capture.errors import CaptureError
from studio.capture.frames import AUDIO_RATE, AudioChunk

NO_MICROPHONE = "no microphone found: recording without sound"


def _pulse_server_present() -> bool:
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return os.path.exists(os.path.join(runtime, "pulse", "native"))


def _candidates() -> list[tuple[str, str]]:
    """(format, device) pairs worth trying on this machine, best first.

    Checked before opening because ALSA prints configuration errors straight to stderr when
    there is no sound card, which would garble the CLI's output."""
    from studio.media.devices import device_formats

    formats = device_formats()
    out = []
    if "pulse" in formats and _pulse_server_present():
        out.append(("pulse", "default"))
    if "alsa" in formats and (glob.glob("/dev/snd/pcmC*c") or _pulse_server_present()):
        out.append(("alsa", "default"))
    return out


class Microphone:
    """An open audio input; start(on_audio) reads it in a thread, stop() ends it."""

    def __init__(self, fmt: str = "alsa", device: str = "default"):
        from studio.media.devices import AudioInput
        from studio.media.errors import MediaError

        self.name = f"{fmt}:{device}"
        try:
            self._input = AudioInput(fmt, device, rate=AUDIO_RATE)
        except MediaError as exc:
            raise CaptureError(f"microphone {self.name}: {exc.problem}") from None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    def start(self, on_audio) -> None:
        self._thread = threading.Thread(target=self._run, args=(on_audio,), name="microphone", daemon=True)
        self._thread.start()

    def _run(self, on_audio) -> None:
        from studio.media.errors import MediaError

        try:
            for block in self._input.blocks():
                # stamp with the shared monotonic clock: the block ends now, so it began
                # its own duration ago (device timestamps use another clock)
                arrived = time.monotonic()
                for pcm in block:
                    on_audio(AudioChunk(pcm, arrived - len(pcm) / AUDIO_RATE))
                if self._stop.is_set():
                    break
        except MediaError as exc:  # unplugged mid-take: the take continues without sound
            self.error = f"microphone {self.name} stopped: {exc.reason or exc.problem}"
        except Exception as exc:
            self.error = f"microphone {self.name} stopped: {exc}"

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        self._thread = None
        self._input.close()


def open_microphone() -> tuple[Microphone | None, str | None]:
    """(microphone, None) or (None, why not) — "no microphone found: recording without sound"."""
    errors = []
    for fmt, device in _candidates():
        try:
            return Microphone(fmt, device), None
        except CaptureError as exc:
            errors.append(str(exc))
    if errors:
        return None, f"{NO_MICROPHONE} ({'; '.join(errors)})"
    return None, NO_MICROPHONE


def open_chosen_microphone(choice: str):
    """The microphone picked in Settings: "" the default, "none" none, else a device id (Qt's
    QAudioDevice.id(): a PulseAudio source or ALSA device name). Returns (Microphone | None, message
    | None); a chosen device that cannot be opened falls back to the default one and says so."""
    if choice == "none":
        return None, None
    if not choice:
        return open_microphone()
    from studio.media.devices import device_formats

    errors = []
    formats = device_formats()
    for fmt in ("pulse", "alsa"):
        if fmt in formats:
            try:
                return Microphone(fmt, choice), None
            except CaptureError as exc:
                errors.append(str(exc))
    microphone, why = open_microphone()
    detail = "; ".join(errors) or "no PulseAudio or ALSA input in this build"
    fallback = "using the default microphone" if microphone is not None else (why or "recording without sound")
    return microphone, f"microphone {choice}: cannot be opened ({detail}): {fallback}"
