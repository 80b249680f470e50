"""Thumbnails and waveforms made in a background thread and kept in memory: clip frames for the
timeline and media bin, audio peaks for waveforms, and effect/look previews on a sample picture."""
from __future__ import annotations

import queue
import threading
from functools import lru_cache

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal

from .render_worker import to_qimage
from .tasks import Inbox

WAVE_BUCKETS_PER_SECOND = 50


def sample_picture(width: int = 120, height: int = 160) -> np.ndarray:
    """A small generated portrait (warm background, a face-like shape) to show looks and effects on."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.dstack([150 + 80 * x / width, 110 + 60 * y / height, 190 - 90 * x / width]).clip(0, 255).astype(np.uint8)
    cx, cy = width // 2, int(height * 0.45)
    cv2.ellipse(img, (cx, int(height * 0.95)), (int(width * 0.42), int(height * 0.3)), 0, 180, 360, (40, 70, 150), -1,
                cv2.LINE_AA)
    cv2.ellipse(img, (cx, cy), (int(width * 0.24), int(height * 0.2)), 0, 0, 360, (236, 188, 150), -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, cy - int(height * 0.14)), (int(width * 0.26), int(height * 0.1)), 0, 180, 360, (60, 40, 30),
                -1, cv2.LINE_AA)
    for side in (-1, 1):
        cv2.circle(img, (cx + side * int(width * 0.09), cy - 4), 4, (40, 30, 30), -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, cy + int(height * 0.08)), (12, 6), 0, 0, 180, (170, 60, 70), 2, cv2.LINE_AA)
    return img


class ThumbnailService(QObject):
    ready = Signal(object)  # the key that became available

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._results: dict = {}
        self._asked: set = set()
        self._jobs: queue.Queue = queue.Queue()
        self._stopping = threading.Event()
        self._inbox = Inbox(self.ready.emit, self, interval_ms=50)  # keys the worker has made
        self._thread = threading.Thread(target=self._run, name="studio-ui-thumbnails", daemon=True)
        self._thread.start()

    # -- asking ----------------------------------------------------------------------------------
    def frame(self, source: str, seconds: float, height: int):
        """QImage of `source` at `seconds`, `height` px tall — or None now and `ready(key)` later."""
        return self._get(("frame", source, round(seconds, 2), height))

    def peaks(self, source: str):
        """Peak amplitudes (float32, WAVE_BUCKETS_PER_SECOND per second) of a file's audio, or None for now."""
        return self._get(("peaks", source))

    def look(self, look_id: str, size: tuple[int, int] = (96, 128)):
        return self._get(("look", look_id, size))

    def sample(self, size: tuple[int, int] = (96, 128)):
        return self._get(("sample", size))

    def effect(self, effect_id: str, size: tuple[int, int] = (96, 128)):
        return self._get(("effect", effect_id, size))

    def sticker(self, sticker_id: str, width: int = 64):
        """List of QImages (one per animation frame) of a library sticker, or None for now."""
        return self._get(("sticker", sticker_id, width))

    def _get(self, key):
        if key in self._results:
            return self._results[key]
        if key not in self._asked:
            self._asked.add(key)
            self._jobs.put(key)
        return None

    def pending(self) -> int:
        """Jobs asked for and not yet made."""
        return len(self._asked) - len(self._results)

    def stop(self) -> None:
        self._inbox.stop()
        self._stopping.set()  # pending jobs are dropped, only the one in hand finishes
        self._jobs.put(None)
        self._thread.join(timeout=10)

    # -- making ----------------------------------------------------------------------------------
    def _run(self) -> None:
        readers: dict = {}
        try:
            while True:
                key = self._jobs.get()
                if key is None or self._stopping.is_set():
                    return
                try:
                    self._results[key] = self._make(key, readers)
                except Exception:  # unreadable media: remember the failure as "no picture"
                    self._results[key] = False
                self._inbox.post(key)
        finally:
            for r in readers.values():
                r.close()

    def _make(self, key, readers):
        kind = key[0]
        if kind == "frame":
            from studio.media.decode import open_visual

            _, source, seconds, height = key
            if source not in readers:
                if len(readers) > 8:
                    readers.pop(next(iter(readers))).close()
                readers[source] = open_visual(source)
            rgb = readers[source].frame_at(seconds, "rgb24")
            h, w = rgb.shape[:2]
            width = max(1, round(w * height / h))
            return to_qimage(cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA))
        if kind == "peaks":
            from studio.media.audio import load_audio

            rate = 8000
            samples = np.abs(load_audio(key[1], rate)).max(axis=1)
            step = rate // WAVE_BUCKETS_PER_SECOND
            n = len(samples) // step
            return samples[:n * step].reshape(n, step).max(axis=1).astype(np.float32) if n else np.zeros(0, np.float32)
        if kind == "sample":
            return to_qimage(sample_picture(*key[1]))
        if kind == "look":
            from studio.library.looks import get_look, load_lut

            _, look_id, (w, h) = key
            # nearest lattice lookup: plenty for a thumbnail, and it skips building the LUT's
            # full-resolution table (seconds of work that the renderer does for real frames)
            table = load_lut(get_look(look_id)).table
            n = table.shape[0]
            idx = np.rint(sample_picture(w, h).astype(np.float32) * ((n - 1) / 255.0)).astype(np.intp)
            out = table[idx[..., 0], idx[..., 1], idx[..., 2]]
            return to_qimage(np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8))
        if kind == "effect":
            from studio.effects.base import FrameContext
            from studio.effects.registry import default_registry

            _, effect_id, (w, h) = key
            effect = default_registry().get(effect_id)
            picture = sample_picture(w, h)
            if effect.needs and effect.needs <= {"face", "segmentation"}:
                shown = effect_on_face(effect_id, (w, h))  # the engine's own result on a real face
                if shown is not None:
                    return to_qimage(shown)
            if effect.needs:  # hands, or no face picture here: show what it needs instead of a fake result
                badge = "/".join(sorted(n.replace("segmentation", "body") for n in effect.needs)).upper()
                cv2.rectangle(picture, (0, h - 18), (w, h), (20, 20, 28), -1)
                cv2.putText(picture, f"AR {badge}"[:14], (4, h - 5), cv2.FONT_HERSHEY_SIMPLEX, 0.33, (255, 255, 255), 1,
                            cv2.LINE_AA)
                return to_qimage(picture)
            params = default_registry().validate(effect_id, {})
            return to_qimage(effect.apply(picture, FrameContext(0, 0.0, None, (w, h), {}), params))
        if kind == "sticker":
            from studio.library.stickers import get_sticker, load_sticker_frames

            frames = load_sticker_frames(get_sticker(key[1]), key[2])
            return [_rgba_qimage(f) for f in frames]
        raise ValueError(kind)


