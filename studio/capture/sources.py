"""Camera sources: a device through OpenCV (V4L2) and a file played at real-time pace.

Each source runs its own thread and calls `on_frame(CameraFrame)` for every picture, stamped with
the monotonic time it was captured; `on_end(reason)` once when it stops delivering (file ended,
device gone, error). A file camera also plays the file's audio as the take's "microphone"
(`on_audio(AudioChunk)`), on the same clock, so A/V sync can be tested without hardware.

    cam = open_camera("0")            # device index -> DeviceCamera
    cam = open_camera("clip.mp4")     # anything else -> FileCamera (loops files shorter than needed)
"""
from __future__ import annotations

import glob
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.frames import AUDIO_RATE, AudioChunk, CameraFrame

PREFERRED_SIZE = (1280, 720)
# sizes tried when listing what a device offers (V4L2 answers a set() with the nearest it supports)
COMMON_SIZES = ((1920, 1080), (1280, 720), (1024, 576), (960, 540), (800, 600), (640, 480), (640, 360),
                (320, 240))
READ_FAILURES_BEFORE_END = 15  # consecutive failed reads (~0.5 s at 30 fps) = the device is gone
NO_CAMERA = "no camera found: no /dev/video* devices; use --camera FILE to record from a video file"

FrameSink = Callable[[CameraFrame], None]
AudioSink = Callable[[AudioChunk], None]
EndSink = Callable[[str], None]


@dataclass
class CameraInfo:
    index: int
    name: str
    path: str
    sizes: list[tuple[int, int]] = field(default_factory=list)


class CameraSource:
    """Base: start(on_frame, on_audio=None, on_end=None) runs the capture thread; stop() ends it."""

    name = "camera"
    size: tuple[int, int] = (0, 0)
    fps: float = 30.0
    has_audio = False

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._on_frame: FrameSink | None = None
        self._on_audio: AudioSink | None = None
        self._on_end: EndSink | None = None
        self.frames_delivered = 0

    def start(self, on_frame: FrameSink, on_audio: AudioSink | None = None, on_end: EndSink | None = None) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self.name}: already started")
        self._on_frame, self._on_audio, self._on_end = on_frame, on_audio, on_end
        self._stop.clear()
        self._thread = threading.Thread(target=self._guarded_run, name=f"camera {self.name}", daemon=True)
        self._thread.start()

    def _guarded_run(self) -> None:
        reason = "stopped"
        try:
            reason = self._run()
        except Exception as exc:  # a source that raises mid-take: report it, the take is kept
            reason = f"{self.name} failed: {' '.join(str(exc).split()) or exc.__class__.__name__}"
        finally:
            if self._on_end is not None and not self._stop.is_set():
                self._on_end(reason)

    def _run(self) -> str:
        raise NotImplementedError

    def _deliver(self, rgb: np.ndarray, t: float, source_time: float | None = None) -> None:
        frame = CameraFrame(rgb, t, self.frames_delivered, source_time)
        self.frames_delivered += 1
        if self._on_frame is not None:
            self._on_frame(frame)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3)
        self._thread = None
        self._close()

    def _close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ------------------------------------------------------------------ devices

def _device_name(index: int) -> str:
    try:
        return Path(f"/sys/class/video4linux/video{index}/name").read_text().strip() or f"video{index}"
    except OSError:
        return f"video{index}"


def _device_indices() -> list[int]:
    out = []
    for p in glob.glob("/dev/video*"):
        m = re.fullmatch(r"/dev/video(\d+)", p)
        if m:
            out.append(int(m.group(1)))
    return sorted(out)


def _open_capture(index: int):
    import cv2

    cap = cv2.VideoCapture(index, cv2.CAP_V4L2)
    if not cap.isOpened():
        cap.release()
        return None
    return cap


def _probe_sizes(cap) -> list[tuple[int, int]]:
    import cv2

    found = []
    for w, h in COMMON_SIZES:
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, w)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, h)
        got = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        if got[0] > 0 and got not in found:
            found.append(got)
    return sorted(found, key=lambda s: s[0] * s[1], reverse=True)


def list_cameras(probe_sizes: bool = True) -> list[CameraInfo]:
    """Video capture devices (/dev/video*) with their names and the frame sizes they accept.

    Devices that cannot be opened (metadata nodes, busy cameras) are listed without sizes."""
    cams = []
    for index in _device_indices():
        info = CameraInfo(index, _device_name(index), f"/dev/video{index}")
        if probe_sizes:
            cap = _open_capture(index)
            if cap is not None:
                try:
                    info.sizes = _probe_sizes(cap)
                finally:
                    cap.release()
        cams.append(info)
    return cams


def _best_size(sizes: list[tuple[int, int]], wanted: tuple[int, int]) -> tuple[int, int]:
    if wanted in sizes or not sizes:
        return wanted
    area = wanted[0] * wanted[1]
    below = [s for s in sizes if s[0] * s[1] <= area]
    return max(below, key=lambda s: s[0] * s[1]) if below else min(sizes, key=lambda s: s[0] * s[1])


