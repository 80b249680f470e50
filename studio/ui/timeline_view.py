"""The timeline: a custom-painted widget over the document. Geometry comes from timeline_geometry
(pure); every change goes through the document as an undo command (a drag is one merged step).
Items show their keyframes as diamonds (a click moves the playhead onto one); transitions show as
badges across their cut, whose edges drag the transition's length. Video tracks are layers: the
top layer's row is drawn above the ones below it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QMenu, QScrollArea, QScrollBar, QSlider, QToolButton,
                               QToolTip, QVBoxLayout, QWidget)

from studio.library.errors import LibraryError
from studio.library.sounds import SoundLibrary
from studio.model import Clip, SoundItem, edits, is_library_ref, magnetic
from studio.render.transitions import TRANSITIONS

from . import timeline_geometry as tg
from .key_edits import key_frames
from .kinds import ui_kind
from .thumbnails import WAVE_BUCKETS_PER_SECOND

LIBRARY_MIME = "application/x-studio-library"  # payload "<kind>:<value>": "sticker:<id>", "sound:<id>", "text:<style>"


class TimelineCanvas(QWidget):
    status = Signal(str)
    drop_requested = Signal(object, int, int)  # (payload: list[Path] | str, frame, track index or -1)
    track_toggled = Signal(int, str)            # (track index, "muted" | "hidden")

    def __init__(self, document, thumbnails, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.thumbnails = thumbnails
        self.layout_ = tg.Layout(px_per_frame=4.0)
        self.scroll_x = 0
        self.snapping = True
        self._sounds = SoundLibrary()
        self._drag = None
        self._snap_line: int | None = None
        self._band = None
        self._ghost = None  # (start, duration, track) of a clip being dragged along the magnetic main track
        self.menu_actions = lambda on_item: []  # the window's actions for the right-click menu (None: a separator)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        document.project_changed.connect(self._changed)
        document.selection_changed.connect(lambda _: self.update())
        document.playhead_changed.connect(self._playhead_moved)
        document.in_out_changed.connect(lambda _: self.update())
        thumbnails.ready.connect(lambda _: self.update())
        self._changed()

    # -- geometry ----------------------------------------------------------------------------
    @property
    def kinds(self) -> list[str]:
        return [t.kind for t in self.document.project.timeline.tracks]

    def x_of(self, frame: float) -> float:
        return self.layout_.x_of(frame) - self.scroll_x

    def frame_at(self, x: float) -> int:
        return self.layout_.frame_at(x + self.scroll_x)

    def content_width(self) -> int:
        return self.layout_.width_for(self.document.project.duration)

    def item_rects(self) -> list[tuple[object, int, QRectF]]:
        rows = self.layout_.rows(self.kinds)
        out = []
        for ti, track in enumerate(self.document.project.timeline.tracks):
            for item in track.items:
                x, y, w, h = self.layout_.item_rect(item.start, item.duration, rows[ti])
                out.append((item, ti, QRectF(x - self.scroll_x, y, w, h)))
        return out

    def key_marks(self) -> list[tuple[tuple[object, int], float, float]]:
        """The keyframe diamonds drawn on items: ((item, timeline frame), x, y), for every item with keys."""
        marks = []
        for item, _, rect in self.item_rects():
            frames = key_frames(item)
            if not frames:
                continue
            y = tg.key_mark_y(rect.top(), rect.height())
            for f in frames:
                x = self.x_of(item.start + f)
                if x >= self.layout_.header - tg.KEY_MARK_PX:
                    marks.append(((item, item.start + f), x, y))
        return marks

    def key_mark_at(self, pos: QPointF):
        """(item, timeline frame) of the diamond under `pos`, or None."""
        return tg.key_mark_at(pos.x(), pos.y(), self.key_marks())

    def transition_badges(self) -> list[tuple[tg.TransitionSpan, int, QRectF]]:
        """The transitions at cuts on video tracks: (span, track index, badge rectangle)."""
        rows = self.layout_.rows(self.kinds)
        out = []
        for ti, track in enumerate(self.document.project.timeline.tracks):
            if track.kind != "video":
                continue
            top, h = rows[ti]
            for span in tg.transition_spans(track.items):
                left, right = tg.badge_span(self.x_of(span.first), self.x_of(span.end))
                out.append((span, ti, QRectF(left, top + (h - tg.TRANSITION_BADGE_PX) / 2, right - left,
                                             tg.TRANSITION_BADGE_PX)))
        return out

    def transition_at(self, pos: QPointF):
        """(span, track index, badge rectangle) of the transition badge under `pos`, or None."""
        for hit in reversed(self.transition_badges()):
            if hit[2].adjusted(-2, -2, 2, 2).contains(pos):
                return hit
        return None

    def item_at(self, pos: QPointF):
        for item, ti, rect in reversed(self.item_rects()):
            if rect.contains(pos):
                return item, ti, rect
        return None

    def header_buttons(self, top: int, h: int, kind: str = "video") -> dict:
        """The toggles drawn in a track's header, flag -> (label, rect): pictures can be hidden,
        sound muted (overlays have no sound, audio tracks no picture)."""
        y = top + h - 14
        flags = {"video": ("muted", "hidden"), "overlay": ("hidden",), "audio": ("muted",)}[kind]
        return {flag: ("mute" if flag == "muted" else "hide", QRectF(8 + 42 * i, y, 38, 12))
                for i, flag in enumerate(flags)}

    def beats(self) -> list[int]:
        """Beat frames of the library music on the timeline: cuts snap to the chosen sound."""
        project = self.document.project
        out: list[int] = []
        for item in project.timeline.all_items():
            if isinstance(item, SoundItem) and is_library_ref(item.source):
                try:
                    sound = self._sounds.get(item.source)
                except LibraryError:
                    continue
                length = sound.duration if item.loop else None
                out += tg.beat_frames(sound.beats, item.start, item.source_in, item.duration, project.fps, length)
        return out

    def _changed(self, *_) -> None:
        self.setMinimumHeight(self.layout_.height(self.kinds) + 4)
        self.parent_sync()
        self.update()

    def parent_sync(self) -> None:
        host = self.parent()
        while host is not None and not isinstance(host, TimelinePanel):
            host = host.parent()
        if host is not None:
            host.sync_scrollbar()

    def _playhead_moved(self, frame: int) -> None:
        x = self.x_of(frame)
        if x > self.width() - 20 or x < self.layout_.header:
            self.set_scroll(self.layout_.x_of(frame) - self.layout_.header - 60)
        self.update()

    def set_scroll(self, value: float) -> None:
        self.scroll_x = max(0, min(int(value), max(0, self.content_width() - self.width())))
        self.parent_sync()
        self.update()

    def set_zoom(self, px_per_frame: float, anchor_x: float | None = None) -> None:
        anchor_x = self.x_of(self.document.playhead) if anchor_x is None else anchor_x
        frame = (anchor_x + self.scroll_x - self.layout_.header) / self.layout_.px_per_frame
        self.layout_ = tg.Layout(px_per_frame=tg.zoomed(px_per_frame, 1.0))
        self.set_scroll(self.layout_.x_of(frame) - anchor_x)

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        project = self.document.project
        L = self.layout_
        p.fillRect(self.rect(), QColor("#17171c"))
        rows = L.rows(self.kinds)
        selected = set(self.document.selection)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        p.setFont(small)
        for ti, (top, h) in enumerate(rows):
            p.fillRect(QRectF(L.header, top, self.width(), h), QColor("#1f1f26" if ti % 2 else "#1c1c22"))
        # items
        for item, ti, rect in self.item_rects():
            if rect.right() < L.header or rect.left() > self.width():
                continue
            self._paint_item(p, item, rect, item.id in selected)
        self._paint_transitions(p, selected)
        self._paint_keys(p, selected)
        # beats
        p.setPen(QPen(QColor(120, 230, 160, 110), 1))
        audio_rows = [r for r, k in zip(rows, self.kinds) if k == "audio"]
        if audio_rows:
            top = audio_rows[0][0]
            for b in self.beats():
                x = self.x_of(b)
                if L.header <= x <= self.width():
                    p.drawLine(QPointF(x, top - 4), QPointF(x, top))
        # headers
        p.fillRect(QRectF(0, 0, L.header, self.height()), QColor("#202028"))
        for ti, ((top, h), track) in enumerate(zip(rows, project.timeline.tracks)):
            p.setPen(QColor("#d8d8e0"))
            name = track.name or track.kind.title()
            p.drawText(QRectF(8, top, L.header - 10, 15), Qt.AlignmentFlag.AlignVCenter, name)
            for flag, (label, rect) in self.header_buttons(top, h, track.kind).items():
                on = getattr(track, flag)
                p.fillRect(rect, QColor("#ff3b5c") if on else QColor("#2c2c38"))
                p.setPen(QColor("#ffffff") if on else QColor("#9a9aa8"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        # ruler
        self._paint_ruler(p, project)
        # snap + playhead
        if self._snap_line is not None:
            p.setPen(QPen(QColor("#ffd23f"), 1, Qt.PenStyle.DashLine))
            x = self.x_of(self._snap_line)
            p.drawLine(QPointF(x, L.ruler), QPointF(x, self.height()))
        x = self.x_of(self.document.playhead)
        if x >= L.header:
            p.setPen(QPen(QColor("#ff3b5c"), 2))
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            p.setBrush(QColor("#ff3b5c"))
            p.drawPolygon(QPolygonF([QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 9)]))
        if self._ghost is not None and 0 <= self._ghost[2] < len(rows):
            start, duration, track = self._ghost
            top, h = rows[track]
            p.setPen(QPen(QColor("#ffffff"), 1, Qt.PenStyle.DashLine))
            p.setBrush(QColor(255, 255, 255, 45))
            p.drawRect(QRectF(self.x_of(start), top + 2, duration * L.px_per_frame, h - 4))
        if self._band is not None:
            (x0, y0), (x1, y1) = self._band
            p.setPen(QPen(QColor("#35c2ff"), 1))
            p.setBrush(QColor(53, 194, 255, 40))
            p.drawRect(QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized())

    def _paint_ruler(self, p: QPainter, project) -> None:
        L = self.layout_
        p.fillRect(QRectF(L.header, 0, self.width(), L.ruler), QColor("#24242c"))
        if self.document.in_out is not None:  # the I/O range an export can take, as a band on the ruler
            start, end = self.document.in_out
            left, right = max(L.header, self.x_of(start)), self.x_of(end)
            if right > left:
                p.fillRect(QRectF(left, 0, right - left, L.ruler), QColor(53, 194, 255, 70))
                p.fillRect(QRectF(left, L.ruler - 3, right - left, 3), QColor("#35c2ff"))
        step = tg.ruler_step(L.px_per_frame, project.fps)
        minor = max(1, step // 5)
        first = (self.frame_at(L.header) // minor) * minor
        last = self.frame_at(self.width()) + minor
        for frame in range(first, last, minor):
            x = self.x_of(frame)
            if x < L.header:
                continue
            major = frame % step == 0
            p.setPen(QColor("#8a8a96" if major else "#4a4a56"))
            p.drawLine(QPointF(x, L.ruler - (10 if major else 5)), QPointF(x, L.ruler))
            if major:
                p.drawText(QPointF(x + 3, 12), tg.timecode_label(frame, project.fps))
        for marker in project.markers:  # a flag per marker, its name beside it when there is room
            x = self.x_of(marker.frame)
            if x < L.header or x > self.width():
                continue
            p.setPen(QPen(QColor("#ffd23f"), 1))
            p.setBrush(QColor("#ffd23f"))
            p.drawPolygon(QPolygonF([QPointF(x, L.ruler - 12), QPointF(x + 7, L.ruler - 8), QPointF(x, L.ruler - 4)]))
            p.setPen(QPen(QColor(255, 210, 63, 110), 1))
            p.drawLine(QPointF(x, L.ruler - 4), QPointF(x, self.height()))
        end_x = self.x_of(project.duration)
        if end_x >= L.header:
            p.setPen(QPen(QColor("#ffffff"), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(end_x, L.ruler), QPointF(end_x, self.height()))

    def _paint_item(self, p: QPainter, item, rect: QRectF, selected: bool) -> None:
        shown = ui_kind(item)
        colour = QColor(shown.colour)
        p.save()
        p.setClipRect(rect.intersected(QRectF(self.layout_.header, 0, self.width(), self.height())))
        p.fillRect(rect, colour.darker(130) if not selected else colour)
        fps = float(self.document.project.fps)
        if shown.strip == "thumbnails" and rect.height() > 20:
            self._paint_thumbs(p, item, rect, fps)
        elif shown.strip == "waveform":
            self._paint_wave(p, item, rect, fps)
        p.setPen(QColor("#ffffff"))
        label = shown.label_of(item)
        text_rect = rect.adjusted(5, 1, -3, 0)
        p.fillRect(QRectF(rect.x(), rect.y(), min(rect.width(), 8 + 7 * len(label)), 15), QColor(0, 0, 0, 90))
        p.drawText(text_rect, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, label)
        p.restore()
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor("#ffffff") if selected else colour.lighter(130), 2 if selected else 1))
        p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        if selected:  # trim grips
            p.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), QColor("#ffffff"))
            p.fillRect(QRectF(rect.right() - 4, rect.top(), 4, rect.height()), QColor("#ffffff"))
        if isinstance(item, SoundItem):
            self._paint_volume(p, item, rect, selected)

    def _paint_volume(self, p: QPainter, item: SoundItem, rect: QRectF, selected: bool) -> None:
        """The volume as a line across the sound, sloping down to its corners over the fades; when
        selected, handles at the fades' ends (drag the line for the volume, a handle for a fade)."""
        ppf = self.layout_.px_per_frame
        line = tg.volume_y(item.volume_db, rect.top(), rect.height())
        fin, fout = tg.fade_points(rect.left(), rect.right(), item.fade_in, item.fade_out, ppf)
        bottom = rect.bottom() - 1
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setClipRect(rect.intersected(QRectF(self.layout_.header, 0, self.width(), self.height())))
        p.setPen(QPen(QColor("#ffd23f") if selected else QColor(255, 210, 63, 150), 1.5))
        p.drawPolyline(QPolygonF([QPointF(rect.left(), bottom if item.fade_in else line), QPointF(fin, line),
                                  QPointF(fout, line), QPointF(rect.right(), bottom if item.fade_out else line)]))
        if selected:
            p.setBrush(QColor("#ffffff"))
            for x in (fin, fout):
                p.drawEllipse(QPointF(x, line), 4, 4)
        p.restore()

    def _paint_keys(self, p: QPainter, selected: set) -> None:
        """Keyframes as diamonds on their items: amber on the selected items, pale on the others,
        white-edged where the playhead stands on one."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setClipRect(QRectF(self.layout_.header, 0, self.width(), self.height()))
        r = tg.KEY_MARK_PX
        playhead = self.document.playhead
        marks = self.key_marks()
        keyed = {item.id for (item, _), _, _ in marks}
        for item, _, rect in self.item_rects():  # a dark lane under the diamonds: they stay visible on thumbnails
            if item.id in keyed:
                y = tg.key_mark_y(rect.top(), rect.height())
                p.fillRect(QRectF(rect.left() + 1, y - r - 1, rect.width() - 2, 2 * r + 2), QColor(0, 0, 0, 110))
        for (item, frame), x, y in marks:
            on = item.id in selected
            fill = QColor("#ffc233") if on else QColor(255, 255, 255, 150)
            at_playhead = frame == playhead
            p.setPen(QPen(QColor("#ffffff") if at_playhead else QColor(20, 20, 26, 220), 1.5 if at_playhead else 1))
            p.setBrush(fill)
            p.drawPolygon(QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)]))
        p.restore()

    def _paint_transitions(self, p: QPainter, selected: set) -> None:
        """A badge across each cut with a transition, named, with grips at its draggable edges."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setClipRect(QRectF(self.layout_.header, 0, self.width(), self.height()))
        metrics = QFontMetricsF(p.font())
        for span, _, rect in self.transition_badges():
            on = span.incoming in selected
            p.setPen(QPen(QColor("#ffffff") if on else QColor("#c9b8ff"), 1))
            p.setBrush(QColor(120, 80, 220, 235) if on else QColor(70, 50, 130, 225))
            p.drawRoundedRect(rect, 4, 4)
            p.setPen(QPen(QColor(255, 255, 255, 120), 1, Qt.PenStyle.DotLine))
            x = self.x_of(span.cut)
            p.drawLine(QPointF(x, rect.top() + 2), QPointF(x, rect.bottom() - 2))
            grip = QColor("#ffffff") if on else QColor("#d8ccff")
            for gx in (rect.left() + 2, rect.right() - 4):
                p.fillRect(QRectF(gx, rect.top() + 4, 2, rect.height() - 8), grip)
            inner = rect.adjusted(7, 0, -7, 0)
            label = tg.badge_label(TRANSITIONS.get(span.kind, span.kind), span.kind, span.frames, inner.width(),
                                   metrics.horizontalAdvance, self.document.project.fps)
            if label:
                p.fillRect(QRectF(inner.center().x() - metrics.horizontalAdvance(label) / 2 - 2, inner.top() + 3,
                                  metrics.horizontalAdvance(label) + 4, inner.height() - 6),
                           QColor(120, 80, 220, 235) if on else QColor(70, 50, 130, 225))
                p.setPen(QColor("#ffffff"))
                p.drawText(inner, Qt.AlignmentFlag.AlignCenter, label)
        p.restore()

    def _paint_thumbs(self, p: QPainter, clip: Clip, rect: QRectF, fps: float) -> None:
        height = int(rect.height()) - 2
        tile = height * 9 // 16 + 1
        x = rect.left()
        while x < rect.right() and x < self.width():
            if x + tile >= self.layout_.header:
                frame = clip.start + (x - rect.left()) / self.layout_.px_per_frame
                seconds = float(clip.source_frame(int(frame))) / fps
                # quantise so scrolling reuses thumbnails
                image = self.thumbnails.frame(clip.source, round(seconds * 2) / 2, height)
                if image:
                    p.drawImage(QRectF(x, rect.top() + 1, image.width(), height), image)
            x += tile

    def _paint_wave(self, p: QPainter, item: SoundItem, rect: QRectF, fps: float) -> None:
        source = item.source
        if is_library_ref(source):
            try:
                source = str(self._sounds.get(source).path)
            except LibraryError:
                return
        peaks = self.thumbnails.peaks(source)
        if peaks is None or peaks is False or len(peaks) == 0:
            return
        mid, half = rect.center().y() + 4, rect.height() / 2 - 6
        top = float(peaks.max()) or 1.0  # drawn relative to the file's loudest moment, then the item gain
        p.setPen(QColor(180, 255, 210, 170))
        x0 = max(rect.left(), self.layout_.header)
        x1 = min(rect.right(), self.width())
        for x in range(int(x0), int(x1), 2):
            seconds = (item.source_in + (x - rect.left()) / self.layout_.px_per_frame) / fps
            i = int(seconds * WAVE_BUCKETS_PER_SECOND)
            if item.loop:
                i %= len(peaks)
            if 0 <= i < len(peaks):
                a = min(1.0, float(peaks[i]) / top * (10 ** (item.volume_db / 20))) * half
                p.drawLine(QPointF(x, mid - a), QPointF(x, mid + a))

    def tooltip_at(self, pos: QPointF) -> str:
        """What a hover over a keyframe diamond, a transition badge or a marker says (their labels are short)."""
        from .layout_actions import item_name

        if pos.y() < self.layout_.ruler:
            near = [m for m in self.document.project.markers if abs(self.x_of(m.frame) - pos.x()) <= 6]
            if near:
                m = near[0]
                return f"{m.name or 'Marker'} at {tg.timecode_label(m.frame, self.document.project.fps)} (M removes it)"

        mark = self.key_mark_at(pos)
        if mark is not None:
            item, frame = mark
            from studio.effects.registry import default_registry

            from .key_edits import param_title

            params = sorted({param_title(item, k.param, default_registry()) for k in item.keys
                             if k.frame == frame - item.start})
            return (f"Keyframe of {', '.join(params)} on {item_name(item)} at "
                    f"{tg.timecode_label(frame, self.document.project.fps)}: click to move the playhead there")
        badge = self.transition_at(pos)
        if badge is not None:
            span = badge[0]
            clip = self.document.project.timeline.get(span.incoming)
            length = tg.seconds_label(span.frames, self.document.project.fps)
            return (f"{TRANSITIONS.get(span.kind, span.kind)} into {item_name(clip)}, {length}: "
                    "drag an edge to change its length")
        return ""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- mouse ---------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        pos = event.position()
        doc = self.document
        if event.button() != Qt.MouseButton.LeftButton:
            return
        ctrl = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if pos.x() < self.layout_.header:
            index = self.layout_.track_at(pos.y(), self.kinds)
            if index is not None:
                top, h = self.layout_.rows(self.kinds)[index]
                for flag, (_, rect) in self.header_buttons(top, h, self.kinds[index]).items():
                    if rect.adjusted(-2, -2, 2, 2).contains(pos):
                        self.track_toggled.emit(index, flag)
            return
        if pos.y() < self.layout_.ruler:
            self._drag = {"mode": "scrub"}
            doc.set_playhead(self.frame_at(pos.x()))
            return
        mark = self.key_mark_at(pos)
        if mark is not None and not ctrl:
            item, frame = mark
            if item.id not in doc.selection:
                doc.select([item.id])
            doc.set_playhead(frame)
            return
        badge = self.transition_at(pos)
        if badge is not None and not ctrl:
            span, ti, rect = badge
            part = tg.badge_part(pos.x(), rect.left(), rect.right())
            doc.select([span.incoming])
            if part != "body":
                self._drag = {"mode": "transition", "edge": part, "span": span,
                              "press_frame": self.frame_at(pos.x()), "base": doc.project,
                              "key": doc.new_drag_key("timeline-transition")}
            return
        hit = self.item_at(pos)
        if hit is None:
            self._drag = {"mode": "band", "press": (pos.x(), pos.y()), "ctrl": ctrl}
            return
        item, ti, rect = hit
        if ctrl:
            sel = list(doc.selection)
            sel.remove(item.id) if item.id in sel else sel.append(item.id)
            doc.select(sel)
            return
        was_selected = item.id in doc.selection
        if not was_selected:
            doc.select([item.id])
        part = tg.hit_part(pos.x(), rect.left(), rect.right())
        if isinstance(item, SoundItem) and was_selected:
            part = tg.audio_part(pos.x(), pos.y(), rect.left(), rect.right(), rect.top(), rect.height(),
                                 item.volume_db, item.fade_in, item.fade_out, self.layout_.px_per_frame)
            if part in ("volume", "fade_in", "fade_out"):
                self._drag = {"mode": part, "item": item, "rect": rect, "base": doc.project,
                              "key": doc.new_drag_key(f"timeline-{part}"), "press": (pos.x(), pos.y())}
                return
        self._drag = {"mode": part, "item": item, "track": ti, "press_frame": self.frame_at(pos.x()),
                      "base": doc.project, "key": doc.new_drag_key(f"timeline-{part}"),
                      "ids": list(doc.selection)}

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        d = self._drag
        if d is None:
            cursor = Qt.CursorShape.ArrowCursor
            badge = self.transition_at(pos)
            hit = None if badge is not None else self.item_at(pos)
            if self.key_mark_at(pos) is not None:
                cursor = Qt.CursorShape.PointingHandCursor
            elif badge is not None:
                part = tg.badge_part(pos.x(), badge[2].left(), badge[2].right())
                cursor = Qt.CursorShape.SizeHorCursor if part != "body" else Qt.CursorShape.PointingHandCursor
            elif hit is not None:
                item, _, rect = hit
                part = tg.hit_part(pos.x(), rect.left(), rect.right())
                if isinstance(item, SoundItem) and item.id in self.document.selection:
                    part = tg.audio_part(pos.x(), pos.y(), rect.left(), rect.right(), rect.top(), rect.height(),
                                         item.volume_db, item.fade_in, item.fade_out, self.layout_.px_per_frame)
                cursor = {"body": Qt.CursorShape.OpenHandCursor, "volume": Qt.CursorShape.SizeVerCursor,
                          "fade_in": Qt.CursorShape.SizeHorCursor, "fade_out": Qt.CursorShape.SizeHorCursor,
                          }.get(part, Qt.CursorShape.SizeHorCursor)
            self.setCursor(cursor)
            return
        if d["mode"] == "scrub":
            self.document.set_playhead(self.frame_at(pos.x()))
        elif d["mode"] == "band":
            self._band = (d["press"], (pos.x(), pos.y()))
            self.update()
        elif d["mode"] == "transition":
            self.drag_transition_to(self.frame_at(pos.x()))
        elif d["mode"] in ("volume", "fade_in", "fade_out"):
            self.drag_sound(self.frame_at(pos.x()), pos.y())
        else:
            self.drag_to(self.frame_at(pos.x()), self.layout_.track_at(pos.y(), self.kinds))

    def drag_sound(self, frame: int, y: float) -> None:
        """Continue a drag of a sound's volume line (to height `y`) or fade handle (to `frame`)."""
        from .names import item_name

        d = self._drag
        item, rect, base = d["item"], d["rect"], d["base"]
        fps = self.document.project.fps
        if d["mode"] == "volume":
            db = tg.db_at_y(y, rect.top(), rect.height())
            name, value = "volume_db", db
            said = "muted" if db <= -120 else f"{db:+.1f} dB"
            text = f"Volume of {item_name(item)}"
        else:
            room = item.duration - (item.fade_out if d["mode"] == "fade_in" else item.fade_in)
            length = frame - item.start if d["mode"] == "fade_in" else item.end - frame
            name, value = d["mode"], max(0, min(room, length))
            said = tg.seconds_label(value, fps)
            text = f"{'Fade in' if d['mode'] == 'fade_in' else 'Fade out'} of {item_name(item)}"
        self.document.edit(text, lambda t: edits.set_property(t, item.id, name, value), merge_key=d["key"], base=base)
        self.status.emit(f"{text}: {said}")
        self.update()

    def drag_transition_to(self, frame: int) -> None:
        """Continue a transition edge drag to timeline frame `frame`: its length grows by two frames
        for each frame the edge moves away from the cut (the window stays centred on it)."""
        from .layout_actions import item_name

        d = self._drag
        span = d["span"]
        frames = tg.dragged_transition_frames(span.frames, d["edge"], frame - d["press_frame"], span.limit)
        base = d["base"]
        clip = base.timeline.get(span.incoming)
        self.document.edit(f"Transition length into {item_name(clip)}",
                           lambda t: edits.set_property(t, span.incoming, "transition_frames", frames),
                           merge_key=d["key"], base=base)
        self.status.emit(f"{TRANSITIONS.get(span.kind, span.kind)} into {item_name(clip)}: {frames} frames")
        self.update()

    def drag_to(self, frame: int, track_index: int | None = None) -> None:
        """Continue the current item drag to timeline frame `frame` (also used by tests)."""
        d = self._drag
        base = d["base"]
        item = d["item"]
        delta = frame - d["press_frame"]
        tl = base.timeline
        ids = d["ids"] if d["mode"] == "body" else [item.id]
        spans = [(i.id, i.start, i.end) for i in tl.all_items()]
        tolerance = self.layout_.snap_tolerance()
        targets = tg.snap_targets(spans, self.document.playhead, self.beats(), exclude=ids) if self.snapping else []
        self._snap_line = None
        self._ghost = None
        if d["mode"] == "body" and self._magnetic_drag(d, item, ids, delta, track_index):
            self.update()
            return
        if d["mode"] == "body":
            delta_snap, target = tg.snap_span(item.start + delta, item.end + delta, targets, tolerance)
            delta += delta_snap
            self._snap_line = target
            new_track = tg.moved_track(self.kinds, d["track"], track_index) if len(ids) == 1 else None
            moved = sorted((tl.get(i) for i in ids), key=lambda i: i.start, reverse=delta > 0)

            def run(t):
                for it in moved:
                    t = edits.move(t, it.id, max(0, it.start + delta),
                                   new_track if new_track is not None and new_track != d["track"] else None)
                return t

            self.document.edit("Move", run, merge_key=d["key"], base=base)
        else:
            edge = item.start if d["mode"] == "left" else item.end
            new_edge, target = tg.snap(edge + delta, targets, tolerance)
            self._snap_line = target
            if d["mode"] == "left":
                fn = lambda t: edits.trim(t, item.id, start=max(0, new_edge))  # noqa: E731
            else:
                fn = lambda t: edits.trim(t, item.id, end=new_edge)  # noqa: E731
            if self.document.magnetic and magnetic.on_main_track(tl, item.id):
                trim = fn
                fn = lambda t: magnetic.pack(trim(t))  # noqa: E731 (the clips after it follow the edge)
            self.document.edit("Trim", fn, merge_key=d["key"], base=base)
        self.update()

    def _magnetic_drag(self, d, item, ids, delta, track_index) -> bool:
        """A body drag that the magnetic main track handles: a main-track clip dragged along it
        reorders (the others make room live, a ghost follows the pointer); one dragged off it to
        another video track leaves no gap; a clip from a layer dropped on it is put in line."""
        from .names import item_name

        tl = d["base"].timeline
        if not self.document.magnetic or len(ids) != 1 or not magnetic.has_main_track(tl):
            return False
        from_main = magnetic.on_main_track(tl, item.id)
        target = tg.moved_track(self.kinds, d["track"], track_index)
        to_main = target == magnetic.MAIN
        if not from_main and not to_main:
            return False
        centre = item.start + delta + item.duration / 2
        self._ghost = (max(0, item.start + delta), item.duration, target)
        if from_main and to_main:
            index = magnetic.drop_index(tl, item.id, centre)
            fn = lambda t: magnetic.reorder(t, item.id, index)  # noqa: E731
            text = f"Move {item_name(item)} to position {index + 1}"
        elif from_main:
            start = max(0, item.start + delta)
            fn = lambda t: magnetic.pack(edits.move(t, item.id, start, target))  # noqa: E731
            text = f"Move {item_name(item)} to {tl.tracks[target].name or 'a layer'}"
        else:
            index = magnetic.drop_index(tl, None, centre)
            fn = lambda t: magnetic.insert_at(edits.delete(t, item.id), t.get(item.id), index)  # noqa: E731
            text = f"Move {item_name(item)} to the main track"
        self.document.edit(text, fn, merge_key=d["key"], base=d["base"])
        return True

    def mouseReleaseEvent(self, event) -> None:
        d = self._drag
        if d is not None and d["mode"] in ("body", "left", "right"):
            pos = event.position()
            if self.frame_at(pos.x()) != d["press_frame"]:
                self.drag_to(self.frame_at(pos.x()), self.layout_.track_at(pos.y(), self.kinds))
        elif d is not None and d["mode"] == "transition" and self.frame_at(event.position().x()) != d["press_frame"]:
            self.drag_transition_to(self.frame_at(event.position().x()))
        elif d is not None and d["mode"] in ("volume", "fade_in", "fade_out") and \
                (event.position().x(), event.position().y()) != d["press"]:  # a click alone changes nothing
            self.drag_sound(self.frame_at(event.position().x()), event.position().y())
        self._drag = None
        self._snap_line = None
        self._ghost = None
        if d is not None and d["mode"] == "band":
            pos = event.position()
            x0, y0 = d["press"]
            if abs(pos.x() - x0) < 4 and abs(pos.y() - y0) < 4:
                if not d["ctrl"]:
                    self.document.select([])
                self.document.set_playhead(self.frame_at(pos.x()))
            else:
                boxes = [(i.id, r.x(), r.y(), r.width(), r.height()) for i, _, r in self.item_rects()]
                ids = tg.rubber_band(boxes, x0, y0, pos.x(), pos.y())
                self.document.select((list(self.document.selection) if d["ctrl"] else []) + ids)
        self._band = None
        self.update()

    def context_menu(self, pos: QPointF) -> QMenu:
        """The right-click menu: on an item (selected first, as editors do) its edits, elsewhere
        paste and the in/out marks. The window fills `menu_actions` with its own actions, so a
        menu entry and its shortcut are one thing."""
        hit = self.item_at(pos)
        if hit is not None and hit[0].id not in self.document.selection:
            self.document.select([hit[0].id])
        if hit is None:
            self.document.set_playhead(self.frame_at(pos.x()))
        menu = QMenu(self)
        for action in self.menu_actions(hit is not None):
            menu.addSeparator() if action is None else menu.addAction(action)
        return menu

    def contextMenuEvent(self, event) -> None:
        if event.pos().x() < self.layout_.header or event.pos().y() < self.layout_.ruler:
            return
        menu = self.context_menu(QPointF(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.25 if event.angleDelta().y() > 0 else 0.8
            self.set_zoom(self.layout_.px_per_frame * factor, event.position().x())
            host = self.parent()
            while host is not None and not isinstance(host, TimelinePanel):
                host = host.parent()
            if host is not None:
                host.zoom_changed()
        else:
            self.set_scroll(self.scroll_x - (event.angleDelta().y() or event.angleDelta().x()))

    def resizeEvent(self, event) -> None:
        self.parent_sync()
        super().resizeEvent(event)

    # -- drops -------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasFormat(LIBRARY_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        frame = self.frame_at(event.position().x())
        track = self.layout_.track_at(event.position().y(), self.kinds)
        if mime.hasFormat(LIBRARY_MIME):
            payload = bytes(mime.data(LIBRARY_MIME)).decode()
        else:
            payload = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        self.drop_requested.emit(payload, frame, -1 if track is None else track)
        event.acceptProposedAction()


class TimelinePanel(QWidget):
    """Toolbar (split, delete, snapping, zoom) + the canvas + a horizontal scrollbar."""

    def __init__(self, document, thumbnails, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.canvas = TimelineCanvas(document, thumbnails)
        self.scrollbar = QScrollBar(Qt.Orientation.Horizontal)
        self.scrollbar.valueChanged.connect(self.canvas.set_scroll)
        area = QScrollArea()
        area.setWidget(self.canvas)
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setFrameShape(QScrollArea.Shape.NoFrame)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        title = QLabel("Timeline")
        title.setObjectName("panelTitle")
        bar.addWidget(title)
        self.buttons = {}
        for name, text, tip, slot in (
                ("split", "✂ Split", "Split at playhead (S)", document.split_at_playhead),
                ("delete", "✕ Delete", "Delete selection (Del)", lambda: document.delete(document.selection)),
                ("ripple", "⇤ Ripple", "Ripple delete: delete and close the gap (Shift+Del)",
                 lambda: document.delete(document.selection, ripple=True))):
            b = QToolButton(text=text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            bar.addWidget(b)
            self.buttons[name] = b
        bar.addStretch(1)
        self.magnet_box = QCheckBox("Magnetic")
        self.magnet_box.setToolTip("Magnetic main track: its clips butt together: dragging one reorders them, deleting "
                                   "one closes the gap. Off: place them freely.")
        self.magnet_box.setChecked(document.magnetic)
        self.magnet_box.toggled.connect(lambda on: setattr(document, "magnetic", on))
        bar.addWidget(self.magnet_box)
        self.snap_box = QCheckBox("Snap")
        self.snap_box.setToolTip("Snap to the playhead, item edges and beats (a guide line shows where)")
        self.snap_box.setChecked(True)
        self.snap_box.toggled.connect(lambda on: setattr(self.canvas, "snapping", on))
        bar.addWidget(self.snap_box)
        bar.addWidget(QLabel("Zoom"))
        self.zoom = QSlider(Qt.Orientation.Horizontal)
        self.zoom.setRange(0, 100)
        self.zoom.setMinimumWidth(60)
        self.zoom.setMaximumWidth(140)
        self.zoom.valueChanged.connect(self._zoom_slider)
        bar.addWidget(self.zoom)
        fit = QToolButton(text="Fit")
        fit.setToolTip("Show the whole video")
        fit.clicked.connect(self.fit)
        bar.addWidget(fit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(area, 1)
        layout.addWidget(self.scrollbar)
        self.zoom_changed()

    def _zoom_slider(self, value: int) -> None:
        import math

        lo, hi = math.log(tg.MIN_PX_PER_FRAME), math.log(tg.MAX_PX_PER_FRAME)
        self.canvas.set_zoom(math.exp(lo + (hi - lo) * value / 100))

    def zoom_changed(self) -> None:
        import math

        lo, hi = math.log(tg.MIN_PX_PER_FRAME), math.log(tg.MAX_PX_PER_FRAME)
        value = round((math.log(self.canvas.layout_.px_per_frame) - lo) / (hi - lo) * 100)
        self.zoom.blockSignals(True)
        self.zoom.setValue(value)
        self.zoom.blockSignals(False)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out around the playhead, as the keys do (Ctrl+= / Ctrl+-)."""
        c = self.canvas
        ppf = max(tg.MIN_PX_PER_FRAME, min(tg.MAX_PX_PER_FRAME, c.layout_.px_per_frame * factor))
        c.set_zoom(ppf, c.x_of(self.document.playhead))
        self.zoom_changed()

    def fit(self) -> None:
        self.canvas.layout_ = tg.Layout(px_per_frame=tg.fit_zoom(self.document.project.duration, self.canvas.width()))
        self.canvas.set_scroll(0)
        self.zoom_changed()

    def sync_scrollbar(self) -> None:
        c = self.canvas
        self.scrollbar.blockSignals(True)
        self.scrollbar.setRange(0, max(0, c.content_width() - c.width()))
        self.scrollbar.setPageStep(max(1, c.width()))
        self.scrollbar.setValue(c.scroll_x)
        self.scrollbar.blockSignals(False)