def _rgba_qimage(rgba: np.ndarray):
    from PySide6.QtGui import QImage

    rgba = np.ascontiguousarray(rgba)
    h, w = rgba.shape[:2]
    return QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


FACE_SCALE = 3  # effects run on a 3x larger picture, then it is shrunk: thin lines and warps stay clean


@lru_cache(maxsize=4)
def _face_picture(w: int, h: int):
    """A portrait photo (scikit-image's astronaut sample, when installed) cropped around its face to
    w:h, and its tracking at that size; None without the photo or a face in it."""
    try:
        from skimage import data
    except ImportError:
        return None
    from studio.tracking.tracker import Tracker

    photo = data.astronaut()
    with Tracker(frozenset({"face", "segmentation"}), smooth=False) as tracker:
        faces = tracker.track(photo, 0.0).faces
        if not faces:
            return None
        x0, y0, x1, y1 = faces[0].box
        ch = min(photo.shape[0], int((y1 - y0) * 2.6))
        cw = min(photo.shape[1], ch * w // h)
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        left = max(0, min(photo.shape[1] - cw, cx - cw // 2))
        top = max(0, min(photo.shape[0] - ch, cy - int(ch * 0.42)))
        crop = cv2.resize(photo[top:top + ch, left:left + cw], (w * FACE_SCALE, h * FACE_SCALE),
                          interpolation=cv2.INTER_AREA)
        tracking = tracker.track(crop, 0.0)
    return (crop, tracking) if tracking.faces else None


def effect_on_face(effect_id: str, size: tuple[int, int]):
    """`effect_id` with its default settings applied by the engine to a real face, at `size`
    (RGB), or None when there is no face photo here."""
    from studio.effects.base import FrameContext
    from studio.effects.registry import default_registry

    w, h = size
    face = _face_picture(w, h)
    if face is None:
        return None
    crop, tracking = face
    effect = default_registry().get(effect_id)
    params = default_registry().validate(effect_id, {})
    ch, cw = crop.shape[:2]
    ctx = FrameContext(0, 0.0, tracking, (cw, ch), {}, {}, alpha=np.full((ch, cw), 255, np.uint8))
    out = effect.apply(crop.copy(), ctx, params)
    if ctx.alpha is not None and ctx.alpha.min() < 255:  # a cut-out: shown over a checkerboard, as editors do
        cells = ((np.arange(ch)[:, None] // (6 * FACE_SCALE) + np.arange(cw)[None, :] // (6 * FACE_SCALE)) % 2)
        board = np.where(cells[..., None] == 1, 200, 130).astype(np.uint8).repeat(3, axis=2)
        a = ctx.alpha[..., None].astype(np.float32) / 255.0
        out = (out * a + board * (1 - a)).astype(np.uint8)
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)


def add_live_effects(view, registry) -> None:
    """The effects a camera can wear live (Record mode, a Live scene) as items of `view`, titled,
    with the effect id as data: every effect but the look (its own grid) and motion (a slow zoom is
    an edit, not a live effect)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidgetItem

    for e in registry.list():
        if e.id == "look" or e.category == "motion":
            continue
        item = QListWidgetItem(e.title)
        item.setData(Qt.ItemDataRole.UserRole, e.id)
        item.setToolTip(e.category)
        view.addItem(item)


def add_looks(view) -> None:
    """"None" and every look of the library as items of `view`, with the look id (None) as data."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidgetItem

    from studio.library.looks import list_looks

    for look_id, title in [(None, "None")] + [(lk.id, lk.title) for lk in list_looks()]:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, look_id)
        view.addItem(item)
