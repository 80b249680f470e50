"""A live session: the camera through its AR effects and look, composed into the scene on air,
encoded once and sent to the ingest while the same stream is kept as a crash-safe safety recording.

    session = LiveSession(open_camera("0"), settings, StreamKey(key), record=Path("Live.mp4"))
    session.start()            # LiveError: one line, no key in it
    session.mark("the reveal") # a highlight at this moment of the recording
    session.switch_scene("demo")
    session.play_sound("applause")
    session.health()           # LiveHealth: the stream's, plus the camera side's
    result = session.stop()    # the recording finished as Live.mp4 + Live.studio with the markers

Threads: the camera thread hands pictures to the capture session's preview thread, which runs
the effect chain; this module composes the scene on that same thread and queues the frame for the
encoder (never waiting on it); sound goes from the camera's file or the microphone, with the sound
board mixed in, to the encoder on the audio thread. Without any sound source a quiet bed keeps the
stream's audio track going (platforms drop a stream whose audio stops).
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from studio.capture.frames import AUDIO_RATE, AudioChunk, CameraFrame
from studio.capture.stream_recording import (FinishedStream, Highlight, finish_stream_recording,
                                             write_stream_sidecar)
from studio.capture.writer import recording_path
from studio.live.errors import LiveError
from studio.live.health import Health
from studio.live.mixer import SoundBoard
from studio.live.output import LiveOutput
from studio.live.scene import SceneRenderer, cover_crop
from studio.live.secrets import StreamKey, scrub
from studio.model import EffectRef
from studio.model.live_scene import LiveScene, LiveSettings

BED_BLOCK = 0.02  # seconds of sound per block when the quiet bed carries the audio track


@dataclass(frozen=True)
class LiveHealth:
    """The stream's health plus what happens before the encoder."""
    stream: Health
    camera_fps: float          # pictures composed and queued per second
    frames_skipped: int        # camera pictures the effect chain had no time for
    pipeline_ms: float | None  # camera capture -> frame queued for the encoder (tracking, effects, scene)
    highlights: int

    @property
    def frames_dropped(self) -> int:
        return self.stream.frames_dropped + self.frames_skipped

    def line(self) -> str:
        """One line for the command line and the status bar."""
        s = self.stream
        lag = "–" if s.encoder_lag_ms is None else f"{s.encoder_lag_ms:.0f} ms"
        pipe = "–" if self.pipeline_ms is None else f"{self.pipeline_ms:.0f} ms"
        return (f"{s.state:<12} {s.fps:4.1f} fps  {s.kbps:6.0f} kbit/s  dropped {self.frames_dropped}  "
                f"effects {pipe}  encoder {lag}  CPU {s.cpu_percent:3.0f} %  reconnects {s.reconnects}  "
                f"live {s.seconds_live:5.0f} s  highlights {self.highlights}")


@dataclass
class LiveResult:
    finished: FinishedStream | None  # the recording as Live.mp4 + Live.studio (None without one)
    health: LiveHealth
    error: str | None = None  # why the recording could not be finished (it stays for `studio recover`)
    recording: Path | None = None


def scene_effects(scene: LiveScene) -> list[EffectRef]:
    """The camera's effect chain for a scene: its effects, then its look."""
    refs = list(scene.camera_effects)
    if scene.look:
        refs.append(EffectRef("look", {"name": scene.look}))
    return refs


