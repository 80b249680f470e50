"""A camera with a live effect preview, and takes recorded from it (Qt-free; the window drives it).

Threads: the camera thread stamps each picture and hands it (raw) to the recording take at once
and to the preview as "the newest frame" (older unprocessed ones are skipped, so a slow effect
chain lowers the preview rate but never delays or drops recorded frames); the preview thread
runs the effect chain and calls `on_preview(processed_rgb, frame)`; each take has a writer thread
that drains a bounded queue into the crash-safe file (frames are counted as dropped only when
the disk falls more than `QUEUE_FRAMES` behind). Audio comes from the file camera's own sound or
the microphone, stamped on the same monotonic clock.

    session = CaptureSession(open_camera("0"), effects=[EffectRef("beauty")], on_preview=show)
    session.start()
    take = session.begin_take("take.mp4", TakeSettings(countdown=3, max_seconds=15))
    ...  take.pause(); take.resume(); take.delete_last_segment()
    result = take.finish()   # stop (if still running) and finalise -> TakeResult
    session.close()          # a take never finished stays as TAKE.mp4.recording.mkv for recover()
"""
from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.finalising import FinalisedTake, finalise
from studio.capture.frames import AudioChunk, CameraFrame
from studio.capture.microphone import Microphone
from studio.capture.recorder import Recorder, State
from studio.capture.sources import CameraSource
from studio.capture.writer import TakeWriter, recording_path

if TYPE_CHECKING:
    from studio.capture.backing import ResolvedSound

QUEUE_FRAMES = 90  # 3 s of 30 fps video the disk may fall behind before frames are dropped
STALL_SECONDS = 2.0  # no picture for this long while recording = the camera stopped delivering
LATENCY_WINDOW = 300
MASK_BUDGET = 512 << 20  # bytes of live person masks kept per take for the tracking cache
LATE_FRAME_GRACE = 0.5  # seconds finish() waits for frames captured before the end but not yet delivered


@dataclass
class TakeSettings:
    countdown: float = 3
    max_seconds: float | None = 60
    speed: float = 1.0
    bake: bool = False  # record the processed picture (effects fixed) instead of the raw camera
    sound: ResolvedSound | None = None  # recording to a sound (backing.py): it limits the length


@dataclass
class TakeResult:
    output: Path
    finalised: FinalisedTake | None  # None when finalising failed (the recording is kept)
    reason: str  # why it stopped: "stopped", "max length", "camera ...", "write error ..."
    recorded_frames: int
    dropped_frames: int
    error: str | None = None  # finalisation error; the .recording.mkv is kept for `studio recover`
    recording: Path | None = None


class _Tracing:
    """Wraps the live tracker so each preview frame's raw (unsmoothed) results can be kept."""

    @staticmethod
    def make(needs):
        from studio.tracking.tracker import Tracker

        class RecordingTracker(Tracker):
            last_raw = None

            def track_raw(self, rgb, needs=None):
                raw = super().track_raw(rgb, needs)
                self.last_raw = raw
                return raw

        return RecordingTracker(needs)


@dataclass
class PreviewStats:
    frames: int = 0
    started: float = 0.0
    latencies: deque = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    skipped: int = 0  # camera frames the preview had no time for (recording still gets them)

    @property
    def fps(self) -> float:
        span = time.monotonic() - self.started
        return self.frames / span if span > 0 else 0.0


