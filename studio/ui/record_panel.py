"""Record mode: the camera with its live AR preview, effect and look pickers, countdown / length /
speed selectors, a big record button with a progress ring, the takes strip, and "Next" into Edit.
The capture layer (studio.capture) does the work; this is its view. Without a camera it shows a
panel that says so and offers a video file as the camera, or importing media."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap, QUndoStack
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QComboBox, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from studio.effects.registry import default_registry
from studio.model import EffectRef

from .backing_audio import BackingAudio
from .commands import DeleteTakeCommand
from .render_worker import to_qimage
from .tasks import Inbox, Tasks, one_line
from .thumbnails import add_live_effects, add_looks

COUNTDOWNS = (("Off", 0), ("3 s", 3), ("10 s", 10))
LENGTHS = (("15s", 15), ("60s", 60), ("3min", 180), ("10min", 600))
SPEED_CHOICES = (("0.5×", 0.5), ("1×", 1.0), ("2×", 2.0), ("3×", 3.0))
NO_CAMERA_WIDTH = 420  # px: the no-camera message reads as a short centred column


class RecordButton(QAbstractButton):
    """A big round button with a progress ring: red dot when idle, rounded square while recording,
    pause bars while a take is paused (tap to resume)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.progress = 0.0
        self.recording = False
        self.paused = False
        self.setFixedSize(92, 92)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Record (R): tap while recording to pause, tap again to resume")

    def sizeHint(self) -> QSize:
        return QSize(92, 92)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(6, 6, self.width() - 12, self.height() - 12)
        p.setPen(QPen(QColor(255, 255, 255, 70), 6))
        p.drawEllipse(r)
        if self.progress > 0:
            p.setPen(QPen(QColor("#ff3b5c"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawArc(r, 90 * 16, -int(360 * 16 * min(1.0, self.progress)))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#ff3b5c") if self.isEnabled() else QColor("#663040"))
        if self.recording and self.paused:  # two bars: the take is open, waiting to resume
            s = r.width() * 0.36
            bar = s * 0.34
            for x in (r.center().x() - s / 2, r.center().x() + s / 2 - bar):
                p.drawRoundedRect(QRectF(x, r.center().y() - s / 2, bar, s), 3, 3)
        elif self.recording:
            s = r.width() * 0.36
            p.drawRoundedRect(QRectF(r.center().x() - s / 2, r.center().y() - s / 2, s, s), 6, 6)
        else:
            inner = r.adjusted(12, 12, -12, -12)
            p.drawEllipse(inner)


class CameraView(QWidget):
    """The live picture (fitted to 9:16 like the export will crop it) with the countdown on top."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: QImage | None = None
        self.countdown = 0
        self.message = ""
        self.setMinimumSize(135, 240)  # 9:16; small enough for a 540 px high window (1080p at 200 %)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("#0d0d10"))
        h = self.height() - 8
        w = h * 9 / 16
        if w > self.width() - 8:
            w = self.width() - 8
            h = w * 16 / 9
        frame = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        p.fillRect(frame, QColor("#000"))
        if self.image is not None:
            iw, ih = self.image.width(), self.image.height()
            # centre crop to 9:16, the same framing "fill" gives on the timeline
            if iw / ih > 9 / 16:
                cw = ih * 9 / 16
                src = QRectF((iw - cw) / 2, 0, cw, ih)
            else:
                ch = iw * 16 / 9
                src = QRectF(0, (ih - ch) / 2, iw, ch)
            p.drawImage(frame, self.image, src)
        p.setPen(QPen(QColor("#33333d"), 1))
        p.drawRect(frame)
        if self.countdown > 0:
            p.setPen(QColor("#ffffff"))
            f = QFont(self.font())
            f.setPointSize(72)
            f.setBold(True)
            p.setFont(f)
            p.drawText(frame, Qt.AlignmentFlag.AlignCenter, str(self.countdown))
        if self.message:
            f = QFont(self.font())
            f.setPointSize(11)
            p.setFont(f)
            p.setPen(QColor("#ffffff"))
            p.fillRect(QRectF(frame.x(), frame.y(), frame.width(), 26), QColor(0, 0, 0, 140))
            p.drawText(QRectF(frame.x(), frame.y(), frame.width(), 26), Qt.AlignmentFlag.AlignCenter, self.message)


def _segmented(choices, default, on_change) -> tuple[QWidget, QButtonGroup]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    group = QButtonGroup(box)
    for index, (title, value) in enumerate(choices):
        b = QPushButton(title)
        b.setCheckable(True)
        b.setObjectName("segment")
        b.setProperty("value", value)
        b.setChecked(value == default)
        group.addButton(b, index)
        row.addWidget(b)
    group.idClicked.connect(lambda i: on_change(choices[i][1]))
    return box, group


class RecordPanel(QWidget):
    """Emits next_requested(list of take paths) when the creator is done recording."""

    next_requested = Signal(list)
    recorder_event = Signal(str, str, int)   # (event, state, countdown remaining), on the UI thread
    import_requested = Signal()
    status = Signal(str)

    def __init__(self, settings, thumbnails, takes_dir_fn, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.thumbnails = thumbnails
        self.takes_dir_fn = takes_dir_fn
        self.registry = default_registry()
        self.tasks = Tasks(self)  # takes being finalised
        # the recorder's thread reports countdown and state changes through this inbox
        self._recorder_inbox = Inbox(self.recorder_event.emit, self)
        # the preview thread leaves its newest picture here and a UI timer shows it (a queued signal
        # per camera frame piles up behind a busy UI thread; PySide 6.12 also crashed at exit on it)
        self._latest = None
        self._latest_lock = threading.Lock()
        self._frame_timer = QTimer(self)
        self._frame_timer.timeout.connect(self._poll_frame)
        self._frame_timer.start(33)
        self.recorder_event.connect(self._recorder_event)
        self.session = None
        self.take = None
        self.takes: list[dict] = []      # {"path": Path, "seconds": float}
        # Record mode's own history (the window's Undo/Redo act on it while this mode shows):
        # deleted takes wait in the bin and come back on undo until the session ends.
        self.undo_stack = QUndoStack(self)
        from studio.capture import TakeBin

        self.bin = TakeBin()
        self.countdown_s = 3
        self.length_s = 60
        self.speed = 1.0
        self.effect_ids: list[str] = []
        self.look_id: str | None = None
        self.accessory = "ar_sunglasses"  # the face sticker's sticker (the effect's default)
        self.sound_choice = None  # studio.capture.backing.SoundChoice: recording to a sound
        self._sound_seconds: float | None = None  # how much of that sound is left from its start
        self.backing_audio = BackingAudio(self)
        self.camera_error = ""

        # -- camera side
        self.camera = CameraView()
        self.record_button = RecordButton()
        self.record_button.clicked.connect(self.toggle_record)
        self.record_button.setShortcut("R")
        self.time_label = QLabel("0.0 s / 60 s")
        self.time_label.setObjectName("timecode")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cd, self.countdown_group = _segmented(COUNTDOWNS, self.countdown_s, self._set_countdown)
        ln, self.length_group = _segmented(LENGTHS, self.length_s, self._set_length)
        sp, self.speed_group = _segmented(SPEED_CHOICES, self.speed, lambda v: setattr(self, "speed", v))
        self.sound_button = QPushButton("♪  Add sound")
        self.sound_button.setToolTip("Record to a sound: it plays while you record, and the take keeps it in sync")
        self.sound_button.clicked.connect(self.pick_sound)
        self.sound_clear = QPushButton("✕")
        self.sound_clear.setToolTip("Record without a sound")
        self.sound_clear.setFixedWidth(30)
        self.sound_clear.clicked.connect(lambda: self.set_sound(None))
        self.sound_clear.setVisible(False)
        sound_row = QHBoxLayout()
        sound_row.addWidget(self.sound_button, 1)
        sound_row.addWidget(self.sound_clear)
        controls = QVBoxLayout()
        controls.addLayout(sound_row)
        for label, w in (("Countdown", cd), ("Length", ln), ("Speed", sp)):
            t = QLabel(label)
            t.setObjectName("hint")
            controls.addWidget(t)
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignHCenter)
        controls.addWidget(self.time_label)

        # takes strip
        self.takes_list = QListWidget()
        self.takes_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.takes_list.setFlow(QListWidget.Flow.LeftToRight)
        self.takes_list.setWrapping(False)
        self.takes_list.setIconSize(QSize(45, 80))
        self.takes_list.setMinimumHeight(80)
        self.takes_list.setMaximumHeight(118)
        self.takes_hint = QLabel("Your takes appear here. Record several, then press Next to edit them.", self.takes_list)
        self.takes_hint.setObjectName("hint")
        self.takes_hint.move(14, 48)
        self.takes_hint.resize(520, 20)
        self.finish_button = QPushButton("✓ Finish take")
        self.finish_button.setToolTip("End this take and keep it (F)")
        self.finish_button.setShortcut("F")
        self.finish_button.clicked.connect(self.stop_record)
        self.delete_button = QPushButton("⌫ Delete last")
        self.delete_button.setToolTip("While paused: remove the last segment of this take; "
                                      "otherwise remove the last take (Backspace)")
        self.delete_button.setShortcut("Backspace")
        self.delete_button.clicked.connect(self.delete_last)
        self.next_button = QPushButton("Next  →")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.next)
        strip = QHBoxLayout()
        strip.addWidget(self.takes_list, 1)
        side = QVBoxLayout()
        side.addWidget(self.finish_button)
        side.addWidget(self.delete_button)
        # where Next puts the takes: a new project unless the creator chose the open one
        self.destination = QComboBox()
        self.destination.addItem("New project", "new")
        self.destination.addItem("This project", "open")
        self.destination.setToolTip("Where Next puts the takes: recording starts a new project; choose "
                                    "\"This project\" to add them to the open one")
        side.addWidget(self.destination)
        side.addWidget(self.next_button)
        strip.addLayout(side)

        # effect and look pickers
        self.effects_list = QListWidget()
        self.effects_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.effects_list.setIconSize(QSize(48, 64))
        # titles wrap whole onto two lines ("Background blur", "Teal & orange"), never "Teal & …"
        self.effects_list.setGridSize(QSize(92, 64 + 2 * self.fontMetrics().height() + 12))
        self.effects_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.effects_list.setUniformItemSizes(False)
        self.effects_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.effects_list.setMovement(QListWidget.Movement.Static)
        self.effects_list.setWordWrap(True)
        self.effects_list.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        add_live_effects(self.effects_list, self.registry)
        self.effects_list.itemSelectionChanged.connect(self._effects_changed)
        self.looks_list = QListWidget()
        self.looks_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.looks_list.setIconSize(QSize(48, 64))
        # titles wrap whole onto two lines ("Background blur", "Teal & orange"), never "Teal & …"
        self.looks_list.setGridSize(QSize(92, 64 + 2 * self.fontMetrics().height() + 12))
        self.looks_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.looks_list.setUniformItemSizes(False)
        self.looks_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.looks_list.setMovement(QListWidget.Movement.Static)
        self.looks_list.setWordWrap(True)
        add_looks(self.looks_list)
        self.looks_list.setCurrentRow(0)
        self.looks_list.currentItemChanged.connect(self._look_changed)
        pickers = QVBoxLayout()
        t = QLabel("Effects")
        t.setObjectName("panelTitle")
        pickers.addWidget(t)
        pickers.addWidget(self.effects_list, 3)
        # the AR accessory as a thumbnail grid: picking one turns the face sticker on with it
        from .sticker_picker import StickerPicker

        t = QLabel("AR accessory")
        t.setObjectName("panelTitle")
        pickers.addWidget(t)  # above its picker, not beside it: the column stays narrow
        self.accessory_picker = StickerPicker()
        self.accessory_picker.set_value(self.accessory)
        self.accessory_picker.chosen.connect(self.set_accessory)
        pickers.addWidget(self.accessory_picker)
        t = QLabel("Looks")
        t.setObjectName("panelTitle")
        pickers.addWidget(t)
        pickers.addWidget(self.looks_list, 2)
        thumbnails.ready.connect(lambda _: (self._update_icons(), self._update_take_icons()))
        self._update_icons()

        # no-camera panel: one centred column (icon, text, equally wide buttons) of a fixed width,
        # so the text block and the buttons share one centre line at every window size
        self.no_camera = QWidget()
        column = QWidget(self.no_camera)
        column.setMaximumWidth(NO_CAMERA_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        nc = QVBoxLayout(column)
        nc.setContentsMargins(0, 0, 0, 0)
        icon = QLabel("◉")
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon.setStyleSheet("font-size: 54px;")
        self.no_camera_text = QLabel()
        self.no_camera_text.setWordWrap(True)
        self.no_camera_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_camera_text.setObjectName("noCamera")
        use_file = QPushButton("Use a video file as the camera…")
        use_file.setObjectName("primary")
        use_file.clicked.connect(self._choose_file_camera)
        retry = QPushButton("Try the camera again")
        retry.clicked.connect(self.start_camera)
        importer = QPushButton("Import media instead")
        importer.clicked.connect(self.import_requested.emit)
        nc.addWidget(icon)
        nc.addWidget(self.no_camera_text)
        nc.addSpacing(8)
        self.no_camera_buttons = (use_file, retry, importer)
        for b in self.no_camera_buttons:
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            nc.addWidget(b)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self.no_camera)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.no_camera_column = column

        self.view_stack = QStackedWidget()
        self.view_stack.addWidget(self.camera)
        self.view_stack.addWidget(self.no_camera)
        centre = QHBoxLayout()
        centre.addLayout(pickers, 2)
        centre.addWidget(self.view_stack, 4)
        centre.addLayout(controls, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(centre, 1)
        layout.addLayout(strip)

        self._ring = QTimer(self)
        self._ring.timeout.connect(self._update_ring)
        self._ring.start(100)
        self._update_buttons()

    # -- camera ------------------------------------------------------------------------------------
    def _camera_spec(self) -> str:
        return self.settings.file_camera if self.settings.camera == "file" else self.settings.camera

    def start_camera(self) -> bool:
        from studio.capture import CaptureError, CaptureSession, open_camera

        self.stop_camera()
        spec = self._camera_spec()
        try:
            if not spec:
                raise CaptureError("no video file chosen for the file camera")
            camera = open_camera(spec)
            microphone = None
            if not camera.has_audio:
                from studio.capture import open_chosen_microphone

                microphone, why = open_chosen_microphone(self.settings.microphone)
                if why:
                    self.status.emit(why)
            self.session = CaptureSession(camera, effects=self._effect_refs(), microphone=microphone,
                                          on_preview=self._on_preview, preview_size=_preview_size(camera.size))
            self.session.start()
        except (CaptureError, OSError) as exc:
            self.session = None
            self.camera_error = str(exc)
            self.no_camera_text.setText(
                f"<b>No camera</b><br><br>{_explain(exc)}<br><br>You can record from a video file instead "
                "(it plays as if it were the camera), or import clips you already have.")
            self.view_stack.setCurrentWidget(self.no_camera)
            self._update_buttons()
            return False
        self.camera_error = ""
        self.camera.message = camera.name
        self.view_stack.setCurrentWidget(self.camera)
        self._update_buttons()
        return True

    def stop_camera(self) -> None:
        if self.take is not None:
            self.stop_record()
        if self.session is not None:
            self.session.close()
            self.session = None

    def _on_preview(self, rgb, frame) -> None:  # preview thread: keep only the newest picture
        with self._latest_lock:
            self._latest = rgb

    def _poll_frame(self) -> None:
        with self._latest_lock:
            rgb, self._latest = self._latest, None
        if rgb is not None:
            self._show_frame(to_qimage(rgb))  # Qt objects are made in the UI thread only

    def _show_frame(self, image: QImage) -> None:
        self.camera.image = image
        self.camera.update()

    def _choose_file_camera(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Video to use as the camera", "", "Video (*.mp4 *.mkv *.mov *.webm)")
        if path:
            self.use_file_camera(Path(path))

    def use_file_camera(self, path: Path) -> bool:
        self.settings.camera = "file"
        self.settings.file_camera = str(path)
        return self.start_camera()

    # -- effects -----------------------------------------------------------------------------------
    def set_accessory(self, sticker_id: str) -> None:
        """The AR accessory grid's pick: the face sticker shows it (switched on if it was off)."""
        self.accessory = sticker_id
        self.accessory_picker.set_value(sticker_id)
        for i in range(self.effects_list.count()):
            item = self.effects_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == "face_sticker" and not item.isSelected():
                item.setSelected(True)  # _effects_changed applies it
                return
        self._apply_effects()

    def _effect_refs(self) -> list:
        refs = [EffectRef(e, {"sticker": self.accessory} if e == "face_sticker" else {}) for e in self.effect_ids]
        if self.look_id:
            refs.insert(0, EffectRef("look", {"name": self.look_id, "intensity": 1.0}))
        return refs

    def _effects_changed(self) -> None:
        self.effect_ids = [it.data(Qt.ItemDataRole.UserRole) for it in self.effects_list.selectedItems()]
        self._apply_effects()

    def _look_changed(self, current, _previous) -> None:
        self.look_id = current.data(Qt.ItemDataRole.UserRole) if current else None
        self._apply_effects()

    def _apply_effects(self) -> None:
        if self.session is None:
            return
        try:
            self.session.set_effects(self._effect_refs())
        except Exception as exc:  # e.g. MediaPipe cannot start: keep recording without the effect
            self.status.emit(f"effect unavailable: {exc}")

    def _update_icons(self) -> None:
        for i in range(self.effects_list.count()):
            it = self.effects_list.item(i)
            image = self.thumbnails.effect(it.data(Qt.ItemDataRole.UserRole), (48, 64))
            if image:
                it.setIcon(QIcon(QPixmap.fromImage(image)))
        sample = self.thumbnails.sample((48, 64))
        if sample:
            self.looks_list.item(0).setIcon(QIcon(QPixmap.fromImage(sample)))
        for i in range(1, self.looks_list.count()):
            it = self.looks_list.item(i)
            image = self.thumbnails.look(it.data(Qt.ItemDataRole.UserRole), (48, 64))
            if image:
                it.setIcon(QIcon(QPixmap.fromImage(image)))

    # -- the sound to record to ---------------------------------------------------------------------
    def pick_sound(self) -> None:
        from .sound_picker import SoundPickerDialog

        dialog = SoundPickerDialog(self.sound_choice, self)
        if dialog.exec():
            self.set_sound(dialog.choice)

    def set_sound(self, choice) -> bool:
        """Record the next takes to `choice` (a SoundChoice), or to no sound (None)."""
        if choice is not None:
            from studio.capture import CaptureError
            from studio.capture.backing import resolve_sound

            try:
                sound = resolve_sound(choice)
            except CaptureError as exc:
                self.status.emit(str(exc))
                return False
            from .sound_picker import clock

            self.sound_button.setText(f"♪  {sound.title} · from {clock(sound.start)}")
            self.sound_button.setToolTip(f"{sound.title}: {sound.remaining:.1f} s from {clock(sound.start)} "
                                         "(a take stops where the sound ends)")
            self._sound_seconds = sound.remaining
            why = self.backing_audio.unavailable()
            if why:
                self.status.emit(f"{why}: the sound can't be heard here, but takes are still recorded to it, in sync")
        else:
            self.sound_button.setText("♪  Add sound")
            self._sound_seconds = None
        self.sound_choice = choice
        self.sound_clear.setVisible(choice is not None)
        self._update_ring()
        return True

    # -- selectors ---------------------------------------------------------------------------------
    def _set_countdown(self, seconds: int) -> None:
        self.countdown_s = seconds

    def _set_length(self, seconds: int) -> None:
        self.length_s = seconds
        self._update_ring()

    def set_choice(self, which: str, value) -> None:
        """Pick a countdown/length/speed value as a click would (used by tests and shortcuts)."""
        group = {"countdown": self.countdown_group, "length": self.length_group, "speed": self.speed_group}[which]
        for b in group.buttons():
            if b.property("value") == value:
                b.click()
                return
        raise ValueError(f"{which}: no choice {value!r}")

    # -- recording ---------------------------------------------------------------------------------
    @property
    def recorded_seconds(self) -> float:
        return sum(t["seconds"] for t in self.takes)

    @property
    def paused(self) -> bool:
        return self.take is not None and self.take.state.value == "paused"

    def toggle_record(self) -> None:
        """The record button, TikTok style: start a take, then pause / resume it in segments
        ("Finish take" or "Next" ends it). During the countdown it cancels the take."""
        if self.take is None:
            self.start_record()
        elif self.take.state.value == "recording":
            self.pause_record()
        elif self.take.state.value == "paused":
            self.resume_record()
        else:
            self.stop_record()

    def pause_record(self) -> None:
        if self.take is not None:
            self.take.pause()
            self.status.emit("Paused: tap record to go on, Delete last removes the last segment")
            self._update_buttons()

    def resume_record(self) -> None:
        if self.take is not None:
            self.take.resume()
            self._update_buttons()

    def segments_kept(self) -> int:
        """Segments that stay in the open take (0 without one)."""
        return len(self.take.recorder.kept_segments()) if self.take is not None else 0

    def start_record(self) -> bool:
        from studio.capture import CaptureError, TakeSettings

        if self.session is None and not self.start_camera():
            return False
        left = self.length_s - self.recorded_seconds
        if left <= 0.05:
            self.status.emit(f"the {self.length_s} s limit is reached: delete a take or press Next")
            return False
        folder = Path(self.takes_dir_fn())
        folder.mkdir(parents=True, exist_ok=True)
        from studio.capture import sweep_dead_bins

        sweep_dead_bins(folder)  # deleted takes of sessions that ended without emptying their bin
        out = folder / f"take-{time.strftime('%Y%m%d-%H%M%S')}-{len(self.takes) + 1}.mp4"
        listener = lambda event, rec: self._recorder_inbox.post(event, rec.state.value,  # noqa: E731
                                                                 int(rec.countdown_remaining))
        sound = None
        if self.sound_choice is not None:
            from studio.capture.backing import BackingTrack, resolve_sound

            try:
                sound = resolve_sound(self.sound_choice)
                track = BackingTrack(sound, self.speed)
            except CaptureError as exc:
                self.status.emit(str(exc))
                return False
        try:
            self.take = self.session.begin_take(out, TakeSettings(countdown=self.countdown_s, max_seconds=left,
                                                                  speed=self.speed, sound=sound), listener=listener)
        except CaptureError as exc:
            self.status.emit(str(exc))
            return False
        if sound is not None:
            why = self.backing_audio.start(track, self.take.recorder)
            if why:
                self.status.emit(f"{why}: {sound.title} can't be heard here; the take is still recorded to it, in sync")
        self._update_buttons()
        return True

    def _recorder_event(self, event: str, state: str, remaining: int) -> None:
        if event == "countdown":
            self.camera.countdown = remaining
            self.camera.update()
            if remaining == 3:
                self._beep()
        elif event == "state":
            if state != "countdown":
                self.camera.countdown = 0
                self.camera.update()
            if state == "finished" and self.take is not None:
                self.stop_record()  # max length reached or the camera ended: finalise it
        self._update_buttons()

    def _beep(self) -> None:
        """The library's 3-2-1 sound, when there is somewhere to play it."""
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

            from studio.capture import countdown_sound
        except ImportError:
            return
        if QMediaDevices.defaultAudioOutput().isNull():
            return
        if getattr(self, "_beeper", None) is None:
            self._beeper = QMediaPlayer(self)
            self._beeper.setAudioOutput(QAudioOutput(self))
            from PySide6.QtCore import QUrl

            self._beeper.setSource(QUrl.fromLocalFile(str(countdown_sound().path)))
        self._beeper.setPosition(0)
        self._beeper.play()

    def stop_record(self) -> None:
        take, self.take = self.take, None
        if take is None:
            return
        self.backing_audio.stop()
        self.camera.countdown = 0
        self.status.emit("Finishing the take…")

        self.tasks.run(take.finish, name="take", on_done=self._take_done,
                       on_failed=lambda exc: self.status.emit(f"take not saved: {one_line(exc)}"))
        self._update_buttons()

    def _take_done(self, result) -> None:
        self.last_result = result
        if result.finalised is None:
            self.status.emit(f"take not saved: {result.error or result.reason}")
            self._update_buttons()
            return
        fin = result.finalised
        self.takes.append({"path": fin.path, "seconds": fin.duration})
        self._refresh_strip()
        self.status.emit(f"Take {len(self.takes)} saved ({fin.duration:.1f} s, {result.reason})")
        self._update_buttons()

    # -- the takes strip -----------------------------------------------------------------------------
    def _take_icon(self, take: dict):
        """The take's picture half a second in, made by the thumbnail service (None until ready)."""
        image = self.thumbnails.frame(str(take["path"]), min(0.5, take["seconds"] / 2), 80)
        return QIcon(QPixmap.fromImage(image)) if image else None

    def _refresh_strip(self) -> None:
        self.takes_list.clear()
        for n, take in enumerate(self.takes, 1):
            item = QListWidgetItem(f"{n} · {take['seconds']:.1f}s")
            icon = self._take_icon(take)
            if icon is not None:
                item.setIcon(icon)
            self.takes_list.addItem(item)
        self._update_ring()

    def _update_take_icons(self) -> None:
        for n, take in enumerate(self.takes):
            item = self.takes_list.item(n)
            icon = self._take_icon(take)
            if item is not None and icon is not None and item.icon().isNull():
                item.setIcon(icon)

    def remove_take(self, index: int) -> dict:
        """Take `index` off the strip and move its files into the bin (OSError: nothing changed)."""
        take = self.takes[index]
        take = dict(take, deleted=self.bin.delete(take["path"]))
        del self.takes[index]
        self._refresh_strip()
        self._update_buttons()
        return take

    def put_back_take(self, index: int, take: dict) -> None:
        """Undo of a deletion: the files come out of the bin and the take returns to its place."""
        self.bin.restore(take["deleted"])
        self.takes.insert(min(index, len(self.takes)), {"path": take["path"], "seconds": take["seconds"]})
        self._refresh_strip()
        self._update_buttons()

    def delete_last(self) -> None:
        """Paused inside a take: drop its last segment. Otherwise: delete the last finished take,
        as an undoable step (Ctrl+Z brings it back until the session ends)."""
        if self.take is not None:
            if self.paused and self.take.delete_last_segment() is not None:
                self.status.emit(f"Last segment deleted ({self.segments_kept()} left in this take)")
                self._update_ring()
                self._update_buttons()
            return
        if not self.takes:
            return
        number = len(self.takes)
        try:
            self.undo_stack.push(DeleteTakeCommand(self, number - 1, f"Delete take {number}"))
        except OSError as exc:
            self.status.emit(f"take {number} could not be deleted: {exc.strerror or exc}")
            return
        self.status.emit(f"Take {number} deleted — Undo (Ctrl+Z) brings it back")

    def next(self) -> None:
        if self.take is not None:
            self.stop_record()
        self.wait_for_takes()
        paths = [t["path"] for t in self.takes]
        self.takes = []
        self.takes_list.clear()
        self._update_buttons()
        self.next_requested.emit(paths)

    def wait_for_takes(self, timeout: float = 60) -> None:
        """Let takes that are being finalised finish, and deliver their results."""
        self.tasks.wait_all(timeout)

    # -- display -----------------------------------------------------------------------------------
    def _update_ring(self) -> None:
        current = self.take.recorder.take_seconds() if self.take is not None else 0.0
        total = self.recorded_seconds + current
        pause = "⏸ " if self.paused else ""
        if self._sound_seconds is not None:  # to a sound: this take against what is left of it
            fits = max(0.0, min(self._sound_seconds, self.length_s - self.recorded_seconds))
            self.record_button.progress = current / fits if fits else 1.0
            self.time_label.setText(f"{pause}{current:.1f} s / {fits:.1f} s ♪")
        else:
            self.record_button.progress = total / self.length_s if self.length_s else 0
            self.time_label.setText(f"{pause}{total:.1f} s / {self.length_s} s")
        self.record_button.update()

    def _update_buttons(self) -> None:
        recording = self.take is not None
        paused = self.paused
        self.takes_hint.setVisible(not self.takes)
        self.record_button.recording = recording
        self.record_button.paused = paused
        self.record_button.setEnabled(self.session is not None or recording)
        self.finish_button.setEnabled(recording)
        self.delete_button.setEnabled((paused and self.segments_kept() > 0) or (bool(self.takes) and not recording))
        self.next_button.setEnabled(bool(self.takes) or recording)
        for group in (self.countdown_group, self.length_group, self.speed_group):
            for b in group.buttons():
                b.setEnabled(not recording)
        self.sound_button.setEnabled(not recording)
        self.sound_clear.setEnabled(not recording)
        self.record_button.update()

    def shutdown(self) -> None:
        if getattr(self, "_beeper", None) is not None:
            self._beeper.stop()
        self._ring.stop()
        self._frame_timer.stop()
        self.stop_camera()
        self.backing_audio.stop()
        self.tasks.wait_all(timeout=60)
        self._recorder_inbox.stop()
        self.undo_stack.clear()
        self.bin.empty()  # the session ends: deleted takes go for good


def _explain(exc: Exception) -> str:
    """The capture layer's message without its command-line advice (the buttons below offer it)."""
    from studio.capture import NO_CAMERA

    import html

    text = str(exc)
    if text == NO_CAMERA:
        return "No webcam was found on this computer (there are no <nobr>/dev/video*</nobr> devices)."
    return html.escape(text)  # shown as rich text: a device name must not become markup


def _preview_size(size: tuple[int, int]) -> tuple[int, int]:
    """Live effects run on a picture about 480 px tall: fast enough for 30 fps on a laptop."""
    w, h = size
    if h <= 480:
        return (w, h)
    return (max(2, round(w * 480 / h / 2) * 2), 480)