class LiveSession:
    def __init__(self, camera, settings: LiveSettings, key: StreamKey | str, *, url: str | None = None,
                 record: Path | None = None, microphone=None,
                 on_programme: Callable[[np.ndarray], None] | None = None,
                 on_event: Callable[[str], None] | None = None, clock=time.monotonic):
        """`settings`: size, rate, bitrate, scenes (the one on air is `active_scene`); `url`
        overrides settings.url. `record`: the finished recording's name (Live.mp4); its safety
        recording is written beside it while live. `on_programme(rgb)`: each composed frame (the
        window's preview of what viewers see), on the composing thread."""
        if not settings.scenes:
            raise LiveError("the live setup has no scene: add one (the camera alone is a scene)")
        self.settings = settings
        self.key = StreamKey(key)
        self.url = url or settings.url
        if not self.url:
            raise LiveError("no stream address: give the server's RTMP/RTMPS/SRT URL")
        self.camera = camera
        self.microphone = microphone
        self.on_programme = on_programme
        self.on_event = on_event
        self.clock = clock
        self.record = Path(record) if record is not None else None
        self.recording = recording_path(self.record) if self.record is not None else None
        self.size = (settings.width, settings.height)
        active = settings.active_scene or settings.scenes[0].id
        try:
            self.scene = settings.scene(active)
        except KeyError:
            raise LiveError(f"scene {active!r} is not one of this live setup's scenes") from None
        from studio.effects.chain import EffectChain

        for scene in settings.scenes:  # an unknown effect or a bad value: said now, before connecting
            EffectChain(scene_effects(scene)).close()
        self.renderer = SceneRenderer(self.scene, self.size)
        self.sounds = SoundBoard(AUDIO_RATE)
        self.highlights: list[Highlight] = []
        self._lock = threading.Lock()
        self._second = None
        self._capture = None
        self._output: LiveOutput | None = None
        self._lock_fd: int | None = None
        self._composed = 0
        self._first_composed: float | None = None
        self._pipeline: float | None = None
        self._bed_stop = threading.Event()
        self._bed: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Connect and start sending; LiveError (one line, no key) when the stream cannot start or
        the camera cannot be used. Nothing keeps running after an error."""
        from studio.capture.session import CaptureSession

        self._output = LiveOutput(self.url, self.key, size=self.size, fps=self.settings.fps,
                                  video_kbps=self.settings.video_kbps, record=self.recording,
                                  on_event=self._event, clock=self.clock)
        self._output.start()
        try:
            if self.recording is not None:
                self._hold_recording()
                self._write_sidecar()
            self._open_second(self.scene)
            has_sound = self.camera.has_audio or self.microphone is not None
            self._capture = CaptureSession(self.camera, effects=scene_effects(self.scene), microphone=self.microphone,
                                           on_preview=self._compose, on_audio=self._sound if has_sound else None,
                                           preview_crop=self._camera_crop)
            self._capture.start()
            if not has_sound:
                self._bed = threading.Thread(target=self._quiet_bed, name="live-sound", daemon=True)
                self._bed.start()
        except Exception as exc:
            self._abort()
            if isinstance(exc, LiveError):
                raise
            raise LiveError(scrub(" ".join(str(exc).split()) or type(exc).__name__, self.key)) from None

    def stop(self, finish: bool = True) -> LiveResult:
        """End the stream cleanly and finish the safety recording (Live.mp4 + Live.studio)."""
        self._shut_down()
        health = self.health()
        result = LiveResult(None, health, recording=self.recording)
        if finish and self.recording is not None and self.recording.exists():
            try:
                result.finished = finish_stream_recording(self.recording)
                result.recording = None
            except Exception as exc:  # the safety recording stays for `studio recover`
                result.error = " ".join(str(exc).split())
        return result

    def _abort(self) -> None:
        self._shut_down(network_timeout=1.0)

    def _shut_down(self, network_timeout: float = 5.0) -> None:
        """Camera, sound, second source and stream stopped; the recording's lock let go."""
        self._bed_stop.set()
        if self._capture is not None:
            self._capture.close()
        if self._bed is not None and self._bed.is_alive():
            self._bed.join(timeout=2)
        if self._second is not None:
            self._second.close()
        if self._output is not None:
            self._output.stop(timeout=network_timeout)
        self._release_recording()

    # -- while live ------------------------------------------------------------------------------
    def mark(self, name: str = "") -> Highlight:
        """A highlight at this moment of the recording (the hotkey); kept on disk at once."""
        t0 = self._output.started_at if self._output is not None else self.clock()
        with self._lock:
            highlight = Highlight(max(0.0, self.clock() - t0), name or f"Highlight {len(self.highlights) + 1}")
            self.highlights.append(highlight)
        if self.recording is not None:
            self._write_sidecar()
        self._event(f"highlight {len(self.highlights)} at {highlight.seconds:.1f} s")
        return highlight

    def switch_scene(self, scene: LiveScene | str) -> None:
        """Put another scene on air from the next frame: its overlays are drawn, its second source
        opened and its effect chain built before the switch, so the stream does not stutter."""
        if isinstance(scene, str):
            try:
                scene = self.settings.scene(scene)
            except KeyError:
                raise LiveError(f"no scene {scene!r}") from None
        self.renderer.switch(scene)
        if scene.second_source != self.scene.second_source:
            old = self._second
            self._open_second(scene)
            if old is not None:
                old.close()
        if self._capture is not None and scene_effects(scene) != scene_effects(self.scene):
            self._capture.set_effects(scene_effects(scene))
        self.scene = scene
        self._event(f"on air: {scene.name or scene.id}")

    def play_sound(self, sound: str) -> float:
        """Plays a library sound id or an audio file into the stream (music or a sound effect on
        a hotkey); returns its length in seconds."""
        return self.sounds.play(sound)

    def health(self) -> LiveHealth:
        stream = self._output.health() if self._output is not None else None
        if stream is None:
            stream = Health("stopped", 0.0, 0, 0.0, None, 0.0, 0, 0.0, self.recording)
        with self._lock:
            composed, first, pipeline = self._composed, self._first_composed, self._pipeline
        span = self.clock() - first if first is not None else 0
        skipped = self._capture.stats.skipped if self._capture is not None else 0
        return LiveHealth(stream, composed / span if span > 1 else 0.0, skipped,
                          None if pipeline is None else pipeline * 1000, len(self.highlights))

    # -- threads ---------------------------------------------------------------------------------
    def _camera_crop(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The part of the camera the scene shows (its box's aspect), so tracking and effects run
        on that part only: a landscape camera in a portrait stream is cut to its middle third."""
        w, h = self.size
        if self.scene.layout == "split" and self.scene.second_source is not None:
            w, h = (w, h // 2) if h >= w else (w // 2, h)
        return cover_crop(width, height, w, h)

    def _compose(self, processed: np.ndarray, frame: CameraFrame) -> None:
        """The preview thread: the effect chain's picture into the scene, then to the encoder."""
        second = self._second.latest() if self._second is not None else None
        rgb = self.renderer.render(processed, second)
        self._output.send_video(rgb, frame.time)
        now = self.clock()
        with self._lock:
            self._composed += 1
            if self._first_composed is None:
                self._first_composed = now
            self._pipeline = now - frame.time
        if self.on_programme is not None:
            self.on_programme(rgb)

    def _sound(self, chunk: AudioChunk) -> None:
        samples = chunk.samples.astype(np.float32) / 32768.0
        self._output.send_audio(self.sounds.mix(samples), chunk.time)

    def _quiet_bed(self) -> None:
        """Silence (with the sound board in it) at real time, for a stream with no sound source."""
        block = int(AUDIO_RATE * BED_BLOCK)
        sent = 0
        start = self.clock()
        while not self._bed_stop.is_set():
            due = int((self.clock() - start) * AUDIO_RATE)
            while sent + block <= due:
                self._output.send_audio(self.sounds.mix(np.zeros((block, 2), np.float32)),
                                        start + sent / AUDIO_RATE)
                sent += block
            self._bed_stop.wait(BED_BLOCK / 2)

    # -- helpers ---------------------------------------------------------------------------------
    def _open_second(self, scene: LiveScene) -> None:
        from studio.live.second_source import open_second_source

        self._second = None
        if scene.second_source is not None and scene.layout != "full":
            self._second = open_second_source(scene.second_source, self.size)

    def _write_sidecar(self) -> None:
        # the stream's settings as data, never the key: the URL saved is the server's address only
        info = {"url": scrub(self.url, self.key), "size": list(self.size), "fps": self.settings.fps,
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        with self._lock:
            highlights = list(self.highlights)
        write_stream_sidecar(self.recording, info, highlights)

    def _hold_recording(self) -> None:
        """The lock that tells `studio recover` a live process still owns the safety recording."""
        fd = os.open(self.recording, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._lock_fd = fd

    def _release_recording(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _event(self, message: str) -> None:
        if self.on_event is not None:
            self.on_event(scrub(message, self.key))


__all__ = ["LiveHealth", "LiveResult", "LiveSession", "scene_effects"]