class DeviceCamera(CameraSource):
    """A webcam through OpenCV's V4L2 backend, opened at 1280x720 (or the best size it offers)."""

    def __init__(self, index: int = 0, size: tuple[int, int] = PREFERRED_SIZE, fps: float = 30.0):
        super().__init__()
        indices = _device_indices()
        if not indices:
            raise CaptureError(NO_CAMERA)
        if index not in indices:
            found = ", ".join(f"{i} ({_device_name(i)})" for i in indices)
            raise CaptureError(f"camera {index}: no such device (found: {found})")
        import cv2

        self.index = index
        self.name = f"camera {index} ({_device_name(index)})"
        cap = _open_capture(index)
        if cap is None:
            raise CaptureError(f"{self.name}: could not be opened (in use by another program, or no permission)")
        # MJPG lets USB cameras deliver 720p at 30 fps; YUYV is usually limited to ~10 fps at that size
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        target = _best_size(_probe_sizes(cap), tuple(size))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, target[0])
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, target[1])
        cap.set(cv2.CAP_PROP_FPS, fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest picture, not a queue of old ones
        ok, bgr = cap.read()
        if not ok or bgr is None:
            cap.release()
            raise CaptureError(f"{self.name}: opened but delivered no picture")
        self._cap = cap
        self.size = (bgr.shape[1], bgr.shape[0])
        self.fps = float(cap.get(cv2.CAP_PROP_FPS) or fps)

    def _run(self) -> str:
        import cv2

        failures = 0
        while not self._stop.is_set():
            ok, bgr = self._cap.read()
            t = time.monotonic()
            if not ok or bgr is None:
                failures += 1
                if failures >= READ_FAILURES_BEFORE_END:
                    return f"{self.name} stopped delivering frames (unplugged?)"
                time.sleep(0.03)
                continue
            failures = 0
            self._deliver(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), t)
        return "stopped"

    def _close(self) -> None:
        if getattr(self, "_cap", None) is not None:
            self._cap.release()
            self._cap = None


# ------------------------------------------------------------------ files

LATE_FRAME_S = 0.25  # a file-camera frame due longer ago than this is dropped, as a real camera would


class FileCamera(CameraSource):
    """Plays a video file as if it were a camera: frames at real-time pace, stamped on the monotonic
    clock at the moment the file position says they were "captured".

    loop=True restarts the file at its end (for takes longer than the file); loop=False reports
    the end through on_end like an unplugged camera. The file's audio, when it has any and
    `on_audio` is given, is delivered as the microphone (48 kHz stereo)."""

    def __init__(self, path, *, loop: bool = True, size: tuple[int, int] | None = None,
                 started_at: float | None = None):
        super().__init__()
        from studio.media.errors import MediaError
        from studio.media.playback import playback_info

        # monotonic time at which the "camera" began playing the file: a command that started
        # before the camera could be opened passes its own start, so file time = command time
        self.started_at = started_at
        self.path = Path(path)
        if not self.path.is_file():
            raise CaptureError(f"--camera {self.path}: no such file (give a device index like 0 or a video file)")
        try:
            info = playback_info(self.path)
        except MediaError as exc:
            raise CaptureError(f"--camera {self.path}: {exc.problem}") from None
        self.fps, self.has_audio = info.fps, info.has_audio
        w, h = info.size
        self.size = tuple(size) if size else (w, h)
        self._scale = size is not None and tuple(size) != (w, h)
        self.loop = loop
        self.name = f"file camera {self.path.name}"
        self.loops = 0  # completed passes through the file
        self.late_frames = 0  # frames skipped because they were due too long ago

    def _run(self) -> str:
        from studio.media.playback import Playback

        want_audio = self.has_audio and self._on_audio is not None
        start = self.started_at if self.started_at is not None else time.monotonic()
        catching_up = self.started_at is not None  # skip, not burst, what "played" before we opened
        offset = 0.0  # clock time of the current pass's file position 0
        while not self._stop.is_set():
            end = 0.0
            with Playback(self.path, audio=want_audio, rate=AUDIO_RATE, low_delay=True) as playback:
                for frame in playback:
                    due = start + offset + frame.time
                    if frame.is_video:  # the pass's length counts skipped frames too
                        end = max(end, frame.time + 1.0 / self.fps)
                    if catching_up:
                        if due < time.monotonic() - 0.5 / self.fps:
                            continue
                        catching_up = False
                    elif frame.is_video and due < time.monotonic() - LATE_FRAME_S:
                        # Behind real time (a loaded machine): a real camera would have dropped
                        # these frames. Delivering them late, stamped with their schedule, made a
                        # lagging camera's frames all predate a take's start, so a take recorded
                        # nothing; skipping them (and their RGB conversion) catches up at once.
                        self.late_frames += 1
                        continue
                    if self._stop.wait(max(0.0, due - time.monotonic())):
                        return "stopped"
                    if frame.is_video:
                        self._deliver(frame.rgb(self.size if self._scale else None), due, frame.time)
                    else:
                        for pcm in frame.pcm():
                            self._on_audio(AudioChunk(pcm, due))
                            due += len(pcm) / AUDIO_RATE
            if end <= 0:
                return f"{self.name}: the file has no decodable frames"
            if not self.loop:
                return f"{self.name} ended after {end:.2f} s (camera stopped delivering frames)"
            self.loops += 1
            offset += end
        return "stopped"


def open_camera(spec: str | int, *, loop: bool = True, size: tuple[int, int] | None = None,
                started_at: float | None = None) -> CameraSource:
    """`--camera` value -> source: an integer (or "/dev/videoN") is a device, anything else a file."""
    text = str(spec).strip()
    m = re.fullmatch(r"(?:/dev/video)?(\d+)", text)
    if m and not os.path.isfile(text):
        return DeviceCamera(int(m.group(1)), size=size or PREFERRED_SIZE)
    return FileCamera(text, loop=loop, size=size, started_at=started_at)
