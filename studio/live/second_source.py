"""The second source of a live scene, each on its own thread, each offering its newest picture:
a video file played round and round at its own rate, a second camera, or the X11 screen.

    feed = open_second_source(SecondSource("file", "loop.mp4"), (360, 640))
    rgb = feed.latest()   # None until the first picture, and after the source stops
    feed.close()

`size` (w, h) is the box the picture will fill: pictures arrive scaled (aspect kept) just large
enough to cover it, so the scene renderer's per-frame resize is small. Files and cameras go
through studio.capture's camera sources (which decode through studio.media)."""
from __future__ import annotations

import math
import os
import re
import threading

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.frames import CameraFrame
from studio.capture.sources import CameraSource, FileCamera, list_cameras, open_camera
from studio.live.errors import LiveError
from studio.model.live_scene import SecondSource

SCREEN_FPS = 30
_CAMERA_SPEC = re.compile(r"(?:/dev/video)?(\d+)")
# x11grab's input: [host]:display[.screen][+x,y]
_DISPLAY_SPEC = re.compile(r"[\w.-]*:\d+(?:\.\d+)?(?:\+\d+,\d+)?")


class SecondSourceError(LiveError):
    """A second source that cannot be opened; the message is one line naming it."""


class SecondFeed:
    """The newest picture of a running source. `latest()` from any thread; `ended` says why the
    source stopped delivering (None while it runs)."""

    name = "second source"

    def __init__(self) -> None:
        self._latest: np.ndarray | None = None
        self.ended: str | None = None
        self.frames = 0

    def latest(self) -> np.ndarray | None:
        return self._latest  # each picture is a new array, never written again: safe to hand out

    def _put(self, rgb: np.ndarray) -> None:
        self._latest = rgb
        self.frames += 1

    def _end(self, reason: str) -> None:
        self.ended = reason
        self._latest = None  # a pip of a gone source hides rather than freezing on its last picture

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_second_source(source: SecondSource, size: tuple[int, int] | None = None) -> SecondFeed:
    """Start `source`; raises SecondSourceError (one line) when it cannot be opened."""
    if source.kind == "file":
        return _CameraFeed(_file_camera(source.path_or_index, size))
    if source.kind == "camera":
        return _CameraFeed(_device_camera(source.path_or_index, size))
    if source.kind == "screen":
        return _ScreenFeed(source.path_or_index, size)
    raise SecondSourceError(f"second source: unknown kind {source.kind!r} (file, camera or screen)")


def cover_scale(width: int, height: int, box: tuple[int, int] | None) -> tuple[int, int]:
    """The size (even, aspect kept) at which a width x height picture just covers `box`; never
    larger than the picture itself."""
    if box is None:
        return width, height
    scale = min(1.0, max(box[0] / width, box[1] / height))
    return max(2, math.ceil(width * scale / 2) * 2), max(2, math.ceil(height * scale / 2) * 2)


class _CameraFeed(SecondFeed):
    def __init__(self, camera: CameraSource):
        super().__init__()
        self.name = camera.name
        self._camera = camera
        camera.start(self._on_frame, on_end=self._end)

    def _on_frame(self, frame: CameraFrame) -> None:
        self._put(frame.rgb)

    def close(self) -> None:
        self._camera.stop()


def _file_camera(path: str, size: tuple[int, int] | None) -> FileCamera:
    from studio.media.errors import MediaError
    from studio.media.playback import playback_info

    name = os.path.basename(path) or path
    if not os.path.isfile(path):
        raise SecondSourceError(f"second source {name}: no such video file")
    try:
        w, h = playback_info(path).size
    except MediaError as exc:
        raise SecondSourceError(f"second source {name}: {exc.problem}") from None
    try:
        return FileCamera(path, loop=True, size=cover_scale(w, h, size))
    except CaptureError as exc:
        raise SecondSourceError(f"second source {name}: {_one_line(exc)}") from None


def _device_camera(spec: str, size: tuple[int, int] | None) -> CameraSource:
    match = _CAMERA_SPEC.fullmatch(spec.strip())
    if match is None:
        raise SecondSourceError(f"second camera {spec!r}: not a camera (give an index like 1 or /dev/video2)")
    if not list_cameras(probe_sizes=False):
        raise SecondSourceError(f"second camera {spec}: no camera found (this machine has no /dev/video* devices)")
    try:
        # a device is opened at the size nearest the box it fills (it crops to cover later)
        return open_camera(match.group(1), size=(size[0], size[1]) if size else None)
    except CaptureError as exc:
        raise SecondSourceError(f"second camera {spec}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__


class _ScreenFeed(SecondFeed):
    """The X11 screen (studio.media's x11grab input), at SCREEN_FPS."""

    def __init__(self, display: str, size: tuple[int, int] | None):
        from studio.media.devices import ScreenInput
        from studio.media.errors import MediaError

        super().__init__()
        display = display.strip() or os.environ.get("DISPLAY", "")
        if not display:
            raise SecondSourceError("screen capture: no X display ($DISPLAY is not set; "
                                    "a Wayland-only session cannot be captured this way)")
        if not _DISPLAY_SPEC.fullmatch(display):
            raise SecondSourceError(f"screen capture {display!r}: not an X display (like :0 or :0.0+100,200)")
        self.name = f"screen {display}"
        try:
            self._input = ScreenInput(display, fps=SCREEN_FPS)
        except MediaError as exc:
            raise SecondSourceError(f"screen capture {display}: cannot open the X display "
                                    f"({exc.reason or exc.problem})") from None
        self._size = cover_scale(*self._input.size, size)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"live {self.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from studio.media.errors import MediaError

        reason = "stopped"
        try:
            for rgb in self._input.pictures(self._size):
                if self._stop.is_set():
                    break
                self._put(rgb)
            else:
                reason = f"{self.name}: the display stopped delivering pictures"
        except MediaError as exc:  # the X server went away
            reason = f"{self.name} failed: {_one_line(exc)}"
        finally:
            self._input.close()
            if not self._stop.is_set():
                self._end(reason)

    def close(self) -> None:
        # the grabbing thread closes the container itself: closing it under a running decode is unsafe
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=3)
