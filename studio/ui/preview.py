"""The preview player: a 9:16 canvas showing frames from the worker renderer, transport controls
(play/pause, frame step, loop, scrub), the platform safe-zone overlay, handles to move, scale and
rotate the selected text, sticker or framed clip (a picture-in-picture, a duet half) directly on the
picture, and a one-click pick mode (the green screen's key colour eyedropper)."""
from __future__ import annotations

import dataclasses
from typing import Callable

from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMenu, QSizePolicy, QSlider, QToolButton, QVBoxLayout,
                               QWidget)

from studio.model import Clip, Keyframe, StickerItem, TextItem, edits
from studio.render.animation import interpolate, keyed
from studio.render.dependencies import ChangeCounter, picture_inputs, sound_inputs
from studio.render.overlays import OverlayCache
from studio.render.presets import PRESETS

from . import overlay_geometry as og
from .audio_out import SoundtrackPlayer
from .render_worker import FrameRenderer
from .timeline_geometry import timecode_label

PREVIEW_SIZES = {"low": (270, 480), "medium": (360, 640), "high": (540, 960)}


class Canvas(QWidget):
    """Paints the current frame letterboxed at 9:16 plus overlays; handles drags on text/stickers."""

    def __init__(self, panel: "PreviewPanel"):
        super().__init__(panel)
        self.panel = panel
        self.image: QImage | None = None
        self.safe_zone: str | None = None
        self._overlays = OverlayCache()
        self._drag = None
        self._pick: tuple[Callable[[float, float], None], str] | None = None  # (on click, hint)
        self.menu_actions = lambda on_item: []  # the window's actions for the right-click menu (None: a separator)
        self.setMinimumSize(108, 192)  # small enough for a 540 px high window (1080p at 200 %)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    # -- geometry ------------------------------------------------------------------------------
    def canvas_rect(self) -> QRectF:
        p = self.panel.document.project
        aspect = p.width / p.height
        w, h = self.width() - 8, self.height() - 8
        if w / h > aspect:
            cw, ch = h * aspect, h
        else:
            cw, ch = w, w / aspect
        return QRectF((self.width() - cw) / 2, (self.height() - ch) / 2, cw, ch)

    def item_box(self, item) -> og.Box | None:
        """The item's box on screen at the current frame (text, sticker, or a clip that does not
        fill the canvas), or None when it is not visible or has no handles."""
        doc = self.panel.document
        frame = doc.playhead
        if not isinstance(item, (TextItem, StickerItem, Clip)) or not item.start <= frame < item.end:
            return None
        rect = self.canvas_rect()
        cw, ch = max(2, int(rect.width())), max(2, int(rect.height()))
        local = frame - item.start
        if isinstance(item, Clip):
            if not og.clip_is_framed(item, local) or self._hidden(item):
                return None
            return og.keep_rotate_handle_visible(og.clip_box(item, local, rect.x(), rect.y(), rect.width(),
                                                             rect.height()))
        try:
            shown = keyed(item, local)[0]  # keyed x, y, size, scale, rotation: what the renderer draws
            if isinstance(item, TextItem):
                steady = dataclasses.replace(shown, rotation=0.0, anim_in="none", anim_out="none")
                placed = self._overlays.text(steady, local, cw, ch, doc.project.width, "rgb")
                if placed is None:
                    return None
                cx, cy, angle = shown.x * cw, shown.y * ch, shown.rotation
            else:
                if item.face_anchor:
                    return None
                kf = interpolate(shown.keyframes, local, Keyframe(0, shown.x, shown.y, shown.scale, shown.rotation))
                flat = dataclasses.replace(shown, keyframes=(), x=kf.x, y=kf.y, scale=kf.scale, rotation=0.0)
                placed = self._overlays.sticker_item(flat, local, doc.project.fps, cw, ch, "rgb")
                if placed is None:
                    return None
                cx, cy, angle = kf.x * cw, kf.y * ch, kf.rotation
        except Exception:  # an unknown style or sticker: no handles, the status bar already says why
            return None
        return og.keep_rotate_handle_visible(og.Box(rect.x() + cx, rect.y() + cy, placed.sprite.width,
                                                    placed.sprite.height, angle))

    def _hidden(self, item) -> bool:
        timeline = self.panel.document.project.timeline
        try:
            return timeline.tracks[timeline.find(item.id)[0]].hidden
        except KeyError:
            return True

    def _selected_overlay(self):
        """The one selected item that has handles on the preview now (text, sticker, framed clip)."""
        items = self.panel.document.selected_items()
        if len(items) != 1 or not isinstance(items[0], (TextItem, StickerItem, Clip)):
            return None
        if isinstance(items[0], Clip) and self.item_box(items[0]) is None:
            return None
        return items[0]

    def _current_transform(self, item) -> dict:
        return og.transform_at(item, self.panel.document.playhead - item.start)

    def _candidates(self) -> list:
        """Items a click can pick, top-most first: overlays, then the framed clips of the video
        layers from the top layer down (a clip that fills the canvas is picked on the timeline)."""
        tracks = self.panel.document.project.timeline.tracks
        overlays = [i for t in tracks if t.kind == "overlay" for i in t.items]
        clips = [i for t in tracks if t.kind == "video" and not t.hidden for i in t.items]
        return list(reversed(overlays)) + list(reversed(clips))

    # -- picking a point -------------------------------------------------------------------------
    def start_pick(self, on_click: Callable[[float, float], None], hint: str) -> None:
        """The next left click on the picture calls on_click(x, y) in canvas fractions instead of
        selecting or dragging; Escape or a right click cancels."""
        self._pick = (on_click, hint)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocus()
        self.update()

    def cancel_pick(self) -> bool:
        if self._pick is None:
            return False
        self._pick = None
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.update()
        return True

    @property
    def picking(self) -> bool:
        return self._pick is not None

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel_pick():
            self.panel.status.emit("Picking cancelled")
            return
        super().keyPressEvent(event)

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#111114"))
        rect = self.canvas_rect()
        if self.image is not None:
            painter.drawImage(rect, self.image)
        else:
            painter.fillRect(rect, QColor("#000"))
        painter.setPen(QPen(QColor("#3a3a44"), 1))
        painter.drawRect(rect)
        if self.safe_zone in PRESETS:
            self._paint_safe_zone(painter, rect)
        item = self._selected_overlay()
        box = self.item_box(item) if item is not None else None
        if box is not None:
            self._paint_handles(painter, box)
        if self._pick is not None:
            self._paint_pick_hint(painter, rect, self._pick[1])

    def _paint_pick_hint(self, painter: QPainter, rect: QRectF, hint: str) -> None:
        band = QRectF(rect.x(), rect.y(), rect.width(), 26)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(band.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         hint)

    def _paint_safe_zone(self, painter: QPainter, rect: QRectF) -> None:
        preset = PRESETS[self.safe_zone]
        l, t, r, b = preset.safe_zone.rect(round(rect.width()), round(rect.height()))
        inner = QRectF(rect.x() + l, rect.y() + t, r - l, b - t)
        shade = QColor(255, 40, 80, 55)
        painter.fillRect(QRectF(rect.x(), rect.y(), rect.width(), t), shade)
        painter.fillRect(QRectF(rect.x(), inner.bottom(), rect.width(), rect.bottom() - inner.bottom()), shade)
        painter.fillRect(QRectF(rect.x(), inner.top(), l, inner.height()), shade)
        painter.fillRect(QRectF(inner.right(), inner.top(), rect.right() - inner.right(), inner.height()), shade)
        painter.setPen(QPen(QColor(255, 90, 120), 1, Qt.PenStyle.DashLine))
        painter.drawRect(inner)
        painter.setPen(QColor(255, 200, 210))
        painter.drawText(inner.adjusted(4, 2, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         f"{preset.title} safe zone")

    def _paint_handles(self, painter: QPainter, box: og.Box) -> None:
        pts = og.handle_points(box)
        outline = QPolygonF([QPointF(*pts[k]) for k in ("tl", "tr", "br", "bl")])
        painter.setPen(QPen(QColor("#35c2ff"), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(outline)
        top_mid = QPointF((pts["tl"][0] + pts["tr"][0]) / 2, (pts["tl"][1] + pts["tr"][1]) / 2)
        painter.drawLine(top_mid, QPointF(*pts["rotate"]))
        painter.setBrush(QColor("#ffffff"))
        for name, (x, y) in pts.items():
            if name == "rotate":
                painter.setBrush(QColor("#35c2ff"))
                painter.drawEllipse(QPointF(x, y), og.HANDLE_PX, og.HANDLE_PX)
                painter.setBrush(QColor("#ffffff"))
            else:
                painter.drawRect(QRectF(x - og.HANDLE_PX / 1.4, y - og.HANDLE_PX / 1.4, og.HANDLE_PX * 1.4,
                                        og.HANDLE_PX * 1.4))

    # -- right-click ---------------------------------------------------------------------------
    def context_menu(self, pos: QPointF) -> QMenu:
        """The menu for what is under the pointer (selected first), from the window's actions."""
        hit = None
        for candidate in self._candidates():
            box = self.item_box(candidate)
            if box is not None and og.hit(box, pos.x(), pos.y()) == "move":
                hit = candidate
                break
        if hit is not None and hit.id not in self.panel.document.selection:
            self.panel.document.select([hit.id])
        menu = QMenu(self)
        for action in self.menu_actions(hit is not None):
            menu.addSeparator() if action is None else menu.addAction(action)
        return menu

    def contextMenuEvent(self, event) -> None:
        if self._pick is not None:
            return
        menu = self.context_menu(QPointF(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    # -- dragging ------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if self._pick is not None:
            if event.button() == Qt.MouseButton.RightButton:
                self.cancel_pick()
                self.panel.status.emit("Picking cancelled")
                return
            if event.button() == Qt.MouseButton.LeftButton:
                rect = self.canvas_rect()
                pos = event.position()
                fx, fy = (pos.x() - rect.x()) / rect.width(), (pos.y() - rect.y()) / rect.height()
                if not (0 <= fx <= 1 and 0 <= fy <= 1):
                    self.panel.status.emit("Click on the picture to pick (Escape cancels)")
                    return
                on_click = self._pick[0]
                self.cancel_pick()
                on_click(fx, fy)
                event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        doc = self.panel.document
        item = self._selected_overlay()
        box = self.item_box(item) if item is not None else None
        mode = og.hit(box, pos.x(), pos.y()) if box is not None else None
        if mode is None:  # pick the top-most overlay (or framed clip) under the pointer
            for candidate in self._candidates():
                cbox = self.item_box(candidate)
                if cbox is not None and og.hit(cbox, pos.x(), pos.y()) == "move":
                    doc.select([candidate.id])
                    item, box, mode = candidate, cbox, "move"
                    break
        if mode is None:
            return
        self._drag = {"item": item, "mode": mode, "press": (pos.x(), pos.y()), "box": box,
                      "start": self._current_transform(item), "base": doc.project,
                      "local": doc.playhead - item.start, "key": doc.new_drag_key(f"preview-{mode}")}
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        if self._drag is None:
            item = self._selected_overlay()
            box = self.item_box(item) if item is not None else None
            mode = og.hit(box, pos.x(), pos.y()) if box else None
            cursors = {"move": Qt.CursorShape.SizeAllCursor, "scale": Qt.CursorShape.SizeFDiagCursor,
                       "rotate": Qt.CursorShape.CrossCursor}
            if self._pick is None:
                self.setCursor(cursors.get(mode, Qt.CursorShape.ArrowCursor))
            return
        self.drag_to(pos.x(), pos.y())

    def drag_to(self, x: float, y: float) -> None:
        d = self._drag
        rect = self.canvas_rect()
        new = og.drag_transform(d["mode"], d["start"], (d["box"].cx, d["box"].cy), d["press"], (x, y),
                                (rect.width(), rect.height()))
        changes = og.property_changes(d["item"], d["start"], new, d["local"])
        item_id = d["item"].id

        def run(tl):
            for name, value in changes.items():
                tl = edits.set_property(tl, item_id, name, value)
            return tl

        from .layout_actions import item_name

        titles = {"move": "Move", "scale": "Resize", "rotate": "Rotate"}
        self.panel.document.edit(f"{titles[d['mode']]} {item_name(d['item'])} on preview", run, merge_key=d["key"],
                                 base=d["base"])

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is not None:
            pos = event.position()
            if (pos.x(), pos.y()) != self._drag["press"]:
                self.drag_to(pos.x(), pos.y())  # the release point is where the item ends up
        self._drag = None


class PreviewPanel(QWidget):
    """Canvas + transport. Owns the playback clock; the document owns the playhead."""

    status = Signal(str)

    def __init__(self, document, quality: str = "medium", parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.render_size = PREVIEW_SIZES.get(quality, PREVIEW_SIZES["medium"])
        self.renderer = FrameRenderer("preview", self)
        self.audio = SoundtrackPlayer(lambda: self.document.playhead, self)
        # cache keys that change only with what the picture / the mix reads (not every revision)
        self.picture_key = ChangeCounter(picture_inputs)
        self.sound_key = ChangeCounter(sound_inputs)
        self.loop = True
        self._playing = False
        self.rate = 1  # playback speed and direction (J/K/L shuttle)
        self._clock = QElapsedTimer()
        self._play_from = 0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

        self.canvas = Canvas(self)
        self.play_button = QToolButton(text="▶")
        self.play_button.setObjectName("playButton")
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        back = QToolButton(text="◀|")
        back.setToolTip("Previous frame (Left)")
        back.clicked.connect(lambda: self.step(-1))
        fwd = QToolButton(text="|▶")
        fwd.setToolTip("Next frame (Right)")
        fwd.clicked.connect(lambda: self.step(1))
        self.loop_button = QToolButton(text="⟲")
        self.loop_button.setCheckable(True)
        self.loop_button.setChecked(True)
        self.loop_button.setToolTip("Loop playback")
        self.loop_button.toggled.connect(lambda on: setattr(self, "loop", on))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._scrubbed)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("timecode")
        self.safe_combo = QComboBox()
        # short entries after a "Safe zone" label: "Instagram Reels", not "Instagram R…s safe zone"
        self.safe_combo.addItem("None", None)
        for pid, preset in PRESETS.items():
            self.safe_combo.addItem(preset.title, pid)
        self.safe_combo.setToolTip("Show where the platform's buttons and captions cover the picture")
        self.safe_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.safe_combo.currentIndexChanged.connect(lambda _: self.set_safe_zone(self.safe_combo.currentData()))

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        for w in (back, self.play_button, fwd, self.loop_button):
            bar.addWidget(w)
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time_label)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        title = QLabel("Preview")
        title.setObjectName("panelTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("Safe zone"))
        top.addWidget(self.safe_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bar)

        self.renderer.frame_ready.connect(self._show)
        self.renderer.failed.connect(lambda msg: self.status.emit(f"Preview: {msg}"))
        document.project_changed.connect(self._project_changed)
        document.playhead_changed.connect(self._playhead_changed)
        document.selection_changed.connect(lambda _: self.canvas.update())
        self._project_changed(document.project)

    # -- state ---------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    def set_quality(self, quality: str) -> None:
        self.render_size = PREVIEW_SIZES.get(quality, self.render_size)
        self.refresh()

    def set_safe_zone(self, preset_id: str | None) -> None:
        self.canvas.safe_zone = preset_id
        index = self.safe_combo.findData(preset_id)
        if index >= 0 and index != self.safe_combo.currentIndex():
            self.safe_combo.setCurrentIndex(index)
        self.canvas.update()

    def refresh(self) -> None:
        doc = self.document
        self.renderer.request(doc.project, self.picture_key(doc.project), doc.playhead, self.render_size,
                              ahead=self._playing)

    def _project_changed(self, project) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, project.duration - 1))
        self.slider.setValue(self.document.playhead)
        self.slider.blockSignals(False)
        self._update_label()
        before = self.sound_key.value
        if self.sound_key(project) != before and self._playing:  # the sound changed: restart it from here
            self.audio.play(project, self.sound_key.value, self.document.playhead)
        self.refresh()

    def _playhead_changed(self, frame: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(frame)
        self.slider.blockSignals(False)
        self._update_label()
        self.refresh()

    def _update_label(self) -> None:
        p = self.document.project
        self.time_label.setText(f"{timecode_label(self.document.playhead, p.fps)} / "
                                f"{timecode_label(p.duration, p.fps)}")

    def _show(self, frame: int, image: QImage) -> None:
        if abs(frame - self.document.playhead) <= (2 if self._playing else 0):
            self.canvas.image = image
            self.canvas.update()

    def _scrubbed(self, value: int) -> None:
        if self._playing:
            self.pause()
        self.document.set_playhead(value)

    # -- transport -----------------------------------------------------------------------------
    def toggle_play(self) -> None:
        self.pause() if self._playing else self.play()

    def play(self, rate: int = 1) -> None:
        """Play from the playhead at `rate` times normal speed (negative: backwards, J/K/L shuttle;
        sound plays only at normal speed)."""
        doc = self.document
        if doc.project.duration <= 0:
            return
        self.rate = rate or 1
        if self.rate > 0 and doc.playhead >= doc.project.duration - 1:
            doc.set_playhead(0)
        self._playing = True
        self._play_from = doc.playhead
        self._clock.start()
        self._timer.start(max(5, int(500 / float(doc.project.fps))))
        self.play_button.setText("❚❚")
        if self.rate == 1:
            if not self.audio.available:
                self.status.emit(self.audio.reason)
            self.audio.play(doc.project, self.sound_key(doc.project), doc.playhead)
        else:
            self.audio.stop()
        self.refresh()

    def pause(self) -> None:
        self._playing = False
        self.rate = 1
        self._timer.stop()
        self.audio.stop()
        self.play_button.setText("▶")

    def step(self, frames: int) -> None:
        self.pause()
        self.document.set_playhead(self.document.playhead + frames)

    def _tick(self) -> None:
        doc = self.document
        fps = float(doc.project.fps)
        frame = self._play_from + int(self._clock.elapsed() / 1000.0 * fps * self.rate)
        end = doc.project.duration
        if frame < 0:  # played backwards to the start
            doc.set_playhead(0)
            self.pause()
            return
        if frame >= end:
            if self.loop and end > 0:
                self._play_from, frame = 0, 0
                self._clock.start()
                if self.rate == 1:
                    self.audio.play(doc.project, self.sound_key(doc.project), 0)
            else:
                doc.set_playhead(end - 1)
                self.pause()
                return
        if frame != doc.playhead:
            doc.set_playhead(frame)

    def shutdown(self) -> None:
        self.pause()
        self.renderer.stop()
        self.audio.shutdown()
