"""Preview frames off the UI thread: one worker thread owns a Renderer (the same compositor the
export uses) and renders the latest requested frame at preview size into a small frame cache;
while playing it also renders a few frames ahead."""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from studio.render.compositor import Renderer

from .tasks import Inbox

PREFETCH = 6


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # copy: own the pixels


class FrameCache:
    """Recent frames by (revision, frame, size); cleared when the project changes."""

    def __init__(self, capacity: int = 120):
        self.capacity = capacity
        self._frames: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            image = self._frames.get(key)
            if image is not None:
                self._frames.move_to_end(key)
            return image

    def put(self, key, image) -> None:
        with self._lock:
            self._frames[key] = image
            self._frames.move_to_end(key)
            while len(self._frames) > self.capacity:
                self._frames.popitem(last=False)

    def keep_revision(self, revision: int) -> None:
        with self._lock:
            for key in [k for k in self._frames if k[0] != revision]:
                del self._frames[key]

    def __len__(self) -> int:
        return len(self._frames)


class FrameRenderer(QObject):
    """request(project, revision, frame, size) -> frame_ready(frame, QImage) later (or at once from cache)."""

    frame_ready = Signal(int, QImage)
    failed = Signal(str)

    def __init__(self, name: str = "preview", parent: QObject | None = None):
        super().__init__(parent)
        self.cache = FrameCache()
        self._cond = threading.Condition()
        self._job = None          # latest (project, revision, frame, size, ahead)
        self._stop = False
        self._last_error = None
        # results reach the UI thread through an inbox (see tasks.py), drained every 8 ms here:
        # a frame waiting longer would show late while playing
        self._inbox = Inbox(self._deliver, self, interval_ms=8)
        self._thread = threading.Thread(target=self._run, name=f"studio-ui-render-{name}", daemon=True)
        self._thread.start()

    def request(self, project, revision: int, frame: int, size: tuple[int, int], ahead: bool = False) -> bool:
        """True when the frame came straight from the cache (already emitted)."""
        cached = self.cache.get((revision, frame, size))
        if cached is not None:
            self.frame_ready.emit(frame, cached)
            if not ahead:
                return True
        with self._cond:
            self._job = (project, revision, frame, size, ahead, cached is not None)
            self._cond.notify()
        return cached is not None

    def _deliver(self, kind: str, a, b=None) -> None:
        if kind == "frame":
            self.frame_ready.emit(a, b)
        else:
            self.failed.emit(a)

    def stop(self) -> None:
        self._inbox.stop()
        with self._cond:
            self._stop = True
            self._cond.notify()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        renderer = Renderer()
        try:
            while True:
                with self._cond:
                    while self._job is None and not self._stop:
                        self._cond.wait()
                    if self._stop:
                        return
                    project, revision, frame, size, ahead, shown = self._job
                    self._job = None
                self.cache.keep_revision(revision)
                frames = [frame] + ([frame + k for k in range(1, PREFETCH + 1)] if ahead else [])
                for index, f in enumerate(frames):
                    if f >= max(1, project.duration):
                        break
                    if index > 0 and self._job is not None:
                        break  # a newer request wins over prefetching
                    key = (revision, f, size)
                    image = self.cache.get(key)
                    if image is None:
                        try:
                            image = to_qimage(renderer.render(project, f, size))
                        except Exception as exc:  # a missing file or bad effect: say so, keep running
                            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                            if message != self._last_error:
                                self._last_error = message
                                self._inbox.post("failed", message)
                            image = QImage(size[0], size[1], QImage.Format.Format_RGB888)
                            image.fill(0)
                        self.cache.put(key, image)
                    if index == 0 and not shown:
                        self._inbox.post("frame", f, image)
        finally:
            renderer.close()