class Take:
    """One take: recorder state machine + writer thread; finish() finalises it."""

    def __init__(self, session: "CaptureSession", output: Path, settings: TakeSettings, has_audio: bool,
                 listener: Callable[[str, Recorder], None] | None):
        self.session = session
        self.output = Path(output)
        self.settings = settings
        max_seconds = settings.max_seconds
        if settings.sound is not None:  # the take stops where the sound ends
            fits = settings.sound.remaining
            max_seconds = fits if max_seconds is None else min(max_seconds, fits)
        self.recorder = Recorder(countdown=settings.countdown, max_seconds=max_seconds,
                                 speed=settings.speed)
        self.recording = recording_path(self.output)
        effects = [dataclasses.asdict(e) if dataclasses.is_dataclass(e) else dict(e) for e in session.effects]
        info = {"version": 1, "target": self.output.name, "fps": 30, "speed": settings.speed,
                "max_seconds": max_seconds, "bake": settings.bake, "effects": effects,
                "sound": None if settings.sound is None else {"source": settings.sound.source,
                                                              "start": settings.sound.start,
                                                              "title": settings.sound.title},
                "camera": session.camera.name, "segments": []}
        self.writer = TakeWriter(self.recording, session.camera.size, audio=has_audio, info=info,
                                 fps=session.camera.fps)
        self.reason = ""
        self.write_error: str | None = None
        self.dropped = 0
        self.newest_time = -1.0  # capture time of the newest frame offered (finish waits for late ones)
        self.tracking: dict[int, object] = {}  # recorded pts (ms) -> tracker RawFrame
        self._mask_bytes = 0
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self._done = threading.Event()
        self._sidecar_dirty = threading.Event()
        self._thread = threading.Thread(target=self._write_loop, name="take writer", daemon=True)
        self._thread.start()
        self.recorder.add_listener(self._on_recorder)
        if listener is not None:
            self.recorder.add_listener(listener)

    # -- recorder events (any thread): the sidecar is rewritten by the writer thread
    def _on_recorder(self, event: str, rec: Recorder) -> None:
        if event == "segments":
            self._sidecar_dirty.set()
        if event == "state" and rec.state == State.FINISHED:
            self.reason = self.reason or rec.finish_reason
            self._done.set()

    # -- input (camera / preview / audio threads)
    def offer_video(self, rgb: np.ndarray, frame: CameraFrame) -> float | None:
        self.newest_time = max(self.newest_time, frame.time)
        pos = self.recorder.frame_position(frame.time)
        if pos is None or self.write_error:
            return None
        try:
            self._queue.put_nowait(("v", rgb, pos))
        except queue.Full:
            self.dropped += 1
            return None
        return pos

    def offer_audio(self, chunk: AudioChunk) -> None:
        span = self.recorder.audio_position(chunk.time, len(chunk.samples), chunk.rate)
        if span is None or self.write_error:
            return
        skip, keep, pos = span
        try:
            self._queue.put(("a", chunk.samples[skip:skip + keep], pos), timeout=0.5)
        except queue.Full:
            pass

    def note_tracking(self, pos: float, raw) -> None:
        """Keep the live tracking of a recorded frame for the tracking cache. Person masks are
        big (~150 kB each): past MASK_BUDGET only landmarks are kept and the export re-runs
        segmentation for the rest."""
        if raw.mask is not None:
            if self._mask_bytes + raw.mask.nbytes > MASK_BUDGET:
                raw = type(raw)(raw.parts - {"segmentation"}, raw.faces, raw.hands, raw.handedness, None)
            else:
                self._mask_bytes += raw.mask.nbytes
        self.tracking[int(round(pos * 1000))] = raw

    # -- writer thread
    def _write_loop(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=0.25)
            except queue.Empty:
                item = ()
            if self._sidecar_dirty.is_set() and not self.write_error:
                self._sidecar_dirty.clear()
                self._write_sidecar()
            if item is None:
                return
            if not item or self.write_error:
                continue
            kind, data, pos = item
            try:
                if kind == "v":
                    self.writer.write_video(data, pos)
                else:
                    self.writer.write_audio(data, pos)
            except Exception as exc:  # disk full, folder gone: stop, keep what is on disk
                self.write_error = f"cannot write {self.recording.name}: {' '.join(str(exc).split())}"
                self.reason = self.reason or f"write error ({self.write_error})"
                self.recorder.stop(reason=self.reason)

    def _write_sidecar(self) -> None:
        try:
            self.writer.update_info(self.recorder.to_dict())
        except Exception as exc:
            self.write_error = str(exc)
            self.reason = self.reason or f"write error ({exc})"
            self.recorder.stop(reason=self.reason)

    # -- controls (any thread)
    @property
    def state(self) -> State:
        return self.recorder.state

    def start(self, now: float | None = None) -> None:
        self.recorder.start(now)

    def pause(self) -> None:
        self.recorder.pause()

    def resume(self) -> None:
        self.recorder.resume()

    def delete_last_segment(self):
        return self.recorder.delete_last_segment()

    def stop(self, reason: str = "stopped") -> None:
        self.reason = self.reason or reason
        self.recorder.stop(reason=reason)

    def camera_ended(self, reason: str) -> None:
        if self.recorder.state != State.FINISHED:
            self.reason = self.reason or reason
            # the take ends with the last picture's frame time, not when the end was noticed
            end = self.newest_time + 1.0 / (self.session.camera.fps or 30) if self.newest_time > 0 else None
            self.recorder.stop(reason=reason, end_at=end)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the take finished (stopped, max length, camera ended); True when it did."""
        return self._done.wait(timeout)

    def _wait_for_late_frames(self, grace: float = LATE_FRAME_GRACE) -> None:
        """Frames are stamped when captured but can arrive a little later (a busy machine, a
        decoder); wait until one captured after the end has arrived so none inside it is lost."""
        segs = self.recorder.segments
        if not segs or self.session.camera_end_reason:
            return
        last = segs[-1]
        end = last.t_start + last.length()
        deadline = time.monotonic() + grace
        while self.newest_time < end and time.monotonic() < deadline:
            time.sleep(0.01)

    def finish(self, finalise_take: bool = True) -> TakeResult:
        """Stop if still running, write out the queue, finalise. Never raises for a finalisation
        problem: the result says what happened and the recording stays for `studio recover`."""
        if self.recorder.state != State.FINISHED:
            self.stop()
        self._wait_for_late_frames()
        self.session._end_take(self)
        self._queue.put(None)
        self._thread.join()
        self._sidecar_dirty.clear()
        close_error = None
        try:
            self.writer.update_info(self.recorder.to_dict())
        except Exception as exc:
            close_error = str(exc)
        try:
            self.writer.close()
        except Exception as exc:
            close_error = close_error or f"cannot write {self.recording.name}: {exc}"
        result = TakeResult(self.output, None, self.reason or self.recorder.finish_reason, self.writer.video_frames,
                            self.dropped, self.write_error or close_error, self.recording)
        if not finalise_take or self.writer.video_frames == 0:
            if self.writer.video_frames == 0:
                self.recording.unlink(missing_ok=True)
                self.writer.sidecar.unlink(missing_ok=True)
                result.recording = None
                result.error = result.error or "nothing was recorded"
            return result
        try:
            result.finalised = finalise(self.recording, self.output, tracking=self.tracking or None)
            result.recording = None
        except Exception as exc:
            result.error = " ".join(str(exc).split()) or exc.__class__.__name__
        return result


class CaptureSession:
    """Camera + live effect preview + takes. `effects`: EffectRef-like objects for the live chain."""

    def __init__(self, camera: CameraSource, *, effects: Iterable = (), microphone: Microphone | None = None,
                 on_preview: Callable[[np.ndarray, CameraFrame], None] | None = None,
                 preview_size: tuple[int, int] | None = None, stall_seconds: float = STALL_SECONDS,
                 on_audio: Callable[[AudioChunk], None] | None = None,
                 preview_crop: Callable[[int, int], tuple[int, int, int, int]] | None = None):
        """`on_audio(chunk)`: every block of sound as it arrives (a live stream sends it), besides
        the take that records it. `preview_crop(w, h) -> (x, y, cw, ch)`: the part of each
        picture the preview uses, cut before the effect chain runs (a portrait stream from a
        landscape camera shows a third of it: the effects need not work on the rest)."""
        self.preview_crop = preview_crop
        self.camera = camera
        self.microphone = microphone
        self.on_preview = on_preview
        self.on_audio = on_audio
        self.preview_size = preview_size
        self.stall_seconds = stall_seconds
        self.effects = list(effects)
        self.stats = PreviewStats()
        self.camera_end_reason: str | None = None
        self._chain = None
        self._tracker = None
        self._chain_lock = threading.Lock()
        self._take: Take | None = None
        self._newest: CameraFrame | None = None
        self._newest_pos: float | None = None  # its active time in the take, when recorded
        self._newest_cv = threading.Condition()
        self._running = threading.Event()
        self._preview_thread: threading.Thread | None = None
        self._last_frame = 0.0
        self._t0 = 0.0
        self.set_effects(self.effects)

    @property
    def has_audio(self) -> bool:
        return self.camera.has_audio or self.microphone is not None

    def set_effects(self, refs: Iterable) -> None:
        """Swap the live chain (EffectError for unknown effects / bad params, raised here)."""
        from studio.effects.chain import EffectChain

        refs = list(refs)
        chain = EffectChain(refs)
        tracker = None
        if chain.needs:
            tracker = _Tracing.make(chain.needs)
            chain = EffectChain(refs, tracker=tracker)
        with self._chain_lock:
            old = self._chain
            self._chain, self._tracker, self.effects = chain, tracker, refs
        if old is not None:
            old.close()

    # -- lifecycle
    def start(self) -> None:
        self._running.set()
        self._t0 = self._last_frame = time.monotonic()
        self.stats = PreviewStats(started=self._t0)
        self._preview_thread = threading.Thread(target=self._preview_loop, name="preview", daemon=True)
        self._preview_thread.start()
        on_audio = self._on_audio if self.camera.has_audio else None
        self.camera.start(self._on_frame, on_audio, self._on_camera_end)
        if self.microphone is not None and not self.camera.has_audio:
            self.microphone.start(self._on_audio)

    def wait_preview(self, frames: int = 1, timeout: float = 15.0) -> bool:
        """Block until the preview has shown `frames` processed frames (the first ones load the
        tracking models, which takes a moment); True when it has."""
        deadline = time.monotonic() + timeout
        while self.stats.frames < frames and time.monotonic() < deadline:
            if self.camera_end_reason:
                return False
            time.sleep(0.02)
        return self.stats.frames >= frames

    def close(self) -> None:
        if self._take is not None:
            self._take.stop()
        self._running.clear()
        with self._newest_cv:
            self._newest_cv.notify_all()
        self.camera.stop()
        if self.microphone is not None:
            self.microphone.stop()
        if self._preview_thread is not None:
            self._preview_thread.join(timeout=5)
        with self._chain_lock:
            if self._chain is not None:
                self._chain.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    # -- takes
    def begin_take(self, output, settings: TakeSettings | None = None,
                   listener: Callable[[str, Recorder], None] | None = None, start: bool = True) -> Take:
        """Open the crash-safe file (CaptureError when the folder is not writable) and start the
        countdown. One take at a time."""
        if self._take is not None and self._take.state != State.FINISHED:
            raise CaptureError("a take is already being recorded")
        output = Path(output)
        if output.suffix.lower() != ".mp4":
            raise CaptureError(f"{output}: the take is written as MP4; name it *.mp4")
        if self.camera_end_reason:
            raise CaptureError(self.camera_end_reason)
        take = Take(self, output, settings or TakeSettings(), self.has_audio, listener)
        self._take = take
        if start:
            take.start()
        return take

    def _end_take(self, take: Take) -> None:
        if self._take is take:
            self._take = None

    # -- camera thread
    def _on_frame(self, frame: CameraFrame) -> None:
        self._last_frame = time.monotonic()
        take = self._take
        if take is not None and not take.settings.bake:
            pos = take.offer_video(frame.rgb, frame)
            frame_pos = pos
        else:
            frame_pos = None
        with self._newest_cv:
            if self._newest is not None:
                self.stats.skipped += 1
            self._newest = frame
            self._newest_pos = frame_pos
            self._newest_cv.notify()

    def _on_audio(self, chunk: AudioChunk) -> None:
        take = self._take
        if take is not None:
            take.offer_audio(chunk)
        if self.on_audio is not None:
            self.on_audio(chunk)

    def _on_camera_end(self, reason: str) -> None:
        self.camera_end_reason = reason
        take = self._take
        if take is not None:
            take.camera_ended(reason)

    # -- preview thread
    def _preview_loop(self) -> None:
        while self._running.is_set():
            with self._newest_cv:
                if self._newest is None:
                    self._newest_cv.wait(timeout=0.25)
                frame, pos = self._newest, self._newest_pos
                self._newest = None
            take = self._take
            if frame is None:
                if take is not None and time.monotonic() - self._last_frame > self.stall_seconds:
                    take.camera_ended(f"{self.camera.name} stopped delivering frames "
                                      f"(nothing for {self.stall_seconds:.0f} s)")
                continue
            if take is not None:
                take.recorder.tick()
            rgb = frame.rgb
            if self.preview_crop is not None:
                x, y, cw, ch = self.preview_crop(rgb.shape[1], rgb.shape[0])
                if (cw, ch) != (rgb.shape[1], rgb.shape[0]):
                    rgb = np.ascontiguousarray(rgb[y:y + ch, x:x + cw])
            if self.preview_size is not None and (rgb.shape[1], rgb.shape[0]) != tuple(self.preview_size):
                import cv2

                rgb = cv2.resize(rgb, tuple(self.preview_size), interpolation=cv2.INTER_AREA)
            with self._chain_lock:
                chain, tracker = self._chain, self._tracker
                if tracker is not None:
                    tracker.last_raw = None
                out = chain.apply(rgb, frame_index=frame.index, time=frame.time - self._t0)
                raw = tracker.last_raw if tracker is not None else None
            if take is not None:
                if take.settings.bake:
                    if self.preview_size is None:
                        take.offer_video(out, frame)
                    else:  # baked takes keep the camera's size: run the chain on the full picture
                        take.offer_video(chain.apply(frame.rgb, frame_index=frame.index,
                                                     time=frame.time - self._t0), frame)
                elif pos is not None and raw is not None:
                    take.note_tracking(pos, raw)
            self.stats.frames += 1
            self.stats.latencies.append(time.monotonic() - frame.time)
            if self.on_preview is not None:
                self.on_preview(out, frame)
